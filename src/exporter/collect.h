/* collect.h - one fresh snapshot through libtcptable, reduced to an aggregate. */
#ifndef TCPT_EXPORTER_COLLECT_H
#define TCPT_EXPORTER_COLLECT_H

#include "aggregate.h"

#include <stdbool.h>
#include <stddef.h>

struct collect_config {
	const char *const *netns; /* --netns values: names under /run/netns or paths */
	size_t netns_count;
	bool all_netns;           /* --all-netns: every namespace of the host */
	bool processes;           /* join owners and their names (the per-process series) */
	bool udp;                 /* UDP sockets and counters too (--collector.udp) */
	size_t top_k;             /* series kept per label set before the "other" bucket */
};

/*
 * Take one snapshot as CFG says and the kernel's counters of each namespace, into *RET (zeroed
 * first; release with aggregate_free(), also after a failure). With owners (cfg->processes)
 * through tcpt_snapshot_take(), whose owner collection runs beside the dump, the rows held
 * until counted; without, through tcpt_snapshot_stream(), the rows never held.
 * Returns 0, the errors of tcpt_snapshot_take(), -ENOENT for a --netns that does not exist,
 * -EPERM when namespaces cannot be opened or entered (CAP_SYS_ADMIN), or -ENOMEM.
 */
int collect(const struct collect_config *cfg, struct aggregate *ret);

#endif
