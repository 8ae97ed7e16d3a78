/*
 * layout_gen - print C11 static assertions of OUR layouts and constants, to be compiled
 * against an independent header set (mingw-w64, for x86_64-w64-windows-gnu) by layout.sh.
 *
 * usage: layout_gen GROUP     (groups: types ipv4 ipv6 stats owner process macros constants
 *                             errors udp)
 *        layout_gen --groups  (their names, one per line)
 * What mingw-w64 10 lacks is not generated (MIB_TCPSTATS2, TcpRtoAlgorithm*, the State member
 * of MIB_TCPROW, MIB_TCP_STATE_RESERVED, the _LH/_W2K names, SIZEOF_TCPTABLE2,
 * SIZEOF_TCP6TABLE, SIZEOF_TCP6TABLE2, MIB_UDPSTATS2, SIZEOF_UDP6TABLE); ours are asserted by
 * src/win32/layout.h alone. Where our headers differ from Windows by design (WCHAR is
 * wchar_t, IN6_ADDR is glibc's 4-aligned struct, AF_INET6 is Linux's 10), those values are
 * left out of the groups and layout.sh checks the difference itself ("differences");
 * PROCESSENTRY32W's members are checked for offset and element count, not byte size.
 */
#include <iphlpapi.h>
#include <psapi.h>
#include <tcpestats.h>
#include <tlhelp32.h>
#include <ws2tcpip.h>

#include <stddef.h>
#include <stdio.h>
#include <string.h>

struct field {
	const char *type, *field;
	size_t offset, size; /* size 0: not compared */
};
struct count {
	const char *type, *field;
	size_t n;
};
struct type {
	const char *name;
	size_t size, align;
};
struct constant {
	const char *name;
	unsigned long long value;
};

#define F(t, f) { #t, #f, offsetof(t, f), sizeof(((t *)0)->f) }
#define T(t) { #t, sizeof(t), _Alignof(t) }
#define C(c) { #c, (unsigned long long)(DWORD)(c) }
#define O(t, f) { #t, #f, offsetof(t, f), 0 }
#define K(t, f) { #t, #f, sizeof(((t *)0)->f) / sizeof(((t *)0)->f[0]) }

static const struct type types[] = {
	T(BYTE), T(UCHAR), T(BOOLEAN), T(WORD), T(USHORT), T(DWORD), T(ULONG), T(LONG),
	T(BOOL), T(INT), T(UINT), T(ULONGLONG), T(LONGLONG), T(DWORD64), T(LARGE_INTEGER),
	T(SIZE_T), T(ULONG_PTR), T(PVOID), T(HANDLE), T(IN_ADDR), T(SOCKET),
	T(TCP_TABLE_CLASS), T(TCP_CONNECTION_OFFLOAD_STATE), T(TCPIP_OWNER_MODULE_INFO_CLASS),
	T(WSADATA), T(SOCKADDR), T(SOCKADDR_IN), T(SOCKADDR_STORAGE), T(ADDRESS_FAMILY),
	T(TCP_ESTATS_TYPE), T(TCP_BOOLEAN_OPTIONAL),
};
static const struct field type_fields[] = {
	F(IN6_ADDR, u.Byte), F(IN6_ADDR, u.Word), F(IN_ADDR, S_un.S_addr),
	F(IN_ADDR, S_un.S_un_b.s_b4), F(LARGE_INTEGER, QuadPart), F(LARGE_INTEGER, HighPart),
	F(WSADATA, lpVendorInfo), F(WSADATA, szDescription), F(WSADATA, szSystemStatus),
	F(IN6_ADDR, u.Byte[15]), F(SOCKADDR_IN, sin_family), F(SOCKADDR_IN, sin_port),
	F(SOCKADDR_IN, sin_addr), F(SOCKADDR_IN, sin_zero), F(SOCKADDR_IN6, sin6_family),
	F(SOCKADDR_IN6, sin6_port), F(SOCKADDR_IN6, sin6_flowinfo), F(SOCKADDR_IN6, sin6_addr),
	F(SOCKADDR_IN6, sin6_scope_id),
};

