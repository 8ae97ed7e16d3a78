/* rowvec.c - the row array every source fills: growth, deduplication, sorting. */
#include "rowvec.h"

#include "grow.h"

#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int rowvec_reserve(struct rowvec *v, size_t n)
{
	if (n <= v->cap)
		return 0;
	if (n > SIZE_MAX / sizeof(*v->rows))
		return -ENOMEM;
	struct tcpt_conn *rows = realloc(v->rows, n * sizeof(*rows));
	if (!rows)
		return -ENOMEM;
	v->rows = rows;
	v->cap = n;
	return 0;
}

int rowvec_push(struct rowvec *v, struct tcpt_conn **ret_row)
{
	if (v->count == SIZE_MAX)
		return -ENOMEM;
	int r = grow_array((void **)&v->rows, &v->cap, v->count + 1, sizeof(*v->rows));
	if (r < 0)
		return r;
	struct tcpt_conn *row = &v->rows[v->count++];
	memset(row, 0, sizeof(*row));
	*ret_row = row;
	return 0;
}

void rowvec_clear(struct rowvec *v)
{
	v->count = 0;
}

void rowvec_free(struct rowvec *v)
{
	free(v->rows);
	v->rows = NULL;
	v->count = v->cap = 0;
}

static uint64_t mix64(uint64_t x)
{
	x ^= x >> 30;
	x *= UINT64_C(0xbf58476d1ce4e5b9);
	x ^= x >> 27;
	x *= UINT64_C(0x94d049bb133111eb);
	return x ^ (x >> 31);
}

static uint64_t hash_bytes(uint64_t h, const void *p, size_t n)
{
	const uint8_t *b = p;
	for (size_t i = 0; i < n; i++)
		h = (h ^ b[i]) * UINT64_C(0x100000001b3);
	return h;
}

/* Identity of a socket: its cookie when the source gives one, else its 5-tuple and inode. */
static uint64_t row_identity_hash(const struct tcpt_conn *r)
{
	if (r->cookie)
		return mix64(r->cookie);
	uint64_t h = UINT64_C(0xcbf29ce484222325);
	h = hash_bytes(h, &r->protocol, sizeof(r->protocol));
	h = hash_bytes(h, &r->family, sizeof(r->family));
	h = hash_bytes(h, r->local_addr, sizeof(r->local_addr));
	h = hash_bytes(h, r->remote_addr, sizeof(r->remote_addr));
	h = hash_bytes(h, &r->local_port, sizeof(r->local_port));
	h = hash_bytes(h, &r->remote_port, sizeof(r->remote_port));
	h = hash_bytes(h, &r->netns, sizeof(r->netns));
	return mix64(h ^ r->inode);
}

static bool same_socket(const struct tcpt_conn *a, const struct tcpt_conn *b)
{
	if (a->cookie || b->cookie)
		return a->cookie == b->cookie;
	return a->protocol == b->protocol && a->family == b->family && a->netns == b->netns &&
	       a->local_port == b->local_port &&
	       a->remote_port == b->remote_port && a->inode == b->inode &&
	       memcmp(a->local_addr, b->local_addr, sizeof(a->local_addr)) == 0 &&
	       memcmp(a->remote_addr, b->remote_addr, sizeof(a->remote_addr)) == 0;
}

/* Smallest power of two at least twice N, so that probes stay short. */
static size_t table_size_for(size_t n)
{
	size_t size = 16;
	while (size < n * 2) {
		if (size > SIZE_MAX / 2)
			return 0;
		size *= 2;
	}
	return size;
}

