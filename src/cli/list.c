/* list.c - the default action: the rows are streamed from the kernel and written as they come
 * (JSON, CSV) or kept only as table text until the widths are known. */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "actions.h"
#include "csv.h"
#include "json.h"
#include "owners_beside.h"
#include "resolve.h"
#include "table.h"
#include "view.h"

static void explain_failure(const struct cli_options *o, int r)
{
	bool other_netns = o->query.netns_count || o->query.netns_path_count;
	if (r == -EPERM && other_netns)
		fprintf(stderr, "tcptable: looking into other network namespaces needs root\n");
	else if (o->query.netns_path_count && (r == -EMFILE || r == -ENFILE || r == -EACCES))
		/* the library opens each namespace's path as it reads it: open(2)'s errors */
		fprintf(stderr, "tcptable: cannot open a network namespace: %s\n", strerror(-r));
	else
		fprintf(stderr, "tcptable: cannot read the TCP sockets: %s\n", tcpt_strerror(r));
}

int take_snapshot(const struct cli_options *o, struct tcpt_snapshot **ret)
{
	int r = tcpt_snapshot_take(&o->query, ret);
	if (r == 0) {
		explain_missing_owners(o, tcpt_snapshot_unreadable_processes(*ret),
				       tcpt_snapshot_owner_gaps(*ret));
		return 0;
	}
	explain_failure(o, r);
	return -1;
}

/* Owners matter when they are shown, and when rows are selected by them: an empty answer to
 * --pid or --comm must not look like "no such sockets" when it means "could not look". */
static bool owners_matter(const struct cli_options *o)
{
	const struct tcpt_filter *f = o->query.filter;
	return o->show_owners || (f && (f->pid_count || f->name_count));
}

void explain_missing_owners(const struct cli_options *o, size_t unreadable, unsigned gaps)
{
	if (!owners_matter(o))
		return;
	if (gaps & TCPT_OWNERS_NO_PROC)
		fprintf(stderr, "tcptable: no procfs at /proc, so no socket has a known owner "
				"(mount proc on /proc)\n");
	if (gaps & TCPT_OWNERS_HIDDEN)
		fprintf(stderr, "tcptable: /proc is mounted with hidepid: other users' processes "
				"are hidden, so their sockets show no owner (run as root to see "
				"them)\n");
	if (unreadable)
		fprintf(stderr,
			"tcptable: %zu process%s could not be inspected; their sockets show no "
			"owner (%s)\n", unreadable, unreadable == 1 ? "" : "es",
			geteuid() ? "run as root to see them" : "the kernel refused even root");
}

/* -v: "tcptable: rows from netlink, owners from bpf" */
static void say_sources(const struct tcpt_stream_result *res)
{
	if (res->owner_source == TCPT_SOURCE_AUTO)
		fprintf(stderr, "tcptable: rows from %s, owners not asked for\n",
			tcpt_source_name(res->source));
	else
		fprintf(stderr, "tcptable: rows from %s, owners from %s\n",
			tcpt_source_name(res->source), tcpt_source_name(res->owner_source));
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
	else {
		if (f == FORMAT_JSON && l->view.opts->verbose)
			json_wrap_begin(l->out);
		json_begin(l->out, f == FORMAT_JSONL);
	}
}

static int finish(struct listing *l, const struct tcpt_stream_result *res)
{
	enum output_format f = l->view.opts->format;
	if (f == FORMAT_JSON || f == FORMAT_JSONL)
		json_end(l->out, f == FORMAT_JSONL, l->rows);
	if (f == FORMAT_JSON && l->view.opts->verbose)
		json_wrap_end(l->out, res->source, res->owner_source);
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

/* -p in a table: the owners are found on a second thread while the rows stream in without
 * them, and joined by inode when the table is written, so that the owner walk and the
 * kernel's dump take as long as the longer of them, not both. Where rows are selected by
 * their owners (--pid, --comm) the library joins them as they come instead. */
static bool owners_beside_rows(const struct cli_options *o)
{
	const struct tcpt_filter *f = o->query.filter;
	return o->format == FORMAT_TABLE && o->show_owners && !o->resolve &&
	       !(f && (f->pid_count || f->name_count));
}

static int list_owners_beside(struct listing *l, const struct cli_options *o,
			      struct tcpt_stream_result *res, struct tcpt_owner_map **ret_map)
{
	struct owners_beside beside;
	owners_beside_begin(&beside, &o->query);
	struct tcpt_query rows_only = owners_beside_rows_query(&o->query);
	int r = tcpt_snapshot_stream(&rows_only, on_row, l, res);
	int owners = owners_beside_end(&beside, ret_map);
	if (r == 0)
		r = owners;
	if (r == 0) {
		l->view.owner_map = *ret_map;
		res->owner_source = tcpt_owner_map_source(*ret_map);
		res->unreadable_processes = tcpt_owner_map_unreadable_processes(*ret_map);
		res->owner_gaps = tcpt_owner_map_gaps(*ret_map);
	}
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
	l.view.owners_later = owners_beside_rows(o);
	begin(&l);
	struct tcpt_stream_result res;
	struct resolver *names = NULL;
	struct tcpt_owner_map *owners = NULL;
	int r;
	if (o->resolve && o->format == FORMAT_TABLE)
		r = list_with_names(&l, o, &res, &names);
	else if (l.view.owners_later)
		r = list_owners_beside(&l, o, &res, &owners);
	else
		r = tcpt_snapshot_stream(&o->query, on_row, &l, &res);
	if (r < 0 && r != -ENOMEM)
		explain_failure(o, r);
	if (r == 0)
		r = finish(&l, &res);
	if (r == 0)
		r = outbuf_flush(&out);
	if (o->format == FORMAT_TABLE)
		table_free(&l.table);
	tcpt_owner_map_free(owners);
	view_free(&l.view);
	if (names && r == 0)
		explain_unresolved(names);
	resolver_free(names);
	if (r < 0) {
		if (out.error)
			fprintf(stderr, "tcptable: cannot write the output: %s\n",
				strerror(-out.error));
		else if (r == -ENOMEM)
			fprintf(stderr, "tcptable: out of memory\n");
		return 1;
	}
	if (o->verbose)
		say_sources(&res);
	explain_missing_owners(o, res.unreadable_processes, res.owner_gaps);
	if (res.source == TCPT_SOURCE_PROC && (o->query.states & TCPT_STATE_BIT(TCPT_BOUND_INACTIVE)))
		fprintf(stderr, "tcptable: /proc/net/tcp does not list bound-inactive sockets; "
				"only netlink does\n");
	return 0;
}
