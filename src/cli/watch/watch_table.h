/* watch_table.h - the live view's rows as text: the diff's items formatted once per refresh
 * (the cells that filtering and sorting read; the others are formatted when drawn), with
 * their rates, counted, filtered by the typed text and sorted by the chosen column. No curses. */
#ifndef TCPT_CLI_WATCH_TABLE_H
#define TCPT_CLI_WATCH_TABLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "endpoint.h"
#include "view.h"
#include "watch_columns.h"
#include "watch_containers.h"
#include "watch_diff.h"

enum { WATCH_PROCESS_MAX = 160, WATCH_NETNS_MAX = 48, WATCH_CONTAINER_MAX = 48,
       WATCH_CELL_MAX = 256 };

struct watch_line {
	const struct tcpt_conn *row;
	enum watch_mark mark;
	bool has_rate;                   /* recv_rate and send_rate are known */
	uint64_t recv_rate;              /* bytes/s received (tcp_info bytes_received) */
	uint64_t send_rate;              /* bytes/s sent and acknowledged (bytes_acked) */
	char local[ENDPOINT_MAX];
	char remote[ENDPOINT_MAX];
	char netns[WATCH_NETNS_MAX];     /* escaped name under /run/netns, or the inode */
	char container[WATCH_CONTAINER_MAX]; /* watch_container_from_cgroup(); "" if none */
	char process[WATCH_PROCESS_MAX]; /* "pid/name,..." with names escaped; "" without owners */
};

struct watch_table {
	struct watch_line *lines;
	size_t count;
	size_t *order;                       /* the shown lines: indexes into lines */
	size_t shown;
	size_t current;                      /* rows of the current snapshot (not CLOSED) */
	size_t per_state[TCPT_STATE_MAX + 1];/* current rows per state */
	size_t per_mark[WATCH_CLOSED + 1];   /* lines per mark */
	int widest[WCOL_COUNT];              /* widest preformatted cell among the shown lines */
};

/*
 * The rates of a connection between two snapshots DT_MS apart: OLD (the previous one; NULL
 * for a connection new since then, whose bytes all moved within DT_MS) and CUR. Both need
 * tcp_info. Counters that went backwards count as 0. Returns false (outputs untouched) when
 * a rate cannot be told: no tcp_info on either side, or DT_MS 0.
 */
bool watch_rate(const struct tcpt_conn *old, const struct tcpt_conn *cur, uint64_t dt_ms,
		uint64_t *ret_recv, uint64_t *ret_send);

/* The text of column C of LINE: the preformatted cells as they are, the others formatted
 * into BUF (WATCH_CELL_MAX bytes) with V's caches (user and cgroup names). */
const char *watch_line_cell(const struct watch_line *line, enum watch_column c,
			    struct view *v, char *buf);

/*
 * Replace T's lines with ITEMS (N of them), formatted with V's caches (with the namespace
 * column when V shows one) and CONTAINERS' (NULL: container ids without names), their
 * rates from snapshots DT_MS apart, and count them.
 * T keeps pointers to the items' rows, which must outlive it or the next fill. The shown
 * set is empty until watch_table_arrange(). Returns 0, or -ENOMEM with T emptied.
 */
int watch_table_fill(struct watch_table *t, const struct watch_item *items, size_t n,
		     struct view *v, struct watch_containers *containers, uint64_t dt_ms);

/*
 * Choose the shown lines: those with FILTER (case-insensitive; NULL or "" keeps all) in any
 * preformatted cell (protocol, addresses, state, namespace, container, process), sorted by
 * column SORT, descending when REVERSE; ties keep a stable order (by socket key), so rows
 * do not jump between refreshes. Also measures t->widest.
 */
void watch_table_arrange(struct watch_table *t, const char *filter, enum watch_column sort,
			 bool reverse);

/* The position among the shown lines of the line whose row has KEY's identity, or
 * (size_t)-1 when none has. */
size_t watch_table_find(const struct watch_table *t, const struct tcpt_conn *key);

/* Release T's memory; T is empty afterwards. */
void watch_table_free(struct watch_table *t);

#endif
