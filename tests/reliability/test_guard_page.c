/* test_guard_page.c - caller buffers that end exactly where an unmapped page begins, for
 * every table function and every GetExtendedTcpTable and GetExtendedUdpTable class (with TCP
 * and UDP sockets in the namespace), through every size negotiation
 * path: the two calls, a buffer one byte short, a larger buffer, a buffer measured for another
 * shape. A write one byte past the size given faults; bytes past the size used stay as they
 * were. */
// clang-format off
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
// clang-format on

#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <iphlpapi.h>

#include "check.h"
#include "rel.h"

#define FILL 0xa5

struct shape {
	const char *name;
	ULONG af;          /* 0: not GetExtendedTcpTable / GetExtendedUdpTable */
	int cls;
	bool udp;          /* GetExtendedUdpTable */
	ULONG(WINAPI *fn)(void *table, PULONG size, BOOL order);
	size_t offset;     /* of table[0] */
	size_t row;        /* sizeof one row */
};

#define PLAIN(f, T) {#f, 0, 0, false, (ULONG(WINAPI *)(void *, PULONG, BOOL))f, \
		     offsetof(T, table), sizeof(((T *)0)->table[0])}
#define EXT(af, c, T) {"GetExtendedTcpTable(" #af ", " #c ")", af, c, false, NULL, \
		       offsetof(T, table), sizeof(((T *)0)->table[0])}
#define UEXT(af, c, T) {"GetExtendedUdpTable(" #af ", " #c ")", af, c, true, NULL, \
			offsetof(T, table), sizeof(((T *)0)->table[0])}

static const struct shape shapes[] = {
	PLAIN(GetTcpTable, MIB_TCPTABLE),
	PLAIN(GetTcpTable2, MIB_TCPTABLE2),
	PLAIN(GetTcp6Table, MIB_TCP6TABLE),
	PLAIN(GetTcp6Table2, MIB_TCP6TABLE2),
	EXT(2, TCP_TABLE_BASIC_LISTENER, MIB_TCPTABLE),
	EXT(2, TCP_TABLE_BASIC_CONNECTIONS, MIB_TCPTABLE),
	EXT(2, TCP_TABLE_BASIC_ALL, MIB_TCPTABLE),
	EXT(2, TCP_TABLE_OWNER_PID_LISTENER, MIB_TCPTABLE_OWNER_PID),
	EXT(2, TCP_TABLE_OWNER_PID_CONNECTIONS, MIB_TCPTABLE_OWNER_PID),
	EXT(2, TCP_TABLE_OWNER_PID_ALL, MIB_TCPTABLE_OWNER_PID),
	EXT(2, TCP_TABLE_OWNER_MODULE_LISTENER, MIB_TCPTABLE_OWNER_MODULE),
	EXT(2, TCP_TABLE_OWNER_MODULE_CONNECTIONS, MIB_TCPTABLE_OWNER_MODULE),
	EXT(2, TCP_TABLE_OWNER_MODULE_ALL, MIB_TCPTABLE_OWNER_MODULE),
	EXT(23, TCP_TABLE_OWNER_PID_LISTENER, MIB_TCP6TABLE_OWNER_PID),
	EXT(23, TCP_TABLE_OWNER_PID_CONNECTIONS, MIB_TCP6TABLE_OWNER_PID),
	EXT(23, TCP_TABLE_OWNER_PID_ALL, MIB_TCP6TABLE_OWNER_PID),
	EXT(23, TCP_TABLE_OWNER_MODULE_LISTENER, MIB_TCP6TABLE_OWNER_MODULE),
	EXT(23, TCP_TABLE_OWNER_MODULE_CONNECTIONS, MIB_TCP6TABLE_OWNER_MODULE),
	EXT(23, TCP_TABLE_OWNER_MODULE_ALL, MIB_TCP6TABLE_OWNER_MODULE),
	EXT(10, TCP_TABLE_OWNER_MODULE_ALL, MIB_TCP6TABLE_OWNER_MODULE),
	PLAIN(GetUdpTable, MIB_UDPTABLE),
	PLAIN(GetUdp6Table, MIB_UDP6TABLE),
	UEXT(2, UDP_TABLE_BASIC, MIB_UDPTABLE),
	UEXT(2, UDP_TABLE_OWNER_PID, MIB_UDPTABLE_OWNER_PID),
	UEXT(2, UDP_TABLE_OWNER_MODULE, MIB_UDPTABLE_OWNER_MODULE),
	UEXT(23, UDP_TABLE_BASIC, MIB_UDP6TABLE),
	UEXT(23, UDP_TABLE_OWNER_PID, MIB_UDP6TABLE_OWNER_PID),
	UEXT(23, UDP_TABLE_OWNER_MODULE, MIB_UDP6TABLE_OWNER_MODULE),
	UEXT(10, UDP_TABLE_OWNER_MODULE, MIB_UDP6TABLE_OWNER_MODULE),
};
#define NSHAPES (sizeof(shapes) / sizeof(*shapes))

