/* negotiate.c - the size negotiation shared by every table function. */
#include "table.h"

#include <stdlib.h>
#include <string.h>

#include "rows.h"

static DWORD win32_error(int err)
{
	return (DWORD)tcpt_error_win32(err);
}

static int compare_conn_ptrs(const void *a, const void *b)
{
	const struct tcpt_conn *const *x = a;
	const struct tcpt_conn *const *y = b;
	return rows_compare(*x, *y);
}

/* The rows in output order: the snapshot's own order, or sorted pointers to its rows. */
static DWORD order_rows(const struct tcpt_conn *rows, size_t n, bool order,
			const struct tcpt_conn ***ret)
{
	const struct tcpt_conn **idx = calloc(n ? n : 1, sizeof(*idx));
	if (!idx)
		return ERROR_NOT_ENOUGH_MEMORY;
	for (size_t i = 0; i < n; i++)
		idx[i] = &rows[i];
	if (order && n > 1)
		qsort(idx, n, sizeof(*idx), compare_conn_ptrs);
	*ret = idx;
	return NO_ERROR;
}

size_t table_bytes_needed(const struct table_shape *s, size_t n)
{
	const size_t max = (ULONG)-1;
	if (n > (max - s->header) / s->row_size)
		return 0;
	return s->header + n * s->row_size;
}

static DWORD fill_image(const struct table_shape *s, const struct tcpt_conn **idx, size_t n,
			struct table_image *ret)
{
	size_t len = table_bytes_needed(s, n);
	if (len == 0)
		return ERROR_INSUFFICIENT_BUFFER; /* no buffer a ULONG can size would do */
	unsigned char *bytes = calloc(1, len);
	if (!bytes)
		return ERROR_NOT_ENOUGH_MEMORY;
	DWORD count = (DWORD)n;
	memcpy(bytes, &count, sizeof(count));
	for (size_t i = 0; i < n; i++)
		s->fill(bytes + s->header + i * s->row_size, idx[i]);
	ret->bytes = bytes;
	ret->len = len;
	return NO_ERROR;
}

DWORD table_image_build(const struct table_shape *s, bool order, struct table_image *ret)
{
	struct tcpt_query q = { .protocols = s->protocols, .families = s->family,
				.states = s->states, .want = s->want_pid ? TCPT_WANT_OWNERS : 0u };
	struct tcpt_snapshot *snap = NULL;
	int r = tcpt_snapshot_take(&q, &snap);
	if (r < 0)
		return win32_error(r);

	const struct tcpt_conn **idx = NULL;
	size_t n = tcpt_snapshot_count(snap);
	DWORD err = order_rows(tcpt_snapshot_rows(snap), n, order, &idx);
	if (err == NO_ERROR)
		err = fill_image(s, idx, n, ret);
	free(idx);
	tcpt_snapshot_free(snap);
	return err;
}

void table_image_free(struct table_image *img)
{
	free(img->bytes);
	img->bytes = NULL;
	img->len = 0;
}

DWORD table_negotiate(const struct table_shape *s, void *table, ULONG *size, BOOL order)
{
	struct table_image img = { 0 };

	if (!size)
		return ERROR_INVALID_PARAMETER;
	/* Only a call that brings a buffer may be answered from the kept table: a size query
	 * always measures afresh. */
	bool kept = table_cache_take(s, order != FALSE, &img);
	if (kept && !table) {
		table_image_free(&img);
		kept = false;
	}
	if (!kept) {
		DWORD err = table_image_build(s, order != FALSE, &img);
		if (err == ERROR_INSUFFICIENT_BUFFER)
			*size = (ULONG)-1; /* larger than any size a ULONG can say */
		if (err != NO_ERROR)
			return err;
	}
	if (!table || *size < img.len) {
		*size = (ULONG)img.len;
		table_cache_keep(s, order != FALSE, &img);
		return ERROR_INSUFFICIENT_BUFFER;
	}
	memcpy(table, img.bytes, img.len);
	*size = (ULONG)img.len;
	table_image_free(&img);
	return NO_ERROR;
}
