/*
 * tlhelp32.h - the Tool Help process snapshot: every process of the caller's pid namespace
 * at the moment of CreateToolhelp32Snapshot(), over libtcptable's process layer (/proc).
 *
 * PROCESSENTRY32 is byte for byte Windows'; PROCESSENTRY32W has Windows' members in
 * Windows' order with szExeFile sized in WCHARs (a WCHAR is wchar_t: see <windows.h>).
 * Members, from /proc/PID/stat, which every user may read, so every process is listed with
 * its name (unlike its executable's path):
 *   th32ProcessID, th32ParentProcessID   the pid and its parent (0 for init and kthreadd)
 *   cntThreads                           the number of threads
 *   szExeFile                            the process name as ps and ss show it
 *                                        (/proc/PID/comm, at most 15 bytes; Windows gives
 *                                        the image's file name, such as "svchost.exe")
 *   pcPriClassBase                       Windows' base priority for the nice value: 4
 *                                        (nice >= 10, IDLE), 6 (1..9, BELOW_NORMAL), 8 (0,
 *                                        NORMAL), 10 (-1..-9, ABOVE_NORMAL), 13 (<= -10, HIGH)
 *   cntUsage, th32DefaultHeapID, th32ModuleID, dwFlags   0, as on current Windows
 * Windows' pseudo-process 0 ("[System Process]") has no Linux counterpart and is not listed.
 */
#ifndef TCPT_WIN32_TLHELP32_H
#define TCPT_WIN32_TLHELP32_H

#include "windows.h"

#ifdef __cplusplus
extern "C" {
#endif

#define TH32CS_SNAPHEAPLIST 0x00000001
#define TH32CS_SNAPPROCESS 0x00000002
#define TH32CS_SNAPTHREAD 0x00000004
#define TH32CS_SNAPMODULE 0x00000008
#define TH32CS_SNAPMODULE32 0x00000010
#define TH32CS_SNAPALL (TH32CS_SNAPHEAPLIST | TH32CS_SNAPPROCESS | TH32CS_SNAPTHREAD | TH32CS_SNAPMODULE)
#define TH32CS_INHERIT 0x80000000

typedef struct tagPROCESSENTRY32 {
	DWORD dwSize; /* the caller sets sizeof(PROCESSENTRY32) */
	DWORD cntUsage;
	DWORD th32ProcessID;
	ULONG_PTR th32DefaultHeapID;
	DWORD th32ModuleID;
	DWORD cntThreads;
	DWORD th32ParentProcessID;
	LONG pcPriClassBase;
	DWORD dwFlags;
	CHAR szExeFile[MAX_PATH];
} PROCESSENTRY32, *PPROCESSENTRY32, *LPPROCESSENTRY32;

typedef struct tagPROCESSENTRY32W {
	DWORD dwSize; /* the caller sets sizeof(PROCESSENTRY32W) */
	DWORD cntUsage;
	DWORD th32ProcessID;
	ULONG_PTR th32DefaultHeapID;
	DWORD th32ModuleID;
	DWORD cntThreads;
	DWORD th32ParentProcessID;
	LONG pcPriClassBase;
	DWORD dwFlags;
	WCHAR szExeFile[MAX_PATH];
} PROCESSENTRY32W, *PPROCESSENTRY32W, *LPPROCESSENTRY32W;

/*
 * A snapshot of every process, for Process32First/Next. DWFLAGS must include
 * TH32CS_SNAPPROCESS (TH32CS_INHERIT and the other bits are accepted and add nothing: the
 * thread, module and heap walks are not provided); TH32PROCESSID is ignored, as Windows
 * ignores it for processes. Close it with CloseHandle(). Returns INVALID_HANDLE_VALUE with
 * the last error ERROR_INVALID_PARAMETER (no TH32CS_SNAPPROCESS), ERROR_NOT_SUPPORTED (/proc
 * cannot be read) or ERROR_NOT_ENOUGH_MEMORY.
 */
WINBASEAPI HANDLE WINAPI CreateToolhelp32Snapshot(DWORD dwFlags, DWORD th32ProcessID);

/*
 * The first process of HSNAPSHOT into *LPPE (Next: the one after the last returned; First
 * starts over), in ascending pid order. LPPE->dwSize must be at least the structure's size.
 * Returns TRUE; FALSE with the last error ERROR_NO_MORE_FILES (no more processes),
 * ERROR_INVALID_HANDLE (not a snapshot), ERROR_BAD_LENGTH (dwSize too small) or
 * ERROR_INVALID_PARAMETER (LPPE NULL).
 */
WINBASEAPI BOOL WINAPI Process32First(HANDLE hSnapshot, LPPROCESSENTRY32 lppe);
WINBASEAPI BOOL WINAPI Process32Next(HANDLE hSnapshot, LPPROCESSENTRY32 lppe);
/* The same with the name as wide characters. */
WINBASEAPI BOOL WINAPI Process32FirstW(HANDLE hSnapshot, LPPROCESSENTRY32W lppe);
WINBASEAPI BOOL WINAPI Process32NextW(HANDLE hSnapshot, LPPROCESSENTRY32W lppe);

#ifdef UNICODE
#define Process32First Process32FirstW
#define Process32Next Process32NextW
#define PROCESSENTRY32 PROCESSENTRY32W
#define PPROCESSENTRY32 PPROCESSENTRY32W
#define LPPROCESSENTRY32 LPPROCESSENTRY32W
#endif

#ifdef __cplusplus
}
#endif

#endif
