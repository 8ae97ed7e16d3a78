/* table.c - two passes: the first formats the address cells once, into one buffer, and
 * measures every column; the second pads and writes. */
#include "table.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "endpoint.h"
#include "escape.h"

enum col { C_PROTO, C_LOCAL, C_REMOTE, C_STATE, C_UID, C_INODE, C_COOKIE, C_RQ, C_SQ,
	   C_TIMER, C_OWNERS, C_COUNT };

static const char *const headers[C_COUNT] = {
	"Proto", "Local Address", "Remote Address", "State", "UID", "Inode", "Cookie",
	"Recv-Q", "Send-Q", "Timer", "PID/Program",
};

struct layout {
	struct table_columns cols;
	size_t width[C_COUNT];
	enum col last; /* the last column shown is not padded: no trailing blanks */
};

/* Both endpoints of every row, each as a length byte and its text. */
struct cells {
	char *text;
	size_t len;
};

static size_t digits(uint64_t v)
{
	size_t n = 1;
	while (v >= 10) {
		v /= 10;
		n++;
	}
	return n;
}

static size_t max_size(size_t a, size_t b)
{
	return a > b ? a : b;
}

static bool column_shown(const struct layout *l, enum col c)
{
	if (c >= C_UID && c <= C_TIMER)
		return l->cols.extended;
	if (c == C_OWNERS)
		return l->cols.owners;
	return true;
}

/* "on,200ms,3", or "-" without a timer. */
static size_t format_timer(const struct tcpt_conn *r, char *out, size_t size)
{
	if (r->timer == TCPT_TIMER_NONE)
		return (size_t)snprintf(out, size, "-");
	int n = snprintf(out, size, "%s,%ums,%u", tcpt_timer_name(r->timer),
			 (unsigned)r->timer_expires_ms, (unsigned)r->retransmits);
	return n < 0 ? 0 : (size_t)n;
}

static void measure_numbers(struct layout *l, const struct tcpt_conn *r)
{
	char timer[64];
	l->width[C_UID] = max_size(l->width[C_UID], digits(r->uid));
	l->width[C_INODE] = max_size(l->width[C_INODE], digits(r->inode));
	l->width[C_COOKIE] = max_size(l->width[C_COOKIE], digits(r->cookie));
	l->width[C_RQ] = max_size(l->width[C_RQ], digits(r->rqueue));
	l->width[C_SQ] = max_size(l->width[C_SQ], digits(r->wqueue));
	l->width[C_TIMER] = max_size(l->width[C_TIMER], format_timer(r, timer, sizeof(timer)));
}

static int format_cells(const struct tcpt_conn *rows, size_t count, struct layout *l,
			struct cells *c)
{
	struct ifname_cache ifnames = {0};
	if (count > SIZE_MAX / (2 * (ENDPOINT_MAX + 1)))
		return -ENOMEM;
	/* IPv4 ends are short: start small and grow. */
	size_t cap = count * 48 + 2 * (ENDPOINT_MAX + 1);
	c->text = malloc(cap);
	if (!c->text)
		return -ENOMEM;
	c->len = 0;
	for (size_t i = 0; i < count; i++) {
		if (cap - c->len < 2 * (ENDPOINT_MAX + 1)) {
			char *bigger = realloc(c->text, cap * 2);
			if (!bigger)
				return -ENOMEM;
			c->text = bigger;
			cap *= 2;
		}
		for (int end = 0; end < 2; end++) {
			char *cell = c->text + c->len;
			size_t n = endpoint_format(&rows[i], end == 0, &ifnames, cell + 1);
			cell[0] = (char)n;
			c->len += n + 1;
			enum col col = end == 0 ? C_LOCAL : C_REMOTE;
			l->width[col] = max_size(l->width[col], n);
		}
		l->width[C_STATE] =
			max_size(l->width[C_STATE], strlen(tcpt_state_name(rows[i].state)));
		if (l->cols.extended)
			measure_numbers(l, &rows[i]);
	}
	return 0;
}

static void put_cell(struct outbuf *o, const struct layout *l, enum col c, const char *s,
		     size_t len)
{
	outbuf_put(o, s, len);
	if (c == l->last)
		return;
	if (l->width[c] > len)
		outbuf_pad(o, l->width[c] - len);
	outbuf_putc(o, ' ');
}

static void put_number(struct outbuf *o, const struct layout *l, enum col c, uint64_t v)
{
	outbuf_putu(o, v);
	outbuf_pad(o, l->width[c] - digits(v) + 1);
}

static void put_owners(struct outbuf *o, const struct tcpt_conn *r)
{
	char name[256];
	for (uint32_t i = 0; i < r->owner_count; i++) {
		if (i)
			outbuf_putc(o, ',');
		outbuf_putu(o, (uint64_t)r->owners[i].pid);
		outbuf_putc(o, '/');
		const char *raw = r->owners[i].name ? r->owners[i].name : "?";
		outbuf_put(o, name, escape_for_terminal(raw, name, sizeof(name)));
	}
}

static void put_header(struct outbuf *o, const struct layout *l)
{
	for (enum col c = 0; c < C_COUNT; c++)
		if (column_shown(l, c))
			put_cell(o, l, c, headers[c], strlen(headers[c]));
}

static void put_row(struct outbuf *o, const struct layout *l, const struct tcpt_conn *r,
		    const char **cell)
{
	const char *state = tcpt_state_name(r->state);
	put_cell(o, l, C_PROTO, r->family == AF_INET6 ? "tcp6" : "tcp",
		 r->family == AF_INET6 ? 4 : 3);
	for (enum col c = C_LOCAL; c <= C_REMOTE; c++) {
		size_t n = (unsigned char)**cell;
		put_cell(o, l, c, *cell + 1, n);
		*cell += n + 1;
	}
	put_cell(o, l, C_STATE, state, strlen(state));
	if (l->cols.extended) {
		char timer[64];
		put_number(o, l, C_UID, r->uid);
		put_number(o, l, C_INODE, r->inode);
		put_number(o, l, C_COOKIE, r->cookie);
		put_number(o, l, C_RQ, r->rqueue);
		put_number(o, l, C_SQ, r->wqueue);
		put_cell(o, l, C_TIMER, timer, format_timer(r, timer, sizeof(timer)));
	}
	if (l->cols.owners)
		put_owners(o, r);
	outbuf_putc(o, '\n');
}

int table_write(const struct tcpt_conn *rows, size_t count, struct table_columns cols,
		struct outbuf *out)
{
	struct layout l = {.cols = cols};
	for (enum col c = 0; c < C_COUNT; c++)
		l.width[c] = strlen(headers[c]);
	l.last = cols.owners ? C_OWNERS : cols.extended ? C_TIMER : C_STATE;
	struct cells cells = {0};
	int r = format_cells(rows, count, &l, &cells);
	if (r < 0) {
		free(cells.text);
		return r;
	}
	put_header(out, &l);
	outbuf_putc(out, '\n');
	const char *cell = cells.text;
	for (size_t i = 0; i < count; i++)
		put_row(out, &l, &rows[i], &cell);
	free(cells.text);
	return 0;
}
