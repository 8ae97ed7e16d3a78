/* watch_worker.h - the live view's worker thread: it takes the snapshots (and with them the
 * owner scans, the slow part), reads the destroy notifications, compares, formats and sorts,
 * so that the screen's thread only ever swaps in a finished frame and stays responsive.
 *
 * The screen's thread tells it what to take (watch_worker_set()) and when (on its interval,
 * or now: watch_worker_refresh()); it answers through watch_worker_fd(), readable when a
 * frame or an error is waiting for watch_worker_take(). */
#ifndef TCPT_CLI_WATCH_WORKER_H
#define TCPT_CLI_WATCH_WORKER_H

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>

#include "options.h"
#include "view.h"
#include "watch_frame.h"

/* What the next refreshes take and how they arrange the rows. */
struct watch_settings {
	unsigned want;         /* TCPT_WANT_* */
	bool paused;           /* no refresh on the interval (watch_worker_refresh() still works) */
	struct watch_arrangement arrangement;
};

/* Rows decoded from destroy notifications. */
struct watch_events {
	struct tcpt_conn *rows;
	size_t count;
	size_t cap;
	bool lost; /* notifications were dropped (socket overrun, or more than we keep) */
};

struct watch_worker {
	pthread_t thread;
	bool initialized;           /* watch_worker_start() ran: there is something to release */
	bool started;
	pthread_mutex_t lock;
	int wake_fd;                /* eventfd: the screen's thread wakes the worker */
	int ready_fd;               /* eventfd: the worker says a frame or an error is waiting */
	/* under lock */
	struct watch_settings settings;
	bool refresh_now;
	bool quit;
	struct watch_frame *ready;  /* made and not taken yet */
	char error[160];            /* why the last refresh failed; "" when it worked */
	bool error_news;
	/* the worker's own */
	const struct cli_options *opts;
	struct tcpt_query query;
	struct view view;           /* its caches (namespace names, cgroups, interfaces) */
	struct watch_containers containers; /* the Container column per cgroup */
	int events_fd;              /* -1: not subscribed */
	uint64_t own_netns;
	struct watch_events pending;/* notified since the last refresh */
	struct watch_snap *last;    /* the last snapshot, for the next diff */
	uint64_t last_ms;           /* when it was taken (CLOCK_MONOTONIC) */
	uint64_t cgroups_reloaded_ms;
	bool cgroup_misses;         /* a row's cgroup was unknown: reload the names, now and then */
};

/*
 * Set W up for OPTS, taking QUERY's rows (its want replaced by the settings'), with FIRST,
 * the snapshot taken before the screen (taken with SETTINGS->want; W takes it over), subscribe to destroy notifications (failure is not an
 * error: watch_worker_events() says so) and start the thread, which makes the first frame
 * from FIRST at once. Returns 0, or a negative errno (W then needs only watch_worker_stop()).
 */
int watch_worker_start(struct watch_worker *w, const struct cli_options *opts,
		       const struct tcpt_query *query, struct tcpt_snapshot *first,
		       const struct watch_settings *settings);

/* Stop the thread and release everything W holds. Safe on a W that failed to start, and
 * on a zeroed W that watch_worker_start() never saw. */
void watch_worker_stop(struct watch_worker *w);

/* Whether destroy notifications are subscribed. */
bool watch_worker_events(const struct watch_worker *w);

/* The descriptor that polls readable when watch_worker_take() has something. */
int watch_worker_fd(const struct watch_worker *w);

/* Replace the settings; they apply from the next refresh. */
void watch_worker_set(struct watch_worker *w, const struct watch_settings *s);

/* Refresh as soon as the current refresh (if any) is done, paused or not. */
void watch_worker_refresh(struct watch_worker *w);

/*
 * Take what is waiting: the newest frame (*ret_frame, NULL when none; the caller frees it)
 * and whether the error changed (then copied into ERROR, SIZE bytes; "" once a refresh
 * worked again). Returns true when anything changed.
 */
bool watch_worker_take(struct watch_worker *w, struct watch_frame **ret_frame, char *error,
		       size_t size);

#endif
