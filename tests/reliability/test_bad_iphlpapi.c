/* test_bad_iphlpapi.c - every IP Helper function of iphlpapi.h given NULL pointers, sizes 0,
 * one byte short and UINT32_MAX, unknown families and classes, a family that does not match
 * the class: each answers the error iphlpapi.h documents, and a failed call writes nothing. */
// clang-format off
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
// clang-format on

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <iphlpapi.h>

#include "check.h"
#include "rel.h"

static bool have_netns;
static int fds[16], nfds, udp_fds[4];

static int group_setup(void **state)
{
	(void)state;
	bool skip;
	have_netns = rel_netns("reliability bad_iphlpapi", &skip) == 0 &&
		     (nfds = rel_open_sockets(fds, 16)) > 0 && rel_open_udp_sockets(udp_fds, 4) == 4;
	return 0;
}

static int group_teardown(void **state)
{
	(void)state;
	printf("# %lu bad inputs tried\n", check_tried);
	return 0;
}

static void need_netns(void)
{
	if (!have_netns)
		skip();
}

typedef ULONG(WINAPI *table_fn)(void *table, PULONG size, BOOL order);

static const struct {
	const char *name;
	table_fn fn;
} tables[] = {
	{"GetTcpTable", (table_fn)GetTcpTable},
	{"GetTcpTable2", (table_fn)GetTcpTable2},
	{"GetTcp6Table", (table_fn)GetTcp6Table},
	{"GetTcp6Table2", (table_fn)GetTcp6Table2},
	{"GetUdpTable", (table_fn)GetUdpTable},
	{"GetUdp6Table", (table_fn)GetUdp6Table},
};
#define NTABLES (sizeof(tables) / sizeof(*tables))

static void table_functions_reject_a_null_size(void **state)
{
	(void)state;
	need_netns();
	unsigned char buf[4096];
	for (size_t i = 0; i < NTABLES; i++) {
		EXPECT_EQ(ERROR_INVALID_PARAMETER, tables[i].fn(NULL, NULL, FALSE));
		EXPECT_EQ(ERROR_INVALID_PARAMETER, tables[i].fn(buf, NULL, TRUE));
	}
	CHECKS_DONE();
}

/* Sizes 0, 1, 3, needed - 1 with and without a buffer: ERROR_INSUFFICIENT_BUFFER, *size the
 * bytes needed, and not a byte of the buffer written. */
static void table_functions_answer_short_sizes_with_the_size_needed(void **state)
{
	(void)state;
	need_netns();
	for (size_t i = 0; i < NTABLES; i++) {
		ULONG need = 0;
		EXPECT_EQ(ERROR_INSUFFICIENT_BUFFER, tables[i].fn(NULL, &need, FALSE));
		EXPECT_TRUE(need > 4);
		const ULONG shorts[] = {0, 1, 3, 4, need - 1};
		for (size_t k = 0; k < sizeof(shorts) / sizeof(*shorts); k++) {
			unsigned char *buf = rel_guard_alloc(shorts[k], 0xa5);
			ULONG size = shorts[k];
			EXPECT_EQ(ERROR_INSUFFICIENT_BUFFER, tables[i].fn(buf, &size, FALSE));
			EXPECT_EQ(need, size);
			EXPECT_TRUE(rel_all_bytes(buf, shorts[k], 0xa5));
			size = shorts[k];
			EXPECT_EQ(ERROR_INSUFFICIENT_BUFFER, tables[i].fn(NULL, &size, TRUE));
			EXPECT_EQ(need, size);
			rel_guard_free(buf, shorts[k]);
		}
		ULONG huge = UINT32_MAX;
		EXPECT_EQ(ERROR_INSUFFICIENT_BUFFER, tables[i].fn(NULL, &huge, FALSE));
		EXPECT_EQ(need, huge);
	}
	CHECKS_DONE();
}

/* *size UINT32_MAX over a buffer of exactly the bytes needed: NO_ERROR, *size the bytes used,
 * and nothing past them written (the buffer ends at an unmapped page). */
