/*
 * test_netns.c - one snapshot over several network namespaces (query->netns_fds): the rows of
 * each, told apart by their netns field, from both sources; the caller's own namespace is
 * left as it was.
 */
#include "itest.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include "netns.h"

#define OTHER_PORT 3000
#define OTHER_BACKLOG 9

#define both_sources itest_sources /* netlink, /proc and BPF */

struct other {
	pid_t pid;
	int fd;          /* the child's listener descriptor number */
	uint64_t inode, cookie, netns;
	int err;
};

/* Fork a child into a namespace of its own with one listener, 127.0.0.1:3000; describe it
 * as a fixture row. The child lives until tear-down. */
static unsigned spawn_other_namespace(struct fixture *f, struct other *o)
{
	int ready[2], release[2];
	assert_int_equal(0, pipe2(ready, O_CLOEXEC));
	assert_int_equal(0, pipe2(release, O_CLOEXEC));
	pid_t pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		close(ready[0]);
		close(release[1]);
		fixture_close(f);
		struct other me = {.pid = getpid(), .fd = -1};
		struct stat st;
		int r = test_netns_enter();
		if (r < 0)
			me.err = -r;
		else if ((me.fd = fx_listen(AF_INET, "127.0.0.1", OTHER_PORT, OTHER_BACKLOG, -1)) < 0)
			me.err = errno;
		else if (stat("/proc/self/ns/net", &st) < 0)
			me.err = errno;
		else {
			me.inode = fx_inode(me.fd);
			me.cookie = fx_cookie(me.fd);
			me.netns = (uint64_t)st.st_ino;
		}
		if (write(ready[1], &me, sizeof me) != (ssize_t)sizeof me)
			_exit(1);
		char byte;
		while (read(release[0], &byte, 1) < 0 && errno == EINTR)
			;
		_exit(0);
	}
	close(ready[1]);
	close(release[0]);
	itest_register_child(pid, release[1]);
	ssize_t n;
	while ((n = read(ready[0], o, sizeof *o)) < 0 && errno == EINTR)
		;
	close(ready[0]);
	assert_int_equal(sizeof *o, n);
	if (o->err)
		fail_msg("child namespace: %s", strerror(o->err));
	assert_true(o->netns != f->netns);

	unsigned id = fx_add_row(f, "OTHER_NETNS_LISTENER");
	struct tcpt_conn *w = &f->row[id].want;
	w->family = AF_INET;
	w->state = TCPT_LISTEN;
	fx_set_addr(w->local_addr, AF_INET, "127.0.0.1");
	w->local_port = OTHER_PORT;
	w->uid = (uint32_t)geteuid();
	w->wqueue = OTHER_BACKLOG;
	w->inode = o->inode;
	w->cookie = o->cookie;
	w->cgroup_id = f->cgroup_id;
	w->netns = o->netns;
	fx_add_owner(f, id, o->pid, o->fd, f->comm, f->exe);
	return id;
}

static int open_netns(pid_t pid)
{
	char path[64];
	snprintf(path, sizeof path, "/proc/%d/ns/net", (int)pid);
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	assert_true(fd >= 0);
	return fd;
}

static struct tcpt_snapshot *take_in(const int *fds, size_t n, enum tcpt_source src)
{
	struct tcpt_query q = {.source = src, .want = ITEST_WANT_NAMES, .netns_fds = fds,
			       .netns_count = n};
	struct tcpt_snapshot *s = NULL;
	int r = tcpt_snapshot_take(&q, &s);
	if (r != 0)
		fail_msg("tcpt_snapshot_take in %zu namespaces: %s (%d)", n, tcpt_strerror(r), r);
	return s;
}

static void assert_snapshot(struct fixture *f, fx_set set, struct tcpt_snapshot *s,
			    enum tcpt_source src)
{
	size_t problems = itest_compare(f, set, tcpt_snapshot_rows(s), tcpt_snapshot_count(s), src,
					ITEST_WANT_NAMES, tcpt_source_name(src));
	enum tcpt_source owners = tcpt_snapshot_owner_source(s);
	tcpt_snapshot_free(s);
	if (src == TCPT_SOURCE_BPF && itest_bpf_expected())
		assert_int_equal(TCPT_SOURCE_BPF, owners);
	if (problems)
		fail_msg("%zu difference(s) (listed above)", problems);
}

static void two_namespaces_give_the_rows_of_both_told_apart_by_netns(void **state)
{
	struct fixture *f = itest_fixture(state);
	fx_set ours = fx_all(f);
	struct other o;
	unsigned id = spawn_other_namespace(f, &o);
	int fds[2] = {fx_keep_fd(f, open_netns(getpid())), fx_keep_fd(f, open_netns(o.pid))};
	for (size_t i = 0; i < ITEST_NSOURCES; i++)
		assert_snapshot(f, ours | FX_BIT(id), take_in(fds, 2, both_sources[i]),
				both_sources[i]);
}

static void another_namespace_alone_gives_only_its_rows(void **state)
{
	struct fixture *f = itest_fixture(state);
	struct other o;
	unsigned id = spawn_other_namespace(f, &o);
	int fd = fx_keep_fd(f, open_netns(o.pid));
	for (size_t i = 0; i < ITEST_NSOURCES; i++)
		assert_snapshot(f, FX_BIT(id), take_in(&fd, 1, both_sources[i]), both_sources[i]);
	/* ... and the caller is still in its own namespace */
	struct stat st;
	assert_int_equal(0, stat("/proc/thread-self/ns/net", &st));
	assert_int_equal(f->netns, st.st_ino);
}

static void a_file_that_is_not_a_network_namespace_is_einval(void **state)
{
	struct fixture *f = itest_fixture(state);
	int fd = fx_keep_fd(f, open("/proc/self/ns/uts", O_RDONLY | O_CLOEXEC));
	assert_true(fd >= 0);
	struct tcpt_query q = {.netns_fds = &fd, .netns_count = 1};
	struct tcpt_snapshot *s = (struct tcpt_snapshot *)&q; /* must stay untouched */
	assert_int_equal(-EINVAL, tcpt_snapshot_take(&q, &s));
	assert_ptr_equal(&q, s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
#define T(name) cmocka_unit_test_setup_teardown(name, itest_setup, itest_teardown)
		T(two_namespaces_give_the_rows_of_both_told_apart_by_netns),
		T(another_namespace_alone_gives_only_its_rows),
		T(a_file_that_is_not_a_network_namespace_is_einval),
	};
	return cmocka_run_group_tests_name("integration netns", tests, itest_group_setup, NULL);
}
