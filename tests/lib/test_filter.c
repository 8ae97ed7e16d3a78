/* Filter semantics (tcpt_filter_match) and the bytecode that makes the kernel apply them:
 * a model of the kernel's audit and interpreter must accept exactly what the filter does. */
#include <arpa/inet.h>
#include <errno.h>
#include <linux/inet_diag.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "bytecode.h"
#include "filter.h"

static struct tcpt_conn v4(const char *l, unsigned lp, const char *r, unsigned rp)
{
	struct tcpt_conn c = {.family = AF_INET, .local_port = (uint16_t)lp,
			      .remote_port = (uint16_t)rp, .state = TCPT_ESTABLISHED};
	inet_pton(AF_INET, l, c.local_addr);
	inet_pton(AF_INET, r, c.remote_addr);
	return c;
}

static struct tcpt_conn v6(const char *l, unsigned lp, const char *r, unsigned rp)
{
	struct tcpt_conn c = {.family = AF_INET6, .local_port = (uint16_t)lp,
			      .remote_port = (uint16_t)rp, .state = TCPT_ESTABLISHED};
	inet_pton(AF_INET6, l, c.local_addr);
	inet_pton(AF_INET6, r, c.remote_addr);
	return c;
}

static struct tcpt_prefix prefix(const char *text, unsigned bits)
{
	struct tcpt_prefix p = {.bits = (uint8_t)bits};
	if (inet_pton(AF_INET, text, p.addr) == 1)
		p.family = AF_INET;
	else if (inet_pton(AF_INET6, text, p.addr) == 1)
		p.family = AF_INET6;
	return p;
}

/* --- the kernel's bytecode, modelled on net/ipv4/inet_diag.c --------------------------- */

/* A jump must land on an op the "yes" chain from the start reaches (valid_cc). */
static int model_valid_cc(const uint8_t *bc, int len, int cc)
{
	while (len >= 0) {
		const struct inet_diag_bc_op *op = (const void *)bc;
		if (cc > len)
			return 0;
		if (cc == len)
			return 1;
		if (op->yes < 4 || (op->yes & 3))
			return 0;
		len -= op->yes;
		bc += op->yes;
	}
	return 0;
}

static int model_audit(const uint8_t *bc, int len)
{
	const uint8_t *p = bc;
	int left = len;
	while (left > 0) {
		const struct inet_diag_bc_op *op = (const void *)p;
		int min_len = sizeof(*op);
		switch (op->code) {
		case INET_DIAG_BC_S_COND:
		case INET_DIAG_BC_D_COND: {
			const struct inet_diag_hostcond *c = (const void *)(op + 1);
			int alen = c->family == AF_INET ? 4 : c->family == AF_INET6 ? 16 : 0;
			if (c->family != AF_INET && c->family != AF_INET6 && c->family != AF_UNSPEC)
				return -EINVAL;
			if (c->prefix_len > 8 * alen)
				return -EINVAL;
			min_len += sizeof(*c) + alen;
			break;
		}
		case INET_DIAG_BC_S_GE:
		case INET_DIAG_BC_S_LE:
		case INET_DIAG_BC_D_GE:
		case INET_DIAG_BC_D_LE:
			min_len += sizeof(*op);
			break;
		case INET_DIAG_BC_JMP:
			break;
		default:
			return -EINVAL;
		}
		if (op->no < min_len || op->no > left + 4 || (op->no & 3))
			return -EINVAL;
		if (op->no < left && !model_valid_cc(bc, len, left - op->no))
			return -EINVAL;
		if (op->yes < min_len || op->yes > left + 4 || (op->yes & 3))
			return -EINVAL;
		p += op->yes;
		left -= op->yes;
	}
	return left == 0 ? 0 : -EINVAL;
}

static int model_bits_match(const uint8_t *a, const uint8_t *b, int bits)
{
	int whole = bits / 8, rest = bits % 8;
	if (memcmp(a, b, (size_t)whole))
		return 0;
	if (!rest)
		return 1;
	uint8_t mask = (uint8_t)(0xff << (8 - rest));
	return (a[whole] & mask) == (b[whole] & mask);
}

