/* filter_args.h - the values of the filter options (--sport 80,8000-8100, --src 10.0.0.0/8,
 * --state connected, --user www-data, ...) turned into a tcpt_filter and a state mask. */
#ifndef TCPT_CLI_FILTER_ARGS_H
#define TCPT_CLI_FILTER_ARGS_H

#include <stddef.h>
#include <stdint.h>

#include "filter_expr.h"
#include "tcptable.h"

/* The lists a tcpt_filter points into; they grow as options are parsed. */
struct filter_args {
	struct tcpt_filter filter;
	uint32_t states;            /* 0: no --state given */
	struct filter_expr expr;    /* the filter language after the options */
	filter_resolve_fn resolve;  /* host names in addrs; NULL: addresses only */
	void *resolve_ctx;
	char *names_storage;        /* copies of the --comm values */
	size_t names_len;
	size_t names_cap;
};

enum filter_list {
	FILTER_LOCAL_PORTS,
	FILTER_REMOTE_PORTS,
	FILTER_PORTS,
	FILTER_LOCAL_ADDRS,
	FILTER_REMOTE_ADDRS,
	FILTER_UIDS,
	FILTER_PIDS,
	FILTER_NAMES,
	FILTER_STATES,
};

/*
 * Parse VALUE, a comma-separated list, and append it to LIST of ARGS:
 *   ports   80, 8000-8100, https (a service name), ranges inclusive
 *   addrs   10.0.0.1, 10.0.0.0/8, ::1, [::1], 2001:db8::/32, and host names (every address
 *           they have) when ARGS->resolve is set
 *   uids    a user name or a number
 *   pids    positive numbers
 *   names   exact process names (comm, at most 15 bytes)
 *   states  state names (established, time-wait, ...) and the groups all, connected (all but
 *           listen and close), synchronized (connected but syn-sent), bucket (syn-recv,
 *           time-wait), big (all but bucket), listening; ss's spellings closed, unconnected
 *           (close) and syn-rcv
 * Returns 0, or -EINVAL with a reason in *ret_reason (a static string) when a value is
 * malformed; -ENOMEM. ARGS keeps what was appended before the bad value.
 */
int filter_args_add(struct filter_args *args, enum filter_list list, const char *value,
		    const char **ret_reason);

/* Whether any list is non-empty (any filter option was given, --state included), or the
 * filter language gave states or an expression. */
int filter_args_any(const struct filter_args *args);

/* Release every list; ARGS is empty afterwards. */
void filter_args_free(struct filter_args *args);

/* The state mask named by one state or group name; -EINVAL if unknown. */
int64_t state_mask_from_name(const char *name);

#endif
