/* watch_diff.c - previous vs current rows by key: each side is indexed once (sorted
 * pointers), then every lookup is a binary search, so a refresh costs O(n log n). */
#include "watch_diff.h"

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static int cmp_u64(uint64_t a, uint64_t b)
{
	return (a > b) - (a < b);
}

static int cmp_bytes(const uint8_t *a, const uint8_t *b, size_t n)
{
	int r = memcmp(a, b, n);
	return (r > 0) - (r < 0);
}

/* Protocol, family, addresses and ports: what the connection is to a person. */
static int cmp_tuple(const struct tcpt_conn *a, const struct tcpt_conn *b)
{
	int r = cmp_u64(a->protocol, b->protocol);
	if (!r)
		r = cmp_u64(a->family, b->family);
	if (!r)
		r = cmp_bytes(a->local_addr, b->local_addr, sizeof(a->local_addr));
	if (!r)
		r = cmp_u64(a->local_port, b->local_port);
	if (!r)
		r = cmp_bytes(a->remote_addr, b->remote_addr, sizeof(a->remote_addr));
	if (!r)
		r = cmp_u64(a->remote_port, b->remote_port);
	return r;
}

/* The /proc source has no cookies; its rows are told apart by what they show. The inode
 * separates a socket from an earlier one on the same ports, the namespace separates
 * identical sockets of two containers (--all-netns). */
static int cmp_fields(const struct tcpt_conn *a, const struct tcpt_conn *b)
{
	int r = cmp_tuple(a, b);
	if (!r)
		r = cmp_u64(a->inode, b->inode);
	if (!r)
		r = cmp_u64(a->netns, b->netns);
	return r;
}

int watch_key_compare(const struct tcpt_conn *a, const struct tcpt_conn *b)
{
	int r = cmp_u64(a->cookie != 0, b->cookie != 0);
	if (r)
		return r;
	return a->cookie ? cmp_u64(a->cookie, b->cookie) : cmp_fields(a, b);
}

static int cmp_row_ptr(const void *a, const void *b)
{
	return watch_key_compare(*(const struct tcpt_conn *const *)a,
				 *(const struct tcpt_conn *const *)b);
}

static int cmp_tuple_ptr(const void *a, const void *b)
{
	return cmp_tuple(*(const struct tcpt_conn *const *)a, *(const struct tcpt_conn *const *)b);
}

typedef int (*cmp_fn)(const void *, const void *);

/* Pointers to ROWS sorted by CMP, or NULL (out of memory). An empty index is a valid
 * one-element allocation so that NULL only ever means failure. */
static const struct tcpt_conn **build_index(const struct tcpt_conn *rows, size_t count,
					    cmp_fn cmp)
{
	const struct tcpt_conn **idx = calloc(count ? count : 1, sizeof(*idx));
	if (!idx)
		return NULL;
	for (size_t i = 0; i < count; i++)
		idx[i] = &rows[i];
	qsort(idx, count, sizeof(*idx), cmp);
	return idx;
}

static const struct tcpt_conn *find_by(const struct tcpt_conn **idx, size_t count,
				       const struct tcpt_conn *key, cmp_fn cmp)
{
	const struct tcpt_conn **hit = bsearch(&key, idx, count, sizeof(*idx), cmp);
	return hit ? *hit : NULL;
}

static const struct tcpt_conn *find(const struct tcpt_conn **idx, size_t count,
				    const struct tcpt_conn *key)
{
	return find_by(idx, count, key, cmp_row_ptr);
}

struct diff_state {
	const struct watch_diff_input *in;
	const struct tcpt_conn **prev_idx;  /* by key */
	const struct tcpt_conn **cur_idx;
	const struct tcpt_conn **prev_tuples; /* by addresses and ports */
	const struct tcpt_conn **cur_tuples;
	struct watch_item *items;
	size_t count;
	size_t unseen;
};

static void push(struct diff_state *s, const struct tcpt_conn *row,
		 const struct tcpt_conn *old, enum watch_mark mark)
{
	s->items[s->count++] = (struct watch_item){row, old, mark};
}

