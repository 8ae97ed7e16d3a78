#include "json.h"

#include "escape.h"
#include "record.h"

static void put_unicode_escape(struct outbuf *o, unsigned cp)
{
	static const char hex[] = "0123456789abcdef";
	char e[6] = {'\\', 'u', hex[(cp >> 12) & 15], hex[(cp >> 8) & 15], hex[(cp >> 4) & 15],
		     hex[cp & 15]};
	outbuf_put(o, e, sizeof(e));
}

/* The C1 control at S (C2 80 - C2 9F), if any: valid UTF-8 that terminals may obey. */
static int c1_control(const unsigned char *s)
{
	return s[0] == 0xc2 && s[1] >= 0x80 && s[1] <= 0x9f ? s[1] : -1;
}

void json_put_string(struct outbuf *o, const char *str)
{
	const unsigned char *p = (const unsigned char *)str;
	outbuf_putc(o, '"');
	while (*p) {
		size_t n = utf8_length(p);
		int c1 = c1_control(p);
		if (c1 >= 0) {
			put_unicode_escape(o, (unsigned)c1);
			p += 2;
		} else if (n == 0) {
			put_unicode_escape(o, 0xdc00u + *p); /* surrogateescape */
			p++;
		} else if (*p == '"' || *p == '\\') {
			outbuf_putc(o, '\\');
			outbuf_putc(o, (char)*p++);
		} else if (*p == '\n') {
			outbuf_put(o, "\\n", 2);
			p++;
		} else if (*p == '\t') {
			outbuf_put(o, "\\t", 2);
			p++;
		} else if (*p < 0x20 || *p == 0x7f) {
			put_unicode_escape(o, *p++);
		} else {
			outbuf_put(o, (const char *)p, n);
			p += n;
		}
	}
	outbuf_putc(o, '"');
}

struct json_ctx {
	struct outbuf *o;
	int first;
};

static void put_key(struct json_ctx *c, const char *key)
{
	if (!c->first)
		outbuf_putc(c->o, ',');
	c->first = 0;
	outbuf_putc(c->o, '"');
	outbuf_puts(c->o, key);
	outbuf_put(c->o, "\":", 2);
}

static void sink_number(void *ctx, const char *key, uint64_t v)
{
	struct json_ctx *c = ctx;
	put_key(c, key);
	outbuf_putu(c->o, v);
}

static void sink_string(void *ctx, const char *key, const char *v)
{
	struct json_ctx *c = ctx;
	put_key(c, key);
	if (v)
		json_put_string(c->o, v);
	else
		outbuf_puts(c->o, "null");
}

static void put_owner(struct outbuf *o, const struct tcpt_owner *w)
{
	outbuf_puts(o, "{\"pid\":");
	outbuf_putu(o, (uint64_t)w->pid);
	outbuf_puts(o, ",\"fd\":");
	outbuf_putu(o, (uint64_t)w->fd);
	outbuf_puts(o, ",\"name\":");
	if (w->name)
		json_put_string(o, w->name);
	else
		outbuf_puts(o, "null");
	outbuf_puts(o, ",\"exe\":");
	if (w->exe)
		json_put_string(o, w->exe);
	else
		outbuf_puts(o, "null");
	outbuf_putc(o, '}');
}

static void sink_owners(void *ctx, const char *key, const struct tcpt_conn *r)
{
	struct json_ctx *c = ctx;
	put_key(c, key);
	outbuf_putc(c->o, '[');
	for (uint32_t i = 0; i < r->owner_count; i++) {
		if (i)
			outbuf_putc(c->o, ',');
		put_owner(c->o, &r->owners[i]);
	}
	outbuf_putc(c->o, ']');
}

static void sink_info(void *ctx, const char *key, const struct tcpt_tcp_info *info);

static const struct record_sink json_sink = {
	.number = sink_number, .string = sink_string, .owners = sink_owners, .info = sink_info,
};

static void sink_info(void *ctx, const char *key, const struct tcpt_tcp_info *info)
{
	struct json_ctx *c = ctx;
	put_key(c, key);
	if (!info) {
		outbuf_puts(c->o, "null");
		return;
	}
	struct json_ctx inner = {c->o, 1};
	struct record_sink s = json_sink;
	s.ctx = &inner;
	outbuf_putc(c->o, '{');
	record_info_fields(info, &s);
	outbuf_putc(c->o, '}');
}

static void put_object(struct view *v, const struct tcpt_conn *r, struct outbuf *o)
{
	struct json_ctx c = {o, 1};
	struct record_sink s = json_sink;
	s.ctx = &c;
	outbuf_putc(o, '{');
	record_emit(v, r, &s);
	outbuf_putc(o, '}');
}

void json_begin(struct outbuf *o, bool lines)
{
	if (!lines)
		outbuf_putc(o, '[');
}

void json_add(struct view *v, const struct tcpt_conn *row, struct outbuf *o, bool lines,
	      size_t index)
{
	if (!lines)
		outbuf_puts(o, index ? ",\n" : "\n");
	put_object(v, row, o);
	if (lines)
		outbuf_putc(o, '\n');
}

void json_end(struct outbuf *o, bool lines, size_t count)
{
	if (!lines)
		outbuf_puts(o, count ? "\n]\n" : "]\n");
}

void json_wrap_begin(struct outbuf *o)
{
	outbuf_puts(o, "{\"rows\":");
}

void json_wrap_end(struct outbuf *o, enum tcpt_source rows, enum tcpt_source owners)
{
	outbuf_puts(o, ",\"source\":{\"rows\":\"");
	outbuf_puts(o, tcpt_source_name(rows));
	outbuf_puts(o, owners == TCPT_SOURCE_AUTO ? "\",\"owners\":null" : "\",\"owners\":\"");
	if (owners != TCPT_SOURCE_AUTO) {
		outbuf_puts(o, tcpt_source_name(owners));
		outbuf_putc(o, '"');
	}
	outbuf_puts(o, "}}\n");
}

void json_write(const struct tcpt_conn *rows, size_t count, struct view *v, struct outbuf *o,
		bool lines)
{
	json_begin(o, lines);
	for (size_t i = 0; i < count; i++)
		json_add(v, &rows[i], o, lines, i);
	json_end(o, lines, count);
}