/* Tool Help: PROCESSENTRY32 byte for byte; PROCESSENTRY32W by offsets and element count. */
static const struct type process_types[] = { T(PROCESSENTRY32) };
#define PE_FIELDS(t, check)                                                                   \
	check(t, dwSize), check(t, cntUsage), check(t, th32ProcessID),                          \
	check(t, th32DefaultHeapID), check(t, th32ModuleID), check(t, cntThreads),              \
	check(t, th32ParentProcessID), check(t, pcPriClassBase), check(t, dwFlags),             \
	O(t, szExeFile)
static const struct field process_fields[] = {
	PE_FIELDS(PROCESSENTRY32, F), F(PROCESSENTRY32, szExeFile), PE_FIELDS(PROCESSENTRY32W, F),
};
static const struct count process_counts[] = {
	K(PROCESSENTRY32, szExeFile), K(PROCESSENTRY32W, szExeFile),
};

static const struct type ipv4_types[] = {
	T(MIB_TCPROW), T(MIB_TCPTABLE), T(MIB_TCPROW2), T(MIB_TCPTABLE2), T(MIB_TCPROW_OWNER_PID),
	T(MIB_TCPTABLE_OWNER_PID), T(MIB_TCPROW_OWNER_MODULE), T(MIB_TCPTABLE_OWNER_MODULE),
	T(MIB_TCPROW_BASIC), T(MIB_TCPTABLE_BASIC),
};
static const struct field ipv4_fields[] = {
	F(MIB_TCPROW, dwState), F(MIB_TCPROW, dwLocalAddr), F(MIB_TCPROW, dwLocalPort),
	F(MIB_TCPROW, dwRemoteAddr), F(MIB_TCPROW, dwRemotePort),
	F(MIB_TCPTABLE, dwNumEntries), F(MIB_TCPTABLE, table),
	F(MIB_TCPROW2, dwState), F(MIB_TCPROW2, dwLocalAddr), F(MIB_TCPROW2, dwLocalPort),
	F(MIB_TCPROW2, dwRemoteAddr), F(MIB_TCPROW2, dwRemotePort), F(MIB_TCPROW2, dwOwningPid),
	F(MIB_TCPROW2, dwOffloadState), F(MIB_TCPTABLE2, table),
	F(MIB_TCPROW_OWNER_PID, dwState), F(MIB_TCPROW_OWNER_PID, dwLocalAddr),
	F(MIB_TCPROW_OWNER_PID, dwLocalPort), F(MIB_TCPROW_OWNER_PID, dwRemoteAddr),
	F(MIB_TCPROW_OWNER_PID, dwRemotePort), F(MIB_TCPROW_OWNER_PID, dwOwningPid),
	F(MIB_TCPTABLE_OWNER_PID, table),
	F(MIB_TCPROW_OWNER_MODULE, dwState), F(MIB_TCPROW_OWNER_MODULE, dwLocalAddr),
	F(MIB_TCPROW_OWNER_MODULE, dwLocalPort), F(MIB_TCPROW_OWNER_MODULE, dwRemoteAddr),
	F(MIB_TCPROW_OWNER_MODULE, dwRemotePort), F(MIB_TCPROW_OWNER_MODULE, dwOwningPid),
	F(MIB_TCPROW_OWNER_MODULE, liCreateTimestamp),
	F(MIB_TCPROW_OWNER_MODULE, OwningModuleInfo), F(MIB_TCPTABLE_OWNER_MODULE, table),
};

static const struct type ipv6_types[] = {
	T(MIB_TCP6ROW), T(MIB_TCP6TABLE), T(MIB_TCP6ROW2), T(MIB_TCP6TABLE2),
	T(MIB_TCP6ROW_OWNER_PID), T(MIB_TCP6TABLE_OWNER_PID), T(MIB_TCP6ROW_OWNER_MODULE),
	T(MIB_TCP6TABLE_OWNER_MODULE),
};
#define V6_COMMON(t)                                                                          \
	F(t, dwLocalScopeId), F(t, dwLocalPort), F(t, dwRemoteScopeId), F(t, dwRemotePort)
