/* toolhelp.c - CreateToolhelp32Snapshot and Process32First/Next(W): every process of the
 * pid namespace, read once into the snapshot. */
#include <dirent.h>
#include <stdlib.h>
#include <string.h>

#include <tlhelp32.h>

#include "handles.h"
#include "pids.h"
#include "wide.h"

HANDLE WINAPI CreateToolhelp32Snapshot(DWORD dwFlags, DWORD th32ProcessID)
{
	(void)th32ProcessID;
	if (!(dwFlags & TH32CS_SNAPPROCESS)) {
		SetLastError(ERROR_INVALID_PARAMETER);
		return INVALID_HANDLE_VALUE;
	}
	int32_t *pids = NULL;
	size_t n = 0;
	DWORD err = pids_list(&pids, &n);
	if (err != NO_ERROR) {
		SetLastError(err);
		return INVALID_HANDLE_VALUE;
	}
	struct snapshot_handle *s = malloc(sizeof(*s) + n * sizeof(s->entries[0]));
	if (!s) {
		free(pids);
		SetLastError(ERROR_NOT_ENOUGH_MEMORY);
		return INVALID_HANDLE_VALUE;
	}
	s->h.kind = HANDLE_SNAPSHOT;
	s->count = 0;
	s->next = 0;
	for (size_t i = 0; i < n; i++) {
		struct tcpt_process p;
		if (tcpt_process_read(pids[i], &p) != 0)
			continue; /* exited since the listing */
		struct snapshot_entry *e = &s->entries[s->count++];
		e->pid = p.pid;
		e->ppid = p.ppid;
		e->threads = p.threads;
		e->nice = p.nice;
		memcpy(e->name, p.name, sizeof(e->name));
	}
	free(pids);
	return s;
}

/* Windows' base priority for a nice value (see tlhelp32.h). */
static LONG base_priority(int nice)
{
	return nice >= 10 ? 4 : nice > 0 ? 6 : nice == 0 ? 8 : nice > -10 ? 10 : 13;
}

/* The entry Process32First (FIRST) or Process32Next returns, or NULL with the last error. */
static const struct snapshot_entry *step(HANDLE h, const void *lppe, DWORD need, int first)
{
	struct snapshot_handle *s = handle_get(h, HANDLE_SNAPSHOT);
	if (!s)
		return NULL;
	if (!lppe) {
		SetLastError(ERROR_INVALID_PARAMETER);
		return NULL;
	}
	DWORD size;
	memcpy(&size, lppe, sizeof(size));
	if (size < need) {
		SetLastError(ERROR_BAD_LENGTH);
		return NULL;
	}
	if (first)
		s->next = 0;
	if (s->next >= s->count) {
		SetLastError(ERROR_NO_MORE_FILES);
		return NULL;
	}
	return &s->entries[s->next++];
}

/* The members both structures share, in their shared layout. */
#define FILL(pe, e)                                                                           \
	do {                                                                                  \
		(pe)->cntUsage = 0;                                                           \
		(pe)->th32ProcessID = (DWORD)(e)->pid;                                        \
		(pe)->th32DefaultHeapID = 0;                                                  \
		(pe)->th32ModuleID = 0;                                                       \
		(pe)->cntThreads = (e)->threads;                                              \
		(pe)->th32ParentProcessID = (DWORD)(e)->ppid;                                 \
		(pe)->pcPriClassBase = base_priority((e)->nice);                              \
		(pe)->dwFlags = 0;                                                            \
	} while (0)

static BOOL fill_a(HANDLE h, LPPROCESSENTRY32 lppe, int first)
{
	const struct snapshot_entry *e = step(h, lppe, sizeof(*lppe), first);
	if (!e)
		return FALSE;
	FILL(lppe, e);
	memset(lppe->szExeFile, 0, sizeof(lppe->szExeFile));
	memcpy(lppe->szExeFile, e->name, strlen(e->name));
	return TRUE;
}

static BOOL fill_w(HANDLE h, LPPROCESSENTRY32W lppe, int first)
{
	const struct snapshot_entry *e = step(h, lppe, sizeof(*lppe), first);
	if (!e)
		return FALSE;
	FILL(lppe, e);
	memset(lppe->szExeFile, 0, sizeof(lppe->szExeFile));
	utf8_to_wide(e->name, strlen(e->name), lppe->szExeFile); /* at most 15 < MAX_PATH */
	return TRUE;
}

BOOL WINAPI Process32First(HANDLE hSnapshot, LPPROCESSENTRY32 lppe)
{
	return fill_a(hSnapshot, lppe, 1);
}

BOOL WINAPI Process32Next(HANDLE hSnapshot, LPPROCESSENTRY32 lppe)
{
	return fill_a(hSnapshot, lppe, 0);
}

BOOL WINAPI Process32FirstW(HANDLE hSnapshot, LPPROCESSENTRY32W lppe)
{
	return fill_w(hSnapshot, lppe, 1);
}

BOOL WINAPI Process32NextW(HANDLE hSnapshot, LPPROCESSENTRY32W lppe)
{
	return fill_w(hSnapshot, lppe, 0);
}
