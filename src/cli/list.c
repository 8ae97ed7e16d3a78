/* list.c - the default action: the rows are streamed from the kernel and written as they come
 * (JSON, CSV) or kept only as table text until the widths are known. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "actions.h"
#include "csv.h"
#include "json.h"
#include "resolve.h"
#include "table.h"
#include "view.h"

static void explain_failure(const struct cli_options *o, int r)
{
	if (r == -EPERM && o->query.netns_count)
		fprintf(stderr, "tcptable: looking into other network namespaces needs root\n");
	else
		fprintf(stderr, "tcptable: cannot read the TCP sockets: %s\n", tcpt_strerror(r));
}

int take_snapshot(const struct cli_options *o, struct tcpt_snapshot **ret)
{
	int r = tcpt_snapshot_take(&o->query, ret);
	if (r == 0)
		return 0;
	explain_failure(o, r);
	return -1;
}

static void explain_missing_owners(size_t unreadable)
{
	if (unreadable)
		fprintf(stderr,
			"tcptable: %zu process%s could not be inspected; their sockets show no "
			"owner (run as root to see them)\n",
			unreadable, unreadable == 1 ? "" : "es");
}

struct listing {
	struct view view;
	struct outbuf *out;
	struct table table;
	size_t rows;
};

static int on_row(const struct tcpt_conn *row, void *ctx)
{
	struct listing *l = ctx;
	enum output_format f = l->view.opts->format;
	if (f == FORMAT_TABLE)
		return table_add(&l->table, row);
	if (f == FORMAT_CSV)
		csv_add(&l->view, row, l->out);
	else
		json_add(&l->view, row, l->out, f == FORMAT_JSONL, l->rows);
	l->rows++;
	return 0;
}

static void begin(struct listing *l)
{
	enum output_format f = l->view.opts->format;
	if (f == FORMAT_TABLE)
		table_begin(&l->table, &l->view);
	else if (f == FORMAT_CSV)
		csv_begin(&l->view, l->out);
	else
		json_begin(l->out, f == FORMAT_JSONL);
}

static int finish(struct listing *l)
{
	enum output_format f = l->view.opts->format;
	if (f == FORMAT_JSON || f == FORMAT_JSONL)
		json_end(l->out, f == FORMAT_JSONL, l->rows);
	return f == FORMAT_TABLE ? table_finish(&l->table, l->out) : 0;
}

static bool is_any_address(const struct tcpt_conn *row, bool local)
{
	static const uint8_t zero[16];
	return memcmp(local ? row->local_addr : row->remote_addr, zero,
		      row->family == AF_INET6 ? 16 : 4) == 0;
}

/* -r: the rows first, then the names of all their addresses looked up together, within one
 * budget, then the table (which formats the endpoints once the names are known). */
static int list_with_names(struct listing *l, const struct cli_options *o,
			   struct tcpt_stream_result *res, struct resolver **ret_names)
{
	struct tcpt_snapshot *snap;
	int r = tcpt_snapshot_take(&o->query, &snap);
	if (r < 0)
		return r;
	r = resolver_new(RESOLVE_BUDGET_MS, ret_names);
	if (r < 0) {
		tcpt_snapshot_free(snap);
		return r;
	}
	const struct tcpt_conn *rows = tcpt_snapshot_rows(snap);
	size_t n = tcpt_snapshot_count(snap);
	for (size_t i = 0; i < n; i++)
		for (int local = 0; local < 2; local++)
			if (!is_any_address(&rows[i], local))
				resolver_want(*ret_names, rows[i].family,
					      local ? rows[i].local_addr : rows[i].remote_addr);
	resolver_wait(*ret_names);
	l->view.names = *ret_names;
	for (size_t i = 0; i < n && r == 0; i++)
		r = on_row(&rows[i], l);
	*res = (struct tcpt_stream_result){
		.rows = n,
		.unreadable_processes = tcpt_snapshot_unreadable_processes(snap),
		.source = tcpt_snapshot_source(snap),
	};
	tcpt_snapshot_free(snap);
	return r;
}

static void explain_unresolved(struct resolver *names)
{
	size_t late = resolver_unanswered(names);
	if (late)
		fprintf(stderr, "tcptable: %zu address%s did not resolve within %u s; shown as "
				"numbers\n", late, late == 1 ? "" : "es", RESOLVE_BUDGET_MS / 1000);
}

int action_list(const struct cli_options *o)
{
	static struct outbuf out;
	outbuf_init(&out, STDOUT_FILENO);
	struct listing l = {.out = &out};
	view_init(&l.view, o, isatty(STDOUT_FILENO));
	begin(&l);
	struct tcpt_stream_result res;
	struct resolver *names = NULL;
	int r = o->resolve && o->format == FORMAT_TABLE
			? list_with_names(&l, o, &res, &names)
			: tcpt_snapshot_stream(&o->query, on_row, &l, &res);
	if (r < 0 && r != -ENOMEM)
		explain_failure(o, r);
	if (r == 0)
		r = finish(&l);
	if (r == 0)
		r = outbuf_flush(&out);
	if (o->format == FORMAT_TABLE)
		table_free(&l.table);
	view_free(&l.view);
	if (names && r == 0)
		explain_unresolved(names);
	resolver_free(names);
	if (r < 0) {
		if (r == -ENOMEM || out.error)
			fprintf(stderr, "tcptable: cannot write the output: %s\n", tcpt_strerror(r));
		return 1;
	}
	if (o->show_owners)
		explain_missing_owners(res.unreadable_processes);
	if (res.source == TCPT_SOURCE_PROC && (o->query.states & TCPT_STATE_BIT(TCPT_BOUND_INACTIVE)))
		fprintf(stderr, "tcptable: /proc/net/tcp does not list bound-inactive sockets; "
				"only netlink does\n");
	return 0;
}
