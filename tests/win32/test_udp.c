/* test_udp.c - the IP Helper UDP functions against sockets the test makes in a private
 * network namespace: exact rows, the two-call contract through every path, order, classes,
 * families, owner modules and statistics. */
#include <iphlpapi.h>

#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "table.h"
#include "wsock.h"

#define CANARY 0xA5

static DWORD port_dw(uint16_t port)
{
	return (DWORD)htons(port);
}

static DWORD addr_dw(const char *text)
{
	DWORD d;
	wsock_addr(text, (uint8_t *)&d);
	return d;
}

static int setup(void **state)
{
	(void)state;
	wsock_fresh_netns();
	return 0;
}

/* GetExtendedUdpTable, two calls, the table in a malloc'd buffer. */
static void *extended(ULONG af, UDP_TABLE_CLASS cls, BOOL order)
{
	DWORD size = 0;
	assert_int_equal(ERROR_INSUFFICIENT_BUFFER,
			 GetExtendedUdpTable(NULL, &size, order, af, cls, 0));
	void *t = malloc(size);
	assert_non_null(t);
	assert_int_equal(NO_ERROR, GetExtendedUdpTable(t, &size, order, af, cls, 0));
	return t;
}

static PMIB_UDPTABLE udptable(BOOL order)
{
	ULONG size = 0;
	assert_int_equal(ERROR_INSUFFICIENT_BUFFER, GetUdpTable(NULL, &size, order));
	PMIB_UDPTABLE t = malloc(size);
	assert_int_equal(NO_ERROR, GetUdpTable(t, &size, order));
	assert_int_equal(offsetof(MIB_UDPTABLE, table[t->dwNumEntries]), size);
	return t;
}

static void empty_namespace_needs_the_header_only(void **state)
{
	(void)state;
	ULONG size = 0;
	assert_int_equal(ERROR_INSUFFICIENT_BUFFER, GetUdpTable(NULL, &size, TRUE));
	assert_int_equal(4, size);
	DWORD n = 0xFFFFFFFF;
	assert_int_equal(NO_ERROR, GetUdpTable((PMIB_UDPTABLE)&n, &size, TRUE));
	assert_int_equal(0, n);
	size = 0;
	assert_int_equal(ERROR_INSUFFICIENT_BUFFER, GetUdp6Table(NULL, &size, TRUE));
	assert_int_equal(4, size);
	static const DWORD headers[3] = { 4, 4, 8 };
	for (int c = 0; c < 3; c++)
		for (ULONG af = 2; af <= 23; af += af == 2 ? 8 : 13) {
			size = 0;
			assert_int_equal(ERROR_INSUFFICIENT_BUFFER,
					 GetExtendedUdpTable(NULL, &size, TRUE, af,
							     (UDP_TABLE_CLASS)c, 0));
			assert_int_equal(headers[c], size);
		}
}

static void null_size_and_bad_arguments_in_windows_order(void **state)
{
	(void)state;
	char buf[64];
	DWORD size = 0;
	assert_int_equal(ERROR_INVALID_PARAMETER, GetUdpTable((void *)buf, NULL, TRUE));
	assert_int_equal(ERROR_INVALID_PARAMETER, GetUdp6Table((void *)buf, NULL, TRUE));
	assert_int_equal(ERROR_INVALID_PARAMETER,
			 GetExtendedUdpTable(buf, NULL, TRUE, AF_INET, UDP_TABLE_BASIC, 0));
	assert_int_equal(ERROR_INVALID_PARAMETER,
			 GetExtendedUdpTable(NULL, NULL, TRUE, 7, UDP_TABLE_BASIC, 0));
	assert_int_equal(ERROR_INVALID_PARAMETER,
			 GetExtendedUdpTable(buf, &size, TRUE, 0, UDP_TABLE_BASIC, 0));
	assert_int_equal(ERROR_INVALID_PARAMETER,
			 GetExtendedUdpTable(buf, &size, TRUE, 7, UDP_TABLE_OWNER_PID, 0));
	assert_int_equal(ERROR_INVALID_PARAMETER,
			 GetExtendedUdpTable(buf, &size, TRUE, AF_INET, (UDP_TABLE_CLASS)3, 0));
	assert_int_equal(ERROR_INVALID_PARAMETER,
			 GetExtendedUdpTable(buf, &size, TRUE, 23, (UDP_TABLE_CLASS)-1, 0));
	assert_int_equal(0, size); /* untouched by every refusal */
	/* Reserved is ignored. */
	assert_int_equal(ERROR_INSUFFICIENT_BUFFER,
			 GetExtendedUdpTable(NULL, &size, TRUE, AF_INET, UDP_TABLE_BASIC, 99));
	assert_int_equal(4, size);
}

