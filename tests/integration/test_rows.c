/*
 * test_rows.c - every row of the known sockets, field by field, from each source; state and
 * family masks; address order.
 */
#include "itest.h"

#include <netinet/in.h>
#include <netinet/tcp.h>
#include <string.h>
#include <sys/socket.h>

#define both_sources itest_sources /* netlink, /proc and BPF */

/* The test's own assumption: the sockets we hold are in the states the rows expect. */
static void fixture_sockets_are_in_the_states_the_tests_assume(void **state)
{
	struct fixture *f = itest_fixture(state);
	for (unsigned i = 0; i < f->nrows; i++) {
		const struct fx_row *r = &f->row[i];
		if (r->fd < 0)
			continue;
		struct tcp_info ti;
		socklen_t len = sizeof ti;
		assert_int_equal(0, getsockopt(r->fd, IPPROTO_TCP, TCP_INFO, &ti, &len));
		if (ti.tcpi_state != r->want.state)
			fail_msg("%s: kernel state %u, fixture expects %u", r->name, ti.tcpi_state,
				 r->want.state);
		assert_true(r->want.inode != 0);
		assert_true(r->want.cookie != 0);
	}
}

static void netlink_lists_every_fixture_row_with_every_field(void **state)
{
	struct fixture *f = itest_fixture(state);
	struct tcpt_snapshot *s = itest_take(TCPT_SOURCE_NETLINK, 0, 0, 0, TCPT_ORDER_KERNEL);
	assert_int_equal(TCPT_SOURCE_NETLINK, tcpt_snapshot_source(s));
	itest_assert_rows(f, fx_all(f), s, TCPT_SOURCE_NETLINK, 0);
}

static void proc_lists_every_fixture_row_with_every_field(void **state)
{
	struct fixture *f = itest_fixture(state);
	struct tcpt_snapshot *s = itest_take(TCPT_SOURCE_PROC, 0, 0, 0, TCPT_ORDER_KERNEL);
	assert_int_equal(TCPT_SOURCE_PROC, tcpt_snapshot_source(s));
	itest_assert_rows(f, fx_all(f), s, TCPT_SOURCE_PROC, 0);
}

static void auto_source_is_netlink_for_root(void **state)
{
	struct fixture *f = itest_fixture(state);
	struct tcpt_snapshot *s = itest_take(TCPT_SOURCE_AUTO, 0, 0, 0, TCPT_ORDER_KERNEL);
	assert_int_equal(TCPT_SOURCE_NETLINK, tcpt_snapshot_source(s));
	itest_assert_rows(f, fx_all(f), s, TCPT_SOURCE_NETLINK, 0);
}

static void explicit_masks_of_everything_equal_the_zero_defaults(void **state)
{
	struct fixture *f = itest_fixture(state);
	for (size_t i = 0; i < ITEST_NSOURCES; i++) {
		struct tcpt_snapshot *s = itest_take(both_sources[i], TCPT_FAMILY_ALL,
						     TCPT_STATES_ALL, 0, TCPT_ORDER_KERNEL);
		itest_assert_rows(f, fx_all(f), s, both_sources[i], 0);
	}
}

static void check_state_masks(struct fixture *f, enum tcpt_source src)
{
	for (unsigned st = TCPT_ESTABLISHED; st <= TCPT_CLOSING; st++) {
		uint32_t mask = TCPT_STATE_BIT(st);
		struct tcpt_snapshot *s = itest_take(src, 0, mask, 0, TCPT_ORDER_KERNEL);
		itest_assert_rows(f, fx_with_states(f, fx_all(f), mask), s, src, 0);
	}
	uint32_t mix = TCPT_STATE_BIT(TCPT_LISTEN) | TCPT_STATE_BIT(TCPT_TIME_WAIT) |
		       TCPT_STATE_BIT(TCPT_SYN_SENT) | TCPT_STATE_BIT(TCPT_CLOSE_WAIT);
	struct tcpt_snapshot *s = itest_take(src, 0, mix, 0, TCPT_ORDER_KERNEL);
	itest_assert_rows(f, fx_with_states(f, fx_all(f), mix), s, src, 0);
}

static void netlink_state_mask_selects_exactly_those_states(void **state)
{
	check_state_masks(itest_fixture(state), TCPT_SOURCE_NETLINK);
}

