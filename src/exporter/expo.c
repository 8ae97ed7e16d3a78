/* expo.c - writing families and samples in either exposition format. */
#include "expo.h"

#include <string.h>

const char *expo_content_type(enum expo_format format)
{
	return format == EXPO_OPENMETRICS
		? "application/openmetrics-text; version=1.0.0; charset=utf-8"
		: "text/plain; version=0.0.4; charset=utf-8";
}

static const char *suffix(const struct expo *e)
{
	return e->type == EXPO_COUNTER ? "_total" : "";
}

static const char *type_word(const struct expo *e)
{
	return e->type == EXPO_COUNTER ? "counter" : "gauge";
}

void expo_family(struct expo *e, const char *name, enum expo_type type, const char *help)
{
	e->family = name;
	e->type = type;
	const char *sfx = e->format == EXPO_OPENMETRICS ? "" : suffix(e);
	sbuf_printf(&e->out, "# HELP %s%s %s\n# TYPE %s%s %s\n", name, sfx, help, name, sfx,
		    type_word(e));
}

static void put_escaped(struct sbuf *b, const char *s)
{
	const char *run = s;
	for (; *s; s++) {
		const char *rep = *s == '\\' ? "\\\\" : *s == '"' ? "\\\"" : *s == '\n' ? "\\n" : NULL;
		if (!rep)
			continue;
		sbuf_put(b, run, (size_t)(s - run));
		sbuf_puts(b, rep);
		run = s + 1;
	}
	sbuf_put(b, run, (size_t)(s - run));
}

static void put_name_labels(struct expo *e, const struct expo_label *labels, size_t n)
{
	sbuf_puts(&e->out, e->family);
	sbuf_puts(&e->out, suffix(e));
	if (n) {
		sbuf_put(&e->out, "{", 1);
		for (size_t i = 0; i < n; i++) {
			if (i)
				sbuf_put(&e->out, ",", 1);
			sbuf_puts(&e->out, labels[i].name);
			sbuf_put(&e->out, "=\"", 2);
			put_escaped(&e->out, labels[i].value);
			sbuf_put(&e->out, "\"", 1);
		}
		sbuf_put(&e->out, "}", 1);
	}
	sbuf_put(&e->out, " ", 1);
}

void expo_sample_u(struct expo *e, const struct expo_label *labels, size_t n, uint64_t value)
{
	put_name_labels(e, labels, n);
	sbuf_putu(&e->out, value);
	sbuf_put(&e->out, "\n", 1);
}

void expo_sample_d(struct expo *e, const struct expo_label *labels, size_t n, double value)
{
	put_name_labels(e, labels, n);
	sbuf_printf(&e->out, "%.9g\n", value);
}

void expo_finish(struct expo *e)
{
	if (e->format == EXPO_OPENMETRICS)
		sbuf_puts(&e->out, "# EOF\n");
}
