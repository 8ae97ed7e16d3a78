/*
 * test_sources_agree.c - netlink and /proc give the same rows for the same namespace (but
 * for the fields the header says /proc cannot fill), and both agree with `ss -tane`.
 */
#include "itest.h"

#include <string.h>
#include <time.h>

#include "oracle.h"

static const enum tcpt_source both_sources[] = {TCPT_SOURCE_NETLINK, TCPT_SOURCE_PROC};

/* Take one snapshot from each source; *ret_ms is how long both took (timer drift bound). */
static void take_both(unsigned families, unsigned want, enum tcpt_order order,
		      struct tcpt_snapshot **nl, struct tcpt_snapshot **proc, uint32_t *ret_ms)
{
	struct timespec start;
	clock_gettime(CLOCK_MONOTONIC, &start);
	*nl = itest_take(TCPT_SOURCE_NETLINK, families, 0, want, order);
	*proc = itest_take(TCPT_SOURCE_PROC, families, 0, want, order);
	/* + 10 ms: /proc counts in USER_HZ steps */
	*ret_ms = (uint32_t)fx_ms_since(&start) + 10 + 1;
}

static void assert_sources_agree(unsigned families, unsigned want, enum tcpt_order order)
{
	struct tcpt_snapshot *nl, *proc;
	uint32_t tolerance;
	take_both(families, want, order, &nl, &proc, &tolerance);
	size_t problems = itest_compare_sources(tcpt_snapshot_rows(nl), tcpt_snapshot_count(nl),
						tcpt_snapshot_rows(proc), tcpt_snapshot_count(proc),
						tolerance, want);
	if (problems)
		fail_msg("families %#x, want %#x: %zu difference(s) between the sources", families,
			 want, problems);
}

static void netlink_and_proc_list_the_same_sockets_with_the_same_fields(void **state)
{
	struct fixture *f = itest_fixture(state);
	assert_sources_agree(0, 0, TCPT_ORDER_KERNEL);
	(void)f;
}

static void netlink_and_proc_give_the_same_owners_names_and_paths(void **state)
{
	struct fixture *f = itest_fixture(state);
	itest_spawn_holder(f->row[FX_EST6_SERVER].fd, 200, "tcpt-holder");
	assert_sources_agree(0, TCPT_WANT_ALL, TCPT_ORDER_KERNEL);
}

static void netlink_and_proc_agree_under_each_family_mask(void **state)
{
	struct fixture *f = itest_fixture(state);
	assert_sources_agree(TCPT_FAMILY_IPV4, 0, TCPT_ORDER_KERNEL);
	assert_sources_agree(TCPT_FAMILY_IPV6, 0, TCPT_ORDER_KERNEL);
	(void)f;
}

static void netlink_and_proc_sort_the_same_rows_in_the_same_address_order(void **state)
{
	struct fixture *f = itest_fixture(state);
	struct tcpt_snapshot *nl, *proc;
	uint32_t tolerance;
	take_both(0, 0, TCPT_ORDER_ADDRESS, &nl, &proc, &tolerance);
	assert_int_equal(f->nrows, tcpt_snapshot_count(nl));
	assert_int_equal(f->nrows, tcpt_snapshot_count(proc));
	const struct tcpt_conn *a = tcpt_snapshot_rows(nl), *b = tcpt_snapshot_rows(proc);
	for (size_t i = 0; i < f->nrows; i++) {
		char x[160], y[160];
		itest_format_row(&a[i], x, sizeof x);
		itest_format_row(&b[i], y, sizeof y);
		assert_string_equal(x, y);
	}
}

static const struct tcpt_conn *find_endpoints(const struct tcpt_snapshot *s, const char *local,
					      const char *remote)
{
	const struct tcpt_conn *rows = tcpt_snapshot_rows(s);
	for (size_t i = 0; i < tcpt_snapshot_count(s); i++) {
		char l[80], r[80];
		oracle_endpoint_of(&rows[i], false, l, sizeof l);
		oracle_endpoint_of(&rows[i], true, r, sizeof r);
		if (strcmp(l, local) == 0 && strcmp(r, remote) == 0)
			return &rows[i];
	}
	return NULL;
}

/* ss -tane: state, queues, inode, uid and cookie ("sk:") of every socket. */
static void both_sources_agree_with_ss_on_state_queues_inode_uid_and_cookie(void **state)
{
	struct fixture *f = itest_fixture(state);
	oracle_require_ss();
	struct oracle_row *ss;
	size_t n = oracle_ss(&ss, "-tane", NULL);
	assert_int_equal(f->nrows, n);
	for (size_t k = 0; k < 2; k++) {
		enum tcpt_source src = both_sources[k];
		struct tcpt_snapshot *s = itest_take(src, 0, 0, 0, TCPT_ORDER_KERNEL);
		assert_int_equal(n, tcpt_snapshot_count(s));
		for (size_t i = 0; i < n; i++) {
			const struct tcpt_conn *r = find_endpoints(s, ss[i].local, ss[i].remote);
			if (!r)
				fail_msg("source %d: no row for ss's %s %s %s", src, ss[i].local,
					 ss[i].remote, ss[i].state);
			assert_string_equal(ss[i].state, tcpt_state_name(r->state));
			assert_int_equal(ss[i].rqueue, r->rqueue);
			if (!(src == TCPT_SOURCE_PROC && r->state == TCPT_LISTEN))
				assert_int_equal(ss[i].wqueue, r->wqueue);
			assert_true(ss[i].has_details);
			assert_int_equal(ss[i].inode, r->inode);
			/* /proc gives a request the listener's uid, netlink (and so ss) 0 */
			if (!(src == TCPT_SOURCE_PROC && r->state == TCPT_SYN_RECV))
				assert_int_equal(ss[i].uid, r->uid);
			assert_int_equal(src == TCPT_SOURCE_PROC ? 0 : ss[i].cookie, r->cookie);
		}
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
#define T(name) cmocka_unit_test_setup_teardown(name, itest_setup, itest_teardown)
		T(netlink_and_proc_list_the_same_sockets_with_the_same_fields),
		T(netlink_and_proc_give_the_same_owners_names_and_paths),
		T(netlink_and_proc_agree_under_each_family_mask),
		T(netlink_and_proc_sort_the_same_rows_in_the_same_address_order),
		T(both_sources_agree_with_ss_on_state_queues_inode_uid_and_cookie),
	};
	return cmocka_run_group_tests_name("integration sources agree", tests, itest_group_setup,
					   NULL);
}
