/* expr.c - filter expressions in user space. The semantics are the kernel's
 * (net/ipv4/inet_diag.c, inet_diag_bc_run), so that a row is kept or dropped the same way
 * whether the kernel ran the compiled program or only this code did (the /proc source). */
#include "expr.h"

#include <errno.h>
#include <netinet/in.h>
#include <string.h>

static bool prefix_valid(const struct tcpt_prefix *p)
{
	if (p->family == 0)
		return p->bits == 0;
	if (p->family == AF_INET)
		return p->bits <= 32;
	return p->family == AF_INET6 && p->bits <= 128;
}

static bool prefix_is_zero(const struct tcpt_prefix *p)
{
	static const struct tcpt_prefix zero;
	return memcmp(p, &zero, sizeof(zero)) == 0;
}

static bool node_valid(const struct tcpt_expr *n, size_t self, size_t count)
{
	switch (n->op) {
	case TCPT_EXPR_AND:
	case TCPT_EXPR_OR:
		return n->a > self && n->a < count && n->b > self && n->b < count && !n->port &&
		       prefix_is_zero(&n->addr);
	case TCPT_EXPR_NOT:
		return n->a > self && n->a < count && !n->b && !n->port &&
		       prefix_is_zero(&n->addr);
	case TCPT_EXPR_LOCAL:
	case TCPT_EXPR_REMOTE:
		return !n->a && !n->b && n->port >= -1 && n->port <= 65535 &&
		       prefix_valid(&n->addr);
	case TCPT_EXPR_LOCAL_PORT_GE:
	case TCPT_EXPR_LOCAL_PORT_LE:
	case TCPT_EXPR_REMOTE_PORT_GE:
	case TCPT_EXPR_REMOTE_PORT_LE:
		return !n->a && !n->b && n->port >= 0 && n->port <= 65535 &&
		       prefix_is_zero(&n->addr);
	default:
		return false;
	}
}

int expr_validate(const struct tcpt_expr *nodes, size_t count)
{
	if (!count)
		return 0;
	if (!nodes || count > TCPT_EXPR_MAX_NODES)
		return -EINVAL;
	for (size_t i = 0; i < count; i++)
		if (!node_valid(&nodes[i], i, count))
			return -EINVAL;
	return 0;
}

static bool bits_match(const uint8_t *a, const uint8_t *b, unsigned bits)
{
	unsigned whole = bits / 8, rest = bits % 8;
	if (memcmp(a, b, whole) != 0)
		return false;
	if (!rest)
		return true;
	uint8_t mask = (uint8_t)(0xff << (8 - rest));
	return (a[whole] & mask) == (b[whole] & mask);
}

static bool is_v4_mapped(const uint8_t a[16])
{
	static const uint8_t prefix[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
	return memcmp(a, prefix, sizeof(prefix)) == 0;
}

bool expr_prefix_matches(const struct tcpt_prefix *p, int family, const uint8_t addr[16])
{
	if (p->family == 0)
		return true;
	if (p->family != family)
		return p->family == AF_INET && family == AF_INET6 && is_v4_mapped(addr) &&
		       bits_match(addr + 12, p->addr, p->bits);
	return bits_match(addr, p->addr, p->bits);
}

static bool end_matches(const struct tcpt_expr *n, const struct tcpt_conn *r, bool local)
{
	uint16_t port = local ? r->local_port : r->remote_port;
	if (n->port != -1 && n->port != port)
		return false;
	return expr_prefix_matches(&n->addr, r->family, local ? r->local_addr : r->remote_addr);
}

/* Operands have larger indices than their operator, so the recursion ends; its depth is at
 * most the number of nodes. */
static bool run(const struct tcpt_expr *nodes, size_t i, const struct tcpt_conn *r)
{
	const struct tcpt_expr *n = &nodes[i];
	switch (n->op) {
	case TCPT_EXPR_AND: return run(nodes, n->a, r) && run(nodes, n->b, r);
	case TCPT_EXPR_OR: return run(nodes, n->a, r) || run(nodes, n->b, r);
	case TCPT_EXPR_NOT: return !run(nodes, n->a, r);
	case TCPT_EXPR_LOCAL: return end_matches(n, r, true);
	case TCPT_EXPR_REMOTE: return end_matches(n, r, false);
	case TCPT_EXPR_LOCAL_PORT_GE: return r->local_port >= n->port;
	case TCPT_EXPR_LOCAL_PORT_LE: return r->local_port <= n->port;
	case TCPT_EXPR_REMOTE_PORT_GE: return r->remote_port >= n->port;
	case TCPT_EXPR_REMOTE_PORT_LE: return r->remote_port <= n->port;
	default: return false;
	}
}

bool expr_match(const struct tcpt_expr *nodes, size_t count, const struct tcpt_conn *row)
{
	(void)count;
	return run(nodes, 0, row);
}