/* Bound and connected sockets are rows alike; TCP sockets are not; nor are IPv6 ones. */
static void every_udp_socket_is_a_row_and_only_those(void **state)
{
	(void)state;
	uint16_t p1, p2;
	int a = wsock_udp("127.0.0.1", NULL, 0, NULL, 0, &p1);
	int b = wsock_udp("127.0.0.1", NULL, 0, "127.0.0.1", p1, &p2);
	int tcp = wsock_listen("127.0.0.1", 0, NULL);
	int v6 = wsock_udp("::1", NULL, 0, NULL, 0, NULL);
	PMIB_UDPTABLE t = udptable(TRUE);
	assert_int_equal(2, t->dwNumEntries);
	MIB_UDPROW want[2] = {
		{ .dwLocalAddr = addr_dw("127.0.0.1"), .dwLocalPort = port_dw(p1 < p2 ? p1 : p2) },
		{ .dwLocalAddr = addr_dw("127.0.0.1"), .dwLocalPort = port_dw(p1 < p2 ? p2 : p1) },
	};
	assert_memory_equal(want, t->table, sizeof(want)); /* upper 16 bits of ports zero */
	free(t);
	wsock_close(a);
	wsock_close(b);
	wsock_close(tcp);
	wsock_close(v6);
}

static void owner_pid_and_owner_module_rows_are_exact(void **state)
{
	(void)state;
	uint16_t port;
	int fd = wsock_udp("127.0.0.1", NULL, 0, NULL, 0, &port);
	MIB_UDPTABLE_OWNER_PID *p = extended(AF_INET, UDP_TABLE_OWNER_PID, TRUE);
	assert_int_equal(1, p->dwNumEntries);
	MIB_UDPROW_OWNER_PID wp = { .dwLocalAddr = addr_dw("127.0.0.1"),
				    .dwLocalPort = port_dw(port), .dwOwningPid = (DWORD)getpid() };
	assert_memory_equal(&wp, &p->table[0], sizeof(wp));
	free(p);
	unsigned char *t = extended(AF_INET, UDP_TABLE_OWNER_MODULE, TRUE);
	assert_int_equal(1, ((MIB_UDPTABLE_OWNER_MODULE *)(void *)t)->dwNumEntries);
	for (int i = 4; i < 8; i++)
		assert_int_equal(0, t[i]);
	MIB_UDPROW_OWNER_MODULE wm;
	memset(&wm, 0, sizeof(wm));
	wm.dwLocalAddr = addr_dw("127.0.0.1");
	wm.dwLocalPort = port_dw(port);
	wm.dwOwningPid = (DWORD)getpid();
	assert_memory_equal(&wm, t + 8, sizeof(wm)); /* padding, flags, timestamp, info: 0 */
	free(t);
	wsock_close(fd);
}

