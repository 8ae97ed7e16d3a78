/* series.h - label sets counted during a snapshot: a hash map from a fixed key to a few
 * counters, then ordered for the top-K cut. */
#ifndef TCPT_EXPORTER_SERIES_H
#define TCPT_EXPORTER_SERIES_H

#include <stddef.h>
#include <stdint.h>

#define SERIES_VALUES 14 /* one per TCP state number (0..13); a listener uses values[0] */

/* What tells two series apart. Zero the whole struct before filling it: it is hashed and
 * compared byte for byte. */
struct series_key {
	uint32_t ns;          /* index of the namespace in the aggregate */
	uint8_t protocol;     /* enum proto */
	uint8_t family;       /* AF_INET, AF_INET6; 0 when not a label */
	uint16_t port;
	uint8_t addr[16];
	char name[16];        /* process name (/proc/PID/comm: at most 15 bytes) */
	uint8_t other;        /* 1: the bucket of series cut by top-K */
	uint8_t pad[7];
};

struct series {
	struct series_key key;
	uint64_t values[SERIES_VALUES];
	uint64_t total; /* sum of values, the top-K order */
};

struct series_map {
	struct series *items;
	size_t count;
	size_t cap;
	uint32_t *slots; /* index + 1 into items; 0 is empty */
	size_t nslots;   /* a power of two */
};

/* The series for KEY, created zeroed when new. NULL when out of memory. The pointer is valid
 * until the next series_get(). */
struct series *series_get(struct series_map *m, const struct series_key *key);

/* Keep the K series with the largest totals (the sum of their values, or values[BY] when BY
 * >= 0; ties: the smaller key first), fold the others into one "other" series per namespace
 * and protocol, and sort what is left by key. The map's lookup is no longer usable
 * afterwards (only items/count). Returns how many series were folded, or -ENOMEM. */
long series_top_k(struct series_map *m, size_t k, int by);

/* Release everything. */
void series_free(struct series_map *m);

#endif
