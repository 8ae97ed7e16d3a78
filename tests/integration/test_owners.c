/*
 * test_owners.c - who holds each socket: pid and fd, process name and executable, several
 * owners in (pid, fd) order, none for sockets without a descriptor; checked against `ss -p`.
 */
#include "itest.h"

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "oracle.h"

#define both_sources itest_sources /* netlink, /proc and BPF */

#define HOLDER_FD 200
#define HOLDER_NAME "tcpt-holder"

static void owners_are_this_process_pid_and_fd_without_names(void **state)
{
	struct fixture *f = itest_fixture(state);
	for (size_t i = 0; i < ITEST_NSOURCES; i++) {
		struct tcpt_snapshot *s = itest_take(both_sources[i], 0, 0, TCPT_WANT_OWNERS,
						     TCPT_ORDER_KERNEL);
		itest_assert_rows(f, fx_all(f), s, both_sources[i], TCPT_WANT_OWNERS);
	}
}

static void want_process_adds_comm_and_exe(void **state)
{
	struct fixture *f = itest_fixture(state);
	assert_true(f->comm[0] != '\0' && f->exe[0] == '/');
	for (size_t i = 0; i < ITEST_NSOURCES; i++) {
		struct tcpt_snapshot *s = itest_take(both_sources[i], 0, 0, ITEST_WANT_NAMES,
						     TCPT_ORDER_KERNEL);
		itest_assert_rows(f, fx_all(f), s, both_sources[i], ITEST_WANT_NAMES);
	}
}

static void want_process_alone_implies_owners(void **state)
{
	struct fixture *f = itest_fixture(state);
	struct tcpt_snapshot *s = itest_take(TCPT_SOURCE_NETLINK, 0, 0, TCPT_WANT_PROCESS,
					     TCPT_ORDER_KERNEL);
	itest_assert_rows(f, fx_all(f), s, TCPT_SOURCE_NETLINK, ITEST_WANT_NAMES);
}

static void no_owners_and_no_unreadable_count_unless_asked(void **state)
{
	struct fixture *f = itest_fixture(state);
	for (size_t i = 0; i < ITEST_NSOURCES; i++) {
		struct tcpt_snapshot *s = itest_take(both_sources[i], 0, 0, 0, TCPT_ORDER_KERNEL);
		itest_assert_rows(f, fx_all(f), s, both_sources[i], 0);
		assert_int_equal(0, tcpt_snapshot_unreadable_processes(s));
	}
}

/* A forked child holding a listener as fd 200, and a second fd for one socket in this
 * process: owners are ordered by pid, then fd, each with its own process name. */
static void shared_socket_has_every_owner_ordered_by_pid_then_fd(void **state)
{
	struct fixture *f = itest_fixture(state);
	pid_t child = itest_spawn_holder(f->row[FX_LISTEN4].fd, HOLDER_FD, HOLDER_NAME);
	fx_add_owner(f, FX_LISTEN4, child, HOLDER_FD, HOLDER_NAME, f->exe);
	int dup_fd = fx_keep_fd(f, fcntl(f->row[FX_EST4_SERVER].fd, F_DUPFD_CLOEXEC, 100));
	assert_true(dup_fd >= 100);
	fx_add_owner(f, FX_EST4_SERVER, getpid(), dup_fd, f->comm, f->exe);
	for (size_t i = 0; i < ITEST_NSOURCES; i++) {
		struct tcpt_snapshot *s = itest_take(both_sources[i], 0, 0, ITEST_WANT_NAMES,
						     TCPT_ORDER_KERNEL);
		itest_assert_rows(f, fx_all(f), s, both_sources[i], ITEST_WANT_NAMES);
		const struct tcpt_conn *r = itest_find(s, &f->row[FX_LISTEN4].want);
		assert_non_null(r);
		assert_int_equal(2, r->owner_count);
	}
}

static void time_wait_row_has_no_inode_and_no_owner(void **state)
{
	struct fixture *f = itest_fixture(state);
	for (size_t i = 0; i < ITEST_NSOURCES; i++) {
		struct tcpt_snapshot *s = itest_take(both_sources[i], 0,
						     TCPT_STATE_BIT(TCPT_TIME_WAIT), ITEST_WANT_NAMES,
						     TCPT_ORDER_KERNEL);
		assert_int_equal(1, tcpt_snapshot_count(s));
		const struct tcpt_conn *r = tcpt_snapshot_rows(s);
		assert_int_equal(TCPT_TIME_WAIT, r->state);
		assert_int_equal(f->row[FX_TIME_WAIT].want.local_port, r->local_port);
		assert_int_equal(0, r->inode);
		assert_int_equal(0, r->uid);
		assert_int_equal(0, r->owner_count);
		assert_null(r->owners);
	}
}

