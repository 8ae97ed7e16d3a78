/* test_nobody.c - as nobody (uid and gid 65534, no groups): listing works and gives the rows
 * root sees, owners appear only for what /proc lets nobody read, SetTcpEntry answers 317,
 * `tcptable --kill` says it needs CAP_NET_ADMIN and fails; nothing is closed on the way. */
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
#include "rel.h"
#include "sandbox.h"

static bool have_netns;
static int fds[16], nfds;
static struct tcpt_snapshot *as_root;

static int group_setup(void **state)
{
	(void)state;
	bool skip;
	have_netns = rel_netns("reliability nobody", &skip) == 0 &&
		     (nfds = rel_open_sockets(fds, 16)) > 0;
	return 0;
}

static int take(unsigned want, struct tcpt_snapshot **ret)
{
	struct tcpt_query q = {.order = TCPT_ORDER_ADDRESS, .want = want};
	*ret = NULL;
	return tcpt_snapshot_take(&q, ret);
}

static void in_child_as_nobody(void (*child)(void))
{
	fflush(stdout);
	pid_t pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		if (sandbox_become_nobody() < 0) {
			printf("# becoming nobody: %s\n", strerror(errno));
			check_failed++;
		} else {
			child();
		}
		fflush(stdout);
		_exit(check_failed > 255 ? 255 : (int)check_failed);
	}
	int status;
	assert_int_equal(pid, waitpid(pid, &status, 0));
	if (!WIFEXITED(status))
		fail_msg("the child died of signal %d", WTERMSIG(status));
	assert_int_equal(0, WEXITSTATUS(status));
}

/* Root's rows are all still there, ESTABLISHED ones included. */
static void assert_nothing_closed(void)
{
	struct tcpt_snapshot *now;
	assert_int_equal(0, take(0, &now));
	assert_int_equal(0, sandbox_compare_sources(tcpt_snapshot_rows(as_root),
						    tcpt_snapshot_count(as_root),
						    tcpt_snapshot_rows(now), tcpt_snapshot_count(now)));
	tcpt_snapshot_free(now);
}

static void child_lists(void)
{
	int mine = rel_listen(2, "127.0.0.1", 0); /* AF_INET; nobody's own socket */
	EXPECT_TRUE(mine >= 0);
	struct tcpt_snapshot *s;
	EXPECT_EQ(0, take(TCPT_WANT_OWNERS | TCPT_WANT_PROCESS, &s));
	size_t n = tcpt_snapshot_count(s), owned = 0;
	EXPECT_EQ(tcpt_snapshot_count(as_root) + 1, n);
	EXPECT_TRUE(tcpt_snapshot_unreadable_processes(s) > 0);
	const struct tcpt_conn *rows = tcpt_snapshot_rows(s);
	for (size_t i = 0; i < n; i++) {
		if (rows[i].local_port == rel_port(mine)) {
			EXPECT_EQ(1, rows[i].owner_count);
			if (rows[i].owner_count == 1)
				EXPECT_EQ(getpid(), rows[i].owners[0].pid);
			EXPECT_EQ(65534, rows[i].uid);
		} else {
			/* root's sockets, which this child inherited: the child is their only
			 * owner it may see; its root parent's descriptors are closed to it */
			for (uint32_t k = 0; k < rows[i].owner_count; k++)
				owned += rows[i].owners[k].pid != getpid();
			EXPECT_EQ(rows[i].inode ? 1 : 0, rows[i].owner_count);
		}
	}
	EXPECT_EQ(0, owned);
	tcpt_snapshot_free(s);
	/* the rows root sees, field for field (netlink both times) */
	EXPECT_EQ(0, take(0, &s));
	struct tcpt_conn *without = calloc(n, sizeof(*without));
	size_t k = 0;
	for (size_t i = 0; i < tcpt_snapshot_count(s); i++)
		if (tcpt_snapshot_rows(s)[i].local_port != rel_port(mine))
			without[k++] = tcpt_snapshot_rows(s)[i];
	EXPECT_EQ(0, sandbox_compare_sources(tcpt_snapshot_rows(as_root),
					     tcpt_snapshot_count(as_root), without, k));
	free(without);
	tcpt_snapshot_free(s);
}

