/* The live view's diff: which rows are new, closed, changed or the same between two
 * refreshes, with and without cookies, and what destroy notifications add. */
#include <arpa/inet.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "watch_diff.h"

/* An IPv4 connection 127.0.0.1:LPORT -> 127.0.0.1:RPORT. */
static struct tcpt_conn conn(uint64_t cookie, uint16_t lport, uint16_t rport, uint8_t state)
{
	struct tcpt_conn c = {.family = AF_INET, .state = state, .local_port = lport,
			      .remote_port = rport, .cookie = cookie};
	memcpy(c.local_addr, "\x7f\0\0\x01", 4);
	memcpy(c.remote_addr, "\x7f\0\0\x01", 4);
	return c;
}

struct result {
	struct watch_item *items;
	size_t count;
	size_t unseen;
};

static struct result run(const struct tcpt_conn *prev, size_t np, const struct tcpt_conn *cur,
			 size_t nc, const struct tcpt_conn *ev, size_t ne, bool first)
{
	struct watch_diff_input in = {prev, np, cur, nc, ev, ne, first};
	struct result r = {0};
	assert_int_equal(0, watch_diff(&in, &r.items, &r.count, &r.unseen));
	return r;
}

/* The mark of the item whose row is ROW (by address), or -1 when absent. */
static int mark_of(const struct result *r, const struct tcpt_conn *row)
{
	for (size_t i = 0; i < r->count; i++)
		if (r->items[i].row == row)
			return (int)r->items[i].mark;
	return -1;
}

static void identical_snapshots_are_all_same(void **state)
{
	(void)state;
	struct tcpt_conn a[] = {conn(1, 80, 0, TCPT_LISTEN), conn(2, 80, 5000, TCPT_ESTABLISHED)};
	struct tcpt_conn b[] = {conn(1, 80, 0, TCPT_LISTEN), conn(2, 80, 5000, TCPT_ESTABLISHED)};
	struct result r = run(a, 2, b, 2, NULL, 0, false);
	assert_int_equal(2, r.count);
	assert_int_equal(WATCH_SAME, mark_of(&r, &b[0]));
	assert_int_equal(WATCH_SAME, mark_of(&r, &b[1]));
	free(r.items);
}

static void row_only_in_current_is_new(void **state)
{
	(void)state;
	struct tcpt_conn a[] = {conn(1, 80, 0, TCPT_LISTEN)};
	struct tcpt_conn b[] = {conn(1, 80, 0, TCPT_LISTEN), conn(7, 80, 5000, TCPT_ESTABLISHED)};
	struct result r = run(a, 1, b, 2, NULL, 0, false);
	assert_int_equal(2, r.count);
	assert_int_equal(WATCH_SAME, mark_of(&r, &b[0]));
	assert_int_equal(WATCH_NEW, mark_of(&r, &b[1]));
	free(r.items);
}

static void row_only_in_previous_is_closed(void **state)
{
	(void)state;
	struct tcpt_conn a[] = {conn(1, 80, 0, TCPT_LISTEN), conn(7, 80, 5000, TCPT_ESTABLISHED)};
	struct tcpt_conn b[] = {conn(1, 80, 0, TCPT_LISTEN)};
	struct result r = run(a, 2, b, 1, NULL, 0, false);
	assert_int_equal(2, r.count);
	assert_int_equal(WATCH_SAME, mark_of(&r, &b[0]));
	assert_int_equal(WATCH_CLOSED, mark_of(&r, &a[1]));
	/* current rows first, then the closed ones */
	assert_ptr_equal(&b[0], r.items[0].row);
	assert_ptr_equal(&a[1], r.items[1].row);
	free(r.items);
}

static void same_cookie_other_state_is_changed(void **state)
{
	(void)state;
	struct tcpt_conn a[] = {conn(7, 80, 5000, TCPT_ESTABLISHED)};
	struct tcpt_conn b[] = {conn(7, 80, 5000, TCPT_CLOSE_WAIT)};
	struct result r = run(a, 1, b, 1, NULL, 0, false);
	assert_int_equal(1, r.count);
	assert_int_equal(WATCH_CHANGED, mark_of(&r, &b[0]));
	free(r.items);
}

static void reordered_rows_are_same(void **state)
{
	(void)state;
	struct tcpt_conn a[] = {conn(3, 1, 2, TCPT_ESTABLISHED), conn(1, 3, 4, TCPT_LISTEN),
				conn(2, 5, 6, TCPT_SYN_SENT)};
	struct tcpt_conn b[] = {conn(2, 5, 6, TCPT_SYN_SENT), conn(3, 1, 2, TCPT_ESTABLISHED),
				conn(1, 3, 4, TCPT_LISTEN)};
	struct result r = run(a, 3, b, 3, NULL, 0, false);
	assert_int_equal(3, r.count);
	for (size_t i = 0; i < 3; i++) {
		assert_ptr_equal(&b[i], r.items[i].row); /* the current order is kept */
		assert_int_equal(WATCH_SAME, r.items[i].mark);
	}
	free(r.items);
}

