/* test_no_netlink.c - a process that denies itself netlink (seccomp) gets the same rows from
 * /proc; with /proc hidden too, every call says "not supported" (-ENOTSUP,
 * ERROR_NOT_SUPPORTED): never a crash, never an empty success. Each case runs in a forked
 * child that sandboxes itself; the child's exit status counts its failures. */
// clang-format off
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
// clang-format on

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <iphlpapi.h>

#include "check.h"
#include "netns.h"
#include "rel.h"
#include "sandbox.h"

static bool have_netns;
static int fds[16];

static int group_setup(void **state)
{
	(void)state;
	bool skip;
	have_netns = rel_netns("reliability no_netlink", &skip) == 0 &&
		     rel_open_sockets(fds, 16) > 0;
	return 0;
}

static int take(enum tcpt_source source, struct tcpt_snapshot **ret)
{
	struct tcpt_query q = {.source = source, .order = TCPT_ORDER_ADDRESS};
	*ret = NULL;
	return tcpt_snapshot_take(&q, ret);
}

static struct tcpt_snapshot *from_netlink;

static void child_seccomp_only(void)
{
	if (sandbox_deny_netlink() < 0) {
		printf("# seccomp filter: %s\n", strerror(errno));
		check_failed++;
		return;
	}
	struct tcpt_snapshot *s;
	EXPECT_EQ(0, take(TCPT_SOURCE_AUTO, &s));
	EXPECT_EQ(TCPT_SOURCE_PROC, tcpt_snapshot_source(s));
	EXPECT_EQ(0, sandbox_compare_sources(tcpt_snapshot_rows(from_netlink),
					     tcpt_snapshot_count(from_netlink),
					     tcpt_snapshot_rows(s), tcpt_snapshot_count(s)));
	tcpt_snapshot_free(s);
	EXPECT_EQ(-ENOTSUP, take(TCPT_SOURCE_NETLINK, &s));
	size_t v4 = 0;
	for (size_t i = 0; i < tcpt_snapshot_count(from_netlink); i++)
		v4 += tcpt_snapshot_rows(from_netlink)[i].family == 2;
	ULONG size = 0;
	EXPECT_EQ(ERROR_INSUFFICIENT_BUFFER, GetTcpTable(NULL, &size, TRUE));
	MIB_TCPTABLE *t = malloc(size);
	EXPECT_EQ(NO_ERROR, GetTcpTable(t, &size, TRUE));
	EXPECT_EQ(v4, t->dwNumEntries);
	free(t);
}

static void without_netlink_rows_come_from_proc_and_match(void **state)
{
	(void)state;
	if (!have_netns)
		skip();
	assert_int_equal(0, take(TCPT_SOURCE_NETLINK, &from_netlink));
	assert_true(tcpt_snapshot_count(from_netlink) >= 10);
	check_in_child(NULL, child_seccomp_only);
	tcpt_snapshot_free(from_netlink);
}

static void child_nothing_readable(void)
{
	if (sandbox_hide_proc() < 0 || sandbox_deny_netlink() < 0) {
		const char *lack = test_mount_namespace_lack();
		printf("# sandbox: %s\n", lack ? lack : strerror(errno));
		check_failed++;
		return;
	}
	static const enum tcpt_source sources[] = {TCPT_SOURCE_AUTO, TCPT_SOURCE_NETLINK,
						   TCPT_SOURCE_PROC};
	for (size_t i = 0; i < 3; i++) {
		struct tcpt_snapshot *s = (struct tcpt_snapshot *)&sources;
		struct tcpt_query q = {.source = sources[i]};
		EXPECT_EQ(-ENOTSUP, tcpt_snapshot_take(&q, &s));
		EXPECT_TRUE(s == (struct tcpt_snapshot *)&sources);
	}
	unsigned char buf[4096];
	memset(buf, 0xa5, sizeof(buf));
	ULONG size = 0;
	EXPECT_EQ(ERROR_NOT_SUPPORTED, GetTcpTable(NULL, &size, FALSE));
	size = sizeof(buf);
	EXPECT_EQ(ERROR_NOT_SUPPORTED, GetTcpTable((MIB_TCPTABLE *)buf, &size, FALSE));
	size = sizeof(buf);
	EXPECT_EQ(ERROR_NOT_SUPPORTED, GetTcpTable2((MIB_TCPTABLE2 *)buf, &size, TRUE));
	size = sizeof(buf);
	EXPECT_EQ(ERROR_NOT_SUPPORTED, GetTcp6Table((MIB_TCP6TABLE *)buf, &size, TRUE));
	size = sizeof(buf);
	EXPECT_EQ(ERROR_NOT_SUPPORTED, GetTcp6Table2((MIB_TCP6TABLE2 *)buf, &size, TRUE));
	DWORD dsize = sizeof(buf);
	EXPECT_EQ(ERROR_NOT_SUPPORTED, GetExtendedTcpTable(buf, &dsize, TRUE, 2,
							   TCP_TABLE_OWNER_PID_ALL, 0));
	dsize = sizeof(buf);
	EXPECT_EQ(ERROR_NOT_SUPPORTED, GetExtendedTcpTable(buf, &dsize, TRUE, 23,
							   TCP_TABLE_OWNER_MODULE_ALL, 0));
	EXPECT_TRUE(rel_all_bytes(buf, sizeof(buf), 0xa5));
}

static void without_netlink_or_proc_every_call_is_not_supported(void **state)
{
	(void)state;
	if (!have_netns)
		skip();
	check_in_child(NULL, child_nothing_readable);
}

static void child_proc_hidden(void)
{
	if (sandbox_hide_proc() < 0) {
		const char *lack = test_mount_namespace_lack();
		printf("# hiding /proc: %s\n", lack ? lack : strerror(errno));
		check_failed++;
		return;
	}
	struct tcpt_snapshot *s;
	EXPECT_EQ(0, take(TCPT_SOURCE_AUTO, &s));
	EXPECT_EQ(TCPT_SOURCE_NETLINK, tcpt_snapshot_source(s));
	EXPECT_EQ(tcpt_snapshot_count(from_netlink), tcpt_snapshot_count(s));
	tcpt_snapshot_free(s);
}

static void with_proc_hidden_netlink_still_answers(void **state)
{
	(void)state;
	if (!have_netns)
		skip();
	assert_int_equal(0, take(TCPT_SOURCE_NETLINK, &from_netlink));
	check_in_child(NULL, child_proc_hidden);
	tcpt_snapshot_free(from_netlink);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(without_netlink_rows_come_from_proc_and_match),
		cmocka_unit_test(without_netlink_or_proc_every_call_is_not_supported),
		cmocka_unit_test(with_proc_hidden_netlink_still_answers),
	};
	return cmocka_run_group_tests(tests, group_setup, NULL);
}
