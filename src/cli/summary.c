/* summary.c - what `ss -s` and `netstat -st` (-su) show, in one view: sockets per state and
 * family from one snapshot, and the kernel's TCP and UDP counters; each protocol in its own
 * block (TCP alone looks as it did before UDP). */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "actions.h"
#include "json.h"
#include "netns.h"
#include "outbuf.h"

struct counts {
	size_t by_state[TCPT_STATE_MAX + 1][2]; /* [state][0 = IPv4, 1 = IPv6] */
	size_t total[2];
};

/* What the numbers cover: the caller's namespace (namespaces 0), or with --all-netns sums
 * over the namespaces the rows came from and over those whose counters were read. */
struct scope {
	size_t namespaces;
	size_t counter_namespaces;
};

/* Count the rows of PROTOCOL (a row's protocol number). */
static void count_rows(const struct tcpt_snapshot *snap, uint8_t protocol, struct counts *c)
{
	const struct tcpt_conn *rows = tcpt_snapshot_rows(snap);
	for (size_t i = 0; i < tcpt_snapshot_count(snap); i++) {
		if (rows[i].protocol != protocol)
			continue;
		int f = rows[i].family == AF_INET6;
		if (rows[i].state <= TCPT_STATE_MAX)
			c->by_state[rows[i].state][f]++;
		c->total[f]++;
	}
}

/* A state's name in PROTOCOL's words (UDP's CLOSE is UNCONN). */
static const char *state_label(uint8_t protocol, unsigned state)
{
	struct tcpt_conn row = {.protocol = protocol, .state = (uint8_t)state};
	return tcpt_conn_state_name(&row);
}

struct counter {
	const char *key;   /* JSON name */
	const char *label; /* table label */
	uint64_t value;
};

static size_t list_counters(const struct tcpt_stats *s, struct counter out[12])
{
	const struct counter all[] = {
		{"active_opens", "active opens (connect)", s->active_opens},
		{"passive_opens", "passive opens (accept)", s->passive_opens},
		{"attempt_fails", "failed connection attempts", s->attempt_fails},
		{"estab_resets", "resets of established connections", s->estab_resets},
		{"curr_estab", "established now (incl. close-wait)", s->curr_estab},
		{"in_segs", "segments received", s->in_segs},
		{"out_segs", "segments sent", s->out_segs},
		{"retrans_segs", "segments retransmitted", s->retrans_segs},
		{"in_errs", "bad segments received", s->in_errs},
		{"out_rsts", "resets sent", s->out_rsts},
		{"in_csum_errors", "checksum errors", s->in_csum_errors},
	};
	size_t n = sizeof(all) / sizeof(all[0]);
	for (size_t i = 0; i < n; i++)
		out[i] = all[i];
	return n;
}

static void write_states(struct outbuf *o, const char *title, uint8_t protocol,
			 const struct counts *c)
{
	char line[128];
	snprintf(line, sizeof(line), "%-14s %9s %8s %8s\n", title, "IPv4", "IPv6", "Total");
	outbuf_puts(o, line);
	for (unsigned st = 1; st <= TCPT_STATE_MAX; st++) {
		if (!c->by_state[st][0] && !c->by_state[st][1])
			continue;
		snprintf(line, sizeof(line), "%-14s %9zu %8zu %8zu\n", state_label(protocol, st),
			 c->by_state[st][0], c->by_state[st][1],
			 c->by_state[st][0] + c->by_state[st][1]);
		outbuf_puts(o, line);
	}
	snprintf(line, sizeof(line), "%-14s %9zu %8zu %8zu\n", "all", c->total[0], c->total[1],
		 c->total[0] + c->total[1]);
	outbuf_puts(o, line);
}

/* "TCP counters since boot (this network namespace...)" or "(summed over all N ...)" */
static void put_counters_title(struct outbuf *o, const char *proto, const struct scope *sc,
			       const char *more)
{
	char line[160];
	if (sc->namespaces)
		snprintf(line, sizeof(line), "\n%s counters since boot, summed over all %zu network "
			 "namespaces%s:\n", proto, sc->counter_namespaces, more);
	else
		snprintf(line, sizeof(line), "\n%s counters since boot (this network namespace%s):\n",
			 proto, more);
	outbuf_puts(o, line);
}

