/* test_rowvec.c - the row array: growth, clearing, deduplication, address order. */
#include <arpa/inet.h>
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include <cmocka.h>

#include "fixture.h"
#include "rowvec.h"

static struct tcpt_conn conn(int family, const char *laddr, unsigned lport, const char *raddr,
			     unsigned rport)
{
	struct tcpt_conn c = {0};
	c.family = (uint8_t)family;
	assert_int_equal(1, inet_pton(family, laddr, c.local_addr));
	assert_int_equal(1, inet_pton(family, raddr, c.remote_addr));
	c.local_port = (uint16_t)lport;
	c.remote_port = (uint16_t)rport;
	c.state = TCPT_ESTABLISHED;
	return c;
}

static void push(struct rowvec *v, struct tcpt_conn c)
{
	struct tcpt_conn *row;
	assert_int_equal(0, rowvec_push(v, &row));
	*row = c;
}

/* ---- growth ------------------------------------------------------------------------------ */

static void rowvec_push_gives_zeroed_rows_and_keeps_earlier_ones(void **state)
{
	(void)state;
	struct rowvec v = {0};
	for (unsigned i = 0; i < 5000; i++) {
		struct tcpt_conn *row;
		assert_int_equal(0, rowvec_push(&v, &row));
		struct tcpt_conn zero = {0};
		assert_memory_equal(&zero, row, sizeof(zero));
		row->inode = i + 1;
		assert_int_equal(i + 1, v.count);
		assert_true(v.cap >= v.count);
	}
	for (unsigned i = 0; i < 5000; i++)
		assert_int_equal(i + 1, v.rows[i].inode);
	rowvec_free(&v);
	assert_null(v.rows);
	assert_int_equal(0, v.count);
	assert_int_equal(0, v.cap);
}

static void rowvec_reserve_makes_pushes_up_to_n_not_reallocate(void **state)
{
	(void)state;
	struct rowvec v = {0};
	assert_int_equal(0, rowvec_reserve(&v, 1000));
	assert_true(v.cap >= 1000);
	struct tcpt_conn *first = v.rows;
	for (int i = 0; i < 1000; i++)
		push(&v, (struct tcpt_conn){.inode = 7});
	assert_ptr_equal(first, v.rows);
	assert_int_equal(0, rowvec_reserve(&v, 10)); /* smaller: no change */
	assert_ptr_equal(first, v.rows);
	assert_int_equal(1000, v.count);
	rowvec_free(&v);
}

static void rowvec_reserve_impossible_size_is_enomem_and_unchanged(void **state)
{
	(void)state;
	struct rowvec v = {0};
	push(&v, (struct tcpt_conn){.inode = 42});
	struct rowvec before = v;
	assert_int_equal(-ENOMEM, rowvec_reserve(&v, SIZE_MAX));
	assert_int_equal(-ENOMEM, rowvec_reserve(&v, SIZE_MAX / sizeof(struct tcpt_conn) + 1));
	assert_memory_equal(&before, &v, sizeof(v));
	assert_int_equal(42, v.rows[0].inode);
	rowvec_free(&v);
}

static void rowvec_clear_forgets_rows_but_keeps_memory(void **state)
{
	(void)state;
	struct rowvec v = {0};
	for (int i = 0; i < 10; i++)
		push(&v, (struct tcpt_conn){.inode = 1});
	struct tcpt_conn *mem = v.rows;
	size_t cap = v.cap;
	rowvec_clear(&v);
	assert_int_equal(0, v.count);
	assert_ptr_equal(mem, v.rows);
	assert_int_equal(cap, v.cap);
	push(&v, (struct tcpt_conn){.inode = 2});
	assert_int_equal(1, v.count);
	assert_int_equal(2, v.rows[0].inode);
	rowvec_free(&v);
}

static void rowvec_free_allows_reuse(void **state)
{
	(void)state;
	struct rowvec v = {0};
	push(&v, (struct tcpt_conn){.inode = 1});
	rowvec_free(&v);
	rowvec_free(&v); /* twice is harmless */
	push(&v, (struct tcpt_conn){.inode = 3});
	assert_int_equal(1, v.count);
	rowvec_free(&v);
}