static void table_functions_write_only_what_they_use_whatever_size_is_claimed(void **state)
{
	(void)state;
	need_netns();
	for (size_t i = 0; i < NTABLES; i++) {
		ULONG need = 0;
		EXPECT_EQ(ERROR_INSUFFICIENT_BUFFER, tables[i].fn(NULL, &need, FALSE));
		unsigned char *buf = rel_guard_alloc(need, 0xa5);
		ULONG size = UINT32_MAX;
		EXPECT_EQ(NO_ERROR, tables[i].fn(buf, &size, TRUE));
		EXPECT_EQ(need, size);
		rel_guard_free(buf, need);
	}
	CHECKS_DONE();
}

static void extended_table_rejects_unknown_families_and_classes(void **state)
{
	(void)state;
	need_netns();
	unsigned char buf[8192];
	DWORD size = sizeof(buf);
	static const ULONG families[] = {0, 1, 3, 9, 11, 22, 24, 0x10002, UINT32_MAX};
	for (size_t i = 0; i < sizeof(families) / sizeof(*families); i++) {
		size = sizeof(buf);
		EXPECT_EQ(ERROR_INVALID_PARAMETER,
			  GetExtendedTcpTable(buf, &size, FALSE, families[i], TCP_TABLE_BASIC_ALL, 0));
		EXPECT_EQ(sizeof(buf), size);
		EXPECT_EQ(ERROR_INVALID_PARAMETER,
			  GetExtendedTcpTable(NULL, NULL, FALSE, families[i], 9, 0));
	}
	static const unsigned classes[] = {9, 10, 0x80000000u, UINT32_MAX};
	static const ULONG good[] = {2, 23, 10};
	for (size_t f = 0; f < 3; f++) {
		EXPECT_EQ(ERROR_INVALID_PARAMETER,
			  GetExtendedTcpTable(buf, NULL, FALSE, good[f], TCP_TABLE_OWNER_PID_ALL, 0));
		for (size_t i = 0; i < sizeof(classes) / sizeof(*classes); i++) {
			size = sizeof(buf);
			EXPECT_EQ(ERROR_INVALID_PARAMETER,
				  GetExtendedTcpTable(buf, &size, FALSE, good[f],
						      (TCP_TABLE_CLASS)classes[i], 0));
			EXPECT_EQ(sizeof(buf), size);
		}
	}
	CHECKS_DONE();
}

static void extended_udp_table_rejects_unknown_families_and_classes(void **state)
{
	(void)state;
	need_netns();
	unsigned char buf[8192];
	DWORD size = sizeof(buf);
	static const ULONG families[] = {0, 1, 3, 9, 11, 22, 24, 0x10002, UINT32_MAX};
	for (size_t i = 0; i < sizeof(families) / sizeof(*families); i++) {
		size = sizeof(buf);
		EXPECT_EQ(ERROR_INVALID_PARAMETER,
			  GetExtendedUdpTable(buf, &size, FALSE, families[i], UDP_TABLE_BASIC, 0));
		EXPECT_EQ(sizeof(buf), size);
		EXPECT_EQ(ERROR_INVALID_PARAMETER,
			  GetExtendedUdpTable(NULL, NULL, FALSE, families[i], 3, 0));
	}
	static const unsigned classes[] = {3, 4, 9, 0x80000000u, UINT32_MAX};
	static const ULONG good[] = {2, 23, 10};
	for (size_t f = 0; f < 3; f++) {
		EXPECT_EQ(ERROR_INVALID_PARAMETER,
			  GetExtendedUdpTable(buf, NULL, FALSE, good[f], UDP_TABLE_OWNER_PID, 0));
		for (size_t i = 0; i < sizeof(classes) / sizeof(*classes); i++) {
			size = sizeof(buf);
			EXPECT_EQ(ERROR_INVALID_PARAMETER,
				  GetExtendedUdpTable(buf, &size, FALSE, good[f],
						      (UDP_TABLE_CLASS)classes[i], 0));
			EXPECT_EQ(sizeof(buf), size);
		}
		/* every class of every family: short sizes answered, nothing written */
		for (unsigned c = 0; c <= UDP_TABLE_OWNER_MODULE; c++) {
			DWORD need = 0;
			EXPECT_EQ(ERROR_INSUFFICIENT_BUFFER,
				  GetExtendedUdpTable(NULL, &need, FALSE, good[f], (UDP_TABLE_CLASS)c,
						      UINT32_MAX));
			EXPECT_TRUE(need > 8);
			unsigned char *g = rel_guard_alloc(need - 1, 0xa5);
			size = need - 1;
			EXPECT_EQ(ERROR_INSUFFICIENT_BUFFER,
				  GetExtendedUdpTable(g, &size, FALSE, good[f], (UDP_TABLE_CLASS)c, 0));
			EXPECT_EQ(need, size);
			EXPECT_TRUE(rel_all_bytes(g, need - 1, 0xa5));
			rel_guard_free(g, need - 1);
		}
	}
	CHECKS_DONE();
}

