/* The exporter's pieces without a network: Accept negotiation, flags and durations, the
 * top-K cut, the exposition's escaping and naming, the web config, bcrypt checking. */
#include <errno.h>
#include <setjmp.h>
#include <stdbool.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <crypt.h>

#include <arpa/inet.h>
#include <sys/socket.h>

#include "accept.h"
#include "aggregate.h"
#include "auth.h"
#include "expo.h"
#include "metrics.h"
#include "options.h"
#include "series.h"
#include "webconfig.h"

static void accept_prefers_openmetrics_as_prometheus_asks(void **state)
{
	(void)state;
	assert_int_equal(EXPO_OPENMETRICS,
			 accept_format("application/openmetrics-text;version=1.0.0,"
				       "application/openmetrics-text;version=0.0.1;q=0.75,"
				       "text/plain;version=0.0.4;q=0.5,*/*;q=0.1"));
	assert_int_equal(EXPO_OPENMETRICS, accept_format("Application/OpenMetrics-Text"));
}

static void accept_defaults_to_text(void **state)
{
	(void)state;
	assert_int_equal(EXPO_TEXT, accept_format(NULL));
	assert_int_equal(EXPO_TEXT, accept_format(""));
	assert_int_equal(EXPO_TEXT, accept_format("*/*"));
	assert_int_equal(EXPO_TEXT, accept_format("text/plain"));
	assert_int_equal(EXPO_TEXT, accept_format("application/openmetrics-text;q=0"));
	assert_int_equal(EXPO_TEXT,
			 accept_format("application/openmetrics-text;q=0.2, text/plain;q=0.9"));
	assert_int_equal(EXPO_TEXT, accept_format("application/openmetrics-textx"));
}

static void durations_in_prometheus_spelling(void **state)
{
	(void)state;
	assert_int_equal(0, options_duration("0"));
	assert_int_equal(500000000, options_duration("500ms"));
	assert_int_equal(2000000000, options_duration("2s"));
	assert_int_equal(INT64_C(120000000000), options_duration("2m"));
	assert_int_equal(INT64_C(3600000000000), options_duration("1h"));
	assert_int_equal(-1, options_duration("2"));
	assert_int_equal(-1, options_duration("-1s"));
	assert_int_equal(-1, options_duration("1d"));
	assert_int_equal(-1, options_duration("s"));
	assert_int_equal(-1, options_duration("99999999999999999999h"));
}

static int parse(struct options *o, char *err, size_t size, ...)
{
	char *argv[16] = { "tcptable-exporter" };
	int argc = 1;
	va_list ap;
	va_start(ap, size);
	for (char *a; argc < 15 && (a = va_arg(ap, char *));)
		argv[argc++] = a;
	va_end(ap);
	return options_parse(argc, argv, o, err, size);
}

static void flags_take_both_spellings_and_defaults(void **state)
{
	(void)state;
	struct options o;
	char err[256];
	assert_int_equal(0, parse(&o, err, sizeof(err), NULL));
	assert_string_equal(":10120", o.listen_address);
	assert_string_equal("/metrics", o.telemetry_path);
	assert_true(o.processes);
	assert_true(o.udp);
	assert_int_equal(100, o.top_k);
	assert_int_equal(1000000000, o.min_interval_ns);
	assert_int_equal(0, parse(&o, err, sizeof(err), "--web.listen-address", "[::1]:9",
				  "--metrics.top-k=5", "--no-collector.processes", "--netns=a",
				  "--netns", "b", "--web.timeout=3s", "--log.level=debug", NULL));
	assert_string_equal("[::1]:9", o.listen_address);
	assert_int_equal(5, o.top_k);
	assert_false(o.processes);
	assert_true(o.udp);
	assert_int_equal(2, o.netns_count);
	assert_string_equal("b", o.netns[1]);
	assert_int_equal(3, o.timeout_s);
}

static void udp_collector_flag_both_ways(void **state)
{
	(void)state;
	struct options o;
	char err[256];
	assert_int_equal(0, parse(&o, err, sizeof(err), "--no-collector.udp", NULL));
	assert_false(o.udp);
	assert_true(o.processes);
	assert_int_equal(0, parse(&o, err, sizeof(err), "--no-collector.udp", "--collector.udp",
				  NULL));
	assert_true(o.udp);
	assert_int_equal(-EINVAL, parse(&o, err, sizeof(err), "--no-collector.udp=1", NULL));
}

