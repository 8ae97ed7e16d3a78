/*
 * wstdio.c - the wide printf family with MSVC's reading of the format (tcpt_wstdio.h): the
 * format is translated to ISO's reading, formatted by the C library's vswprintf(), and
 * written to byte streams as UTF-8.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include <tcpt_wstdio.h>

#include "wide.h"

#define MAX_OUTPUT (16u << 20) /* wide characters: a longer result is an error */

/* Append C to the growing format OUT (capacity checked by the caller's sizing). */
struct fmt {
	wchar_t *s;
	size_t len;
};

static void put(struct fmt *f, wchar_t c)
{
	f->s[f->len++] = c;
}

/* Translate one conversion's length and type, P just past the flags, width and precision.
 * Returns P past the conversion. */
static const wchar_t *translate_conversion(const wchar_t *p, struct fmt *f)
{
	int wide = -1; /* for s and c: 1 wide, 0 narrow, -1 not said (MSVC: wide) */
	if (p[0] == L'I' && p[1] == L'6' && p[2] == L'4') {
		put(f, L'l'), put(f, L'l');
		p += 3;
	} else if (p[0] == L'I' && p[1] == L'3' && p[2] == L'2') {
		p += 3;
	} else if (p[0] == L'I') {
		put(f, L'z');
		p++;
	} else if (p[0] == L'h' && (p[1] == L's' || p[1] == L'c' || p[1] == L'S' || p[1] == L'C')) {
		wide = 0;
		p++;
	} else if ((p[0] == L'l' || p[0] == L'w') &&
		   (p[1] == L's' || p[1] == L'c' || p[1] == L'S' || p[1] == L'C')) {
		wide = 1;
		p++;
	}
	wchar_t conv = *p;
	if (conv == L'S' || conv == L'C') {
		if (wide < 0)
			wide = 0;
		conv = conv == L'S' ? L's' : L'c';
	}
	if (conv == L's' || conv == L'c') {
		if (wide != 0)
			put(f, L'l');
		put(f, conv);
		return p + 1;
	}
	if (conv)
		put(f, conv), p++;
	return p;
}

/* MSVC's format FORMAT as ISO's, in a malloc()ed string; NULL when out of memory. */
static wchar_t *translate(const wchar_t *format)
{
	size_t n = wcslen(format);
	/* each character grows to at most 2 (%s -> %ls, %I -> %z, %I64 -> %ll) */
	struct fmt f = { malloc((2 * n + 1) * sizeof(wchar_t)), 0 };
	if (!f.s)
		return NULL;
	for (const wchar_t *p = format; *p;) {
		if (*p != L'%') {
			put(&f, *p++);
			continue;
		}
		put(&f, *p++);
		if (*p == L'%') {
			put(&f, *p++);
			continue;
		}
		while (*p && wcschr(L"-+ #0123456789.*", *p))
			put(&f, *p++);
		p = translate_conversion(p, &f);
	}
	f.s[f.len] = 0;
	return f.s;
}

/* Format into a malloc()ed wide string; its length in *LEN. NULL on error (errno set). */
static wchar_t *format_alloc(const wchar_t *iso, va_list ap, size_t *len)
{
	for (size_t cap = 256; cap <= MAX_OUTPUT; cap *= 4) {
		wchar_t *buf = malloc(cap * sizeof(wchar_t));
		if (!buf)
			return NULL;
		va_list aq;
		va_copy(aq, ap);
		int r = vswprintf(buf, cap, iso, aq);
		va_end(aq);
		if (r >= 0) {
			*len = (size_t)r;
			return buf;
		}
		free(buf);
	}
	errno = EILSEQ; /* too long, or an argument the locale cannot convert */
	return NULL;
}

/* Write N wide characters to STREAM as UTF-8. Returns 0 or -1. */
static int write_utf8(FILE *stream, const wchar_t *s, size_t n)
{
	size_t bytes = wide_to_utf8(s, n, NULL);
	char *out = malloc(bytes + 1);
	if (!out)
		return -1;
	wide_to_utf8(s, n, out);
	size_t w = fwrite(out, 1, bytes, stream);
	free(out);
	return w == bytes ? 0 : -1;
}