/* ---- dedupe ------------------------------------------------------------------------------ */

static void rowvec_dedupe_same_cookie_keeps_later_fields_in_first_position(void **state)
{
	(void)state;
	struct rowvec v = {0};
	struct tcpt_conn a = conn(AF_INET, "10.0.0.1", 80, "10.0.0.2", 5000);
	a.cookie = 11;
	a.state = TCPT_ESTABLISHED;
	a.rqueue = 1;
	struct tcpt_conn b = conn(AF_INET, "10.0.0.1", 81, "10.0.0.2", 5001);
	b.cookie = 22;
	struct tcpt_conn a2 = a;
	a2.state = TCPT_FIN_WAIT1; /* the same socket seen later in the walk */
	a2.rqueue = 99;
	push(&v, a);
	push(&v, b);
	push(&v, a2);
	assert_int_equal(0, rowvec_dedupe(&v));
	assert_int_equal(2, v.count);
	assert_conn_equal(&a2, &v.rows[0], "first position, newest fields");
	assert_conn_equal(&b, &v.rows[1], "distinct socket");
	rowvec_free(&v);
}

static void rowvec_dedupe_cookie_wins_over_differing_addresses(void **state)
{
	(void)state;
	/* a cookie identifies the socket even if the tuple changed (e.g. connect after bind) */
	struct rowvec v = {0};
	struct tcpt_conn a = conn(AF_INET, "127.0.0.1", 4000, "0.0.0.0", 0);
	a.cookie = 5;
	struct tcpt_conn a2 = conn(AF_INET, "127.0.0.1", 4000, "127.0.0.1", 80);
	a2.cookie = 5;
	push(&v, a);
	push(&v, a2);
	assert_int_equal(0, rowvec_dedupe(&v));
	assert_int_equal(1, v.count);
	assert_conn_equal(&a2, &v.rows[0], "kept");
	rowvec_free(&v);
}

static void rowvec_dedupe_without_cookie_uses_family_addresses_ports_inode(void **state)
{
	(void)state;
	struct rowvec v = {0};
	struct tcpt_conn base = conn(AF_INET, "192.168.1.1", 22, "192.168.1.9", 50000);
	base.inode = 1234;
	struct tcpt_conn other_inode = base;
	other_inode.inode = 1235;
	struct tcpt_conn other_lport = base;
	other_lport.local_port = 23;
	struct tcpt_conn other_rport = base;
	other_rport.remote_port = 50001;
	struct tcpt_conn other_raddr = conn(AF_INET, "192.168.1.1", 22, "192.168.1.8", 50000);
	other_raddr.inode = 1234;
	struct tcpt_conn other_family = conn(AF_INET6, "::ffff:192.168.1.1", 22,
					     "::ffff:192.168.1.9", 50000);
	other_family.inode = 1234;
	struct tcpt_conn dup = base;
	dup.rqueue = 77; /* same socket, newer fields */
	dup.state = TCPT_CLOSE_WAIT;
	push(&v, base);
	push(&v, other_inode);
	push(&v, other_lport);
	push(&v, other_rport);
	push(&v, other_raddr);
	push(&v, other_family);
	push(&v, dup);
	assert_int_equal(0, rowvec_dedupe(&v));
	assert_int_equal(6, v.count);
	assert_conn_equal(&dup, &v.rows[0], "deduped, first position");
	assert_conn_equal(&other_inode, &v.rows[1], "inode differs");
	assert_conn_equal(&other_lport, &v.rows[2], "local port differs");
	assert_conn_equal(&other_rport, &v.rows[3], "remote port differs");
	assert_conn_equal(&other_raddr, &v.rows[4], "remote address differs");
	assert_conn_equal(&other_family, &v.rows[5], "family differs");
	rowvec_free(&v);
}

