/* watch_ui.c - keys to state changes. */
#include "watch_ui.h"

#include <curses.h>
#include <stdio.h>
#include <string.h>

enum { KEY_ESC = 27, KEY_DEL = 127, KEY_CTRL_H = 8 };

void watch_ui_init(struct watch_ui *ui, bool owners, bool show_netns)
{
	memset(ui, 0, sizeof(*ui));
	ui->sort = WCOL_LOCAL;
	ui->owners = owners;
	ui->show_netns = show_netns;
}

bool watch_ui_column_shown(const struct watch_ui *ui, enum watch_column c)
{
	if (c == WCOL_PROCESS)
		return ui->owners;
	if (c == WCOL_NETNS)
		return ui->show_netns;
	return c < WCOL_COUNT;
}

/* The next shown column in direction STEP (+1 or -1), wrapping around. */
static void move_sort(struct watch_ui *ui, int step)
{
	int c = (int)ui->sort;
	do
		c = (c + step + WCOL_COUNT) % WCOL_COUNT;
	while (!watch_ui_column_shown(ui, (enum watch_column)c));
	ui->sort = (enum watch_column)c;
}

static void move_selection(struct watch_ui *ui, long delta, size_t shown)
{
	if (shown == 0) {
		ui->selected = 0;
		return;
	}
	long target = (long)ui->selected + delta;
	if (target < 0)
		target = 0;
	if ((size_t)target >= shown)
		target = (long)shown - 1;
	ui->selected = (size_t)target;
}

/* Arrows and pages; returns false for any other key. */
static bool navigation_key(struct watch_ui *ui, int key, size_t shown, size_t page)
{
	long step = page > 1 ? (long)page - 1 : 1;
	switch (key) {
	case KEY_UP: move_selection(ui, -1, shown); return true;
	case KEY_DOWN: move_selection(ui, 1, shown); return true;
	case KEY_PPAGE: move_selection(ui, -step, shown); return true;
	case KEY_NPAGE: move_selection(ui, step, shown); return true;
	case KEY_HOME: move_selection(ui, -(long)shown, shown); return true;
	case KEY_END: move_selection(ui, (long)shown, shown); return true;
	default: return false;
	}
}

static enum watch_cmd toggle_owners(struct watch_ui *ui)
{
	ui->owners = !ui->owners;
	if (!ui->owners && ui->sort == WCOL_PROCESS)
		ui->sort = WCOL_LOCAL;
	return CMD_REFRESH;
}

static enum watch_cmd normal_key(struct watch_ui *ui, int key, size_t shown, size_t page)
{
	ui->status[0] = '\0';
	if (navigation_key(ui, key, shown, page))
		return CMD_REDRAW;
	switch (key) {
	case 'q': case 'Q': return CMD_QUIT;
	case '<': case KEY_LEFT: move_sort(ui, -1); return CMD_REARRANGE;
	case '>': case KEY_RIGHT: move_sort(ui, 1); return CMD_REARRANGE;
	case 'r': ui->reverse = !ui->reverse; return CMD_REARRANGE;
	case '/': ui->mode = UI_FILTER; return CMD_REDRAW;
	case 'p': case ' ':
		ui->paused = !ui->paused;
		return ui->paused ? CMD_REDRAW : CMD_REFRESH;
	case 'o': return toggle_owners(ui);
	case 'k': return CMD_ASK_KILL;
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
	if (key == '\n' || key == '\r' || key == KEY_ENTER) {
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

enum watch_cmd watch_ui_key(struct watch_ui *ui, int key, size_t shown, size_t page)
{
	switch (ui->mode) {
	case UI_FILTER: return filter_key(ui, key);
	case UI_CONFIRM: return confirm_key(ui, key);
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

void watch_ui_clamp(struct watch_ui *ui, size_t shown, size_t page)
{
	if (ui->selected >= shown)
		ui->selected = shown ? shown - 1 : 0;
	if (page == 0)
		page = 1;
	if (ui->selected < ui->top)
		ui->top = ui->selected;
	if (ui->selected >= ui->top + page)
		ui->top = ui->selected - page + 1;
	if (ui->top + page > shown) /* no blank space below the last line after a resize */
		ui->top = shown > page ? shown - page : 0;
}