static void ipv6_rows_have_addresses_scope_ids_and_pids(void **state)
{
	(void)state;
	uint16_t p1, p2, p3, pd;
	int a = wsock_udp("::1", NULL, 0, NULL, 0, &p1);
	int b = wsock_udp("::1", "lo", 0, NULL, 0, &p2);
	int c = wsock_udp("::1", NULL, 0, "::1", p1, &p3);
	int d = wsock_udp_dual(&pd);
	ULONG size = 0;
	assert_int_equal(ERROR_INSUFFICIENT_BUFFER, GetUdp6Table(NULL, &size, TRUE));
	assert_int_equal(4 + 4 * 24, size);
	PMIB_UDP6TABLE t = malloc(size);
	assert_int_equal(NO_ERROR, GetUdp6Table(t, &size, TRUE));
	assert_int_equal(4, t->dwNumEntries);
	uint8_t lo[16], any[16] = { 0 };
	wsock_addr("::1", lo);
	/* sorted by address ([::] first), then scope id (unbound first), then port */
	assert_memory_equal(any, t->table[0].dwLocalAddr.u.Byte, 16);
	assert_int_equal(port_dw(pd), t->table[0].dwLocalPort);
	uint16_t unbound_lo = p1 < p3 ? p1 : p3, unbound_hi = p1 < p3 ? p3 : p1;
	assert_int_equal(port_dw(unbound_lo), t->table[1].dwLocalPort);
	assert_int_equal(port_dw(unbound_hi), t->table[2].dwLocalPort);
	assert_int_equal(port_dw(p2), t->table[3].dwLocalPort);
	for (int i = 1; i < 4; i++) {
		assert_memory_equal(lo, t->table[i].dwLocalAddr.u.Byte, 16);
		assert_int_equal(i == 3 ? 1 : 0, t->table[i].dwLocalScopeId); /* lo is 1 */
	}
	free(t);
	MIB_UDP6TABLE_OWNER_PID *o = extended(23, UDP_TABLE_OWNER_PID, TRUE);
	assert_int_equal(4, o->dwNumEntries);
	for (int i = 0; i < 4; i++)
		assert_int_equal(getpid(), o->table[i].dwOwningPid);
	assert_int_equal(1, o->table[3].dwLocalScopeId);
	free(o);
	/* The dual-stack socket is not an IPv4 row. */
	ULONG s4 = 0;
	assert_int_equal(ERROR_INSUFFICIENT_BUFFER, GetUdpTable(NULL, &s4, TRUE));
	assert_int_equal(4, s4);
	wsock_close(a);
	wsock_close(b);
	wsock_close(c);
	wsock_close(d);
}

static void af_inet6_as_23_and_10_and_basic_class_give_the_same_rows(void **state)
{
	(void)state;
	int a = wsock_udp("::1", NULL, 0, NULL, 0, NULL), b = wsock_udp("::2", NULL, 0, NULL, 0, NULL);
	void *x = extended(23, UDP_TABLE_OWNER_PID, TRUE);
	void *y = extended(10, UDP_TABLE_OWNER_PID, TRUE);
	assert_memory_equal(x, y, offsetof(MIB_UDP6TABLE_OWNER_PID, table[2]));
	void *basic = extended(23, UDP_TABLE_BASIC, TRUE);
	ULONG size = 0;
	assert_int_equal(ERROR_INSUFFICIENT_BUFFER, GetUdp6Table(NULL, &size, TRUE));
	void *plain = malloc(size);
	assert_int_equal(NO_ERROR, GetUdp6Table(plain, &size, TRUE));
	assert_int_equal(offsetof(MIB_UDP6TABLE, table[2]), size);
	assert_memory_equal(basic, plain, size);
	free(x);
	free(y);
	free(basic);
	free(plain);
	wsock_close(a);
	wsock_close(b);
}

