/* watch_table.c - formatting, counting, filtering and sorting the live view's lines. */
#include "watch_table.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "escape.h"

static const char *const titles[WCOL_COUNT] = {
	[WCOL_PROTO] = "Proto", [WCOL_LOCAL] = "Local Address",
	[WCOL_REMOTE] = "Remote Address", [WCOL_STATE] = "State",
	[WCOL_NETNS] = "Netns", [WCOL_PROCESS] = "PID/Program",
};

const char *watch_column_title(enum watch_column c)
{
	return c < WCOL_COUNT ? titles[c] : "";
}

const char *watch_line_cell(const struct watch_line *line, enum watch_column c)
{
	switch (c) {
	case WCOL_PROTO: return view_proto_name(line->row);
	case WCOL_LOCAL: return line->local;
	case WCOL_REMOTE: return line->remote;
	case WCOL_STATE: return tcpt_conn_state_name(line->row);
	case WCOL_NETNS: return line->netns;
	case WCOL_PROCESS: return line->process;
	default: return "";
	}
}

/* --- formatting ------------------------------------------------------------------------- */

/* Owners as the table shows them; names are untrusted (a process names itself). */
static void format_owners(const struct tcpt_conn *r, char *out, size_t size)
{
	size_t len = 0;
	out[0] = '\0';
	for (uint32_t i = 0; i < r->owner_count && len + 16 < size; i++) {
		int n = snprintf(out + len, size - len, "%s%d/", i ? "," : "", (int)r->owners[i].pid);
		if (n < 0 || (size_t)n >= size - len)
			break;
		len += (size_t)n;
		const char *name = r->owners[i].name ? r->owners[i].name : "?";
		len += escape_for_terminal(name, out + len, size - len);
	}
}

static void format_netns(struct view *v, const struct tcpt_conn *r, char *out, size_t size)
{
	const char *name = names_netns(&v->netns_names, r->netns);
	if (name)
		escape_for_terminal(name, out, size);
	else
		snprintf(out, size, "%llu", (unsigned long long)r->netns);
}

static void format_line(struct watch_line *l, const struct watch_item *item, struct view *v)
{
	l->row = item->row;
	l->mark = item->mark;
	endpoint_format(item->row, true, &v->ifnames, l->local);
	endpoint_format(item->row, false, &v->ifnames, l->remote);
	l->netns[0] = '\0';
	if (v->show_netns)
		format_netns(v, item->row, l->netns, sizeof(l->netns));
	format_owners(item->row, l->process, sizeof(l->process));
}

static void count_line(struct watch_table *t, const struct watch_line *l)
{
	t->per_mark[l->mark]++;
	if (l->mark == WATCH_CLOSED)
		return;
	t->current++;
	if (l->row->state <= TCPT_STATE_MAX)
		t->per_state[l->row->state]++;
}

int watch_table_fill(struct watch_table *t, const struct watch_item *items, size_t n,
		     struct view *v)
{
	watch_table_free(t);
	if (n > SIZE_MAX / sizeof(struct watch_line))
		return -ENOMEM;
	t->lines = malloc((n ? n : 1) * sizeof(*t->lines));
	t->order = malloc((n ? n : 1) * sizeof(*t->order));
	if (!t->lines || !t->order) {
		watch_table_free(t);
		return -ENOMEM;
	}
	for (size_t i = 0; i < n; i++) {
		format_line(&t->lines[i], &items[i], v);
		count_line(t, &t->lines[i]);
	}
	t->count = n;
	return 0;
}

/* --- filtering and sorting -------------------------------------------------------------- */

static bool line_matches(const struct watch_line *l, const char *filter)
{
	if (!filter || !*filter)
		return true;
	for (int c = 0; c < WCOL_COUNT; c++)
		if (strcasestr(watch_line_cell(l, (enum watch_column)c), filter))
			return true;
	return false;
}

static int cmp_u64(uint64_t a, uint64_t b)
{
	return (a > b) - (a < b);
}

/* Addresses sort as numbers (10.0.0.2 before 10.0.0.10), IPv4 before IPv6. */
static int cmp_end(const struct tcpt_conn *a, const struct tcpt_conn *b, bool local)
{
	int r = cmp_u64(a->family, b->family);
	if (!r)
		r = memcmp(local ? a->local_addr : a->remote_addr,
			   local ? b->local_addr : b->remote_addr, 16);
	if (!r)
		r = cmp_u64(local ? a->local_port : a->remote_port,
			    local ? b->local_port : b->remote_port);
	return (r > 0) - (r < 0);
}

struct sort_spec {
	const struct watch_table *t;
	enum watch_column col;
	bool reverse;
};

static int cmp_column(const struct watch_line *a, const struct watch_line *b,
		      enum watch_column col)
{
	switch (col) {
	case WCOL_PROTO: {
		int r = cmp_u64(a->row->protocol, b->row->protocol);
		return r ? r : cmp_u64(a->row->family, b->row->family);
	}
	case WCOL_LOCAL: return cmp_end(a->row, b->row, true);
	case WCOL_REMOTE: return cmp_end(a->row, b->row, false);
	case WCOL_NETNS: return cmp_u64(a->row->netns, b->row->netns);
	default: return strcmp(watch_line_cell(a, col), watch_line_cell(b, col));
	}
}

static int cmp_lines(const void *pa, const void *pb, void *ctx)
{
	const struct sort_spec *s = ctx;
	const struct watch_line *a = &s->t->lines[*(const size_t *)pa];
	const struct watch_line *b = &s->t->lines[*(const size_t *)pb];
	int r = cmp_column(a, b, s->col);
	if (!r)
		r = cmp_end(a->row, b->row, true);
	if (!r)
		r = watch_key_compare(a->row, b->row);
	return s->reverse ? -r : r;
}

void watch_table_arrange(struct watch_table *t, const char *filter, enum watch_column sort,
			 bool reverse)
{
	t->shown = 0;
	for (size_t i = 0; i < t->count; i++)
		if (line_matches(&t->lines[i], filter))
			t->order[t->shown++] = i;
	struct sort_spec spec = {t, sort, reverse};
	qsort_r(t->order, t->shown, sizeof(*t->order), cmp_lines, &spec);
}

size_t watch_table_find(const struct watch_table *t, const struct tcpt_conn *key)
{
	for (size_t i = 0; i < t->shown; i++)
		if (watch_key_compare(t->lines[t->order[i]].row, key) == 0)
			return i;
	return (size_t)-1;
}

void watch_table_free(struct watch_table *t)
{
	free(t->lines);
	free(t->order);
	memset(t, 0, sizeof(*t));
}
