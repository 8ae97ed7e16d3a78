/* test_udp_text.c - the UDP text sources on recorded kernel output: /proc/net/udp{,6} lines
 * decoded into rows (protocol, states, queues, the IPv4-mapped peer), and the UDP counters of
 * /proc/net/snmp and /proc/net/snmp6. Texts are parsed from heap buffers of exactly their
 * length, without a NUL, so that ASan reports any read past them. The recording's sockets
 * are in tests/fixtures/README.md. */
#include <arpa/inet.h>
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include <cmocka.h>

#include "fixture.h"
#include "procnet.h"
#include "stats.h"

/* Fixture NAME in a buffer of exactly its length. */
static char *exact_fixture(const char *name, size_t *ret_len)
{
	size_t len;
	char *text = fixture_read(name, &len);
	char *exact = malloc(len);
	memcpy(exact, text, len);
	free(text);
	*ret_len = len;
	return exact;
}

static void addr(int family, const char *text, uint8_t out[16])
{
	memset(out, 0, 16);
	assert_int_equal(1, inet_pton(family, text, out));
}

struct want {
	int family;
	const char *local;
	uint16_t lport;
	const char *remote;
	uint16_t rport;
	uint8_t state;
	uint32_t rqueue;
	uint64_t inode;
};

static void check_rows(const char *name, int family, const struct want *w, size_t n)
{
	size_t len;
	char *text = exact_fixture(name, &len);
	struct rowvec rows = {0};
	assert_int_equal(0, procnet_parse_text_proto(text, len, TCPT_PROTO_NUMBER_UDP, family,
						     TCPT_STATES_VALID, &rows));
	assert_int_equal(n, rows.count);
	for (size_t i = 0; i < n; i++) {
		const struct tcpt_conn *r = &rows.rows[i];
		uint8_t l[16], rm[16];
		addr(w[i].family, w[i].local, l);
		addr(w[i].family, w[i].remote, rm);
		assert_int_equal(TCPT_PROTO_NUMBER_UDP, r->protocol);
		assert_int_equal(w[i].family, r->family);
		assert_memory_equal(l, r->local_addr, 16);
		assert_int_equal(w[i].lport, r->local_port);
		assert_memory_equal(rm, r->remote_addr, 16);
		assert_int_equal(w[i].rport, r->remote_port);
		assert_int_equal(w[i].state, r->state);
		assert_int_equal(w[i].rqueue, r->rqueue);
		assert_int_equal(0, r->wqueue);
		assert_int_equal(w[i].inode, r->inode);
		assert_int_equal(0, r->uid);
		assert_int_equal(TCPT_TIMER_NONE, r->timer);
		assert_int_equal(0, r->timer_expires_ms);
		assert_int_equal(0, r->retransmits);
		assert_int_equal(0, r->cookie);
	}
	rowvec_free(&rows);
	free(text);
}

static void udp_lines_decode_into_rows(void **state)
{
	(void)state;
	static const struct want v4[] = {
		{AF_INET, "127.0.0.1", 5301, "0.0.0.0", 0, TCPT_CLOSE, 0x680, 16563506},
		{AF_INET, "127.0.0.1", 5302, "127.0.0.1", 5301, TCPT_ESTABLISHED, 0, 16563507},
	};
	check_rows("proc-net-udp.txt", AF_INET, v4, 2);
}

static void udp6_lines_decode_into_rows_with_the_mapped_peer(void **state)
{
	(void)state;
	static const struct want v6[] = {
		{AF_INET6, "::1", 5303, "::", 0, TCPT_CLOSE, 0x340, 16563509},
		{AF_INET6, "::", 5304, "::", 0, TCPT_CLOSE, 0, 16563510},
		{AF_INET6, "::ffff:127.0.0.1", 5305, "::ffff:127.0.0.1", 5301, TCPT_ESTABLISHED, 0,
		 16563511},
	};
	check_rows("proc-net-udp6.txt", AF_INET6, v6, 3);
}

/* The state mask selects unconnected (CLOSE) or connected (ESTABLISHED) sockets. */
static void udp_states_filter_unconnected_from_connected(void **state)
{
	(void)state;
	size_t len;
	char *text = exact_fixture("proc-net-udp6.txt", &len);
	struct rowvec rows = {0};
	assert_int_equal(0, procnet_parse_text_proto(text, len, TCPT_PROTO_NUMBER_UDP, AF_INET6,
						     TCPT_STATE_BIT(TCPT_CLOSE), &rows));
	assert_int_equal(2, rows.count);
	rows.count = 0;
	assert_int_equal(0, procnet_parse_text_proto(text, len, TCPT_PROTO_NUMBER_UDP, AF_INET6,
						     TCPT_STATE_BIT(TCPT_ESTABLISHED), &rows));
	assert_int_equal(1, rows.count);
	assert_int_equal(5305, rows.rows[0].local_port);
	rowvec_free(&rows);
	free(text);
}