static void extended_table_rejects_basic_classes_for_ipv6(void **state)
{
	(void)state;
	need_netns();
	static const ULONG v6[] = {23, 10};
	for (size_t f = 0; f < 2; f++)
		for (unsigned c = TCP_TABLE_BASIC_LISTENER; c <= TCP_TABLE_BASIC_ALL; c++) {
			unsigned char buf[64];
			memset(buf, 0xa5, sizeof(buf));
			DWORD size = sizeof(buf);
			EXPECT_EQ(ERROR_NOT_SUPPORTED,
				  GetExtendedTcpTable(buf, &size, FALSE, v6[f], (TCP_TABLE_CLASS)c, 0));
			EXPECT_EQ(sizeof(buf), size);
			EXPECT_TRUE(rel_all_bytes(buf, sizeof(buf), 0xa5));
			size = 0;
			EXPECT_EQ(ERROR_NOT_SUPPORTED,
				  GetExtendedTcpTable(NULL, &size, FALSE, v6[f], (TCP_TABLE_CLASS)c, 0));
		}
	CHECKS_DONE();
}

/* Reserved is ignored; any non-zero BOOL orders. */
static void extended_table_ignores_reserved(void **state)
{
	(void)state;
	need_netns();
	DWORD size = 0;
	EXPECT_EQ(ERROR_INSUFFICIENT_BUFFER,
		  GetExtendedTcpTable(NULL, &size, 7, 2, TCP_TABLE_OWNER_PID_ALL, UINT32_MAX));
	void *buf = malloc(size);
	EXPECT_EQ(NO_ERROR, GetExtendedTcpTable(buf, &size, 7, 2, TCP_TABLE_OWNER_PID_ALL,
						UINT32_MAX));
	free(buf);
	CHECKS_DONE();
}

static void owner_module_rejects_bad_arguments(void **state)
{
	(void)state;
	need_netns();
	unsigned char buf[1024];
	MIB_TCPROW_OWNER_MODULE row4 = {.dwOwningPid = (DWORD)getpid()};
	MIB_TCP6ROW_OWNER_MODULE row6 = {.dwOwningPid = (DWORD)getpid()};
	DWORD size = sizeof(buf);
	EXPECT_EQ(ERROR_INVALID_PARAMETER,
		  GetOwnerModuleFromTcpEntry(NULL, TCPIP_OWNER_MODULE_INFO_BASIC, buf, &size));
	EXPECT_EQ(ERROR_INVALID_PARAMETER,
		  GetOwnerModuleFromTcpEntry(&row4, TCPIP_OWNER_MODULE_INFO_BASIC, buf, NULL));
	EXPECT_EQ(ERROR_INVALID_PARAMETER,
		  GetOwnerModuleFromTcp6Entry(NULL, TCPIP_OWNER_MODULE_INFO_BASIC, buf, &size));
	EXPECT_EQ(ERROR_INVALID_PARAMETER,
		  GetOwnerModuleFromTcp6Entry(&row6, TCPIP_OWNER_MODULE_INFO_BASIC, buf, NULL));
	static const unsigned classes[] = {1, 2, 0x80000000u, UINT32_MAX};
	for (size_t i = 0; i < sizeof(classes) / sizeof(*classes); i++) {
		size = sizeof(buf);
		EXPECT_EQ(ERROR_INVALID_PARAMETER,
			  GetOwnerModuleFromTcpEntry(&row4, (TCPIP_OWNER_MODULE_INFO_CLASS)classes[i],
						     buf, &size));
		EXPECT_EQ(ERROR_INVALID_PARAMETER,
			  GetOwnerModuleFromTcp6Entry(&row6,
						      (TCPIP_OWNER_MODULE_INFO_CLASS)classes[i], buf,
						      &size));
	}
	static const DWORD pids[] = {0, 0x7ffffff0u, UINT32_MAX};
	for (size_t i = 0; i < sizeof(pids) / sizeof(*pids); i++) {
		row4.dwOwningPid = row6.dwOwningPid = pids[i];
		size = sizeof(buf);
		EXPECT_EQ(ERROR_NOT_FOUND,
			  GetOwnerModuleFromTcpEntry(&row4, TCPIP_OWNER_MODULE_INFO_BASIC, buf, &size));
		size = sizeof(buf);
		EXPECT_EQ(ERROR_NOT_FOUND,
			  GetOwnerModuleFromTcp6Entry(&row6, TCPIP_OWNER_MODULE_INFO_BASIC, buf,
						      &size));
	}
	CHECKS_DONE();
}