static void every_class_and_family_has_its_row_size(void **state)
{
	(void)state;
	static const size_t v4[3] = { 8, 12, 160 }, v6[3] = { 24, 28, 176 };
	int a = wsock_udp("127.0.0.1", NULL, 0, NULL, 0, NULL);
	int b = wsock_udp("::1", NULL, 0, NULL, 0, NULL);
	for (int c = 0; c < 3; c++) {
		DWORD size = 0;
		assert_int_equal(ERROR_INSUFFICIENT_BUFFER,
				 GetExtendedUdpTable(NULL, &size, TRUE, AF_INET, (UDP_TABLE_CLASS)c, 0));
		assert_int_equal((c == 2 ? 8 : 4) + v4[c], size);
		size = 0;
		assert_int_equal(ERROR_INSUFFICIENT_BUFFER,
				 GetExtendedUdpTable(NULL, &size, TRUE, 23, (UDP_TABLE_CLASS)c, 0));
		assert_int_equal((c == 2 ? 8 : 4) + v6[c], size);
	}
	wsock_close(a);
	wsock_close(b);
}

static void short_buffer_gets_exact_size_and_no_write(void **state)
{
	(void)state;
	int a = wsock_udp("127.0.0.1", NULL, 0, NULL, 0, NULL);
	int b = wsock_udp("127.0.0.2", NULL, 0, NULL, 0, NULL);
	unsigned char buf[256];
	memset(buf, CANARY, sizeof(buf));
	ULONG size = 12; /* needs 4 + 2 * 8 = 20 */
	assert_int_equal(ERROR_INSUFFICIENT_BUFFER, GetUdpTable((void *)buf, &size, TRUE));
	assert_int_equal(20, size);
	for (size_t i = 0; i < sizeof(buf); i++)
		assert_int_equal(CANARY, buf[i]);
	assert_int_equal(NO_ERROR, GetUdpTable((void *)buf, &size, TRUE));
	assert_int_equal(20, size);
	for (size_t i = 20; i < sizeof(buf); i++)
		assert_int_equal(CANARY, buf[i]);
	/* the same through the extended function */
	memset(buf, CANARY, sizeof(buf));
	DWORD dsize = 27; /* needs 4 + 2 * 12 = 28 */
	assert_int_equal(ERROR_INSUFFICIENT_BUFFER,
			 GetExtendedUdpTable(buf, &dsize, TRUE, AF_INET, UDP_TABLE_OWNER_PID, 0));
	assert_int_equal(28, dsize);
	assert_int_equal(CANARY, buf[0]);
	assert_int_equal(NO_ERROR,
			 GetExtendedUdpTable(buf, &dsize, TRUE, AF_INET, UDP_TABLE_OWNER_PID, 0));
	assert_int_equal(CANARY, buf[28]);
	wsock_close(a);
	wsock_close(b);
}

static void msdn_sample_starting_with_sizeof_table_succeeds_on_second_call(void **state)
{
	(void)state;
	int fds[3];
	for (int i = 0; i < 3; i++)
		fds[i] = wsock_udp("127.0.0.1", NULL, 0, NULL, 0, NULL);
	PMIB_UDPTABLE t = malloc(sizeof(MIB_UDPTABLE));
	ULONG size = sizeof(MIB_UDPTABLE);
	assert_int_equal(ERROR_INSUFFICIENT_BUFFER, GetUdpTable(t, &size, TRUE));
	assert_int_equal(4 + 3 * 8, size);
	free(t);
	t = malloc(size);
	assert_int_equal(NO_ERROR, GetUdpTable(t, &size, TRUE));
	assert_int_equal(3, t->dwNumEntries);
	free(t);
	MIB_UDPTABLE one;
	wsock_close(fds[1]);
	wsock_close(fds[2]);
	size = sizeof(one); /* one row fits in sizeof(MIB_UDPTABLE) */
	assert_int_equal(NO_ERROR, GetUdpTable(&one, &size, TRUE));
	assert_int_equal(1, one.dwNumEntries);
	wsock_close(fds[0]);
}