static const struct field ipv6_fields[] = {
	F(MIB_TCP6ROW, State), F(MIB_TCP6ROW, LocalAddr), F(MIB_TCP6ROW, RemoteAddr),
	V6_COMMON(MIB_TCP6ROW), F(MIB_TCP6TABLE, table),
	F(MIB_TCP6ROW2, LocalAddr), F(MIB_TCP6ROW2, RemoteAddr), V6_COMMON(MIB_TCP6ROW2),
	F(MIB_TCP6ROW2, State), F(MIB_TCP6ROW2, dwOwningPid), F(MIB_TCP6ROW2, dwOffloadState),
	F(MIB_TCP6TABLE2, table),
	F(MIB_TCP6ROW_OWNER_PID, ucLocalAddr), F(MIB_TCP6ROW_OWNER_PID, ucRemoteAddr),
	V6_COMMON(MIB_TCP6ROW_OWNER_PID), F(MIB_TCP6ROW_OWNER_PID, dwState),
	F(MIB_TCP6ROW_OWNER_PID, dwOwningPid), F(MIB_TCP6TABLE_OWNER_PID, table),
	F(MIB_TCP6ROW_OWNER_MODULE, ucLocalAddr), F(MIB_TCP6ROW_OWNER_MODULE, ucRemoteAddr),
	V6_COMMON(MIB_TCP6ROW_OWNER_MODULE), F(MIB_TCP6ROW_OWNER_MODULE, dwState),
	F(MIB_TCP6ROW_OWNER_MODULE, dwOwningPid), F(MIB_TCP6ROW_OWNER_MODULE, liCreateTimestamp),
	F(MIB_TCP6ROW_OWNER_MODULE, OwningModuleInfo), F(MIB_TCP6TABLE_OWNER_MODULE, table),
};

static const struct type stats_types[] = { T(MIB_TCPSTATS) };
static const struct field stats_fields[] = {
	F(MIB_TCPSTATS, dwRtoAlgorithm), F(MIB_TCPSTATS, dwRtoMin), F(MIB_TCPSTATS, dwRtoMax),
	F(MIB_TCPSTATS, dwMaxConn), F(MIB_TCPSTATS, dwActiveOpens),
	F(MIB_TCPSTATS, dwPassiveOpens), F(MIB_TCPSTATS, dwAttemptFails),
	F(MIB_TCPSTATS, dwEstabResets), F(MIB_TCPSTATS, dwCurrEstab), F(MIB_TCPSTATS, dwInSegs),
	F(MIB_TCPSTATS, dwOutSegs), F(MIB_TCPSTATS, dwRetransSegs), F(MIB_TCPSTATS, dwInErrs),
	F(MIB_TCPSTATS, dwOutRsts), F(MIB_TCPSTATS, dwNumConns),
};

