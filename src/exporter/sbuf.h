/* sbuf.h - a growing byte buffer for the exposition text. */
#ifndef TCPT_EXPORTER_SBUF_H
#define TCPT_EXPORTER_SBUF_H

#include <stddef.h>
#include <stdint.h>

struct sbuf {
	char *data;
	size_t len;
	size_t cap;
	int failed; /* an allocation failed: later appends are dropped */
};

/* Append LEN bytes / a NUL-terminated string / an unsigned number in decimal. */
void sbuf_put(struct sbuf *b, const char *s, size_t len);
void sbuf_puts(struct sbuf *b, const char *s);
void sbuf_putu(struct sbuf *b, uint64_t v);

/* Append printf-formatted text. */
void sbuf_printf(struct sbuf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Release the buffer (the struct may be reused after). */
void sbuf_free(struct sbuf *b);

#endif
