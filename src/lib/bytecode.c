/* bytecode.c - the port and address conditions of a filter, and its expression, as inet_diag
 * bytecode, so that the kernel skips non-matching sockets instead of copying them out.
 *
 * The program is a chain of clauses that must all pass (the filter's "and"); a clause is a
 * list of terms of which one must pass ("any of"). A term is one or two tests and then a JMP:
 *
 *     test ... test  JMP ----------------> next clause (or the end: accept)
 *       |no    |no
 *       v      v
 *     next term of the clause (after the last term: end + 4, which rejects)
 *
 * Tests continue to the next op on "yes" and the JMP carries the long jump: an op's yes
 * offset is one byte wide but its no offset is 16 bits, and JMP always takes "no". The
 * kernel's audit (inet_diag_bc_audit) walks the "yes" chain, which this layout makes pass
 * through every op.
 */
#include "bytecode.h"

#include <errno.h>
#include <linux/inet_diag.h>
#include <netinet/in.h>
#include <stdbool.h>
#include <string.h>

struct emitter {
	uint8_t *buf;
	size_t cap;
	size_t len;
	int error;
};

/* Append an op; its jumps are patched once the targets are known. */
static size_t emit(struct emitter *e, const void *data, size_t len)
{
	size_t at = e->len;
	if (e->error)
		return at;
	if (len > e->cap - e->len || e->len + len > UINT16_MAX - 4) {
		e->error = -E2BIG;
		return at;
	}
	memcpy(e->buf + e->len, data, len);
	e->len += len;
	return at;
}

static size_t emit_port_test(struct emitter *e, uint8_t code, uint16_t port)
{
	struct inet_diag_bc_op op[2] = {{.code = code, .yes = 8}, {.no = port}};
	return emit(e, op, sizeof(op));
}

static size_t emit_host_test(struct emitter *e, uint8_t code, const struct tcpt_prefix *p)
{
	uint8_t raw[sizeof(struct inet_diag_bc_op) + sizeof(struct inet_diag_hostcond) + 16];
	size_t addr_len = p->family == AF_INET ? 4 : 16;
	size_t len = sizeof(struct inet_diag_bc_op) + sizeof(struct inet_diag_hostcond) + addr_len;
	struct inet_diag_bc_op op = {.code = code, .yes = (uint8_t)len};
	struct inet_diag_hostcond cond = {.family = p->family, .prefix_len = p->bits, .port = -1};
	memcpy(raw, &op, sizeof(op));
	memcpy(raw + sizeof(op), &cond, sizeof(cond));
	memcpy(raw + sizeof(op) + sizeof(cond), p->addr, addr_len);
	return emit(e, raw, len);
}

/* The "no" jumps of a term's tests, to patch once the next term's position is known. */
struct term {
	size_t tests[2];
	size_t ntests;
	size_t jmp;
};

static struct inet_diag_bc_op *op_at(struct emitter *e, size_t at)
{
	return (struct inet_diag_bc_op *)(void *)(e->buf + at);
}

static void close_term(struct emitter *e, struct term *t)
{
	struct inet_diag_bc_op jmp = {.code = INET_DIAG_BC_JMP, .yes = 4};
	t->jmp = emit(e, &jmp, sizeof(jmp));
}

static void patch_no(struct emitter *e, size_t at, size_t target)
{
	if (!e->error)
		op_at(e, at)->no = (uint16_t)(target - at);
}

struct clause {
	struct term terms[TCPT_BYTECODE_MAX_TERMS];
	size_t nterms;
};

static struct term *new_term(struct emitter *e, struct clause *c)
{
	if (c->nterms == TCPT_BYTECODE_MAX_TERMS) {
		e->error = -E2BIG;
		return NULL;
	}
	struct term *t = &c->terms[c->nterms++];
	t->ntests = 0;
	return t;
}

static void add_range_term(struct emitter *e, struct clause *c, bool local,
			   const struct tcpt_port_range *r)
{
	struct term *t = new_term(e, c);
	if (!t)
		return;
	t->tests[t->ntests++] =
		emit_port_test(e, local ? INET_DIAG_BC_S_GE : INET_DIAG_BC_D_GE, r->first);
	t->tests[t->ntests++] =
		emit_port_test(e, local ? INET_DIAG_BC_S_LE : INET_DIAG_BC_D_LE, r->last);
	close_term(e, t);
}

