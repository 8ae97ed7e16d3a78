/*
 * windows.h - the small part of the Win32 API that IP Helper programs need, for Linux.
 *
 * Part of libiphlpapi (tcptable). Integer types have their Windows sizes on every Linux ABI
 * (LLP64 semantics on LP64: DWORD, ULONG and LONG are 32 bits; 64-bit members are 8-aligned
 * even on i386, as MSVC lays them out).
 *
 * Characters. Both builds work, as on Windows: without UNICODE, TCHAR is char and the
 * unsuffixed names (FormatMessage, InetNtop, Process32First, ...) are the "A" functions;
 * with UNICODE they are the "W" functions and TCHAR is WCHAR (_UNICODE does the same for
 * <tchar.h>'s _T(), _TCHAR and _tprintf). WCHAR is the platform's wchar_t, so that L"..."
 * literals, wcscpy(), wcscmp() and wprintf() work on it: on Linux that is 4 bytes holding a
 * Unicode code point (UTF-32), not Windows' 2-byte UTF-16 unit. Structures that embed WCHAR
 * arrays (PROCESSENTRY32W) have Windows' members in Windows' order, with arrays sized in
 * WCHARs; every other structure is byte for byte Windows'. The wide printf family follows
 * MSVC's rules (%s is a wide string in wprintf) and writes UTF-8: see <tcpt_wstdio.h>.
 * A program whose entry point is wmain links with `pkg-config --libs iphlpapi-municode`.
 *
 * Like the SDK's, this header makes <stdlib.h>, <string.h>, <ctype.h>, <limits.h>,
 * <stdarg.h> and <wchar.h> available. <winsock2.h> also brings the system's
 * <sys/socket.h>, <netinet/in.h> and <arpa/inet.h> (see there).
 *
 * Functions follow the Windows contracts, and say so where Linux forces a choice. Error
 * information is per thread (GetLastError()), as on Windows.
 */
#ifndef TCPT_WIN32_WINDOWS_H
#define TCPT_WIN32_WINDOWS_H

/* u_long is 32 bits on Windows. glibc's <sys/types.h> (pulled in by <stdlib.h> in default
 * and _GNU_SOURCE builds) defines these BSD names too, u_long as 64 bits, under the guard
 * __u_char_defined. Included first, this header defines them the Windows way and sets the
 * guard; included after <sys/types.h>, u_long stays glibc's (64 bits). */
#ifndef __u_char_defined
#define __u_char_defined
#include <bits/types.h>
#include <stdint.h>
typedef unsigned char u_char;
typedef unsigned short u_short;
typedef unsigned int u_int;
typedef uint32_t u_long;
typedef __quad_t quad_t;
typedef __u_quad_t u_quad_t;
typedef __fsid_t fsid_t;
#endif

#include <ctype.h>
#include <limits.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
/* Windows' <stdio.h> declares the wide-character functions (wprintf, used by MSDN samples);
 * glibc keeps them in <wchar.h>. */
#include <wchar.h>

/* MSDN samples carry `#pragma comment(lib, "iphlpapi.lib")`, which GCC and Clang do not know;
 * -Wall would turn it into a warning (an error under -Werror). The library is chosen by
 * pkg-config here, so the pragma is accepted and ignored from this point of the file on. */
#pragma GCC diagnostic ignored "-Wunknown-pragmas"
#ifdef __clang__
#pragma clang diagnostic ignored "-Wignored-pragmas"
#endif

