/* test_native.c - tcpt_stats_read() and tcpt_conn_destroy(): the parser on recorded text,
 * the request bytes, and both against a private network namespace. */
#include <arpa/inet.h>
#include <errno.h>
#include <linux/inet_diag.h>
#include <linux/netlink.h>
#include <linux/sock_diag.h>
#include <netinet/in.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>
#include <sys/socket.h>

#include <cmocka.h>

#include "destroy.h"
#include "stats.h"
#include "wsock.h"

static const char snmp[] =
	"Ip: Forwarding DefaultTTL\nIp: 1 64\n"
	"Tcp: RtoAlgorithm RtoMin RtoMax MaxConn ActiveOpens PassiveOpens AttemptFails "
	"EstabResets CurrEstab InSegs OutSegs RetransSegs InErrs OutRsts InCsumErrors\n"
	"Tcp: 1 200 120000 -1 5 6 7 8 9 8589934592 11 12 13 14 15\n"
	"Udp: InDatagrams\nUdp: 3\n";

static void stats_parser_reads_every_counter_by_name(void **state)
{
	(void)state;
	struct tcpt_stats s;
	assert_int_equal(0, stats_parse_snmp(snmp, sizeof(snmp) - 1, &s));
	assert_int_equal(1, s.rto_algorithm);
	assert_int_equal(200, s.rto_min_ms);
	assert_int_equal(120000, s.rto_max_ms);
	assert_int_equal(-1, s.max_conn);
	assert_int_equal(5, s.active_opens);
	assert_int_equal(6, s.passive_opens);
	assert_int_equal(7, s.attempt_fails);
	assert_int_equal(8, s.estab_resets);
	assert_int_equal(9, s.curr_estab);
	assert_int_equal(8589934592ULL, s.in_segs); /* 64 bits kept */
	assert_int_equal(11, s.out_segs);
	assert_int_equal(12, s.retrans_segs);
	assert_int_equal(13, s.in_errs);
	assert_int_equal(14, s.out_rsts);
	assert_int_equal(15, s.in_csum_errors);
}

static void stats_parser_tolerates_old_kernels_and_rejects_garbage(void **state)
{
	(void)state;
	static const char old[] =
		"Tcp: RtoAlgorithm RtoMin RtoMax MaxConn ActiveOpens PassiveOpens AttemptFails "
		"EstabResets CurrEstab InSegs OutSegs RetransSegs InErrs OutRsts\n"
		"Tcp: 1 200 120000 -1 1 2 3 4 5 6 7 8 9 10"; /* no InCsumErrors, no final newline */
	static const char bad[] = "Tcp: RtoAlgorithm RtoMin\nTcp: 1 x\n";
	static const char short_values[] = "Tcp: RtoAlgorithm RtoMin\nTcp: 1\n";
	static const char missing[] = "Tcp: RtoAlgorithm\nTcp: 1\n";
	static const char none[] = "Ip: a\nIp: 1\n";
	struct tcpt_stats s, keep;
	memset(&keep, 0x77, sizeof(keep));
	assert_int_equal(0, stats_parse_snmp(old, sizeof(old) - 1, &s));
	assert_int_equal(10, s.out_rsts);
	assert_int_equal(0, s.in_csum_errors);
	s = keep;
	assert_int_equal(-EBADMSG, stats_parse_snmp(bad, sizeof(bad) - 1, &s));
	assert_int_equal(-EBADMSG, stats_parse_snmp(short_values, sizeof(short_values) - 1, &s));
	assert_int_equal(-EBADMSG, stats_parse_snmp(missing, sizeof(missing) - 1, &s));
	assert_int_equal(-ENOTSUP, stats_parse_snmp(none, sizeof(none) - 1, &s));
	assert_memory_equal(&keep, &s, sizeof(s)); /* untouched on failure */
	assert_int_equal(-EINVAL, tcpt_stats_read(NULL));
}

static void destroy_request_names_the_socket_exactly(void **state)
{
	(void)state;
	struct tcpt_conn row;
	memset(&row, 0, sizeof(row));
	row.family = AF_INET6;
	row.local_port = 0x1234;
	row.remote_port = 80;
	inet_pton(AF_INET6, "fe80::1", row.local_addr);
	inet_pton(AF_INET6, "fe80::2", row.remote_addr);
	row.scope_id = 3;
	row.cookie = 0x1122334455667788ULL;
	unsigned char buf[DESTROY_REQ_SIZE];
	int len = destroy_build_request(&row, 42, buf);
	assert_int_equal(NLMSG_LENGTH(sizeof(struct inet_diag_req_v2)), len);
	const struct nlmsghdr *nlh = (const void *)buf;
	assert_int_equal(SOCK_DESTROY, nlh->nlmsg_type);
	assert_int_equal(NLM_F_REQUEST | NLM_F_ACK, nlh->nlmsg_flags);
	assert_int_equal(42, nlh->nlmsg_seq);
	const struct inet_diag_req_v2 *req = NLMSG_DATA(nlh);
	assert_int_equal(AF_INET6, req->sdiag_family);
	assert_int_equal(IPPROTO_TCP, req->sdiag_protocol);
	assert_int_equal(htons(0x1234), req->id.idiag_sport);
	assert_int_equal(htons(80), req->id.idiag_dport);
	assert_memory_equal(row.local_addr, req->id.idiag_src, 16);
	assert_memory_equal(row.remote_addr, req->id.idiag_dst, 16);
	assert_int_equal(3, req->id.idiag_if);
	assert_int_equal(0x55667788, req->id.idiag_cookie[0]);
	assert_int_equal(0x11223344, req->id.idiag_cookie[1]);
	row.cookie = 0;
	destroy_build_request(&row, 1, buf);
	assert_int_equal(INET_DIAG_NOCOOKIE, req->id.idiag_cookie[0]);
	assert_int_equal(INET_DIAG_NOCOOKIE, req->id.idiag_cookie[1]);
	row.family = 1;
	assert_int_equal(-EINVAL, destroy_build_request(&row, 1, buf));
	assert_int_equal(-EINVAL, tcpt_conn_destroy(&row));
	assert_int_equal(-EINVAL, tcpt_conn_destroy(NULL));
	assert_int_equal(ENOENT, destroy_map_error(ESTALE));
}

