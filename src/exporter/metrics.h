/* metrics.h - an aggregate written out as metric families (the man page lists them). */
#ifndef TCPT_EXPORTER_METRICS_H
#define TCPT_EXPORTER_METRICS_H

#include "aggregate.h"
#include "expo.h"

#include <stdint.h>

/* About the exporter itself, as of the snapshot being written. */
struct exporter_meta {
	double duration_s;              /* the snapshot's own duration */
	uint64_t snapshots;             /* snapshots taken since start, this one included */
	double snapshot_seconds;        /* their summed durations */
	uint64_t failures;              /* snapshots that failed since start */
};

/*
 * Write every family for A (finished with aggregate_finish()) and META in FORMAT into
 * *ret_text (a fresh buffer the caller frees with sbuf_free()). TOP_K cuts the per-port
 * series. Returns 0 or -ENOMEM (*ret_text untouched).
 */
int metrics_render(struct aggregate *a, const struct exporter_meta *meta, size_t top_k,
		   enum expo_format format, struct sbuf *ret_text);

#endif
