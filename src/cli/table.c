/* table.c - the aligned text table. Pass one formats every padded cell once, into one
 * buffer, and measures the columns; pass two pads and writes. The last column (owners, or
 * whatever is last) is written in pass two without padding. */
#include "table.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "escape.h"
#include "info_text.h"

enum { CELL_MAX = 256 };

typedef size_t (*cell_fn)(struct view *v, const struct tcpt_conn *r, char *out, size_t size);

struct column {
	const char *header;
	cell_fn format;
	const char *(*color)(const struct tcpt_conn *r); /* NULL: plain */
};

static size_t put_text(char *out, size_t size, const char *s)
{
	size_t n = strlen(s);
	if (n >= size)
		n = size - 1;
	memcpy(out, s, n);
	out[n] = '\0';
	return n;
}

static size_t put_u64(char *out, size_t size, uint64_t v)
{
	int n = snprintf(out, size, "%llu", (unsigned long long)v);
	return n < 0 ? 0 : (size_t)n;
}

/* --- cells ------------------------------------------------------------------------------ */

static size_t cell_netns(struct view *v, const struct tcpt_conn *r, char *out, size_t size)
{
	const char *name = names_netns(&v->netns_names, r->netns);
	return name ? put_text(out, size, name) : put_u64(out, size, r->netns);
}

static size_t cell_proto(struct view *v, const struct tcpt_conn *r, char *out, size_t size)
{
	(void)v;
	return put_text(out, size, r->family == AF_INET6 ? "tcp6" : "tcp");
}

static size_t cell_local(struct view *v, const struct tcpt_conn *r, char *out, size_t size)
{
	(void)size; /* CELL_MAX > ENDPOINT_MAX */
	return endpoint_format(r, true, &v->ifnames, out);
}

static size_t cell_remote(struct view *v, const struct tcpt_conn *r, char *out, size_t size)
{
	(void)size;
	return endpoint_format(r, false, &v->ifnames, out);
}

static size_t cell_state(struct view *v, const struct tcpt_conn *r, char *out, size_t size)
{
	(void)v;
	return put_text(out, size, tcpt_state_name(r->state));
}

static size_t cell_uid(struct view *v, const struct tcpt_conn *r, char *out, size_t size)
{
	(void)v;
	return put_u64(out, size, r->uid);
}

static size_t cell_user(struct view *v, const struct tcpt_conn *r, char *out, size_t size)
{
	const char *name = names_user(&v->users, r->uid);
	return name ? escape_for_terminal(name, out, size) : put_u64(out, size, r->uid);
}

static size_t cell_inode(struct view *v, const struct tcpt_conn *r, char *out, size_t size)
{
	(void)v;
	return put_u64(out, size, r->inode);
}

static size_t cell_cookie(struct view *v, const struct tcpt_conn *r, char *out, size_t size)
{
	(void)v;
	return put_u64(out, size, r->cookie);
}

static size_t cell_cgroup(struct view *v, const struct tcpt_conn *r, char *out, size_t size)
{
	if (!r->cgroup_id)
		return put_text(out, size, "-");
	const char *path = names_cgroup(&v->cgroups, r->cgroup_id);
	return path ? escape_for_terminal(path, out, size) : put_u64(out, size, r->cgroup_id);
}

static size_t cell_rq(struct view *v, const struct tcpt_conn *r, char *out, size_t size)
{
	(void)v;
	return put_u64(out, size, r->rqueue);
}

static size_t cell_sq(struct view *v, const struct tcpt_conn *r, char *out, size_t size)
{
	(void)v;
	return put_u64(out, size, r->wqueue);
}

static size_t cell_timer(struct view *v, const struct tcpt_conn *r, char *out, size_t size)
{
	(void)v;
	return info_text_timer(r, out, size);
}

static size_t cell_owners(struct view *v, const struct tcpt_conn *r, char *out, size_t size)
{
	(void)v;
	size_t len = 0;
	out[0] = '\0';
	for (uint32_t i = 0; i < r->owner_count && len + 32 < size; i++) {
		int n = snprintf(out + len, size - len, "%s%d/", i ? "," : "",
				 (int)r->owners[i].pid);
		len += (size_t)n;
		const char *name = r->owners[i].name ? r->owners[i].name : "?";
		len += escape_for_terminal(name, out + len, size - len);
	}
	return len;
}

/* --- colours ---------------------------------------------------------------------------- */

static const char *state_color(const struct tcpt_conn *r)
{
	switch (r->state) {
	case TCPT_LISTEN: return "\033[36m";           /* cyan */
	case TCPT_ESTABLISHED: return "\033[32m";      /* green */
	case TCPT_SYN_SENT:
	case TCPT_SYN_RECV: return "\033[33m";         /* yellow */
	case TCPT_TIME_WAIT: return "\033[2m";         /* dim */
	default: return "\033[35m";                    /* closing states: magenta */
	}
}

/* --- layout ----------------------------------------------------------------------------- */

enum { MAX_COLUMNS = 16 };

