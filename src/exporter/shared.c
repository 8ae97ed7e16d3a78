/* shared.c - the snapshot thread and its waiters. */
#include "shared.h"

#include <errno.h>
#include <time.h>

static int64_t now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
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

/* With the lock held. */
static struct result *fresh_locked(struct shared *s)
{
	if (s->last && now_ns() - s->last_done_ns < s->min_interval_ns)
		return ref(s->last);
	return NULL;
}

static void notify_all(struct waiter *w, struct result *r)
{
	while (w) {
		struct waiter *next = w->next; /* W may be freed by its callback */
		w->fn(w, ref(r));
		w = next;
	}
}

static void *snapshot_thread(void *arg)
{
	struct shared *s = arg;
	pthread_mutex_lock(&s->lock);
	for (;;) {
		while (!s->waiting && !s->stopping)
			pthread_cond_wait(&s->wake, &s->lock);
		if (s->stopping)
			break;
		pthread_mutex_unlock(&s->lock);
		struct result *fresh = s->produce(s->ctx);
		pthread_mutex_lock(&s->lock);
		struct result *old = s->last;
		s->last = fresh;
		s->last_done_ns = now_ns();
		/* everyone waiting now shares it, also those who came during the snapshot */
		struct waiter *w = s->waiting;
		s->waiting = NULL;
		pthread_mutex_unlock(&s->lock);
		notify_all(w, fresh);
		result_unref(old);
		pthread_mutex_lock(&s->lock);
	}
	struct waiter *w = s->waiting;
	s->waiting = NULL;
	pthread_mutex_unlock(&s->lock);
	notify_all(w, NULL);
	return NULL;
}

int shared_start(struct shared *s, int64_t min_interval_ns, produce_fn produce, void *ctx)
{
	*s = (struct shared){ .min_interval_ns = min_interval_ns, .produce = produce,
			      .ctx = ctx };
	int r = pthread_mutex_init(&s->lock, NULL);
	if (r)
		return -r;
	r = pthread_cond_init(&s->wake, NULL);
	if (r == 0) {
		r = pthread_create(&s->thread, NULL, snapshot_thread, s);
		if (r)
			pthread_cond_destroy(&s->wake);
	}
	if (r)
		pthread_mutex_destroy(&s->lock);
	return -r;
}

struct result *shared_try(struct shared *s)
{
	pthread_mutex_lock(&s->lock);
	struct result *r = fresh_locked(s);
	pthread_mutex_unlock(&s->lock);
	return r;
}

void shared_wait(struct shared *s, struct waiter *w)
{
	pthread_mutex_lock(&s->lock);
	struct result *r = s->stopping ? NULL : fresh_locked(s);
	if (r || s->stopping) {
		pthread_mutex_unlock(&s->lock);
		w->fn(w, r);
		return;
	}
	w->next = s->waiting;
	s->waiting = w;
	pthread_cond_signal(&s->wake);
	pthread_mutex_unlock(&s->lock);
}

void shared_stop(struct shared *s)
{
	pthread_mutex_lock(&s->lock);
	s->stopping = true;
	pthread_cond_signal(&s->wake);
	pthread_mutex_unlock(&s->lock);
	pthread_join(s->thread, NULL);
}

void shared_destroy(struct shared *s)
{
	result_unref(s->last);
	pthread_cond_destroy(&s->wake);
	pthread_mutex_destroy(&s->lock);
}
