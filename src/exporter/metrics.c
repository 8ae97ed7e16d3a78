/* metrics.c - the families, their labels and help texts. */
#include "metrics.h"

#include "escape.h"

#include <arpa/inet.h>
#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#define MAX_LABELS 8

static const char *const proto_names[PROTO_COUNT] = { "tcp", "udp" };
static const char *const family_names[2] = { "ipv4", "ipv6" };

/* Labels of one sample under construction; the netns label first when the aggregate has
 * them. Values live in the struct's own buffers while the sample is written. */
struct labels {
	struct expo_label l[MAX_LABELS];
	size_t n;
	char port[8];
	char addr[INET6_ADDRSTRLEN];
	char process[16 * 4 + 1];
};

static void labels_add(struct labels *ls, const char *name, const char *value)
{
	if (ls->n < MAX_LABELS)
		ls->l[ls->n++] = (struct expo_label){ name, value };
}

/* The labels of namespace NS: netns when the metrics carry it (--netns, --all-netns). */
static void labels_of_ns(struct labels *ls, const struct aggregate *a, uint32_t ns)
{
	ls->n = 0;
	if (a->netns_labels)
		labels_add(ls, "netns", a->ns[ns].label);
}

static void labels_start(struct labels *ls, const struct aggregate *a, uint32_t ns,
			 unsigned proto)
{
	labels_of_ns(ls, a, ns);
	labels_add(ls, "protocol", proto_names[proto]);
}

/* TCP: "established", "syn_sent", "fin_wait_1", ...; UDP: "unconn" for a socket connected to
 * no peer (TCPT_CLOSE, ss's UNCONN), "established" for a connected one (ss's ESTAB), so that
 * state="established" means a socket with a peer in either protocol. */
static const char *state_label(unsigned proto, unsigned state, char *buf, size_t size)
{
	const char *n = proto == PROTO_UDP && state == TCPT_CLOSE ? "UNCONN"
								  : tcpt_state_name(state);
	size_t i = 0;
	for (; n[i] && i + 1 < size; i++)
		buf[i] = n[i] == '-' ? '_' : (char)(n[i] | 0x20);
	buf[i] = '\0';
	return buf;
}

/* The states a protocol's sockets can be in, as TCPT_STATE_BIT()s. */
static uint32_t proto_states(unsigned proto)
{
	if (proto == PROTO_UDP)
		return TCPT_STATE_BIT(TCPT_ESTABLISHED) | TCPT_STATE_BIT(TCPT_CLOSE);
	return TCPT_STATES_ALL;
}

/* Whether the aggregate has the protocol's sockets at all. */
static bool proto_taken(const struct aggregate *a, unsigned proto)
{
	return proto != PROTO_UDP || a->udp;
}

static void write_connections(struct expo *e, const struct aggregate *a)
{
	expo_family(e, "tcptable_connections", EXPO_GAUGE,
		    "Sockets by protocol, address family and state (UDP: unconn or "
		    "established).");
	struct labels ls;
	char st[24];
	for (uint32_t ns = 0; ns < a->ns_count; ns++)
		for (unsigned p = 0; p < PROTO_COUNT; p++)
			for (unsigned f = 0; f < 2 && proto_taken(a, p); f++)
				for (unsigned s = TCPT_ESTABLISHED; s <= TCPT_CLOSING; s++) {
					if (!(proto_states(p) & TCPT_STATE_BIT(s)))
						continue;
					labels_start(&ls, a, ns, p);
					labels_add(&ls, "family", family_names[f]);
					labels_add(&ls, "state", state_label(p, s, st, sizeof(st)));
					expo_sample_u(e, ls.l, ls.n, a->ns[ns].conns[p][f][s]);
				}
}

static const char *process_label(const struct series *s, struct labels *ls)
{
	if (s->key.other)
		return "other";
	escape_for_terminal(s->key.name, ls->process, sizeof(ls->process));
	return ls->process;
}

