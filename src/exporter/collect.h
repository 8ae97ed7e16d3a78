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
	struct tcpt_context *context; /* kept between scrapes (the BPF owner program, loaded
	                                 by the first one); NULL: each scrape on its own */
};

/*
 * Take one snapshot as CFG says and the kernel's counters of each namespace, into *RET (zeroed
 * first; release with aggregate_free(), also after a failure). The rows are streamed
 * (tcpt_snapshot_stream()) and never held; with owners (cfg->processes) the owners are found
 * beside the dump on a second thread (tcpt_owner_map_take()) and joined afterwards.
 * Returns 0, the errors of tcpt_snapshot_stream() and tcpt_owner_map_take(), -ENOENT for a
 * --netns that does not exist, -EPERM when namespaces cannot be opened or entered
 * (CAP_SYS_ADMIN), or -ENOMEM.
 */
int collect(const struct collect_config *cfg, struct aggregate *ret);

#endif
