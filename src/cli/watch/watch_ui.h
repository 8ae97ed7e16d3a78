/* watch_ui.h - what the keys of the live view do to its state: a pure state machine (curses
 * is included for the KEY_* numbers only), so that every key is testable without a screen. */
#ifndef TCPT_CLI_WATCH_UI_H
#define TCPT_CLI_WATCH_UI_H

#include <stdbool.h>
#include <stddef.h>

#include "watch_columns.h"
#include "watch_frame.h"
#include "watch_table.h"

enum watch_mode {
	UI_NORMAL,
	UI_FILTER,  /* typing after '/' */
	UI_CONFIRM, /* "close this connection? y/n" */
	UI_HELP,    /* '?': every key; any key closes it */
	UI_CHOOSER, /* 'c': the columns, toggled with space */
	UI_DETAIL,  /* Enter: every field of the selected connection */
	UI_PROCS,   /* 'P': totals per process */
};

enum watch_cmd {
	CMD_NONE,      /* nothing changed */
	CMD_REDRAW,    /* the state changed; draw again */
	CMD_REARRANGE, /* the filter or the sort changed; arrange the rows again, then draw */
	CMD_REFRESH,   /* take a snapshot now (resume) */
	CMD_SETTINGS,  /* what the snapshots need may have changed (columns, owners, panes):
	                  tell the worker, and refresh when it did change */
	CMD_QUIT,
	CMD_ASK_KILL,  /* 'k': the caller checks the selected row, then calls watch_ui_confirm() */
	CMD_KILL,      /* confirmed: close ui->target */
	CMD_PROC_FILTER, /* Enter in the process pane: filter the table by ui->proc_selected */
};

enum { WATCH_STATUS_MAX = 512 };

struct watch_ui {
	enum watch_mode mode;
	enum watch_column sort;
	bool reverse;
	bool paused;
	bool shown[WCOL_COUNT];          /* columns on (some may be scrolled off) */
	size_t hscroll;                  /* scrollable columns scrolled off to the left */
	size_t hscroll_max;              /* set by the screen: more would show nothing new */
	char filter[WATCH_FILTER_MAX];   /* NUL-terminated, printable ASCII */
	size_t selected;                 /* index among the shown lines */
	size_t top;                      /* first shown line on screen */
	size_t chooser;                  /* the column under the chooser's cursor */
	size_t proc_count;               /* set by the caller: lines in the process pane */
	size_t proc_selected;
	size_t proc_top;
	struct tcpt_conn target;         /* the connection a confirmation is about */
	char status[WATCH_STATUS_MAX];   /* message for the bottom line; "" shows the keys */
};

/* A new state: sorted by local address, not paused; the default columns (protocol,
 * addresses, state, rates, queues), with the process column as OWNERS and the namespace
 * column as SHOW_NETNS. */
void watch_ui_init(struct watch_ui *ui, bool owners, bool show_netns);

/* Whether column C is on (it may be scrolled off or squeezed out by a narrow screen). */
bool watch_ui_column_shown(const struct watch_ui *ui, enum watch_column c);

/* What the snapshots must carry for what is on screen (TCPT_WANT_*): tcp_info for the rate
 * and tcp_info columns, the process pane and the detail pane; owners with their names for
 * the process column and both panes. */
unsigned watch_ui_want(const struct watch_ui *ui);

/*
 * Apply KEY (a character or a curses KEY_* code) with SHOWN lines on display and PAGE lines
 * per screen. Returns what the caller must do next. The status line is cleared by any key
 * in normal mode, so that a message stays until the person has seen it and acted.
 */
enum watch_cmd watch_ui_key(struct watch_ui *ui, int key, size_t shown, size_t page);

/* Enter the confirmation mode for TARGET, asking QUESTION (copied to the status line). */
void watch_ui_confirm(struct watch_ui *ui, const struct tcpt_conn *target,
		      const char *question);

/* Keep the selection within SHOWN lines and the window of PAGE lines around it (and the
 * process pane's within ui->proc_count). */
void watch_ui_clamp(struct watch_ui *ui, size_t shown, size_t page);

#endif
