/* summary.c - what `ss -s` and `netstat -st` show, in one view: sockets per state and family
 * from one snapshot, and the kernel's TCP counters. */
#include <stdio.h>
#include <unistd.h>

#include "actions.h"
#include "json.h"
#include "outbuf.h"

struct counts {
	size_t by_state[TCPT_STATE_MAX + 1][2]; /* [state][0 = IPv4, 1 = IPv6] */
	size_t total[2];
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

static void write_table(struct outbuf *o, const struct counts *c, const struct tcpt_stats *s,
			int have_stats)
{
	char line[128];
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
	outbuf_puts(o, "\nTCP counters since boot (this network namespace, IPv4 and IPv6):\n");
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
	outbuf_puts(o, "{\"states\":{");
	int first = 1;
	/* every state a row can have, counted or not, so that consumers find each key */
	for (unsigned st = TCPT_ESTABLISHED; st <= TCPT_CLOSING; st++) {
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
	struct counts c = {0};
	count_rows(snap, &c);
	tcpt_snapshot_free(snap);
	struct tcpt_stats stats;
	int r = tcpt_stats_read(&stats);
	if (r < 0)
		fprintf(stderr, "tcptable: no TCP counters: %s\n", tcpt_strerror(r));
	static struct outbuf out;
	outbuf_init(&out, STDOUT_FILENO);
	if (o->format == FORMAT_JSON || o->format == FORMAT_JSONL)
		write_json(&out, &c, &stats, r == 0);
	else
		write_table(&out, &c, &stats, r == 0);
	return outbuf_flush(&out) < 0 ? 1 : 0;
}
