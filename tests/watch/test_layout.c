/* The live view's columns at 80, 120 and 200 characters, addresses elided in the middle, the
 * rates from tcp_info deltas, and the per-process totals: pure functions, no terminal. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "watch_layout.h"
#include "watch_procs.h"
#include "watch_table.h"

static void defaults(bool shown[WCOL_COUNT], int want[WCOL_COUNT])
{
	memset(shown, 0, WCOL_COUNT * sizeof(bool));
	for (int c = 0; c < WCOL_COUNT; c++)
		want[c] = watch_column_info((enum watch_column)c)->width;
	shown[WCOL_PROTO] = shown[WCOL_LOCAL] = shown[WCOL_REMOTE] = shown[WCOL_STATE] = true;
	shown[WCOL_RECV_RATE] = shown[WCOL_SEND_RATE] = true;
	shown[WCOL_RECV_Q] = shown[WCOL_SEND_Q] = shown[WCOL_PROCESS] = true;
	want[WCOL_LOCAL] = want[WCOL_REMOTE] = 47; /* IPv6 with a zone */
	want[WCOL_PROCESS] = 30;
}

/* Drawn columns do not overlap, stay within COLS, and keep their order. */
static void check_sane(const struct watch_layout *l, int cols)
{
	int end = 0;
	for (int c = 0; c < WCOL_COUNT; c++) {
		if (!l->width[c])
			continue;
		assert_true(l->x[c] >= end);
		assert_true(l->x[c] + l->width[c] <= cols);
		end = l->x[c] + l->width[c] + 1;
	}
}

static void narrow_terminal_keeps_state_and_process(void **state)
{
	(void)state;
	bool shown[WCOL_COUNT];
	int want[WCOL_COUNT];
	defaults(shown, want);
	struct watch_layout l;
	watch_layout_plan(&l, shown, want, 0, 80);
	check_sane(&l, 80);
	assert_true(l.width[WCOL_STATE] == 11);
	assert_true(l.width[WCOL_PROCESS] >= 13);
	assert_true(l.width[WCOL_LOCAL] >= 12 && l.width[WCOL_LOCAL] < 47); /* squeezed */
	assert_true(l.more_right);
	assert_false(l.more_left);
	assert_int_equal(7, l.scrollable);
	assert_true(l.width[WCOL_REMOTE] >= 12); /* both ends share the room */
	/* scrolled by three: Proto and the addresses go, State and Process stay */
	watch_layout_plan(&l, shown, want, 3, 80);
	check_sane(&l, 80);
	assert_int_equal(0, l.width[WCOL_PROTO]);
	assert_int_equal(0, l.width[WCOL_LOCAL]);
	assert_int_equal(0, l.width[WCOL_REMOTE]);
	assert_true(l.width[WCOL_STATE] > 0 && l.width[WCOL_RECV_RATE] > 0);
	assert_true(l.width[WCOL_SEND_Q] > 0 && l.width[WCOL_PROCESS] > 0);
	assert_true(l.more_left);
}

static void wide_terminals_show_everything(void **state)
{
	(void)state;
	bool shown[WCOL_COUNT];
	int want[WCOL_COUNT];
	defaults(shown, want);
	struct watch_layout l;
	watch_layout_plan(&l, shown, want, 0, 200);
	check_sane(&l, 200);
	assert_false(l.more_right);
	for (int c = 0; c < WCOL_COUNT; c++)
		if (shown[c] && c != WCOL_PROCESS)
			assert_int_equal(want[c], l.width[c]);
	assert_int_equal(200 - l.x[WCOL_PROCESS], l.width[WCOL_PROCESS]);
	want[WCOL_LOCAL] = want[WCOL_REMOTE] = 21;
	watch_layout_plan(&l, shown, want, 0, 120);
	check_sane(&l, 120);
	assert_false(l.more_right);
	assert_true(l.width[WCOL_PROCESS] >= 20);
}

static void tiny_terminal_still_draws_what_it_can(void **state)
{
	(void)state;
	bool shown[WCOL_COUNT];
	int want[WCOL_COUNT];
	defaults(shown, want);
	struct watch_layout l;
	watch_layout_plan(&l, shown, want, 0, 20);
	check_sane(&l, 20);
	assert_true(l.width[WCOL_STATE] > 0);
}

static void elide_keeps_the_port(void **state)
{
	(void)state;
	char out[64];
	watch_elide_middle("10.1.2.3:443", 20, out);
	assert_string_equal("10.1.2.3:443", out);
	watch_elide_middle("192.168.100.200:65535", 14, out);
	assert_string_equal("192.168~:65535", out);
	watch_elide_middle("192.168.100.200:65535", 12, out);
	assert_string_equal("192.1~:65535", out);
	watch_elide_middle("[fe80::1234:5678:9abc:def0%eth0]:22", 14, out);
	assert_int_equal(14, strlen(out));
	assert_string_equal("[fe80::12~]:22", out);
	watch_elide_middle("127.0.0.1:12345", 4, out);
	assert_string_equal("~345", out);
	watch_elide_middle("127.0.0.1:12345", 0, out);
	assert_string_equal("", out);
}

