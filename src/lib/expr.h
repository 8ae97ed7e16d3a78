/* expr.h - filter expressions (struct tcpt_expr): checking one, and running it on a row with
 * the semantics of the kernel's inet_diag bytecode. */
#ifndef TCPT_EXPR_H
#define TCPT_EXPR_H

#include <stdbool.h>
#include <stddef.h>

#include "tcptable.h"

/* 0 when the COUNT nodes of NODES form a well-formed expression (see tcpt_expr; COUNT 0 is
 * no expression), -EINVAL otherwise. */
int expr_validate(const struct tcpt_expr *nodes, size_t count);

/* Whether ROW passes the validated expression NODES (COUNT > 0), as the kernel would decide:
 * the reference the bytecode is tested against. */
bool expr_match(const struct tcpt_expr *nodes, size_t count, const struct tcpt_conn *row);

/* Whether the prefix P (family 0 and bits 0: any address) matches ADDR of a row of FAMILY as
 * the kernel's host condition does (an IPv4 prefix also matches v4-mapped addresses). */
bool expr_prefix_matches(const struct tcpt_prefix *p, int family, const uint8_t addr[16]);

#endif