static void rowvec_dedupe_time_wait_rows_without_inode_stay_distinct_by_tuple(void **state)
{
	(void)state;
	struct rowvec v = {0};
	for (unsigned p = 0; p < 100; p++) {
		struct tcpt_conn tw = conn(AF_INET, "10.1.1.1", 80, "10.1.1.2", 30000 + p);
		tw.state = TCPT_TIME_WAIT;
		push(&v, tw);
	}
	assert_int_equal(0, rowvec_dedupe(&v));
	assert_int_equal(100, v.count);
	for (unsigned p = 0; p < 100; p++)
		assert_int_equal(30000 + p, v.rows[p].remote_port);
	rowvec_free(&v);
}

static void rowvec_dedupe_recorded_dump_twice_gives_it_once_in_order(void **state)
{
	(void)state;
	size_t n;
	struct expected_row *e = expected_rows("diag-compat", &n);
	struct rowvec v = {0};
	for (int round = 0; round < 3; round++)
		for (size_t i = 0; i < n; i++)
			push(&v, e[i].row);
	assert_int_equal(0, rowvec_dedupe(&v));
	assert_int_equal(n, v.count);
	for (size_t i = 0; i < n; i++)
		assert_conn_equal(&e[i].row, &v.rows[i], e[i].id);
	rowvec_free(&v);
	free(e);
}

static void rowvec_dedupe_many_rows_keeps_all_distinct(void **state)
{
	(void)state;
	struct rowvec v = {0};
	for (uint64_t i = 1; i <= 100000; i++)
		push(&v, (struct tcpt_conn){.family = AF_INET, .cookie = i * 0x100000000ull});
	for (uint64_t i = 1; i <= 100000; i += 2)
		push(&v, (struct tcpt_conn){.family = AF_INET, .cookie = i * 0x100000000ull, .rqueue = 1});
	assert_int_equal(0, rowvec_dedupe(&v));
	assert_int_equal(100000, v.count);
	for (uint64_t i = 1; i <= 100000; i++) {
		assert_int_equal(i * 0x100000000ull, v.rows[i - 1].cookie);
		assert_int_equal(i % 2, v.rows[i - 1].rqueue);
	}
	rowvec_free(&v);
}

static void rowvec_dedupe_empty_and_single_are_unchanged(void **state)
{
	(void)state;
	struct rowvec v = {0};
	assert_int_equal(0, rowvec_dedupe(&v));
	assert_int_equal(0, v.count);
	push(&v, (struct tcpt_conn){.cookie = 3});
	assert_int_equal(0, rowvec_dedupe(&v));
	assert_int_equal(1, v.count);
	rowvec_free(&v);
}

/* ---- address order ----------------------------------------------------------------------- */

static int sign(int x)
{
	return (x > 0) - (x < 0);
}

static void assert_less(const struct tcpt_conn *a, const struct tcpt_conn *b)
{
	assert_int_equal(-1, sign(tcpt_conn_compare_address(a, b)));
	assert_int_equal(1, sign(tcpt_conn_compare_address(b, a)));
}

static void compare_address_is_numeric_not_lexicographic(void **state)
{
	(void)state;
	struct tcpt_conn a = conn(AF_INET, "10.0.0.2", 1, "0.0.0.0", 0);
	struct tcpt_conn b = conn(AF_INET, "10.0.0.10", 1, "0.0.0.0", 0);
	assert_less(&a, &b);
	struct tcpt_conn c = conn(AF_INET, "9.255.255.255", 1, "0.0.0.0", 0);
	assert_less(&c, &a);
	struct tcpt_conn d = conn(AF_INET6, "2001:db8::9", 1, "::", 0);
	struct tcpt_conn e = conn(AF_INET6, "2001:db8::10", 1, "::", 0);
	assert_less(&d, &e);
}