/* Addresses compare as numbers (127.0.0.2 < 127.0.0.10 < 200.0.0.1), ports too. */
static void order_true_sorts_numerically(void **state)
{
	(void)state;
	static const struct { const char *addr; uint16_t port; } in[] = {
		{ "200.0.0.1", 1 }, { "127.0.0.10", 256 }, { "127.0.0.2", 256 },
		{ "127.0.0.2", 1 }, { "127.0.0.10", 1 },
	};
	static const int order[] = { 3, 2, 4, 1, 0 };
	int fds[5];
	for (int i = 0; i < 5; i++)
		fds[i] = wsock_udp(in[i].addr, NULL, in[i].port, NULL, 0, NULL);
	PMIB_UDPTABLE t = udptable(TRUE);
	assert_int_equal(5, t->dwNumEntries);
	for (int i = 0; i < 5; i++) {
		assert_int_equal(addr_dw(in[order[i]].addr), t->table[i].dwLocalAddr);
		assert_int_equal(port_dw(in[order[i]].port), t->table[i].dwLocalPort);
	}
	free(t);
	PMIB_UDPTABLE u = udptable(FALSE); /* the same rows, in some order */
	assert_int_equal(5, u->dwNumEntries);
	for (int i = 0; i < 5; i++) {
		int found = 0;
		for (int k = 0; k < 5; k++)
			found += u->table[k].dwLocalAddr == addr_dw(in[i].addr) &&
				 u->table[k].dwLocalPort == port_dw(in[i].port);
		assert_int_equal(1, found);
	}
	free(u);
	for (int i = 0; i < 5; i++)
		wsock_close(fds[i]);
}

static void size_query_then_fill_returns_the_measured_table(void **state)
{
	(void)state;
	int a = wsock_udp("127.0.0.1", NULL, 0, NULL, 0, NULL);
	ULONG size = 0;
	assert_int_equal(ERROR_INSUFFICIENT_BUFFER, GetUdpTable(NULL, &size, TRUE));
	assert_int_equal(12, size);
	int b = wsock_udp("127.0.0.2", NULL, 0, NULL, 0, NULL); /* churn between the calls */
	unsigned char buf[64];
	assert_int_equal(NO_ERROR, GetUdpTable((void *)buf, &size, TRUE));
	assert_int_equal(1, ((MIB_UDPTABLE *)buf)->dwNumEntries);
	size = sizeof(buf);
	assert_int_equal(NO_ERROR, GetUdpTable((void *)buf, &size, TRUE));
	assert_int_equal(2, ((MIB_UDPTABLE *)buf)->dwNumEntries);
	/* a kept UDP table never answers a TCP call */
	size = 0;
	assert_int_equal(ERROR_INSUFFICIENT_BUFFER, GetUdpTable(NULL, &size, TRUE));
	size = sizeof(buf);
	assert_int_equal(NO_ERROR, GetTcpTable((void *)buf, &size, TRUE));
	assert_int_equal(0, ((MIB_TCPTABLE *)buf)->dwNumEntries);
	wsock_close(a);
	wsock_close(b);
}

static void table_larger_than_a_dword_cannot_be_sized(void **state)
{
	(void)state;
	const struct table_shape *shapes[] = { &shape_udptable, &shape_udp6table,
					       shape_extended_udp[0][1], shape_extended_udp[0][2],
					       shape_extended_udp[1][1], shape_extended_udp[1][2] };
	for (size_t i = 0; i < sizeof(shapes) / sizeof(shapes[0]); i++) {
		const struct table_shape *s = shapes[i];
		assert_int_equal(TCPT_PROTO_UDP, s->protocols);
		size_t fits = (UINT32_MAX - s->header) / s->row_size;
		assert_int_equal(s->header + fits * s->row_size, table_bytes_needed(s, fits));
		assert_int_equal(0, table_bytes_needed(s, fits + 1));
		assert_int_equal(0, table_bytes_needed(s, SIZE_MAX / 2));
		assert_int_equal(s->header, table_bytes_needed(s, 0));
	}
}

/* ---- owner modules ----------------------------------------------------------------------- */

static void narrow(const WCHAR *w, char *out, size_t size)
{
	size_t i = 0;
	for (; w[i] && i + 1 < size; i++)
		out[i] = (char)w[i];
	out[i] = '\0';
}

