/*
 * tcpt_wstdio.h - the wide printf family as MSVC's C runtime has it, for Windows programs on
 * Linux (included by <windows.h> and <tchar.h>; not a Windows header).
 *
 * MSVC's wide functions read a format differently from glibc's: in wprintf(L"%s", x), x is a
 * wide string (glibc: a char string). Real Windows code relies on MSVC's reading (and
 * _tprintf(_T("%s"), name) is written for it), so these names are macros for functions
 * that follow MSVC:
 *   %s %c         a wide string / character     %S %C %hs %hc   a char string / character
 *   %ls %lc %ws %wc   wide                      %I64d %I64u %I64x ...  64-bit (%lld & co.)
 *   %I32d ...     32-bit                        %Id %Iu %Ix  size_t / ptrdiff_t
 * everything else as C's printf. The output is UTF-8, written as bytes to the stream, so
 * printf() and wprintf() may be mixed on one stream, as on Windows (glibc's own wide
 * functions would fail on a stream printf() has used). A char string argument is decoded
 * as UTF-8 (invalid bytes become U+FFFD), whatever the locale.
 *
 * They are function-like macros, so `&wprintf` and `using ::wprintf` still name glibc's;
 * in C++ std::wprintf(...) works too. Return values: the wide characters written (MSVC
 * counts characters, not bytes), or -1 on an encoding or output error.
 */
#ifndef TCPT_WIN32_TCPT_WSTDIO_H
#define TCPT_WIN32_TCPT_WSTDIO_H

#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <wchar.h>
#ifdef __cplusplus
/* <cwchar> #undefs wprintf & co.: included here first, it leaves the macros below alone. */
#include <cstdio>
#include <cwchar>
#endif

#ifdef IPHLPAPI_BUILDING_LIBRARY
#define TCPT_WSTDIO_EXPORT __attribute__((visibility("default")))
#else
#define TCPT_WSTDIO_EXPORT
#endif

#ifdef __cplusplus
extern "C" {
#endif

/* wprintf / fwprintf / vwprintf / vfwprintf with MSVC's format reading (above). */
TCPT_WSTDIO_EXPORT int tcpt_win32_vfwprintf(FILE *stream, const wchar_t *format, va_list ap);
TCPT_WSTDIO_EXPORT int tcpt_win32_fwprintf(FILE *stream, const wchar_t *format, ...);
TCPT_WSTDIO_EXPORT int tcpt_win32_wprintf(const wchar_t *format, ...);
TCPT_WSTDIO_EXPORT int tcpt_win32_vwprintf(const wchar_t *format, va_list ap);

/* swprintf(BUFFER, COUNT, FORMAT, ...) (ISO signature, which MSVC also has): at most COUNT
 * wide characters with the NUL. Returns the characters written without the NUL, or -1 when
 * they did not fit (BUFFER then holds a NUL-terminated prefix) or on an error. */
TCPT_WSTDIO_EXPORT int tcpt_win32_vswprintf(wchar_t *buffer, size_t count,
					    const wchar_t *format, va_list ap);
TCPT_WSTDIO_EXPORT int tcpt_win32_swprintf(wchar_t *buffer, size_t count,
					   const wchar_t *format, ...);

/* swprintf_s: the same, except that BUFFER[0] is set to NUL on -1 (MSVC would call its
 * invalid-parameter handler; here the error is returned). */
TCPT_WSTDIO_EXPORT int tcpt_win32_swprintf_s(wchar_t *buffer, size_t count,
					     const wchar_t *format, ...);

/* _snwprintf: at most COUNT characters; no NUL when the output fills COUNT exactly, and -1
 * when it is longer (COUNT characters written), as MSVC's. */
TCPT_WSTDIO_EXPORT int tcpt_win32_snwprintf(wchar_t *buffer, size_t count,
					    const wchar_t *format, ...);

/* fputws(S, STREAM) and _putws(S) (with a newline), as UTF-8 bytes. Return 0 (_putws: 0),
 * or -1 (WEOF) on an output error. */
TCPT_WSTDIO_EXPORT int tcpt_win32_fputws(const wchar_t *s, FILE *stream);
TCPT_WSTDIO_EXPORT int tcpt_win32_putws(const wchar_t *s);

/* wcscpy_s / wcscat_s: the strcpy_s contract (<windows.h>) with COUNT in WCHARs. */
TCPT_WSTDIO_EXPORT int wcscpy_s(wchar_t *dest, size_t count, const wchar_t *src);
TCPT_WSTDIO_EXPORT int wcscat_s(wchar_t *dest, size_t count, const wchar_t *src);

#ifdef __cplusplus
}
namespace std {
using ::tcpt_win32_fwprintf;
using ::tcpt_win32_swprintf;
using ::tcpt_win32_vfwprintf;
using ::tcpt_win32_vwprintf;
using ::tcpt_win32_wprintf;
using ::tcpt_win32_fputws;
} // namespace std
#endif

#define wprintf(...) tcpt_win32_wprintf(__VA_ARGS__)
#define fwprintf(...) tcpt_win32_fwprintf(__VA_ARGS__)
#define vwprintf(...) tcpt_win32_vwprintf(__VA_ARGS__)
#define vfwprintf(...) tcpt_win32_vfwprintf(__VA_ARGS__)
#define swprintf(...) tcpt_win32_swprintf(__VA_ARGS__)
#define swprintf_s(...) tcpt_win32_swprintf_s(__VA_ARGS__)
#define _snwprintf(...) tcpt_win32_snwprintf(__VA_ARGS__)
#define fputws(...) tcpt_win32_fputws(__VA_ARGS__)
#define _putws(...) tcpt_win32_putws(__VA_ARGS__)
/* MSVC's case-insensitive comparisons (ASCII letters fold, as in the "C" locale), defined
 * here so that they exist under -std=c17 too, where glibc hides strcasecmp & co. */
static inline int tcpt_win32_strnicmp(const char *a, const char *b, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		int x = (unsigned char)a[i], y = (unsigned char)b[i];
		x += x >= 'A' && x <= 'Z' ? 'a' - 'A' : 0;
		y += y >= 'A' && y <= 'Z' ? 'a' - 'A' : 0;
		if (x != y || x == 0)
			return x - y;
	}
	return 0;
}

static inline int tcpt_win32_wcsnicmp(const wchar_t *a, const wchar_t *b, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		wchar_t x = a[i], y = b[i];
		x += x >= L'A' && x <= L'Z' ? L'a' - L'A' : 0;
		y += y >= L'A' && y <= L'Z' ? L'a' - L'A' : 0;
		if (x != y || x == 0)
			return x < y ? -1 : x > y;
	}
	return 0;
}

#define _stricmp(a, b) tcpt_win32_strnicmp((a), (b), (size_t)-1)
#define _strnicmp(a, b, n) tcpt_win32_strnicmp((a), (b), (n))
#define _wcsicmp(a, b) tcpt_win32_wcsnicmp((a), (b), (size_t)-1)
#define _wcsnicmp(a, b, n) tcpt_win32_wcsnicmp((a), (b), (n))
#define _wtoi(s) ((int)wcstol((s), NULL, 10))
#define _wtol(s) wcstol((s), NULL, 10)

#endif
