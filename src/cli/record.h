/* record.h - the fields of one row, named once, for every structured format (JSON, CSV).
 *
 * Field names are part of the command's interface (documented in tcptable(1)); they are
 * emitted in this order:
 *   netns proto family state local_address local_port remote_address remote_port interface uid
 *   inode cookie cgroup_id recv_q send_q timer timer_expires_ms retransmits
 *   with -e: user cgroup          with -p: owners          with -i: info
 */
#ifndef TCPT_CLI_RECORD_H
#define TCPT_CLI_RECORD_H

#include <stdint.h>

#include "tcptable.h"
#include "view.h"

struct record_sink {
	void *ctx;
	void (*number)(void *ctx, const char *key, uint64_t value);
	void (*string)(void *ctx, const char *key, const char *value); /* value may be NULL */
	void (*owners)(void *ctx, const char *key, const struct tcpt_conn *row);
	/* info may be NULL; the sink calls record_info_fields() to write its members */
	void (*info)(void *ctx, const char *key, const struct tcpt_tcp_info *info);
};

/* Hand every field of ROW to SINK, in the documented order. */
void record_emit(struct view *v, const struct tcpt_conn *row, const struct record_sink *sink);

/* Hand the members of INFO to SINK's number and string functions. */
void record_info_fields(const struct tcpt_tcp_info *info, const struct record_sink *sink);

/* A row of zeros, to name the fields (a CSV header) without data. */
extern const struct tcpt_conn record_example_row;

#endif
