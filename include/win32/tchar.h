/*
 * tchar.h - the generic-text mappings: with _UNICODE, _TCHAR is wchar_t, _T("x") is L"x"
 * and _tprintf is wprintf (MSVC's, see <tcpt_wstdio.h>); without it, char, "x" and printf.
 * _tmain is wmain or main: a wmain program links with `pkg-config --libs iphlpapi-municode`.
 */
#ifndef TCPT_WIN32_TCHAR_H
#define TCPT_WIN32_TCHAR_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "tcpt_wstdio.h"

#ifdef _UNICODE
typedef wchar_t _TCHAR, _TSCHAR, _TUCHAR, _TXCHAR;
typedef wint_t _TINT;
#define __T(x) L##x
#define _tmain wmain
#define _tprintf wprintf
#define _ftprintf fwprintf
#define _stprintf swprintf
#define _stprintf_s swprintf_s
#define _sntprintf _snwprintf
#define _vtprintf vwprintf
#define _vftprintf vfwprintf
#define _fputts fputws
#define _putts _putws
#define _tcslen wcslen
#define _tcscpy wcscpy
#define _tcscpy_s wcscpy_s
#define _tcsncpy wcsncpy
#define _tcscat wcscat
#define _tcscat_s wcscat_s
#define _tcscmp wcscmp
#define _tcsncmp wcsncmp
#define _tcsicmp _wcsicmp
#define _tcsnicmp _wcsnicmp
#define _tcschr wcschr
#define _tcsrchr wcsrchr
#define _tcsstr wcsstr
#define _tcstol wcstol
#define _tcstoul wcstoul
#define _ttoi _wtoi
#define _ttol _wtol
#define _tstoi _wtoi
#else
typedef char _TCHAR, _TSCHAR;
typedef unsigned char _TUCHAR, _TXCHAR;
typedef int _TINT;
#define __T(x) x
#define _tmain main
#define _tprintf printf
#define _ftprintf fprintf
#define _stprintf sprintf
#define _stprintf_s sprintf_s
#define _sntprintf snprintf
#define _vtprintf vprintf
#define _vftprintf vfprintf
#define _fputts fputs
#define _putts puts
#define _tcslen strlen
#define _tcscpy strcpy
#define _tcscpy_s strcpy_s
#define _tcsncpy strncpy
#define _tcscat strcat
#define _tcscat_s strcat_s
#define _tcscmp strcmp
#define _tcsncmp strncmp
#define _tcsicmp _stricmp
#define _tcsnicmp _strnicmp
#define _tcschr strchr
#define _tcsrchr strrchr
#define _tcsstr strstr
#define _tcstol strtol
#define _tcstoul strtoul
#define _ttoi atoi
#define _ttol atol
#define _tstoi atoi
#endif
#define _T(x) __T(x)
#define _TEXT(x) __T(x)

/* strcpy_s, strcat_s and sprintf_s (the ANSI mappings) are declared by <windows.h>. */
#include "windows.h"

#endif