static void write_table(struct outbuf *o, const char *title, const struct counts *c,
			const struct tcpt_stats *s, int have_stats, const struct scope *sc)
{
	char line[128];
	write_states(o, title, TCPT_PROTO_NUMBER_TCP, c);
	if (!have_stats)
		return;
	put_counters_title(o, "TCP", sc, sc->namespaces ? " (IPv4 and IPv6)" : ", IPv4 and IPv6");
	struct counter list[12];
	size_t n = list_counters(s, list);
	for (size_t i = 0; i < n; i++) {
		snprintf(line, sizeof(line), "  %-36s %12llu\n", list[i].label,
			 (unsigned long long)list[i].value);
		outbuf_puts(o, line);
	}
}

/* "states":{...},"total":{...}, */
static void write_json_states(struct outbuf *o, uint8_t protocol, const struct counts *c)
{
	outbuf_puts(o, "\"states\":{");
	int first = 1;
	/* every state a row of PROTOCOL can have, counted or not, so that consumers find each
	 * key: TCP's eleven, UDP's two (ESTABLISHED, and CLOSE as UNCONN) */
	for (unsigned st = TCPT_ESTABLISHED; st <= TCPT_CLOSING; st++) {
		if (protocol == TCPT_PROTO_NUMBER_UDP && st != TCPT_ESTABLISHED && st != TCPT_CLOSE)
			continue;
		outbuf_puts(o, first ? "" : ",");
		first = 0;
		json_put_string(o, state_label(protocol, st));
		outbuf_puts(o, ":{\"ipv4\":");
		outbuf_putu(o, c->by_state[st][0]);
		outbuf_puts(o, ",\"ipv6\":");
		outbuf_putu(o, c->by_state[st][1]);
		outbuf_putc(o, '}');
	}
	outbuf_puts(o, "},\"total\":{\"ipv4\":");
	outbuf_putu(o, c->total[0]);
	outbuf_puts(o, ",\"ipv6\":");
	outbuf_putu(o, c->total[1]);
	outbuf_puts(o, "},");
}

/* The TCP members of the summary object: states, total, counters. */
static void write_json(struct outbuf *o, const struct counts *c, const struct tcpt_stats *s,
		       int have_stats)
{
	write_json_states(o, TCPT_PROTO_NUMBER_TCP, c);
	outbuf_puts(o, "\"counters\":");
	if (!have_stats) {
		outbuf_puts(o, "null");
		return;
	}
	struct counter list[12];
	size_t n = list_counters(s, list);
	for (size_t i = 0; i < n; i++) {
		outbuf_puts(o, i ? ",\"" : "{\"");
		outbuf_puts(o, list[i].key);
		outbuf_puts(o, "\":");
		outbuf_putu(o, list[i].value);
	}
	outbuf_puts(o, "}");
}

/* --- UDP ------------------------------------------------------------------------------------ */

struct udp_counters {
	struct tcpt_udp_stats family[2]; /* IPv4, IPv6 */
	int have[2];
};

static size_t list_udp_counters(const struct tcpt_udp_stats *s, struct counter out[9])
{
	const struct counter all[] = {
		{"in_datagrams", "datagrams received", s->in_datagrams},
		{"no_ports", "datagrams to unknown ports", s->no_ports},
		{"in_errors", "receive errors", s->in_errors},
		{"out_datagrams", "datagrams sent", s->out_datagrams},
		{"rcvbuf_errors", "receive buffer errors", s->rcvbuf_errors},
		{"sndbuf_errors", "send buffer errors", s->sndbuf_errors},
		{"in_csum_errors", "checksum errors", s->in_csum_errors},
		{"ignored_multi", "ignored multicast", s->ignored_multi},
		{"mem_errors", "memory errors", s->mem_errors},
	};
	size_t n = sizeof(all) / sizeof(all[0]);
	for (size_t i = 0; i < n; i++)
		out[i] = all[i];
	return n;
}

static void read_udp_counters(struct udp_counters *u)
{
	static const int families[2] = {AF_INET, AF_INET6};
	for (int f = 0; f < 2; f++) {
		int r = tcpt_udp_stats_read(families[f], &u->family[f]);
		u->have[f] = r == 0;
		if (r < 0 && !(f == 1 && r == -ENOTSUP)) /* no snmp6: IPv6 is off */
			fprintf(stderr, "tcptable: no UDP%s counters: %s\n", f ? "6" : "",
				r == -ENOTSUP ? f ? "/proc/net/snmp6 cannot be read"
						  : "/proc/net/snmp cannot be read"
					      : tcpt_strerror(r));
	}
}

