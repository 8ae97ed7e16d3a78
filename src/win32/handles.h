/* handles.h - the objects behind the HANDLEs this library returns: a process opened by pid,
 * or a Tool Help process snapshot. Each is a heap object tagged with its kind. */
#ifndef TCPT_WIN32_HANDLES_H
#define TCPT_WIN32_HANDLES_H

#include <stddef.h>
#include <stdint.h>

#include "tcptable.h"

enum handle_kind {
	HANDLE_PROCESS = 0x50524f43,  /* "PROC" */
	HANDLE_SNAPSHOT = 0x534e4150, /* "SNAP" */
	HANDLE_CLOSED = 0x44454144,   /* "DEAD": set just before the memory is freed */
};

struct handle {
	uint32_t kind;
};

struct process_handle {
	struct handle h;
	int32_t pid;
	uint32_t access;               /* the rights granted */
	unsigned long long start_time; /* to tell a reused pid apart */
};

struct snapshot_entry {
	int32_t pid, ppid;
	unsigned threads;
	int nice;
	char name[16];
};

struct snapshot_handle {
	struct handle h;
	size_t count, next; /* next: the entry Process32Next returns */
	struct snapshot_entry entries[];
};

/* The object behind H if it is of KIND, else NULL with the last error ERROR_INVALID_HANDLE. */
void *handle_get(void *h, enum handle_kind kind);

/* The executable path of the process behind H into BUF (SIZE bytes). Returns its length, or
 * 0 with the last error set (processthreadsapi.h's errors) when the handle lacks one of the
 * rights ANY_OF, or the path cannot be read. A path longer than SIZE-1 is truncated and its
 * full length returned. */
size_t process_handle_exe(void *h, uint32_t any_of, uint32_t all_of, char *buf, size_t size);

#endif
