/* wide.h - UTF-8 <-> wide characters (wchar_t holding code points: Linux's WCHAR). */
#ifndef TCPT_WIN32_WIDE_H
#define TCPT_WIN32_WIDE_H

#include <stddef.h>
#include <wchar.h>

/* Decode LEN bytes of UTF-8 at S into wide characters at OUT (NULL: only count). Invalid
 * or overlong sequences, surrogates and bytes past U+10FFFF each become U+FFFD, so any bytes
 * (a Linux path) convert. Returns the characters, without a terminator. */
size_t utf8_to_wide(const char *s, size_t len, wchar_t *out);

/* Encode N wide characters at S as UTF-8 at OUT (NULL: only count); surrogates and values
 * above U+10FFFF become U+FFFD. Returns the bytes, without a terminator. */
size_t wide_to_utf8(const wchar_t *s, size_t n, char *out);

/* A malloc()ed UTF-8 copy of the NUL-terminated wide string S, or NULL (out of memory). */
char *wide_to_utf8_dup(const wchar_t *s);

#endif
