/* watch_ui.c - keys to state changes. */
#include "watch_ui.h"

#include <curses.h>
#include <stdio.h>
#include <string.h>

enum { KEY_ESC = 27, KEY_DEL = 127, KEY_CTRL_H = 8 };

void watch_ui_init(struct watch_ui *ui, bool owners, bool show_netns)
{
	static const enum watch_column defaults[] = {WCOL_PROTO, WCOL_LOCAL, WCOL_REMOTE,
						     WCOL_STATE, WCOL_RECV_RATE, WCOL_SEND_RATE,
						     WCOL_RECV_Q, WCOL_SEND_Q};
	memset(ui, 0, sizeof(*ui));
	ui->sort = WCOL_LOCAL;
	for (size_t i = 0; i < sizeof(defaults) / sizeof(defaults[0]); i++)
		ui->shown[defaults[i]] = true;
	ui->shown[WCOL_PROCESS] = owners;
	ui->shown[WCOL_NETNS] = show_netns;
}

bool watch_ui_column_shown(const struct watch_ui *ui, enum watch_column c)
{
	return (unsigned)c < WCOL_COUNT && ui->shown[c];
}

unsigned watch_ui_want(const struct watch_ui *ui)
{
	unsigned want = 0;
	bool pane = ui->mode == UI_DETAIL || ui->mode == UI_PROCS;
	for (int c = 0; c < WCOL_COUNT; c++) {
		if (!ui->shown[c])
			continue;
		unsigned need = watch_column_info((enum watch_column)c)->need;
		if (need & WNEED_INFO)
			want |= TCPT_WANT_INFO;
		if (need & WNEED_OWNERS)
			want |= TCPT_WANT_OWNERS | TCPT_WANT_PROCESS;
	}
	if (pane)
		want |= TCPT_WANT_INFO | TCPT_WANT_OWNERS | TCPT_WANT_PROCESS;
	return want;
}

/* The next shown column in direction STEP (+1 or -1), wrapping around. */
static void move_sort(struct watch_ui *ui, int step)
{
	int c = (int)ui->sort;
	do
		c = (c + step + WCOL_COUNT) % WCOL_COUNT;
	while (!ui->shown[c]);
	ui->sort = (enum watch_column)c;
}

static size_t moved(size_t at, long delta, size_t count)
{
	if (count == 0)
		return 0;
	long target = (long)at + delta;
	if (target < 0)
		target = 0;
	if ((size_t)target >= count)
		target = (long)count - 1;
	return (size_t)target;
}

/* Arrows and pages over a list of COUNT; returns false for any other key. */
static bool navigation_key(size_t *at, int key, size_t count, size_t page)
{
	long step = page > 1 ? (long)page - 1 : 1;
	switch (key) {
	case KEY_UP: *at = moved(*at, -1, count); return true;
	case KEY_DOWN: *at = moved(*at, 1, count); return true;
	case KEY_PPAGE: *at = moved(*at, -step, count); return true;
	case KEY_NPAGE: *at = moved(*at, step, count); return true;
	case KEY_HOME: *at = moved(*at, -(long)count, count); return true;
	case KEY_END: *at = moved(*at, (long)count, count); return true;
	default: return false;
	}
}

static bool is_enter(int key)
{
	return key == '\n' || key == '\r' || key == KEY_ENTER;
}

/* Column C off or on; State cannot go (it is what the view is about). */
static enum watch_cmd toggle_column(struct watch_ui *ui, enum watch_column c)
{
	if (c == WCOL_STATE) {
		snprintf(ui->status, sizeof(ui->status), "the State column is always shown");
		return CMD_REDRAW;
	}
	ui->shown[c] = !ui->shown[c];
	if (!ui->shown[c] && ui->sort == c)
		ui->sort = WCOL_LOCAL;
	if (!ui->shown[WCOL_LOCAL] && ui->sort == WCOL_LOCAL)
		ui->sort = WCOL_STATE;
	return CMD_SETTINGS;
}

static enum watch_cmd scroll_sideways(struct watch_ui *ui, int step)
{
	if (step < 0 && ui->hscroll > 0)
		ui->hscroll--;
	else if (step > 0 && ui->hscroll < ui->hscroll_max)
		ui->hscroll++;
	return CMD_REDRAW;
}

static enum watch_cmd normal_key(struct watch_ui *ui, int key, size_t shown, size_t page)
{
	ui->status[0] = '\0';
	if (navigation_key(&ui->selected, key, shown, page))
		return CMD_REDRAW;
	switch (key) {
	case 'q': case 'Q': return CMD_QUIT;
	case '<': move_sort(ui, -1); return CMD_REARRANGE;
	case '>': move_sort(ui, 1); return CMD_REARRANGE;
	case KEY_LEFT: return scroll_sideways(ui, -1);
	case KEY_RIGHT: return scroll_sideways(ui, 1);
	case 'r': ui->reverse = !ui->reverse; return CMD_REARRANGE;
	case '/': ui->mode = UI_FILTER; return CMD_REDRAW;
	case 'p': case ' ':
		ui->paused = !ui->paused;
		return ui->paused ? CMD_SETTINGS : CMD_REFRESH;
	case 'o': return toggle_column(ui, WCOL_PROCESS);
	case 'k': return CMD_ASK_KILL;
	case 'c': ui->mode = UI_CHOOSER; return CMD_REDRAW;
	case '?': case 'h': case KEY_F(1): ui->mode = UI_HELP; return CMD_REDRAW;
	case 'P':
		ui->mode = UI_PROCS;
		ui->proc_selected = ui->proc_top = 0;
		return CMD_SETTINGS;
	case '\n': case '\r': case KEY_ENTER:
		if (!shown)
			return CMD_REDRAW;
		ui->mode = UI_DETAIL;
		return CMD_SETTINGS;
	case KEY_ESC:
		if (!ui->filter[0])
			return CMD_REDRAW;
		ui->filter[0] = '\0';
		return CMD_REARRANGE;
	default: return CMD_REDRAW; /* KEY_RESIZE and unknown keys: draw again */
	}
}

