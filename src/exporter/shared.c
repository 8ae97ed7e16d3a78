/* shared.c - the one-snapshot-in-flight rule. */
#include "shared.h"

#include <errno.h>
#include <time.h>

static int64_t now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

int shared_init(struct shared *s, int64_t min_interval_ns, produce_fn produce, void *ctx)
{
	*s = (struct shared){ .min_interval_ns = min_interval_ns, .produce = produce,
			      .ctx = ctx };
	int r = pthread_mutex_init(&s->lock, NULL);
	if (r)
		return -r;
	pthread_condattr_t ca;
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	r = pthread_cond_init(&s->done, &ca);
	pthread_condattr_destroy(&ca);
	if (r) {
		pthread_mutex_destroy(&s->lock);
		return -r;
	}
	return 0;
}

static struct result *ref(struct result *r)
{
	if (r)
		atomic_fetch_add(&r->refs, 1);
	return r;
}

void result_unref(struct result *r)
{
	if (r && atomic_fetch_sub(&r->refs, 1) == 1)
		r->destroy(r);
}

/* With the lock held: take the snapshot (dropping the lock meanwhile) and publish it. */
static struct result *produce_locked(struct shared *s)
{
	s->in_flight = 1;
	pthread_mutex_unlock(&s->lock);
	struct result *fresh = s->produce(s->ctx);
	pthread_mutex_lock(&s->lock);
	struct result *old = s->last;
	s->last = fresh;
	s->last_done_ns = now_ns();
	s->in_flight = 0;
	s->generation++;
	pthread_cond_broadcast(&s->done);
	result_unref(old);
	return ref(fresh);
}

struct result *shared_get(struct shared *s)
{
	pthread_mutex_lock(&s->lock);
	struct result *r;
	if (s->in_flight) {
		uint64_t gen = s->generation;
		while (s->generation == gen)
			pthread_cond_wait(&s->done, &s->lock);
		r = ref(s->last);
	} else if (s->last && now_ns() - s->last_done_ns < s->min_interval_ns) {
		r = ref(s->last);
	} else {
		r = produce_locked(s);
	}
	pthread_mutex_unlock(&s->lock);
	return r;
}

void shared_destroy(struct shared *s)
{
	result_unref(s->last);
	pthread_cond_destroy(&s->done);
	pthread_mutex_destroy(&s->lock);
}