/* NULL buffer, 0, 1 and one byte short: ERROR_INSUFFICIENT_BUFFER with the size needed. */
static void owner_module_answers_short_sizes_with_the_size_needed(void **state)
{
	(void)state;
	need_netns();
	MIB_TCPROW_OWNER_MODULE row = {.dwOwningPid = (DWORD)getpid()};
	DWORD need = 0;
	EXPECT_EQ(ERROR_INSUFFICIENT_BUFFER,
		  GetOwnerModuleFromTcpEntry(&row, TCPIP_OWNER_MODULE_INFO_BASIC, NULL, &need));
	EXPECT_TRUE(need > sizeof(TCPIP_OWNER_MODULE_BASIC_INFO));
	const DWORD shorts[] = {0, 1, sizeof(TCPIP_OWNER_MODULE_BASIC_INFO), need - 1};
	for (size_t k = 0; k < sizeof(shorts) / sizeof(*shorts); k++) {
		unsigned char *buf = rel_guard_alloc(shorts[k], 0xa5);
		DWORD size = shorts[k];
		EXPECT_EQ(ERROR_INSUFFICIENT_BUFFER,
			  GetOwnerModuleFromTcpEntry(&row, TCPIP_OWNER_MODULE_INFO_BASIC, buf, &size));
		EXPECT_EQ(need, size);
		EXPECT_TRUE(rel_all_bytes(buf, shorts[k], 0xa5));
		rel_guard_free(buf, shorts[k]);
	}
	unsigned char *buf = rel_guard_alloc(need, 0xa5);
	DWORD size = UINT32_MAX;
	EXPECT_EQ(NO_ERROR, GetOwnerModuleFromTcpEntry(&row, TCPIP_OWNER_MODULE_INFO_BASIC, buf,
						       &size));
	EXPECT_EQ(need, size);
	rel_guard_free(buf, need);
	CHECKS_DONE();
}