struct layout {
	struct column cols[MAX_COLUMNS];
	size_t width[MAX_COLUMNS];
	size_t ncols;
};

static void add_column(struct layout *l, const char *header, cell_fn format,
		       const char *(*color)(const struct tcpt_conn *))
{
	l->cols[l->ncols] = (struct column){header, format, color};
	l->width[l->ncols] = strlen(header);
	l->ncols++;
}

static void choose_columns(struct layout *l, const struct view *v)
{
	const struct cli_options *o = v->opts;
	if (v->show_netns)
		add_column(l, "Netns", cell_netns, NULL);
	add_column(l, "Proto", cell_proto, NULL);
	add_column(l, "Local Address", cell_local, NULL);
	add_column(l, "Remote Address", cell_remote, NULL);
	add_column(l, "State", cell_state, v->color ? state_color : NULL);
	if (o->show_extended) {
		add_column(l, "UID", cell_uid, NULL);
		add_column(l, "User", cell_user, NULL);
		add_column(l, "Inode", cell_inode, NULL);
		add_column(l, "Cookie", cell_cookie, NULL);
		add_column(l, "Cgroup", cell_cgroup, NULL);
		add_column(l, "Recv-Q", cell_rq, NULL);
		add_column(l, "Send-Q", cell_sq, NULL);
	}
	if (o->show_extended || o->show_timers)
		add_column(l, "Timer", cell_timer, NULL);
	if (o->show_owners)
		add_column(l, "PID/Program", cell_owners, NULL);
}

/* Cells of every column but the last, each stored as a length byte and its text. */
struct cells {
	char *text;
	size_t len;
	size_t cap;
};

static int cells_reserve(struct cells *c, size_t more)
{
	if (c->cap - c->len >= more)
		return 0;
	size_t cap = c->cap ? c->cap : 65536;
	while (cap - c->len < more) {
		if (cap > SIZE_MAX / 2)
			return -ENOMEM;
		cap *= 2;
	}
	char *bigger = realloc(c->text, cap);
	if (!bigger)
		return -ENOMEM;
	c->text = bigger;
	c->cap = cap;
	return 0;
}

static int measure(struct layout *l, struct view *v, const struct tcpt_conn *rows, size_t count,
		   struct cells *c)
{
	for (size_t i = 0; i < count; i++) {
		if (cells_reserve(c, (l->ncols - 1) * (CELL_MAX + 1)) < 0)
			return -ENOMEM;
		for (size_t k = 0; k + 1 < l->ncols; k++) {
			char *cell = c->text + c->len;
			size_t n = l->cols[k].format(v, &rows[i], cell + 1, CELL_MAX);
			cell[0] = (char)(n > 255 ? 255 : n);
			c->len += (size_t)(unsigned char)cell[0] + 1;
			if (n > l->width[k])
				l->width[k] = n;
		}
	}
	return 0;
}

static void put_padded(struct outbuf *o, const char *s, size_t n, size_t width,
		       const char *color)
{
	if (color)
		outbuf_puts(o, color);
	outbuf_put(o, s, n);
	if (color)
		outbuf_puts(o, "\033[0m");
	outbuf_pad(o, width - n + 1);
}

static void write_header(struct outbuf *o, const struct layout *l)
{
	for (size_t k = 0; k + 1 < l->ncols; k++)
		put_padded(o, l->cols[k].header, strlen(l->cols[k].header), l->width[k], NULL);
	outbuf_puts(o, l->cols[l->ncols - 1].header);
	outbuf_putc(o, '\n');
}

static void write_row(struct outbuf *o, const struct layout *l, struct view *v,
		      const struct tcpt_conn *r, const char **cell)
{
	for (size_t k = 0; k + 1 < l->ncols; k++) {
		size_t n = (unsigned char)**cell;
		const char *color = l->cols[k].color ? l->cols[k].color(r) : NULL;
		put_padded(o, *cell + 1, n, l->width[k], color);
		*cell += n + 1;
	}
	char last[4096];
	size_t n = l->cols[l->ncols - 1].format(v, r, last, sizeof(last));
	const char *color = l->cols[l->ncols - 1].color ? l->cols[l->ncols - 1].color(r) : NULL;
	if (color)
		outbuf_puts(o, color);
	outbuf_put(o, last, n);
	if (color)
		outbuf_puts(o, "\033[0m");
	outbuf_putc(o, '\n');
	if (v->opts->show_info && r->info) {
		char detail[1024];
		outbuf_putc(o, '\t');
		outbuf_put(o, detail, info_text_detail(r->info, detail, sizeof(detail)));
		outbuf_putc(o, '\n');
	}
}

int table_write(const struct tcpt_conn *rows, size_t count, struct view *v, struct outbuf *out)
{
	struct layout l = {.ncols = 0};
	choose_columns(&l, v);
	struct cells cells = {0};
	int r = measure(&l, v, rows, count, &cells);
	if (r == 0) {
		write_header(out, &l);
		const char *cell = cells.text;
		for (size_t i = 0; i < count; i++)
			write_row(out, &l, v, &rows[i], &cell);
	}
	free(cells.text);
	return r;
}
