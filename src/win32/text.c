/* text.c - WideCharToMultiByte: UTF-16 to UTF-8 (CP_UTF8, and CP_ACP, which is UTF-8 on
 * Linux). */
#include <windows.h>

#include "utf16.h"

static size_t wide_len(LPCWSTR s)
{
	size_t n = 0;
	while (s[n])
		n++;
	return n;
}

int WINAPI WideCharToMultiByte(UINT CodePage, DWORD dwFlags, LPCWSTR lpWideCharStr,
			       int cchWideChar, LPSTR lpMultiByteStr, int cbMultiByte,
			       LPCSTR lpDefaultChar, LPBOOL lpUsedDefaultChar)
{
	(void)dwFlags;
	if ((CodePage != CP_UTF8 && CodePage != CP_ACP) || !lpWideCharStr || cchWideChar == 0 ||
	    cchWideChar < -1 || cbMultiByte < 0 || (cbMultiByte > 0 && !lpMultiByteStr) ||
	    lpDefaultChar) {
		SetLastError(ERROR_INVALID_PARAMETER);
		return 0;
	}
	if (lpUsedDefaultChar)
		*lpUsedDefaultChar = FALSE;
	/* -1: the string and its NUL, which is converted and counted like any unit. */
	size_t n = cchWideChar == -1 ? wide_len(lpWideCharStr) + 1 : (size_t)cchWideChar;
	size_t need = utf16_to_utf8(lpWideCharStr, n, NULL);
	if (need > INT32_MAX) {
		SetLastError(ERROR_INVALID_PARAMETER);
		return 0;
	}
	if (cbMultiByte == 0)
		return (int)need;
	if (need > (size_t)cbMultiByte) {
		SetLastError(ERROR_INSUFFICIENT_BUFFER);
		return 0;
	}
	utf16_to_utf8(lpWideCharStr, n, lpMultiByteStr);
	return (int)need;
}
