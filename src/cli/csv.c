#include "csv.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "escape.h"
#include "record.h"

static bool needs_quotes(const char *s)
{
	size_t n = strlen(s);
	return strpbrk(s, ",\"\r\n") || (n && (s[0] == ' ' || s[n - 1] == ' '));
}

static void put_exact(struct outbuf *o, const char *s)
{
	if (!needs_quotes(s)) {
		outbuf_puts(o, s);
		return;
	}
	outbuf_putc(o, '"');
	for (; *s; s++) {
		if (*s == '"')
			outbuf_putc(o, '"');
		outbuf_putc(o, *s);
	}
	outbuf_putc(o, '"');
}

void csv_put_field(struct outbuf *o, const char *s, bool for_terminal)
{
	if (!for_terminal) {
		put_exact(o, s);
		return;
	}
	size_t cap = strlen(s) * 4 + 1;
	char *safe = malloc(cap);
	if (!safe)
		return;
	escape_for_terminal(s, safe, cap);
	put_exact(o, safe);
	free(safe);
}

/* --- the header ---------------------------------------------------------------------------- */

struct csv_ctx {
	struct outbuf *o;
	struct view *v;
	int first;
	const char *prefix; /* "info_" inside tcp_info */
};

static void separator(struct csv_ctx *c)
{
	if (!c->first)
		outbuf_putc(c->o, ',');
	c->first = 0;
}

static void head_key(void *ctx, const char *key)
{
	struct csv_ctx *c = ctx;
	separator(c);
	if (c->prefix)
		outbuf_puts(c->o, c->prefix);
	outbuf_puts(c->o, key);
}

static void head_number(void *ctx, const char *key, uint64_t v)
{
	(void)v;
	head_key(ctx, key);
}

static void head_string(void *ctx, const char *key, const char *v)
{
	(void)v;
	head_key(ctx, key);
}

static void head_owners(void *ctx, const char *key, const struct tcpt_conn *r)
{
	(void)key;
	(void)r;
	head_key(ctx, "owner_pids");
	head_key(ctx, "owner_fds");
	head_key(ctx, "owner_names");
	head_key(ctx, "owner_exes");
}

static void head_info(void *ctx, const char *key, const struct tcpt_tcp_info *info)
{
	(void)key;
	struct csv_ctx *c = ctx;
	struct record_sink s = {.ctx = c, .number = head_number, .string = head_string};
	c->prefix = "info_";
	record_info_fields(info, &s);
	c->prefix = NULL;
}

/* --- rows ---------------------------------------------------------------------------------- */

static void row_number(void *ctx, const char *key, uint64_t v)
{
	(void)key;
	struct csv_ctx *c = ctx;
	separator(c);
	outbuf_putu(c->o, v);
}

static void row_string(void *ctx, const char *key, const char *v)
{
	(void)key;
	struct csv_ctx *c = ctx;
	separator(c);
	if (v)
		csv_put_field(c->o, v, c->v->escape_csv);
}

/* One owner list field: values joined by ';', with '\' and ';' inside a value escaped. */
static void owner_list(struct csv_ctx *c, const struct tcpt_conn *r, int which)
{
	struct outbuf *o = c->o;
	size_t cap = 64;
	for (uint32_t i = 0; i < r->owner_count; i++) {
		const char *s = which == 2 ? r->owners[i].name : r->owners[i].exe;
		cap += (s ? strlen(s) * 2 : 0) + 24;
	}
	char *list = malloc(cap);
	if (!list)
		return;
	size_t len = 0;
	for (uint32_t i = 0; i < r->owner_count; i++) {
		if (i)
			list[len++] = ';';
		const struct tcpt_owner *w = &r->owners[i];
		if (which < 2) {
			len += (size_t)snprintf(list + len, cap - len, "%d", which ? w->fd : w->pid);
			continue;
		}
		const char *s = which == 2 ? w->name : w->exe;
		for (; s && *s; s++) {
			if (*s == ';' || *s == '\\')
				list[len++] = '\\';
			list[len++] = *s;
		}
	}
	list[len] = '\0';
	separator(c);
	csv_put_field(o, list, c->v->escape_csv);
	free(list);
}

static void row_owners(void *ctx, const char *key, const struct tcpt_conn *r)
{
	(void)key;
	for (int which = 0; which < 4; which++)
		owner_list(ctx, r, which);
}

static void count_number(void *ctx, const char *key, uint64_t v)
{
	(void)key;
	(void)v;
	++*(size_t *)ctx;
}

static void count_string(void *ctx, const char *key, const char *v)
{
	(void)key;
	(void)v;
	++*(size_t *)ctx;
}

static void row_info(void *ctx, const char *key, const struct tcpt_tcp_info *info)
{
	(void)key;
	struct csv_ctx *c = ctx;
	if (info) {
		struct record_sink s = {.ctx = c, .number = row_number, .string = row_string};
		record_info_fields(info, &s);
		return;
	}
	/* no tcp_info (listeners, TIME-WAIT, /proc): as many empty fields as the header has */
	size_t fields = 0;
	struct record_sink counter = {.ctx = &fields, .number = count_number,
				      .string = count_string};
	record_info_fields(NULL, &counter);
	for (size_t i = 0; i < fields; i++)
		separator(c);
}

void csv_begin(struct view *v, struct outbuf *o)
{
	if (v->opts->no_header)
		return;
	struct csv_ctx c = {.o = o, .v = v, .first = 1};
	struct record_sink head = {&c, head_number, head_string, head_owners, head_info};
	record_emit(v, &record_example_row, &head);
	outbuf_put(o, "\r\n", 2);
}

void csv_add(struct view *v, const struct tcpt_conn *row, struct outbuf *o)
{
	struct csv_ctx c = {.o = o, .v = v, .first = 1};
	struct record_sink sink = {&c, row_number, row_string, row_owners, row_info};
	record_emit(v, row, &sink);
	outbuf_put(o, "\r\n", 2);
}

void csv_write(const struct tcpt_conn *rows, size_t count, struct view *v, struct outbuf *o)
{
	csv_begin(v, o);
	for (size_t i = 0; i < count; i++)
		csv_add(v, &rows[i], o);
}