static int model_hostcond(const struct inet_diag_hostcond *c, const uint8_t *cond_addr,
			  const struct tcpt_conn *r, int local)
{
	const uint8_t *addr = local ? r->local_addr : r->remote_addr;
	if (c->port != -1 && c->port != (local ? r->local_port : r->remote_port))
		return 0;
	if (c->family != AF_UNSPEC && c->family != r->family) {
		static const uint8_t mapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
		return r->family == AF_INET6 && c->family == AF_INET &&
		       !memcmp(addr, mapped, 12) && model_bits_match(addr + 12, cond_addr, c->prefix_len);
	}
	return c->prefix_len == 0 || model_bits_match(addr, cond_addr, c->prefix_len);
}

static int model_run(const uint8_t *bc, int len, const struct tcpt_conn *r)
{
	const uint8_t *p = bc;
	while (len > 0) {
		const struct inet_diag_bc_op *op = (const void *)p;
		int yes = 1;
		switch (op->code) {
		case INET_DIAG_BC_JMP: yes = 0; break;
		case INET_DIAG_BC_S_GE: yes = r->local_port >= op[1].no; break;
		case INET_DIAG_BC_S_LE: yes = r->local_port <= op[1].no; break;
		case INET_DIAG_BC_D_GE: yes = r->remote_port >= op[1].no; break;
		case INET_DIAG_BC_D_LE: yes = r->remote_port <= op[1].no; break;
		case INET_DIAG_BC_S_COND:
		case INET_DIAG_BC_D_COND: {
			const struct inet_diag_hostcond *c = (const void *)(op + 1);
			yes = model_hostcond(c, (const uint8_t *)(c + 1), r,
					     op->code == INET_DIAG_BC_S_COND);
			break;
		}
		default: return -1;
		}
		int step = yes ? op->yes : op->no;
		p += step;
		len -= step;
	}
	return len == 0;
}

static void assert_kernel_agrees(const struct tcpt_filter *f, const struct tcpt_conn *rows,
				 size_t n)
{
	uint8_t bc[TCPT_BYTECODE_MAX_SIZE];
	size_t len = 0;
	assert_int_equal(0, bytecode_compile(f, bc, sizeof(bc), &len));
	assert_int_equal(0, model_audit(bc, (int)len));
	for (size_t i = 0; i < n; i++)
		assert_int_equal(tcpt_filter_match(f, &rows[i]), model_run(bc, (int)len, &rows[i]));
}

/* --- tests ---------------------------------------------------------------------------- */

static void null_filter_passes_and_null_row_fails(void **state)
{
	(void)state;
	struct tcpt_conn r = v4("127.0.0.1", 80, "127.0.0.1", 5000);
	assert_int_equal(1, tcpt_filter_match(NULL, &r));
	struct tcpt_filter f = {0};
	assert_int_equal(1, tcpt_filter_match(&f, &r));
	assert_int_equal(0, tcpt_filter_match(&f, NULL));
}

static void port_lists_are_any_of_and_lists_combine_with_and(void **state)
{
	(void)state;
	struct tcpt_port_range local[] = {{80, 80}, {8000, 8099}};
	struct tcpt_port_range remote[] = {{1024, 65535}};
	struct tcpt_filter f = {.local_ports = local, .local_port_count = 2,
				.remote_ports = remote, .remote_port_count = 1};
	struct tcpt_conn a = v4("10.0.0.1", 80, "10.0.0.2", 40000);
	struct tcpt_conn b = v4("10.0.0.1", 8050, "10.0.0.2", 40000);
	struct tcpt_conn c = v4("10.0.0.1", 8100, "10.0.0.2", 40000);
	struct tcpt_conn d = v4("10.0.0.1", 80, "10.0.0.2", 22);
	assert_int_equal(1, tcpt_filter_match(&f, &a));
	assert_int_equal(1, tcpt_filter_match(&f, &b));
	assert_int_equal(0, tcpt_filter_match(&f, &c));
	assert_int_equal(0, tcpt_filter_match(&f, &d));
}

