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
			min_len += sizeof(*c) + (c->family == AF_INET ? 4 : 16);
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
	if (c->family != r->family) {
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
	};
	return cmocka_run_group_tests_name("filter", tests, NULL, NULL);
}