static void bad_flags_are_named(void **state)
{
	(void)state;
	struct options o;
	char err[256];
	assert_int_equal(-EINVAL, parse(&o, err, sizeof(err), "--bogus", NULL));
	assert_non_null(strstr(err, "--bogus"));
	assert_int_equal(-EINVAL, parse(&o, err, sizeof(err), "--metrics.top-k=0", NULL));
	assert_int_equal(-EINVAL, parse(&o, err, sizeof(err), "--web.timeout=500ms", NULL));
	assert_int_equal(-EINVAL, parse(&o, err, sizeof(err), "--web.threads", NULL));
	assert_non_null(strstr(err, "needs a value"));
	assert_int_equal(-EINVAL, parse(&o, err, sizeof(err), "--all-netns=yes", NULL));
	assert_int_equal(-EINVAL, parse(&o, err, sizeof(err), "--log.format=json", NULL));
	assert_int_equal(-EINVAL, parse(&o, err, sizeof(err), "positional", NULL));
}

static struct series *add(struct series_map *m, uint32_t ns, const char *name, uint64_t v)
{
	struct series_key k;
	memset(&k, 0, sizeof(k));
	k.ns = ns;
	snprintf(k.name, sizeof(k.name), "%s", name);
	struct series *s = series_get(m, &k);
	assert_non_null(s);
	s->values[1] += v;
	return s;
}

static void top_k_keeps_the_largest_and_folds_the_rest_per_namespace(void **state)
{
	(void)state;
	struct series_map m = {0};
	add(&m, 0, "big", 50);
	add(&m, 0, "small", 1);
	add(&m, 0, "tiny", 1);
	add(&m, 1, "mid", 10);
	add(&m, 1, "low", 2);
	add(&m, 0, "big", 5); /* the same series again */
	assert_int_equal(5, m.count);
	assert_int_equal(3, series_top_k(&m, 2, -1));
	assert_int_equal(2 + 2, m.count); /* big, mid; an other bucket for each namespace */
	uint64_t total = 0, other0 = 0, other1 = 0;
	for (size_t i = 0; i < m.count; i++) {
		const struct series *s = &m.items[i];
		total += s->values[1];
		if (s->key.other)
			*(s->key.ns ? &other1 : &other0) = s->values[1];
		else
			assert_true(strcmp(s->key.name, "big") == 0 || strcmp(s->key.name, "mid") == 0);
	}
	assert_int_equal(69, total);
	assert_int_equal(2, other0);
	assert_int_equal(2, other1);
	series_free(&m);
}

static void top_k_cuts_nothing_under_k(void **state)
{
	(void)state;
	struct series_map m = {0};
	for (int i = 0; i < 300; i++) { /* through several rehashes */
		char name[16];
		snprintf(name, sizeof(name), "p%d", i);
		add(&m, 0, name, (uint64_t)i);
	}
	assert_int_equal(0, series_top_k(&m, 300, -1));
	assert_int_equal(300, m.count);
	series_free(&m);
}

static void exposition_escapes_label_values_and_names_counters(void **state)
{
	(void)state;
	struct expo text = { .format = EXPO_TEXT }, om = { .format = EXPO_OPENMETRICS };
	struct expo_label l = { "process", "a\"b\\c\nd" };
	expo_family(&text, "x_opens", EXPO_COUNTER, "Opens.");
	expo_sample_u(&text, &l, 1, 7);
	expo_finish(&text);
	assert_string_equal("# HELP x_opens_total Opens.\n# TYPE x_opens_total counter\n"
			    "x_opens_total{process=\"a\\\"b\\\\c\\nd\"} 7\n", text.out.data);
	expo_family(&om, "x_opens", EXPO_COUNTER, "Opens.");
	expo_sample_u(&om, NULL, 0, 7);
	expo_family(&om, "x_seconds", EXPO_GAUGE, "Time.");
	expo_sample_d(&om, NULL, 0, 0.25);
	expo_finish(&om);
	assert_string_equal("# HELP x_opens Opens.\n# TYPE x_opens counter\nx_opens_total 7\n"
			    "# HELP x_seconds Time.\n# TYPE x_seconds gauge\nx_seconds 0.25\n"
			    "# EOF\n", om.out.data);
	sbuf_free(&text.out);
	sbuf_free(&om.out);
}