#ifdef __cplusplus
extern "C" {
#endif

/* ---------------------------------------------------------------------------------------
 * Linkage. There is no Windows calling convention to match on Linux: WINAPI and friends are
 * empty, so these functions use the platform's C ABI.
 * ------------------------------------------------------------------------------------- */
#ifdef IPHLPAPI_BUILDING_LIBRARY
#define TCPT_WIN32_EXPORT __attribute__((visibility("default")))
#else
#define TCPT_WIN32_EXPORT
#endif
#define WINAPI
#define APIENTRY
#define CALLBACK
#define WSAAPI
#define NTAPI
#define WINBASEAPI TCPT_WIN32_EXPORT
#define WINSOCK_API_LINKAGE TCPT_WIN32_EXPORT
#define IPHLPAPI_DLL_LINKAGE TCPT_WIN32_EXPORT
#define NTSYSAPI TCPT_WIN32_EXPORT
#define DECLSPEC_ALIGN(x) __attribute__((aligned(x)))

/* ---------------------------------------------------------------------------------------
 * Integer, character and pointer types (Windows sizes)
 * ------------------------------------------------------------------------------------- */
typedef void VOID, *PVOID, *LPVOID;
typedef const void *LPCVOID, *PCVOID;
typedef char CHAR, *PCHAR, *LPCH, *PSTR, *LPSTR;
typedef const char *PCSTR, *LPCSTR;
typedef unsigned char UCHAR, *PUCHAR, BYTE, *PBYTE, *LPBYTE, BOOLEAN, *PBOOLEAN;
typedef int16_t SHORT, *PSHORT;
typedef uint16_t USHORT, *PUSHORT, WORD, *PWORD, *LPWORD;
typedef int INT, *PINT, *LPINT, BOOL, *PBOOL, *LPBOOL, WINBOOL;
typedef unsigned int UINT, *PUINT;
typedef int32_t LONG, *PLONG, *LPLONG;
typedef uint32_t ULONG, *PULONG, DWORD, *PDWORD, *LPDWORD;
/* 8-aligned even where the C ABI aligns 64-bit integers to 4 (i386), as MSVC does. */
typedef int64_t LONGLONG __attribute__((aligned(8)));
typedef uint64_t ULONGLONG __attribute__((aligned(8)));
typedef ULONGLONG DWORD64, *PDWORD64, ULONG64, *PULONG64, DWORDLONG;
typedef LONGLONG LONG64, *PLONG64, *PLONGLONG;
typedef ULONGLONG *PULONGLONG;
typedef intptr_t INT_PTR, LONG_PTR;
typedef uintptr_t UINT_PTR, ULONG_PTR, DWORD_PTR;
typedef size_t SIZE_T, *PSIZE_T;
typedef ptrdiff_t SSIZE_T;
/* A Windows wide character is a UTF-16 code unit (2 bytes), unlike Linux's 4-byte wchar_t. */
/* A wide character is the platform's wchar_t (see the top of this file). */
typedef wchar_t WCHAR, *PWCHAR, *PWCH, *LPWCH, *PWSTR, *LPWSTR, *NWPSTR;
typedef const WCHAR *PCWSTR, *LPCWSTR, *PCWCH, *LPCWCH;
#ifdef UNICODE
typedef WCHAR TCHAR, *PTCHAR, *PTSTR, *LPTSTR, TBYTE, *PTBYTE;
typedef const WCHAR *PCTSTR, *LPCTSTR;
#define __TEXT(quote) L##quote
#else
typedef char TCHAR, *PTCHAR, *PTSTR, *LPTSTR, TBYTE, *PTBYTE;
typedef const char *PCTSTR, *LPCTSTR;
#define __TEXT(quote) quote
#endif
#define TEXT(quote) __TEXT(quote)
typedef void *HANDLE, *HLOCAL, *HGLOBAL, *HMODULE, *HINSTANCE;
typedef HANDLE *PHANDLE;
typedef LONG HRESULT;
typedef int errno_t;
#ifndef __STDC_LIB_EXT1__
typedef size_t rsize_t;
#endif

typedef union _LARGE_INTEGER {
	struct {
		DWORD LowPart;
		LONG HighPart;
	};
	struct {
		DWORD LowPart;
		LONG HighPart;
	} u;
	LONGLONG QuadPart;
} LARGE_INTEGER, *PLARGE_INTEGER;

typedef union _ULARGE_INTEGER {
	struct {
		DWORD LowPart;
		DWORD HighPart;
	};
	struct {
		DWORD LowPart;
		DWORD HighPart;
	} u;
	ULONGLONG QuadPart;
} ULARGE_INTEGER, *PULARGE_INTEGER;

typedef struct _FILETIME {
	DWORD dwLowDateTime;
	DWORD dwHighDateTime;
} FILETIME, *PFILETIME, *LPFILETIME;

#ifndef FALSE
#define FALSE 0
#endif
#ifndef TRUE
#define TRUE 1
#endif
#define CONST const
#define ANYSIZE_ARRAY 1
#define FIELD_OFFSET(type, field) ((LONG)offsetof(type, field))
#define UNREFERENCED_PARAMETER(p) ((void)(p))
#define _countof(array) (sizeof(array) / sizeof((array)[0]))
#define MAKEWORD(lo, hi) ((WORD)(((BYTE)((lo) & 0xff)) | ((WORD)((BYTE)((hi) & 0xff))) << 8))
#define MAKELONG(lo, hi) ((LONG)(((WORD)((lo) & 0xffff)) | ((DWORD)((WORD)((hi) & 0xffff))) << 16))
#define LOWORD(l) ((WORD)((DWORD_PTR)(l) & 0xffff))
#define HIWORD(l) ((WORD)((DWORD_PTR)(l) >> 16))
#define LOBYTE(w) ((BYTE)((DWORD_PTR)(w) & 0xff))
#define HIBYTE(w) ((BYTE)((DWORD_PTR)(w) >> 8))
#define MAX_PATH 260
/* What CreateToolhelp32Snapshot() returns on failure (and never a real handle). */
#define INVALID_HANDLE_VALUE ((HANDLE)(LONG_PTR)-1)

#include "winerror.h"

/* ---------------------------------------------------------------------------------------
 * Processes and per-thread error state
 * ------------------------------------------------------------------------------------- */

/* The calling thread's last error, set by the runtime functions below that document it
 * (never by the IP Helper functions, which return their error). 0 in a new thread. */
WINBASEAPI DWORD WINAPI GetLastError(void);

/* Set the calling thread's last error. */
WINBASEAPI void WINAPI SetLastError(DWORD dwErrCode);

/* The process id (getpid()); the value IP Helper tables report in dwOwningPid. */
WINBASEAPI DWORD WINAPI GetCurrentProcessId(void);

/* ---------------------------------------------------------------------------------------
 * Memory. Every heap is the C heap: HeapAlloc/LocalAlloc memory comes from malloc(), so
 * HeapFree, LocalFree and free() are interchangeable here (not on Windows: don't rely on it).
 * ------------------------------------------------------------------------------------- */
#define HEAP_NO_SERIALIZE 0x00000001
#define HEAP_GENERATE_EXCEPTIONS 0x00000004
#define HEAP_ZERO_MEMORY 0x00000008
#define LMEM_FIXED 0x0000
#define LMEM_ZEROINIT 0x0040
#define LPTR (LMEM_FIXED | LMEM_ZEROINIT)
#define GMEM_FIXED 0x0000
#define GMEM_ZEROINIT 0x0040
#define GPTR (GMEM_FIXED | GMEM_ZEROINIT)

/* A handle to the process heap; never NULL, the same for every call. */
WINBASEAPI HANDLE WINAPI GetProcessHeap(void);

/* Allocate DWBYTES bytes (zeroed with HEAP_ZERO_MEMORY) from HHEAP, which must be the handle
 * GetProcessHeap() returns. Returns the block, or NULL when out of memory (last error
 * ERROR_NOT_ENOUGH_MEMORY) or for another heap handle (ERROR_INVALID_HANDLE). A 0-byte request
 * returns a unique, freeable block, as on Windows. */
WINBASEAPI LPVOID WINAPI HeapAlloc(HANDLE hHeap, DWORD dwFlags, SIZE_T dwBytes);

/* Free a block from HeapAlloc(). NULL is accepted. Returns TRUE; FALSE for another heap
 * handle (last error ERROR_INVALID_HANDLE), in which case nothing is freed. */
WINBASEAPI BOOL WINAPI HeapFree(HANDLE hHeap, DWORD dwFlags, LPVOID lpMem);

/* Allocate UBYTES bytes (zeroed with LMEM_ZEROINIT); only fixed memory (LMEM_FIXED), so the
 * handle is the pointer. Returns NULL when out of memory (ERROR_NOT_ENOUGH_MEMORY) or for
 * LMEM_MOVEABLE (ERROR_INVALID_PARAMETER). */
WINBASEAPI HLOCAL WINAPI LocalAlloc(UINT uFlags, SIZE_T uBytes);

/* Free memory from LocalAlloc() or from FormatMessageA(FORMAT_MESSAGE_ALLOCATE_BUFFER).
 * NULL is accepted. Returns NULL (success), as on Windows. */
WINBASEAPI HLOCAL WINAPI LocalFree(HLOCAL hMem);

/* GlobalAlloc/GlobalFree: the same as LocalAlloc/LocalFree (as on 32-bit Windows). */
WINBASEAPI HGLOBAL WINAPI GlobalAlloc(UINT uFlags, SIZE_T dwBytes);
WINBASEAPI HGLOBAL WINAPI GlobalFree(HGLOBAL hMem);

/* ---------------------------------------------------------------------------------------
 * Messages
 * ------------------------------------------------------------------------------------- */
#define FORMAT_MESSAGE_ALLOCATE_BUFFER 0x00000100
#define FORMAT_MESSAGE_IGNORE_INSERTS 0x00000200
#define FORMAT_MESSAGE_FROM_STRING 0x00000400
#define FORMAT_MESSAGE_FROM_HMODULE 0x00000800
#define FORMAT_MESSAGE_FROM_SYSTEM 0x00001000
#define FORMAT_MESSAGE_ARGUMENT_ARRAY 0x00002000
#define FORMAT_MESSAGE_MAX_WIDTH_MASK 0x000000FF

#define LANG_NEUTRAL 0x00
#define LANG_ENGLISH 0x09
#define SUBLANG_NEUTRAL 0x00
#define SUBLANG_DEFAULT 0x01
#define SUBLANG_SYS_DEFAULT 0x02
#define SUBLANG_ENGLISH_US 0x01
#define MAKELANGID(p, s) ((((WORD)(s)) << 10) | (WORD)(p))
#define PRIMARYLANGID(lgid) ((WORD)(lgid) & 0x3ff)
#define SUBLANGID(lgid) ((WORD)(lgid) >> 10)

/*
 * Format a message, the subset IP Helper programs use:
 *   FORMAT_MESSAGE_FROM_SYSTEM  the English text Windows gives for DWMESSAGEID, for every
 *                               code in winerror.h (with its "\r\n" ending, as Windows has it)
 *   FORMAT_MESSAGE_FROM_STRING  LPSOURCE is the message (a char string)
 *   FORMAT_MESSAGE_ALLOCATE_BUFFER
 *                               LPBUFFER is really a char **: it receives a LocalAlloc()
 *                               block of at least NSIZE bytes, freed with LocalFree()
 *   FORMAT_MESSAGE_IGNORE_INSERTS
 *                               "%1".."%99" stay as they are. Without it, a message with
 *                               inserts fails with ERROR_INVALID_PARAMETER (ARGUMENTS is not
 *                               interpreted; Windows would read it, here it is unsupported).
 *   FORMAT_MESSAGE_MAX_WIDTH_MASK
 *                               0 keeps line breaks as they are; other widths are ignored.
 * DWLANGUAGEID may be 0, LANG_NEUTRAL/SUBLANG_DEFAULT or any English id; others fail with
 * ERROR_RESOURCE_LANG_NOT_FOUND.
 * Returns the number of chars stored, not counting the NUL; 0 on failure with the last error
 * set: ERROR_MR_MID_NOT_FOUND (an unknown message id), ERROR_INSUFFICIENT_BUFFER (without
 * ALLOCATE_BUFFER, NSIZE too small: nothing is written), ERROR_INVALID_PARAMETER (NULL buffer,
 * FROM_HMODULE, ARGUMENT_ARRAY, neither source), ERROR_NOT_ENOUGH_MEMORY.
 */
WINBASEAPI DWORD WINAPI FormatMessageA(DWORD dwFlags, LPCVOID lpSource, DWORD dwMessageId,
				       DWORD dwLanguageId, LPSTR lpBuffer, DWORD nSize,
				       va_list *Arguments);

/* The same with wide strings: LPSOURCE (FROM_STRING) is a WCHAR string, LPBUFFER receives
 * WCHARs (with ALLOCATE_BUFFER, a LocalAlloc() block of WCHARs stored at *(WCHAR **)LPBUFFER),
 * NSIZE counts WCHARs and so does the result. Same flags, errors and texts. */
WINBASEAPI DWORD WINAPI FormatMessageW(DWORD dwFlags, LPCVOID lpSource, DWORD dwMessageId,
				       DWORD dwLanguageId, LPWSTR lpBuffer, DWORD nSize,
				       va_list *Arguments);
#ifdef UNICODE
#define FormatMessage FormatMessageW
#else
#define FormatMessage FormatMessageA
#endif

/* ---------------------------------------------------------------------------------------
 * Text
 * ------------------------------------------------------------------------------------- */
#define CP_ACP 0
#define CP_UTF8 65001

/*
 * Convert wide characters (code points, see WCHAR) to CODEPAGE, which may be CP_UTF8 or
 * CP_ACP (UTF-8 here: the Linux convention). CCHWIDECHAR -1 means NUL-terminated (the NUL
 * is converted and counted). Surrogates and values above U+10FFFF become U+FFFD. With CBMULTIBYTE 0 the size needed is returned and
 * nothing written. LPDEFAULTCHAR must be NULL and *LPUSEDDEFAULTCHAR, when given, is FALSE.
 * Returns the bytes written (or needed), or 0 with the last error ERROR_INVALID_PARAMETER or
 * ERROR_INSUFFICIENT_BUFFER (the output is then unspecified, as on Windows).
 */
WINBASEAPI int WINAPI WideCharToMultiByte(UINT CodePage, DWORD dwFlags, LPCWSTR lpWideCharStr,
					  int cchWideChar, LPSTR lpMultiByteStr, int cbMultiByte,
					  LPCSTR lpDefaultChar, LPBOOL lpUsedDefaultChar);

/*
 * Convert CBMULTIBYTE bytes of LPMULTIBYTESTR in CODEPAGE (CP_UTF8, or CP_ACP: UTF-8 here) to
 * wide characters in LPWIDECHARSTR of CCHWIDECHAR WCHARs. CBMULTIBYTE -1 means
 * NUL-terminated (the NUL is converted and counted). Each byte that does not start a
 * well-formed UTF-8 sequence becomes U+FFFD (Windows' behaviour without
 * MB_ERR_INVALID_CHARS, which is not supported: flags must be 0). With CCHWIDECHAR 0 the
 * count needed is returned and nothing written. Returns the WCHARs written (or needed), or 0
 * with the last error ERROR_INVALID_PARAMETER or ERROR_INSUFFICIENT_BUFFER.
 */
WINBASEAPI int WINAPI MultiByteToWideChar(UINT CodePage, DWORD dwFlags, LPCSTR lpMultiByteStr,
					  int cbMultiByte, LPWSTR lpWideCharStr, int cchWideChar);

/*
 * Copy SRC with its NUL into DEST of DESTSZ bytes (the C11 Annex K / MSVC contract).
 * Returns 0; EINVAL for a NULL DEST or SRC, or DESTSZ 0; ERANGE when SRC does not fit.
 * On error DEST[0] is set to NUL when DEST and DESTSZ allow. (MSVC would call its invalid
 * parameter handler, which by default ends the process; here the error is returned.)
 */
TCPT_WIN32_EXPORT errno_t strcpy_s(char *dest, rsize_t destsz, const char *src);

/* Append SRC to the string in DEST likewise: 0, EINVAL or ERANGE (DEST[0] set to NUL). */
TCPT_WIN32_EXPORT errno_t strcat_s(char *dest, rsize_t destsz, const char *src);

/*
 * snprintf() with the MSVC contract: returns the chars written without the NUL, or -1 when
 * the output did not fit, BUFFER or FORMAT is NULL, or SIZEOFBUFFER is 0; on -1 BUFFER[0]
 * is set to NUL when possible. (MSVC would call its invalid parameter handler.)
 */
TCPT_WIN32_EXPORT int sprintf_s(char *buffer, size_t sizeOfBuffer, const char *format, ...)
	__attribute__((format(printf, 3, 4)));

#ifdef __cplusplus
}
#endif

/* As in the SDK, <windows.h> declares the process and handle functions. */
#include "handleapi.h"
#include "processthreadsapi.h"
#include "tcpt_wstdio.h"

#endif
