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
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <iphlpapi.h>

#include "check.h"
#include "rel.h"
#include "sandbox.h"

static bool have_netns;
static int fds[16], nfds;
static struct tcpt_snapshot *as_root;
static char public_dir[64]; /* a copy of the command that uid 65534 may run */
static char public_tcptable[128];

static int copy_to(const char *from, const char *to)
{
	int in = open(from, O_RDONLY | O_CLOEXEC);
	int out = open(to, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0755);
	char buf[65536];
	ssize_t n = 0;
	while (in >= 0 && out >= 0 && (n = read(in, buf, sizeof(buf))) > 0)
		if (write(out, buf, (size_t)n) != n)
			n = -1;
	int r = in >= 0 && out >= 0 && n == 0 ? 0 : -1;
	close(in);
	close(out);
	return r;
}

/* The build tree may lie where nobody cannot reach (a checkout under /root): copy the command
 * and its library, side by side as its RUNPATH ($ORIGIN/../lib) expects, to a public place. */
static int make_public_copy(void)
{
	char path[192];
	strcpy(public_dir, "/tmp/tcpt-nobody-XXXXXX");
	if (!mkdtemp(public_dir) || chmod(public_dir, 0755) < 0)
		return -1;
	snprintf(path, sizeof(path), "%s/cli", public_dir);
	if (mkdir(path, 0755) < 0)
		return -1;
	snprintf(path, sizeof(path), "%s/lib", public_dir);
	if (mkdir(path, 0755) < 0)
		return -1;
	snprintf(public_tcptable, sizeof(public_tcptable), "%s/cli/tcptable", public_dir);
	snprintf(path, sizeof(path), "%s/lib/libtcptable.so.0", public_dir);
	return copy_to(rel_build_path("src/cli/tcptable"), public_tcptable) == 0 &&
			       copy_to(rel_build_path("src/lib/libtcptable.so.0"), path) == 0
		       ? 0
		       : -1;
}

static void remove_public_copy(void)
{
	char path[192];
	if (!public_dir[0])
		return;
	unlink(public_tcptable);
	snprintf(path, sizeof(path), "%s/lib/libtcptable.so.0", public_dir);
	unlink(path);
	snprintf(path, sizeof(path), "%s/cli", public_dir);
	rmdir(path);
	snprintf(path, sizeof(path), "%s/lib", public_dir);
	rmdir(path);
	rmdir(public_dir);
}

static int group_setup(void **state)
{
	(void)state;
	bool skip;
	have_netns = rel_netns("reliability nobody", &skip) == 0 &&
		     (nfds = rel_open_sockets(fds, 16)) > 0;
	if (have_netns && make_public_copy() < 0) {
		fprintf(stderr, "reliability nobody: cannot copy tcptable to %s\n", public_dir);
		return -1;
	}
	return 0;
}

static int group_teardown(void **state)
{
	(void)state;
	remove_public_copy();
	return 0;
}

static int take(unsigned want, struct tcpt_snapshot **ret)
{
	struct tcpt_query q = {.order = TCPT_ORDER_ADDRESS, .want = want};
	*ret = NULL;
	return tcpt_snapshot_take(&q, ret);
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
	check_in_child(sandbox_become_nobody, child_lists);
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
	check_in_child(sandbox_become_nobody, child_set_entry);
	assert_nothing_closed();
	tcpt_snapshot_free(as_root);
}

static void child_kill(void)
{
	char port[16], out[4096], err[4096];
	snprintf(port, sizeof(port), "%u", rel_port(fds[0]));
	char *argv[] = {public_tcptable, (char *)"--kill",
			(char *)"--dport", port, (char *)"--yes", NULL};
	int status = sandbox_run(argv, out, sizeof(out), err, sizeof(err));
	EXPECT_TRUE(status > 0 && status != 127);
	EXPECT_TRUE(strstr(err, "CAP_NET_ADMIN") != NULL);
	if (!strstr(err, "CAP_NET_ADMIN") || status <= 0)
		printf("# tcptable --kill as nobody: status %d, stderr: %s\n", status, err);
	char *argv1[] = {public_tcptable, (char *)"--kill",
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
	check_in_child(sandbox_become_nobody, child_kill);
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
	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
