/* watch_screen.c - curses drawing of the live view. Every frame is drawn whole from the
 * model (curses sends only what changed), so a resize needs nothing but a redraw. */
#include "watch_screen.h"

#include <curses.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { PAIR_NEW = 1, PAIR_CLOSED = 2, PAIR_CHANGED = 3 };
enum { HEADER_LINES = 3, FOOTER_LINES = 1 };
enum { ENDPOINT_WIDTH_MAX = 47, NETNS_WIDTH_MAX = 20, STATE_WIDTH = 11, PROTO_WIDTH = 7 };

static SCREEN *screen;

int watch_screen_open(void)
{
	/* Names reach the screen escaped, as valid printable UTF-8; curses draws them as text
	 * only in a UTF-8 locale (in "C" it shows each byte as M-x, harmless but unreadable).
	 * LC_CTYPE alone: nothing else the command prints depends on it. */
	setlocale(LC_CTYPE, "");
	screen = newterm(NULL, stdout, stdin);
	if (!screen) {
		const char *term = getenv("TERM");
		fprintf(stderr, "tcptable: --watch cannot drive this terminal (TERM=%s)\n",
			term ? term : "");
		return -1;
	}
	set_term(screen);
	cbreak();
	noecho();
	keypad(stdscr, TRUE);
	nodelay(stdscr, TRUE); /* the loop waits in poll(2), never in getch() */
	set_escdelay(25);      /* Esc leaves the filter at once, not after a second */
	curs_set(0);
	if (has_colors()) {
		start_color();
		use_default_colors();
		init_pair(PAIR_NEW, COLOR_GREEN, -1);
		init_pair(PAIR_CLOSED, COLOR_RED, -1);
		init_pair(PAIR_CHANGED, COLOR_YELLOW, -1);
	}
	return 0;
}

void watch_screen_close(void)
{
	if (!screen)
		return;
	endwin();
	delscreen(screen);
	screen = NULL;
}

size_t watch_screen_page(void)
{
	int rows = LINES - HEADER_LINES - FOOTER_LINES;
	return rows > 0 ? (size_t)rows : 1;
}

int watch_screen_key(void)
{
	int key = getch();
	return key == ERR ? -1 : key;
}

/* --- header ----------------------------------------------------------------------------- */

static void draw_summary(const struct watch_table *t, const struct watch_ui *ui,
			 const struct watch_header *h)
{
	char line[512];
	int n = snprintf(line, sizeof(line),
			 "tcptable  every %gs  %zu connection%s, %zu shown  new %zu  closed %zu"
			 "  changed %zu",
			 h->interval_ms / 1000.0, t->current, t->current == 1 ? "" : "s", t->shown,
			 t->per_mark[WATCH_NEW], t->per_mark[WATCH_CLOSED],
			 t->per_mark[WATCH_CHANGED]);
	if (n < 0)
		return;
	attrset(A_BOLD);
	mvaddnstr(0, 0, line, COLS);
	attrset(A_NORMAL);
	if (ui->paused)
		addstr("  [PAUSED]");
	if (!h->events)
		addstr("  close events unavailable");
	else if (h->events_lost)
		addstr("  some close events lost");
	if (h->unseen)
		printw("  %zu reset between refreshes, endpoints unknown", h->unseen);
	if (h->error) {
		attrset(A_BOLD | COLOR_PAIR(PAIR_CLOSED));
		printw("  %s", h->error);
		attrset(A_NORMAL);
	}
}

static void draw_state_counts(const struct watch_table *t)
{
	move(1, 0);
	if (t->current == 0) {
		addstr("no connections");
		return;
	}
	for (unsigned s = 1; s <= TCPT_STATE_MAX; s++)
		if (t->per_state[s])
			printw("%s %zu  ", tcpt_state_name(s), t->per_state[s]);
}

/* --- columns ---------------------------------------------------------------------------- */

struct layout {
	int x[WCOL_COUNT];
	int width[WCOL_COUNT];
};

static int widest(const struct watch_table *t, enum watch_column c, int floor, int cap)
{
	int w = floor;
	for (size_t i = 0; i < t->shown && w < cap; i++) {
		int n = (int)strlen(watch_line_cell(&t->lines[t->order[i]], c));
		if (n > w)
			w = n;
	}
	return w < cap ? w : cap;
}

