/* The live view's keys as a state machine: what each key changes and what it asks the loop
 * to do, without a terminal. */
#include <curses.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "watch_ui.h"

static struct watch_ui fresh(bool owners, bool netns)
{
	struct watch_ui ui;
	watch_ui_init(&ui, owners, netns);
	return ui;
}

static void type(struct watch_ui *ui, const char *keys)
{
	for (; *keys; keys++)
		watch_ui_key(ui, (unsigned char)*keys, 10, 5);
}

static void q_quits(void **state)
{
	(void)state;
	struct watch_ui ui = fresh(false, false);
	assert_int_equal(CMD_QUIT, watch_ui_key(&ui, 'q', 0, 5));
}

static void sort_moves_over_shown_columns_and_wraps(void **state)
{
	(void)state;
	struct watch_ui ui = fresh(false, false);
	assert_int_equal(WCOL_LOCAL, ui.sort);
	assert_int_equal(CMD_REARRANGE, watch_ui_key(&ui, '>', 0, 5));
	assert_int_equal(WCOL_REMOTE, ui.sort);
	watch_ui_key(&ui, '>', 0, 5);
	assert_int_equal(WCOL_STATE, ui.sort);
	watch_ui_key(&ui, '>', 0, 5); /* Netns and Container are hidden: the rates */
	assert_int_equal(WCOL_RECV_RATE, ui.sort);
	ui.sort = WCOL_SEND_Q;
	watch_ui_key(&ui, '>', 0, 5); /* the rest and PID/Program are hidden: wrap to Proto */
	assert_int_equal(WCOL_PROTO, ui.sort);
	watch_ui_key(&ui, '<', 0, 5);
	assert_int_equal(WCOL_SEND_Q, ui.sort);
	struct watch_ui all = fresh(true, true);
	all.sort = WCOL_STATE;
	watch_ui_key(&all, '>', 0, 5);
	assert_int_equal(WCOL_NETNS, all.sort);
	all.sort = WCOL_SEND_Q;
	watch_ui_key(&all, '>', 0, 5);
	assert_int_equal(WCOL_PROCESS, all.sort);
}

static void left_and_right_scroll_sideways_within_the_limit(void **state)
{
	(void)state;
	struct watch_ui ui = fresh(false, false);
	ui.hscroll_max = 2;
	assert_int_equal(CMD_REDRAW, watch_ui_key(&ui, KEY_LEFT, 0, 5));
	assert_int_equal(0, ui.hscroll);
	watch_ui_key(&ui, KEY_RIGHT, 0, 5);
	watch_ui_key(&ui, KEY_RIGHT, 0, 5);
	watch_ui_key(&ui, KEY_RIGHT, 0, 5);
	assert_int_equal(2, ui.hscroll);
	watch_ui_key(&ui, KEY_LEFT, 0, 5);
	assert_int_equal(1, ui.hscroll);
	assert_int_equal(WCOL_LOCAL, ui.sort); /* the sort is < and > now */
}

static void c_chooses_columns_and_asks_for_what_they_need(void **state)
{
	(void)state;
	struct watch_ui ui = fresh(false, false);
	assert_int_equal(TCPT_WANT_INFO, watch_ui_want(&ui)); /* the default rate columns */
	assert_int_equal(CMD_REDRAW, watch_ui_key(&ui, 'c', 0, 5));
	assert_int_equal(UI_CHOOSER, ui.mode);
	for (int i = 0; i < WCOL_RECV_RATE; i++)
		watch_ui_key(&ui, KEY_DOWN, 0, 5);
	assert_int_equal(CMD_SETTINGS, watch_ui_key(&ui, ' ', 0, 5));
	watch_ui_key(&ui, KEY_DOWN, 0, 5);
	watch_ui_key(&ui, ' ', 0, 5);
	assert_false(ui.shown[WCOL_RECV_RATE] || ui.shown[WCOL_SEND_RATE]);
	assert_int_equal(0, watch_ui_want(&ui)); /* no tcp_info asked for without them */
	watch_ui_key(&ui, KEY_END, 0, 5);
	assert_int_equal(WCOL_PROCESS, ui.chooser);
	watch_ui_key(&ui, ' ', 0, 5);
	assert_int_equal(TCPT_WANT_OWNERS | TCPT_WANT_PROCESS, watch_ui_want(&ui));
	ui.chooser = WCOL_STATE;
	watch_ui_key(&ui, ' ', 0, 5);
	assert_true(ui.shown[WCOL_STATE]); /* always shown */
	assert_non_null(strstr(ui.status, "always"));
	watch_ui_key(&ui, 27, 0, 5);
	assert_int_equal(UI_NORMAL, ui.mode);
	assert_int_equal(CMD_QUIT, watch_ui_key(&ui, 'q', 0, 5));
}