static const struct type udp_types[] = {
	T(UDP_TABLE_CLASS), T(MIB_UDPROW), T(MIB_UDPROW_BASIC), T(MIB_UDPTABLE),
	T(MIB_UDPTABLE_BASIC), T(MIB_UDPROW_OWNER_PID), T(MIB_UDPTABLE_OWNER_PID),
	T(MIB_UDPROW_OWNER_MODULE), T(MIB_UDPTABLE_OWNER_MODULE), T(MIB_UDP6ROW),
	T(MIB_UDP6TABLE), T(MIB_UDP6ROW_OWNER_PID), T(MIB_UDP6TABLE_OWNER_PID),
	T(MIB_UDP6ROW_OWNER_MODULE), T(MIB_UDP6TABLE_OWNER_MODULE), T(MIB_UDPSTATS),
};
static const struct field udp_fields[] = {
	F(MIB_UDPROW, dwLocalAddr), F(MIB_UDPROW, dwLocalPort), F(MIB_UDPTABLE, dwNumEntries),
	F(MIB_UDPTABLE, table), F(MIB_UDPROW_OWNER_PID, dwLocalAddr),
	F(MIB_UDPROW_OWNER_PID, dwLocalPort), F(MIB_UDPROW_OWNER_PID, dwOwningPid),
	F(MIB_UDPTABLE_OWNER_PID, table), F(MIB_UDPROW_OWNER_MODULE, dwLocalAddr),
	F(MIB_UDPROW_OWNER_MODULE, dwLocalPort), F(MIB_UDPROW_OWNER_MODULE, dwOwningPid),
	F(MIB_UDPROW_OWNER_MODULE, liCreateTimestamp), F(MIB_UDPROW_OWNER_MODULE, dwFlags),
	F(MIB_UDPROW_OWNER_MODULE, OwningModuleInfo), F(MIB_UDPTABLE_OWNER_MODULE, table),
	F(MIB_UDP6ROW, dwLocalAddr), F(MIB_UDP6ROW, dwLocalScopeId), F(MIB_UDP6ROW, dwLocalPort),
	F(MIB_UDP6TABLE, table), F(MIB_UDP6ROW_OWNER_PID, ucLocalAddr),
	F(MIB_UDP6ROW_OWNER_PID, dwLocalScopeId), F(MIB_UDP6ROW_OWNER_PID, dwLocalPort),
	F(MIB_UDP6ROW_OWNER_PID, dwOwningPid), F(MIB_UDP6TABLE_OWNER_PID, table),
	F(MIB_UDP6ROW_OWNER_MODULE, ucLocalAddr), F(MIB_UDP6ROW_OWNER_MODULE, dwLocalScopeId),
	F(MIB_UDP6ROW_OWNER_MODULE, dwLocalPort), F(MIB_UDP6ROW_OWNER_MODULE, dwOwningPid),
	F(MIB_UDP6ROW_OWNER_MODULE, liCreateTimestamp), F(MIB_UDP6ROW_OWNER_MODULE, dwFlags),
	F(MIB_UDP6ROW_OWNER_MODULE, OwningModuleInfo), F(MIB_UDP6TABLE_OWNER_MODULE, table),
	F(MIB_UDPSTATS, dwInDatagrams), F(MIB_UDPSTATS, dwNoPorts), F(MIB_UDPSTATS, dwInErrors),
	F(MIB_UDPSTATS, dwOutDatagrams), F(MIB_UDPSTATS, dwNumAddrs),
};
static const struct constant udp_constants[] = {
	C(UDP_TABLE_BASIC), C(UDP_TABLE_OWNER_PID), C(UDP_TABLE_OWNER_MODULE),
	C(SIZEOF_UDPTABLE(3)), C(SIZEOF_UDPTABLE_BASIC(3)), C(SIZEOF_UDPTABLE_OWNER_PID(3)),
	C(SIZEOF_UDPTABLE_OWNER_MODULE(3)), C(SIZEOF_UDP6TABLE_OWNER_PID(3)),
	C(SIZEOF_UDP6TABLE_OWNER_MODULE(3)),
	C(FIELD_OFFSET(MIB_UDP6TABLE_OWNER_MODULE, table[2])),
};

static const struct type owner_types[] = { T(TCPIP_OWNER_MODULE_BASIC_INFO) };
static const struct field owner_fields[] = {
	F(TCPIP_OWNER_MODULE_BASIC_INFO, pModuleName), F(TCPIP_OWNER_MODULE_BASIC_INFO, pModulePath),
};

/* The SIZEOF_* macros for 3 rows (mingw's SIZEOF_TCP6TABLE_OWNER_MODULE is wrong: left out
 * here; layout.sh checks that the bug is what the spec says). */
static const struct constant macros[] = {
	C(SIZEOF_TCPTABLE(3)), C(SIZEOF_TCPTABLE_OWNER_PID(3)), C(SIZEOF_TCPTABLE_OWNER_MODULE(3)),
	C(SIZEOF_TCP6TABLE_OWNER_PID(3)), C(ANY_SIZE), C(TCPIP_OWNING_MODULE_SIZE),
	C(ALIGN_SIZE), C(MIB_TCP_MAXCONN_DYNAMIC), C(FIELD_OFFSET(MIB_TCPTABLE_OWNER_MODULE, table[2])),
};

