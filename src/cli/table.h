/* table.h - the aligned text table, the default view. */
#ifndef TCPT_CLI_TABLE_H
#define TCPT_CLI_TABLE_H

#include <stdbool.h>
#include <stddef.h>

#include "outbuf.h"
#include "tcptable.h"

struct table_columns {
	bool extended; /* uid, inode, cookie, queues, timer */
	bool owners;   /* "PID/Program" of every owner, last */
};

/*
 * Write a header and one line per row to OUT, columns aligned to their widest cell.
 * Untrusted strings (process names) are escaped. Returns 0 or -ENOMEM.
 */
int table_write(const struct tcpt_conn *rows, size_t count, struct table_columns cols,
		struct outbuf *out);

#endif