static void classify_current(struct diff_state *s)
{
	const struct watch_diff_input *in = s->in;
	for (size_t i = 0; i < in->cur_count; i++) {
		const struct tcpt_conn *row = &in->cur[i];
		const struct tcpt_conn *old = in->first ? row
					    : find(s->prev_idx, in->prev_count, row);
		enum watch_mark mark = !old ? WATCH_NEW
				     : old->state != row->state ? WATCH_CHANGED : WATCH_SAME;
		push(s, row, in->first ? NULL : old, mark);
	}
}

static void classify_previous(struct diff_state *s)
{
	const struct watch_diff_input *in = s->in;
	for (size_t i = 0; i < in->prev_count; i++)
		if (!find(s->cur_idx, in->cur_count, &in->prev[i]))
			push(s, &in->prev[i], NULL, WATCH_CLOSED);
}

/*
 * An event is news only if neither snapshot has its socket and no earlier event named it.
 * Its addresses and ports count too, not only its cookie: the kernel makes a cookie when
 * first asked, and a TIME-WAIT (or FIN-WAIT-2) socket copies its parent's when it replaces
 * it, so a connection no snapshot saw before it went TIME-WAIT has two cookies, the parent's
 * (made for the notification) and the TIME-WAIT row's. Without this it would show twice.
 */
static bool event_is_news(const struct diff_state *s, size_t i)
{
	const struct watch_diff_input *in = s->in;
	const struct tcpt_conn *ev = &in->events[i];
	if (find(s->cur_idx, in->cur_count, ev) || find(s->prev_idx, in->prev_count, ev) ||
	    find_by(s->cur_tuples, in->cur_count, ev, cmp_tuple_ptr) ||
	    find_by(s->prev_tuples, in->prev_count, ev, cmp_tuple_ptr))
		return false;
	for (size_t k = 0; k < i; k++) /* events are few: a short linear scan */
		if (watch_key_compare(&in->events[k], ev) == 0)
			return false;
	return true;
}

static void classify_events(struct diff_state *s)
{
	for (size_t i = 0; i < s->in->event_count; i++) {
		if (!event_is_news(s, i))
			continue;
		if (s->in->events[i].remote_port == 0)
			s->unseen++; /* its endpoints were wiped before the kernel reported it */
		else
			push(s, &s->in->events[i], NULL, WATCH_CLOSED);
	}
}

static struct watch_item *alloc_items(const struct watch_diff_input *in)
{
	size_t n = in->cur_count;
	if (!in->first) {
		if (n > SIZE_MAX - in->prev_count || n + in->prev_count > SIZE_MAX - in->event_count)
			return NULL;
		n += in->prev_count + in->event_count;
	}
	if (n > SIZE_MAX / sizeof(struct watch_item))
		return NULL;
	return malloc((n ? n : 1) * sizeof(struct watch_item));
}

int watch_diff(const struct watch_diff_input *in, struct watch_item **ret_items,
	       size_t *ret_count, size_t *ret_unseen)
{
	struct diff_state s = {.in = in};
	size_t nprev = in->first ? 0 : in->prev_count;
	bool tuples = !in->first && in->event_count; /* only events are looked up by tuple */
	s.items = alloc_items(in);
	s.prev_idx = build_index(in->prev, nprev, cmp_row_ptr);
	s.cur_idx = build_index(in->cur, in->cur_count, cmp_row_ptr);
	s.prev_tuples = build_index(in->prev, tuples ? nprev : 0, cmp_tuple_ptr);
	s.cur_tuples = build_index(in->cur, tuples ? in->cur_count : 0, cmp_tuple_ptr);
	int r = -ENOMEM;
	if (s.items && s.prev_idx && s.cur_idx && s.prev_tuples && s.cur_tuples) {
		classify_current(&s);
		if (!in->first) {
			classify_previous(&s);
			classify_events(&s);
		}
		*ret_items = s.items;
		*ret_count = s.count;
		if (ret_unseen)
			*ret_unseen = s.unseen;
		s.items = NULL;
		r = 0;
	}
	free(s.items);
	free(s.prev_idx);
	free(s.cur_idx);
	free(s.prev_tuples);
	free(s.cur_tuples);
	return r;
}
