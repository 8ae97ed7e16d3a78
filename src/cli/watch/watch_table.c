/* watch_table.c - formatting, counting, filtering and sorting the live view's lines. */
#include "watch_table.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "escape.h"
#include "watch_container.h"

/* --- rates ------------------------------------------------------------------------------ */

static uint64_t per_second(uint64_t before, uint64_t after, uint64_t dt_ms)
{
	return after > before ? (after - before) * 1000 / dt_ms : 0;
}

bool watch_rate(const struct tcpt_conn *old, const struct tcpt_conn *cur, uint64_t dt_ms,
		uint64_t *ret_recv, uint64_t *ret_send)
{
	static const struct tcpt_tcp_info none;
	if (!cur->info || (old && !old->info) || dt_ms == 0)
		return false;
	const struct tcpt_tcp_info *before = old ? old->info : &none;
	*ret_recv = per_second(before->bytes_received, cur->info->bytes_received, dt_ms);
	*ret_send = per_second(before->bytes_acked, cur->info->bytes_acked, dt_ms);
	return true;
}

/* --- cells ------------------------------------------------------------------------------ */

static const char *number(char *buf, unsigned long long v)
{
	snprintf(buf, WATCH_CELL_MAX, "%llu", v);
	return buf;
}

static const char *escaped(char *buf, const char *s)
{
	if (!s)
		return "-";
	escape_for_terminal(s, buf, WATCH_CELL_MAX);
	return buf;
}

static const char *timer_cell(const struct tcpt_conn *r, char *buf)
{
	if (r->timer == TCPT_TIMER_NONE)
		return "off";
	snprintf(buf, WATCH_CELL_MAX, "%s,%ums,%u", tcpt_timer_name(r->timer),
		 (unsigned)r->timer_expires_ms, (unsigned)r->retransmits);
	return buf;
}

static const char *rate_cell(const struct watch_line *l, bool recv, char *buf)
{
	if (!l->has_rate)
		return "-";
	watch_format_rate(recv ? l->recv_rate : l->send_rate, buf, WATCH_CELL_MAX);
	return buf;
}

/* tcp_info cells: "-" for rows without one (TIME-WAIT, UDP, /proc source) */
static const char *info_cell(const struct tcpt_conn *r, enum watch_column c, char *buf)
{
	const struct tcpt_tcp_info *i = r->info;
	if (!i)
		return "-";
	switch (c) {
	case WCOL_RTT: return number(buf, i->rtt_us);
	case WCOL_CWND: return number(buf, i->snd_cwnd);
	case WCOL_TOTAL_RETRANS: return number(buf, i->total_retrans);
	case WCOL_BYTES_RECEIVED: return number(buf, i->bytes_received);
	case WCOL_BYTES_ACKED: return number(buf, i->bytes_acked);
	case WCOL_DELIVERY_RATE:
		watch_format_rate(i->delivery_rate, buf, WATCH_CELL_MAX);
		return buf;
	default: return "";
	}
}

const char *watch_line_cell(const struct watch_line *l, enum watch_column c, struct view *v,
			    char *buf)
{
	const struct tcpt_conn *r = l->row;
	switch (c) {
	case WCOL_PROTO: return view_proto_name(r);
	case WCOL_LOCAL: return l->local;
	case WCOL_REMOTE: return l->remote;
	case WCOL_STATE: return tcpt_conn_state_name(r);
	case WCOL_NETNS: return l->netns;
	case WCOL_CONTAINER: return l->container;
	case WCOL_PROCESS: return l->process;
	case WCOL_RECV_RATE: return rate_cell(l, true, buf);
	case WCOL_SEND_RATE: return rate_cell(l, false, buf);
	case WCOL_RECV_Q: return number(buf, r->rqueue);
	case WCOL_SEND_Q: return number(buf, r->wqueue);
	case WCOL_UID: return number(buf, r->uid);
	case WCOL_USER: return v ? escaped(buf, names_user(&v->users, r->uid)) : "";
	case WCOL_INODE: return number(buf, r->inode);
	case WCOL_COOKIE: return number(buf, r->cookie);
	case WCOL_CGROUP:
		return !v || !r->cgroup_id ? "-" : escaped(buf, names_cgroup(&v->cgroups,
									       r->cgroup_id));
	case WCOL_TIMER: return timer_cell(r, buf);
	case WCOL_RTT: case WCOL_CWND: case WCOL_TOTAL_RETRANS: case WCOL_BYTES_RECEIVED:
	case WCOL_BYTES_ACKED: case WCOL_DELIVERY_RATE: return info_cell(r, c, buf);
	case WCOL_COUNT:
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

static void format_container(struct view *v, struct watch_containers *containers,
			     const struct tcpt_conn *r, char *out, size_t size)
{
	out[0] = '\0';
	const char *path = r->cgroup_id ? names_cgroup(&v->cgroups, r->cgroup_id) : NULL;
	if (path && containers)
		snprintf(out, size, "%s", watch_containers_text(containers, r->cgroup_id, path));
	else if (path)
		watch_container_from_cgroup(path, out, size);
}

static void format_line(struct watch_line *l, const struct watch_item *item, struct view *v,
			struct watch_containers *containers, uint64_t dt_ms)
{
	l->row = item->row;
	l->has_rate = false;
	l->netns[0] = '\0';
	l->mark = item->mark;
	if (item->mark != WATCH_CLOSED)
		l->has_rate = watch_rate(item->mark == WATCH_NEW ? NULL : item->old, item->row,
					 item->old || item->mark == WATCH_NEW ? dt_ms : 0,
					 &l->recv_rate, &l->send_rate);
	endpoint_format(item->row, true, &v->ifnames, l->local);
	endpoint_format(item->row, false, &v->ifnames, l->remote);
	if (v->show_netns)
		format_netns(v, item->row, l->netns, sizeof(l->netns));
	format_container(v, containers, item->row, l->container, sizeof(l->container));
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
		     struct view *v, struct watch_containers *containers, uint64_t dt_ms)
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
		format_line(&t->lines[i], &items[i], v, containers, dt_ms);
		count_line(t, &t->lines[i]);
	}
	t->count = n;
	return 0;
}

