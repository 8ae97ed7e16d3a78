/* owners.h - which processes hold each socket: one pass over /proc/<pid>/fd. */
#ifndef TCPT_OWNERS_H
#define TCPT_OWNERS_H

#include <stdbool.h>
#include <stddef.h>

#include "arena.h"
#include "tcptable.h"

struct owner_table {
	struct tcpt_owner *owners; /* every owner of every row, grouped by row */
	size_t count;
	size_t unreadable;         /* processes whose fd directory was refused (EACCES/EPERM) */
};

/*
 * Fill rows[i].owners / owner_count for every row with a non-zero inode, from a single scan
 * of /proc/<pid>/fd (a hash keyed by inode, sized from the row count: linear time). Owners of
 * one row are ordered by (pid, fd). With WANT_PROCESS, each owner also gets its process's
 * name and executable path, read once per process and copied into STRINGS.
 * Processes that vanish during the scan are skipped silently; those whose fds may not be
 * read are counted in ret->unreadable. Kernel threads are skipped.
 * PROC_ROOT is normally "/proc" (tests may point it elsewhere).
 * Returns 0 or -ENOMEM / -ENOTSUP (PROC_ROOT not readable); on failure the rows are untouched
 * and *ret is empty.
 */
int owners_join(const char *proc_root, struct tcpt_conn *rows, size_t nrows, bool want_process,
		struct arena *strings, struct owner_table *ret);

/* Release what owners_join() allocated (not the strings, which belong to the arena). */
void owner_table_free(struct owner_table *t);

#endif