static void plan_columns(struct layout *l, const struct watch_table *t,
			 const struct watch_ui *ui)
{
	int fixed[WCOL_COUNT] = {
		[WCOL_PROTO] = PROTO_WIDTH,
		/* floors: the title and its sort mark " ^" */
		[WCOL_LOCAL] = widest(t, WCOL_LOCAL, 15, ENDPOINT_WIDTH_MAX),
		[WCOL_REMOTE] = widest(t, WCOL_REMOTE, 16, ENDPOINT_WIDTH_MAX),
		[WCOL_STATE] = STATE_WIDTH,
		[WCOL_NETNS] = widest(t, WCOL_NETNS, 7, NETNS_WIDTH_MAX),
		[WCOL_PROCESS] = 0,
	};
	int x = 0;
	for (int c = 0; c < WCOL_COUNT; c++) {
		l->x[c] = x;
		l->width[c] = 0;
		if (!watch_ui_column_shown(ui, (enum watch_column)c) || x >= COLS)
			continue;
		/* the last column (process) takes what is left of the line */
		int w = c == WCOL_PROCESS ? COLS - x : fixed[c];
		l->width[c] = w < COLS - x ? w : COLS - x;
		x += l->width[c] + 1;
	}
}

static void draw_titles(const struct layout *l, const struct watch_ui *ui)
{
	attrset(A_REVERSE);
	mvhline(2, 0, ' ', COLS);
	for (int c = 0; c < WCOL_COUNT; c++) {
		if (!l->width[c])
			continue;
		char title[64];
		snprintf(title, sizeof(title), "%s%s", watch_column_title((enum watch_column)c),
			 (int)ui->sort != c ? "" : ui->reverse ? " v" : " ^");
		mvaddnstr(2, l->x[c], title, l->width[c]);
	}
	attrset(A_NORMAL);
}

/* --- rows ------------------------------------------------------------------------------- */

static attr_t mark_attr(enum watch_mark m)
{
	switch (m) {
	case WATCH_NEW: return COLOR_PAIR(PAIR_NEW) | A_BOLD;
	case WATCH_CLOSED: return COLOR_PAIR(PAIR_CLOSED);
	case WATCH_CHANGED: return COLOR_PAIR(PAIR_CHANGED) | A_BOLD;
	case WATCH_SAME:
	default: return A_NORMAL;
	}
}

static void draw_line(int y, const struct watch_line *line, const struct layout *l,
		      bool selected)
{
	attr_t a = mark_attr(line->mark) | (selected ? A_REVERSE : A_NORMAL);
	attrset(a);
	if (selected)
		mvhline(y, 0, ' ', COLS); /* the bar spans the whole line */
	for (int c = 0; c < WCOL_COUNT; c++)
		if (l->width[c])
			mvaddnstr(y, l->x[c], watch_line_cell(line, (enum watch_column)c),
				  l->width[c]);
	attrset(A_NORMAL);
}

static void draw_rows(const struct watch_table *t, const struct watch_ui *ui,
		      const struct layout *l)
{
	size_t page = watch_screen_page();
	for (size_t i = 0; i < page && ui->top + i < t->shown; i++) {
		size_t k = ui->top + i;
		draw_line(HEADER_LINES + (int)i, &t->lines[t->order[k]], l, k == ui->selected);
	}
}

/* --- bottom line ------------------------------------------------------------------------ */

static void draw_footer(const struct watch_ui *ui)
{
	char line[WATCH_STATUS_MAX + WATCH_FILTER_MAX + 64];
	if (ui->mode == UI_FILTER)
		snprintf(line, sizeof(line), "/%s_   (Enter keeps it, Esc clears it)", ui->filter);
	else if (ui->status[0])
		snprintf(line, sizeof(line), "%s", ui->status);
	else
		snprintf(line, sizeof(line),
			 "%s%s%sq quit  </> sort  r reverse  / filter  p pause  o owners"
			 "  k close", ui->filter[0] ? "filter: " : "", ui->filter,
			 ui->filter[0] ? "  " : "");
	attrset(ui->mode == UI_CONFIRM ? A_BOLD | A_REVERSE : A_NORMAL);
	mvaddnstr(LINES - 1, 0, line, COLS);
	attrset(A_NORMAL);
}

void watch_screen_draw(const struct watch_table *t, const struct watch_ui *ui,
		       const struct watch_header *h)
{
	erase();
	struct layout l;
	plan_columns(&l, t, ui);
	draw_summary(t, ui, h);
	draw_state_counts(t);
	draw_titles(&l, ui);
	draw_rows(t, ui, &l);
	draw_footer(ui);
	refresh();
}
