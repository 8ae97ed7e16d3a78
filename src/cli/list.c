/* list.c - the default action: one snapshot, written in the chosen format. */
#include <errno.h>
#include <stdio.h>
#include <unistd.h>

#include "actions.h"
#include "csv.h"
#include "json.h"
#include "table.h"
#include "view.h"

int take_snapshot(const struct cli_options *o, struct tcpt_snapshot **ret)
{
	int r = tcpt_snapshot_take(&o->query, ret);
	if (r == 0)
		return 0;
	if (r == -EPERM && o->query.netns_count)
		fprintf(stderr, "tcptable: looking into other network namespaces needs root\n");
	else
		fprintf(stderr, "tcptable: cannot read the TCP sockets: %s\n", tcpt_strerror(r));
	return -1;
}

static void explain_missing_owners(const struct tcpt_snapshot *snap)
{
	size_t n = tcpt_snapshot_unreadable_processes(snap);
	if (n)
		fprintf(stderr,
			"tcptable: %zu process%s could not be inspected; their sockets show no "
			"owner (run as root to see them)\n",
			n, n == 1 ? "" : "es");
}

static int write_rows(const struct tcpt_snapshot *snap, struct view *v, struct outbuf *out)
{
	const struct tcpt_conn *rows = tcpt_snapshot_rows(snap);
	size_t count = tcpt_snapshot_count(snap);
	switch (v->opts->format) {
	case FORMAT_JSON:
		json_write(rows, count, v, out, false);
		return 0;
	case FORMAT_JSONL:
		json_write(rows, count, v, out, true);
		return 0;
	case FORMAT_CSV:
		csv_write(rows, count, v, out);
		return 0;
	case FORMAT_TABLE:
	default:
		return table_write(rows, count, v, out);
	}
}

int action_list(const struct cli_options *o)
{
	struct tcpt_snapshot *snap;
	if (take_snapshot(o, &snap) < 0)
		return 1;
	static struct outbuf out;
	outbuf_init(&out, STDOUT_FILENO);
	if (tcpt_snapshot_source(snap) == TCPT_SOURCE_PROC &&
	    (o->query.states & TCPT_STATE_BIT(TCPT_BOUND_INACTIVE)))
		fprintf(stderr, "tcptable: /proc/net/tcp does not list bound-inactive sockets; "
				"only netlink does\n");
	struct view v;
	view_init(&v, o, isatty(STDOUT_FILENO));
	int r = write_rows(snap, &v, &out);
	if (r == 0)
		r = outbuf_flush(&out);
	if (o->show_owners)
		explain_missing_owners(snap);
	view_free(&v);
	tcpt_snapshot_free(snap);
	if (r < 0) {
		fprintf(stderr, "tcptable: cannot write the output: %s\n", tcpt_strerror(r));
		return 1;
	}
	return 0;
}