static void either_port_matches_local_or_remote(void **state)
{
	(void)state;
	struct tcpt_port_range p[] = {{443, 443}};
	struct tcpt_filter f = {.ports = p, .port_count = 1};
	struct tcpt_conn server = v4("10.0.0.1", 443, "10.0.0.2", 50000);
	struct tcpt_conn client = v4("10.0.0.2", 50000, "10.0.0.1", 443);
	struct tcpt_conn other = v4("10.0.0.2", 50000, "10.0.0.1", 80);
	assert_int_equal(1, tcpt_filter_match(&f, &server));
	assert_int_equal(1, tcpt_filter_match(&f, &client));
	assert_int_equal(0, tcpt_filter_match(&f, &other));
}

static void ipv4_prefix_matches_v4_mapped_addresses(void **state)
{
	(void)state;
	struct tcpt_prefix p[] = {prefix("127.0.0.0", 8)};
	struct tcpt_filter f = {.remote_addrs = p, .remote_addr_count = 1};
	struct tcpt_conn plain = v4("127.0.0.1", 80, "127.9.9.9", 5000);
	struct tcpt_conn mapped = v6("::ffff:127.0.0.1", 80, "::ffff:127.0.0.1", 5000);
	struct tcpt_conn native = v6("::1", 80, "::1", 5000);
	struct tcpt_conn outside = v4("127.0.0.1", 80, "128.0.0.1", 5000);
	assert_int_equal(1, tcpt_filter_match(&f, &plain));
	assert_int_equal(1, tcpt_filter_match(&f, &mapped));
	assert_int_equal(0, tcpt_filter_match(&f, &native));
	assert_int_equal(0, tcpt_filter_match(&f, &outside));
}

static void prefix_bits_are_honoured_inside_a_byte(void **state)
{
	(void)state;
	struct tcpt_prefix p[] = {prefix("10.0.0.64", 26), prefix("2001:db8::", 33)};
	struct tcpt_filter f = {.local_addrs = p, .local_addr_count = 2};
	struct tcpt_conn in = v4("10.0.0.127", 1, "0.0.0.0", 0);
	struct tcpt_conn out = v4("10.0.0.128", 1, "0.0.0.0", 0);
	struct tcpt_conn in6 = v6("2001:db8:7fff::1", 1, "::", 0);
	struct tcpt_conn out6 = v6("2001:db8:8000::1", 1, "::", 0);
	assert_int_equal(1, tcpt_filter_match(&f, &in));
	assert_int_equal(0, tcpt_filter_match(&f, &out));
	assert_int_equal(1, tcpt_filter_match(&f, &in6));
	assert_int_equal(0, tcpt_filter_match(&f, &out6));
}

static void owner_lists_need_an_owner(void **state)
{
	(void)state;
	struct tcpt_owner owners[] = {{.pid = 10, .fd = 3, .name = "nginx"},
				      {.pid = 11, .fd = 3, .name = "nginx: worker"}};
	struct tcpt_conn r = v4("0.0.0.0", 80, "0.0.0.0", 0);
	int32_t pids[] = {11};
	const char *names[] = {"nginx"};
	struct tcpt_filter by_pid = {.pids = pids, .pid_count = 1};
	struct tcpt_filter by_name = {.names = names, .name_count = 1};
	assert_int_equal(0, tcpt_filter_match(&by_pid, &r));
	assert_int_equal(0, tcpt_filter_match(&by_name, &r));
	r.owners = owners;
	r.owner_count = 2;
	assert_int_equal(1, tcpt_filter_match(&by_pid, &r));
	assert_int_equal(1, tcpt_filter_match(&by_name, &r));
	const char *partial[] = {"ngin"};
	struct tcpt_filter by_partial = {.names = partial, .name_count = 1};
	assert_int_equal(0, tcpt_filter_match(&by_partial, &r));
}