static void write_listeners(struct expo *e, const struct aggregate *a)
{
	expo_family(e, "tcptable_listeners", EXPO_GAUGE,
		    "Listening sockets (UDP: bound and unconnected) by local address, port and "
		    "owning process (the first owner; \"\" when unknown; \"other\" past the "
		    "top-K cut).");
	struct labels ls;
	for (size_t i = 0; i < a->listeners.count; i++) {
		const struct series *s = &a->listeners.items[i];
		const struct series_key *k = &s->key;
		labels_start(&ls, a, k->ns, k->protocol);
		if (k->other) {
			labels_add(&ls, "family", "other");
			labels_add(&ls, "address", "other");
			labels_add(&ls, "port", "other");
		} else {
			inet_ntop(k->family, k->addr, ls.addr, sizeof(ls.addr));
			snprintf(ls.port, sizeof(ls.port), "%u", k->port);
			labels_add(&ls, "family", family_names[k->family == AF_INET6]);
			labels_add(&ls, "address", ls.addr);
			labels_add(&ls, "port", ls.port);
		}
		labels_add(&ls, "process", process_label(s, &ls));
		expo_sample_u(e, ls.l, ls.n, s->values[0]);
	}
}

static void write_processes(struct expo *e, const struct aggregate *a)
{
	expo_family(e, "tcptable_process_connections", EXPO_GAUGE,
		    "Sockets by owning process (the first owner) and state; sockets without a "
		    "readable owner are not counted.");
	struct labels ls;
	char st[24];
	for (size_t i = 0; i < a->processes.count; i++) {
		const struct series *s = &a->processes.items[i];
		for (unsigned state = TCPT_ESTABLISHED; state <= TCPT_CLOSING; state++) {
			if (!s->values[state])
				continue;
			labels_start(&ls, a, s->key.ns, s->key.protocol);
			labels_add(&ls, "process", process_label(s, &ls));
			labels_add(&ls, "state",
				   state_label(s->key.protocol, state, st, sizeof(st)));
			expo_sample_u(e, ls.l, ls.n, s->values[state]);
		}
	}
}

static const struct {
	const char *name;
	const char *help;
	unsigned value;
	bool tcp_only;
} port_families[] = {
	{ "tcptable_port_established_connections",
	  "ESTABLISHED connections whose local port is this listening port (UDP: connected "
	  "sockets bound to the port).", 1, false },
	{ "tcptable_port_receive_queue_bytes",
	  "Bytes received and not yet read, summed over those connections (UDP: the bytes "
	  "held in the receive buffers of the port's sockets, bound and connected).", 2, false },
	{ "tcptable_port_send_queue_bytes",
	  "Bytes sent and not yet acknowledged, summed over those connections (UDP: the bytes "
	  "held in the send buffers of the port's sockets).", 3, false },
	{ "tcptable_port_accept_queue_connections",
	  "Connections waiting for accept() on the port's listening sockets (TCP).", 4, true },
	{ "tcptable_port_accept_queue_limit_connections",
	  "The backlog limits of the port's listening sockets, summed (TCP).", 5, true },
};

static void write_ports(struct expo *e, const struct aggregate *a, const struct series_map *m)
{
	struct labels ls;
	for (size_t f = 0; f < sizeof(port_families) / sizeof(port_families[0]); f++) {
		expo_family(e, port_families[f].name, EXPO_GAUGE, port_families[f].help);
		for (size_t i = 0; i < m->count; i++) {
			const struct series *s = &m->items[i];
			if (port_families[f].tcp_only && s->key.protocol != PROTO_TCP)
				continue;
			labels_start(&ls, a, s->key.ns, s->key.protocol);
			snprintf(ls.port, sizeof(ls.port), "%u", s->key.port);
			labels_add(&ls, "port", s->key.other ? "other" : ls.port);
			expo_sample_u(e, ls.l, ls.n, s->values[port_families[f].value]);
		}
	}
}

/* One of the kernel's counters: its metric, and where it lies in the library's struct. */
struct kernel_counter {
	const char *name;
	const char *help;
	size_t offset;
};

static uint64_t counter_value(const void *stats, const struct kernel_counter *c)
{
	uint64_t v;
	memcpy(&v, (const char *)stats + c->offset, sizeof(v));
	return v;
}

