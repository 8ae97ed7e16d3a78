/* wide.c - UTF-8 <-> wide characters (code points), replacing what is not well-formed with
 * U+FFFD. */
#include "wide.h"

#include <stdint.h>
#include <stdlib.h>

#define REPLACEMENT 0xFFFDu

/* Length of the well-formed UTF-8 sequence at S (at most LEFT bytes) and its code point,
 * or 0 when it is not one. */
static size_t decode_one(const unsigned char *s, size_t left, uint32_t *cp)
{
	static const uint32_t min[5] = { 0, 0, 0x80, 0x800, 0x10000 };
	size_t n = s[0] < 0x80 ? 1 : s[0] >= 0xC2 && s[0] < 0xE0 ? 2 : s[0] >= 0xE0 && s[0] < 0xF0 ? 3
		: s[0] >= 0xF0 && s[0] < 0xF5 ? 4 : 0;
	if (n == 0 || n > left)
		return 0;
	uint32_t c = n == 1 ? s[0] : s[0] & (0x7Fu >> n);
	for (size_t i = 1; i < n; i++) {
		if ((s[i] & 0xC0) != 0x80)
			return 0;
		c = c << 6 | (s[i] & 0x3F);
	}
	if (c < min[n] || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF))
		return 0;
	*cp = c;
	return n;
}

size_t utf8_to_wide(const char *s, size_t len, wchar_t *out)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0, units = 0;
	while (i < len) {
		uint32_t cp;
		size_t n = decode_one(p + i, len - i, &cp);
		if (n == 0) {
			cp = REPLACEMENT; /* one bad byte, one replacement */
			n = 1;
		}
		if (out)
			out[units] = (wchar_t)cp;
		units++;
		i += n;
	}
	return units;
}

static size_t put8(uint32_t cp, char *out)
{
	size_t n = cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
	if (out) {
		static const unsigned char lead[5] = { 0, 0, 0xC0, 0xE0, 0xF0 };
		for (size_t i = n - 1; i > 0; i--) {
			out[i] = (char)(0x80 | (cp & 0x3F));
			cp >>= 6;
		}
		out[0] = (char)(n == 1 ? cp : (lead[n] | cp));
	}
	return n;
}

size_t wide_to_utf8(const wchar_t *s, size_t n, char *out)
{
	size_t bytes = 0;
	for (size_t i = 0; i < n; i++) {
		uint32_t cp = (uint32_t)s[i];
		if ((cp >= 0xD800 && cp <= 0xDFFF) || cp > 0x10FFFF)
			cp = REPLACEMENT;
		bytes += put8(cp, out ? out + bytes : NULL);
	}
	return bytes;
}

char *wide_to_utf8_dup(const wchar_t *s)
{
	size_t n = wcslen(s);
	size_t bytes = wide_to_utf8(s, n, NULL);
	char *out = malloc(bytes + 1);
	if (!out)
		return NULL;
	wide_to_utf8(s, n, out);
	out[bytes] = '\0';
	return out;
}
