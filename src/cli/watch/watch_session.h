/* watch_session.h - the live view's state between two frames: the snapshots on screen, the
 * destroy notifications waiting for the next refresh, the table and the keys' state, and
 * the actions the keys ask for (refresh, close a connection). No curses. */
#ifndef TCPT_CLI_WATCH_SESSION_H
#define TCPT_CLI_WATCH_SESSION_H

#include <stdbool.h>
#include <stdint.h>

#include "options.h"
#include "view.h"
#include "watch_diff.h"
#include "watch_table.h"
#include "watch_ui.h"

/* Rows decoded from destroy notifications. */
struct watch_events {
	struct tcpt_conn *rows;
	size_t count;
	size_t cap;
	bool lost; /* notifications were dropped (socket overrun, or more than we keep) */
};

struct watch_session {
	const struct cli_options *opts;
	struct tcpt_query query;    /* opts->query, owners asked for only while shown */
	struct view view;
	struct watch_ui ui;
	struct watch_table table;
	struct tcpt_snapshot *prev; /* the rows of the last refresh but one: closed lines */
	struct tcpt_snapshot *cur;
	struct watch_item *items;   /* the last diff; the table points at its rows */
	struct watch_events pending;/* notified since the last refresh */
	struct watch_events shown;  /* notified before the last refresh: on screen now */
	bool shown_lost;            /* the last refresh had lost notifications */
	size_t shown_unseen;        /* connections reset and freed between the last two
	                               refreshes, seen by neither: their endpoints are unknown */
	int events_fd;              /* -1: not subscribed */
	uint64_t own_netns;         /* inode of our network namespace */
	char error[160];            /* why the last refresh failed; "" when it worked */
};

/*
 * Set up S for OPTS: open the destroy-notification socket (failure is not an error: the
 * header says the events are unavailable) and take the first snapshot. Returns 0, or -1
 * after saying on stderr why the sockets cannot be read. S must be released with
 * watch_session_free() either way.
 */
int watch_session_init(struct watch_session *s, const struct cli_options *opts);

/* Release everything S holds. */
void watch_session_free(struct watch_session *s);

/* Take a snapshot now and compare it with the last one and the notifications since. On
 * failure the screen keeps the last rows and s->error says why. */
void watch_session_refresh(struct watch_session *s);

/* Read the destroy notifications waiting on s->events_fd into s->pending. */
void watch_session_read_events(struct watch_session *s);

/* Re-filter and re-sort the table after the filter text or the sort changed, keeping the
 * same connection selected. */
void watch_session_rearrange(struct watch_session *s);

/* 'k': ask for confirmation to close the selected connection, or say in the status line why
 * it cannot be closed. */
void watch_session_ask_kill(struct watch_session *s);

/* 'y': close s->ui.target and put the outcome in the status line. */
void watch_session_kill(struct watch_session *s);

#endif
