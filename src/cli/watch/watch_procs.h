/* watch_procs.h - the process pane ('P'): the table's connections summed per process, as a
 * per-process network view. Pure. */
#ifndef TCPT_CLI_WATCH_PROCS_H
#define TCPT_CLI_WATCH_PROCS_H

#include <stddef.h>
#include <stdint.h>

#include "watch_table.h"

struct watch_proc {
	int32_t pid;
	const char *name;   /* the first owner entry's name (untrusted; NULL if unknown); valid
	                       as long as the table's rows */
	size_t connections; /* current rows it holds a descriptor of (a shared socket counts
	                       for each of its holders) */
	size_t listening;   /* of which LISTEN (TCP) or UNCONN (UDP) */
	uint64_t recv_rate; /* the sum of its connections' rates, bytes/s */
	uint64_t send_rate;
};

/*
 * Sum T's current lines (every line but the CLOSED ones, whatever the filter) per owner
 * pid into *ret (free() it), *ret_count entries, ordered by total rate (receive + send),
 * then connections, both descending, then pid. Lines without owners are not counted.
 * Returns 0 or -ENOMEM.
 */
int watch_procs_build(const struct watch_table *t, struct watch_proc **ret,
		      size_t *ret_count);

#endif