static void uid_list_matches_the_socket_uid(void **state)
{
	(void)state;
	uint32_t uids[] = {1000, 33};
	struct tcpt_filter f = {.uids = uids, .uid_count = 2};
	struct tcpt_conn r = v4("0.0.0.0", 80, "0.0.0.0", 0);
	r.uid = 33;
	assert_int_equal(1, tcpt_filter_match(&f, &r));
	r.uid = 0;
	assert_int_equal(0, tcpt_filter_match(&f, &r));
}

static void malformed_filters_are_rejected(void **state)
{
	(void)state;
	struct tcpt_port_range backwards[] = {{90, 80}};
	struct tcpt_prefix too_long[] = {{.family = AF_INET, .bits = 33}};
	struct tcpt_prefix no_family[] = {{.family = 0, .bits = 0}};
	const char *null_name[] = {NULL};
	struct tcpt_filter f1 = {.ports = backwards, .port_count = 1};
	struct tcpt_filter f2 = {.local_addrs = too_long, .local_addr_count = 1};
	struct tcpt_filter f3 = {.remote_addrs = no_family, .remote_addr_count = 1};
	struct tcpt_filter f4 = {.names = null_name, .name_count = 1};
	struct tcpt_filter f5 = {.pids = NULL, .pid_count = 3};
	assert_int_equal(-EINVAL, filter_validate(&f1));
	assert_int_equal(-EINVAL, filter_validate(&f2));
	assert_int_equal(-EINVAL, filter_validate(&f3));
	assert_int_equal(-EINVAL, filter_validate(&f4));
	assert_int_equal(-EINVAL, filter_validate(&f5));
	assert_int_equal(0, filter_validate(NULL));
}

static struct tcpt_conn random_row(unsigned *seed)
{
	static const char *v4s[] = {"127.0.0.1", "10.0.0.5", "10.0.0.200", "192.168.1.1"};
	static const char *v6s[] = {"::1", "::ffff:10.0.0.5", "2001:db8::1", "fe80::1"};
	unsigned pick = (unsigned)rand_r(seed);
	unsigned lp = (unsigned)rand_r(seed) % 9000, rp = (unsigned)rand_r(seed) % 9000;
	if (pick & 1)
		return v4(v4s[(pick >> 1) % 4], lp, v4s[(pick >> 3) % 4], rp);
	return v6(v6s[(pick >> 1) % 4], lp, v6s[(pick >> 3) % 4], rp);
}

static void bytecode_accepts_exactly_what_the_filter_accepts(void **state)
{
	(void)state;
	struct tcpt_port_range lp[] = {{0, 99}, {8000, 8500}};
	struct tcpt_port_range rp[] = {{1000, 4000}};
	struct tcpt_port_range either[] = {{22, 22}, {443, 900}};
	struct tcpt_prefix la[] = {prefix("10.0.0.0", 25), prefix("2001:db8::", 32),
				   prefix("127.0.0.1", 32)};
	struct tcpt_prefix ra[] = {prefix("0.0.0.0", 0)};
	struct tcpt_filter filters[] = {
		{.local_ports = lp, .local_port_count = 2},
		{.remote_ports = rp, .remote_port_count = 1},
		{.ports = either, .port_count = 2},
		{.local_addrs = la, .local_addr_count = 3},
		{.remote_addrs = ra, .remote_addr_count = 1},
		{.local_ports = lp, .local_port_count = 2, .remote_ports = rp,
		 .remote_port_count = 1, .ports = either, .port_count = 2, .local_addrs = la,
		 .local_addr_count = 3, .remote_addrs = ra, .remote_addr_count = 1},
	};
	struct tcpt_conn rows[2000];
	unsigned seed = 12345;
	for (size_t i = 0; i < 2000; i++)
		rows[i] = random_row(&seed);
	for (size_t i = 0; i < sizeof(filters) / sizeof(filters[0]); i++)
		assert_kernel_agrees(&filters[i], rows, 2000);
}

static void empty_filter_compiles_to_an_empty_program(void **state)
{
	(void)state;
	uint8_t bc[64];
	size_t len = 99;
	struct tcpt_filter f = {0};
	assert_int_equal(0, bytecode_compile(&f, bc, sizeof(bc), &len));
	assert_int_equal(0, len);
}