static ULONG call(const struct shape *s, void *buf, ULONG *size, BOOL order)
{
	if (!s->af)
		return s->fn(buf, size, order);
	DWORD d = *size;
	DWORD r = s->udp ? GetExtendedUdpTable(buf, &d, order, s->af, (UDP_TABLE_CLASS)s->cls, 0)
			 : GetExtendedTcpTable(buf, &d, order, s->af, (TCP_TABLE_CLASS)s->cls, 0);
	*size = d;
	return r;
}

static bool have_netns;
static int fds[16], udp_fds[4];

static int group_setup(void **state)
{
	(void)state;
	bool skip;
	have_netns = rel_netns("reliability guard_page", &skip) == 0 &&
		     rel_open_sockets(fds, 16) > 0 && rel_open_udp_sockets(udp_fds, 4) == 4;
	return 0;
}

/* The table at BUF (SIZE bytes used) has dwNumEntries rows filling exactly SIZE. */
static void expect_consistent(const struct shape *s, const void *buf, ULONG size)
{
	DWORD n;
	memcpy(&n, buf, sizeof(n));
	if (s->offset + n * s->row != size) {
		check_failed++;
		printf("# %s: %u rows, but *size %lu (offset %zu, row %zu)\n", s->name, n,
		       (unsigned long)size, s->offset, s->row);
	}
}

/* Ask the size, then fill a buffer of exactly that many bytes, ending at the guard page. */
static void two_calls_fill_exactly_the_size_measured(void **state)
{
	(void)state;
	if (!have_netns)
		skip();
	for (size_t i = 0; i < NSHAPES; i++) {
		const struct shape *s = &shapes[i];
		ULONG need = 0;
		EXPECT_EQ(ERROR_INSUFFICIENT_BUFFER, call(s, NULL, &need, TRUE));
		void *buf = rel_guard_alloc(need, FILL);
		ULONG size = need;
		EXPECT_EQ(NO_ERROR, call(s, buf, &size, TRUE));
		EXPECT_EQ(need, size);
		expect_consistent(s, buf, size);
		rel_guard_free(buf, need);
	}
	CHECKS_DONE();
}

/* One byte short, at the guard page: ERROR_INSUFFICIENT_BUFFER and nothing written; then the
 * exact size succeeds. */
static void one_byte_short_writes_nothing_then_exact_size_succeeds(void **state)
{
	(void)state;
	if (!have_netns)
		skip();
	for (size_t i = 0; i < NSHAPES; i++) {
		const struct shape *s = &shapes[i];
		ULONG need = 0;
		EXPECT_EQ(ERROR_INSUFFICIENT_BUFFER, call(s, NULL, &need, FALSE));
		for (ULONG have = 0; have < need; have = have < 8 ? have + 1 : need - 1) {
			void *buf = rel_guard_alloc(have, FILL);
			ULONG size = have;
			EXPECT_EQ(ERROR_INSUFFICIENT_BUFFER, call(s, buf, &size, FALSE));
			EXPECT_EQ(need, size);
			EXPECT_TRUE(rel_all_bytes(buf, have, FILL));
			rel_guard_free(buf, have);
			if (have == need - 1)
				break;
		}
		void *buf = rel_guard_alloc(need, FILL);
		ULONG size = need;
		EXPECT_EQ(NO_ERROR, call(s, buf, &size, FALSE));
		expect_consistent(s, buf, size);
		rel_guard_free(buf, need);
	}
	CHECKS_DONE();
}

/* A buffer larger than needed: the bytes past *size (the bytes used) keep their value. */
static void larger_buffer_keeps_the_bytes_past_the_table(void **state)
{
	(void)state;
	if (!have_netns)
		skip();
	for (size_t i = 0; i < NSHAPES; i++) {
		const struct shape *s = &shapes[i];
		ULONG need = 0;
		EXPECT_EQ(ERROR_INSUFFICIENT_BUFFER, call(s, NULL, &need, TRUE));
		ULONG have = need + 4093;
		unsigned char *buf = rel_guard_alloc(have, FILL);
		ULONG size = have;
		EXPECT_EQ(NO_ERROR, call(s, buf, &size, TRUE));
		EXPECT_TRUE(size <= have);
		if (size <= have)
			EXPECT_TRUE(rel_all_bytes(buf + size, have - size, FILL));
		expect_consistent(s, buf, size);
		rel_guard_free(buf, have);
	}
	CHECKS_DONE();
}

/* The size measured for one shape, given to another: a smaller size must not be taken as
 * enough because a table was kept for the first (the snapshot reuse of iphlpapi.h). */
static void size_measured_for_another_shape_is_checked_again(void **state)
{
	(void)state;
	if (!have_netns)
		skip();
	for (size_t a = 0; a < NSHAPES; a++)
		for (size_t b = 0; b < NSHAPES; b++) {
			ULONG need_a = 0, need_b = 0;
			EXPECT_EQ(ERROR_INSUFFICIENT_BUFFER, call(&shapes[b], NULL, &need_b, TRUE));
			EXPECT_EQ(ERROR_INSUFFICIENT_BUFFER, call(&shapes[a], NULL, &need_a, TRUE));
			unsigned char *buf = rel_guard_alloc(need_a, FILL);
			ULONG size = need_a;
			ULONG r = call(&shapes[b], buf, &size, TRUE);
			if (need_a < need_b) {
				EXPECT_EQ(ERROR_INSUFFICIENT_BUFFER, r);
				EXPECT_EQ(need_b, size);
				EXPECT_TRUE(rel_all_bytes(buf, need_a, FILL));
			} else {
				EXPECT_EQ(NO_ERROR, r);
				EXPECT_EQ(need_b, size);
			}
			rel_guard_free(buf, need_a);
		}
	CHECKS_DONE();
}

