/* utf16.c - UTF-8 <-> UTF-16, replacing what is not well-formed with U+FFFD. */
#include "utf16.h"

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

static size_t put16(uint32_t cp, uint16_t *out)
{
	if (cp < 0x10000) {
		if (out)
			out[0] = (uint16_t)cp;
		return 1;
	}
	if (out) {
		cp -= 0x10000;
		out[0] = (uint16_t)(0xD800 | cp >> 10);
		out[1] = (uint16_t)(0xDC00 | (cp & 0x3FF));
	}
	return 2;
}

size_t utf8_to_utf16(const char *s, size_t len, uint16_t *out)
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
		units += put16(cp, out ? out + units : NULL);
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

size_t utf16_to_utf8(const uint16_t *s, size_t n, char *out)
{
	size_t bytes = 0;
	for (size_t i = 0; i < n; i++) {
		uint32_t cp = s[i];
		if (cp >= 0xD800 && cp <= 0xDBFF && i + 1 < n && s[i + 1] >= 0xDC00 &&
		    s[i + 1] <= 0xDFFF) {
			cp = 0x10000 + ((cp - 0xD800) << 10) + (s[i + 1] - 0xDC00u);
			i++;
		} else if (cp >= 0xD800 && cp <= 0xDFFF) {
			cp = REPLACEMENT;
		}
		bytes += put8(cp, out ? out + bytes : NULL);
	}
	return bytes;
}