/* A hand-made row: PROTO (6/17), family 4 or 6, STATE, local ADDR:PORT, queues, owner. */
static struct tcpt_conn row(uint8_t proto, int fam, uint8_t st, const char *addr,
			    uint16_t port, uint32_t rq, uint32_t wq, const struct tcpt_owner *owner)
{
	struct tcpt_conn r;
	memset(&r, 0, sizeof(r));
	r.protocol = proto;
	r.family = fam == 6 ? AF_INET6 : AF_INET;
	r.state = st;
	assert_int_equal(1, inet_pton(r.family, addr, r.local_addr));
	r.local_port = port;
	r.rqueue = rq;
	r.wqueue = wq;
	r.netns = 4026531840u;
	r.owner_count = owner ? 1 : 0;
	r.owners = owner;
	return r;
}

static void has_line(const char *text, const char *line, bool want)
{
	char buf[256];
	snprintf(buf, sizeof(buf), "\n%s", line);
	if ((strstr(text, buf) != NULL) != want)
		fail_msg("%s %s in:\n%s", want ? "missing" : "unexpected", line, text);
}

/* UDP rows: an unconnected socket with a port is a listener, a connected one counts as
 * established on its local port, both buffers add up per port, no accept queue. */
static void aggregate_counts_udp_sockets_as_ss_names_them(void **state)
{
	(void)state;
	const struct tcpt_owner dnsd = { .pid = 10, .fd = 3, .name = "dnsd" };
	const struct tcpt_conn rows[] = {
		row(17, 4, TCPT_CLOSE, "127.0.0.1", 53, 768, 0, &dnsd),
		row(17, 4, TCPT_ESTABLISHED, "127.0.0.1", 53, 100, 10, &dnsd),
		row(17, 4, TCPT_ESTABLISHED, "127.0.0.1", 40000, 5, 0, NULL),
		row(17, 6, TCPT_CLOSE, "::", 0, 0, 0, NULL), /* no port: no listener */
		row(6, 4, TCPT_LISTEN, "0.0.0.0", 53, 2, 128, &dnsd),
	};
	struct aggregate a = { .udp = true, .owner_source = TCPT_SOURCE_BPF };
	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++)
		assert_int_equal(0, aggregate_row(&a, aggregate_proto(&rows[i]), &rows[i]));
	assert_int_equal(1, a.ns_count);
	struct ns_agg *n = &a.ns[0];
	assert_int_equal(1, n->conns[PROTO_UDP][0][TCPT_CLOSE]);
	assert_int_equal(2, n->conns[PROTO_UDP][0][TCPT_ESTABLISHED]);
	assert_int_equal(1, n->conns[PROTO_UDP][1][TCPT_CLOSE]);
	assert_int_equal(1, n->conns[PROTO_TCP][0][TCPT_LISTEN]);
	const struct port_stat *u = &n->ports[PROTO_UDP][53];
	assert_int_equal(1, u->listeners);
	assert_int_equal(1, u->established);
	assert_int_equal(868, u->recv_q);
	assert_int_equal(10, u->send_q);
	assert_int_equal(0, u->accept_q);
	assert_int_equal(2, n->ports[PROTO_TCP][53].accept_q);
	assert_int_equal(2, a.listeners.count); /* UDP and TCP port 53 */
	n->udp_stats_ok[0] = true;
	n->udp_stats[0] = (struct tcpt_udp_stats){ .in_datagrams = 5, .no_ports = 2 };
	assert_int_equal(0, aggregate_finish(&a, 100));
	struct exporter_meta meta = {0};
	struct sbuf text;
	assert_int_equal(0, metrics_render(&a, &meta, 100, EXPO_TEXT, &text));
	const char *t = text.data;
	has_line(t, "tcptable_connections{protocol=\"udp\",family=\"ipv4\",state=\"unconn\"} 1",
		 true);
	has_line(t, "tcptable_connections{protocol=\"udp\",family=\"ipv4\","
		 "state=\"established\"} 2", true);
	has_line(t, "tcptable_connections{protocol=\"udp\",family=\"ipv6\",state=\"unconn\"} 1",
		 true);
	has_line(t, "tcptable_connections{protocol=\"udp\",family=\"ipv4\",state=\"close\"}",
		 false);
	has_line(t, "tcptable_connections{protocol=\"udp\",family=\"ipv4\",state=\"listen\"}",
		 false);
	has_line(t, "tcptable_connections{protocol=\"tcp\",family=\"ipv4\",state=\"close\"} 0",
		 true);
	has_line(t, "tcptable_listeners{protocol=\"udp\",family=\"ipv4\",address=\"127.0.0.1\","
		 "port=\"53\",process=\"dnsd\"} 1", true);
	has_line(t, "tcptable_process_connections{protocol=\"udp\",process=\"dnsd\","
		 "state=\"unconn\"} 1", true);
	has_line(t, "tcptable_process_connections{protocol=\"udp\",process=\"dnsd\","
		 "state=\"established\"} 1", true);
	has_line(t, "tcptable_port_established_connections{protocol=\"udp\",port=\"53\"} 1",
		 true);
	has_line(t, "tcptable_port_receive_queue_bytes{protocol=\"udp\",port=\"53\"} 868", true);
	has_line(t, "tcptable_port_send_queue_bytes{protocol=\"udp\",port=\"53\"} 10", true);
	has_line(t, "tcptable_port_accept_queue_connections{protocol=\"udp\"", false);
	has_line(t, "tcptable_port_accept_queue_connections{protocol=\"tcp\",port=\"53\"} 2",
		 true);
	has_line(t, "tcptable_udp_received_datagrams_total{family=\"ipv4\"} 5", true);
	has_line(t, "tcptable_udp_no_port_datagrams_total{family=\"ipv4\"} 2", true);
	has_line(t, "tcptable_udp_received_datagrams_total{family=\"ipv6\"}", false);
	has_line(t, "tcptable_source_info{part=\"rows\",source=\"auto\"} 1", true);
	has_line(t, "tcptable_source_info{part=\"owners\",source=\"bpf\"} 1", true);
	sbuf_free(&text);
	aggregate_free(&a);
}

