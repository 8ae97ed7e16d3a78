/*
 * iphlpapi.h - the Windows IP Helper TCP and UDP functions for Linux (libiphlpapi, part of
 * tcptable).
 *
 * Build: cc prog.c $(pkg-config --cflags --libs iphlpapi)
 *
 * Every function reports the TCP sockets of the whole host (every process, every user) in the
 * calling thread's network namespace, through libtcptable (netlink sock_diag, or
 * /proc/net/tcp{,6}). The functions return their error (they never set GetLastError()).
 *
 * Common to the table functions (GetTcpTable, GetTcpTable2, GetTcp6Table, GetTcp6Table2,
 * GetExtendedTcpTable), the Windows two-call contract:
 *   - size pointer NULL                         -> ERROR_INVALID_PARAMETER
 *   - table NULL, or *size < the bytes needed   -> ERROR_INSUFFICIENT_BUFFER and *size = the
 *                                                  exact bytes needed; nothing else written
 *   - a table larger than a DWORD can describe  -> ERROR_INSUFFICIENT_BUFFER and *size =
 *     (about 178 million IPv4 rows)                 0xFFFFFFFF: no buffer will ever do
 *   - otherwise                                 -> NO_ERROR, the table filled, and *size set
 *                                                  to the bytes used (as Wine does; Windows
 *                                                  leaves it undocumented). No byte past the
 *                                                  first *size bytes is ever written.
 *   The bytes needed for n rows are FIELD_OFFSET(table, table[n]): no slack is asked for, so
 *   an empty table needs 4 bytes and sizeof(MIB_TCPTABLE) (24) holds one row.
 *   Order TRUE sorts ascending by local address (as a number), [local scope id,] local port,
 *   remote address, [remote scope id,] remote port; FALSE keeps the kernel's order.
 *
 * Snapshot reuse (a choice of this library): a call that answers ERROR_INSUFFICIENT_BUFFER
 * keeps the table it measured, for the calling thread only (thread-local storage, no shared
 * state). The next table call from that thread that passes a buffer, with the same function,
 * family, class and order, in the same network namespace, within one second, is answered
 * from that table (and releases it on success). A call without a buffer always measures
 * afresh. So the usual
 * "ask the size, allocate, call again" sequence succeeds on its second call however fast the
 * host's connections change, and returns the rows the size was measured for. Any other table
 * call from the thread discards the kept table.
 *
 * Rows:
 *   - addresses network order, ports htons(port) with the upper 16 bits 0, LISTEN rows with
 *     remote 0; scope ids as tcpmib.h says
 *   - dwOwningPid: the lowest pid of the processes holding the socket; 0 when none does or
 *     none may be inspected (TIME-WAIT and SYN-RECEIVED rows always have 0, as on Windows).
 *     A caller without privilege (not root, no CAP_SYS_PTRACE) gets 0 for the sockets of
 *     other users' processes: the kernel lets only their owner (or a privileged caller) read
 *     /proc/PID/fd, which is the only way to learn who holds a socket. Windows gives every
 *     pid to every caller; run elevated (as root) to get them all here.
 *   - dwOffloadState TcpConnectionOffloadStateInHost; liCreateTimestamp and OwningModuleInfo 0
 *   - states: Linux's, mapped to MIB_TCP_STATE_* (CLOSE -> CLOSED). A dual-stack socket bound
 *     to :: appears in the IPv6 table only, as on Windows.
 *
 * Families: AF_INET is 2; AF_INET6 is accepted as 23 (Windows) and 10 (Linux).
 */
#ifndef TCPT_WIN32_IPHLPAPI_H
#define TCPT_WIN32_IPHLPAPI_H

/* Windows programs include <winsock2.h> first; here iphlpapi.h brings it (AF_INET & co.) so
 * that a file including only <iphlpapi.h> builds too. */
#include "iprtrmib.h"
#include "udpmib.h"
#include "windows.h"
#include "winsock2.h"

