/* watch_screen.c - curses drawing of the live view. Every frame is drawn whole from the
 * model (curses sends only what changed), so a resize needs nothing but a redraw. */
#include "watch_screen.h"

#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "watch_layout.h"
#include "watch_paint.h"

enum { PAIR_NEW = 1, PAIR_CLOSED, PAIR_CHANGED, PAIR_TITLES };
enum { ENDPOINT_WIDTH_MAX = 47, NETNS_WIDTH_MAX = 20 };

static SCREEN *screen;
static bool colours;

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
	colours = has_colors();
	if (colours) {
		start_color();
		use_default_colors();
		init_pair(PAIR_NEW, COLOR_GREEN, -1);
		init_pair(PAIR_CLOSED, COLOR_RED, -1);
		init_pair(PAIR_CHANGED, COLOR_YELLOW, -1);
		init_pair(PAIR_TITLES, COLOR_BLACK, COLOR_CYAN);
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

attr_t watch_style(enum watch_style style)
{
	switch (style) {
	case STYLE_TITLES:
		return colours ? COLOR_PAIR(PAIR_TITLES) | A_BOLD : A_BOLD | A_UNDERLINE;
	case STYLE_SELECTED: return A_REVERSE;
	case STYLE_NEW: return colours ? COLOR_PAIR(PAIR_NEW) | A_BOLD : A_BOLD;
	case STYLE_CLOSED: return colours ? COLOR_PAIR(PAIR_CLOSED) : A_DIM;
	case STYLE_CHANGED: return colours ? COLOR_PAIR(PAIR_CHANGED) | A_BOLD : A_UNDERLINE;
	case STYLE_ERROR: return colours ? COLOR_PAIR(PAIR_CLOSED) | A_BOLD : A_BOLD;
	case STYLE_NOTE: return colours ? COLOR_PAIR(PAIR_CHANGED) : A_NORMAL;
	default: return A_NORMAL;
	}
}

/* --- header ----------------------------------------------------------------------------- */

static void draw_summary(const struct watch_session *s)
{
	const struct watch_table *t = &s->frame->table;
	char line[512];
	int n = snprintf(line, sizeof(line),
			 "tcptable  every %gs  %zu connection%s, %zu shown  new %zu  closed %zu"
			 "  changed %zu", s->opts->watch_interval_ms / 1000.0, t->current,
			 t->current == 1 ? "" : "s", t->shown, t->per_mark[WATCH_NEW],
			 t->per_mark[WATCH_CLOSED], t->per_mark[WATCH_CHANGED]);
	if (n < 0)
		return;
	attrset(A_BOLD);
	mvaddnstr(0, 0, line, COLS);
	attrset(A_NORMAL);
	if (s->ui.paused)
		addstr("  [PAUSED]");
	if (!watch_worker_events(&s->worker))
		addstr("  close events unavailable");
	else if (s->frame->events_lost)
		addstr("  some close events lost");
	if (s->frame->unseen)
		printw("  %zu reset between refreshes, endpoints unknown", s->frame->unseen);
	if (s->frame->owner_source != TCPT_SOURCE_AUTO)
		printw("  owners: %s", tcpt_source_name(s->frame->owner_source));
	if (s->error[0]) {
		attrset(watch_style(STYLE_ERROR));
		printw("  %s", s->error);
		attrset(A_NORMAL);
	}
}

/* Per-state counts, the standing note, and on the right where the window is. */
static void draw_state_counts(const struct watch_session *s)
{
	const struct watch_table *t = &s->frame->table;
	move(1, 0);
	if (t->current == 0)
		addstr("no connections");
	for (unsigned st = 1; st <= TCPT_STATE_MAX && t->current; st++)
		if (t->per_state[st])
			printw("%s %zu  ", tcpt_state_name(st), t->per_state[st]);
	if (s->note[0]) {
		attrset(watch_style(STYLE_NOTE));
		printw(" %s", s->note);
		attrset(A_NORMAL);
	}
	char where[64];
	size_t page = watch_screen_page();
	size_t last = s->ui.top + page < t->shown ? s->ui.top + page : t->shown;
	snprintf(where, sizeof(where), " rows %zu-%zu of %zu%s", t->shown ? s->ui.top + 1 : 0,
		 last, t->shown, last < t->shown ? ", more below" : "");
	int len = (int)strlen(where);
	if (len < COLS)
		mvaddstr(1, COLS - len, where);
}

/* --- columns ---------------------------------------------------------------------------- */

static int clamp(int v, int lo, int hi)
{
	return v < lo ? lo : v > hi ? hi : v;
}

/* How wide each column would like to be: its title (and the sort column's mark), and for
 * the preformatted ones the widest cell among the shown lines (within a cap). */
static void wanted_widths(const struct watch_table *t, enum watch_column sort,
			  int want[WCOL_COUNT])
{
	for (int c = 0; c < WCOL_COUNT; c++) {
		const struct watch_column_info *info = watch_column_info((enum watch_column)c);
		int title = (int)strlen(info->title) + (c == (int)sort ? 2 : 0);
		int w = info->width;
		switch (c) {
		case WCOL_LOCAL: case WCOL_REMOTE:
			w = clamp(t->widest[c], 9, ENDPOINT_WIDTH_MAX);
			break;
		case WCOL_NETNS: w = clamp(t->widest[c], 5, NETNS_WIDTH_MAX); break;
		case WCOL_CONTAINER: w = clamp(t->widest[c], 5, info->width); break;
		case WCOL_PROCESS: w = t->widest[c]; break;
		default: break;
		}
		want[c] = w > title ? w : title;
	}
}

static void plan(struct watch_session *s, struct watch_layout *l)
{
	int want[WCOL_COUNT];
	wanted_widths(&s->frame->table, s->ui.sort, want);
	watch_layout_plan(l, s->ui.shown, want, s->ui.hscroll, COLS);
	size_t max = l->scrollable > 0 ? (size_t)l->scrollable - 1 : 0;
	s->ui.hscroll_max = max;
	if (s->ui.hscroll > max) {
		s->ui.hscroll = max;
		watch_layout_plan(l, s->ui.shown, want, s->ui.hscroll, COLS);
	}
}

/* TEXT in W characters from X: numbers to the right, addresses elided in the middle. */
static void put_cell(int y, int x, int w, enum watch_column c, const char *text)
{
	char cut[WATCH_CELL_MAX];
	const struct watch_column_info *info = watch_column_info(c);
	if (c == WCOL_LOCAL || c == WCOL_REMOTE) {
		watch_elide_middle(text, w < WATCH_CELL_MAX ? w : WATCH_CELL_MAX - 1, cut);
		text = cut;
	}
	int len = (int)strlen(text);
	if (info->right && len < w)
		x += w - len;
	mvaddnstr(y, x, text, w);
}

static void draw_titles(const struct watch_layout *l, const struct watch_ui *ui)
{
	attrset(watch_style(STYLE_TITLES));
	mvhline(2, 0, ' ', COLS);
	for (int c = 0; c < WCOL_COUNT; c++) {
		if (!l->width[c])
			continue;
		char title[64];
		snprintf(title, sizeof(title), "%s%s", watch_column_info((enum watch_column)c)->title,
			 (int)ui->sort != c ? "" : ui->reverse ? " v" : " ^");
		put_cell(2, l->x[c], l->width[c], (enum watch_column)c, title);
	}
	if (l->more_left)
		mvaddch(2, 0, '<');
	if (l->more_right)
		mvaddch(2, COLS - 1, '>');
	attrset(A_NORMAL);
}

/* --- rows ------------------------------------------------------------------------------- */

static attr_t mark_attr(enum watch_mark m)
{
	switch (m) {
	case WATCH_NEW: return watch_style(STYLE_NEW);
	case WATCH_CLOSED: return watch_style(STYLE_CLOSED);
	case WATCH_CHANGED: return watch_style(STYLE_CHANGED);
	case WATCH_SAME:
	default: return A_NORMAL;
	}
}

static void draw_line(struct watch_session *s, int y, const struct watch_line *line,
		      const struct watch_layout *l, bool selected)
{
	attrset(mark_attr(line->mark) | (selected ? watch_style(STYLE_SELECTED) : A_NORMAL));
	if (selected)
		mvhline(y, 0, ' ', COLS); /* the bar spans the whole line */
	char buf[WATCH_CELL_MAX];
	for (int c = 0; c < WCOL_COUNT; c++)
		if (l->width[c])
			put_cell(y, l->x[c], l->width[c], (enum watch_column)c,
				 watch_line_cell(line, (enum watch_column)c, &s->view, buf));
	attrset(A_NORMAL);
}

static void draw_rows(struct watch_session *s, const struct watch_layout *l)
{
	const struct watch_table *t = &s->frame->table;
	size_t page = watch_screen_page();
	for (size_t i = 0; i < page && s->ui.top + i < t->shown; i++) {
		size_t k = s->ui.top + i;
		draw_line(s, HEADER_LINES + (int)i, &t->lines[t->order[k]], l,
			  k == s->ui.selected);
	}
}

/* --- bottom line ------------------------------------------------------------------------ */

static const char *keys_hint(const struct watch_ui *ui)
{
	switch (ui->mode) {
	case UI_HELP: return "any key closes the help";
	case UI_CHOOSER: return "up/down move  space toggles  Esc or c closes";
	case UI_DETAIL: return "up/down the next connection  Esc closes";
	case UI_PROCS: return "up/down move  Enter shows its connections  Esc or P closes";
	default:
		return "q quit  ? help  / filter  < > sort  c columns  Enter details  "
		       "P processes  k close";
	}
}

static void draw_footer(const struct watch_ui *ui)
{
	char line[WATCH_STATUS_MAX + WATCH_FILTER_MAX + 128];
	if (ui->mode == UI_FILTER)
		snprintf(line, sizeof(line), "/%s_   (Enter keeps it, Esc clears it)", ui->filter);
	else if (ui->status[0])
		snprintf(line, sizeof(line), "%s", ui->status);
	else
		snprintf(line, sizeof(line), "%s%s%s%s", ui->filter[0] ? "filter: " : "",
			 ui->filter, ui->filter[0] ? "  " : "", keys_hint(ui));
	attrset(ui->mode == UI_CONFIRM ? A_BOLD | A_REVERSE : A_NORMAL);
	mvaddnstr(LINES - 1, 0, line, COLS);
	attrset(A_NORMAL);
}

void watch_screen_draw(struct watch_session *s)
{
	erase();
	struct watch_layout l;
	plan(s, &l);
	draw_summary(s);
	draw_state_counts(s);
	switch (s->ui.mode) {
	case UI_PROCS: watch_draw_procs(s); break;
	case UI_DETAIL: watch_draw_detail(s); break;
	default:
		draw_titles(&l, &s->ui);
		draw_rows(s, &l);
		if (s->ui.mode == UI_CHOOSER)
			watch_draw_chooser(s);
		else if (s->ui.mode == UI_HELP)
			watch_draw_help();
		break;
	}
	draw_footer(&s->ui);
	refresh();
}