static void panes_open_ask_for_everything_and_close(void **state)
{
	(void)state;
	struct watch_ui ui = fresh(false, false);
	assert_int_equal(CMD_REDRAW, watch_ui_key(&ui, '\n', 0, 5)); /* no rows: no detail */
	assert_int_equal(UI_NORMAL, ui.mode);
	assert_int_equal(CMD_SETTINGS, watch_ui_key(&ui, '\n', 3, 5));
	assert_int_equal(UI_DETAIL, ui.mode);
	assert_int_equal(TCPT_WANT_ALL, watch_ui_want(&ui));
	watch_ui_key(&ui, KEY_DOWN, 3, 5); /* the next connection's detail */
	assert_int_equal(1, ui.selected);
	assert_int_equal(CMD_SETTINGS, watch_ui_key(&ui, 27, 3, 5));
	assert_int_equal(UI_NORMAL, ui.mode);
	assert_int_equal(CMD_SETTINGS, watch_ui_key(&ui, 'P', 3, 5));
	assert_int_equal(UI_PROCS, ui.mode);
	ui.proc_count = 4;
	watch_ui_key(&ui, KEY_END, 3, 5);
	assert_int_equal(3, ui.proc_selected);
	assert_int_equal(CMD_PROC_FILTER, watch_ui_key(&ui, '\n', 3, 5));
	assert_int_equal(UI_NORMAL, ui.mode);
	watch_ui_key(&ui, '?', 3, 5);
	assert_int_equal(UI_HELP, ui.mode);
	assert_int_equal(CMD_REDRAW, watch_ui_key(&ui, KEY_RESIZE, 3, 5));
	assert_int_equal(UI_HELP, ui.mode); /* a resize does not close it */
	assert_int_equal(CMD_REDRAW, watch_ui_key(&ui, 'q', 3, 5)); /* closes, not quits */
	assert_int_equal(UI_NORMAL, ui.mode);
}

static void r_reverses(void **state)
{
	(void)state;
	struct watch_ui ui = fresh(false, false);
	assert_int_equal(CMD_REARRANGE, watch_ui_key(&ui, 'r', 0, 5));
	assert_true(ui.reverse);
	watch_ui_key(&ui, 'r', 0, 5);
	assert_false(ui.reverse);
}

static void slash_edits_the_filter(void **state)
{
	(void)state;
	struct watch_ui ui = fresh(false, false);
	ui.selected = 4;
	assert_int_equal(CMD_REDRAW, watch_ui_key(&ui, '/', 10, 5));
	assert_int_equal(UI_FILTER, ui.mode);
	assert_int_equal(CMD_REARRANGE, watch_ui_key(&ui, 'l', 10, 5));
	type(&ui, "istx");
	assert_int_equal(CMD_REARRANGE, watch_ui_key(&ui, KEY_BACKSPACE, 10, 5));
	assert_string_equal("list", ui.filter);
	assert_int_equal(0, ui.selected); /* the rows changed under the selection */
	watch_ui_key(&ui, 'q', 10, 5);     /* a letter while typing, not quit */
	watch_ui_key(&ui, 127, 10, 5);
	assert_int_equal(CMD_REDRAW, watch_ui_key(&ui, '\n', 10, 5));
	assert_int_equal(UI_NORMAL, ui.mode);
	assert_string_equal("list", ui.filter);
	/* Esc in normal mode clears it; Esc while typing clears and leaves */
	assert_int_equal(CMD_REARRANGE, watch_ui_key(&ui, 27, 10, 5));
	assert_string_equal("", ui.filter);
	type(&ui, "/ab");
	assert_int_equal(CMD_REARRANGE, watch_ui_key(&ui, 27, 10, 5));
	assert_int_equal(UI_NORMAL, ui.mode);
	assert_string_equal("", ui.filter);
}

static void filter_keeps_printable_ascii_within_its_size(void **state)
{
	(void)state;
	struct watch_ui ui = fresh(false, false);
	watch_ui_key(&ui, '/', 0, 5);
	watch_ui_key(&ui, 0x1b5, 0, 5); /* a curses key code */
	watch_ui_key(&ui, '\t', 0, 5);
	for (int i = 0; i < 200; i++)
		watch_ui_key(&ui, 'x', 0, 5);
	assert_int_equal(WATCH_FILTER_MAX - 1, strlen(ui.filter));
	assert_null(strchr(ui.filter, '\t'));
}

static void p_and_space_pause_then_resume_with_a_refresh(void **state)
{
	(void)state;
	struct watch_ui ui = fresh(false, false);
	assert_int_equal(CMD_SETTINGS, watch_ui_key(&ui, 'p', 0, 5));
	assert_true(ui.paused);
	assert_int_equal(CMD_REFRESH, watch_ui_key(&ui, ' ', 0, 5));
	assert_false(ui.paused);
}

