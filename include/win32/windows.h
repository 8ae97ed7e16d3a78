/*
 * windows.h - the small part of the Win32 API that IP Helper programs need, for Linux.
 *
 * Part of libiphlpapi (tcptable). Integer types have their Windows sizes on every Linux ABI
 * (LLP64 semantics on LP64: DWORD, ULONG and LONG are 32 bits; 64-bit members are 8-aligned
 * even on i386, as MSVC lays them out). Character APIs are the ANSI ("A") ones: TCHAR is char,
 * and UNICODE builds are refused, since a Linux wchar_t is not a Windows WCHAR.
 *
 * Functions follow the Windows contracts, and say so where Linux forces a choice. Error
 * information is per thread (GetLastError()), as on Windows.
 *
 * Do not mix these headers with the Linux socket headers in one file: <winsock2.h> defines
 * Windows' struct in_addr and AF_INET6 = 23, which clash with <netinet/in.h>.
 */
#ifndef TCPT_WIN32_WINDOWS_H
#define TCPT_WIN32_WINDOWS_H

#if defined(UNICODE) || defined(_UNICODE)
#error "libiphlpapi provides the ANSI Win32 API only: build without UNICODE / _UNICODE"
#endif

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
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
typedef uint16_t WCHAR, *PWCHAR, *PWSTR, *LPWSTR;
typedef const WCHAR *PCWSTR, *LPCWSTR;
typedef char TCHAR, *PTCHAR, *LPTSTR;
typedef const char *LPCTSTR;
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
#define TEXT(s) s
#define _T(s) s
#define _TEXT(s) s

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
#define FormatMessage FormatMessageA

/* ---------------------------------------------------------------------------------------
 * Text
 * ------------------------------------------------------------------------------------- */
#define CP_ACP 0
#define CP_UTF8 65001

/*
 * Convert UTF-16 to CODEPAGE, which may be CP_UTF8 or CP_ACP (UTF-8 here: the Linux
 * convention). CCHWIDECHAR -1 means NUL-terminated (the NUL is converted and counted).
 * Unpaired surrogates become U+FFFD. With CBMULTIBYTE 0 the size needed is returned and
 * nothing written. LPDEFAULTCHAR must be NULL and *LPUSEDDEFAULTCHAR, when given, is FALSE.
 * Returns the bytes written (or needed), or 0 with the last error ERROR_INVALID_PARAMETER or
 * ERROR_INSUFFICIENT_BUFFER (the output is then unspecified, as on Windows).
 */
WINBASEAPI int WINAPI WideCharToMultiByte(UINT CodePage, DWORD dwFlags, LPCWSTR lpWideCharStr,
					  int cchWideChar, LPSTR lpMultiByteStr, int cbMultiByte,
					  LPCSTR lpDefaultChar, LPBOOL lpUsedDefaultChar);

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

#endif
