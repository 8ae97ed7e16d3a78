/* shared.h - one snapshot for the scrapes that arrive together, and a minimum interval.
 *
 * Snapshots are taken by one thread of their own, so at most one is ever in flight and the
 * HTTP threads never block on one. A scrape first asks for a result it can have at once
 * (shared_try: the last one, if younger than the minimum interval). Otherwise it waits
 * (shared_wait): its waiter is called, from the snapshot thread, with the result of the next
 * snapshot to finish, which every scrape waiting by then shares. Results are
 * reference-counted: one replaced while a response is still being sent stays alive until its
 * last user lets go. */
#ifndef TCPT_EXPORTER_SHARED_H
#define TCPT_EXPORTER_SHARED_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

struct result {
	atomic_uint refs;
	void (*destroy)(struct result *r); /* frees the result when the last reference goes */
};

/* Make a new result; called on the snapshot thread only. Returns a result with refs == 1,
 * or NULL (out of memory: the waiting scrapes fail). */
typedef struct result *(*produce_fn)(void *ctx);

/* A scrape waiting for a result. FN gets a reference to give back with result_unref() (NULL
 * when producing failed or the exporter is stopping). */
struct waiter {
	void (*fn)(struct waiter *w, struct result *r);
	struct waiter *next;
};

struct shared {
	pthread_mutex_t lock;
	pthread_cond_t wake;
	pthread_t thread;
	struct result *last;
	int64_t last_done_ns;   /* CLOCK_MONOTONIC time the last result was made */
	struct waiter *waiting; /* scrapes for the next result */
	bool stopping;
	int64_t min_interval_ns;
	produce_fn produce;
	void *ctx;
};

/* Set up S and start its snapshot thread. Returns 0 or a negative errno. */
int shared_start(struct shared *s, int64_t min_interval_ns, produce_fn produce, void *ctx);

/* The last result with a reference, if it is younger than the minimum interval; else NULL. */
struct result *shared_try(struct shared *s);

/* Have W called with a result: at once (from this thread) when shared_try() would give
 * one, else from the snapshot thread when the next snapshot finishes. */
void shared_wait(struct shared *s, struct waiter *w);

/* Give back a reference. NULL is ignored. */
void result_unref(struct result *r);

/* Stop the snapshot thread: waiters still queued, and any shared_wait() from now on, get
 * NULL. shared_try() and shared_wait() stay usable until shared_destroy(). */
void shared_stop(struct shared *s);

/* Release S (after shared_stop(), once nobody can call in any more). */
void shared_destroy(struct shared *s);

#endif