static void compare_address_ports_are_numeric(void **state)
{
	(void)state;
	struct tcpt_conn p80 = conn(AF_INET, "10.0.0.1", 80, "0.0.0.0", 0);
	struct tcpt_conn p443 = conn(AF_INET, "10.0.0.1", 443, "0.0.0.0", 0);
	struct tcpt_conn p8080 = conn(AF_INET, "10.0.0.1", 8080, "0.0.0.0", 0);
	struct tcpt_conn p65535 = conn(AF_INET, "10.0.0.1", 65535, "0.0.0.0", 0);
	assert_less(&p80, &p443);
	assert_less(&p443, &p8080);
	assert_less(&p80, &p8080);
	assert_less(&p8080, &p65535);
	/* local port before remote address */
	struct tcpt_conn r1 = conn(AF_INET, "10.0.0.1", 80, "10.9.9.9", 1);
	struct tcpt_conn r2 = conn(AF_INET, "10.0.0.1", 81, "10.0.0.1", 1);
	assert_less(&r1, &r2);
	/* remote address before remote port */
	struct tcpt_conn s1 = conn(AF_INET, "10.0.0.1", 80, "10.0.0.2", 9000);
	struct tcpt_conn s2 = conn(AF_INET, "10.0.0.10", 80, "10.0.0.1", 1);
	assert_less(&s1, &s2);
	struct tcpt_conn t1 = conn(AF_INET, "10.0.0.1", 80, "10.0.0.2", 9000);
	struct tcpt_conn t2 = conn(AF_INET, "10.0.0.1", 80, "10.0.0.10", 1);
	assert_less(&t1, &t2);
	struct tcpt_conn u1 = conn(AF_INET, "10.0.0.1", 80, "10.0.0.2", 999);
	struct tcpt_conn u2 = conn(AF_INET, "10.0.0.1", 80, "10.0.0.2", 1000);
	assert_less(&u1, &u2);
}

static void compare_address_ipv4_sorts_before_ipv6(void **state)
{
	(void)state;
	struct tcpt_conn v4 = conn(AF_INET, "255.255.255.255", 65535, "255.255.255.255", 65535);
	struct tcpt_conn v6 = conn(AF_INET6, "::", 0, "::", 0);
	struct tcpt_conn mapped = conn(AF_INET6, "::ffff:0.0.0.1", 1, "::", 0);
	assert_less(&v4, &v6);
	assert_less(&v4, &mapped);
	assert_less(&v6, &mapped);
}

static void compare_address_equal_rows_are_zero_and_ties_are_total(void **state)
{
	(void)state;
	struct tcpt_conn a = conn(AF_INET, "10.0.0.1", 80, "10.0.0.2", 1);
	struct tcpt_conn b = a;
	assert_int_equal(0, tcpt_conn_compare_address(&a, &b));
	b.inode = 5; /* same tuple, different socket (e.g. SO_REUSEPORT listeners) */
	assert_less(&a, &b);
	struct tcpt_conn c = b;
	c.cookie = 9;
	assert_less(&b, &c);
}

/* Antisymmetric and transitive over every pair/triple of the recorded rows and some
 * hand-made ones. */
static void compare_address_is_a_total_order_on_recorded_rows(void **state)
{
	(void)state;
	size_t n;
	struct expected_row *e = expected_rows("diag-compat", &n);
	for (size_t i = 0; i < n; i++) {
		assert_int_equal(0, tcpt_conn_compare_address(&e[i].row, &e[i].row));
		for (size_t j = 0; j < n; j++) {
			int ij = sign(tcpt_conn_compare_address(&e[i].row, &e[j].row));
			int ji = sign(tcpt_conn_compare_address(&e[j].row, &e[i].row));
			assert_int_equal(ij, -ji);
			if (i != j)
				assert_int_not_equal(0, ij); /* distinct sockets never tie */
			for (size_t k = 0; k < n; k++) {
				int jk = sign(tcpt_conn_compare_address(&e[j].row, &e[k].row));
				int ik = sign(tcpt_conn_compare_address(&e[i].row, &e[k].row));
				if (ij < 0 && jk < 0)
					assert_int_equal(-1, ik);
			}
		}
	}
	free(e);
}

