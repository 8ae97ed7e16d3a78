/* summary.c - what `ss -s` and `netstat -st` show, in one view: sockets per state and family
 * from one snapshot, and the kernel's TCP counters. */
#include <errno.h>
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
	size_t namespaces;                       /* --all-netns: summed over this many */
	size_t counter_namespaces;               /* and the counters over this many */
};

static void count_rows(const struct tcpt_snapshot *snap, struct counts *c)
{
	const struct tcpt_conn *rows = tcpt_snapshot_rows(snap);
	for (size_t i = 0; i < tcpt_snapshot_count(snap); i++) {
		int f = rows[i].family == AF_INET6;
		if (rows[i].state <= TCPT_STATE_MAX)
			c->by_state[rows[i].state][f]++;
		c->total[f]++;
	}
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

/* --- the kernel's counters, of one namespace or summed over several ----------------------- */

struct counters_read {
	struct tcpt_stats stats;
	int result;
};

static void read_here(void *arg)
{
	struct counters_read *c = arg;
	c->result = tcpt_stats_read(&c->stats);
}

/* tcpt_stats_read() says -ENOTSUP when the counters' file cannot be read: name the file. */
static const char *counters_error(int r)
{
	return r == -ENOTSUP ? "/proc/net/snmp cannot be read" : r == -EBADMSG
	       ? "/proc/net/snmp is not in the expected format" : strerror(-r);
}

static void add_counters(struct tcpt_stats *sum, const struct tcpt_stats *s)
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

/* The counters of the caller's namespace, or with --all-netns their sum over every namespace
 * the rows came from (counters are kept per namespace, like the sockets); *ret_summed counts
 * those read (a namespace whose last process exited meanwhile is gone, as for the rows). */
static int read_counters(const struct cli_options *o, struct tcpt_stats *ret, size_t *ret_summed)
{
	if (!o->query.netns_path_count) {
		int r = tcpt_stats_read(ret);
		if (r < 0)
			fprintf(stderr, "tcptable: no TCP counters: %s\n", counters_error(r));
		return r;
	}
	memset(ret, 0, sizeof(*ret));
	*ret_summed = 0;
	for (size_t i = 0; i < o->query.netns_path_count; i++) {
		const char *path = o->query.netns_paths[i];
		struct counters_read c = {.result = 0};
		int r = netns_run_in(path, read_here, &c);
		if (r == -ENOENT || r == -ESRCH)
			continue;
		if (r == 0)
			r = c.result;
		if (r < 0) {
			fprintf(stderr, "tcptable: no TCP counters for the namespace %s: %s\n", path,
				counters_error(r));
			return r;
		}
		if ((*ret_summed)++ == 0)
			*ret = c.stats; /* the settings (RTO bounds, ...) are the first one's */
		else
			add_counters(ret, &c.stats);
	}
	return 0;
}

static void write_table(struct outbuf *o, const struct counts *c, const struct tcpt_stats *s,
			int have_stats)
{
	char line[128];
	if (c->namespaces) {
		snprintf(line, sizeof(line), "Sockets of all %zu network namespaces, summed:\n",
			 c->namespaces);
		outbuf_puts(o, line);
	}
	outbuf_puts(o, "State               IPv4     IPv6    Total\n");
	for (unsigned st = 1; st <= TCPT_STATE_MAX; st++) {
		if (!c->by_state[st][0] && !c->by_state[st][1])
			continue;
		snprintf(line, sizeof(line), "%-14s %9zu %8zu %8zu\n", tcpt_state_name(st),
			 c->by_state[st][0], c->by_state[st][1],
			 c->by_state[st][0] + c->by_state[st][1]);
		outbuf_puts(o, line);
	}
	snprintf(line, sizeof(line), "%-14s %9zu %8zu %8zu\n", "all", c->total[0], c->total[1],
		 c->total[0] + c->total[1]);
	outbuf_puts(o, line);
	if (!have_stats)
		return;
	if (c->namespaces) {
		snprintf(line, sizeof(line), "\nTCP counters since boot, summed over all %zu "
			 "network namespaces (IPv4 and IPv6):\n", c->counter_namespaces);
		outbuf_puts(o, line);
	} else
		outbuf_puts(o, "\nTCP counters since boot (this network namespace, IPv4 and "
			       "IPv6):\n");
	struct counter list[12];
	size_t n = list_counters(s, list);
	for (size_t i = 0; i < n; i++) {
		snprintf(line, sizeof(line), "  %-36s %12llu\n", list[i].label,
			 (unsigned long long)list[i].value);
		outbuf_puts(o, line);
	}
}

static void write_json(struct outbuf *o, const struct counts *c, const struct tcpt_stats *s,
		       int have_stats)
{
	/* what the numbers cover: one namespace, or sums over all of them (--all-netns) */
	outbuf_puts(o, c->namespaces ? "{\"scope\":\"all_netns_summed\",\"namespaces\":"
				     : "{\"scope\":\"netns\",\"namespaces\":");
	outbuf_putu(o, c->namespaces ? c->namespaces : 1);
	outbuf_puts(o, ",\"states\":{");
	int first = 1;
	for (unsigned st = 1; st <= TCPT_STATE_MAX; st++) {
		if (!c->by_state[st][0] && !c->by_state[st][1])
			continue;
		outbuf_puts(o, first ? "" : ",");
		first = 0;
		json_put_string(o, tcpt_state_name(st));
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
	outbuf_puts(o, "},\"counters\":");
	if (!have_stats) {
		outbuf_puts(o, "null}\n");
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
	outbuf_puts(o, "}}\n");
}

int action_summary(const struct cli_options *o)
{
	struct tcpt_snapshot *snap;
	if (take_snapshot(o, &snap) < 0)
		return 1;
	struct counts c = {.namespaces = o->query.netns_path_count};
	count_rows(snap, &c);
	c.namespaces -= tcpt_snapshot_netns_gone(snap);
	tcpt_snapshot_free(snap);
	struct tcpt_stats stats;
	int r = read_counters(o, &stats, &c.counter_namespaces);
	static struct outbuf out;
	outbuf_init(&out, STDOUT_FILENO);
	if (o->format == FORMAT_JSON || o->format == FORMAT_JSONL)
		write_json(&out, &c, &stats, r == 0);
	else
		write_table(&out, &c, &stats, r == 0);
	return outbuf_flush(&out) < 0 ? 1 : 0;
}