static void too_many_terms_is_e2big(void **state)
{
	(void)state;
	static struct tcpt_port_range many[TCPT_BYTECODE_MAX_TERMS + 1];
	for (size_t i = 0; i < TCPT_BYTECODE_MAX_TERMS + 1; i++)
		many[i] = (struct tcpt_port_range){(uint16_t)i, (uint16_t)i};
	struct tcpt_filter f = {.local_ports = many, .local_port_count = TCPT_BYTECODE_MAX_TERMS + 1};
	uint8_t bc[TCPT_BYTECODE_MAX_SIZE];
	size_t len;
	assert_int_equal(-E2BIG, bytecode_compile(&f, bc, sizeof(bc), &len));
	uint8_t small[16];
	struct tcpt_filter g = {.local_ports = many, .local_port_count = 3};
	assert_int_equal(-E2BIG, bytecode_compile(&g, small, sizeof(small), &len));
}

/* --- expressions -------------------------------------------------------------------------- */

#define LOCAL_PORT(p) {.op = TCPT_EXPR_LOCAL, .port = (p)}
#define REMOTE_PORT(p) {.op = TCPT_EXPR_REMOTE, .port = (p)}

static int expr_passes(const struct tcpt_expr *x, size_t n, const struct tcpt_conn *r)
{
	struct tcpt_filter f = {.expr = x, .expr_count = n};
	assert_int_equal(0, filter_validate(&f));
	uint8_t bc[TCPT_BYTECODE_MAX_SIZE];
	size_t len = 0;
	assert_int_equal(0, bytecode_compile(&f, bc, sizeof(bc), &len));
	assert_int_equal(0, model_audit(bc, (int)len));
	int user = tcpt_filter_match(&f, r);
	assert_int_equal(user, model_run(bc, (int)len, r));
	return user;
}

static void expression_and_or_not_combine_as_written(void **state)
{
	(void)state;
	/* ( sport = :443 or dport = :443 ) and not dst 10.0.0.0/8 */
	struct tcpt_expr x[] = {
		{.op = TCPT_EXPR_AND, .a = 1, .b = 4},
		{.op = TCPT_EXPR_OR, .a = 2, .b = 3},
		LOCAL_PORT(443),
		REMOTE_PORT(443),
		{.op = TCPT_EXPR_NOT, .a = 5},
		{.op = TCPT_EXPR_REMOTE, .port = -1, .addr = prefix("10.0.0.0", 8)},
	};
	struct tcpt_conn server = v4("192.168.1.1", 443, "192.168.1.2", 50000);
	struct tcpt_conn client = v4("192.168.1.2", 50000, "192.168.1.1", 443);
	struct tcpt_conn inside = v4("192.168.1.2", 50000, "10.1.2.3", 443);
	struct tcpt_conn mapped = v6("::ffff:192.168.1.2", 50000, "::ffff:10.1.2.3", 443);
	struct tcpt_conn other = v4("192.168.1.2", 50000, "192.168.1.1", 80);
	assert_int_equal(1, expr_passes(x, 6, &server));
	assert_int_equal(1, expr_passes(x, 6, &client));
	assert_int_equal(0, expr_passes(x, 6, &inside));
	assert_int_equal(0, expr_passes(x, 6, &mapped));
	assert_int_equal(0, expr_passes(x, 6, &other));
}