/* --- filtering and sorting -------------------------------------------------------------- */

static const enum watch_column text_columns[] = {WCOL_PROTO, WCOL_LOCAL, WCOL_REMOTE,
						 WCOL_STATE, WCOL_NETNS, WCOL_CONTAINER,
						 WCOL_PROCESS};
enum { TEXT_COLUMNS = sizeof(text_columns) / sizeof(text_columns[0]) };

static bool line_matches(const struct watch_line *l, const char *filter)
{
	if (!filter || !*filter)
		return true;
	for (int c = 0; c < TEXT_COLUMNS; c++)
		if (strcasestr(watch_line_cell(l, text_columns[c], NULL, NULL), filter))
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

/* The number a numeric column sorts by; rows without a value sort first. */
static uint64_t sort_number(const struct watch_line *l, enum watch_column c)
{
	const struct tcpt_conn *r = l->row;
	const struct tcpt_tcp_info *i = r->info;
	switch (c) {
	case WCOL_NETNS: return r->netns;
	case WCOL_RECV_RATE: return l->has_rate ? l->recv_rate + 1 : 0;
	case WCOL_SEND_RATE: return l->has_rate ? l->send_rate + 1 : 0;
	case WCOL_RECV_Q: return r->rqueue;
	case WCOL_SEND_Q: return r->wqueue;
	case WCOL_UID: case WCOL_USER: return r->uid;
	case WCOL_INODE: return r->inode;
	case WCOL_COOKIE: return r->cookie;
	case WCOL_CGROUP: return r->cgroup_id;
	case WCOL_TIMER: return (uint64_t)r->timer << 32 | r->timer_expires_ms;
	case WCOL_RTT: return i ? i->rtt_us + 1ull : 0;
	case WCOL_CWND: return i ? i->snd_cwnd + 1ull : 0;
	case WCOL_TOTAL_RETRANS: return i ? i->total_retrans + 1ull : 0;
	case WCOL_BYTES_RECEIVED: return i ? i->bytes_received + 1 : 0;
	case WCOL_BYTES_ACKED: return i ? i->bytes_acked + 1 : 0;
	case WCOL_DELIVERY_RATE: return i ? i->delivery_rate + 1 : 0;
	default: return 0;
	}
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
	case WCOL_STATE: case WCOL_CONTAINER: case WCOL_PROCESS:
		return strcmp(watch_line_cell(a, col, NULL, NULL),
			      watch_line_cell(b, col, NULL, NULL));
	default: return cmp_u64(sort_number(a, col), sort_number(b, col));
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

static void measure(struct watch_table *t)
{
	for (int c = 0; c < TEXT_COLUMNS; c++) {
		enum watch_column col = text_columns[c];
		int w = 0;
		for (size_t i = 0; i < t->shown && w < WATCH_PROCESS_MAX; i++) {
			int n = (int)strlen(watch_line_cell(&t->lines[t->order[i]], col, NULL,
							    NULL));
			if (n > w)
				w = n;
		}
		t->widest[col] = w;
	}
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
	measure(t);
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