static void syn_recv_row_has_no_inode_and_no_owner(void **state)
{
	struct fixture *f = itest_fixture(state);
	for (size_t i = 0; i < ITEST_NSOURCES; i++) {
		struct tcpt_snapshot *s = itest_take(both_sources[i], 0,
						     TCPT_STATE_BIT(TCPT_SYN_RECV), ITEST_WANT_NAMES,
						     TCPT_ORDER_KERNEL);
		assert_int_equal(1, tcpt_snapshot_count(s));
		const struct tcpt_conn *r = tcpt_snapshot_rows(s);
		assert_int_equal(TCPT_SYN_RECV, r->state);
		assert_int_equal(f->row[FX_SYN_RECV].want.remote_port, r->remote_port);
		assert_int_equal(0, r->inode);
		assert_int_equal(0, r->owner_count);
		assert_null(r->owners);
	}
}

/* A connection still in the listener's accept queue has no descriptor yet. */
static void unaccepted_connection_has_no_inode_and_no_owner(void **state)
{
	struct fixture *f = itest_fixture(state);
	for (size_t i = 0; i < ITEST_NSOURCES; i++) {
		struct tcpt_snapshot *s = itest_take(both_sources[i], 0, 0, ITEST_WANT_NAMES,
						     TCPT_ORDER_KERNEL);
		const struct tcpt_conn *r = itest_find(s, &f->row[FX_QUEUED_SERVER].want);
		assert_non_null(r);
		assert_int_equal(TCPT_ESTABLISHED, r->state);
		assert_int_equal(0, r->inode);
		assert_int_equal(0, r->owner_count);
		assert_null(r->owners);
	}
}

/* `ss -tanpe` names the same owners (pid, fd, name) for every socket inode. */
static void owners_agree_with_ss(void **state)
{
	struct fixture *f = itest_fixture(state);
	oracle_require_ss();
	itest_spawn_holder(f->row[FX_EST6_CLIENT].fd, HOLDER_FD, HOLDER_NAME);
	struct tcpt_snapshot *s = itest_take(TCPT_SOURCE_NETLINK, 0, 0, ITEST_WANT_NAMES,
					     TCPT_ORDER_KERNEL);
	struct oracle_row *ss;
	size_t n = oracle_ss(&ss, "-tanpe", NULL);
	assert_int_equal(tcpt_snapshot_count(s), n);
	const struct tcpt_conn *rows = tcpt_snapshot_rows(s);
	size_t compared = 0;
	for (size_t i = 0; i < n; i++) {
		if (!ss[i].has_details)
			fail_msg("ss -e printed no ino: for %s %s", ss[i].local, ss[i].remote);
		if (ss[i].inode == 0)
			continue;
		const struct tcpt_conn *r = NULL;
		for (size_t j = 0; j < n && !r; j++)
			if (rows[j].inode == ss[i].inode)
				r = &rows[j];
		if (!r)
			fail_msg("ss lists inode %llu, the snapshot does not",
				 (unsigned long long)ss[i].inode);
		assert_int_equal(ss[i].nowners, r->owner_count);
		for (unsigned k = 0; k < ss[i].nowners; k++) {
			assert_int_equal(ss[i].owners[k].pid, r->owners[k].pid);
			assert_int_equal(ss[i].owners[k].fd, r->owners[k].fd);
			assert_string_equal(ss[i].owners[k].name, r->owners[k].name);
		}
		compared++;
	}
	size_t with_inode = 0;
	for (unsigned i = 0; i < f->nrows; i++)
		with_inode += f->row[i].want.inode != 0;
	assert_int_equal(with_inode, compared);
}

/* Owners alone (tcpt_owner_map_take): for every row of a snapshot with owners, the map gives
 * the same owners, names and executables, with every source; the shared listener has both
 * of its holders. Inode 0, an unknown inode and a NULL map give none. */