#define TCP_COUNTER(field, name, help) { name, help, offsetof(struct tcpt_stats, field) }
static const struct kernel_counter tcp_counters[] = {
	TCP_COUNTER(active_opens, "tcptable_tcp_active_opens",
		    "Connections opened by this host (SYN-SENT), the kernel's ActiveOpens."),
	TCP_COUNTER(passive_opens, "tcptable_tcp_passive_opens",
		    "Connections accepted from peers (SYN-RECV), the kernel's PassiveOpens."),
	TCP_COUNTER(attempt_fails, "tcptable_tcp_attempt_fails",
		    "Connection attempts that failed, the kernel's AttemptFails."),
	TCP_COUNTER(estab_resets, "tcptable_tcp_established_resets",
		    "Resets of ESTABLISHED or CLOSE-WAIT connections, the kernel's EstabResets."),
	TCP_COUNTER(in_segs, "tcptable_tcp_received_segments",
		    "Segments received, the kernel's InSegs."),
	TCP_COUNTER(out_segs, "tcptable_tcp_sent_segments",
		    "Segments sent, retransmissions excluded, the kernel's OutSegs."),
	TCP_COUNTER(retrans_segs, "tcptable_tcp_retransmitted_segments",
		    "Segments retransmitted, the kernel's RetransSegs."),
	TCP_COUNTER(in_errs, "tcptable_tcp_receive_errors",
		    "Segments received in error, the kernel's InErrs."),
	TCP_COUNTER(out_rsts, "tcptable_tcp_sent_resets",
		    "Segments sent with RST, the kernel's OutRsts."),
	TCP_COUNTER(in_csum_errors, "tcptable_tcp_checksum_errors",
		    "Segments received with a bad checksum, the kernel's InCsumErrors."),
};

static void write_kernel_counters(struct expo *e, const struct aggregate *a)
{
	struct labels ls;
	for (size_t c = 0; c < sizeof(tcp_counters) / sizeof(tcp_counters[0]); c++) {
		expo_family(e, tcp_counters[c].name, EXPO_COUNTER, tcp_counters[c].help);
		for (uint32_t ns = 0; ns < a->ns_count; ns++) {
			if (!a->ns[ns].stats_ok)
				continue;
			labels_of_ns(&ls, a, ns); /* per namespace, not per protocol */
			expo_sample_u(e, ls.l, ls.n,
				      counter_value(&a->ns[ns].tcp_stats, &tcp_counters[c]));
		}
	}
}

#define UDP_COUNTER(field, name, help) { name, help, offsetof(struct tcpt_udp_stats, field) }
static const struct kernel_counter udp_counters[] = {
	UDP_COUNTER(in_datagrams, "tcptable_udp_received_datagrams",
		    "Datagrams delivered to UDP sockets, the kernel's InDatagrams."),
	UDP_COUNTER(no_ports, "tcptable_udp_no_port_datagrams",
		    "Datagrams received for a port nobody is bound to, the kernel's NoPorts."),
	UDP_COUNTER(in_errors, "tcptable_udp_receive_errors",
		    "Datagrams that could not be delivered (buffer full, bad checksum, ...), the "
		    "kernel's InErrors."),
	UDP_COUNTER(out_datagrams, "tcptable_udp_sent_datagrams",
		    "Datagrams sent, the kernel's OutDatagrams."),
	UDP_COUNTER(rcvbuf_errors, "tcptable_udp_receive_buffer_errors",
		    "Datagrams dropped because a receive buffer was full, the kernel's "
		    "RcvbufErrors."),
	UDP_COUNTER(sndbuf_errors, "tcptable_udp_send_buffer_errors",
		    "Datagrams not sent because a send buffer was full, the kernel's SndbufErrors."),
	UDP_COUNTER(in_csum_errors, "tcptable_udp_checksum_errors",
		    "Datagrams received with a bad checksum, the kernel's InCsumErrors."),
	UDP_COUNTER(ignored_multi, "tcptable_udp_ignored_multicast_datagrams",
		    "Multicast datagrams no socket wanted, the kernel's IgnoredMulti."),
	UDP_COUNTER(mem_errors, "tcptable_udp_memory_errors",
		    "Datagrams dropped for lack of socket memory, the kernel's MemErrors."),
};