/* Without --collector.udp nothing of UDP is written, not even zeros; no owner source. */
static void no_udp_no_udp_series(void **state)
{
	(void)state;
	const struct tcpt_conn r = row(6, 4, TCPT_LISTEN, "0.0.0.0", 80, 0, 16, NULL);
	struct aggregate a = { .udp = false, .source = TCPT_SOURCE_NETLINK };
	assert_int_equal(0, aggregate_row(&a, aggregate_proto(&r), &r));
	assert_int_equal(0, aggregate_finish(&a, 100));
	struct exporter_meta meta = {0};
	struct sbuf text;
	assert_int_equal(0, metrics_render(&a, &meta, 100, EXPO_TEXT, &text));
	assert_null(strstr(text.data, "udp"));
	has_line(text.data, "tcptable_source_info{part=\"rows\",source=\"netlink\"} 1", true);
	assert_null(strstr(text.data, "tcptable_source_info{part=\"owners\""));
	sbuf_free(&text);
	aggregate_free(&a);
}

/* The per-process cache goes by the name's address but never trusts it alone: a reused
 * buffer with another name is another series, equal names at two addresses one series. */
static void process_series_follow_names_not_addresses(void **state)
{
	(void)state;
	char buf[16] = "alpha";
	char other[16] = "alpha";
	struct tcpt_owner o = { .pid = 1, .fd = 3, .name = buf };
	struct tcpt_owner o2 = { .pid = 2, .fd = 3, .name = other };
	struct aggregate a = {0};
	struct tcpt_conn r = row(6, 4, TCPT_ESTABLISHED, "127.0.0.1", 1000, 0, 0, &o);
	assert_int_equal(0, aggregate_row(&a, PROTO_TCP, &r));
	assert_int_equal(0, aggregate_row(&a, PROTO_TCP, &r));
	snprintf(buf, sizeof(buf), "beta");
	assert_int_equal(0, aggregate_row(&a, PROTO_TCP, &r));
	r.owners = &o2;
	assert_int_equal(0, aggregate_row(&a, PROTO_TCP, &r));
	r = row(17, 4, TCPT_ESTABLISHED, "127.0.0.1", 1000, 0, 0, &o2);
	assert_int_equal(0, aggregate_row(&a, PROTO_UDP, &r));
	assert_int_equal(3, a.processes.count);
	for (size_t i = 0; i < a.processes.count; i++) {
		const struct series *s = &a.processes.items[i];
		uint64_t want = s->key.protocol == PROTO_UDP ? 1
				: strcmp(s->key.name, "alpha") == 0 ? 3 : 1;
		assert_int_equal(want, s->values[TCPT_ESTABLISHED]);
	}
	aggregate_free(&a);
}

static char dir[64];

static const char *write_file(const char *name, const char *content)
{
	static char path[128];
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	fputs(content, f);
	fclose(f);
	return path;
}

static char *hash_of(const char *password)
{
	char salt[CRYPT_GENSALT_OUTPUT_SIZE];
	assert_non_null(crypt_gensalt_rn("$2y$", 4, NULL, 0, salt, sizeof(salt)));
	struct crypt_data data;
	memset(&data, 0, sizeof(data));
	char *h = crypt_rn(password, salt, &data, sizeof(data));
	assert_non_null(h);
	return strdup(h);
}