static void owner_map_gives_the_owners_a_snapshot_joins(void **state)
{
	struct fixture *f = itest_fixture(state);
	pid_t child = itest_spawn_holder(f->row[FX_LISTEN4].fd, HOLDER_FD, HOLDER_NAME);
	fx_add_owner(f, FX_LISTEN4, child, HOLDER_FD, HOLDER_NAME, f->exe);
	for (size_t i = 0; i < ITEST_NSOURCES; i++) {
		struct tcpt_snapshot *s = itest_take(both_sources[i], 0, 0, ITEST_WANT_NAMES,
						     TCPT_ORDER_KERNEL); /* freed by the teardown */
		itest_assert_rows(f, fx_all(f), s, both_sources[i], ITEST_WANT_NAMES);
		struct tcpt_query q = {.source = both_sources[i], .want = TCPT_WANT_PROCESS};
		struct tcpt_owner_map *map = NULL;
		assert_int_equal(0, tcpt_owner_map_take(&q, &map));
		assert_int_equal(tcpt_snapshot_owner_source(s), tcpt_owner_map_source(map));
		assert_int_equal(tcpt_snapshot_unreadable_processes(s),
				 tcpt_owner_map_unreadable_processes(map));
		assert_int_equal(tcpt_snapshot_owner_gaps(s), tcpt_owner_map_gaps(map));
		const struct tcpt_conn *rows = tcpt_snapshot_rows(s);
		size_t with_owners = 0;
		for (size_t k = 0; k < tcpt_snapshot_count(s); k++) {
			const struct tcpt_owner *o;
			uint32_t n = tcpt_owner_map_find(map, rows[k].inode, &o);
			assert_int_equal(rows[k].owner_count, n);
			with_owners += n > 0;
			for (uint32_t j = 0; j < n; j++) {
				assert_int_equal(rows[k].owners[j].pid, o[j].pid);
				assert_int_equal(rows[k].owners[j].fd, o[j].fd);
				assert_string_equal(rows[k].owners[j].name, o[j].name);
				assert_string_equal(rows[k].owners[j].exe, o[j].exe);
			}
		}
		assert_true(with_owners >= 8);
		const struct tcpt_conn *shared = itest_find(s, &f->row[FX_LISTEN4].want);
		const struct tcpt_owner *o;
		assert_non_null(shared);
		assert_int_equal(2, tcpt_owner_map_find(map, shared->inode, &o));
		assert_int_equal(0, tcpt_owner_map_find(map, 0, &o));
		assert_null(o);
		assert_int_equal(0, tcpt_owner_map_find(map, UINT64_MAX, &o));
		tcpt_owner_map_free(map);
	}
	const struct tcpt_owner *o = (const void *)1;
	assert_int_equal(0, tcpt_owner_map_find(NULL, 1, &o));
	assert_null(o);
	assert_int_equal(TCPT_SOURCE_AUTO, tcpt_owner_map_source(NULL));
	assert_int_equal(0, tcpt_owner_map_unreadable_processes(NULL));
	assert_int_equal(0, tcpt_owner_map_gaps(NULL));
	tcpt_owner_map_free(NULL);
	struct tcpt_owner_map *map = (void *)1;
	assert_int_equal(-EINVAL, tcpt_owner_map_take(NULL, &map));
	struct tcpt_query bad = {.want = 1u << 30};
	assert_int_equal(-EINVAL, tcpt_owner_map_take(&bad, &map));
	assert_int_equal(-EINVAL, tcpt_owner_map_take(&(struct tcpt_query){0}, NULL));
	assert_ptr_equal((void *)1, map);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
#define T(name) cmocka_unit_test_setup_teardown(name, itest_setup, itest_teardown)
		T(owners_are_this_process_pid_and_fd_without_names),
		T(want_process_adds_comm_and_exe),
		T(want_process_alone_implies_owners),
		T(no_owners_and_no_unreadable_count_unless_asked),
		T(shared_socket_has_every_owner_ordered_by_pid_then_fd),
		T(time_wait_row_has_no_inode_and_no_owner),
		T(syn_recv_row_has_no_inode_and_no_owner),
		T(unaccepted_connection_has_no_inode_and_no_owner),
		T(owners_agree_with_ss),
		T(owner_map_gives_the_owners_a_snapshot_joins),
	};
	return cmocka_run_group_tests_name("integration owners", tests, itest_group_setup, NULL);
}
