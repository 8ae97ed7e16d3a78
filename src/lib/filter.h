/* filter.h - checking a tcpt_filter, and what it needs. */
#ifndef TCPT_FILTER_H
#define TCPT_FILTER_H

#include <stdbool.h>

#include "tcptable.h"

/* 0 when FILTER (NULL allowed) is well formed, -EINVAL otherwise (see tcpt_snapshot_take). */
int filter_validate(const struct tcpt_filter *filter);

/* Whether FILTER has conditions on owners (pids or names). */
bool filter_needs_owners(const struct tcpt_filter *filter);

/* Whether FILTER has conditions the kernel can run (ports, addresses or an expression). */
bool filter_has_kernel_part(const struct tcpt_filter *filter);

#endif
