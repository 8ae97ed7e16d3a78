/* plan.h - what a query asks of the sources, worked out once for snapshots and streams. */
#ifndef TCPT_PLAN_H
#define TCPT_PLAN_H

#include <stdbool.h>

#include "bytecode.h"
#include "diag.h"
#include "rowvec.h"
#include "tcptable.h"

struct plan {
	enum tcpt_source source;
	unsigned want;                   /* with the owners a filter needs */
	bool owners_try_bpf;             /* owners: BPF iterator first (see owners_try_bpf()) */
	struct tcpt_context *context;    /* the query's, or NULL */
	const struct tcpt_filter *filter;
	struct diag_request request;     /* families, states, bytecode (infos: per collection) */
	uint8_t bytecode[TCPT_BYTECODE_MAX_SIZE];
};

/* Whether QUERY (non-NULL) is well formed: see tcpt_snapshot_take() for -EINVAL. */
bool plan_query_is_valid(const struct tcpt_query *query);

/* Work out P from a valid QUERY. */
void plan_init(struct plan *p, const struct tcpt_query *query);

/* Rows of the calling thread's namespace through the planned source (netlink, falling back to
 * /proc when allowed), each tagged with the namespace; tcp_info into INFOS when wanted.
 * Returns 0 and the source used, or a negative errno (-ENOTSUP: no source). */
int plan_collect_here(const struct plan *p, struct rowvec *rows, struct infovec *infos,
		      enum tcpt_source *ret_used);

/* Whether netlink's failure R leaves /proc worth trying (anything but a lack of memory). */
bool plan_worth_falling_back(int r);

/* The -ENOTSUP a refused netlink socket stands for, or R itself. */
int plan_netlink_error(int r);

/* The inode of the calling thread's network namespace (0 if /proc cannot tell). */
uint64_t plan_current_netns(void);

#endif