static void endpoint_checks_port_and_address_together(void **state)
{
	(void)state;
	struct tcpt_expr x[] = {{.op = TCPT_EXPR_LOCAL, .port = 80,
				 .addr = prefix("127.0.0.1", 32)}};
	struct tcpt_conn yes = v4("127.0.0.1", 80, "127.0.0.1", 5000);
	struct tcpt_conn wrong_port = v4("127.0.0.1", 81, "127.0.0.1", 5000);
	struct tcpt_conn wrong_addr = v4("127.0.0.2", 80, "127.0.0.1", 5000);
	assert_int_equal(1, expr_passes(x, 1, &yes));
	assert_int_equal(0, expr_passes(x, 1, &wrong_port));
	assert_int_equal(0, expr_passes(x, 1, &wrong_addr));
	/* any address, any port: every row, of either family */
	struct tcpt_expr any[] = {{.op = TCPT_EXPR_REMOTE, .port = -1}};
	struct tcpt_conn six = v6("::1", 1, "::1", 2);
	assert_int_equal(1, expr_passes(any, 1, &yes));
	assert_int_equal(1, expr_passes(any, 1, &six));
	/* a zero-length IPv6 prefix still asks for an IPv6 row, as the kernel does */
	struct tcpt_expr v6_any[] = {{.op = TCPT_EXPR_REMOTE, .port = -1,
				      .addr = {.family = AF_INET6, .bits = 0}}};
	assert_int_equal(0, expr_passes(v6_any, 1, &yes));
	assert_int_equal(1, expr_passes(v6_any, 1, &six));
}

static void port_bounds_include_the_bound(void **state)
{
	(void)state;
	struct tcpt_expr ge[] = {{.op = TCPT_EXPR_LOCAL_PORT_GE, .port = 1024}};
	struct tcpt_expr le[] = {{.op = TCPT_EXPR_REMOTE_PORT_LE, .port = 22}};
	struct tcpt_conn at = v4("127.0.0.1", 1024, "127.0.0.1", 22);
	struct tcpt_conn below = v4("127.0.0.1", 1023, "127.0.0.1", 23);
	assert_int_equal(1, expr_passes(ge, 1, &at));
	assert_int_equal(0, expr_passes(ge, 1, &below));
	assert_int_equal(1, expr_passes(le, 1, &at));
	assert_int_equal(0, expr_passes(le, 1, &below));
}

static void expression_and_lists_combine_with_and(void **state)
{
	(void)state;
	struct tcpt_port_range lp[] = {{80, 80}, {443, 443}};
	struct tcpt_expr x[] = {{.op = TCPT_EXPR_NOT, .a = 1}, REMOTE_PORT(5000)};
	struct tcpt_filter f = {.local_ports = lp, .local_port_count = 2, .expr = x,
				.expr_count = 2};
	struct tcpt_conn rows[] = {v4("127.0.0.1", 80, "127.0.0.1", 5000),
				   v4("127.0.0.1", 443, "127.0.0.1", 5001),
				   v4("127.0.0.1", 22, "127.0.0.1", 5001)};
	int want[] = {0, 1, 0};
	for (size_t i = 0; i < 3; i++)
		assert_int_equal(want[i], tcpt_filter_match(&f, &rows[i]));
	assert_kernel_agrees(&f, rows, 3);
}

/* A random expression of up to MAX nodes in X (operands after their operator); returns the
 * count. */
static size_t random_expr(unsigned *seed, struct tcpt_expr *x, size_t max)
{
	static const char *addrs[] = {"127.0.0.1", "10.0.0.0", "::1", "2001:db8::", "::ffff:10.0.0.5"};
	size_t n = 1, next = 0;
	x[0] = (struct tcpt_expr){0};
	while (next < n) {
		struct tcpt_expr *node = &x[next];
		unsigned k = (unsigned)rand_r(seed) % 10;
		if (n + 2 > max && k < 3)
			k += 3;
		*node = (struct tcpt_expr){0};
		if (k < 3) {
			node->op = k == 0 ? TCPT_EXPR_AND : k == 1 ? TCPT_EXPR_OR : TCPT_EXPR_NOT;
			node->a = (uint32_t)n++;
			if (k < 2)
				node->b = (uint32_t)n++;
		} else if (k < 7) {
			node->op = k < 5 ? TCPT_EXPR_LOCAL : TCPT_EXPR_REMOTE;
			node->port = rand_r(seed) % 3 ? -1 : rand_r(seed) % 9000;
			if (rand_r(seed) % 4) {
				const char *a = addrs[(unsigned)rand_r(seed) % 5];
				unsigned bits = (unsigned)rand_r(seed) % (strchr(a, ':') ? 129 : 33);
				node->addr = prefix(a, bits);
			}
		} else {
			node->op = TCPT_EXPR_LOCAL_PORT_GE + (uint32_t)(k - 7 + (rand_r(seed) & 1));
			node->port = rand_r(seed) % 9000;
		}
		next++;
	}
	return n;
}

