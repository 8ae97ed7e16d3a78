/* watch_table.h - the live view's rows as text: the diff's items formatted once per refresh,
 * counted, filtered by the typed text and sorted by the chosen column. No curses. */
#ifndef TCPT_CLI_WATCH_TABLE_H
#define TCPT_CLI_WATCH_TABLE_H

#include <stdbool.h>
#include <stddef.h>

#include "endpoint.h"
#include "view.h"
#include "watch_diff.h"

enum watch_column {
	WCOL_PROTO,
	WCOL_LOCAL,
	WCOL_REMOTE,
	WCOL_STATE,
	WCOL_NETNS,   /* shown with --netns and --all-netns */
	WCOL_PROCESS, /* shown while owners are (-p, 'o') */
	WCOL_COUNT,
};

enum { WATCH_PROCESS_MAX = 160, WATCH_NETNS_MAX = 48 };

struct watch_line {
	const struct tcpt_conn *row;
	enum watch_mark mark;
	char local[ENDPOINT_MAX];
	char remote[ENDPOINT_MAX];
	char netns[WATCH_NETNS_MAX];     /* escaped name under /run/netns, or the inode */
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
};

/* The column's title ("Local Address"). */
const char *watch_column_title(enum watch_column c);

/* The text of column C of LINE (the state's name, "tcp6", ...). */
const char *watch_line_cell(const struct watch_line *line, enum watch_column c);

/*
 * Replace T's lines with ITEMS (N of them), formatted with V's caches, and count them.
 * T keeps pointers to the items' rows, which must outlive it or the next fill. The shown
 * set is empty until watch_table_arrange(). Returns 0, or -ENOMEM with T emptied.
 */
int watch_table_fill(struct watch_table *t, const struct watch_item *items, size_t n,
		     struct view *v);

/*
 * Choose the shown lines: those with FILTER (case-insensitive; NULL or "" keeps all) in any
 * cell, sorted by column SORT, descending when REVERSE; ties keep a stable order (by socket
 * key), so rows do not jump between refreshes.
 */
void watch_table_arrange(struct watch_table *t, const char *filter, enum watch_column sort,
			 bool reverse);

/* The position among the shown lines of the line whose row has KEY's identity, or
 * (size_t)-1 when none has. */
size_t watch_table_find(const struct watch_table *t, const struct tcpt_conn *key);

/* Release T's memory; T is empty afterwards. */
void watch_table_free(struct watch_table *t);

#endif
