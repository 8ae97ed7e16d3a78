/* table.h - the aligned text table, the default view. Rows are added one at a time (as a
 * stream delivers them) and kept only as their formatted cells; the table is written once
 * every column's width is known. */
#ifndef TCPT_CLI_TABLE_H
#define TCPT_CLI_TABLE_H

#include <stddef.h>

#include "outbuf.h"
#include "tcptable.h"
#include "view.h"

enum { TABLE_MAX_COLUMNS = 16 };

struct table_column;

struct table {
	struct view *view;
	const struct table_column *cols[TABLE_MAX_COLUMNS];
	size_t width[TABLE_MAX_COLUMNS];
	size_t ncols;
	char *text;   /* per row: state byte, then each cell as a 2-byte length and its bytes */
	size_t len;
	size_t cap;
	size_t rows;
	int error;    /* -ENOMEM once a row could not be kept */
};

/* Start a table with the columns V's options ask for. */
void table_begin(struct table *t, struct view *v);

/* Format ROW's cells (untrusted strings escaped) and keep them. Returns 0 or -ENOMEM. */
int table_add(struct table *t, const struct tcpt_conn *row);

/* Write the header and every row, padded to the widest cell of each column; with -i, a
 * tcp_info line under each connection. Returns 0 or the error of an earlier table_add(). */
int table_finish(struct table *t, struct outbuf *out);

/* Release the kept cells. */
void table_free(struct table *t);

/* table_begin(), table_add() for each of COUNT rows, table_finish(), table_free(). */
int table_write(const struct tcpt_conn *rows, size_t count, struct view *v, struct outbuf *out);

#endif