static int setup(void **state)
{
	(void)state;
	wsock_fresh_netns();
	return 0;
}

/* The row of the client side of a pair, as the snapshot reports it. */
static struct tcpt_conn find_row(uint16_t local_port)
{
	struct tcpt_query q = { .states = TCPT_STATE_BIT(TCPT_ESTABLISHED) };
	struct tcpt_snapshot *snap;
	assert_int_equal(0, tcpt_snapshot_take(&q, &snap));
	const struct tcpt_conn *rows = tcpt_snapshot_rows(snap);
	for (size_t i = 0; i < tcpt_snapshot_count(snap); i++) {
		if (rows[i].local_port == local_port) {
			struct tcpt_conn c = rows[i];
			c.owners = NULL;
			c.owner_count = 0;
			tcpt_snapshot_free(snap);
			return c;
		}
	}
	fail_msg("no row for port %u", local_port);
	return (struct tcpt_conn){ 0 };
}

static void destroy_aborts_a_live_connection_ipv4_and_ipv6(void **state)
{
	(void)state;
	static const char *const addrs[] = { "127.0.0.1", "::1" };
	for (int i = 0; i < 2; i++) {
		uint16_t lport, cport;
		int c, s, l = wsock_listen(addrs[i], 0, &lport);
		wsock_pair(l, addrs[i], lport, &c, &s, &cport);
		struct tcpt_conn row = find_row(cport);
		struct tcpt_conn stale = row;
		stale.cookie ^= 1; /* another socket's cookie: not this one */
		if (row.cookie)
			assert_int_equal(-ENOENT, tcpt_conn_destroy(&stale));
		assert_int_equal(0, tcpt_conn_destroy(&row));
		assert_int_equal(ECONNABORTED, wsock_wait_error(c));
		assert_int_equal(-ENOENT, tcpt_conn_destroy(&row));
		wsock_close(c);
		wsock_close(s);
		wsock_close(l);
	}
}

static void destroy_without_net_admin_is_eperm(void **state)
{
	(void)state;
	uint16_t lport, cport;
	int c, s, l = wsock_listen("127.0.0.1", 0, &lport);
	wsock_pair(l, "127.0.0.1", lport, &c, &s, &cport);
	struct tcpt_conn row = find_row(cport);
	wsock_drop_net_admin(); /* this thread only; the test ends with it */
	assert_int_equal(-EPERM, tcpt_conn_destroy(&row));
	wsock_close(c);
	wsock_close(s);
	wsock_close(l);
}

static void stats_read_matches_a_fresh_namespace(void **state)
{
	(void)state;
	struct tcpt_stats s;
	assert_int_equal(0, tcpt_stats_read(&s));
	assert_int_equal(0, s.active_opens);
	assert_int_equal(0, s.curr_estab);
	uint16_t port;
	int c, sv, l = wsock_listen("127.0.0.1", 0, &port);
	wsock_pair(l, "127.0.0.1", port, &c, &sv, NULL);
	assert_int_equal(0, tcpt_stats_read(&s));
	assert_int_equal(1, s.active_opens);
	assert_int_equal(1, s.passive_opens);
	assert_int_equal(2, s.curr_estab);
	assert_int_equal(-1, s.max_conn);
	wsock_close(c);
	wsock_close(sv);
	wsock_close(l);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(stats_parser_reads_every_counter_by_name),
		cmocka_unit_test(stats_parser_tolerates_old_kernels_and_rejects_garbage),
		cmocka_unit_test(destroy_request_names_the_socket_exactly),
		cmocka_unit_test_setup(destroy_aborts_a_live_connection_ipv4_and_ipv6, setup),
		cmocka_unit_test_setup(stats_read_matches_a_fresh_namespace, setup),
		/* last: it drops a capability for good */
		cmocka_unit_test_setup(destroy_without_net_admin_is_eperm, setup),
	};
	return cmocka_run_group_tests_name("win32 native", tests, wsock_group_setup, NULL);
}
