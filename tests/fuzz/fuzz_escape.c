/* fuzz_escape - the three escapers of untrusted strings (process names, paths) on arbitrary
 * bytes, each checked for its promise, not only for crashes:
 *   escape_for_terminal  no C0 control, DEL or C1 control, valid UTF-8, NUL-terminated within
 *                        SIZE, a cut output is a prefix of the whole one, and the whole one
 *                        unescapes to the input
 *   json_put_string      one JSON string literal: valid UTF-8, no raw control byte, and it
 *                        decodes (surrogateescape) to the input
 *   csv_put_field        exact: the field decodes to the input; for a terminal: no control byte
 * Input: one byte picking escape_for_terminal's SIZE (1-256), then the string (cut at a NUL). */
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "csv.h"
#include "escape.h"
#include "json.h"
#include "outbuf.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(c)                                                                             \
	do {                                                                                 \
		if (!(c))                                                                    \
			__builtin_trap();                                                    \
	} while (0)

/* Valid UTF-8 with no C1 control, no overlong form, no surrogate, nothing past U+10FFFF. */
static bool valid_utf8(const unsigned char *s, size_t n)
{
	for (size_t i = 0; i < n;) {
		unsigned c = s[i], len = c < 0x80 ? 1 : c >= 0xc2 && c <= 0xdf ? 2
			: c >= 0xe0 && c <= 0xef ? 3 : c >= 0xf0 && c <= 0xf4 ? 4 : 0;
		if (!len || i + len > n)
			return false;
		unsigned cp = len == 1 ? c : c & (0x7f >> len);
		for (unsigned k = 1; k < len; k++) {
			if ((s[i + k] & 0xc0) != 0x80)
				return false;
			cp = cp << 6 | (s[i + k] & 0x3f);
		}
		static const unsigned min[] = {0, 0, 0x80, 0x800, 0x10000};
		if (cp < min[len] || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff) ||
		    (cp >= 0x80 && cp <= 0x9f))
			return false;
		i += len;
	}
	return true;
}

static bool has_control(const unsigned char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (s[i] < 0x20 || s[i] == 0x7f)
			return true;
	return false;
}

