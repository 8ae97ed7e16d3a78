/* filter_expr.h - ss's filter language, given as the arguments after the options:
 *
 *     [ state STATE | exclude STATE ]... [ EXPRESSION ]
 *
 *     state established '( dport = :443 or sport = :443 )'
 *     dst 10.0.0.0/8          src [::1]        sport gt :1024       dport != :22
 *
 * parsed into a state mask and a library expression (struct tcpt_expr) that the kernel runs.
 * The facts of the grammar are ss's (iproute2 misc/ssfilter.y and misc/ss.c); see
 * tcptable(1) for the whole language and where tcptable accepts more than ss. */
#ifndef TCPT_CLI_FILTER_EXPR_H
#define TCPT_CLI_FILTER_EXPR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "tcptable.h"

/* The addresses of host NAME, for "src NAME" and "dst NAME": at most MAX prefixes of full
 * length into OUT. Returns how many (0: the name has no address), or a negative errno. */
typedef int (*filter_resolve_fn)(void *ctx, const char *name, struct tcpt_prefix *out,
				 size_t max);

/* The most addresses one host name may stand for. */
enum { FILTER_MAX_HOST_ADDRS = 64 };

struct filter_expr {
	struct tcpt_expr *nodes; /* count nodes, node 0 the root; NULL when there is no
	                            expression (only states, or nothing) */
	size_t count;
	bool has_states;         /* a state or exclude keyword was given */
	uint32_t states;         /* the states they select (may be 0: none) */
};

/* Where and why parsing failed. */
struct filter_expr_error {
	char text[1024];   /* the arguments joined by single spaces (cut at 1023 bytes) */
	size_t position;   /* 1-based character of the offending token in TEXT; the end of
	                      TEXT + 1 when the filter ended too early */
	char token[64];    /* the offending token ("" at the end), cut at 63 bytes */
	const char *why;   /* what was expected, a static string */
};

/*
 * Parse the ARGC words of ARGV (each may hold several tokens separated by blanks) into *RET.
 * Host names in src/dst are looked up through RESOLVE (NULL: host names are errors).
 * Returns 0; -EINVAL for a syntax error or an unknown state, port, address or host, with
 * *ERR filled; -ENOMEM. *RET is untouched on failure. An empty ARGV gives an empty filter.
 */
int filter_expr_parse(int argc, char *const *argv, filter_resolve_fn resolve, void *ctx,
		      struct filter_expr *ret, struct filter_expr_error *err);

/* Release what filter_expr_parse() allocated; *F is empty afterwards. */
void filter_expr_free(struct filter_expr *f);

#endif
