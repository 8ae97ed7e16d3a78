/* series.c - an open-addressing map of series keys. */
#include "series.h"
#include "grow.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

static uint64_t hash_key(const struct series_key *k)
{
	const unsigned char *p = (const unsigned char *)k;
	uint64_t h = 1469598103934665603ull;
	for (size_t i = 0; i < sizeof(*k); i++)
		h = (h ^ p[i]) * 1099511628211ull;
	return h;
}

static int rehash(struct series_map *m, size_t nslots)
{
	uint32_t *slots = calloc(nslots, sizeof(*slots));
	if (!slots)
		return -ENOMEM;
	for (size_t i = 0; i < m->count; i++) {
		size_t s = hash_key(&m->items[i].key) & (nslots - 1);
		while (slots[s])
			s = (s + 1) & (nslots - 1);
		slots[s] = (uint32_t)(i + 1);
	}
	free(m->slots);
	m->slots = slots;
	m->nslots = nslots;
	return 0;
}

static struct series *append(struct series_map *m, const struct series_key *key)
{
	if (grow_array((void **)&m->items, &m->cap, m->count + 1, sizeof(*m->items)) < 0)
		return NULL;
	struct series *s = &m->items[m->count++];
	*s = (struct series){ .key = *key };
	return s;
}

struct series *series_get(struct series_map *m, const struct series_key *key)
{
	if ((m->count + 1) * 2 > m->nslots && rehash(m, m->nslots ? m->nslots * 2 : 128) < 0)
		return NULL;
	size_t s = hash_key(key) & (m->nslots - 1);
	for (; m->slots[s]; s = (s + 1) & (m->nslots - 1)) {
		struct series *it = &m->items[m->slots[s] - 1];
		if (memcmp(&it->key, key, sizeof(*key)) == 0)
			return it;
	}
	struct series *it = append(m, key);
	if (it)
		m->slots[s] = (uint32_t)m->count;
	return it;
}

static int by_total_then_key(const void *a, const void *b)
{
	const struct series *x = a, *y = b;
	if (x->total != y->total)
		return x->total > y->total ? -1 : 1;
	return memcmp(&x->key, &y->key, sizeof(x->key));
}

static int by_key(const void *a, const void *b)
{
	const struct series *x = a, *y = b;
	return memcmp(&x->key, &y->key, sizeof(x->key));
}

static struct series *other_of(struct series *others, size_t *n, const struct series_key *k)
{
	for (size_t i = 0; i < *n; i++)
		if (others[i].key.ns == k->ns && others[i].key.protocol == k->protocol)
			return &others[i];
	struct series *o = &others[(*n)++];
	*o = (struct series){ .key = { .ns = k->ns, .protocol = k->protocol, .other = 1 } };
	return o;
}

long series_top_k(struct series_map *m, size_t k, int by)
{
	free(m->slots);
	m->slots = NULL;
	m->nslots = 0;
	if (!m->count)
		return 0;
	for (size_t i = 0; i < m->count; i++) {
		m->items[i].total = 0;
		for (size_t v = 0; v < SERIES_VALUES; v++)
			if (by < 0 || (size_t)by == v)
				m->items[i].total += m->items[i].values[v];
	}
	qsort(m->items, m->count, sizeof(*m->items), by_total_then_key);
	if (m->count <= k) {
		qsort(m->items, m->count, sizeof(*m->items), by_key);
		return 0;
	}
	size_t folded = m->count - k;
	struct series *others = calloc(folded, sizeof(*others));
	if (!others)
		return -ENOMEM;
	size_t nothers = 0;
	for (size_t i = k; i < m->count; i++) {
		struct series *o = other_of(others, &nothers, &m->items[i].key);
		for (size_t v = 0; v < SERIES_VALUES; v++)
			o->values[v] += m->items[i].values[v];
		o->total += m->items[i].total;
	}
	/* nothers <= folded, so the buffer of the cut series has room for the buckets */
	memcpy(&m->items[k], others, nothers * sizeof(*others));
	m->count = k + nothers;
	free(others);
	qsort(m->items, m->count, sizeof(*m->items), by_key);
	return (long)folded;
}

void series_free(struct series_map *m)
{
	free(m->items);
	free(m->slots);
	*m = (struct series_map){0};
}