static void rates_come_from_byte_deltas(void **state)
{
	(void)state;
	struct tcpt_tcp_info a = {.bytes_received = 1000, .bytes_acked = 5000};
	struct tcpt_tcp_info b = {.bytes_received = 3001000, .bytes_acked = 5000};
	struct tcpt_conn old = {.info = &a}, cur = {.info = &b}, none = {0};
	uint64_t rx = 7, tx = 7;
	assert_true(watch_rate(&old, &cur, 1500, &rx, &tx));
	assert_int_equal(2000000, rx);
	assert_int_equal(0, tx);
	assert_true(watch_rate(NULL, &cur, 1000, &rx, &tx)); /* new: all its bytes are recent */
	assert_int_equal(3001000, rx);
	assert_true(watch_rate(&cur, &old, 1000, &rx, &tx)); /* backwards: 0, not a wrap */
	assert_int_equal(0, rx);
	rx = 7;
	assert_false(watch_rate(&none, &cur, 1000, &rx, &tx));
	assert_false(watch_rate(&old, &none, 1000, &rx, &tx));
	assert_false(watch_rate(&old, &cur, 0, &rx, &tx));
	assert_int_equal(7, rx);
}

static void rates_read_well(void **state)
{
	(void)state;
	char out[16];
	watch_format_rate(0, out, sizeof(out));
	assert_string_equal("0", out);
	watch_format_rate(999, out, sizeof(out));
	assert_string_equal("999", out);
	watch_format_rate(12500, out, sizeof(out));
	assert_string_equal("12.5K", out);
	watch_format_rate(512000, out, sizeof(out));
	assert_string_equal("512K", out);
	watch_format_rate(1950000, out, sizeof(out));
	assert_string_equal("1.9M", out);
	watch_format_rate(3100000000ull, out, sizeof(out));
	assert_string_equal("3.1G", out);
}

static struct watch_line line_of(const struct tcpt_conn *row, uint64_t rx, uint64_t tx)
{
	struct watch_line l;
	memset(&l, 0, sizeof(l));
	l.row = row;
	l.has_rate = true;
	l.recv_rate = rx;
	l.send_rate = tx;
	return l;
}

static void procs_sum_per_process(void **state)
{
	(void)state;
	struct tcpt_owner a[] = {{.pid = 10, .fd = 3, .name = "web"},
				 {.pid = 10, .fd = 7, .name = "web"},
				 {.pid = 20, .fd = 4, .name = "worker"}};
	struct tcpt_owner b[] = {{.pid = 20, .fd = 5, .name = "worker"}};
	struct tcpt_owner c[] = {{.pid = 30, .fd = 5, .name = "idle"}};
	struct tcpt_conn shared = {.state = TCPT_ESTABLISHED, .owners = a, .owner_count = 3};
	struct tcpt_conn own = {.state = TCPT_ESTABLISHED, .owners = b, .owner_count = 1};
	struct tcpt_conn lst = {.state = TCPT_LISTEN, .owners = c, .owner_count = 1};
	struct tcpt_conn gone = {.state = TCPT_ESTABLISHED, .owners = c, .owner_count = 1};
	struct tcpt_conn nobody = {.state = TCPT_ESTABLISHED};
	struct watch_line lines[] = {line_of(&shared, 100, 10), line_of(&own, 5000, 0),
				     line_of(&lst, 0, 0), line_of(&gone, 9999, 9999),
				     line_of(&nobody, 1, 1)};
	lines[3].mark = WATCH_CLOSED;
	struct watch_table t = {.lines = lines, .count = 5};
	struct watch_proc *p;
	size_t n;
	assert_int_equal(0, watch_procs_build(&t, &p, &n));
	assert_int_equal(3, n);
	assert_int_equal(20, p[0].pid); /* the busiest first */
	assert_string_equal("worker", p[0].name);
	assert_int_equal(2, p[0].connections);
	assert_int_equal(5100, p[0].recv_rate);
	assert_int_equal(10, p[0].send_rate);
	assert_int_equal(10, p[1].pid);
	assert_int_equal(1, p[1].connections); /* two fds of one socket: one connection */
	assert_int_equal(30, p[2].pid);
	assert_int_equal(1, p[2].connections); /* the closed line is not counted */
	assert_int_equal(1, p[2].listening);
	free(p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(narrow_terminal_keeps_state_and_process),
		cmocka_unit_test(wide_terminals_show_everything),
		cmocka_unit_test(tiny_terminal_still_draws_what_it_can),
		cmocka_unit_test(elide_keeps_the_port),
		cmocka_unit_test(rates_come_from_byte_deltas),
		cmocka_unit_test(rates_read_well),
		cmocka_unit_test(procs_sum_per_process),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