static void proc_state_mask_selects_exactly_those_states(void **state)
{
	check_state_masks(itest_fixture(state), TCPT_SOURCE_PROC);
}

/* The kernel keeps requests as NEW_SYN_RECV; the mask bit is an alias of SYN_RECV. */
static void new_syn_recv_bit_selects_syn_recv_rows(void **state)
{
	struct fixture *f = itest_fixture(state);
	fx_set want = fx_with_states(f, fx_all(f), TCPT_STATE_BIT(TCPT_SYN_RECV));
	assert_int_equal(FX_BIT(FX_SYN_RECV), want);
	for (size_t i = 0; i < ITEST_NSOURCES; i++) {
		struct tcpt_snapshot *s = itest_take(both_sources[i], 0,
						     TCPT_STATE_BIT(TCPT_NEW_SYN_RECV), 0,
						     TCPT_ORDER_KERNEL);
		itest_assert_rows(f, want, s, both_sources[i], 0);
	}
}

/* BOUND_INACTIVE is a valid mask bit (not in the default); no fixture socket is in it. */
static void bound_inactive_bit_is_accepted_and_selects_nothing_here(void **state)
{
	struct fixture *f = itest_fixture(state);
	for (size_t i = 0; i < ITEST_NSOURCES; i++) {
		struct tcpt_snapshot *s = itest_take(both_sources[i], 0,
						     TCPT_STATE_BIT(TCPT_BOUND_INACTIVE), 0,
						     TCPT_ORDER_KERNEL);
		itest_assert_rows(f, 0, s, both_sources[i], 0);
	}
}

static void ipv4_family_mask_lists_only_ipv4_rows(void **state)
{
	struct fixture *f = itest_fixture(state);
	for (size_t i = 0; i < ITEST_NSOURCES; i++) {
		struct tcpt_snapshot *s = itest_take(both_sources[i], TCPT_FAMILY_IPV4, 0, 0,
						     TCPT_ORDER_KERNEL);
		itest_assert_rows(f, fx_with_families(f, fx_all(f), TCPT_FAMILY_IPV4), s,
				  both_sources[i], 0);
	}
}

/* The dual-stack listener's server side of an IPv4 client is an IPv6 (v4-mapped) row. */
static void ipv6_family_mask_lists_ipv6_rows_including_v4_mapped(void **state)
{
	struct fixture *f = itest_fixture(state);
	fx_set want = fx_with_families(f, fx_all(f), TCPT_FAMILY_IPV6);
	assert_true(want & FX_BIT(FX_MAPPED_SERVER));
	for (size_t i = 0; i < ITEST_NSOURCES; i++) {
		struct tcpt_snapshot *s = itest_take(both_sources[i], TCPT_FAMILY_IPV6, 0, 0,
						     TCPT_ORDER_KERNEL);
		itest_assert_rows(f, want, s, both_sources[i], 0);
	}
}

static void family_and_state_masks_combine(void **state)
{
	struct fixture *f = itest_fixture(state);
	uint32_t mask = TCPT_STATE_BIT(TCPT_LISTEN);
	for (size_t i = 0; i < ITEST_NSOURCES; i++) {
		struct tcpt_snapshot *s = itest_take(both_sources[i], TCPT_FAMILY_IPV6, mask, 0,
						     TCPT_ORDER_KERNEL);
		fx_set want = fx_with_states(f, fx_with_families(f, fx_all(f), TCPT_FAMILY_IPV6),
					     mask);
		itest_assert_rows(f, want, s, both_sources[i], 0);
	}
}

static int cmp_u16(uint16_t a, uint16_t b) { return (a > b) - (a < b); }

/* The documented order: IPv4 first, then local address, local port, remote address, remote
 * port, as numbers (network byte order compares as a number with memcmp). */
static int address_order(const struct tcpt_conn *a, const struct tcpt_conn *b)
{
	int fa = a->family == AF_INET ? 0 : 1, fb = b->family == AF_INET ? 0 : 1;
	int c = (fa > fb) - (fa < fb);
	if (!c)
		c = memcmp(a->local_addr, b->local_addr, 16);
	if (!c)
		c = cmp_u16(a->local_port, b->local_port);
	if (!c)
		c = memcmp(a->remote_addr, b->remote_addr, 16);
	if (!c)
		c = cmp_u16(a->remote_port, b->remote_port);
	return c;
}