static void add_prefix_term(struct emitter *e, struct clause *c, bool local,
			    const struct tcpt_prefix *p)
{
	struct term *t = new_term(e, c);
	if (!t)
		return;
	t->tests[t->ntests++] =
		emit_host_test(e, local ? INET_DIAG_BC_S_COND : INET_DIAG_BC_D_COND, p);
	close_term(e, t);
}

/* Wire the clause: a failed test tries the next term; a passed term jumps to CLAUSE_END.
 * The last term's failures point at REJECT, which the caller sets to end + 4. */
static void finish_clause(struct emitter *e, struct clause *c, size_t reject_marks[],
			  size_t *nmarks)
{
	size_t clause_end = e->len;
	for (size_t i = 0; i < c->nterms; i++) {
		struct term *t = &c->terms[i];
		patch_no(e, t->jmp, clause_end);
		size_t next = i + 1 < c->nterms ? c->terms[i + 1].tests[0] : SIZE_MAX;
		for (size_t k = 0; k < t->ntests; k++) {
			if (next != SIZE_MAX)
				patch_no(e, t->tests[k], next);
			else if (*nmarks < TCPT_BYTECODE_MAX_TERMS * 2)
				reject_marks[(*nmarks)++] = t->tests[k];
		}
	}
}

static void compile_ranges(struct emitter *e, bool local, const struct tcpt_port_range *r,
			   size_t n, size_t marks[], size_t *nmarks)
{
	if (!n)
		return;
	struct clause c = {.nterms = 0};
	for (size_t i = 0; i < n; i++)
		add_range_term(e, &c, local, &r[i]);
	finish_clause(e, &c, marks, nmarks);
}

/* "Either end" is one clause whose terms test the local and then the remote port. */
static void compile_either_port(struct emitter *e, const struct tcpt_port_range *r, size_t n,
				size_t marks[], size_t *nmarks)
{
	if (!n)
		return;
	struct clause c = {.nterms = 0};
	for (size_t i = 0; i < n; i++) {
		add_range_term(e, &c, true, &r[i]);
		add_range_term(e, &c, false, &r[i]);
	}
	finish_clause(e, &c, marks, nmarks);
}

static void compile_prefixes(struct emitter *e, bool local, const struct tcpt_prefix *p,
			     size_t n, size_t marks[], size_t *nmarks)
{
	if (!n)
		return;
	struct clause c = {.nterms = 0};
	for (size_t i = 0; i < n; i++)
		add_prefix_term(e, &c, local, &p[i]);
	finish_clause(e, &c, marks, nmarks);
}

/* --- expressions ----------------------------------------------------------------------------
 * Each node becomes a program that falls off its end when it passes and jumps to end + 4
 * when it fails, composed as ss composes its filters (misc/ss.c, ssfilter_bytecompile):
 *   a AND b   a b, with a's failures moved to the failure of the whole
 *   a OR b    a JMP b: a's failures land on b; the JMP (taken when a passed) skips b
 *   NOT a     a JMP(no 8): a passing reaches the JMP, which jumps to the failure; a failing
 *             jumps to the end, the success
 * Every op's "yes" is its own length, so the audit's walk meets every op. */

/* Move the failures of the program in [start, end) (its jumps to end + 4) to the failure of a
 * program that now ends at NEW_END. */
static void relocate_failures(struct emitter *e, size_t start, size_t end, size_t new_end)
{
	if (e->error)
		return;
	for (size_t at = start; at < end; at += op_at(e, at)->yes)
		if (at + op_at(e, at)->no == end + 4)
			op_at(e, at)->no = (uint16_t)(new_end + 4 - at);
}

static void emit_leaf_port(struct emitter *e, uint8_t code, int32_t port)
{
	struct inet_diag_bc_op op[2] = {{.code = code, .yes = 8, .no = 12},
					{.no = (uint16_t)port}};
	emit(e, op, sizeof(op));
}