static const struct constant constants[] = {
	C(MIB_TCP_STATE_CLOSED), C(MIB_TCP_STATE_LISTEN), C(MIB_TCP_STATE_SYN_SENT),
	C(MIB_TCP_STATE_SYN_RCVD), C(MIB_TCP_STATE_ESTAB), C(MIB_TCP_STATE_FIN_WAIT1),
	C(MIB_TCP_STATE_FIN_WAIT2), C(MIB_TCP_STATE_CLOSE_WAIT), C(MIB_TCP_STATE_CLOSING),
	C(MIB_TCP_STATE_LAST_ACK), C(MIB_TCP_STATE_TIME_WAIT), C(MIB_TCP_STATE_DELETE_TCB),
	C(TcpConnectionOffloadStateInHost), C(TcpConnectionOffloadStateOffloading),
	C(TcpConnectionOffloadStateOffloaded), C(TcpConnectionOffloadStateUploading),
	C(TcpConnectionOffloadStateMax),
	C(TCP_TABLE_BASIC_LISTENER), C(TCP_TABLE_BASIC_CONNECTIONS), C(TCP_TABLE_BASIC_ALL),
	C(TCP_TABLE_OWNER_PID_LISTENER), C(TCP_TABLE_OWNER_PID_CONNECTIONS),
	C(TCP_TABLE_OWNER_PID_ALL), C(TCP_TABLE_OWNER_MODULE_LISTENER),
	C(TCP_TABLE_OWNER_MODULE_CONNECTIONS), C(TCP_TABLE_OWNER_MODULE_ALL),
	C(TCPIP_OWNER_MODULE_INFO_BASIC), C(MIB_TCP_RTO_OTHER), C(MIB_TCP_RTO_CONSTANT),
	C(MIB_TCP_RTO_RSRE), C(MIB_TCP_RTO_VANJ),
	C(AF_UNSPEC), C(AF_INET), C(INADDR_ANY), C(INADDR_LOOPBACK),
	C(INADDR_NONE), C(INET_ADDRSTRLEN), C(INET6_ADDRSTRLEN), C(WSADESCRIPTION_LEN),
	C(WSASYS_STATUS_LEN), C(SOCKET_ERROR), C(INVALID_SOCKET),
	C(FORMAT_MESSAGE_ALLOCATE_BUFFER), C(FORMAT_MESSAGE_IGNORE_INSERTS),
	C(FORMAT_MESSAGE_FROM_STRING), C(FORMAT_MESSAGE_FROM_HMODULE),
	C(FORMAT_MESSAGE_FROM_SYSTEM), C(FORMAT_MESSAGE_ARGUMENT_ARRAY),
	C(FORMAT_MESSAGE_MAX_WIDTH_MASK), C(LANG_NEUTRAL), C(LANG_ENGLISH), C(SUBLANG_NEUTRAL),
	C(SUBLANG_DEFAULT), C(SUBLANG_SYS_DEFAULT), C(SUBLANG_ENGLISH_US),
	C(MAKELANGID(LANG_NEUTRAL, SUBLANG_DEFAULT)), C(MAKEWORD(2, 2)), C(HEAP_ZERO_MEMORY),
	C(HEAP_NO_SERIALIZE), C(HEAP_GENERATE_EXCEPTIONS), C(LMEM_FIXED), C(LMEM_ZEROINIT),
	C(LPTR), C(GPTR), C(CP_ACP), C(CP_UTF8), C(TRUE), C(FALSE),
	C(MAX_PATH), C(TH32CS_SNAPHEAPLIST), C(TH32CS_SNAPPROCESS),
	C(TH32CS_SNAPTHREAD), C(TH32CS_SNAPMODULE), C(TH32CS_SNAPMODULE32), C(TH32CS_SNAPALL),
	C(TH32CS_INHERIT), C(SYNCHRONIZE), C(STANDARD_RIGHTS_REQUIRED), C(PROCESS_TERMINATE),
	C(PROCESS_CREATE_THREAD), C(PROCESS_VM_OPERATION), C(PROCESS_VM_READ),
	C(PROCESS_VM_WRITE), C(PROCESS_DUP_HANDLE), C(PROCESS_CREATE_PROCESS),
	C(PROCESS_SET_QUOTA), C(PROCESS_SET_INFORMATION), C(PROCESS_QUERY_INFORMATION),
	C(PROCESS_SUSPEND_RESUME), C(PROCESS_QUERY_LIMITED_INFORMATION), C(PROCESS_ALL_ACCESS),
	C(PROCESS_NAME_NATIVE), C(PSAPI_VERSION), C(AF_INET), C(PF_INET),
	C(TcpConnectionEstatsSynOpts), C(TcpConnectionEstatsData), C(TcpConnectionEstatsSndCong),
	C(TcpConnectionEstatsPath), C(TcpConnectionEstatsSendBuff), C(TcpConnectionEstatsRec),
	C(TcpConnectionEstatsObsRec), C(TcpConnectionEstatsBandwidth),
	C(TcpConnectionEstatsFineRtt), C(TcpConnectionEstatsMaximum), C(TcpBoolOptDisabled),
	C(TcpBoolOptEnabled), C(TcpBoolOptUnchanged),
};

