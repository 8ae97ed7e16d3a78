/* watch_panes.c - what opens over the table's lines: the process pane ('P'), the detail pane
 * (Enter), the column chooser ('c') and the help ('?'). */
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "escape.h"
#include "record.h"
#include "watch_paint.h"
#include "watch_screen.h"

/* --- process pane ----------------------------------------------------------------------- */

void watch_draw_procs(struct watch_session *s)
{
	attrset(watch_style(STYLE_TITLES));
	mvhline(2, 0, ' ', COLS);
	mvaddnstr(2, 0, "    PID Program           Conns Listen   Recv/s   Send/s", COLS);
	attrset(A_NORMAL);
	size_t page = watch_screen_page();
	for (size_t i = 0; i < page && s->ui.proc_top + i < s->proc_count; i++) {
		size_t k = s->ui.proc_top + i;
		const struct watch_proc *p = &s->procs[k];
		char name[64], rx[16], tx[16], line[160];
		escape_for_terminal(p->name ? p->name : "?", name, sizeof(name));
		watch_format_rate(p->recv_rate, rx, sizeof(rx));
		watch_format_rate(p->send_rate, tx, sizeof(tx));
		snprintf(line, sizeof(line), "%7d %-17.17s %5zu %6zu %8s %8s", (int)p->pid, name,
			 p->connections, p->listening, rx, tx);
		attrset(k == s->ui.proc_selected ? watch_style(STYLE_SELECTED) : A_NORMAL);
		if (k == s->ui.proc_selected)
			mvhline(HEADER_LINES + (int)i, 0, ' ', COLS);
		mvaddnstr(HEADER_LINES + (int)i, 0, line, COLS);
		attrset(A_NORMAL);
	}
	if (!s->proc_count)
		mvaddnstr(HEADER_LINES, 0, "no connection has a known process", COLS);
}

/* --- detail pane ------------------------------------------------------------------------ */

enum { DETAIL_LINES = 96, DETAIL_WIDTH = 160 };

struct detail {
	char text[DETAIL_LINES][DETAIL_WIDTH];
	bool wide[DETAIL_LINES]; /* paths: a line of its own, across the screen */
	int count;
};

static void add(struct detail *d, const char *key, const char *value)
{
	if (d->count >= DETAIL_LINES)
		return;
	d->wide[d->count] = strcmp(key, "owners") == 0 || strcmp(key, "cgroup") == 0;
	snprintf(d->text[d->count++], DETAIL_WIDTH, "%-17s %.*s", key, DETAIL_WIDTH - 20, value);
}

static void sink_number(void *ctx, const char *key, uint64_t value)
{
	char v[32];
	snprintf(v, sizeof(v), "%llu", (unsigned long long)value);
	add(ctx, key, v);
}

static void sink_string(void *ctx, const char *key, const char *value)
{
	char v[DETAIL_WIDTH];
	escape_for_terminal(value ? value : "-", v, sizeof(v)); /* names are untrusted */
	add(ctx, key, v);
}

static void sink_owners(void *ctx, const char *key, const struct tcpt_conn *row)
{
	if (!row->owner_count)
		add(ctx, key, "-");
	for (uint32_t i = 0; i < row->owner_count; i++) {
		const struct tcpt_owner *o = &row->owners[i];
		char name[64], exe[96], v[DETAIL_WIDTH];
		escape_for_terminal(o->name ? o->name : "?", name, sizeof(name));
		escape_for_terminal(o->exe ? o->exe : "?", exe, sizeof(exe));
		snprintf(v, sizeof(v), "pid %d fd %d %.40s %.80s", (int)o->pid, (int)o->fd, name, exe);
		add(ctx, key, v);
	}
}

static void sink_info(void *ctx, const char *key, const struct tcpt_tcp_info *info)
{
	struct record_sink sink = {ctx, sink_number, sink_string, sink_owners, NULL};
	if (!info)
		add(ctx, key, "- (no tcp_info for this row)");
	else
		record_info_fields(info, &sink);
}

/* Every field of LINE's row, as -e -p -i name them, then the view's own. */
static void describe(struct watch_session *s, const struct watch_line *line, struct detail *d)
{
	static const char *const marks[] = {"same", "new", "changed", "closed"};
	struct cli_options all = *s->opts;
	all.show_extended = all.show_owners = all.show_info = true;
	const struct cli_options *saved = s->view.opts;
	s->view.opts = &all; /* record_emit() asks the view's options which fields to give */
	struct record_sink sink = {d, sink_number, sink_string, sink_owners, sink_info};
	record_emit(&s->view, line->row, &sink);
	s->view.opts = saved;
	char buf[WATCH_CELL_MAX];
	add(d, "container", line->container[0] ? line->container : "-");
	add(d, "recv_rate", watch_line_cell(line, WCOL_RECV_RATE, &s->view, buf));
	add(d, "send_rate", watch_line_cell(line, WCOL_SEND_RATE, &s->view, buf));
	add(d, "this refresh", marks[line->mark]);
}

