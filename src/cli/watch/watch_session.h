/* watch_session.h - the live view's state on the screen's thread: the frame on screen (made
 * by the worker thread, watch_worker.h), the keys' state, what the worker was told, and the
 * actions the keys ask for (close a connection, filter by a process). No curses. */
#ifndef TCPT_CLI_WATCH_SESSION_H
#define TCPT_CLI_WATCH_SESSION_H

#include <stdbool.h>
#include <stdint.h>

#include "options.h"
#include "view.h"
#include "watch_frame.h"
#include "watch_procs.h"
#include "watch_ui.h"
#include "watch_worker.h"

struct watch_session {
	const struct cli_options *opts;
	struct view view;           /* this thread's caches: users, cgroups, interfaces */
	struct watch_ui ui;
	struct watch_worker worker;
	struct watch_frame *frame;  /* on screen; never NULL after a successful init */
	struct watch_settings sent; /* what the worker was last told */
	struct watch_proc *procs;   /* the process pane's lines, made from frame */
	size_t proc_count;
	uint64_t own_netns;         /* inode of our network namespace */
	struct tcpt_context *context; /* every refresh's query's: the BPF owner program loaded
	                                 once for the session, not once per refresh */
	bool selection_gone;        /* the selected connection left the table: the detail pane
	                               says so rather than show another one's */
	char error[160];            /* why the last refresh failed; "" when it worked */
	char note[160];             /* a standing remark for the header ("" for none) */
};

/*
 * Set up S for OPTS: the columns OPTS asks for (-e, -i, -o, -p), the first snapshot (with
 * owners when the BPF owner source serves them, which makes them cheap: then the process
 * column is on without -p; otherwise s->note says why it is off), and the worker thread.
 * Returns 0, or -1 after saying on stderr why the sockets cannot be read. S must be released
 * with watch_session_free() either way.
 */
int watch_session_init(struct watch_session *s, const struct cli_options *opts);

/* Stop the worker and release everything S holds. */
void watch_session_free(struct watch_session *s);

/* The descriptor that polls readable when the worker has a frame or an error. */
int watch_session_fd(const struct watch_session *s);

/* Take the worker's newest frame (keeping the same connection selected) or error. Returns
 * true when the screen must be drawn again. */
bool watch_session_update(struct watch_session *s);

/* Tell the worker what the keys' state now needs (TCPT_WANT_*, pause, arrangement); when
 * what the snapshots carry changed, or REFRESH, have it refresh now. */
void watch_session_settings(struct watch_session *s, bool refresh);

/* Re-filter and re-sort the table after the filter text or the sort changed, keeping the
 * same connection selected. */
void watch_session_rearrange(struct watch_session *s);

/* The line of the selected connection, or NULL when none is shown (or, in the detail pane,
 * when the connection it showed has gone). */
const struct watch_line *watch_session_selected(const struct watch_session *s);

/* 'k': ask for confirmation to close the selected connection, naming it and its process,
 * or say in the status line why it cannot be closed (closed, UDP, another namespace, a
 * listener without -l). */
void watch_session_ask_kill(struct watch_session *s);

/* 'y': close s->ui.target and put the outcome in the status line. */
void watch_session_kill(struct watch_session *s);

/* Enter in the process pane: filter the table by the selected process ("PID/"). */
void watch_session_proc_filter(struct watch_session *s);

#endif