/* The key is the cookie: a socket that reappears on the same ports with a new cookie is
 * another socket, one closed and one new. */
static void new_cookie_on_same_ports_is_closed_and_new(void **state)
{
	(void)state;
	struct tcpt_conn a[] = {conn(7, 80, 5000, TCPT_ESTABLISHED)};
	struct tcpt_conn b[] = {conn(8, 80, 5000, TCPT_ESTABLISHED)};
	struct result r = run(a, 1, b, 1, NULL, 0, false);
	assert_int_equal(2, r.count);
	assert_int_equal(WATCH_NEW, mark_of(&r, &b[0]));
	assert_int_equal(WATCH_CLOSED, mark_of(&r, &a[0]));
	free(r.items);
}

/* The /proc source: no cookies; addresses, ports and inode are the key. */
static void cookieless_rows_keyed_on_addresses_ports_inode(void **state)
{
	(void)state;
	struct tcpt_conn a[] = {conn(0, 80, 5000, TCPT_ESTABLISHED), conn(0, 80, 5001,
				TCPT_ESTABLISHED), conn(0, 22, 0, TCPT_LISTEN)};
	a[0].inode = 100;
	a[1].inode = 101;
	a[2].inode = 102;
	struct tcpt_conn b[] = {conn(0, 80, 5000, TCPT_CLOSE_WAIT), conn(0, 80, 5001,
				TCPT_ESTABLISHED), conn(0, 22, 0, TCPT_LISTEN)};
	b[0].inode = 100;  /* same socket, new state */
	b[1].inode = 201;  /* same ports, another socket */
	b[2].inode = 102;
	struct result r = run(a, 3, b, 3, NULL, 0, false);
	assert_int_equal(4, r.count);
	assert_int_equal(WATCH_CHANGED, mark_of(&r, &b[0]));
	assert_int_equal(WATCH_NEW, mark_of(&r, &b[1]));
	assert_int_equal(WATCH_SAME, mark_of(&r, &b[2]));
	assert_int_equal(WATCH_CLOSED, mark_of(&r, &a[1]));
	free(r.items);
}

static void cookieless_rows_differ_by_family_and_address(void **state)
{
	(void)state;
	struct tcpt_conn v4 = conn(0, 80, 0, TCPT_LISTEN);
	struct tcpt_conn v6 = v4;
	v6.family = AF_INET6;
	assert_true(watch_key_compare(&v4, &v6) != 0);
	struct tcpt_conn other = v4;
	other.local_addr[3] = 2;
	assert_true(watch_key_compare(&v4, &other) != 0);
	struct tcpt_conn twin = v4;
	assert_int_equal(0, watch_key_compare(&v4, &twin));
	/* a row with a cookie never equals one without, even on the same ports */
	struct tcpt_conn cookied = v4;
	cookied.cookie = 9;
	assert_true(watch_key_compare(&v4, &cookied) != 0);
}

static void first_refresh_marks_nothing(void **state)
{
	(void)state;
	struct tcpt_conn b[] = {conn(1, 80, 0, TCPT_LISTEN), conn(2, 80, 5000, TCPT_ESTABLISHED)};
	struct tcpt_conn ev[] = {conn(9, 80, 6000, TCPT_CLOSE)};
	struct result r = run(NULL, 0, b, 2, ev, 1, true);
	assert_int_equal(2, r.count);
	assert_int_equal(WATCH_SAME, mark_of(&r, &b[0]));
	assert_int_equal(WATCH_SAME, mark_of(&r, &b[1]));
	free(r.items);
}

static void empty_previous_makes_every_row_new(void **state)
{
	(void)state;
	struct tcpt_conn b[] = {conn(1, 80, 0, TCPT_LISTEN)};
	struct result r = run(NULL, 0, b, 1, NULL, 0, false);
	assert_int_equal(1, r.count);
	assert_int_equal(WATCH_NEW, mark_of(&r, &b[0]));
	free(r.items);
}

/* A connection that opened and closed between refreshes exists only as an event. */
static void event_seen_in_no_snapshot_is_closed(void **state)
{
	(void)state;
	struct tcpt_conn a[] = {conn(1, 80, 0, TCPT_LISTEN)};
	struct tcpt_conn b[] = {conn(1, 80, 0, TCPT_LISTEN)};
	struct tcpt_conn ev[] = {conn(9, 80, 6000, TCPT_CLOSE)};
	struct result r = run(a, 1, b, 1, ev, 1, false);
	assert_int_equal(2, r.count);
	assert_int_equal(WATCH_CLOSED, mark_of(&r, &ev[0]));
	assert_ptr_equal(&ev[0], r.items[1].row);
	free(r.items);
}