static void write_udp_table(struct outbuf *o, const char *title, const struct counts *c,
			    const struct udp_counters *u, const struct scope *sc)
{
	char line[128];
	write_states(o, title, TCPT_PROTO_NUMBER_UDP, c);
	if (!u->have[0] && !u->have[1])
		return;
	put_counters_title(o, "UDP", sc, "");
	snprintf(line, sizeof(line), "  %-36s %12s %12s\n", "", "IPv4", "IPv6");
	outbuf_puts(o, line);
	struct counter v4[9], v6[9];
	size_t n = list_udp_counters(&u->family[0], v4);
	list_udp_counters(&u->family[1], v6);
	for (size_t i = 0; i < n; i++) {
		char a[24] = "-", b[24] = "-";
		if (u->have[0])
			snprintf(a, sizeof(a), "%llu", (unsigned long long)v4[i].value);
		if (u->have[1])
			snprintf(b, sizeof(b), "%llu", (unsigned long long)v6[i].value);
		snprintf(line, sizeof(line), "  %-36s %12s %12s\n", v4[i].label, a, b);
		outbuf_puts(o, line);
	}
}

static void write_udp_json_counters(struct outbuf *o, const struct tcpt_udp_stats *s, int have)
{
	if (!have) {
		outbuf_puts(o, "null");
		return;
	}
	struct counter list[9];
	size_t n = list_udp_counters(s, list);
	for (size_t i = 0; i < n; i++) {
		outbuf_puts(o, i ? ",\"" : "{\"");
		outbuf_puts(o, list[i].key);
		outbuf_puts(o, "\":");
		outbuf_putu(o, list[i].value);
	}
	outbuf_putc(o, '}');
}

/* "udp":{"states":{...},"total":{...},"counters":{"ipv4":{...},"ipv6":{...}}} */
static void write_udp_json(struct outbuf *o, const struct counts *c,
			   const struct udp_counters *u)
{
	outbuf_puts(o, "\"udp\":{");
	write_json_states(o, TCPT_PROTO_NUMBER_UDP, c);
	outbuf_puts(o, "\"counters\":{\"ipv4\":");
	write_udp_json_counters(o, &u->family[0], u->have[0]);
	outbuf_puts(o, ",\"ipv6\":");
	write_udp_json_counters(o, &u->family[1], u->have[1]);
	outbuf_puts(o, "}}");
}

/* --- the kernel's counters, of one namespace or summed over several ----------------------- */

struct all_counters {
	unsigned protocols;
	struct tcpt_stats tcp;
	int tcp_result;
	struct udp_counters udp;
};

/* tcpt_stats_read() says -ENOTSUP when the counters' file cannot be read: name the file. */
static const char *counters_error(int r)
{
	return r == -ENOTSUP ? "/proc/net/snmp cannot be read" : r == -EBADMSG
	       ? "/proc/net/snmp is not in the expected format" : strerror(-r);
}

/* The counters of the calling thread's namespace. */
static void read_here(void *arg)
{
	struct all_counters *a = arg;
	if (a->protocols & TCPT_PROTO_TCP)
		a->tcp_result = tcpt_stats_read(&a->tcp);
	if (a->protocols & TCPT_PROTO_UDP)
		read_udp_counters(&a->udp);
}

static void add_tcp(struct tcpt_stats *sum, const struct tcpt_stats *s)
{
	uint64_t *const to[] = {&sum->active_opens, &sum->passive_opens, &sum->attempt_fails,
				&sum->estab_resets, &sum->curr_estab, &sum->in_segs,
				&sum->out_segs, &sum->retrans_segs, &sum->in_errs,
				&sum->out_rsts, &sum->in_csum_errors};
	const uint64_t from[] = {s->active_opens, s->passive_opens, s->attempt_fails,
				 s->estab_resets, s->curr_estab, s->in_segs, s->out_segs,
				 s->retrans_segs, s->in_errs, s->out_rsts, s->in_csum_errors};
	for (size_t i = 0; i < sizeof(from) / sizeof(from[0]); i++)
		*to[i] += from[i];
}

static void add_udp(struct udp_counters *sum, const struct udp_counters *u)
{
	for (int f = 0; f < 2; f++) {
		if (!u->have[f])
			continue;
		struct tcpt_udp_stats *t = &sum->family[f];
		const struct tcpt_udp_stats *s = &u->family[f];
		t->in_datagrams += s->in_datagrams;
		t->no_ports += s->no_ports;
		t->in_errors += s->in_errors;
		t->out_datagrams += s->out_datagrams;
		t->rcvbuf_errors += s->rcvbuf_errors;
		t->sndbuf_errors += s->sndbuf_errors;
		t->in_csum_errors += s->in_csum_errors;
		t->ignored_multi += s->ignored_multi;
		t->mem_errors += s->mem_errors;
		sum->have[f] = 1;
	}
}

