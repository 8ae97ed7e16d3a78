/* escape.c - process names are chosen by whoever runs the process (prctl, argv, a file
 * name): printed raw they can move the cursor, retitle the window or fake other rows. */
#include "escape.h"

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

size_t utf8_length(const unsigned char *s)
{
	unsigned c = s[0];
	size_t n;
	uint32_t cp;
	if (c < 0x80)
		return 1;
	if (c >= 0xc2 && c <= 0xdf) {
		n = 2;
		cp = c & 0x1f;
	} else if (c >= 0xe0 && c <= 0xef) {
		n = 3;
		cp = c & 0x0f;
	} else if (c >= 0xf0 && c <= 0xf4) {
		n = 4;
		cp = c & 0x07;
	} else {
		return 0;
	}
	for (size_t i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0; /* also stops at the NUL */
		cp = cp << 6 | (s[i] & 0x3f);
	}
	static const uint32_t min_for_length[] = {0, 0, 0x80, 0x800, 0x10000};
	if (cp < min_for_length[n] || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff) ||
	    (cp >= 0x80 && cp <= 0x9f))
		return 0;
	return n;
}

static bool needs_escape(unsigned char c)
{
	return c < 0x20 || c == 0x7f || c == '\\';
}

/* The common case, a name of printable ASCII, needs no escaping: its length, or SIZE_MAX. */
static size_t plain_length(const char *s)
{
	size_t n = 0;
	for (; s[n]; n++)
		if ((unsigned char)s[n] < 0x20 || (unsigned char)s[n] >= 0x7f || s[n] == '\\')
			return SIZE_MAX;
	return n;
}

size_t escape_for_terminal(const char *s, char *out, size_t size)
{
	size_t plain = plain_length(s);
	if (plain < size) {
		memcpy(out, s, plain + 1);
		return plain;
	}
	static const char hex[] = "0123456789abcdef";
	const unsigned char *p = (const unsigned char *)s;
	size_t len = 0;
	while (*p) {
		size_t n = utf8_length(p);
		char piece[4];
		size_t plen;
		if (n == 1 && *p == '\\') {
			memcpy(piece, "\\\\", 2);
			plen = 2;
		} else if (n == 0 || (n == 1 && needs_escape(*p))) {
			piece[0] = '\\';
			piece[1] = 'x';
			piece[2] = hex[*p >> 4];
			piece[3] = hex[*p & 0xf];
			plen = 4;
			n = 1;
		} else {
			memcpy(piece, p, n);
			plen = n;
		}
		if (len + plen >= size)
			break;
		memcpy(out + len, piece, plen);
		len += plen;
		p += n;
	}
	out[len] = '\0';
	return len;
}