static void nobody_lists_the_rows_root_sees_with_owners_only_where_proc_allows(void **state)
{
	(void)state;
	if (!have_netns)
		skip();
	assert_int_equal(0, take(0, &as_root));
	in_child_as_nobody(child_lists);
	tcpt_snapshot_free(as_root);
}

static int established_client(void)
{
	return fds[1]; /* rel_open_sockets: listener, then client, server, ... */
}

static void child_set_entry(void)
{
	int c = established_client();
	MIB_TCPROW row = {.dwState = MIB_TCP_STATE_DELETE_TCB,
			  .dwLocalAddr = htonl(0x7f000001), .dwLocalPort = htons(rel_port(c)),
			  .dwRemoteAddr = htonl(0x7f000001), .dwRemotePort = htons(rel_port(fds[0]))};
	EXPECT_EQ(ERROR_MR_MID_NOT_FOUND, SetTcpEntry(&row));
	row.dwRemotePort = htons(1); /* no such connection: still 317, checked first */
	EXPECT_EQ(ERROR_MR_MID_NOT_FOUND, SetTcpEntry(&row));
	struct tcpt_conn conn = {.family = 2, .state = TCPT_ESTABLISHED,
				 .local_port = rel_port(c), .remote_port = rel_port(fds[0]),
				 .local_addr = {127, 0, 0, 1}, .remote_addr = {127, 0, 0, 1}};
	EXPECT_EQ(-EPERM, tcpt_conn_destroy(&conn));
}

static void nobody_set_tcp_entry_is_317_and_closes_nothing(void **state)
{
	(void)state;
	if (!have_netns)
		skip();
	assert_int_equal(0, take(0, &as_root));
	in_child_as_nobody(child_set_entry);
	assert_nothing_closed();
	tcpt_snapshot_free(as_root);
}

static void child_kill(void)
{
	char port[16], out[4096], err[4096];
	snprintf(port, sizeof(port), "%u", rel_port(fds[0]));
	char *argv[] = {(char *)rel_build_path("src/cli/tcptable"), (char *)"--kill",
			(char *)"--dport", port, (char *)"--yes", NULL};
	int status = sandbox_run(argv, out, sizeof(out), err, sizeof(err));
	EXPECT_TRUE(status > 0 && status != 127);
	EXPECT_TRUE(strstr(err, "CAP_NET_ADMIN") != NULL);
	if (!strstr(err, "CAP_NET_ADMIN") || status <= 0)
		printf("# tcptable --kill as nobody: status %d, stderr: %s\n", status, err);
	char *argv1[] = {(char *)rel_build_path("src/cli/tcptable"), (char *)"--kill",
			 (char *)"--dport", (char *)"1", (char *)"--yes", NULL};
	status = sandbox_run(argv1, out, sizeof(out), err, sizeof(err));
	EXPECT_TRUE(status > 0 && status != 127 && strstr(err, "CAP_NET_ADMIN"));
}

static void nobody_kill_needs_cap_net_admin_and_closes_nothing(void **state)
{
	(void)state;
	if (!have_netns)
		skip();
	assert_int_equal(0, take(0, &as_root));
	in_child_as_nobody(child_kill);
	assert_nothing_closed();
	tcpt_snapshot_free(as_root);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(nobody_lists_the_rows_root_sees_with_owners_only_where_proc_allows),
		cmocka_unit_test(nobody_set_tcp_entry_is_317_and_closes_nothing),
		cmocka_unit_test(nobody_kill_needs_cap_net_admin_and_closes_nothing),
	};
	return cmocka_run_group_tests(tests, group_setup, NULL);
}
