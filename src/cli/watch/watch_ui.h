/* watch_ui.h - what the keys of the live view do to its state: a pure state machine (curses
 * is included for the KEY_* numbers only), so that every key is testable without a screen. */
#ifndef TCPT_CLI_WATCH_UI_H
#define TCPT_CLI_WATCH_UI_H

#include <stdbool.h>
#include <stddef.h>

#include "watch_table.h"

enum watch_mode {
	UI_NORMAL,
	UI_FILTER,  /* typing after '/' */
	UI_CONFIRM, /* "close this connection? y/n" */
};

enum watch_cmd {
	CMD_NONE,     /* nothing changed */
	CMD_REDRAW,   /* the state changed; draw again */
	CMD_REARRANGE,/* the filter or the sort changed; arrange the rows again, then draw */
	CMD_REFRESH,  /* take a snapshot now (resume, owners toggled) */
	CMD_QUIT,
	CMD_ASK_KILL, /* 'k': the caller checks the selected row, then calls watch_ui_confirm() */
	CMD_KILL,     /* confirmed: close ui->target */
};

enum { WATCH_FILTER_MAX = 64, WATCH_STATUS_MAX = 512 };

struct watch_ui {
	enum watch_mode mode;
	enum watch_column sort;
	bool reverse;
	bool paused;
	bool owners;                     /* process column shown, owners asked for */
	bool show_netns;                 /* namespace column shown */
	char filter[WATCH_FILTER_MAX];   /* NUL-terminated, printable ASCII */
	size_t selected;                 /* index among the shown lines */
	size_t top;                      /* first shown line on screen */
	struct tcpt_conn target;         /* the connection a confirmation is about */
	char status[WATCH_STATUS_MAX];   /* message for the bottom line; "" shows the keys */
};

/* A new state: sorted by local address, not paused, owners as OWNERS, namespace column as
 * SHOW_NETNS. */
void watch_ui_init(struct watch_ui *ui, bool owners, bool show_netns);

/* Whether column C is on screen now. */
bool watch_ui_column_shown(const struct watch_ui *ui, enum watch_column c);

/*
 * Apply KEY (a character or a curses KEY_* code) with SHOWN lines on display and PAGE lines
 * per screen. Returns what the caller must do next. The status line is cleared by any key
 * in normal mode, so that a message stays until the person has seen it and acted.
 */
enum watch_cmd watch_ui_key(struct watch_ui *ui, int key, size_t shown, size_t page);

/* Enter the confirmation mode for TARGET, asking QUESTION (copied to the status line). */
void watch_ui_confirm(struct watch_ui *ui, const struct tcpt_conn *target,
		      const char *question);

/* Keep the selection within SHOWN lines and the window of PAGE lines around it. */
void watch_ui_clamp(struct watch_ui *ui, size_t shown, size_t page);

#endif
