/* utf16.h - UTF-8 <-> UTF-16 for the Windows wide strings. */
#ifndef TCPT_WIN32_UTF16_H
#define TCPT_WIN32_UTF16_H

#include <stddef.h>
#include <stdint.h>

/* Decode LEN bytes of UTF-8 at S into UTF-16 code units at OUT (NULL: only count). Invalid
 * or overlong sequences, surrogates and bytes past U+10FFFF each become U+FFFD, so any bytes
 * (a Linux path) convert. Returns the code units, without a terminator. */
size_t utf8_to_utf16(const char *s, size_t len, uint16_t *out);

/* Encode N UTF-16 code units at S as UTF-8 at OUT (NULL: only count); unpaired surrogates
 * become U+FFFD. Returns the bytes, without a terminator. */
size_t utf16_to_utf8(const uint16_t *s, size_t n, char *out);

#endif
