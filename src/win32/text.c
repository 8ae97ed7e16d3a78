/* text.c - WideCharToMultiByte and MultiByteToWideChar: wide characters (code points) to and
 * from UTF-8 (CP_UTF8, and CP_ACP, which is UTF-8 on Linux). */
#include <windows.h>

#include "wide.h"

static int fail(DWORD err)
{
	SetLastError(err);
	return 0;
}

int WINAPI WideCharToMultiByte(UINT CodePage, DWORD dwFlags, LPCWSTR lpWideCharStr,
			       int cchWideChar, LPSTR lpMultiByteStr, int cbMultiByte,
			       LPCSTR lpDefaultChar, LPBOOL lpUsedDefaultChar)
{
	(void)dwFlags;
	if ((CodePage != CP_UTF8 && CodePage != CP_ACP) || !lpWideCharStr || cchWideChar == 0 ||
	    cchWideChar < -1 || cbMultiByte < 0 || (cbMultiByte > 0 && !lpMultiByteStr) ||
	    lpDefaultChar)
		return fail(ERROR_INVALID_PARAMETER);
	if (lpUsedDefaultChar)
		*lpUsedDefaultChar = FALSE;
	/* -1: the string and its NUL, which is converted and counted like any unit. */
	size_t n = cchWideChar == -1 ? wcslen(lpWideCharStr) + 1 : (size_t)cchWideChar;
	size_t need = wide_to_utf8(lpWideCharStr, n, NULL);
	if (need > INT32_MAX)
		return fail(ERROR_INVALID_PARAMETER);
	if (cbMultiByte == 0)
		return (int)need;
	if (need > (size_t)cbMultiByte)
		return fail(ERROR_INSUFFICIENT_BUFFER);
	wide_to_utf8(lpWideCharStr, n, lpMultiByteStr);
	return (int)need;
}

int WINAPI MultiByteToWideChar(UINT CodePage, DWORD dwFlags, LPCSTR lpMultiByteStr,
			       int cbMultiByte, LPWSTR lpWideCharStr, int cchWideChar)
{
	if ((CodePage != CP_UTF8 && CodePage != CP_ACP) || dwFlags != 0 || !lpMultiByteStr ||
	    cbMultiByte == 0 || cbMultiByte < -1 || cchWideChar < 0 ||
	    (cchWideChar > 0 && !lpWideCharStr))
		return fail(ERROR_INVALID_PARAMETER);
	size_t n = cbMultiByte == -1 ? strlen(lpMultiByteStr) + 1 : (size_t)cbMultiByte;
	size_t need = utf8_to_wide(lpMultiByteStr, n, NULL);
	if (need > INT32_MAX)
		return fail(ERROR_INVALID_PARAMETER);
	if (cchWideChar == 0)
		return (int)need;
	if (need > (size_t)cchWideChar)
		return fail(ERROR_INSUFFICIENT_BUFFER);
	utf8_to_wide(lpMultiByteStr, n, lpWideCharStr);
	return (int)need;
}
