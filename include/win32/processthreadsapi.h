/*
 * processthreadsapi.h - opening a process by pid and asking for its executable, over
 * libtcptable's process layer (/proc of the caller's pid namespace).
 *
 * Access rights. PROCESS_QUERY_LIMITED_INFORMATION (and SYNCHRONIZE) is granted for every
 * process that exists, as Windows grants it for all but protected processes. Any other right
 * (PROCESS_QUERY_INFORMATION, PROCESS_VM_READ, PROCESS_ALL_ACCESS, ...) is granted only when
 * the caller may inspect the process (read /proc/PID/exe: its own user's processes, or any
 * with CAP_SYS_PTRACE), and refused with ERROR_ACCESS_DENIED otherwise, as Windows refuses a
 * non-elevated caller another user's process. A handle grants reading only: nothing here
 * changes a process.
 *
 * Where Linux differs: without privilege the executable of another user's process cannot be
 * read at all, so QueryFullProcessImageName() on such a handle fails with
 * ERROR_ACCESS_DENIED where Windows would answer. A process that has exited since
 * OpenProcess() (or whose pid was reused: the handle remembers the start time) has no
 * executable left to name: ERROR_GEN_FAILURE, as Windows answers for processes without an
 * image file (System). Kernel threads have no executable either: ERROR_GEN_FAILURE.
 */
#ifndef TCPT_WIN32_PROCESSTHREADSAPI_H
#define TCPT_WIN32_PROCESSTHREADSAPI_H

#include "windows.h"

#ifdef __cplusplus
extern "C" {
#endif

#define SYNCHRONIZE 0x00100000L
#define STANDARD_RIGHTS_REQUIRED 0x000F0000L
#define PROCESS_TERMINATE 0x0001
#define PROCESS_CREATE_THREAD 0x0002
#define PROCESS_VM_OPERATION 0x0008
#define PROCESS_VM_READ 0x0010
#define PROCESS_VM_WRITE 0x0020
#define PROCESS_DUP_HANDLE 0x0040
#define PROCESS_CREATE_PROCESS 0x0080
#define PROCESS_SET_QUOTA 0x0100
#define PROCESS_SET_INFORMATION 0x0200
#define PROCESS_QUERY_INFORMATION 0x0400
#define PROCESS_SUSPEND_RESUME 0x0800
#define PROCESS_QUERY_LIMITED_INFORMATION 0x1000
#define PROCESS_ALL_ACCESS (STANDARD_RIGHTS_REQUIRED | SYNCHRONIZE | 0xFFFF)

/* QueryFullProcessImageName's flags: the Win32 path, or the native ("\Device\...") one.
 * Linux has one kind of path: both give it. */
#define PROCESS_NAME_WIN32 0
#define PROCESS_NAME_NATIVE 0x00000001

/*
 * A handle to process DWPROCESSID with the rights DWDESIREDACCESS (see above);
 * BINHERITHANDLE is ignored (there is no CreateProcess here to inherit it). Close it with
 * CloseHandle(). Returns NULL with the last error
 *   ERROR_INVALID_PARAMETER  pid 0 (the idle process), or no such process: as Windows
 *   ERROR_ACCESS_DENIED      a right other than the limited query for a process the caller
 *                            may not inspect
 *   ERROR_NOT_ENOUGH_MEMORY
 */
WINBASEAPI HANDLE WINAPI OpenProcess(DWORD dwDesiredAccess, BOOL bInheritHandle,
				     DWORD dwProcessId);

/*
 * The full path of HPROCESS's executable into LPEXENAME, which holds *LPDWSIZE characters
 * (chars for A, WCHARs for W). DWFLAGS PROCESS_NAME_WIN32 or PROCESS_NAME_NATIVE (the same
 * path here). Returns TRUE and *LPDWSIZE = the characters written, without the NUL; FALSE
 * with the last error
 *   ERROR_INVALID_HANDLE      not a handle from OpenProcess()
 *   ERROR_INVALID_PARAMETER   NULL LPEXENAME or LPDWSIZE, or other flags
 *   ERROR_ACCESS_DENIED       the handle lacks PROCESS_QUERY_(LIMITED_)INFORMATION, or the
 *                             caller may not read the executable (another user's process)
 *   ERROR_GEN_FAILURE         the process has exited, or has no executable (kernel thread)
 *   ERROR_INSUFFICIENT_BUFFER the path and its NUL do not fit (*LPDWSIZE unchanged)
 * The W form converts the path's bytes from UTF-8 (invalid bytes become U+FFFD).
 */
WINBASEAPI BOOL WINAPI QueryFullProcessImageNameA(HANDLE hProcess, DWORD dwFlags,
						  LPSTR lpExeName, PDWORD lpdwSize);
WINBASEAPI BOOL WINAPI QueryFullProcessImageNameW(HANDLE hProcess, DWORD dwFlags,
						  LPWSTR lpExeName, PDWORD lpdwSize);
#ifdef UNICODE
#define QueryFullProcessImageName QueryFullProcessImageNameW
#else
#define QueryFullProcessImageName QueryFullProcessImageNameA
#endif

#ifdef __cplusplus
}
#endif

#endif
