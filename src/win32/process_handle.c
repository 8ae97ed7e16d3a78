/* process.c - OpenProcess, QueryFullProcessImageName and CloseHandle over libtcptable's
 * process layer. */
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include <windows.h>

#include "handles.h"
#include "wide.h"

/* What a handle may always have: the limited query (and waiting on it). */
#define ALWAYS_GRANTED (PROCESS_QUERY_LIMITED_INFORMATION | SYNCHRONIZE)

void *handle_get(void *h, enum handle_kind kind)
{
	uint32_t k;
	if (!h || h == INVALID_HANDLE_VALUE)
		goto bad;
	memcpy(&k, h, sizeof(k));
	if (k == (uint32_t)kind)
		return h;
bad:
	SetLastError(ERROR_INVALID_HANDLE);
	return NULL;
}

BOOL WINAPI CloseHandle(HANDLE hObject)
{
	uint32_t k;
	if (!hObject || hObject == INVALID_HANDLE_VALUE)
		goto bad;
	memcpy(&k, hObject, sizeof(k));
	if (k != HANDLE_PROCESS && k != HANDLE_SNAPSHOT)
		goto bad;
	((struct handle *)hObject)->kind = HANDLE_CLOSED;
	free(hObject);
	return TRUE;
bad:
	SetLastError(ERROR_INVALID_HANDLE);
	return FALSE;
}

/* Whether the caller may inspect PID (read its executable, or learn that it has none). */
static int inspectable(int32_t pid)
{
	char buf[8];
	int r = tcpt_process_exe(pid, buf, sizeof(buf));
	return r >= 0 || r == -ENOENT;
}

HANDLE WINAPI OpenProcess(DWORD dwDesiredAccess, BOOL bInheritHandle, DWORD dwProcessId)
{
	(void)bInheritHandle;
	struct tcpt_process p;
	if (dwProcessId == 0 || dwProcessId > INT32_MAX ||
	    tcpt_process_read((int32_t)dwProcessId, &p) != 0) {
		SetLastError(ERROR_INVALID_PARAMETER);
		return NULL;
	}
	if ((dwDesiredAccess & ~(DWORD)ALWAYS_GRANTED) && !inspectable(p.pid)) {
		SetLastError(ERROR_ACCESS_DENIED);
		return NULL;
	}
	struct process_handle *h = malloc(sizeof(*h));
	if (!h) {
		SetLastError(ERROR_NOT_ENOUGH_MEMORY);
		return NULL;
	}
	h->h.kind = HANDLE_PROCESS;
	h->pid = p.pid;
	h->access = dwDesiredAccess;
	h->start_time = p.start_time;
	return h;
}

/* Whether the process behind H is still the one it was opened for. */
static int still_there(const struct process_handle *h)
{
	struct tcpt_process p;
	return tcpt_process_read(h->pid, &p) == 0 && p.start_time == h->start_time;
}

size_t process_handle_exe(void *handle, uint32_t any_of, uint32_t all_of, char *buf,
			  size_t size)
{
	struct process_handle *h = handle_get(handle, HANDLE_PROCESS);
	if (!h)
		return 0;
	if (!(h->access & any_of) || (h->access & all_of) != all_of) {
		SetLastError(ERROR_ACCESS_DENIED);
		return 0;
	}
	int r = still_there(h) ? tcpt_process_exe(h->pid, buf, size) : -ESRCH;
	/* read again: the pid may have been reused between the two reads */
	if (r >= 0 && !still_there(h))
		r = -ESRCH;
	if (r == -EACCES || r == -EPERM) {
		SetLastError(ERROR_ACCESS_DENIED);
		return 0;
	}
	if (r <= 0) {
		SetLastError(ERROR_GEN_FAILURE); /* gone, or no executable (kernel thread) */
		return 0;
	}
	return (size_t)r;
}

BOOL WINAPI QueryFullProcessImageNameA(HANDLE hProcess, DWORD dwFlags, LPSTR lpExeName,
				       PDWORD lpdwSize)
{
	if (!handle_get(hProcess, HANDLE_PROCESS))
		return FALSE;
	if (!lpExeName || !lpdwSize || (dwFlags & ~(DWORD)PROCESS_NAME_NATIVE)) {
		SetLastError(ERROR_INVALID_PARAMETER);
		return FALSE;
	}
	char path[PATH_MAX + 1];
	size_t n = process_handle_exe(hProcess, PROCESS_QUERY_INFORMATION |
					       PROCESS_QUERY_LIMITED_INFORMATION, 0, path,
				      sizeof(path));
	if (n == 0)
		return FALSE;
	if (n + 1 > *lpdwSize) {
		SetLastError(ERROR_INSUFFICIENT_BUFFER);
		return FALSE;
	}
	memcpy(lpExeName, path, n + 1);
	*lpdwSize = (DWORD)n;
	return TRUE;
}

BOOL WINAPI QueryFullProcessImageNameW(HANDLE hProcess, DWORD dwFlags, LPWSTR lpExeName,
				       PDWORD lpdwSize)
{
	if (!handle_get(hProcess, HANDLE_PROCESS))
		return FALSE;
	if (!lpExeName || !lpdwSize || (dwFlags & ~(DWORD)PROCESS_NAME_NATIVE)) {
		SetLastError(ERROR_INVALID_PARAMETER);
		return FALSE;
	}
	char path[PATH_MAX + 1];
	size_t n = process_handle_exe(hProcess, PROCESS_QUERY_INFORMATION |
					       PROCESS_QUERY_LIMITED_INFORMATION, 0, path,
				      sizeof(path));
	if (n == 0)
		return FALSE;
	size_t wn = utf8_to_wide(path, n, NULL);
	if (wn + 1 > *lpdwSize) {
		SetLastError(ERROR_INSUFFICIENT_BUFFER);
		return FALSE;
	}
	utf8_to_wide(path, n, lpExeName);
	lpExeName[wn] = 0;
	*lpdwSize = (DWORD)wn;
	return TRUE;
}