static void web_config_reads_tls_and_users_relative_to_itself(void **state)
{
	(void)state;
	write_file("c.pem", "-----BEGIN CERTIFICATE-----\nx\n");
	write_file("k.pem", "-----BEGIN PRIVATE KEY-----\ny\n");
	char *h = hash_of("pw");
	char yml[512];
	snprintf(yml, sizeof(yml), "tls_server_config:\n  cert_file: c.pem\n  key_file: k.pem\n"
		 "  min_version: TLS13\nbasic_auth_users:\n  alice: '%s'\n", h);
	const char *path = write_file("web.yml", yml);
	struct web_config w;
	char err[256] = "";
	assert_int_equal(0, web_config_load(path, &w, err, sizeof(err)));
	assert_string_equal("", err);
	assert_non_null(strstr(w.cert_pem, "CERTIFICATE"));
	assert_non_null(strstr(w.key_pem, "PRIVATE KEY"));
	assert_string_equal("NORMAL:-VERS-ALL:+VERS-TLS1.3", w.priorities);
	assert_string_equal(h, web_config_hash(&w, "alice"));
	assert_null(web_config_hash(&w, "bob"));
	assert_true(auth_check(&w, "alice", "pw"));
	assert_false(auth_check(&w, "alice", "pW"));
	assert_false(auth_check(&w, "alice", ""));
	assert_false(auth_check(&w, "bob", "pw"));
	assert_false(auth_check(&w, NULL, NULL));
	assert_false(auth_check(&w, "alice", NULL));
	web_config_free(&w);
	free(h);
}

static void web_config_refuses_what_it_does_not_support(void **state)
{
	(void)state;
	const struct {
		const char *yml;
		const char *says;
	} bad[] = {
		{ "tls_server_config:\n  cert_file: c.pem\n", "both cert_file and key_file" },
		{ "tls_server_config:\n  client_auth_type: RequireAndVerifyClientCert\n",
		  "not supported" },
		{ "tls_server_config:\n  min_version: SSL3\n", "min_version" },
		{ "basic_auth_users:\n  alice: secret\n", "not bcrypt" },
		{ "basic_auth_users: [a]\n", "mapping" },
		{ "http_server_config:\n  http2: true\n", "http_server_config is not supported" },
		{ "- a\n", "must be a mapping" },
		{ "a: [\n", "line" },
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct web_config w;
		char err[256] = "";
		assert_int_equal(-EINVAL, web_config_load(write_file("bad.yml", bad[i].yml), &w,
							  err, sizeof(err)));
		if (!strstr(err, bad[i].says))
			fail_msg("%s: %s", bad[i].yml, err);
		web_config_free(&w);
	}
	struct web_config w;
	char err[256] = "";
	assert_int_equal(0, web_config_load(write_file("empty.yml", ""), &w, err, sizeof(err)));
	assert_null(w.cert_pem);
	assert_int_equal(0, w.user_count);
	web_config_free(&w);
}

int main(void)
{
	snprintf(dir, sizeof(dir), "/tmp/tcpt-exp-units-XXXXXX");
	if (!mkdtemp(dir))
		return 1;
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(accept_prefers_openmetrics_as_prometheus_asks),
		cmocka_unit_test(accept_defaults_to_text),
		cmocka_unit_test(durations_in_prometheus_spelling),
		cmocka_unit_test(flags_take_both_spellings_and_defaults),
		cmocka_unit_test(udp_collector_flag_both_ways),
		cmocka_unit_test(bad_flags_are_named),
		cmocka_unit_test(aggregate_counts_udp_sockets_as_ss_names_them),
		cmocka_unit_test(no_udp_no_udp_series),
		cmocka_unit_test(process_series_follow_names_not_addresses),
		cmocka_unit_test(top_k_keeps_the_largest_and_folds_the_rest_per_namespace),
		cmocka_unit_test(top_k_cuts_nothing_under_k),
		cmocka_unit_test(exposition_escapes_label_values_and_names_counters),
		cmocka_unit_test(web_config_reads_tls_and_users_relative_to_itself),
		cmocka_unit_test(web_config_refuses_what_it_does_not_support),
	};
	int r = cmocka_run_group_tests(tests, NULL, NULL);
	char cmd[128];
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	if (system(cmd) != 0)
		r = 1;
	return r;
}