static void emit_leaf_end(struct emitter *e, uint8_t code, const struct tcpt_expr *n)
{
	uint8_t raw[sizeof(struct inet_diag_bc_op) + sizeof(struct inet_diag_hostcond) + 16];
	size_t addr_len = n->addr.family == AF_INET ? 4 : n->addr.family == AF_INET6 ? 16 : 0;
	size_t len = sizeof(struct inet_diag_bc_op) + sizeof(struct inet_diag_hostcond) + addr_len;
	struct inet_diag_bc_op op = {.code = code, .yes = (uint8_t)len, .no = (uint16_t)(len + 4)};
	struct inet_diag_hostcond cond = {.family = n->addr.family, .prefix_len = n->addr.bits,
					  .port = n->port};
	memcpy(raw, &op, sizeof(op));
	memcpy(raw + sizeof(op), &cond, sizeof(cond));
	memcpy(raw + sizeof(op) + sizeof(cond), n->addr.addr, addr_len);
	emit(e, raw, len);
}

static void compile_node(struct emitter *e, const struct tcpt_expr *x, size_t i)
{
	const struct tcpt_expr *n = &x[i];
	size_t start = e->len;
	struct inet_diag_bc_op jmp = {.code = INET_DIAG_BC_JMP, .yes = 4, .no = 8};
	switch (n->op) {
	case TCPT_EXPR_AND: {
		compile_node(e, x, n->a);
		size_t mid = e->len;
		compile_node(e, x, n->b);
		relocate_failures(e, start, mid, e->len);
		return;
	}
	case TCPT_EXPR_OR: {
		compile_node(e, x, n->a);
		size_t at = emit(e, &jmp, sizeof(jmp));
		compile_node(e, x, n->b);
		patch_no(e, at, e->len);
		return;
	}
	case TCPT_EXPR_NOT:
		compile_node(e, x, n->a);
		emit(e, &jmp, sizeof(jmp));
		return;
	case TCPT_EXPR_LOCAL: emit_leaf_end(e, INET_DIAG_BC_S_COND, n); return;
	case TCPT_EXPR_REMOTE: emit_leaf_end(e, INET_DIAG_BC_D_COND, n); return;
	case TCPT_EXPR_LOCAL_PORT_GE: emit_leaf_port(e, INET_DIAG_BC_S_GE, n->port); return;
	case TCPT_EXPR_LOCAL_PORT_LE: emit_leaf_port(e, INET_DIAG_BC_S_LE, n->port); return;
	case TCPT_EXPR_REMOTE_PORT_GE: emit_leaf_port(e, INET_DIAG_BC_D_GE, n->port); return;
	case TCPT_EXPR_REMOTE_PORT_LE: emit_leaf_port(e, INET_DIAG_BC_D_LE, n->port); return;
	default: e->error = -EINVAL; return;
	}
}

int bytecode_compile(const struct tcpt_filter *f, uint8_t *buf, size_t cap, size_t *ret_len)
{
	struct emitter e = {.buf = buf, .cap = cap};
	/* the failures of each clause's last term reject: end + 4, known only at the end */
	size_t all_marks[5][TCPT_BYTECODE_MAX_TERMS * 2];
	size_t all_counts[5] = {0};
	compile_ranges(&e, true, f->local_ports, f->local_port_count, all_marks[0], &all_counts[0]);
	compile_ranges(&e, false, f->remote_ports, f->remote_port_count, all_marks[1],
		       &all_counts[1]);
	compile_either_port(&e, f->ports, f->port_count, all_marks[2], &all_counts[2]);
	compile_prefixes(&e, true, f->local_addrs, f->local_addr_count, all_marks[3],
			 &all_counts[3]);
	compile_prefixes(&e, false, f->remote_addrs, f->remote_addr_count, all_marks[4],
			 &all_counts[4]);
	/* the expression comes last; the lists' rejections (patched below) jump past it */
	if (f->expr_count)
		compile_node(&e, f->expr, 0);
	if (e.error)
		return e.error;
	for (size_t c = 0; c < 5; c++)
		for (size_t i = 0; i < all_counts[c]; i++)
			patch_no(&e, all_marks[c][i], e.len + 4);
	*ret_len = e.len;
	return 0;
}
