/* rowvec.h - a growable array of rows, the common output of every source. */
#ifndef TCPT_ROWVEC_H
#define TCPT_ROWVEC_H

#include <stddef.h>

#include "tcptable.h"

struct rowvec {
	struct tcpt_conn *rows;
	size_t count;
	size_t cap;
};

/* Append one zeroed row and point *ret_row at it. Growth is geometric and overflow-checked.
 * Returns 0 or -ENOMEM (the vector is unchanged). A pointer from an earlier push is invalid
 * after the next one. */
int rowvec_push(struct rowvec *v, struct tcpt_conn **ret_row);

/* Make room for at least N rows in all, so that the pushes up to N cannot fail for memory.
 * Returns 0 or -ENOMEM (the vector is unchanged). */
int rowvec_reserve(struct rowvec *v, size_t n);

/* Forget all rows but keep the memory (a source restarting an interrupted dump). */
void rowvec_clear(struct rowvec *v);

/* Release the memory; the vector is empty afterwards and may be reused. */
void rowvec_free(struct rowvec *v);

/* Drop repeated sockets in linear time, keeping the last occurrence of each in the position
 * of its first (a socket seen twice during a walk keeps its newest state). Two rows are the
 * same socket when their cookies are equal and non-zero, or, for rows without a cookie (the
 * /proc source), when namespace, protocol, family, both addresses and ports, and inode are
 * equal.
 * Returns 0 or -ENOMEM (the vector is unchanged). */
int rowvec_dedupe(struct rowvec *v);

/* Sort by tcpt_conn_compare_address(). */
void rowvec_sort_by_address(struct rowvec *v);

/* Three-way comparison for TCPT_ORDER_ADDRESS: protocol (TCP first), family (IPv4 first),
 * local address as a
 * number, local port, remote address, remote port; then inode and cookie so that the order
 * is total. Returns <0, 0 or >0. */
int tcpt_conn_compare_address(const struct tcpt_conn *a, const struct tcpt_conn *b);

/* tcp_info records, kept apart from the rows: while a snapshot is being built, a row's info
 * pointer holds 1 + the index of its record here (0: none), so that rows can be moved,
 * deduplicated and filtered freely; rows_resolve_infos() turns the indexes into pointers. */
struct infovec {
	struct tcpt_tcp_info *items;
	size_t count;
	size_t cap;
};

/* Append a copy of INFO and mark ROW as referring to it. Returns 0 or -ENOMEM. */
int infovec_attach(struct infovec *v, struct tcpt_conn *row, const struct tcpt_tcp_info *info);

/* Release the records; the vector is empty afterwards. */
void infovec_free(struct infovec *v);

/* Append the rows of FROM to TO, and FROM's infos to TO's infos, renumbering the rows' marks.
 * Returns 0 or -ENOMEM (TO unchanged). */
int rowvec_append(struct rowvec *to, struct infovec *to_infos, const struct rowvec *from,
		  const struct infovec *from_infos);

/* Turn every row's mark into a pointer to its record in V (which must not change after). */
void rows_resolve_infos(struct tcpt_conn *rows, size_t n, const struct infovec *v);

/* Keep only the rows for which KEEP returns true, in order. */
void rowvec_keep_if(struct rowvec *v, int (*keep)(const void *ctx, const struct tcpt_conn *row),
		    const void *ctx);

#endif