static void unknown_protocols_and_families_are_refused(void **state)
{
	(void)state;
	static const char line[] = "   0: 0100007F:14B5 00000000:0000 07 00000000:00000000 00:00000000 "
				   "00000000     0        0 1 2 0000000000000000 0";
	struct tcpt_conn row;
	assert_int_equal(-EINVAL, procnet_parse_line_proto(line, sizeof(line) - 1, 0, AF_INET, &row));
	assert_int_equal(-EINVAL, procnet_parse_line_proto(line, sizeof(line) - 1, 132, AF_INET,
							   &row));
	assert_int_equal(-EINVAL, procnet_parse_line_proto(line, sizeof(line) - 1, 17, AF_UNIX,
							   &row));
	assert_int_equal(0, procnet_parse_line_proto(line, sizeof(line) - 1, 17, AF_INET, &row));
	assert_int_equal(TCPT_PROTO_NUMBER_UDP, row.protocol);
	/* the TCP entry point tags its rows as TCP */
	assert_int_equal(0, procnet_parse_line(line, sizeof(line) - 1, AF_INET, &row));
	assert_int_equal(TCPT_PROTO_NUMBER_TCP, row.protocol);
}

static void udp_counters_of_snmp_and_snmp6(void **state)
{
	(void)state;
	size_t len;
	char *snmp = exact_fixture("proc-net-snmp.txt", &len);
	struct tcpt_udp_stats s;
	assert_int_equal(0, stats_parse_udp(snmp, len, AF_INET, &s));
	assert_int_equal(3, s.in_datagrams);
	assert_int_equal(2, s.no_ports);
	assert_int_equal(0, s.in_errors);
	assert_int_equal(7, s.out_datagrams);
	assert_int_equal(0, s.mem_errors);
	/* snmp has no Udp6 lines */
	assert_int_equal(-ENOTSUP, stats_parse_udp(snmp, len, AF_INET6, &s));
	free(snmp);
	char *snmp6 = exact_fixture("proc-net-snmp6.txt", &len);
	assert_int_equal(0, stats_parse_udp(snmp6, len, AF_INET6, &s));
	assert_int_equal(6, s.in_datagrams);
	assert_int_equal(1, s.no_ports);
	assert_int_equal(8, s.out_datagrams);
	assert_int_equal(-ENOTSUP, stats_parse_udp(snmp6, len, AF_INET, &s));
	free(snmp6);
}

static void malformed_udp_counters_are_refused_and_leave_the_output(void **state)
{
	(void)state;
	static const char *const bad4[] = {
		"Udp: InDatagrams NoPorts InErrors OutDatagrams\n",              /* no values */
		"Udp: InDatagrams NoPorts InErrors OutDatagrams\nUdp: 1 2 3\n",   /* too few */
		"Udp: InDatagrams NoPorts InErrors OutDatagrams\nUdp: 1 2 3 4 5\n",
		"Udp: InDatagrams NoPorts InErrors OutDatagrams\nUdp: 1 2 x 4\n",
		"Udp: InDatagrams NoPorts InErrors\nUdp: 1 2 3\n",             /* OutDatagrams missing */
		"Udp: InDatagrams NoPorts InErrors OutDatagrams\nUdp: 1 2 3 99999999999999999999999\n",
	};
	struct tcpt_udp_stats s;
	memset(&s, 0xa5, sizeof(s));
	for (size_t i = 0; i < sizeof(bad4) / sizeof(*bad4); i++)
		assert_int_equal(-EBADMSG, stats_parse_udp(bad4[i], strlen(bad4[i]), AF_INET, &s));
	static const char bad6[] = "Udp6InDatagrams 1\nUdp6NoPorts -1\n";
	assert_int_equal(-EBADMSG, stats_parse_udp(bad6, strlen(bad6), AF_INET6, &s));
	static const char short6[] = "Udp6InDatagrams 1\nUdp6NoPorts 2\n";
	assert_int_equal(-EBADMSG, stats_parse_udp(short6, strlen(short6), AF_INET6, &s));
	assert_int_equal(-ENOTSUP, stats_parse_udp("Tcp: x\n", 7, AF_INET, &s));
	for (size_t i = 0; i < sizeof(s); i++)
		assert_int_equal(0xa5, ((unsigned char *)&s)[i]);
	static const char ok[] = "Udp: OutDatagrams InErrors NoPorts InDatagrams\nUdp: 4 3 2 1";
	assert_int_equal(0, stats_parse_udp(ok, strlen(ok), AF_INET, &s)); /* by name */
	assert_int_equal(1, s.in_datagrams);
	assert_int_equal(4, s.out_datagrams);
	assert_int_equal(0, s.ignored_multi); /* absent: 0 */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(udp_lines_decode_into_rows),
		cmocka_unit_test(udp6_lines_decode_into_rows_with_the_mapped_peer),
		cmocka_unit_test(udp_states_filter_unconnected_from_connected),
		cmocka_unit_test(unknown_protocols_and_families_are_refused),
		cmocka_unit_test(udp_counters_of_snmp_and_snmp6),
		cmocka_unit_test(malformed_udp_counters_are_refused_and_leave_the_output),
	};
	return cmocka_run_group_tests_name("unit udp text", tests, NULL, NULL);
}
