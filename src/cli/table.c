/* table.c - the aligned text table. Each row is kept, as it arrives, as its endpoints in
 * binary and the text of its other cells (about 20 bytes for an IPv4 row of the default
 * table: far less than the rows themselves), and the columns are measured on the way; the table is
 * written once all widths are known. */
#include "table.h"

#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "escape.h"
#include "info_text.h"

enum { CELL_MAX = 256 };

typedef size_t (*cell_fn)(struct view *v, const struct tcpt_conn *r, char *out, size_t size);

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
	return put_text(out, size, view_proto_name(r));
}

static size_t cell_local(struct view *v, const struct tcpt_conn *r, char *out, size_t size)
{
	if (v->names)
		return endpoint_format_named(r, true, &v->ifnames, v->names, out, size);
	return endpoint_format(r, true, &v->ifnames, out); /* CELL_MAX > ENDPOINT_MAX */
}

static size_t cell_remote(struct view *v, const struct tcpt_conn *r, char *out, size_t size)
{
	if (v->names)
		return endpoint_format_named(r, false, &v->ifnames, v->names, out, size);
	return endpoint_format(r, false, &v->ifnames, out);
}

static size_t cell_state(struct view *v, const struct tcpt_conn *r, char *out, size_t size)
{
	(void)v;
	return put_text(out, size, tcpt_conn_state_name(r));
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


static size_t cell_timer(struct view *v, const struct tcpt_conn *r, char *out, size_t size)
{
	(void)v;
	return info_text_timer(r, out, size);
}

/* Decimal V at OUT; returns the length. */
static size_t put_decimal(char *out, uint32_t v)
{
	char tmp[10];
	size_t n = 0;
	do
		tmp[n++] = (char)('0' + v % 10);
	while (v /= 10);
	for (size_t i = 0; i < n; i++)
		out[i] = tmp[n - 1 - i];
	return n;
}

/* The queues are in every row of the default table: formatted by hand. */
static size_t cell_rq(struct view *v, const struct tcpt_conn *r, char *out, size_t size)
{
	(void)v;
	(void)size; /* CELL_MAX > 10 digits */
	size_t n = put_decimal(out, r->rqueue);
	out[n] = '\0';
	return n;
}

static size_t cell_sq(struct view *v, const struct tcpt_conn *r, char *out, size_t size)
{
	(void)v;
	(void)size;
	size_t n = put_decimal(out, r->wqueue);
	out[n] = '\0';
	return n;
}

/* "pid/name,pid/name": formatted by hand, being in every row of `tcptable -p`. */
static size_t cell_owners(struct view *v, const struct tcpt_conn *r, char *out, size_t size)
{
	(void)v;
	size_t len = 0;
	out[0] = '\0';
	for (uint32_t i = 0; i < r->owner_count && len + 32 < size; i++) {
		if (i)
			out[len++] = ',';
		len += put_decimal(out + len, (uint32_t)r->owners[i].pid);
		out[len++] = '/';
		const char *name = r->owners[i].name ? r->owners[i].name : "?";
		len += escape_for_terminal(name, out + len, size - len);
	}
	out[len] = '\0';
	return len;
}

/* The owners of a row kept without them (view.owners_later): found in the view's owner map
 * by the kept inode, at write time. */
static size_t cell_owners_later(struct view *v, const struct tcpt_conn *r, char *out,
				size_t size)
{
	struct tcpt_conn with = *r;
	with.owner_count = tcpt_owner_map_find(v->owner_map, r->inode, &with.owners);
	return cell_owners(v, &with, out, size);
}

/* --- colours ---------------------------------------------------------------------------- */

static const char *state_color(uint8_t state)
{
	switch (state) {
	case TCPT_LISTEN: return "\033[36m";           /* cyan */
	case TCPT_ESTABLISHED: return "\033[32m";      /* green */
	case TCPT_SYN_SENT:
	case TCPT_SYN_RECV: return "\033[33m";         /* yellow */
	case TCPT_TIME_WAIT: return "\033[2m";         /* dim */
	default: return "\033[35m";                    /* closing states: magenta */
	}
}

/* --- columns ------------------------------------------------------------------------------ */

/* The width of a core column's cell, without formatting it where that is cheaper. */
typedef size_t (*width_fn)(struct view *v, const struct tcpt_conn *r);

struct table_column {
	const char *header;
	cell_fn format;
	bool colored;   /* by state, when the view has colour */
	bool core;      /* formatted again at write time from the kept endpoints, not kept as text */
	width_fn width; /* core columns: the cell's length */
};

static size_t width_proto(struct view *v, const struct tcpt_conn *r)
{
	(void)v;
	return strlen(view_proto_name(r));
}

static size_t width_local(struct view *v, const struct tcpt_conn *r)
{
	char scratch[CELL_MAX];
	if (v->names)
		return cell_local(v, r, scratch, sizeof(scratch));
	return endpoint_length(r, true, &v->ifnames);
}

static size_t width_remote(struct view *v, const struct tcpt_conn *r)
{
	char scratch[CELL_MAX];
	if (v->names)
		return cell_remote(v, r, scratch, sizeof(scratch));
	return endpoint_length(r, false, &v->ifnames);
}

static size_t width_state(struct view *v, const struct tcpt_conn *r)
{
	(void)v;
	return strlen(tcpt_conn_state_name(r));
}

static size_t width_unmeasured(struct view *v, const struct tcpt_conn *r)
{
	(void)v;
	(void)r;
	return 0; /* the last column, never padded */
}

static const struct table_column
	col_netns = {"Netns", cell_netns, false, false},
	col_proto = {"Proto", cell_proto, false, true, width_proto},
	col_local = {"Local Address", cell_local, false, true, width_local},
	col_remote = {"Remote Address", cell_remote, false, true, width_remote},
	col_state = {"State", cell_state, true, true, width_state},
	col_uid = {"UID", cell_uid, false, false}, col_user = {"User", cell_user, false, false},
	col_inode = {"Inode", cell_inode, false, false},
	col_cookie = {"Cookie", cell_cookie, false, false},
	col_cgroup = {"Cgroup", cell_cgroup, false, false},
	col_rq = {"Recv-Q", cell_rq, false, false}, col_sq = {"Send-Q", cell_sq, false, false},
	col_timer = {"Timer", cell_timer, false, false},
	col_owners = {"PID/Program", cell_owners, false, false},
	col_owners_later = {"PID/Program", cell_owners_later, false, true, width_unmeasured};

static void add_column(struct table *t, const struct table_column *c)
{
	t->cols[t->ncols] = c;
	t->width[t->ncols] = t->view->opts->no_header ? 0 : strlen(c->header);
	t->ncols++;
}

void table_begin(struct table *t, struct view *v)
{
	memset(t, 0, sizeof(*t));
	t->view = v;
	const struct cli_options *o = v->opts;
	if (v->show_netns)
		add_column(t, &col_netns);
	add_column(t, &col_proto);
	add_column(t, &col_rq);
	add_column(t, &col_sq);
	add_column(t, &col_local);
	add_column(t, &col_remote);
	add_column(t, &col_state);
	if (o->show_extended) {
		const struct table_column *ext[] = {&col_uid, &col_user, &col_inode, &col_cookie,
						    &col_cgroup};
		for (size_t i = 0; i < sizeof(ext) / sizeof(ext[0]); i++)
			add_column(t, ext[i]);
	}
	if (o->show_extended || o->show_timers)
		add_column(t, &col_timer);
	if (o->show_owners) /* last: its cells are the only ones of unbounded length */
		add_column(t, v->owners_later ? &col_owners_later : &col_owners);
}

/* --- keeping rows as text -------------------------------------------------------------------- */

static int reserve(struct table *t, size_t more)
{
	if (t->cap - t->len >= more)
		return 0;
	size_t cap = t->cap ? t->cap : 65536;
	while (cap - t->len < more) {
		if (cap > SIZE_MAX / 2)
			return -ENOMEM;
		cap *= 2;
	}
	char *bigger = realloc(t->text, cap);
	if (!bigger)
		return -ENOMEM;
	t->text = bigger;
	t->cap = cap;
	return 0;
}

static void keep_bytes(struct table *t, const void *p, size_t n)
{
	memcpy(t->text + t->len, p, n);
	t->len += n;
}

/* Format a cell straight into the kept text, its length in front. */
static size_t keep_formatted(struct table *t, cell_fn format, const struct tcpt_conn *r,
			     size_t max)
{
	char *cell = t->text + t->len + sizeof(uint16_t);
	size_t n = format(t->view, r, cell, max);
	uint16_t len = (uint16_t)n;
	keep_bytes(t, &len, sizeof(len));
	t->len += n;
	return n;
}

enum { LAST_CELL_MAX = 4096, DETAIL_MAX = 1024, HAS_SCOPE = 0x80, IS_UDP = 0x40,
       HAS_INODE = 0x20 };

/* The endpoints, binary: 14 bytes for an IPv4 row where their text would take 40. The core
 * columns are measured here (arithmetically for IPv4) and formatted from them at the end. */
static void keep_endpoints(struct table *t, const struct tcpt_conn *r)
{
	size_t addr_len = r->family == AF_INET6 ? 16 : 4;
	bool inode = t->view->owners_later && r->inode;
	uint8_t flags = (r->scope_id ? HAS_SCOPE : 0) |
			(r->protocol == TCPT_PROTO_NUMBER_UDP ? IS_UDP : 0) | (inode ? HAS_INODE : 0);
	uint8_t head[2] = {(uint8_t)(r->family | flags), r->state};
	keep_bytes(t, head, sizeof(head));
	if (r->scope_id) { /* an interface index is named in its own namespace */
		keep_bytes(t, &r->scope_id, sizeof(r->scope_id));
		keep_bytes(t, &r->netns, sizeof(r->netns));
	}
	if (inode) /* to find its owners by, once they are known */
		keep_bytes(t, &r->inode, sizeof(r->inode));
	keep_bytes(t, r->local_addr, addr_len);
	keep_bytes(t, &r->local_port, sizeof(r->local_port));
	keep_bytes(t, r->remote_addr, addr_len);
	keep_bytes(t, &r->remote_port, sizeof(r->remote_port));
}

/* The row keep_endpoints() kept, as far as the core columns need it. */
static void take_endpoints(const char **p, struct tcpt_conn *r)
{
	memset(r, 0, sizeof(*r));
	const uint8_t *head = (const uint8_t *)*p;
	r->family = head[0] & ~(HAS_SCOPE | IS_UDP | HAS_INODE);
	r->protocol = head[0] & IS_UDP ? TCPT_PROTO_NUMBER_UDP : TCPT_PROTO_NUMBER_TCP;
	r->state = head[1];
	*p += 2;
	if (head[0] & HAS_SCOPE) {
		memcpy(&r->scope_id, *p, sizeof(r->scope_id));
		*p += sizeof(r->scope_id);
		memcpy(&r->netns, *p, sizeof(r->netns));
		*p += sizeof(r->netns);
	}
	if (head[0] & HAS_INODE) {
		memcpy(&r->inode, *p, sizeof(r->inode));
		*p += sizeof(r->inode);
	}
	size_t addr_len = r->family == AF_INET6 ? 16 : 4;
	memcpy(r->local_addr, *p, addr_len);
	memcpy(&r->local_port, *p + addr_len, sizeof(r->local_port));
	*p += addr_len + sizeof(r->local_port);
	memcpy(r->remote_addr, *p, addr_len);
	memcpy(&r->remote_port, *p + addr_len, sizeof(r->remote_port));
	*p += addr_len + sizeof(r->remote_port);
}

int table_add(struct table *t, const struct tcpt_conn *r)
{
	if (t->error)
		return t->error;
	size_t need = 64 + t->ncols * (2 + CELL_MAX) + 2 + LAST_CELL_MAX + 2 + DETAIL_MAX;
	if (reserve(t, need) < 0)
		return t->error = -ENOMEM;
	keep_endpoints(t, r);
	for (size_t k = 0; k < t->ncols; k++) {
		bool last = k + 1 == t->ncols;
		size_t n;
		if (t->cols[k]->core) {
			n = t->cols[k]->width(t->view, r);
		} else {
			n = keep_formatted(t, t->cols[k]->format, r,
					   last ? LAST_CELL_MAX : CELL_MAX);
		}
		if (!last && n > t->width[k])
			t->width[k] = n;
	}
	if (t->view->opts->show_info) {
		char detail[DETAIL_MAX];
		uint16_t n = r->info ? (uint16_t)info_text_detail(r->info, detail, sizeof(detail)) : 0;
		keep_bytes(t, &n, sizeof(n));
		keep_bytes(t, detail, n);
	}
	t->rows++;
	return 0;
}

/* --- writing ------------------------------------------------------------------------------ */

static void put_padded(struct outbuf *o, const char *s, size_t n, size_t width,
		       const char *color)
{
	if (color)
		outbuf_puts(o, color);
	outbuf_put(o, s, n);
	if (color)
		outbuf_puts(o, "\033[0m");
	if (width) /* a cell wider than its measured width would be a bug: never pad by -1 */
		outbuf_pad(o, width >= n ? width - n + 1 : 1);
}

static void write_header(struct outbuf *o, const struct table *t)
{
	for (size_t k = 0; k < t->ncols; k++) {
		const char *h = t->cols[k]->header;
		put_padded(o, h, strlen(h), k + 1 < t->ncols ? t->width[k] : 0, NULL);
	}
	outbuf_putc(o, '\n');
}

static const char *take_cell(const char **p, size_t *ret_len)
{
	uint16_t len;
	memcpy(&len, *p, sizeof(len));
	const char *s = *p + sizeof(len);
	*p = s + len;
	*ret_len = len;
	return s;
}

static void write_row(struct outbuf *o, const struct table *t, const char **p)
{
	struct tcpt_conn r;
	take_endpoints(p, &r);
	for (size_t k = 0; k < t->ncols; k++) {
		char scratch[LAST_CELL_MAX];
		size_t n;
		const char *s;
		const char *color =
			t->view->color && t->cols[k]->colored ? state_color(r.state) : NULL;
		bool last = k + 1 == t->ncols;
		size_t width = last ? 0 : t->width[k], max = last ? LAST_CELL_MAX : CELL_MAX;
		char *at;
		if (t->cols[k]->core && !color && (at = outbuf_reserve(o, max))) {
			/* formatted in place: the common case, plain core cells */
			n = t->cols[k]->format(t->view, &r, at, max);
			outbuf_commit(o, n);
			if (width)
				outbuf_pad(o, width - n + 1);
			continue;
		}
		if (t->cols[k]->core) {
			n = t->cols[k]->format(t->view, &r, scratch, max);
			s = scratch;
		} else {
			s = take_cell(p, &n);
		}
		put_padded(o, s, n, width, color);
	}
	outbuf_putc(o, '\n');
	if (t->view->opts->show_info) {
		size_t n;
		const char *s = take_cell(p, &n);
		if (n) {
			outbuf_putc(o, '\t');
			outbuf_put(o, s, n);
			outbuf_putc(o, '\n');
		}
	}
}

int table_finish(struct table *t, struct outbuf *out)
{
	if (t->error)
		return t->error;
	if (!t->view->opts->no_header)
		write_header(out, t);
	const char *p = t->text;
	for (size_t i = 0; i < t->rows; i++)
		write_row(out, t, &p);
	return 0;
}

void table_free(struct table *t)
{
	free(t->text);
	t->text = NULL;
	t->len = t->cap = t->rows = 0;
}

int table_write(const struct tcpt_conn *rows, size_t count, struct view *v, struct outbuf *out)
{
	struct table t;
	table_begin(&t, v);
	for (size_t i = 0; i < count; i++)
		if (table_add(&t, &rows[i]) < 0)
			break;
	int r = table_finish(&t, out);
	table_free(&t);
	return r;
}