/* The counters of the caller's namespace, or with --all-netns their sums over every namespace
 * the rows came from (counters are kept per namespace, like the sockets); sc->counter_
 * namespaces counts those read (a namespace whose last process exited meanwhile is gone, as
 * for the rows). */
static void read_counters(const struct cli_options *o, struct all_counters *ret,
			  struct scope *sc)
{
	if (!o->query.netns_path_count) {
		read_here(ret);
		if (ret->tcp_result < 0)
			fprintf(stderr, "tcptable: no TCP counters: %s\n",
				counters_error(ret->tcp_result));
		return;
	}
	for (size_t i = 0; i < o->query.netns_path_count; i++) {
		const char *path = o->query.netns_paths[i];
		struct all_counters one = {.protocols = ret->protocols};
		int r = netns_run_in(path, read_here, &one);
		if (r == -ENOENT || r == -ESRCH)
			continue;
		if (r == 0)
			r = one.tcp_result;
		if (r < 0) {
			fprintf(stderr, "tcptable: no TCP counters for the namespace %s: %s\n", path,
				counters_error(r));
			ret->tcp_result = r;
			return;
		}
		if (sc->counter_namespaces++ == 0)
			ret->tcp = one.tcp; /* the settings (RTO bounds, ...) are the first one's */
		else
			add_tcp(&ret->tcp, &one.tcp);
		add_udp(&ret->udp, &one.udp);
	}
}

static void write_json_scope(struct outbuf *out, const struct scope *sc)
{
	outbuf_puts(out, sc->namespaces ? "\"scope\":\"all_netns_summed\",\"namespaces\":"
				       : "\"scope\":\"netns\",\"namespaces\":");
	outbuf_putu(out, sc->namespaces ? sc->namespaces : 1);
	outbuf_putc(out, ',');
}

static void write_summary(struct outbuf *out, const struct cli_options *o, unsigned protocols,
			  const struct counts *c, const struct counts *cu,
			  const struct all_counters *k, const struct scope *sc)
{
	bool tcp = protocols & TCPT_PROTO_TCP, udp = protocols & TCPT_PROTO_UDP;
	const struct tcpt_stats *stats = &k->tcp;
	const struct udp_counters *u = &k->udp;
	int have_stats = k->tcp_result == 0;
	if (o->format == FORMAT_JSON || o->format == FORMAT_JSONL) {
		outbuf_putc(out, '{');
		write_json_scope(out, sc);
		if (tcp)
			write_json(out, c, stats, have_stats);
		if (tcp && udp)
			outbuf_putc(out, ',');
		if (udp)
			write_udp_json(out, cu, u);
		outbuf_puts(out, "}\n");
		return;
	}
	if (sc->namespaces) {
		char line[96];
		snprintf(line, sizeof(line), "Sockets of all %zu network namespaces, summed:\n",
			 sc->namespaces);
		outbuf_puts(out, line);
	}
	if (tcp)
		write_table(out, udp ? "TCP state" : "State", c, stats, have_stats, sc);
	if (tcp && udp)
		outbuf_putc(out, '\n');
	if (udp)
		write_udp_table(out, "UDP state", cu, u, sc);
}

int action_summary(const struct cli_options *o)
{
	unsigned protocols = o->query.protocols ? o->query.protocols : TCPT_PROTO_TCP;
	struct tcpt_snapshot *snap;
	if (take_snapshot(o, &snap) < 0)
		return 1;
	struct counts c = {0}, cu = {0};
	count_rows(snap, TCPT_PROTO_NUMBER_TCP, &c);
	count_rows(snap, TCPT_PROTO_NUMBER_UDP, &cu);
	struct scope sc = {.namespaces = o->query.netns_path_count -
					 tcpt_snapshot_netns_gone(snap)};
	tcpt_snapshot_free(snap);
	struct all_counters k = {.protocols = protocols};
	read_counters(o, &k, &sc);
	static struct outbuf out;
	outbuf_init(&out, STDOUT_FILENO);
	write_summary(&out, o, protocols, &c, &cu, &k, &sc);
	return outbuf_flush(&out) < 0 ? 1 : 0;
}
