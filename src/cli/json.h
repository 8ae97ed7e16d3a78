/* json.h - rows as JSON: an array of objects, or one object per line (JSONL). */
#ifndef TCPT_CLI_JSON_H
#define TCPT_CLI_JSON_H

#include <stdbool.h>
#include <stddef.h>

#include "outbuf.h"
#include "view.h"

/*
 * Append S as a JSON string literal (with its quotes). Quotes, backslashes and control
 * characters are escaped; so are the C1 controls and DEL, so output is inert on a terminal.
 * Bytes that are not valid UTF-8 become \udcXX (the byte's value plus 0xDC00, Python's
 * "surrogateescape"): JSON stays exact, since a reader recovers the original bytes with
 * str.encode('utf-8', 'surrogateescape').
 */
void json_put_string(struct outbuf *o, const char *s);

/* A JSON array (LINES false) or JSON Lines (LINES true) written a row at a time: begin, add
 * each row with its index (0, 1, ...), end with the number of rows added. */
void json_begin(struct outbuf *o, bool lines);
void json_add(struct view *v, const struct tcpt_conn *row, struct outbuf *o, bool lines,
	      size_t index);
void json_end(struct outbuf *o, bool lines, size_t count);

/* With -v, --json is an object: json_wrap_begin() before json_begin() writes {"rows":, and
 * json_wrap_end() after json_end() closes it with the sources that served:
 * ,"source":{"rows":"netlink","owners":"bpf"}} (owners null when not asked for). */
void json_wrap_begin(struct outbuf *o);
void json_wrap_end(struct outbuf *o, enum tcpt_source rows, enum tcpt_source owners);

/* Write ROWS as one JSON array (LINES false) or as JSON Lines (LINES true). */
void json_write(const struct tcpt_conn *rows, size_t count, struct view *v, struct outbuf *o,
		bool lines);

#endif
