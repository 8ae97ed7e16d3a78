/* Address:port text as people read it and as ss spells it. */
#include <arpa/inet.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "endpoint.h"

static struct tcpt_conn row_v4(const char *local, unsigned lport, const char *remote,
			       unsigned rport)
{
	struct tcpt_conn r = {.family = AF_INET, .local_port = (uint16_t)lport,
			      .remote_port = (uint16_t)rport};
	inet_pton(AF_INET, local, r.local_addr);
	inet_pton(AF_INET, remote, r.remote_addr);
	return r;
}

static struct tcpt_conn row_v6(const char *local, unsigned lport, const char *remote,
			       unsigned rport)
{
	struct tcpt_conn r = {.family = AF_INET6, .local_port = (uint16_t)lport,
			      .remote_port = (uint16_t)rport};
	inet_pton(AF_INET6, local, r.local_addr);
	inet_pton(AF_INET6, remote, r.remote_addr);
	return r;
}

static void assert_endpoint(const struct tcpt_conn *r, bool local, const char *expected)
{
	struct ifname_cache cache = {0};
	char out[ENDPOINT_MAX];
	size_t n = endpoint_format(r, local, &cache, out);
	ifnames_free(&cache);
	assert_string_equal(expected, out);
	assert_int_equal(strlen(expected), n);
}

static void ipv4_endpoint_is_address_colon_port(void **state)
{
	(void)state;
	struct tcpt_conn r = row_v4("127.0.0.1", 8080, "10.1.2.3", 65535);
	assert_endpoint(&r, true, "127.0.0.1:8080");
	assert_endpoint(&r, false, "10.1.2.3:65535");
}

static void zero_port_is_a_star(void **state)
{
	(void)state;
	struct tcpt_conn r = row_v4("0.0.0.0", 22, "0.0.0.0", 0);
	assert_endpoint(&r, false, "0.0.0.0:*");
	struct tcpt_conn r6 = row_v6("::", 22, "::", 0);
	assert_endpoint(&r6, false, "[::]:*");
}

static void ipv6_is_bracketed(void **state)
{
	(void)state;
	struct tcpt_conn r = row_v6("::1", 443, "2001:db8::1", 50000);
	assert_endpoint(&r, true, "[::1]:443");
	assert_endpoint(&r, false, "[2001:db8::1]:50000");
}

static void v4_mapped_keeps_its_prefix(void **state)
{
	(void)state;
	struct tcpt_conn r = row_v6("::ffff:127.0.0.1", 5556, "::ffff:127.0.0.1", 41194);
	assert_endpoint(&r, true, "[::ffff:127.0.0.1]:5556");
}

static void bound_interface_follows_the_local_address(void **state)
{
	(void)state;
	struct tcpt_conn r = row_v6("fe80::1", 22, "fe80::2", 40000);
	r.scope_id = 1; /* lo is interface 1 in every namespace */
	assert_endpoint(&r, true, "[fe80::1%lo]:22");
	assert_endpoint(&r, false, "[fe80::2]:40000");
	r.scope_id = 4000000;
	assert_endpoint(&r, true, "[fe80::1%4000000]:22");
}

static void computed_length_equals_formatted_length(void **state)
{
	(void)state;
	struct ifname_cache cache = {0};
	unsigned seed = 7;
	for (int i = 0; i < 20000; i++) {
		struct tcpt_conn r = {.family = (i % 7) ? AF_INET : AF_INET6};
		for (int b = 0; b < 16; b++) {
			r.local_addr[b] = (uint8_t)(rand_r(&seed) >> (b % 3 * 3));
			r.remote_addr[b] = (uint8_t)(rand_r(&seed) % (i % 4 ? 256 : 10));
		}
		if (r.family == AF_INET) {
			memset(r.local_addr + 4, 0, 12);
			memset(r.remote_addr + 4, 0, 12);
		}
		r.local_port = (uint16_t)(rand_r(&seed) >> (i % 16));
		r.remote_port = (uint16_t)(i % 5 ? rand_r(&seed) : 0);
		r.scope_id = i % 11 == 0 ? 1 : 0;
		char out[ENDPOINT_MAX];
		for (int local = 0; local < 2; local++)
			assert_int_equal(endpoint_format(&r, local, &cache, out),
					 endpoint_length(&r, local, &cache));
	}
	ifnames_free(&cache);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(ipv4_endpoint_is_address_colon_port),
		cmocka_unit_test(zero_port_is_a_star),
		cmocka_unit_test(ipv6_is_bracketed),
		cmocka_unit_test(v4_mapped_keeps_its_prefix),
		cmocka_unit_test(bound_interface_follows_the_local_address),
		cmocka_unit_test(computed_length_equals_formatted_length),
	};
	return cmocka_run_group_tests_name("endpoint", tests, NULL, NULL);
}