static int hexval(unsigned char c)
{
	return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

/* \\ and \xNN back to bytes; -1 on a malformed escape. */
static long unescape_terminal(const char *s, size_t n, char *out)
{
	size_t o = 0;
	for (size_t i = 0; i < n; i++) {
		if (s[i] != '\\') {
			out[o++] = s[i];
		} else if (i + 1 < n && s[i + 1] == '\\') {
			out[o++] = '\\';
			i++;
		} else if (i + 3 < n && s[i + 1] == 'x' && hexval((unsigned char)s[i + 2]) >= 0 &&
			   hexval((unsigned char)s[i + 3]) >= 0) {
			out[o++] = (char)(hexval((unsigned char)s[i + 2]) << 4 |
					  hexval((unsigned char)s[i + 3]));
			i += 3;
		} else {
			return -1;
		}
	}
	return (long)o;
}

static void check_terminal(const char *in, size_t inlen, size_t cut)
{
	size_t cap = inlen * 4 + 1;
	char *whole = malloc(cap), *part = malloc(cut), *back = malloc(cap);
	CHECK(whole && part && back);
	size_t n = escape_for_terminal(in, whole, cap);
	CHECK(n < cap && whole[n] == '\0' && strlen(whole) == n);
	CHECK(!has_control((const unsigned char *)whole, n));
	CHECK(valid_utf8((const unsigned char *)whole, n));
	CHECK(unescape_terminal(whole, n, back) == (long)inlen && !memcmp(back, in, inlen));
	size_t m = escape_for_terminal(in, part, cut);
	CHECK(m < cut && part[m] == '\0' && m <= n && !memcmp(part, whole, m));
	CHECK(m == n || m + 4 >= cut); /* cut only for lack of room */
	CHECK(unescape_terminal(part, m, back) >= 0);
	free(whole);
	free(part);
	free(back);
}

/* Decode a JSON string literal; -1 when it is not one. \udcXX gives back the byte XX. */
static long json_decode(const char *s, size_t n, char *out)
{
	if (n < 2 || s[0] != '"' || s[n - 1] != '"')
		return -1;
	size_t o = 0;
	for (size_t i = 1; i < n - 1; i++) {
		if (s[i] == '"')
			return -1;
		if (s[i] != '\\') {
			out[o++] = s[i];
			continue;
		}
		if (++i >= n - 1)
			return -1;
		char e = s[i];
		if (e == '"' || e == '\\' || e == '/') {
			out[o++] = e;
		} else if (e == 'n' || e == 't') {
			out[o++] = e == 'n' ? '\n' : '\t';
		} else if (e == 'u' && i + 4 < n - 1) {
			unsigned cp = 0;
			for (int k = 1; k <= 4; k++) {
				int h = hexval((unsigned char)s[i + k]);
				if (h < 0)
					return -1;
				cp = cp << 4 | (unsigned)h;
			}
			i += 4;
			if (cp >= 0xdc80 && cp <= 0xdcff)
				out[o++] = (char)(cp - 0xdc00);
			else if (cp < 0x80)
				out[o++] = (char)cp;
			else if (cp <= 0x9f) { /* a C1 control, escaped: its UTF-8 is C2 xx */
				out[o++] = (char)0xc2;
				out[o++] = (char)cp;
			} else
				return -1;
		} else {
			return -1;
		}
	}
	return (long)o;
}

static void check_json(struct outbuf *o, const char *in, size_t inlen)
{
	outbuf_init(o, -1);
	json_put_string(o, in);
	CHECK(o->error == 0);
	CHECK(valid_utf8((const unsigned char *)o->data, o->len));
	CHECK(!has_control((const unsigned char *)o->data, o->len));
	char *back = malloc(o->len + 1);
	CHECK(back);
	CHECK(json_decode(o->data, o->len, back) == (long)inlen && !memcmp(back, in, inlen));
	free(back);
}

/* RFC 4180: a quoted field doubles its quotes; an unquoted one has no , " CR LF. */
static long csv_decode(const char *s, size_t n, char *out)
{
	if (n == 0 || s[0] != '"') {
		if (memchr(s, ',', n) || memchr(s, '"', n) || memchr(s, '\r', n) ||
		    memchr(s, '\n', n))
			return -1;
		memcpy(out, s, n);
		return (long)n;
	}
	if (n < 2 || s[n - 1] != '"')
		return -1;
	size_t o = 0;
	for (size_t i = 1; i < n - 1; i++) {
		if (s[i] == '"' && (i + 1 >= n - 1 || s[++i] != '"'))
			return -1;
		out[o++] = s[i];
	}
	return (long)o;
}

static void check_csv(struct outbuf *o, const char *in, size_t inlen)
{
	char *back = malloc(inlen * 4 + 3);
	CHECK(back);
	outbuf_init(o, -1);
	csv_put_field(o, in, false);
	CHECK(o->error == 0 && csv_decode(o->data, o->len, back) == (long)inlen &&
	      !memcmp(back, in, inlen));
	outbuf_init(o, -1);
	csv_put_field(o, in, true);
	CHECK(o->error == 0 && !has_control((const unsigned char *)o->data, o->len));
	long n = csv_decode(o->data, o->len, back);
	CHECK(n >= 0 && unescape_terminal(back, (size_t)n, back) == (long)inlen);
	free(back);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1 || size > 8192) /* 6 output bytes per input byte stay inside one outbuf */
		return 0;
	size_t cut = (size_t)data[0] + 1;
	char *in = malloc(size);
	if (!in)
		return 0;
	memcpy(in, data + 1, size - 1);
	in[size - 1] = '\0';
	size_t inlen = strlen(in);
	static struct outbuf o;
	check_terminal(in, inlen, cut);
	check_json(&o, in, inlen);
	check_csv(&o, in, inlen);
	free(in);
	return 0;
}