static const struct constant errors[] = {
	C(NO_ERROR), C(ERROR_SUCCESS), C(ERROR_INVALID_FUNCTION), C(ERROR_FILE_NOT_FOUND),
	C(ERROR_PATH_NOT_FOUND), C(ERROR_TOO_MANY_OPEN_FILES), C(ERROR_ACCESS_DENIED),
	C(ERROR_INVALID_HANDLE), C(ERROR_NOT_ENOUGH_MEMORY), C(ERROR_INVALID_DATA),
	C(ERROR_NO_MORE_FILES),
	C(ERROR_OUTOFMEMORY), C(ERROR_NOT_READY), C(ERROR_BAD_LENGTH), C(ERROR_GEN_FAILURE),
	C(ERROR_HANDLE_EOF), C(ERROR_NOT_SUPPORTED), C(ERROR_NETWORK_ACCESS_DENIED),
	C(ERROR_INVALID_PARAMETER), C(ERROR_CALL_NOT_IMPLEMENTED), C(ERROR_INSUFFICIENT_BUFFER),
	C(ERROR_BUSY), C(ERROR_ALREADY_EXISTS), C(ERROR_NO_DATA), C(ERROR_MORE_DATA),
	C(ERROR_NO_MORE_ITEMS), C(ERROR_PARTIAL_COPY), C(ERROR_MR_MID_NOT_FOUND),
	C(ERROR_ARITHMETIC_OVERFLOW), C(ERROR_DEVICE_NOT_CONNECTED), C(ERROR_NOT_FOUND),
	C(ERROR_CONNECTION_REFUSED), C(ERROR_CONNECTION_ABORTED), C(ERROR_RETRY),
	C(ERROR_NO_SYSTEM_RESOURCES), C(ERROR_TIMEOUT), C(ERROR_INVALID_USER_BUFFER),
	C(ERROR_RESOURCE_LANG_NOT_FOUND), C(WSABASEERR), C(WSAEINVAL), C(WSAEFAULT),
	C(WSAEAFNOSUPPORT), C(WSASYSNOTREADY), C(WSAVERNOTSUPPORTED), C(WSANOTINITIALISED),
};

#define N(a) (sizeof(a) / sizeof((a)[0]))

static void print_types(const struct type *t, size_t n)
{
	for (size_t i = 0; i < n; i++)
		printf("_Static_assert(sizeof(%s) == %zu && _Alignof(%s) == %zu, \"%s: size %zu, align %zu\");\n",
		       t[i].name, t[i].size, t[i].name, t[i].align, t[i].name, t[i].size, t[i].align);
}

