/*
 * test_unprivileged.c - a child that drops to nobody (uid/gid 65534, no groups) still gets
 * every row with every field, and nothing fails; it sees the owners of its own sockets only
 * and says how many processes it could not inspect.
 */
#include "itest.h"

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#define NOBODY 65534
#define NOBODY_PORT 2020
#define NOBODY_BACKLOG 1

enum { PLAIN_NETLINK, PLAIN_PROC, OWNERS_NETLINK, OWNERS_PROC, NTAKES };

static const struct {
	enum tcpt_source source;
	unsigned want;
	const char *label;
} takes[NTAKES] = {
	[PLAIN_NETLINK] = {TCPT_SOURCE_NETLINK, 0, "nobody, netlink"},
	[PLAIN_PROC] = {TCPT_SOURCE_PROC, 0, "nobody, /proc"},
	[OWNERS_NETLINK] = {TCPT_SOURCE_NETLINK, ITEST_WANT_NAMES, "nobody, netlink, owners"},
	[OWNERS_PROC] = {TCPT_SOURCE_PROC, ITEST_WANT_NAMES, "nobody, /proc, owners"},
};

struct report {
	char failed_step[64]; /* empty when the child got as far as the snapshots */
	int err;
	int rc[NTAKES];
	size_t problems[NTAKES];
	size_t unreadable[NTAKES];
	int32_t pid;
};

static void drop_to_nobody(struct report *rep)
{
	if (setgroups(0, NULL) < 0)
		snprintf(rep->failed_step, sizeof rep->failed_step, "setgroups");
	else if (setgid(NOBODY) < 0)
		snprintf(rep->failed_step, sizeof rep->failed_step, "setgid");
	else if (setuid(NOBODY) < 0)
		snprintf(rep->failed_step, sizeof rep->failed_step, "setuid");
	else if (geteuid() != NOBODY || getegid() != NOBODY)
		snprintf(rep->failed_step, sizeof rep->failed_step, "still privileged");
	/* Like any process started by nobody (setuid() cleared it). */
	else if (prctl(PR_SET_DUMPABLE, 1, 0, 0, 0) < 0)
		snprintf(rep->failed_step, sizeof rep->failed_step, "PR_SET_DUMPABLE");
	rep->err = errno;
}

/* A socket of nobody's own, with the row it must produce. */
static void own_listener(struct fixture *f, struct report *rep)
{
	int fd = fx_listen(AF_INET, "127.0.0.1", NOBODY_PORT, NOBODY_BACKLOG, -1);
	if (fd < 0) {
		snprintf(rep->failed_step, sizeof rep->failed_step, "listen as nobody");
		rep->err = errno;
		return;
	}
	unsigned id = fx_add_row(f, "NOBODY_LISTENER");
	struct fx_row *r = &f->row[id];
	r->fd = fd;
	r->want.family = AF_INET;
	r->want.state = TCPT_LISTEN;
	fx_set_addr(r->want.local_addr, AF_INET, "127.0.0.1");
	r->want.local_port = NOBODY_PORT;
	r->want.uid = NOBODY;
	r->want.wqueue = NOBODY_BACKLOG;
	r->want.inode = fx_inode(fd);
	r->want.cookie = fx_cookie(fd);
	r->want.cgroup_id = f->cgroup_id;
	r->want.netns = f->netns;
	fx_add_owner(f, id, (int32_t)getpid(), fd, f->comm, f->exe);
}

static void child(struct fixture *f, struct report *rep)
{
	/* Our copies of root's descriptors go: root's sockets then have no owner we may see. */
	fixture_close(f);
	for (unsigned i = 0; i < f->nrows; i++)
		f->row[i].nowners = 0;
	drop_to_nobody(rep);
	if (rep->failed_step[0])
		return;
	own_listener(f, rep);
	if (rep->failed_step[0])
		return;
	rep->pid = (int32_t)getpid();
	for (int t = 0; t < NTAKES; t++) {
		struct tcpt_snapshot *s = NULL;
		rep->rc[t] = itest_take_raw(takes[t].source, takes[t].want, &s);
		if (rep->rc[t] == 0) {
			rep->problems[t] = itest_compare(f, fx_all(f), tcpt_snapshot_rows(s),
							 tcpt_snapshot_count(s), takes[t].source,
							 takes[t].want, takes[t].label);
			rep->unreadable[t] = tcpt_snapshot_unreadable_processes(s);
		}
		tcpt_snapshot_free(s);
	}
	fixture_close(f);
}

