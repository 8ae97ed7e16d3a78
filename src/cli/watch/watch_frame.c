/* watch_frame.c - shared snapshots and frames. */
#include "watch_frame.h"

#include <stdlib.h>

struct watch_snap *watch_snap_new(struct tcpt_snapshot *snap)
{
	struct watch_snap *s = malloc(sizeof(*s));
	if (!s) {
		tcpt_snapshot_free(snap);
		return NULL;
	}
	s->snap = snap;
	atomic_init(&s->refs, 1);
	return s;
}

struct watch_snap *watch_snap_ref(struct watch_snap *s)
{
	if (s)
		atomic_fetch_add(&s->refs, 1);
	return s;
}

void watch_snap_unref(struct watch_snap *s)
{
	if (s && atomic_fetch_sub(&s->refs, 1) == 1) {
		tcpt_snapshot_free(s->snap);
		free(s);
	}
}

void watch_frame_free(struct watch_frame *f)
{
	if (!f)
		return;
	watch_table_free(&f->table);
	free(f->items);
	free(f->events);
	watch_snap_unref(f->cur);
	watch_snap_unref(f->prev);
	free(f);
}
