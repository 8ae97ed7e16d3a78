/* psapi.c - EnumProcesses, GetModuleBaseName, GetModuleFileNameEx and
 * GetProcessImageFileName, A and W. */
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include <psapi.h>

#include "handles.h"
#include "pids.h"
#include "wide.h"

BOOL WINAPI EnumProcesses(DWORD *lpidProcess, DWORD cb, LPDWORD lpcbNeeded)
{
	if (!lpcbNeeded || (!lpidProcess && cb > 0)) {
		SetLastError(ERROR_INVALID_PARAMETER);
		return FALSE;
	}
	int32_t *pids;
	size_t n;
	DWORD err = pids_list(&pids, &n);
	if (err != NO_ERROR) {
		SetLastError(err);
		return FALSE;
	}
	size_t fit = cb / sizeof(DWORD);
	if (n < fit)
		fit = n;
	for (size_t i = 0; i < fit; i++)
		lpidProcess[i] = (DWORD)pids[i];
	free(pids);
	*lpcbNeeded = (DWORD)(fit * sizeof(DWORD));
	return TRUE;
}

/* The path, or its base name, of H's executable, with the rights psapi asks for. */
enum part { WHOLE_PATH, BASE_NAME };

/* Read the part into BUF (PATH_MAX + 1 bytes). Returns a pointer to it inside BUF and its
 * length in *LEN, or NULL with the last error. */
static const char *module_part(HANDLE h, HMODULE module, uint32_t any_of, uint32_t all_of,
			       enum part part, char *buf, size_t *len)
{
	if (!handle_get(h, HANDLE_PROCESS))
		return NULL;
	if (module) {
		SetLastError(ERROR_INVALID_HANDLE);
		return NULL;
	}
	size_t n = process_handle_exe(h, any_of, all_of, buf, PATH_MAX + 1);
	if (n == 0)
		return NULL;
	const char *s = buf;
	if (part == BASE_NAME) {
		const char *slash = strrchr(buf, '/');
		s = slash ? slash + 1 : buf;
	}
	*len = strlen(s);
	return s;
}

#define MODULE_RIGHTS PROCESS_QUERY_INFORMATION, PROCESS_QUERY_INFORMATION | PROCESS_VM_READ
#define IMAGE_RIGHTS PROCESS_QUERY_INFORMATION | PROCESS_QUERY_LIMITED_INFORMATION, 0

/* Copy S (LEN bytes) to OUT of SIZE chars: truncated when TRUNCATE, else
 * ERROR_INSUFFICIENT_BUFFER. Returns the chars copied without the NUL, or 0. */
static DWORD copy_a(const char *s, size_t len, LPSTR out, DWORD size, int truncate)
{
	if (len + 1 > size) {
		if (!truncate) {
			SetLastError(ERROR_INSUFFICIENT_BUFFER);
			return 0;
		}
		len = size - 1;
	}
	memcpy(out, s, len);
	out[len] = '\0';
	return (DWORD)len;
}

static DWORD copy_w(const char *s, size_t len, LPWSTR out, DWORD size, int truncate)
{
	size_t wn = utf8_to_wide(s, len, NULL);
	wchar_t *w = malloc((wn + 1) * sizeof(wchar_t));
	if (!w) {
		SetLastError(ERROR_NOT_ENOUGH_MEMORY);
		return 0;
	}
	utf8_to_wide(s, len, w);
	if (wn + 1 > size) {
		if (!truncate) {
			free(w);
			SetLastError(ERROR_INSUFFICIENT_BUFFER);
			return 0;
		}
		wn = size - 1;
	}
	memcpy(out, w, wn * sizeof(wchar_t));
	out[wn] = 0;
	free(w);
	return (DWORD)wn;
}

static int bad_buffer(const void *buf, DWORD size)
{
	if (buf && size > 0)
		return 0;
	SetLastError(ERROR_INVALID_PARAMETER);
	return 1;
}

#define PSAPI_A(fn, rights, part, truncate)                                                   \
	do {                                                                                  \
		if (bad_buffer(out, size))                                                    \
			return 0;                                                             \
		char buf[PATH_MAX + 1];                                                       \
		size_t len;                                                                   \
		const char *s = module_part(h, module, rights, part, buf, &len);              \
		return s ? fn(s, len, out, size, truncate) : 0;                               \
	} while (0)

DWORD WINAPI GetModuleBaseNameA(HANDLE h, HMODULE module, LPSTR out, DWORD size)
{
	PSAPI_A(copy_a, MODULE_RIGHTS, BASE_NAME, 1);
}

DWORD WINAPI GetModuleBaseNameW(HANDLE h, HMODULE module, LPWSTR out, DWORD size)
{
	PSAPI_A(copy_w, MODULE_RIGHTS, BASE_NAME, 1);
}

DWORD WINAPI GetModuleFileNameExA(HANDLE h, HMODULE module, LPSTR out, DWORD size)
{
	PSAPI_A(copy_a, MODULE_RIGHTS, WHOLE_PATH, 1);
}

DWORD WINAPI GetModuleFileNameExW(HANDLE h, HMODULE module, LPWSTR out, DWORD size)
{
	PSAPI_A(copy_w, MODULE_RIGHTS, WHOLE_PATH, 1);
}

DWORD WINAPI GetProcessImageFileNameA(HANDLE h, LPSTR out, DWORD size)
{
	HMODULE module = NULL;
	PSAPI_A(copy_a, IMAGE_RIGHTS, WHOLE_PATH, 0);
}

DWORD WINAPI GetProcessImageFileNameW(HANDLE h, LPWSTR out, DWORD size)
{
	HMODULE module = NULL;
	PSAPI_A(copy_w, IMAGE_RIGHTS, WHOLE_PATH, 0);
}
