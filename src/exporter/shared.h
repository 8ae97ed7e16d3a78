/* shared.h - one snapshot for the scrapes that arrive together, and a minimum interval.
 *
 * A scrape asks for the current result. If the last result is younger than the minimum
 * interval, it gets that one. If a snapshot is being taken, it waits for it and gets its
 * result. Otherwise it takes the snapshot itself (so at most one is ever in flight) while
 * later arrivals wait. Results are reference-counted: a result replaced while a response is
 * still being sent stays alive until its last user lets go. */
#ifndef TCPT_EXPORTER_SHARED_H
#define TCPT_EXPORTER_SHARED_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>

struct result {
	atomic_uint refs;
	void (*destroy)(struct result *r); /* frees the result when the last reference goes */
};

/* Make a new result; called by the one scrape that takes the snapshot, without the lock.
 * Returns a result with refs == 1, or NULL (out of memory: the scrape fails). */
typedef struct result *(*produce_fn)(void *ctx);

struct shared {
	pthread_mutex_t lock;
	pthread_cond_t done;
	struct result *last;
	int64_t last_done_ns;   /* CLOCK_MONOTONIC time the last result was made */
	int in_flight;          /* a snapshot is being taken */
	uint64_t generation;    /* results made so far */
	int64_t min_interval_ns;
	produce_fn produce;
	void *ctx;
};

/* Set up S. Returns 0 or a negative errno. */
int shared_init(struct shared *s, int64_t min_interval_ns, produce_fn produce, void *ctx);

/* The result a scrape arriving now gets, with a reference the caller gives back with
 * result_unref(). NULL when producing one failed. Blocks while a snapshot is in flight. */
struct result *shared_get(struct shared *s);

/* Give back a reference. NULL is ignored. */
void result_unref(struct result *r);

/* Release S and its last result. No shared_get() may be running. */
void shared_destroy(struct shared *s);

#endif