static void udp_owner_module_rejects_bad_arguments_and_short_sizes(void **state)
{
	(void)state;
	need_netns();
	unsigned char buf[1024];
	MIB_UDPROW_OWNER_MODULE row4 = {.dwOwningPid = (DWORD)getpid()};
	MIB_UDP6ROW_OWNER_MODULE row6 = {.dwOwningPid = (DWORD)getpid()};
	DWORD size = sizeof(buf);
	EXPECT_EQ(ERROR_INVALID_PARAMETER,
		  GetOwnerModuleFromUdpEntry(NULL, TCPIP_OWNER_MODULE_INFO_BASIC, buf, &size));
	EXPECT_EQ(ERROR_INVALID_PARAMETER,
		  GetOwnerModuleFromUdpEntry(&row4, TCPIP_OWNER_MODULE_INFO_BASIC, buf, NULL));
	EXPECT_EQ(ERROR_INVALID_PARAMETER,
		  GetOwnerModuleFromUdp6Entry(NULL, TCPIP_OWNER_MODULE_INFO_BASIC, buf, &size));
	EXPECT_EQ(ERROR_INVALID_PARAMETER,
		  GetOwnerModuleFromUdp6Entry(&row6, TCPIP_OWNER_MODULE_INFO_BASIC, buf, NULL));
	static const unsigned classes[] = {1, 2, 0x80000000u, UINT32_MAX};
	for (size_t i = 0; i < sizeof(classes) / sizeof(*classes); i++) {
		size = sizeof(buf);
		EXPECT_EQ(ERROR_INVALID_PARAMETER,
			  GetOwnerModuleFromUdpEntry(&row4, (TCPIP_OWNER_MODULE_INFO_CLASS)classes[i],
						     buf, &size));
		EXPECT_EQ(ERROR_INVALID_PARAMETER,
			  GetOwnerModuleFromUdp6Entry(&row6,
						      (TCPIP_OWNER_MODULE_INFO_CLASS)classes[i], buf,
						      &size));
	}
	DWORD need = 0;
	EXPECT_EQ(ERROR_INSUFFICIENT_BUFFER,
		  GetOwnerModuleFromUdp6Entry(&row6, TCPIP_OWNER_MODULE_INFO_BASIC, NULL, &need));
	const DWORD shorts[] = {0, 1, sizeof(TCPIP_OWNER_MODULE_BASIC_INFO), need - 1};
	for (size_t k = 0; k < sizeof(shorts) / sizeof(*shorts); k++) {
		unsigned char *g = rel_guard_alloc(shorts[k], 0xa5);
		size = shorts[k];
		EXPECT_EQ(ERROR_INSUFFICIENT_BUFFER,
			  GetOwnerModuleFromUdpEntry(&row4, TCPIP_OWNER_MODULE_INFO_BASIC, g, &size));
		EXPECT_EQ(need, size);
		EXPECT_TRUE(rel_all_bytes(g, shorts[k], 0xa5));
		rel_guard_free(g, shorts[k]);
	}
	static const DWORD pids[] = {0, 0x7ffffff0u, UINT32_MAX};
	for (size_t i = 0; i < sizeof(pids) / sizeof(*pids); i++) {
		row4.dwOwningPid = row6.dwOwningPid = pids[i];
		size = sizeof(buf);
		EXPECT_EQ(ERROR_NOT_FOUND,
			  GetOwnerModuleFromUdpEntry(&row4, TCPIP_OWNER_MODULE_INFO_BASIC, buf, &size));
		size = sizeof(buf);
		EXPECT_EQ(ERROR_NOT_FOUND,
			  GetOwnerModuleFromUdp6Entry(&row6, TCPIP_OWNER_MODULE_INFO_BASIC, buf,
						      &size));
	}
	CHECKS_DONE();
}

static void udp_statistics_reject_null_and_unknown_families(void **state)
{
	(void)state;
	need_netns();
	MIB_UDPSTATS s;
	MIB_UDPSTATS2 s2;
	EXPECT_EQ(ERROR_INVALID_PARAMETER, GetUdpStatistics(NULL));
	EXPECT_EQ(ERROR_INVALID_PARAMETER, GetUdpStatisticsEx(NULL, 2));
	EXPECT_EQ(ERROR_INVALID_PARAMETER, GetUdpStatisticsEx2(NULL, 23));
	static const ULONG bad[] = {0, 1, 3, 24, UINT32_MAX};
	for (size_t i = 0; i < sizeof(bad) / sizeof(*bad); i++) {
		memset(&s, 0xa5, sizeof(s));
		memset(&s2, 0xa5, sizeof(s2));
		EXPECT_EQ(ERROR_INVALID_PARAMETER, GetUdpStatisticsEx(&s, bad[i]));
		EXPECT_EQ(ERROR_INVALID_PARAMETER, GetUdpStatisticsEx2(&s2, bad[i]));
		EXPECT_TRUE(rel_all_bytes(&s, sizeof(s), 0xa5));
		EXPECT_TRUE(rel_all_bytes(&s2, sizeof(s2), 0xa5));
	}
	static const ULONG good[] = {2, 23, 10};
	for (size_t i = 0; i < 3; i++) {
		EXPECT_EQ(NO_ERROR, GetUdpStatisticsEx(&s, good[i]));
		EXPECT_EQ(2, s.dwNumAddrs);
		EXPECT_EQ(NO_ERROR, GetUdpStatisticsEx2(&s2, good[i]));
		EXPECT_EQ(2, s2.dwNumAddrs);
	}
	CHECKS_DONE();
}

