/*
 * cache.c - the table a thread measured, kept for its next call.
 *
 * A caller asking the size and then filling would otherwise take two snapshots; when sockets
 * come and go in between, the second may not fit and the caller loops. Keeping the measured
 * table makes the second call succeed with exactly what the first measured.
 *
 * Thread safety: the slot is thread-local, so threads never share a kept table. The only
 * process-wide objects are a pthread key and its once-flag, written once at first use; the
 * key's destructor frees a thread's kept table when the thread exits.
 */
#include <pthread.h>
#include <sys/stat.h>
#include <time.h>

#include "table.h"

/* How long a kept table may answer: long enough for allocate-and-retry, short enough that
 * a caller polling now and then never sees old rows. */
#define CACHE_MAX_AGE_NS (1000LL * 1000 * 1000)

struct cache_slot {
	const struct table_shape *shape;
	bool order;
	unsigned long long netns; /* a table of another namespace never answers */
	long long taken_ns;
	struct table_image img;
};

static _Thread_local struct cache_slot slot;
static pthread_key_t slot_key;
static pthread_once_t slot_once = PTHREAD_ONCE_INIT;
static bool slot_key_ok;

static void slot_destroy(void *p)
{
	struct cache_slot *s = p;
	table_image_free(&s->img);
	s->shape = NULL;
}

static void slot_key_create(void)
{
	slot_key_ok = pthread_key_create(&slot_key, slot_destroy) == 0;
}

static long long now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

/* The calling thread's network namespace (its inode), 0 if unknown. */
static unsigned long long current_netns(void)
{
	struct stat st;
	return stat("/proc/thread-self/ns/net", &st) == 0 ? (unsigned long long)st.st_ino : 0;
}

static void slot_clear(void)
{
	table_image_free(&slot.img);
	slot.shape = NULL;
}

bool table_cache_take(const struct table_shape *shape, bool order, struct table_image *ret)
{
	bool hit = slot.shape == shape && slot.order == order &&
		   now_ns() - slot.taken_ns < CACHE_MAX_AGE_NS && slot.netns != 0 &&
		   slot.netns == current_netns();
	if (!hit) {
		slot_clear();
		return false;
	}
	*ret = slot.img;
	slot.img = (struct table_image){ 0 };
	slot.shape = NULL;
	return true;
}

void table_cache_keep(const struct table_shape *shape, bool order, struct table_image *img)
{
	pthread_once(&slot_once, slot_key_create);
	/* Without a key the kept table could leak at thread exit: keep nothing then. */
	if (!slot_key_ok || pthread_setspecific(slot_key, &slot) != 0) {
		table_image_free(img);
		return;
	}
	slot_clear();
	slot.shape = shape;
	slot.order = order;
	slot.taken_ns = now_ns();
	slot.netns = current_netns();
	slot.img = *img;
	*img = (struct table_image){ 0 };
}
