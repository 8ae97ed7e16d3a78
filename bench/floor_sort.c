/*
 * floor_sort - the sort floor: the dump floor, keeping each row, then sorting them the way
 * the IP Helper's sorted tables are (family, local address, local port, remote address,
 * remote port, as numbers).
 *
 * usage: floor_sort
 * Prints the number of rows. Its time minus floor_dump's is what "+ sort" costs in the
 * GetTcpTable target.
 */
#include "nldump.h"

#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Ports in network byte order right after each address, so that one memcmp over
 * (address, port) compares both as numbers. */
struct row {
	uint8_t family;
	uint8_t state;
	uint8_t local[18];
	uint8_t remote[18];
};

struct rows {
	struct row *v;
	size_t len, cap;
	int error;
};

static void keep(const struct inet_diag_msg *m, void *ctx)
{
	struct rows *r = ctx;
	if (r->len == r->cap) {
		size_t cap = r->cap ? 2 * r->cap : 4096;
		struct row *v = realloc(r->v, cap * sizeof(*v));
		if (!v) {
			r->error = ENOMEM;
			return;
		}
		r->v = v;
		r->cap = cap;
	}
	struct row *w = &r->v[r->len++];
	w->family = m->idiag_family;
	w->state = m->idiag_state;
	memcpy(w->local, m->id.idiag_src, 16);
	memcpy(w->local + 16, &m->id.idiag_sport, 2);
	memcpy(w->remote, m->id.idiag_dst, 16);
	memcpy(w->remote + 16, &m->id.idiag_dport, 2);
}

static int cmp_row(const void *pa, const void *pb)
{
	const struct row *a = pa, *b = pb;
	if (a->family != b->family)
		return a->family < b->family ? -1 : 1;
	int c = memcmp(a->local, b->local, sizeof(a->local));
	return c ? c : memcmp(a->remote, b->remote, sizeof(a->remote));
}

int main(void)
{
	struct rows r = {0};
	int err = nldump_run(NLDUMP_COMPAT, 32768, keep, &r);
	if (err == 0 && r.error)
		err = -r.error;
	if (err < 0) {
		fprintf(stderr, "floor_sort: %s\n", strerror(-err));
		free(r.v);
		return 1;
	}
	qsort(r.v, r.len, sizeof(*r.v), cmp_row);
	printf("rows=%zu\n", r.len);
	free(r.v);
	return 0;
}