void watch_draw_detail(struct watch_session *s)
{
	const struct watch_line *line = watch_session_selected(s);
	attrset(watch_style(STYLE_TITLES));
	mvhline(2, 0, ' ', COLS);
	if (!line) {
		mvaddnstr(2, 0, "Details: the connection has gone (Esc closes, up/down choose another)",
			  COLS);
		attrset(A_NORMAL);
		return;
	}
	char title[3 * ENDPOINT_MAX];
	snprintf(title, sizeof(title), "Details: %s %s -> %s %s", view_proto_name(line->row),
		 line->local, line->remote, tcpt_conn_state_name(line->row));
	mvaddnstr(2, 0, title, COLS);
	attrset(A_NORMAL);
	static struct detail d; /* large; one pane at a time */
	d.count = 0;
	describe(s, line, &d);
	int y = HEADER_LINES, rows = (int)watch_screen_page();
	for (int i = 0; i < d.count && y < HEADER_LINES + rows - 1; i++)
		if (d.wide[i])
			mvaddnstr(y++, 0, d.text[i], COLS);
	rows -= y - HEADER_LINES;
	int narrow = 0;
	for (int i = 0; i < d.count; i++)
		narrow += !d.wide[i];
	int columns = (narrow + rows - 1) / rows;
	int width = COLS / (columns ? columns : 1);
	for (int i = 0, k = 0; i < d.count; i++) {
		if (d.wide[i])
			continue;
		int x = k / rows * width;
		if (x + 1 >= COLS)
			break;
		mvaddnstr(y + k % rows, x, d.text[i], width - 1);
		k++;
	}
}

/* --- column chooser --------------------------------------------------------------------- */

void watch_draw_chooser(const struct watch_session *s)
{
	int rows = (int)watch_screen_page();
	int top = (int)s->ui.chooser >= rows ? (int)s->ui.chooser - rows + 1 : 0;
	int width = COLS < 60 ? COLS : 60;
	for (int i = 0; i < rows && top + i < WCOL_COUNT; i++) {
		int c = top + i;
		const struct watch_column_info *info = watch_column_info((enum watch_column)c);
		char line[128];
		snprintf(line, sizeof(line), " [%c] %-15s %-15s%s", s->ui.shown[c] ? 'x' : ' ',
			 info->name, info->title,
			 c == WCOL_STATE ? " always" : info->need & WNEED_INFO ? " tcp_info"
			 : info->need & WNEED_OWNERS ? " owners" : "");
		attrset((size_t)c == s->ui.chooser ? watch_style(STYLE_SELECTED) : A_NORMAL);
		mvhline(HEADER_LINES + i, 0, ' ', width);
		mvaddnstr(HEADER_LINES + i, 0, line, width);
	}
	attrset(watch_style(STYLE_TITLES));
	mvhline(2, 0, ' ', width);
	mvaddnstr(2, 0, " Columns (space toggles; names as in -e/-i/--json)", width);
	attrset(A_NORMAL);
}

/* --- help ------------------------------------------------------------------------------- */

static const char *const help[] = {
	"q            quit",
	"?  h  F1     this help (any key closes it)",
	"up down      select a connection; PgUp PgDn Home End",
	"left right   scroll the columns sideways (State and PID/Program stay)",
	"<  >         sort by the previous / next column",
	"r            reverse the sort",
	"/            filter: type text found in any address, state or process",
	"Esc          clear the filter; close a pane",
	"p  space     pause / resume the refreshes",
	"o            show / hide the owners (PID/Program)",
	"c            choose the columns",
	"Enter        details of the selected connection, live",
	"P            totals per process (Enter: its connections)",
	"k            close the selected connection (asks first; listeners only with -l)",
	"colours      green new, yellow changed state, red closed (one refresh)",
};

void watch_draw_help(void)
{
	int n = (int)(sizeof(help) / sizeof(help[0]));
	int rows = (int)watch_screen_page();
	int width = COLS < 78 ? COLS : 78;
	attrset(watch_style(STYLE_TITLES));
	mvhline(2, 0, ' ', width);
	mvaddnstr(2, 0, " Keys", width);
	attrset(A_NORMAL);
	for (int i = 0; i < rows; i++) {
		mvhline(HEADER_LINES + i, 0, ' ', width);
		if (i < n)
			mvaddnstr(HEADER_LINES + i, 1, help[i], width - 1);
	}
}
