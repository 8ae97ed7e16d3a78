/* outbuf.c - one write(2) per 64 KiB of output: at 100k rows stdio's per-call locking and
 * format parsing cost more than the kernel's dump. */
#include "outbuf.h"

#include <errno.h>
#include <string.h>
#include <unistd.h>

void outbuf_init(struct outbuf *o, int fd)
{
	o->fd = fd;
	o->error = 0;
	o->len = 0;
}

static void write_all(struct outbuf *o, const char *p, size_t len)
{
	while (len && !o->error) {
		ssize_t n = write(o->fd, p, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			o->error = n < 0 ? -errno : -EIO;
			return;
		}
		p += n;
		len -= (size_t)n;
	}
}

int outbuf_flush(struct outbuf *o)
{
	write_all(o, o->data, o->len);
	o->len = 0;
	return o->error;
}

void outbuf_put(struct outbuf *o, const char *s, size_t len)
{
	if (len > sizeof(o->data) - o->len) {
		outbuf_flush(o);
		if (len > sizeof(o->data)) {
			write_all(o, s, len);
			return;
		}
	}
	memcpy(o->data + o->len, s, len);
	o->len += len;
}

void outbuf_puts(struct outbuf *o, const char *s)
{
	outbuf_put(o, s, strlen(s));
}

void outbuf_putc(struct outbuf *o, char c)
{
	if (o->len == sizeof(o->data))
		outbuf_flush(o);
	o->data[o->len++] = c;
}

char *outbuf_reserve(struct outbuf *o, size_t n)
{
	if (n > sizeof(o->data))
		return NULL;
	if (n > sizeof(o->data) - o->len)
		outbuf_flush(o);
	return o->data + o->len;
}

void outbuf_commit(struct outbuf *o, size_t n)
{
	o->len += n;
}

void outbuf_pad(struct outbuf *o, size_t n)
{
	static const char spaces[] = "                                ";
	if (n <= sizeof(o->data) - o->len) {
		memset(o->data + o->len, ' ', n);
		o->len += n;
		return;
	}
	while (n) {
		size_t k = n < sizeof(spaces) - 1 ? n : sizeof(spaces) - 1;
		outbuf_put(o, spaces, k);
		n -= k;
	}
}

void outbuf_putu(struct outbuf *o, uint64_t v)
{
	char tmp[20];
	size_t i = sizeof(tmp);
	do {
		tmp[--i] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	outbuf_put(o, tmp + i, sizeof(tmp) - i);
}
