/*
 * psapi.h - the Process Status API's names for a process: its executable's base name and
 * full path, and the list of pids; over libtcptable's process layer (/proc).
 *
 * HMODULE must be NULL (the process's main executable): module handles of other processes
 * are not provided. The handle's rights and the errors for processes that are gone or may not
 * be inspected are OpenProcess()'s and QueryFullProcessImageName()'s (processthreadsapi.h).
 * Each function returns the characters copied without the NUL, or 0 with the last error.
 * As on Windows, GetModuleBaseName and GetModuleFileNameEx truncate a name that does not fit
 * NSIZE (NUL-terminated, returning NSIZE - 1 here); GetProcessImageFileName fails with
 * ERROR_INSUFFICIENT_BUFFER instead. Paths are Linux paths: GetProcessImageFileName gives
 * the same path as GetModuleFileNameEx (Windows: "\Device\HarddiskVolume1\...").
 */
#ifndef TCPT_WIN32_PSAPI_H
#define TCPT_WIN32_PSAPI_H

#include "windows.h"

#ifdef __cplusplus
extern "C" {
#endif

#define PSAPI_VERSION 2

/* The pids of every process of the caller's pid namespace into LPIDPROCESS, of CB bytes, in
 * ascending order; *LPCBNEEDED = the bytes written. As on Windows a full array means
 * "maybe more": call again with a larger one. Returns TRUE; FALSE with the last error
 * ERROR_INVALID_PARAMETER (NULL LPIDPROCESS with CB > 0, or NULL LPCBNEEDED) or
 * ERROR_NOT_SUPPORTED (/proc cannot be read). */
WINBASEAPI BOOL WINAPI EnumProcesses(DWORD *lpidProcess, DWORD cb, LPDWORD lpcbNeeded);

/* The file name of the executable ("python3.11"). Needs PROCESS_QUERY_INFORMATION and
 * PROCESS_VM_READ, as on Windows (ERROR_ACCESS_DENIED otherwise); ERROR_INVALID_HANDLE for
 * a non-NULL HMODULE or a handle not from OpenProcess(); ERROR_INVALID_PARAMETER for a NULL
 * buffer or NSIZE 0. */
WINBASEAPI DWORD WINAPI GetModuleBaseNameA(HANDLE hProcess, HMODULE hModule, LPSTR lpBaseName,
				DWORD nSize);
WINBASEAPI DWORD WINAPI GetModuleBaseNameW(HANDLE hProcess, HMODULE hModule, LPWSTR lpBaseName,
				DWORD nSize);

/* The full path of the executable; the same rights and errors. */
WINBASEAPI DWORD WINAPI GetModuleFileNameExA(HANDLE hProcess, HMODULE hModule, LPSTR lpFilename,
				  DWORD nSize);
WINBASEAPI DWORD WINAPI GetModuleFileNameExW(HANDLE hProcess, HMODULE hModule, LPWSTR lpFilename,
				  DWORD nSize);

/* The full path of the executable. Needs PROCESS_QUERY_INFORMATION or
 * PROCESS_QUERY_LIMITED_INFORMATION; ERROR_INSUFFICIENT_BUFFER when it does not fit. */
WINBASEAPI DWORD WINAPI GetProcessImageFileNameA(HANDLE hProcess, LPSTR lpImageFileName, DWORD nSize);
WINBASEAPI DWORD WINAPI GetProcessImageFileNameW(HANDLE hProcess, LPWSTR lpImageFileName, DWORD nSize);

#ifdef UNICODE
#define GetModuleBaseName GetModuleBaseNameW
#define GetModuleFileNameEx GetModuleFileNameExW
#define GetProcessImageFileName GetProcessImageFileNameW
#else
#define GetModuleBaseName GetModuleBaseNameA
#define GetModuleFileNameEx GetModuleFileNameExA
#define GetProcessImageFileName GetProcessImageFileNameA
#endif
/* PSAPI_VERSION 2 names (kernel32's K32 prefix). */
#define K32EnumProcesses EnumProcesses
#define K32GetModuleBaseNameA GetModuleBaseNameA
#define K32GetModuleBaseNameW GetModuleBaseNameW
#define K32GetModuleFileNameExA GetModuleFileNameExA
#define K32GetModuleFileNameExW GetModuleFileNameExW
#define K32GetProcessImageFileNameA GetProcessImageFileNameA
#define K32GetProcessImageFileNameW GetProcessImageFileNameW

#ifdef __cplusplus
}
#endif

#endif
