/* stream.c - the rows of a query handed to a callback as the kernel delivers them. Nothing
 * is held but the cookies already handed over (so a retried walk repeats nothing) and, with
 * owners, the index of the fd scan, which therefore runs first. */
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>

#include "arena.h"
#include "owners.h"
#include "plan.h"
#include "procnet.h"
#include "tcptable.h"

/* --- cookies already handed over --------------------------------------------------------- */

/* Sized to the count read beforehand rather than to a power of two: a power of two would
 * often double the memory (and the pages the kernel must zero) for nothing. */
struct cookie_set {
	uint64_t *slots; /* 0 = empty; the kernel's cookies start at 1 */
	size_t size;
	size_t count;
};

/* Lemire's multiply-shift range reduction of a mixed cookie onto [0, size). */
static size_t cookie_slot(uint64_t cookie, size_t size)
{
	uint64_t h = cookie * UINT64_C(0x9e3779b97f4a7c15);
	return (size_t)(((unsigned __int128)h * size) >> 64);
}

static size_t next_slot(size_t k, size_t size)
{
	return k + 1 == size ? 0 : k + 1;
}

static int cookie_set_resize(struct cookie_set *s, size_t size)
{
	uint64_t *slots = calloc(size, sizeof(*slots));
	if (!slots)
		return -ENOMEM;
	for (size_t i = 0; s->slots && i < s->size; i++) {
		if (!s->slots[i])
			continue;
		size_t k = cookie_slot(s->slots[i], size);
		while (slots[k])
			k = next_slot(k, size);
		slots[k] = s->slots[i];
	}
	free(s->slots);
	s->slots = slots;
	s->size = size;
	return 0;
}

/* Room for N cookies, and half as many again for the sockets the count missed or that open
 * during the dump, without growing while it runs (which would rehash the whole set).
 * Returns 0 or -ENOMEM. */
static int cookie_set_reserve(struct cookie_set *s, size_t n)
{
	if (n > SIZE_MAX / 16)
		return -ENOMEM;
	size_t want = n + n / 2 + 1024;
	return want > s->size ? cookie_set_resize(s, want) : 0;
}

/* 1 when COOKIE is new (and now remembered), 0 when seen before, or -ENOMEM. */
static int cookie_set_add(struct cookie_set *s, uint64_t cookie)
{
	if ((s->count + 1) * 4 > s->size * 3 &&
	    cookie_set_resize(s, s->size ? s->size * 2 : 4096) < 0)
		return -ENOMEM;
	size_t k = cookie_slot(cookie, s->size);
	while (s->slots[k]) {
		if (s->slots[k] == cookie)
			return 0;
		k = next_slot(k, s->size);
	}
	s->slots[k] = cookie;
	s->count++;
	return 1;
}

/* --- the sink ------------------------------------------------------------------------------ */

/* Rows wait in a short queue between arriving and being handed over: the cookie set and the
 * owner index are far larger than the caches, and a row's lookups are prefetched when it
 * arrives so that they have landed by the time it leaves. */
enum { PENDING = 16 };

struct pending {
	struct tcpt_conn row;
	struct tcpt_tcp_info info;
	bool has_info;
};

struct stream {
	const struct plan *plan;
	const struct owner_index *owners; /* NULL: none asked for */
	tcpt_row_fn fn;
	void *ctx;
	struct cookie_set seen;
	uint64_t netns;
	size_t rows;
	struct pending queue[PENDING];
	size_t head;
	size_t queued;
};

static void prefetch_lookups(const struct stream *st, const struct tcpt_conn *r)
{
	if (r->cookie && st->seen.slots)
		__builtin_prefetch(&st->seen.slots[cookie_slot(r->cookie, st->seen.size)], 1);
	if (st->owners)
		owner_index_prefetch(st->owners, r->inode);
}

static int deliver(struct stream *st, struct pending *p)
{
	struct tcpt_conn *r = &p->row;
	if (r->cookie) {
		int fresh = cookie_set_add(&st->seen, r->cookie);
		if (fresh <= 0)
			return fresh;
	}
	r->netns = st->netns;
	r->info = p->has_info ? &p->info : NULL;
	if (st->owners)
		r->owner_count = owner_index_find(st->owners, r->inode, &r->owners);
	if (st->plan->filter && !tcpt_filter_match(st->plan->filter, r))
		return 0;
	st->rows++;
	return st->fn(r, st->ctx);
}

static int deliver_oldest(struct stream *st)
{
	struct pending *p = &st->queue[st->head];
	st->head = (st->head + 1) % PENDING;
	st->queued--;
	return deliver(st, p);
}

/* Hand over every queued row. Returns 0 or the first error. */
static int drain(struct stream *st)
{
	int r = 0;
	while (st->queued && r == 0)
		r = deliver_oldest(st);
	return r;
}

