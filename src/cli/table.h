/* table.h - the aligned text table, the default view. */
#ifndef TCPT_CLI_TABLE_H
#define TCPT_CLI_TABLE_H

#include <stddef.h>

#include "outbuf.h"
#include "tcptable.h"
#include "view.h"

/*
 * Write a header and one line per row to OUT, columns aligned to their widest cell, the
 * columns V's options ask for; with -i, a tcp_info line under each connection. Untrusted
 * strings are escaped. Returns 0 or -ENOMEM.
 */
int table_write(const struct tcpt_conn *rows, size_t count, struct view *v, struct outbuf *out);

#endif