static void statistics_reject_null_and_unknown_families(void **state)
{
	(void)state;
	need_netns();
	MIB_TCPSTATS s;
	MIB_TCPSTATS2 s2;
	EXPECT_EQ(ERROR_INVALID_PARAMETER, GetTcpStatistics(NULL));
	EXPECT_EQ(ERROR_INVALID_PARAMETER, GetTcpStatisticsEx(NULL, 2));
	EXPECT_EQ(ERROR_INVALID_PARAMETER, GetTcpStatisticsEx2(NULL, 23));
	static const ULONG bad[] = {0, 1, 3, 24, UINT32_MAX};
	for (size_t i = 0; i < sizeof(bad) / sizeof(*bad); i++) {
		memset(&s, 0xa5, sizeof(s));
		memset(&s2, 0xa5, sizeof(s2));
		EXPECT_EQ(ERROR_INVALID_PARAMETER, GetTcpStatisticsEx(&s, bad[i]));
		EXPECT_EQ(ERROR_INVALID_PARAMETER, GetTcpStatisticsEx2(&s2, bad[i]));
		EXPECT_TRUE(rel_all_bytes(&s, sizeof(s), 0xa5));
		EXPECT_TRUE(rel_all_bytes(&s2, sizeof(s2), 0xa5));
	}
	static const ULONG good[] = {2, 23, 10};
	for (size_t i = 0; i < 3; i++) {
		EXPECT_EQ(NO_ERROR, GetTcpStatisticsEx(&s, good[i]));
		EXPECT_EQ(NO_ERROR, GetTcpStatisticsEx2(&s2, good[i]));
	}
	CHECKS_DONE();
}

static void set_entry_rejects_null_and_states_other_than_delete_tcb(void **state)
{
	(void)state;
	need_netns();
	EXPECT_EQ(ERROR_INVALID_PARAMETER, SetTcpEntry(NULL));
	static const DWORD states[] = {0, 1, 2, 5, 11, 13, UINT32_MAX};
	for (size_t i = 0; i < sizeof(states) / sizeof(*states); i++) {
		MIB_TCPROW row = {.dwState = states[i], .dwLocalAddr = htonl(0x7f000001),
				  .dwLocalPort = htons(1), .dwRemoteAddr = htonl(0x7f000001),
				  .dwRemotePort = htons(1)};
		EXPECT_EQ(ERROR_INVALID_PARAMETER, SetTcpEntry(&row));
	}
	MIB_TCPROW none = {.dwState = MIB_TCP_STATE_DELETE_TCB, .dwLocalAddr = htonl(0x7f000001),
			   .dwLocalPort = htons(1), .dwRemoteAddr = htonl(0x7f000001),
			   .dwRemotePort = htons(1)};
	EXPECT_EQ(ERROR_NOT_FOUND, SetTcpEntry(&none));
	CHECKS_DONE();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(table_functions_reject_a_null_size),
		cmocka_unit_test(table_functions_answer_short_sizes_with_the_size_needed),
		cmocka_unit_test(table_functions_write_only_what_they_use_whatever_size_is_claimed),
		cmocka_unit_test(extended_table_rejects_unknown_families_and_classes),
		cmocka_unit_test(extended_table_rejects_basic_classes_for_ipv6),
		cmocka_unit_test(extended_table_ignores_reserved),
		cmocka_unit_test(owner_module_rejects_bad_arguments),
		cmocka_unit_test(owner_module_answers_short_sizes_with_the_size_needed),
		cmocka_unit_test(statistics_reject_null_and_unknown_families),
		cmocka_unit_test(extended_udp_table_rejects_unknown_families_and_classes),
		cmocka_unit_test(udp_owner_module_rejects_bad_arguments_and_short_sizes),
		cmocka_unit_test(udp_statistics_reject_null_and_unknown_families),
		cmocka_unit_test(set_entry_rejects_null_and_states_other_than_delete_tcb),
	};
	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