int tcpt_win32_vfwprintf(FILE *stream, const wchar_t *format, va_list ap)
{
	if (!stream || !format)
		return -1;
	wchar_t *iso = translate(format);
	if (!iso)
		return -1;
	size_t len = 0;
	wchar_t *text = format_alloc(iso, ap, &len);
	free(iso);
	if (!text)
		return -1;
	int r = write_utf8(stream, text, len) == 0 && len <= INT32_MAX ? (int)len : -1;
	free(text);
	return r;
}

int tcpt_win32_fwprintf(FILE *stream, const wchar_t *format, ...)
{
	va_list ap;
	va_start(ap, format);
	int r = tcpt_win32_vfwprintf(stream, format, ap);
	va_end(ap);
	return r;
}

int tcpt_win32_vwprintf(const wchar_t *format, va_list ap)
{
	return tcpt_win32_vfwprintf(stdout, format, ap);
}

int tcpt_win32_wprintf(const wchar_t *format, ...)
{
	va_list ap;
	va_start(ap, format);
	int r = tcpt_win32_vfwprintf(stdout, format, ap);
	va_end(ap);
	return r;
}

int tcpt_win32_vswprintf(wchar_t *buffer, size_t count, const wchar_t *format, va_list ap)
{
	if (!buffer || !format || count == 0)
		return -1;
	wchar_t *iso = translate(format);
	if (!iso)
		return -1;
	int r = vswprintf(buffer, count, iso, ap);
	free(iso);
	if (r < 0)
		buffer[count - 1] = 0; /* glibc leaves a truncated result unterminated */
	return r;
}

int tcpt_win32_swprintf(wchar_t *buffer, size_t count, const wchar_t *format, ...)
{
	va_list ap;
	va_start(ap, format);
	int r = tcpt_win32_vswprintf(buffer, count, format, ap);
	va_end(ap);
	return r;
}

int tcpt_win32_swprintf_s(wchar_t *buffer, size_t count, const wchar_t *format, ...)
{
	va_list ap;
	va_start(ap, format);
	int r = tcpt_win32_vswprintf(buffer, count, format, ap);
	va_end(ap);
	if (r < 0 && buffer && count > 0)
		buffer[0] = 0;
	return r;
}

int tcpt_win32_snwprintf(wchar_t *buffer, size_t count, const wchar_t *format, ...)
{
	if (!buffer || !format)
		return -1;
	wchar_t *iso = translate(format);
	if (!iso)
		return -1;
	va_list ap;
	va_start(ap, format);
	size_t len = 0;
	wchar_t *text = format_alloc(iso, ap, &len);
	va_end(ap);
	free(iso);
	if (!text)
		return -1;
	size_t copy = len < count ? len + 1 : count; /* with the NUL when it fits */
	memcpy(buffer, text, copy * sizeof(wchar_t));
	free(text);
	return len <= count && len <= INT32_MAX ? (int)len : -1;
}

int tcpt_win32_fputws(const wchar_t *s, FILE *stream)
{
	if (!s || !stream)
		return -1;
	return write_utf8(stream, s, wcslen(s));
}

int tcpt_win32_putws(const wchar_t *s)
{
	if (tcpt_win32_fputws(s, stdout) != 0 || fputc('\n', stdout) == EOF)
		return -1;
	return 0;
}

/* The strcpy_s/strcat_s contract for wide strings. */
int wcscpy_s(wchar_t *dest, size_t count, const wchar_t *src)
{
	if (!dest || count == 0)
		return EINVAL;
	if (!src) {
		dest[0] = 0;
		return EINVAL;
	}
	size_t n = wcslen(src);
	if (n + 1 > count) {
		dest[0] = 0;
		return ERANGE;
	}
	memcpy(dest, src, (n + 1) * sizeof(wchar_t));
	return 0;
}

int wcscat_s(wchar_t *dest, size_t count, const wchar_t *src)
{
	if (!dest || count == 0)
		return EINVAL;
	size_t have = wcsnlen(dest, count);
	if (!src || have == count) {
		dest[0] = 0;
		return EINVAL;
	}
	size_t n = wcslen(src);
	if (have + n + 1 > count) {
		dest[0] = 0;
		return ERANGE;
	}
	memcpy(dest + have, src, (n + 1) * sizeof(wchar_t));
	return 0;
}