static void rowvec_sort_by_address_orders_recorded_rows(void **state)
{
	(void)state;
	size_t n;
	struct expected_row *e = expected_rows("diag-compat", &n);
	struct rowvec v = {0};
	for (size_t i = n; i-- > 0;)
		push(&v, e[i].row);
	rowvec_sort_by_address(&v);
	assert_int_equal(n, v.count);
	for (size_t i = 1; i < n; i++)
		assert_true(tcpt_conn_compare_address(&v.rows[i - 1], &v.rows[i]) < 0);
	/* IPv4 first; among them 0.0.0.0:40014 first, then 127.0.0.1:40001 */
	assert_int_equal(AF_INET, v.rows[0].family);
	assert_int_equal(40014, v.rows[0].local_port);
	assert_int_equal(40001, v.rows[1].local_port);
	assert_int_equal(AF_INET6, v.rows[n - 1].family);
	/* every row is still there */
	for (size_t i = 0; i < n; i++) {
		bool found = false;
		for (size_t j = 0; j < n && !found; j++)
			found = v.rows[j].cookie == e[i].row.cookie;
		assert_true(found);
	}
	rowvec_free(&v);
	free(e);
}

static void rowvec_sort_by_address_small_example(void **state)
{
	(void)state;
	struct rowvec v = {0};
	push(&v, conn(AF_INET6, "::1", 22, "::", 0));
	push(&v, conn(AF_INET, "10.0.0.10", 80, "0.0.0.0", 0));
	push(&v, conn(AF_INET, "10.0.0.2", 8080, "0.0.0.0", 0));
	push(&v, conn(AF_INET, "10.0.0.2", 443, "0.0.0.0", 0));
	push(&v, conn(AF_INET, "10.0.0.2", 80, "0.0.0.0", 0));
	rowvec_sort_by_address(&v);
	static const unsigned ports[] = {80, 443, 8080, 80, 22};
	for (size_t i = 0; i < 5; i++)
		assert_int_equal(ports[i], v.rows[i].local_port);
	assert_int_equal(10, v.rows[3].local_addr[3]);
	assert_int_equal(AF_INET6, v.rows[4].family);
	rowvec_free(&v);
	/* empty and single vectors are fine */
	rowvec_sort_by_address(&v);
	push(&v, conn(AF_INET, "1.2.3.4", 1, "0.0.0.0", 0));
	rowvec_sort_by_address(&v);
	assert_int_equal(1, v.count);
	rowvec_free(&v);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(rowvec_push_gives_zeroed_rows_and_keeps_earlier_ones),
		cmocka_unit_test(rowvec_reserve_makes_pushes_up_to_n_not_reallocate),
		cmocka_unit_test(rowvec_reserve_impossible_size_is_enomem_and_unchanged),
		cmocka_unit_test(rowvec_clear_forgets_rows_but_keeps_memory),
		cmocka_unit_test(rowvec_free_allows_reuse),
		cmocka_unit_test(rowvec_dedupe_same_cookie_keeps_later_fields_in_first_position),
		cmocka_unit_test(rowvec_dedupe_cookie_wins_over_differing_addresses),
		cmocka_unit_test(rowvec_dedupe_without_cookie_uses_family_addresses_ports_inode),
		cmocka_unit_test(rowvec_dedupe_time_wait_rows_without_inode_stay_distinct_by_tuple),
		cmocka_unit_test(rowvec_dedupe_recorded_dump_twice_gives_it_once_in_order),
		cmocka_unit_test(rowvec_dedupe_many_rows_keeps_all_distinct),
		cmocka_unit_test(rowvec_dedupe_empty_and_single_are_unchanged),
		cmocka_unit_test(compare_address_is_numeric_not_lexicographic),
		cmocka_unit_test(compare_address_ports_are_numeric),
		cmocka_unit_test(compare_address_ipv4_sorts_before_ipv6),
		cmocka_unit_test(compare_address_equal_rows_are_zero_and_ties_are_total),
		cmocka_unit_test(compare_address_is_a_total_order_on_recorded_rows),
		cmocka_unit_test(rowvec_sort_by_address_orders_recorded_rows),
		cmocka_unit_test(rowvec_sort_by_address_small_example),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