/* Fork, run child() as nobody, and return its report. */
static struct report run_as_nobody(struct fixture *f)
{
	struct report rep;
	memset(&rep, 0, sizeof rep);
	int p[2];
	assert_int_equal(0, pipe2(p, O_CLOEXEC));
	pid_t pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		close(p[0]);
		child(f, &rep);
		ssize_t w = write(p[1], &rep, sizeof rep);
		_exit(w == (ssize_t)sizeof rep ? 0 : 1);
	}
	close(p[1]);
	ssize_t got = 0, r;
	while (got < (ssize_t)sizeof rep &&
	       ((r = read(p[0], (char *)&rep + got, sizeof rep - (size_t)got)) > 0 ||
		(r < 0 && errno == EINTR)))
		got += r > 0 ? r : 0;
	close(p[0]);
	int status;
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	assert_true(WIFEXITED(status));
	assert_int_equal(0, WEXITSTATUS(status));
	assert_int_equal(sizeof rep, got);
	if (rep.failed_step[0])
		fail_msg("child as nobody: %s: %s", rep.failed_step, strerror(rep.err));
	return rep;
}

static void assert_take(const struct report *rep, int t)
{
	if (rep->rc[t] != 0)
		fail_msg("%s: tcpt_snapshot_take: %s (%d)", takes[t].label, tcpt_strerror(rep->rc[t]),
			 rep->rc[t]);
	if (rep->problems[t])
		fail_msg("%s: %zu difference(s) from the expected rows (listed above)",
			 takes[t].label, rep->problems[t]);
}

static void nobody_lists_every_row_with_every_field_from_netlink(void **state)
{
	struct report rep = run_as_nobody(itest_fixture(state));
	assert_take(&rep, PLAIN_NETLINK);
}

static void nobody_lists_every_row_with_every_field_from_proc(void **state)
{
	struct report rep = run_as_nobody(itest_fixture(state));
	assert_take(&rep, PLAIN_PROC);
}

/* Root's sockets have no owner for nobody; nobody's own listener has nobody's pid and fd,
 * name and executable. */
static void nobody_sees_owners_of_its_own_sockets_only(void **state)
{
	struct report rep = run_as_nobody(itest_fixture(state));
	assert_take(&rep, OWNERS_NETLINK);
	assert_take(&rep, OWNERS_PROC);
}

/* This test process (root) is one nobody may not inspect. */
static void nobody_counts_root_processes_as_unreadable(void **state)
{
	struct report rep = run_as_nobody(itest_fixture(state));
	assert_int_equal(0, rep.rc[OWNERS_NETLINK]);
	assert_int_equal(0, rep.rc[OWNERS_PROC]);
	assert_true(rep.unreadable[OWNERS_NETLINK] > 0);
	assert_true(rep.unreadable[OWNERS_PROC] > 0);
	assert_int_equal(0, rep.unreadable[PLAIN_NETLINK]);
	assert_int_equal(0, rep.unreadable[PLAIN_PROC]);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
#define T(name) cmocka_unit_test_setup_teardown(name, itest_setup, itest_teardown)
		T(nobody_lists_every_row_with_every_field_from_netlink),
		T(nobody_lists_every_row_with_every_field_from_proc),
		T(nobody_sees_owners_of_its_own_sockets_only),
		T(nobody_counts_root_processes_as_unreadable),
	};
	return cmocka_run_group_tests_name("integration unprivileged", tests, itest_group_setup,
					   NULL);
}
