/* watch_frame.h - one refresh of the live view, made whole by the worker thread and then
 * handed to the screen's thread: the snapshots its rows point into, the notifications shown
 * as closed rows, the formatted and arranged table, and what the header says about them. */
#ifndef TCPT_CLI_WATCH_FRAME_H
#define TCPT_CLI_WATCH_FRAME_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

#include "watch_columns.h"
#include "watch_table.h"

enum { WATCH_FILTER_MAX = 64 };

/* A snapshot shared by two frames (one's current rows are the next one's previous rows)
 * and the worker (which compares the next snapshot with it). */
struct watch_snap {
	struct tcpt_snapshot *snap;
	atomic_int refs;
};

/* A new holder of SNAP with one reference, or NULL (out of memory: SNAP is freed). */
struct watch_snap *watch_snap_new(struct tcpt_snapshot *snap);

/* Another reference to S (may be NULL); returns S. */
struct watch_snap *watch_snap_ref(struct watch_snap *s);

/* Drop a reference; the last one frees the snapshot. S may be NULL. */
void watch_snap_unref(struct watch_snap *s);

/* How the rows were arranged; the screen arranges again when its own differ. */
struct watch_arrangement {
	char filter[WATCH_FILTER_MAX];
	enum watch_column sort;
	bool reverse;
};

struct watch_frame {
	struct watch_snap *cur;       /* the rows */
	struct watch_snap *prev;      /* the closed rows point into it (NULL on the first) */
	struct watch_item *items;     /* the table's lines were made from these */
	struct tcpt_conn *events;     /* notified closes shown as rows */
	size_t event_count;
	struct watch_table table;
	struct watch_arrangement arranged;
	bool events_lost;             /* notifications were dropped before this refresh */
	size_t unseen;                /* resets with wiped endpoints (watch_diff()) */
	unsigned want;                /* TCPT_WANT_* the snapshot was taken with */
	enum tcpt_source owner_source;/* tcpt_snapshot_owner_source() */
	uint64_t dt_ms;               /* time since the previous snapshot (0 on the first) */
};

/* Release F and its references. F may be NULL. */
void watch_frame_free(struct watch_frame *f);

#endif
