/* outbuf.h - buffered output straight to a file descriptor, without stdio per field. */
#ifndef TCPT_CLI_OUTBUF_H
#define TCPT_CLI_OUTBUF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct outbuf {
	int fd;
	int error;   /* first write error (negative errno); later output is dropped */
	size_t len;
	char data[1 << 16];
};

/* Start writing to FD. */
void outbuf_init(struct outbuf *o, int fd);

/* Append LEN bytes. */
void outbuf_put(struct outbuf *o, const char *s, size_t len);

/* Append a NUL-terminated string. */
void outbuf_puts(struct outbuf *o, const char *s);

/* Append one byte. */
void outbuf_putc(struct outbuf *o, char c);

/* Room for N more bytes (N at most the buffer's size), flushing first if needed: a pointer
 * to write them at, then outbuf_commit() the bytes actually written. NULL when N is larger
 * than the buffer. Formatting in place saves a copy per cell. */
char *outbuf_reserve(struct outbuf *o, size_t n);
void outbuf_commit(struct outbuf *o, size_t n);

/* Append N spaces. */
void outbuf_pad(struct outbuf *o, size_t n);

/* Append an unsigned number in decimal. */
void outbuf_putu(struct outbuf *o, uint64_t v);

/* Write out what is buffered. Returns 0 or the first write error (negative errno). */
int outbuf_flush(struct outbuf *o);

#endif