/* Editing the filter rearranges at every key, so the rows narrow as one types. */
static enum watch_cmd filter_key(struct watch_ui *ui, int key)
{
	size_t len = strlen(ui->filter);
	if (is_enter(key)) {
		ui->mode = UI_NORMAL;
		return CMD_REDRAW;
	}
	if (key == KEY_ESC) {
		ui->mode = UI_NORMAL;
		ui->filter[0] = '\0';
	} else if (key == KEY_BACKSPACE || key == KEY_DEL || key == KEY_CTRL_H) {
		if (len)
			ui->filter[len - 1] = '\0';
	} else if (key >= 0x20 && key < 0x7f && len + 1 < sizeof(ui->filter)) {
		ui->filter[len] = (char)key;
		ui->filter[len + 1] = '\0';
	} else {
		return CMD_REDRAW; /* KEY_RESIZE, arrows, ...: nothing to edit */
	}
	ui->selected = 0;
	ui->top = 0;
	return CMD_REARRANGE;
}

static enum watch_cmd confirm_key(struct watch_ui *ui, int key)
{
	if (key == KEY_RESIZE)
		return CMD_REDRAW; /* a resize is not an answer */
	ui->mode = UI_NORMAL;
	if (key == 'y' || key == 'Y')
		return CMD_KILL;
	strcpy(ui->status, "not closed");
	return CMD_REDRAW;
}

static enum watch_cmd chooser_key(struct watch_ui *ui, int key)
{
	if (navigation_key(&ui->chooser, key, WCOL_COUNT, WCOL_COUNT))
		return CMD_REDRAW;
	if (key == ' ' || is_enter(key))
		return toggle_column(ui, (enum watch_column)ui->chooser);
	if (key == KEY_ESC || key == 'c' || key == 'q')
		ui->mode = UI_NORMAL;
	return CMD_REDRAW;
}

static enum watch_cmd detail_key(struct watch_ui *ui, int key, size_t shown, size_t page)
{
	if (navigation_key(&ui->selected, key, shown, page))
		return CMD_REDRAW; /* the detail of the next connection */
	if (key == KEY_ESC || is_enter(key) || key == 'q') {
		ui->mode = UI_NORMAL;
		return CMD_SETTINGS;
	}
	return CMD_REDRAW;
}

static enum watch_cmd procs_key(struct watch_ui *ui, int key, size_t page)
{
	if (navigation_key(&ui->proc_selected, key, ui->proc_count, page))
		return CMD_REDRAW;
	if (is_enter(key) && ui->proc_count) {
		ui->mode = UI_NORMAL;
		return CMD_PROC_FILTER;
	}
	if (key == KEY_ESC || key == 'P' || key == 'q') {
		ui->mode = UI_NORMAL;
		return CMD_SETTINGS;
	}
	return CMD_REDRAW;
}

enum watch_cmd watch_ui_key(struct watch_ui *ui, int key, size_t shown, size_t page)
{
	switch (ui->mode) {
	case UI_FILTER: return filter_key(ui, key);
	case UI_CONFIRM: return confirm_key(ui, key);
	case UI_HELP:
		if (key != KEY_RESIZE)
			ui->mode = UI_NORMAL;
		return CMD_REDRAW;
	case UI_CHOOSER: return chooser_key(ui, key);
	case UI_DETAIL: return detail_key(ui, key, shown, page);
	case UI_PROCS: return procs_key(ui, key, page);
	case UI_NORMAL:
	default: return normal_key(ui, key, shown, page);
	}
}

void watch_ui_confirm(struct watch_ui *ui, const struct tcpt_conn *target,
		      const char *question)
{
	ui->target = *target;
	ui->target.owners = NULL; /* the copy must not point into a snapshot that may go */
	ui->target.owner_count = 0;
	ui->target.info = NULL;
	snprintf(ui->status, sizeof(ui->status), "%s", question);
	ui->mode = UI_CONFIRM;
}

static void clamp_window(size_t *selected, size_t *top, size_t count, size_t page)
{
	if (*selected >= count)
		*selected = count ? count - 1 : 0;
	if (page == 0)
		page = 1;
	if (*selected < *top)
		*top = *selected;
	if (*selected >= *top + page)
		*top = *selected - page + 1;
	if (*top + page > count) /* no blank space below the last line after a resize */
		*top = count > page ? count - page : 0;
}

void watch_ui_clamp(struct watch_ui *ui, size_t shown, size_t page)
{
	clamp_window(&ui->selected, &ui->top, shown, page);
	clamp_window(&ui->proc_selected, &ui->proc_top, ui->proc_count, page);
}