#ifdef __cplusplus
extern "C" {
#endif

/* IPv4 sockets of every state, as MIB_TCPTABLE. See the common contract above.
 * Other errors: ERROR_NOT_SUPPORTED (no way to read the kernel's table),
 * ERROR_NOT_ENOUGH_MEMORY, or the Win32 mapping of a libtcptable error. */
IPHLPAPI_DLL_LINKAGE ULONG WINAPI GetTcpTable(PMIB_TCPTABLE TcpTable, PULONG SizePointer,
					      BOOL Order);

/* IPv4 sockets of every state with owning pid and offload state, as MIB_TCPTABLE2. */
IPHLPAPI_DLL_LINKAGE ULONG WINAPI GetTcpTable2(PMIB_TCPTABLE2 TcpTable, PULONG SizePointer,
					       BOOL Order);

/* IPv6 sockets of every state, as MIB_TCP6TABLE. */
IPHLPAPI_DLL_LINKAGE ULONG WINAPI GetTcp6Table(PMIB_TCP6TABLE TcpTable, PULONG SizePointer,
					       BOOL Order);

/* IPv6 sockets of every state with owning pid and offload state, as MIB_TCP6TABLE2. */
IPHLPAPI_DLL_LINKAGE ULONG WINAPI GetTcp6Table2(PMIB_TCP6TABLE2 TcpTable, PULONG SizePointer,
						BOOL Order);

/*
 * The sockets of family ULAF in the shape TABLECLASS names (see TCP_TABLE_CLASS):
 * MIB_TCPTABLE / _OWNER_PID / _OWNER_MODULE for AF_INET, MIB_TCP6TABLE_OWNER_PID /
 * _OWNER_MODULE for AF_INET6. Checks, in order: ULAF not AF_INET/AF_INET6 (2, 23, 10) ->
 * ERROR_INVALID_PARAMETER; PDWSIZE NULL -> ERROR_INVALID_PARAMETER; TABLECLASS above 8 ->
 * ERROR_INVALID_PARAMETER; AF_INET6 with a TCP_TABLE_BASIC_* class -> ERROR_NOT_SUPPORTED
 * (as documented; Wine returns a MIB_TCP6TABLE instead). RESERVED is ignored (as Wine does).
 * Then the common contract above.
 */
IPHLPAPI_DLL_LINKAGE DWORD WINAPI GetExtendedTcpTable(PVOID pTcpTable, PDWORD pdwSize,
						      BOOL bOrder, ULONG ulAf,
						      TCP_TABLE_CLASS TableClass, ULONG Reserved);

/*
 * The executable of the process PTCPENTRY->dwOwningPid, as a TCPIP_OWNER_MODULE_BASIC_INFO
 * followed in PBUFFER by its UTF-16 strings: pModuleName (the file name) then pModulePath
 * (the full path, from /proc/PID/exe, UTF-8 decoded; invalid bytes become U+FFFD). Only the
 * pid of the row is used.
 * Returns NO_ERROR (and *PDWSIZE = the bytes used);
 *   ERROR_INVALID_PARAMETER   PTCPENTRY or PDWSIZE NULL, CLASS not TCPIP_OWNER_MODULE_INFO_BASIC
 *   ERROR_NOT_FOUND           dwOwningPid 0 or no such process
 *   ERROR_INSUFFICIENT_BUFFER PBUFFER NULL or *PDWSIZE too small: *PDWSIZE = bytes needed,
 *                             nothing written to PBUFFER
 * A process without an executable (a kernel thread) is reported as "System" for both strings,
 * as Windows reports kernel-owned endpoints. A process whose executable the caller may not
 * read (another user's, without privilege) gives empty strings and NO_ERROR, as Windows does
 * for protected processes.
 */
IPHLPAPI_DLL_LINKAGE DWORD WINAPI GetOwnerModuleFromTcpEntry(PMIB_TCPROW_OWNER_MODULE pTcpEntry,
							     TCPIP_OWNER_MODULE_INFO_CLASS Class,
							     PVOID pBuffer, PDWORD pdwSize);

/* The same for an IPv6 row. */
IPHLPAPI_DLL_LINKAGE DWORD WINAPI GetOwnerModuleFromTcp6Entry(PMIB_TCP6ROW_OWNER_MODULE pTcpEntry,
							      TCPIP_OWNER_MODULE_INFO_CLASS Class,
							      PVOID pBuffer, PDWORD pdwSize);

/* GetTcpStatisticsEx(Statistics, AF_INET). */
IPHLPAPI_DLL_LINKAGE ULONG WINAPI GetTcpStatistics(PMIB_TCPSTATS Statistics);

/*
 * The kernel's TCP counters (/proc/net/snmp of the calling thread's namespace). Linux counts
 * IPv4 and IPv6 together, so both families give the same counters; dwNumConns is counted
 * the same way (every non-LISTEN socket of both families), so that dwNumConns >= dwCurrEstab.
 * dwInSegs/dwOutSegs are the low 32 bits; dwRtoAlgorithm, dwRtoMin, dwRtoMax and dwMaxConn
 * are the kernel's values (1 = other, 200, 120000, MIB_TCP_MAXCONN_DYNAMIC).
 * Returns NO_ERROR; ERROR_INVALID_PARAMETER for a NULL STATISTICS or a FAMILY other than
 * AF_INET/AF_INET6 (2, 23, 10); ERROR_NOT_SUPPORTED when the counters cannot be read.
 * *STATISTICS is untouched on failure.
 */
IPHLPAPI_DLL_LINKAGE ULONG WINAPI GetTcpStatisticsEx(PMIB_TCPSTATS Statistics, ULONG Family);

/* The same with 64-bit dw64InSegs/dw64OutSegs (MIB_TCPSTATS2). */
IPHLPAPI_DLL_LINKAGE ULONG WINAPI GetTcpStatisticsEx2(PMIB_TCPSTATS2 Statistics, ULONG Family);

/*
 * Close the IPv4 connection PTCPROW names by local and remote address and port: only
 * dwState MIB_TCP_STATE_DELETE_TCB is allowed, and it resets the connection (netlink
 * SOCK_DESTROY: the local socket gets ECONNABORTED, the peer a RST).
 * Returns NO_ERROR;
 *   ERROR_INVALID_PARAMETER  PTCPROW NULL (Windows crashes), or dwState not DELETE_TCB
 *   317 (ERROR_MR_MID_NOT_FOUND)
 *                            the caller lacks CAP_NET_ADMIN: what Windows returns to a
 *                            non-elevated caller, checked before the connection is looked up
 *   ERROR_NOT_FOUND          no such connection; also for a LISTEN row (remote address and
 *                            port 0), which names no connection: the listener stays open
 *                            (Windows documents the function for connections only)
 *   ERROR_NOT_SUPPORTED      the kernel cannot destroy sockets (CONFIG_INET_DIAG_DESTROY)
 *   or the Win32 mapping of another libtcptable error.
 */
IPHLPAPI_DLL_LINKAGE DWORD WINAPI SetTcpEntry(PMIB_TCPROW pTcpRow);

/* ---- UDP ------------------------------------------------------------------------------
 * The UDP functions follow the TCP ones: the same two-call contract, snapshot reuse, error
 * codes and families (see the top of this file). Their rows are every UDP socket of the
 * family, connected or not (udpmib.h); Order TRUE sorts by local address (as a number),
 * [local scope id,] then local port (rows equal in those keep their remote end's order). */

/* IPv4 UDP sockets as MIB_UDPTABLE. Errors as GetTcpTable(). */
IPHLPAPI_DLL_LINKAGE ULONG WINAPI GetUdpTable(PMIB_UDPTABLE UdpTable, PULONG SizePointer,
					      BOOL Order);

/* IPv6 UDP sockets as MIB_UDP6TABLE. */
IPHLPAPI_DLL_LINKAGE ULONG WINAPI GetUdp6Table(PMIB_UDP6TABLE Udp6Table, PULONG SizePointer,
					       BOOL Order);

/*
 * The UDP sockets of family ULAF in the shape TABLECLASS names: MIB_UDPTABLE, _OWNER_PID or
 * _OWNER_MODULE for AF_INET; MIB_UDP6TABLE, MIB_UDP6TABLE_OWNER_PID or _OWNER_MODULE for
 * AF_INET6 (for AF_INET6 with UDP_TABLE_BASIC Windows documents nothing and Wine returns
 * MIB_UDP6TABLE; so does this library). Checks, in order: ULAF not AF_INET/AF_INET6 (2, 23,
 * 10) -> ERROR_INVALID_PARAMETER; PDWSIZE NULL -> ERROR_INVALID_PARAMETER; TABLECLASS above 2
 * -> ERROR_INVALID_PARAMETER. RESERVED is ignored. Then the common contract.
 */
IPHLPAPI_DLL_LINKAGE DWORD WINAPI GetExtendedUdpTable(PVOID pUdpTable, PDWORD pdwSize,
						      BOOL bOrder, ULONG ulAf,
						      UDP_TABLE_CLASS TableClass, ULONG Reserved);

/* GetOwnerModuleFromTcpEntry() for a UDP row: the executable of PUDPENTRY->dwOwningPid, with
 * the same results and errors. */
IPHLPAPI_DLL_LINKAGE DWORD WINAPI GetOwnerModuleFromUdpEntry(PMIB_UDPROW_OWNER_MODULE pUdpEntry,
							     TCPIP_OWNER_MODULE_INFO_CLASS Class,
							     PVOID pBuffer, PDWORD pdwSize);

/* The same for an IPv6 row. */
IPHLPAPI_DLL_LINKAGE DWORD WINAPI GetOwnerModuleFromUdp6Entry(PMIB_UDP6ROW_OWNER_MODULE pUdpEntry,
							      TCPIP_OWNER_MODULE_INFO_CLASS Class,
							      PVOID pBuffer, PDWORD pdwSize);

/* GetUdpStatisticsEx(Stats, AF_INET). */
IPHLPAPI_DLL_LINKAGE ULONG WINAPI GetUdpStatistics(PMIB_UDPSTATS Stats);

/*
 * The kernel's UDP counters of FAMILY: /proc/net/snmp "Udp:" for AF_INET, /proc/net/snmp6
 * "Udp6" for AF_INET6 (Linux counts the families apart, as Windows does), the low 32 bits;
 * dwNumAddrs is the number of rows GetUdpTable (GetUdp6Table) would return now.
 * Returns NO_ERROR; ERROR_INVALID_PARAMETER for a NULL STATISTICS or a FAMILY other than
 * AF_INET/AF_INET6 (2, 23, 10); ERROR_NOT_SUPPORTED when the counters cannot be read (IPv6
 * disabled: no snmp6). *STATISTICS is untouched on failure.
 */
IPHLPAPI_DLL_LINKAGE ULONG WINAPI GetUdpStatisticsEx(PMIB_UDPSTATS Statistics, ULONG Family);

/* The same with 64-bit dw64InDatagrams/dw64OutDatagrams (MIB_UDPSTATS2). */
IPHLPAPI_DLL_LINKAGE ULONG WINAPI GetUdpStatisticsEx2(PMIB_UDPSTATS2 Statistics, ULONG Family);

#ifdef __cplusplus
}
#endif

#endif