int rowvec_dedupe(struct rowvec *v)
{
	if (v->count < 2)
		return 0;
	size_t size = table_size_for(v->count);
	/* slot holds 1 + the index of a kept row; 0 is empty */
	size_t *slots = size ? calloc(size, sizeof(*slots)) : NULL;
	if (!slots)
		return -ENOMEM;
	size_t kept = 0;
	for (size_t i = 0; i < v->count; i++) {
		size_t s = (size_t)row_identity_hash(&v->rows[i]) & (size - 1);
		while (slots[s] && !same_socket(&v->rows[slots[s] - 1], &v->rows[i]))
			s = (s + 1) & (size - 1);
		if (slots[s]) {
			v->rows[slots[s] - 1] = v->rows[i];
			continue;
		}
		v->rows[kept] = v->rows[i];
		slots[s] = ++kept;
	}
	v->count = kept;
	free(slots);
	return 0;
}

#define CMP3(a, b) (((a) > (b)) - ((a) < (b)))

int tcpt_conn_compare_address(const struct tcpt_conn *a, const struct tcpt_conn *b)
{
	int c;
	/* TCP (6) before UDP (17); AF_INET (2) before AF_INET6 (10). Network byte order compares
	 * as a number. */
	if ((c = CMP3(a->protocol, b->protocol)))
		return c;
	if ((c = CMP3(a->family, b->family)))
		return c;
	if ((c = memcmp(a->local_addr, b->local_addr, sizeof(a->local_addr))))
		return CMP3(c, 0);
	if ((c = CMP3(a->local_port, b->local_port)))
		return c;
	if ((c = memcmp(a->remote_addr, b->remote_addr, sizeof(a->remote_addr))))
		return CMP3(c, 0);
	if ((c = CMP3(a->remote_port, b->remote_port)))
		return c;
	if ((c = CMP3(a->inode, b->inode)))
		return c;
	if ((c = CMP3(a->cookie, b->cookie)))
		return c;
	return CMP3(a->state, b->state);
}

static int compare_rows(const void *a, const void *b)
{
	return tcpt_conn_compare_address(a, b);
}

void rowvec_sort_by_address(struct rowvec *v)
{
	if (v->count > 1)
		qsort(v->rows, v->count, sizeof(*v->rows), compare_rows);
}

int infovec_attach(struct infovec *v, struct tcpt_conn *row, const struct tcpt_tcp_info *info)
{
	int r = grow_array((void **)&v->items, &v->cap, v->count + 1, sizeof(*v->items));
	if (r < 0)
		return r;
	v->items[v->count++] = *info;
	row->info = (const struct tcpt_tcp_info *)(uintptr_t)v->count;
	return 0;
}

void infovec_free(struct infovec *v)
{
	free(v->items);
	v->items = NULL;
	v->count = v->cap = 0;
}

static size_t info_mark(const struct tcpt_conn *row)
{
	return (size_t)(uintptr_t)row->info;
}

int rowvec_append(struct rowvec *to, struct infovec *to_infos, const struct rowvec *from,
		  const struct infovec *from_infos)
{
	if (from->count > SIZE_MAX - to->count)
		return -ENOMEM;
	int r = rowvec_reserve(to, to->count + from->count);
	if (r < 0)
		return r;
	size_t base = to_infos->count;
	for (size_t i = 0; i < from->count; i++) {
		struct tcpt_conn row = from->rows[i];
		if (info_mark(&row)) {
			r = infovec_attach(to_infos, &row, &from_infos->items[info_mark(&row) - 1]);
			if (r < 0) {
				to_infos->count = base;
				return r;
			}
		}
		to->rows[to->count + i] = row;
	}
	to->count += from->count;
	return 0;
}

void rows_resolve_infos(struct tcpt_conn *rows, size_t n, const struct infovec *v)
{
	for (size_t i = 0; i < n; i++) {
		size_t mark = info_mark(&rows[i]);
		rows[i].info = mark && mark <= v->count ? &v->items[mark - 1] : NULL;
	}
}

void rowvec_keep_if(struct rowvec *v, int (*keep)(const void *ctx, const struct tcpt_conn *row),
		    const void *ctx)
{
	size_t kept = 0;
	for (size_t i = 0; i < v->count; i++)
		if (keep(ctx, &v->rows[i]))
			v->rows[kept++] = v->rows[i];
	v->count = kept;
}