/* One of the four owner-module functions (KIND 0-3: TCP, TCP6, UDP, UDP6). */
static DWORD owner_module(int kind, MIB_TCPROW_OWNER_MODULE *r4, MIB_TCP6ROW_OWNER_MODULE *r6,
			  MIB_UDPROW_OWNER_MODULE *u4, MIB_UDP6ROW_OWNER_MODULE *u6, void *buf,
			  DWORD *size)
{
	switch (kind) {
	case 0: return GetOwnerModuleFromTcpEntry(r4, TCPIP_OWNER_MODULE_INFO_BASIC, buf, size);
	case 1: return GetOwnerModuleFromTcp6Entry(r6, TCPIP_OWNER_MODULE_INFO_BASIC, buf, size);
	case 2: return GetOwnerModuleFromUdpEntry(u4, TCPIP_OWNER_MODULE_INFO_BASIC, buf, size);
	default: return GetOwnerModuleFromUdp6Entry(u6, TCPIP_OWNER_MODULE_INFO_BASIC, buf, size);
	}
}

/* GetOwnerModuleFromTcp(6)Entry, GetOwnerModuleFromUdp(6)Entry and the statistics at the
 * guard page. */
static void owner_module_and_statistics_stay_inside_their_buffers(void **state)
{
	(void)state;
	if (!have_netns)
		skip();
	MIB_TCPROW_OWNER_MODULE r4 = {.dwOwningPid = (DWORD)getpid()};
	MIB_TCP6ROW_OWNER_MODULE r6 = {.dwOwningPid = (DWORD)getpid()};
	MIB_UDPROW_OWNER_MODULE u4 = {.dwOwningPid = (DWORD)getpid()};
	MIB_UDP6ROW_OWNER_MODULE u6 = {.dwOwningPid = (DWORD)getpid()};
	for (int kind = 0; kind < 4; kind++) {
		DWORD need = 0;
		EXPECT_EQ(ERROR_INSUFFICIENT_BUFFER, owner_module(kind, &r4, &r6, &u4, &u6, NULL,
								  &need));
		for (DWORD have = need - 1; have <= need + 64; have += have < need ? 1 : 64) {
			unsigned char *buf = rel_guard_alloc(have, FILL);
			DWORD size = have;
			DWORD r = owner_module(kind, &r4, &r6, &u4, &u6, buf, &size);
			EXPECT_EQ(have < need ? ERROR_INSUFFICIENT_BUFFER : NO_ERROR, r);
			EXPECT_EQ(need, size);
			if (size <= have)
				EXPECT_TRUE(rel_all_bytes(buf + size, have - size, FILL));
			rel_guard_free(buf, have);
		}
	}
	MIB_TCPSTATS *s = rel_guard_alloc(sizeof(*s), FILL);
	EXPECT_EQ(NO_ERROR, GetTcpStatistics(s));
	EXPECT_EQ(NO_ERROR, GetTcpStatisticsEx(s, 23));
	rel_guard_free(s, sizeof(*s));
	MIB_TCPSTATS2 *s2 = rel_guard_alloc(sizeof(*s2), FILL);
	EXPECT_EQ(NO_ERROR, GetTcpStatisticsEx2(s2, 2));
	rel_guard_free(s2, sizeof(*s2));
	MIB_UDPSTATS *us = rel_guard_alloc(sizeof(*us), FILL);
	EXPECT_EQ(NO_ERROR, GetUdpStatistics(us));
	EXPECT_EQ(2, us->dwNumAddrs);
	EXPECT_EQ(NO_ERROR, GetUdpStatisticsEx(us, 23));
	EXPECT_EQ(2, us->dwNumAddrs);
	rel_guard_free(us, sizeof(*us));
	MIB_UDPSTATS2 *us2 = rel_guard_alloc(sizeof(*us2), FILL);
	EXPECT_EQ(NO_ERROR, GetUdpStatisticsEx2(us2, 10));
	EXPECT_EQ(2, us2->dwNumAddrs);
	rel_guard_free(us2, sizeof(*us2));
	CHECKS_DONE();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(two_calls_fill_exactly_the_size_measured),
		cmocka_unit_test(one_byte_short_writes_nothing_then_exact_size_succeeds),
		cmocka_unit_test(larger_buffer_keeps_the_bytes_past_the_table),
		cmocka_unit_test(size_measured_for_another_shape_is_checked_again),
		cmocka_unit_test(owner_module_and_statistics_stay_inside_their_buffers),
	};
	return cmocka_run_group_tests(tests, group_setup, NULL);
}