static void address_order_sorts_ipv4_first_then_local_then_remote_numerically(void **state)
{
	struct fixture *f = itest_fixture(state);
	for (size_t i = 0; i < ITEST_NSOURCES; i++) {
		struct tcpt_snapshot *s = itest_take(both_sources[i], 0, 0, 0, TCPT_ORDER_ADDRESS);
		itest_assert_rows(f, fx_all(f), s, both_sources[i], 0);
		const struct tcpt_conn *rows = tcpt_snapshot_rows(s);
		for (size_t j = 1; j < tcpt_snapshot_count(s); j++)
			if (address_order(&rows[j - 1], &rows[j]) >= 0) {
				char a[160], b[160];
				itest_format_row(&rows[j - 1], a, sizeof a);
				itest_format_row(&rows[j], b, sizeof b);
				fail_msg("source %d: row %zu (%s) sorts after row %zu (%s)",
					 both_sources[i], j - 1, a, j, b);
			}
	}
}

/* tcp_info rides with netlink rows that have one; the byte counters show what was sent. */
static void tcp_info_comes_with_connected_netlink_rows_and_counts_bytes(void **state)
{
	struct fixture *f = itest_fixture(state);
	struct tcpt_snapshot *s = itest_take(TCPT_SOURCE_NETLINK, 0, 0, TCPT_WANT_INFO,
					     TCPT_ORDER_KERNEL);
	itest_assert_rows(f, fx_all(f), s, TCPT_SOURCE_NETLINK, TCPT_WANT_INFO);
	const struct tcpt_conn *r = itest_find(s, &f->row[FX_EST4_CLIENT].want);
	assert_int_equal(FX_EST4_UNREAD, r->info->bytes_sent);
	assert_int_equal(FX_EST4_UNREAD + 1, r->info->bytes_acked); /* + the SYN */
	r = itest_find(s, &f->row[FX_EST4_SERVER].want);
	assert_int_equal(FX_EST4_UNREAD, r->info->bytes_received);
	r = itest_find(s, &f->row[FX_EST6_SERVER].want);
	assert_int_equal(FX_EST6_UNREAD, r->info->bytes_sent);
	r = itest_find(s, &f->row[FX_EST6_CLIENT].want);
	assert_int_equal(FX_EST6_UNREAD, r->info->bytes_received);
	assert_true(r->info->congestion[0] != '\0');
	assert_non_null(memchr(r->info->congestion, '\0', sizeof r->info->congestion));
}

/* The /proc source has no tcp_info: asking for it is not an error, the rows have none. */
static void proc_source_gives_no_tcp_info(void **state)
{
	struct fixture *f = itest_fixture(state);
	struct tcpt_snapshot *s = itest_take(TCPT_SOURCE_PROC, 0, 0, TCPT_WANT_INFO,
					     TCPT_ORDER_KERNEL);
	itest_assert_rows(f, fx_all(f), s, TCPT_SOURCE_PROC, TCPT_WANT_INFO);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
#define T(name) cmocka_unit_test_setup_teardown(name, itest_setup, itest_teardown)
		T(fixture_sockets_are_in_the_states_the_tests_assume),
		T(netlink_lists_every_fixture_row_with_every_field),
		T(proc_lists_every_fixture_row_with_every_field),
		T(auto_source_is_netlink_for_root),
		T(explicit_masks_of_everything_equal_the_zero_defaults),
		T(netlink_state_mask_selects_exactly_those_states),
		T(proc_state_mask_selects_exactly_those_states),
		T(new_syn_recv_bit_selects_syn_recv_rows),
		T(bound_inactive_bit_is_accepted_and_selects_nothing_here),
		T(ipv4_family_mask_lists_only_ipv4_rows),
		T(ipv6_family_mask_lists_ipv6_rows_including_v4_mapped),
		T(family_and_state_masks_combine),
		T(address_order_sorts_ipv4_first_then_local_then_remote_numerically),
		T(tcp_info_comes_with_connected_netlink_rows_and_counts_bytes),
		T(proc_source_gives_no_tcp_info),
	};
	return cmocka_run_group_tests_name("integration rows", tests, itest_group_setup, NULL);
}