static int stream_put(void *ctx, const struct tcpt_conn *row, const struct tcpt_tcp_info *info)
{
	struct stream *st = ctx;
	if (st->queued == PENDING) {
		int r = deliver_oldest(st);
		if (r < 0)
			return r;
	}
	struct pending *p = &st->queue[(st->head + st->queued++) % PENDING];
	p->row = *row;
	p->has_info = info != NULL;
	if (info)
		p->info = *info;
	prefetch_lookups(st, row);
	return 0;
}

/* A stream cannot take rows back: a retried walk's repeats are dropped by cookie instead. */
static size_t stream_mark(void *ctx)
{
	return ((struct stream *)ctx)->rows;
}

static void stream_rewind(void *ctx, size_t mark)
{
	(void)ctx;
	(void)mark;
}

/* --- by way of a snapshot ------------------------------------------------------------------ */

static int stream_snapshot(const struct tcpt_query *q, tcpt_row_fn fn, void *ctx,
			   struct tcpt_stream_result *res)
{
	struct tcpt_snapshot *snap;
	int r = tcpt_snapshot_take(q, &snap);
	if (r < 0)
		return r;
	const struct tcpt_conn *rows = tcpt_snapshot_rows(snap);
	size_t n = tcpt_snapshot_count(snap);
	res->source = tcpt_snapshot_source(snap);
	res->owner_source = tcpt_snapshot_owner_source(snap);
	res->unreadable_processes = tcpt_snapshot_unreadable_processes(snap);
	res->owner_gaps = tcpt_snapshot_owner_gaps(snap);
	res->netns_gone = tcpt_snapshot_netns_gone(snap);
	for (size_t i = 0; i < n && r == 0; i++) {
		res->rows++;
		r = fn(&rows[i], ctx);
	}
	tcpt_snapshot_free(snap);
	return r;
}

/* --- straight from the kernel ---------------------------------------------------------------- */

static int stream_netlink(const struct plan *p, const struct owner_index *owners,
			  tcpt_row_fn fn, void *ctx, size_t *ret_rows)
{
	struct stream *st = calloc(1, sizeof(*st));
	if (!st)
		return -ENOMEM;
	*st = (struct stream){.plan = p, .owners = owners, .fn = fn, .ctx = ctx,
			      .netns = plan_current_netns()};
	size_t expected;
	if (procnet_count_sockets(p->request.protocols, &expected) == 0 &&
	    cookie_set_reserve(&st->seen, expected) < 0) {
		free(st);
		return -ENOMEM;
	}
	struct diag_sink sink = {.ctx = st, .put = stream_put, .mark = stream_mark,
				 .rewind = stream_rewind, .want_info = p->want & TCPT_WANT_INFO};
	int r = diag_dump_kernel(&p->request, &sink);
	if (r == 0)
		r = drain(st);
	free(st->seen.slots);
	*ret_rows = st->rows;
	free(st);
	return r;
}

static int stream_direct(const struct plan *p, const struct tcpt_query *q, tcpt_row_fn fn,
			 void *ctx, struct tcpt_stream_result *res)
{
	struct arena strings = {0};
	struct owner_index owners = {0};
	int r = 0;
	if (p->want & TCPT_WANT_OWNERS)
		r = owner_index_collect(p->owners_try_bpf, p->context,
					p->want & TCPT_WANT_PROCESS, &strings, &owners,
					&res->owner_source);
	if (r == 0) {
		res->unreadable_processes = owners.unreadable;
		res->owner_gaps = owners.gaps;
		res->source = TCPT_SOURCE_NETLINK;
		r = stream_netlink(p, p->want & TCPT_WANT_OWNERS ? &owners : NULL, fn, ctx,
				   &res->rows);
		/* netlink refused before a single row: /proc can still answer (not with NETLINK) */
		if (r < 0 && res->rows == 0 && q->source != TCPT_SOURCE_NETLINK &&
		    plan_worth_falling_back(r)) {
			struct tcpt_query by_proc = *q;
			by_proc.source = TCPT_SOURCE_PROC;
			*res = (struct tcpt_stream_result){0};
			r = stream_snapshot(&by_proc, fn, ctx, res);
		} else if (r < 0) {
			r = plan_netlink_error(r);
		}
	}
	owner_index_free(&owners);
	arena_free(&strings);
	return r;
}

TCPT_EXPORT int tcpt_snapshot_stream(const struct tcpt_query *query, tcpt_row_fn fn, void *ctx,
				     struct tcpt_stream_result *ret_result)
{
	if (!query || !fn || !plan_query_is_valid(query))
		return -EINVAL;
	struct tcpt_stream_result res = {0};
	int r;
	if (query->order != TCPT_ORDER_KERNEL || query->netns_count || query->netns_path_count ||
	    query->source == TCPT_SOURCE_PROC) {
		r = stream_snapshot(query, fn, ctx, &res);
	} else {
		struct plan *p = calloc(1, sizeof(*p));
		if (!p)
			return -ENOMEM;
		plan_init(p, query);
		r = stream_direct(p, query, fn, ctx, &res);
		free(p);
	}
	if (r == 0 && ret_result)
		*ret_result = res;
	return r;
}