/* Per namespace and family: IPv4 from /proc/net/snmp, IPv6 from /proc/net/snmp6. */
static void write_udp_counters(struct expo *e, const struct aggregate *a)
{
	if (!a->udp)
		return;
	struct labels ls;
	for (size_t c = 0; c < sizeof(udp_counters) / sizeof(udp_counters[0]); c++) {
		expo_family(e, udp_counters[c].name, EXPO_COUNTER, udp_counters[c].help);
		for (uint32_t ns = 0; ns < a->ns_count; ns++) {
			for (unsigned f = 0; f < 2; f++) {
				if (!a->ns[ns].udp_stats_ok[f])
					continue;
				labels_of_ns(&ls, a, ns);
				labels_add(&ls, "family", family_names[f]);
				expo_sample_u(e, ls.l, ls.n,
					      counter_value(&a->ns[ns].udp_stats[f],
							    &udp_counters[c]));
			}
		}
	}
}

static void write_folded(struct expo *e, const struct aggregate *a)
{
	expo_family(e, "tcptable_series_folded", EXPO_GAUGE,
		    "Label sets folded into the \"other\" series by the top-K cut, by metric.");
	const struct {
		const char *metric;
		long n;
	} f[] = {
		{ "tcptable_listeners", a->folded_listeners },
		{ "tcptable_process_connections", a->folded_processes },
		{ "tcptable_port_established_connections", a->folded_ports },
	};
	for (size_t i = 0; i < 3; i++) {
		struct expo_label l = { "metric", f[i].metric };
		expo_sample_u(e, &l, 1, f[i].n > 0 ? (uint64_t)f[i].n : 0);
	}
}

static void write_self(struct expo *e, const struct aggregate *a, const struct exporter_meta *m)
{
	expo_family(e, "tcptable_scrape_duration_seconds", EXPO_GAUGE,
		    "Time the snapshot behind this answer took, owners and counters included.");
	expo_sample_d(e, NULL, 0, m->duration_s);
	expo_family(e, "tcptable_snapshot_sockets", EXPO_GAUGE,
		    "Sockets in the snapshot behind this answer.");
	expo_sample_u(e, NULL, 0, a->rows);
	expo_family(e, "tcptable_unreadable_processes", EXPO_GAUGE,
		    "Processes whose sockets could not be inspected (no permission): their "
		    "sockets have no owner.");
	expo_sample_u(e, NULL, 0, a->unreadable_processes);
	expo_family(e, "tcptable_source_info", EXPO_GAUGE,
		    "The sources of the snapshot: part=\"rows\" (netlink or proc) and, when "
		    "owners were read, part=\"owners\" (bpf or proc).");
	struct expo_label src[2] = { { "part", "rows" },
				     { "source", tcpt_source_name(a->source) } };
	expo_sample_u(e, src, 2, 1);
	if (a->owner_source != TCPT_SOURCE_AUTO) {
		src[0].value = "owners";
		src[1].value = tcpt_source_name(a->owner_source);
		expo_sample_u(e, src, 2, 1);
	}
	expo_family(e, "tcptable_exporter_snapshots", EXPO_COUNTER,
		    "Snapshots taken since the exporter started (scrapes may share one).");
	expo_sample_u(e, NULL, 0, m->snapshots);
	expo_family(e, "tcptable_exporter_snapshot_seconds", EXPO_COUNTER,
		    "Time spent taking those snapshots.");
	expo_sample_d(e, NULL, 0, m->snapshot_seconds);
	expo_family(e, "tcptable_exporter_snapshot_failures", EXPO_COUNTER,
		    "Snapshots that failed since the exporter started.");
	expo_sample_u(e, NULL, 0, m->failures);
	expo_family(e, "tcptable_build_info", EXPO_GAUGE, "The version of libtcptable in use.");
	struct expo_label v = { "version", tcpt_version() };
	expo_sample_u(e, &v, 1, 1);
}

int metrics_render(struct aggregate *a, const struct exporter_meta *meta, size_t top_k,
		   enum expo_format format, struct sbuf *ret_text)
{
	struct series_map ports;
	if (aggregate_ports(a, top_k, &ports) < 0)
		return -ENOMEM;
	struct expo e = { .format = format };
	write_connections(&e, a);
	write_listeners(&e, a);
	write_processes(&e, a);
	write_ports(&e, a, &ports);
	write_kernel_counters(&e, a);
	write_udp_counters(&e, a);
	write_folded(&e, a);
	write_self(&e, a, meta);
	expo_finish(&e);
	series_free(&ports);
	if (e.out.failed) {
		sbuf_free(&e.out);
		return -ENOMEM;
	}
	*ret_text = e.out;
	return 0;
}