static void owner_module_from_a_udp_row_names_our_executable(void **state)
{
	(void)state;
	int fd = wsock_udp("127.0.0.1", NULL, 0, NULL, 0, NULL);
	MIB_UDPTABLE_OWNER_MODULE *t = extended(AF_INET, UDP_TABLE_OWNER_MODULE, TRUE);
	assert_int_equal(1, t->dwNumEntries);
	char exe[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	assert_true(n > 0);
	exe[n] = '\0';
	const char *base = strrchr(exe, '/') + 1;
	DWORD size = 0;
	assert_int_equal(ERROR_INSUFFICIENT_BUFFER,
			 GetOwnerModuleFromUdpEntry(&t->table[0], TCPIP_OWNER_MODULE_INFO_BASIC,
						    NULL, &size));
	DWORD want = (DWORD)(sizeof(TCPIP_OWNER_MODULE_BASIC_INFO) +
			     sizeof(WCHAR) * (strlen(base) + 1 + strlen(exe) + 1));
	assert_int_equal(want, size);
	unsigned char *buf = malloc(size + 16);
	memset(buf, CANARY, size + 16);
	DWORD small = size - 1;
	assert_int_equal(ERROR_INSUFFICIENT_BUFFER,
			 GetOwnerModuleFromUdpEntry(&t->table[0], TCPIP_OWNER_MODULE_INFO_BASIC,
						    buf, &small));
	assert_int_equal(CANARY, buf[0]);
	assert_int_equal(NO_ERROR, GetOwnerModuleFromUdpEntry(&t->table[0],
							      TCPIP_OWNER_MODULE_INFO_BASIC, buf,
							      &size));
	assert_int_equal(CANARY, buf[size]);
	TCPIP_OWNER_MODULE_BASIC_INFO *info = (void *)buf;
	char text[PATH_MAX];
	narrow(info->pModuleName, text, sizeof(text));
	assert_string_equal(base, text);
	narrow(info->pModulePath, text, sizeof(text));
	assert_string_equal(exe, text);
	free(buf);
	free(t);
	wsock_close(fd);

	int fd6 = wsock_udp("::1", NULL, 0, NULL, 0, NULL);
	MIB_UDP6TABLE_OWNER_MODULE *t6 = extended(23, UDP_TABLE_OWNER_MODULE, TRUE);
	assert_int_equal(1, t6->dwNumEntries);
	size = 0;
	assert_int_equal(ERROR_INSUFFICIENT_BUFFER,
			 GetOwnerModuleFromUdp6Entry(&t6->table[0], TCPIP_OWNER_MODULE_INFO_BASIC,
						     NULL, &size));
	assert_int_equal(want, size);
	free(t6);
	wsock_close(fd6);
}

static void owner_module_from_udp_rejects_bad_input(void **state)
{
	(void)state;
	MIB_UDPROW_OWNER_MODULE row;
	MIB_UDP6ROW_OWNER_MODULE row6;
	memset(&row, 0, sizeof(row));
	memset(&row6, 0, sizeof(row6));
	DWORD size = 0;
	assert_int_equal(ERROR_INVALID_PARAMETER,
			 GetOwnerModuleFromUdpEntry(NULL, TCPIP_OWNER_MODULE_INFO_BASIC, NULL, &size));
	assert_int_equal(ERROR_INVALID_PARAMETER,
			 GetOwnerModuleFromUdp6Entry(NULL, TCPIP_OWNER_MODULE_INFO_BASIC, NULL, &size));
	row.dwOwningPid = row6.dwOwningPid = (DWORD)getpid();
	assert_int_equal(ERROR_INVALID_PARAMETER,
			 GetOwnerModuleFromUdpEntry(&row, TCPIP_OWNER_MODULE_INFO_BASIC, NULL, NULL));
	assert_int_equal(ERROR_INVALID_PARAMETER,
			 GetOwnerModuleFromUdp6Entry(&row6, (TCPIP_OWNER_MODULE_INFO_CLASS)1, NULL,
						     &size));
	row.dwOwningPid = 0;
	assert_int_equal(ERROR_NOT_FOUND,
			 GetOwnerModuleFromUdpEntry(&row, TCPIP_OWNER_MODULE_INFO_BASIC, NULL, &size));
	row6.dwOwningPid = 0x7FFFFFF0;
	assert_int_equal(ERROR_NOT_FOUND,
			 GetOwnerModuleFromUdp6Entry(&row6, TCPIP_OWNER_MODULE_INFO_BASIC, NULL,
						     &size));
	assert_int_equal(0, size);
}

/* ---- statistics -------------------------------------------------------------------------- */

/* COUNTER of /proc/net/snmp's Udp lines (IPV6 false) or /proc/net/snmp6's Udp6 lines, read
 * independently of the library. */
static unsigned long long snmp_udp(bool ipv6, const char *counter)
{
	FILE *f = fopen(ipv6 ? "/proc/thread-self/net/snmp6" : "/proc/thread-self/net/snmp", "r");
	assert_non_null(f);
	char names[1024] = "", values[1024] = "", line[1024];
	while (fgets(line, sizeof(line), f)) {
		char name[64];
		unsigned long long v;
		if (ipv6 && sscanf(line, "Udp6%63s %llu", name, &v) == 2 &&
		    strcmp(name, counter) == 0) {
			fclose(f);
			return v;
		}
		if (!ipv6 && strncmp(line, "Udp:", 4) == 0)
			strcpy(names[0] ? values : names, line);
	}
	fclose(f);
	assert_false(ipv6);
	char *sn, *sv;
	char *n = strtok_r(names, " \n", &sn), *v = strtok_r(values, " \n", &sv);
	while (n && v) {
		if (strcmp(n, counter) == 0)
			return strtoull(v, NULL, 10);
		n = strtok_r(NULL, " \n", &sn);
		v = strtok_r(NULL, " \n", &sv);
	}
	fail_msg("no counter %s", counter);
	return 0;
}

static void statistics_reject_null_and_bad_families(void **state)
{
	(void)state;
	MIB_UDPSTATS st;
	MIB_UDPSTATS2 st2;
	memset(&st, CANARY, sizeof(st));
	assert_int_equal(ERROR_INVALID_PARAMETER, GetUdpStatistics(NULL));
	assert_int_equal(ERROR_INVALID_PARAMETER, GetUdpStatisticsEx(NULL, AF_INET));
	assert_int_equal(ERROR_INVALID_PARAMETER, GetUdpStatisticsEx2(NULL, AF_INET));
	assert_int_equal(ERROR_INVALID_PARAMETER, GetUdpStatisticsEx(&st, 0));
	assert_int_equal(ERROR_INVALID_PARAMETER, GetUdpStatisticsEx(&st, 7));
	assert_int_equal(ERROR_INVALID_PARAMETER, GetUdpStatisticsEx2(&st2, 24));
	for (size_t i = 0; i < sizeof(st); i++)
		assert_int_equal(CANARY, ((unsigned char *)&st)[i]);
}

/* Two datagrams over IPv4, one over IPv6, each read by its receiver. */
static void statistics_match_the_kernel_per_family_and_count_endpoints(void **state)
{
	(void)state;
	uint16_t p4, p6;
	int r4 = wsock_udp("127.0.0.1", NULL, 0, NULL, 0, &p4);
	int s4 = wsock_udp("127.0.0.1", NULL, 0, "127.0.0.1", p4, NULL);
	int r6 = wsock_udp("::1", NULL, 0, NULL, 0, &p6);
	int s6 = wsock_udp("::1", NULL, 0, "::1", p6, NULL);
	assert_int_equal(2, write(s4, "ab", 2));
	assert_int_equal(2, write(s4, "cd", 2));
	assert_int_equal(1, write(s6, "e", 1));
	int tcp = wsock_listen("127.0.0.1", 0, NULL); /* not an endpoint of the UDP table */
	char buf[4];
	/* Linux counts InDatagrams when they are read */
	assert_int_equal(2, read(r4, buf, sizeof(buf)));
	assert_int_equal(2, read(r4, buf, sizeof(buf)));
	assert_int_equal(1, read(r6, buf, sizeof(buf)));
	MIB_UDPSTATS st;
	MIB_UDPSTATS2 st2;
	assert_int_equal(NO_ERROR, GetUdpStatistics(&st));
	assert_int_equal(snmp_udp(false, "InDatagrams"), st.dwInDatagrams);
	assert_int_equal(snmp_udp(false, "OutDatagrams"), st.dwOutDatagrams);
	assert_int_equal(snmp_udp(false, "NoPorts"), st.dwNoPorts);
	assert_int_equal(snmp_udp(false, "InErrors"), st.dwInErrors);
	assert_int_equal(2, st.dwOutDatagrams); /* a fresh namespace: ours only */
	assert_int_equal(2, st.dwInDatagrams);
	assert_int_equal(2, st.dwNumAddrs);
	assert_int_equal(NO_ERROR, GetUdpStatisticsEx2(&st2, AF_INET));
	assert_int_equal(st.dwInDatagrams, st2.dw64InDatagrams);
	assert_int_equal(2, st2.dw64OutDatagrams);
	assert_int_equal(2, st2.dwNumAddrs);
	for (ULONG af = 10; af <= 23; af += 13) {
		assert_int_equal(NO_ERROR, GetUdpStatisticsEx(&st, af));
		assert_int_equal(snmp_udp(true, "InDatagrams"), st.dwInDatagrams);
		assert_int_equal(snmp_udp(true, "OutDatagrams"), st.dwOutDatagrams);
		assert_int_equal(1, st.dwOutDatagrams);
		assert_int_equal(2, st.dwNumAddrs);
		assert_int_equal(NO_ERROR, GetUdpStatisticsEx2(&st2, af));
		assert_int_equal(1, st2.dw64InDatagrams);
		assert_int_equal(2, st2.dwNumAddrs);
	}
	wsock_close(r4);
	wsock_close(s4);
	wsock_close(r6);
	wsock_close(s6);
	wsock_close(tcp);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(table_larger_than_a_dword_cannot_be_sized),
		cmocka_unit_test_setup(empty_namespace_needs_the_header_only, setup),
		cmocka_unit_test_setup(null_size_and_bad_arguments_in_windows_order, setup),
		cmocka_unit_test_setup(every_udp_socket_is_a_row_and_only_those, setup),
		cmocka_unit_test_setup(owner_pid_and_owner_module_rows_are_exact, setup),
		cmocka_unit_test_setup(ipv6_rows_have_addresses_scope_ids_and_pids, setup),
		cmocka_unit_test_setup(af_inet6_as_23_and_10_and_basic_class_give_the_same_rows,
				       setup),
		cmocka_unit_test_setup(every_class_and_family_has_its_row_size, setup),
		cmocka_unit_test_setup(short_buffer_gets_exact_size_and_no_write, setup),
		cmocka_unit_test_setup(msdn_sample_starting_with_sizeof_table_succeeds_on_second_call,
				       setup),
		cmocka_unit_test_setup(order_true_sorts_numerically, setup),
		cmocka_unit_test_setup(size_query_then_fill_returns_the_measured_table, setup),
		cmocka_unit_test_setup(owner_module_from_a_udp_row_names_our_executable, setup),
		cmocka_unit_test_setup(owner_module_from_udp_rejects_bad_input, setup),
		cmocka_unit_test_setup(statistics_reject_null_and_bad_families, setup),
		cmocka_unit_test_setup(statistics_match_the_kernel_per_family_and_count_endpoints,
				       setup),
	};
	return cmocka_run_group_tests_name("win32 udp", tests, wsock_group_setup, NULL);
}