static void print_fields(const struct field *f, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (f[i].size == 0)
			printf("_Static_assert(offsetof(%s, %s) == %zu, \"%s.%s: offset %zu\");\n",
			       f[i].type, f[i].field, f[i].offset, f[i].type, f[i].field,
			       f[i].offset);
		else
			printf("_Static_assert(offsetof(%s, %s) == %zu && sizeof(((%s *)0)->%s) == %zu, "
		       "\"%s.%s: offset %zu, size %zu\");\n",
		       f[i].type, f[i].field, f[i].offset, f[i].type, f[i].field, f[i].size,
		       f[i].type, f[i].field, f[i].offset, f[i].size);
}

static void print_counts(const struct count *c, size_t n)
{
	for (size_t i = 0; i < n; i++)
		printf("_Static_assert(sizeof(((%s *)0)->%s) / sizeof(((%s *)0)->%s[0]) == %zu, "
		       "\"%s.%s: %zu elements\");\n",
		       c[i].type, c[i].field, c[i].type, c[i].field, c[i].n, c[i].type, c[i].field,
		       c[i].n);
}

static void print_constants(const struct constant *c, size_t n)
{
	for (size_t i = 0; i < n; i++)
		printf("_Static_assert((DWORD)(%s) == %lluu, \"%s == %llu\");\n", c[i].name,
		       c[i].value, c[i].name, c[i].value);
}

static const char *const groups[] = { "types", "ipv4", "ipv6", "stats", "owner", "process",
				      "macros", "constants", "errors", "udp" };

int main(int argc, char **argv)
{
	if (argc == 2 && strcmp(argv[1], "--groups") == 0) {
		for (size_t i = 0; i < N(groups); i++)
			puts(groups[i]);
		return 0;
	}
	if (argc != 2)
		return fputs("usage: layout_gen GROUP | --groups\n", stderr), 2;
	const char *g = argv[1];
	printf("/* generated by layout_gen %s from libiphlpapi's headers */\n", g);
	printf("#include <winsock2.h>\n#include <ws2tcpip.h>\n#include <iphlpapi.h>\n"
	       "#include <tlhelp32.h>\n#include <psapi.h>\n#include <tcpestats.h>\n"
	       "#include <stddef.h>\n");
	/* mingw-w64 keeps ALIGN_SIZE in rtinfo.h, as the SDK does; ours has it in tcpmib.h. */
	printf("#if __has_include(<rtinfo.h>)\n#include <rtinfo.h>\n#endif\n");
	if (!strcmp(g, "types"))
		print_types(types, N(types)), print_fields(type_fields, N(type_fields));
	else if (!strcmp(g, "ipv4"))
		print_types(ipv4_types, N(ipv4_types)), print_fields(ipv4_fields, N(ipv4_fields));
	else if (!strcmp(g, "ipv6"))
		print_types(ipv6_types, N(ipv6_types)), print_fields(ipv6_fields, N(ipv6_fields));
	else if (!strcmp(g, "stats"))
		print_types(stats_types, N(stats_types)), print_fields(stats_fields, N(stats_fields));
	else if (!strcmp(g, "owner"))
		print_types(owner_types, N(owner_types)), print_fields(owner_fields, N(owner_fields));
	else if (!strcmp(g, "process"))
		print_types(process_types, N(process_types)),
			print_fields(process_fields, N(process_fields)),
			print_counts(process_counts, N(process_counts));
	else if (!strcmp(g, "macros"))
		print_constants(macros, N(macros));
	else if (!strcmp(g, "constants"))
		print_constants(constants, N(constants));
	else if (!strcmp(g, "errors"))
		print_constants(errors, N(errors));
	else if (!strcmp(g, "udp"))
		print_types(udp_types, N(udp_types)), print_fields(udp_fields, N(udp_fields)),
			print_constants(udp_constants, N(udp_constants));
	else
		return fprintf(stderr, "layout_gen: unknown group %s\n", g), 2;
	return 0;
}