static void o_toggles_owners_and_leaves_a_hidden_sort(void **state)
{
	(void)state;
	struct watch_ui ui = fresh(true, false);
	ui.sort = WCOL_PROCESS;
	assert_int_equal(CMD_SETTINGS, watch_ui_key(&ui, 'o', 0, 5));
	assert_false(ui.shown[WCOL_PROCESS]);
	assert_int_equal(WCOL_LOCAL, ui.sort);
	assert_false(watch_ui_column_shown(&ui, WCOL_PROCESS));
	watch_ui_key(&ui, 'o', 0, 5);
	assert_true(watch_ui_column_shown(&ui, WCOL_PROCESS));
}

static void arrows_and_pages_move_within_the_rows(void **state)
{
	(void)state;
	struct watch_ui ui = fresh(false, false);
	assert_int_equal(CMD_REDRAW, watch_ui_key(&ui, KEY_UP, 10, 5));
	assert_int_equal(0, ui.selected);
	watch_ui_key(&ui, KEY_DOWN, 10, 5);
	assert_int_equal(1, ui.selected);
	watch_ui_key(&ui, KEY_NPAGE, 10, 5);
	assert_int_equal(5, ui.selected);
	watch_ui_key(&ui, KEY_NPAGE, 10, 5);
	assert_int_equal(9, ui.selected);
	watch_ui_key(&ui, KEY_PPAGE, 10, 5);
	assert_int_equal(5, ui.selected);
	watch_ui_key(&ui, KEY_END, 10, 5);
	assert_int_equal(9, ui.selected);
	watch_ui_key(&ui, KEY_HOME, 10, 5);
	assert_int_equal(0, ui.selected);
	watch_ui_key(&ui, KEY_DOWN, 0, 5); /* no rows */
	assert_int_equal(0, ui.selected);
}

static void k_asks_and_only_y_confirms(void **state)
{
	(void)state;
	struct watch_ui ui = fresh(false, false);
	assert_int_equal(CMD_ASK_KILL, watch_ui_key(&ui, 'k', 3, 5));
	struct tcpt_owner owner = {.pid = 1};
	struct tcpt_conn row = {.family = 2, .local_port = 80, .owners = &owner, .owner_count = 1};
	watch_ui_confirm(&ui, &row, "Close it? (y/n)");
	assert_int_equal(UI_CONFIRM, ui.mode);
	assert_string_equal("Close it? (y/n)", ui.status);
	assert_null(ui.target.owners); /* no pointer into a snapshot that may be freed */
	assert_int_equal(CMD_REDRAW, watch_ui_key(&ui, KEY_RESIZE, 3, 5));
	assert_int_equal(UI_CONFIRM, ui.mode); /* a resize is not an answer */
	assert_int_equal(CMD_KILL, watch_ui_key(&ui, 'y', 3, 5));
	assert_int_equal(UI_NORMAL, ui.mode);
	assert_int_equal(80, ui.target.local_port);
	watch_ui_confirm(&ui, &row, "Close it? (y/n)");
	assert_int_equal(CMD_REDRAW, watch_ui_key(&ui, 'q', 3, 5)); /* not quit either */
	assert_int_equal(UI_NORMAL, ui.mode);
	assert_string_equal("not closed", ui.status);
	watch_ui_key(&ui, KEY_DOWN, 3, 5); /* the next key clears the message */
	assert_string_equal("", ui.status);
}

static void clamp_keeps_the_selection_on_screen(void **state)
{
	(void)state;
	struct watch_ui ui = fresh(false, false);
	ui.selected = 12;
	watch_ui_clamp(&ui, 20, 5);
	assert_int_equal(8, ui.top);
	ui.selected = 3;
	watch_ui_clamp(&ui, 20, 5);
	assert_int_equal(3, ui.top);
	ui.selected = 30; /* rows went away */
	watch_ui_clamp(&ui, 4, 5);
	assert_int_equal(3, ui.selected);
	assert_int_equal(0, ui.top);
	watch_ui_clamp(&ui, 0, 5);
	assert_int_equal(0, ui.selected);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(q_quits),
		cmocka_unit_test(sort_moves_over_shown_columns_and_wraps),
		cmocka_unit_test(left_and_right_scroll_sideways_within_the_limit),
		cmocka_unit_test(c_chooses_columns_and_asks_for_what_they_need),
		cmocka_unit_test(panes_open_ask_for_everything_and_close),
		cmocka_unit_test(r_reverses),
		cmocka_unit_test(slash_edits_the_filter),
		cmocka_unit_test(filter_keeps_printable_ascii_within_its_size),
		cmocka_unit_test(p_and_space_pause_then_resume_with_a_refresh),
		cmocka_unit_test(o_toggles_owners_and_leaves_a_hidden_sort),
		cmocka_unit_test(arrows_and_pages_move_within_the_rows),
		cmocka_unit_test(k_asks_and_only_y_confirms),
		cmocka_unit_test(clamp_keeps_the_selection_on_screen),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
