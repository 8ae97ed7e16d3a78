/* csv.h - rows as CSV (RFC 4180): a header row naming the fields, then one row per socket. */
#ifndef TCPT_CLI_CSV_H
#define TCPT_CLI_CSV_H

#include <stdbool.h>
#include <stddef.h>

#include "outbuf.h"
#include "view.h"

/*
 * Append S as one CSV field: quoted, with quotes doubled, when it contains a comma, a quote,
 * CR or LF (or starts or ends with a space); bytes are kept exactly. With FOR_TERMINAL,
 * control characters and invalid UTF-8 are first written as \xNN (as in the table), since
 * the output is being read by a person.
 */
void csv_put_field(struct outbuf *o, const char *s, bool for_terminal);

/* The header row, then one row per call: csv_write() a row at a time. */
void csv_begin(struct view *v, struct outbuf *o);
void csv_add(struct view *v, const struct tcpt_conn *row, struct outbuf *o);

/* Write the header and ROWS. Owners become four columns (owner_pids, owner_fds, owner_names,
 * owner_exes), each a ';'-separated list in which '\' and ';' inside a value are written \\
 * and \; ; tcp_info becomes info_* columns. */
void csv_write(const struct tcpt_conn *rows, size_t count, struct view *v, struct outbuf *o);

#endif