static void bytecode_of_random_expressions_agrees_with_user_space(void **state)
{
	(void)state;
	unsigned seed = 4242;
	struct tcpt_conn rows[300];
	for (size_t i = 0; i < 300; i++)
		rows[i] = random_row(&seed);
	for (int round = 0; round < 300; round++) {
		struct tcpt_expr x[40];
		size_t n = random_expr(&seed, x, 40);
		struct tcpt_filter f = {.expr = x, .expr_count = n};
		assert_int_equal(0, filter_validate(&f));
		assert_kernel_agrees(&f, rows, 300);
	}
}

static void malformed_expressions_are_rejected(void **state)
{
	(void)state;
	struct tcpt_expr self_loop[] = {{.op = TCPT_EXPR_NOT, .a = 0}};
	struct tcpt_expr backwards[] = {LOCAL_PORT(1), {.op = TCPT_EXPR_AND, .a = 0, .b = 0}};
	struct tcpt_expr out_of_range[] = {{.op = TCPT_EXPR_OR, .a = 1, .b = 2}, LOCAL_PORT(1)};
	struct tcpt_expr unknown_op[] = {{.op = 99}};
	struct tcpt_expr bad_port[] = {{.op = TCPT_EXPR_LOCAL, .port = 65536}};
	struct tcpt_expr bad_bound[] = {{.op = TCPT_EXPR_LOCAL_PORT_GE, .port = -1}};
	struct tcpt_expr any_family_with_bits[] = {{.op = TCPT_EXPR_LOCAL, .port = -1,
						    .addr = {.family = 0, .bits = 8}}};
	struct tcpt_expr stray_field[] = {{.op = TCPT_EXPR_LOCAL_PORT_LE, .a = 1, .port = 1}};
	struct {
		const struct tcpt_expr *x;
		size_t n;
	} bad[] = {{self_loop, 1}, {backwards, 2}, {out_of_range, 2}, {unknown_op, 1},
		   {bad_port, 1}, {bad_bound, 1}, {any_family_with_bits, 1}, {stray_field, 1},
		   {NULL, 1}, {self_loop, TCPT_EXPR_MAX_NODES + 1}};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct tcpt_filter f = {.expr = bad[i].x, .expr_count = bad[i].n};
		assert_int_equal(-EINVAL, filter_validate(&f));
	}
	struct tcpt_query q = {.filter = &(struct tcpt_filter){.expr = self_loop, .expr_count = 1}};
	struct tcpt_snapshot *snap = NULL;
	assert_int_equal(-EINVAL, tcpt_snapshot_take(&q, &snap));
	assert_null(snap);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(null_filter_passes_and_null_row_fails),
		cmocka_unit_test(port_lists_are_any_of_and_lists_combine_with_and),
		cmocka_unit_test(either_port_matches_local_or_remote),
		cmocka_unit_test(ipv4_prefix_matches_v4_mapped_addresses),
		cmocka_unit_test(prefix_bits_are_honoured_inside_a_byte),
		cmocka_unit_test(owner_lists_need_an_owner),
		cmocka_unit_test(uid_list_matches_the_socket_uid),
		cmocka_unit_test(malformed_filters_are_rejected),
		cmocka_unit_test(bytecode_accepts_exactly_what_the_filter_accepts),
		cmocka_unit_test(empty_filter_compiles_to_an_empty_program),
		cmocka_unit_test(too_many_terms_is_e2big),
		cmocka_unit_test(expression_and_or_not_combine_as_written),
		cmocka_unit_test(endpoint_checks_port_and_address_together),
		cmocka_unit_test(port_bounds_include_the_bound),
		cmocka_unit_test(expression_and_lists_combine_with_and),
		cmocka_unit_test(bytecode_of_random_expressions_agrees_with_user_space),
		cmocka_unit_test(malformed_expressions_are_rejected),
	};
	return cmocka_run_group_tests_name("filter", tests, NULL, NULL);
}