static void event_repeated_is_shown_once(void **state)
{
	(void)state;
	struct tcpt_conn ev[] = {conn(9, 80, 6000, TCPT_CLOSE), conn(9, 80, 6000, TCPT_CLOSE)};
	struct result r = run(NULL, 0, NULL, 0, ev, 2, false);
	assert_int_equal(1, r.count);
	assert_int_equal(WATCH_CLOSED, mark_of(&r, &ev[0]));
	free(r.items);
}

/* A closed row of the previous snapshot is reported by the diff; its event adds nothing. */
static void event_of_a_previous_row_adds_nothing(void **state)
{
	(void)state;
	struct tcpt_conn a[] = {conn(7, 80, 5000, TCPT_ESTABLISHED)};
	struct tcpt_conn ev[] = {conn(7, 80, 5000, TCPT_CLOSE)};
	struct result r = run(a, 1, NULL, 0, ev, 1, false);
	assert_int_equal(1, r.count);
	assert_int_equal(WATCH_CLOSED, mark_of(&r, &a[0]));
	free(r.items);
}

/* The full socket's notification, when a TIME-WAIT row stands in for it: by cookie (the
 * kernel copied it) or, when no cookie had been made, by addresses and ports. */
static void event_of_a_row_gone_time_wait_adds_nothing(void **state)
{
	(void)state;
	struct tcpt_conn b[] = {conn(7, 80, 5000, TCPT_TIME_WAIT), conn(8, 81, 5001,
				TCPT_TIME_WAIT)};
	struct tcpt_conn ev[] = {conn(7, 80, 5000, TCPT_CLOSE), conn(99, 81, 5001, TCPT_CLOSE)};
	struct result r = run(NULL, 0, b, 2, ev, 2, false);
	assert_int_equal(2, r.count);
	assert_int_equal(WATCH_NEW, mark_of(&r, &b[0]));
	assert_int_equal(WATCH_NEW, mark_of(&r, &b[1]));
	free(r.items);
}

/* A client reset (SO_LINGER 0) between two refreshes: its notification no longer knows the
 * peer (the kernel zeroed it) and shows addresses the connection never had, such as
 * 0.0.0.0:52458 -> 127.0.0.1:*. Shown as a row it would be an invented endpoint. */
static void event_with_wiped_peer_seen_by_no_snapshot_is_counted_not_shown(void **state)
{
	(void)state;
	struct tcpt_conn a[] = {conn(1, 9100, 0, TCPT_LISTEN)};
	struct tcpt_conn b[] = {conn(1, 9100, 0, TCPT_LISTEN)};
	struct tcpt_conn ev[] = {conn(9, 52458, 0, TCPT_CLOSE)};
	memset(ev[0].local_addr, 0, 4);
	struct result r = run(a, 1, b, 1, ev, 1, false);
	assert_int_equal(1, r.count);
	assert_int_equal(-1, mark_of(&r, &ev[0]));
	assert_int_equal(1, r.unseen);
	free(r.items);
}

/* The same reset of a connection the previous refresh saw: shown closed as it was seen. */
static void event_with_wiped_peer_of_a_seen_row_shows_the_row_as_seen(void **state)
{
	(void)state;
	struct tcpt_conn a[] = {conn(7, 52458, 9100, TCPT_ESTABLISHED)};
	struct tcpt_conn ev[] = {conn(7, 52458, 0, TCPT_CLOSE)};
	memset(ev[0].local_addr, 0, 4);
	struct result r = run(a, 1, NULL, 0, ev, 1, false);
	assert_int_equal(1, r.count);
	assert_int_equal(WATCH_CLOSED, mark_of(&r, &a[0]));
	assert_int_equal(9100, r.items[0].row->remote_port);
	assert_int_equal(0, r.unseen);
	free(r.items);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(identical_snapshots_are_all_same),
		cmocka_unit_test(row_only_in_current_is_new),
		cmocka_unit_test(row_only_in_previous_is_closed),
		cmocka_unit_test(same_cookie_other_state_is_changed),
		cmocka_unit_test(reordered_rows_are_same),
		cmocka_unit_test(new_cookie_on_same_ports_is_closed_and_new),
		cmocka_unit_test(cookieless_rows_keyed_on_addresses_ports_inode),
		cmocka_unit_test(cookieless_rows_differ_by_family_and_address),
		cmocka_unit_test(first_refresh_marks_nothing),
		cmocka_unit_test(empty_previous_makes_every_row_new),
		cmocka_unit_test(event_seen_in_no_snapshot_is_closed),
		cmocka_unit_test(event_repeated_is_shown_once),
		cmocka_unit_test(event_of_a_previous_row_adds_nothing),
		cmocka_unit_test(event_of_a_row_gone_time_wait_adds_nothing),
		cmocka_unit_test(event_with_wiped_peer_seen_by_no_snapshot_is_counted_not_shown),
		cmocka_unit_test(event_with_wiped_peer_of_a_seen_row_shows_the_row_as_seen),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
