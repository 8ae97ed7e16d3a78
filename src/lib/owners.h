/* owners.h - which processes hold each socket: one pass over /proc/<pid>/fd. */
#ifndef TCPT_OWNERS_H
#define TCPT_OWNERS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "arena.h"
#include "tcptable.h"

struct owner_slot;

/* Every socket descriptor of every process the caller may inspect, grouped by socket inode:
 * built once, looked up per row in constant time. */
struct owner_index {
	struct tcpt_owner *owners; /* grouped by inode; a group is ordered by (pid, fd) */
	size_t count;
	struct owner_slot *slots;  /* open addressing on the inode */
	size_t mask;
	size_t unreadable;         /* processes whose fd directory, or one of whose fds, was
	                              refused (EACCES/EPERM) */
	unsigned gaps;             /* TCPT_OWNERS_HIDDEN, TCPT_OWNERS_NO_PROC */
};

/* One socket descriptor of a process, as a source finds it: 16 bytes, as there may be
 * millions. */
struct owner_found {
	uint64_t inode;
	int32_t pid;
	int32_t fd;
};

struct owner_found_list {
	struct owner_found *items;
	size_t count;
	size_t cap;
};

/* Append one descriptor. Returns 0 or -ENOMEM (the list unchanged). */
int owner_found_add(struct owner_found_list *l, uint64_t inode, int32_t pid, int32_t fd);

/*
 * Scan /proc/<pid>/fd of every process under PROC_ROOT (normally "/proc") once: linear in the
 * number of descriptors on the host. With WANT_PROCESS each owner also gets its process's name
 * and executable path, read once per process and copied into STRINGS.
 * Processes that vanish during the scan are skipped; those whose fds may not be read are
 * counted in ->unreadable. When PROC_ROOT is not a readable procfs, or hides other users'
 * processes (hidepid), that is said in ->gaps: rows can still be shown without owners.
 * Returns 0 or -ENOMEM; *ret is empty on failure.
 */
int owner_index_build(const char *proc_root, bool want_process, struct arena *strings,
		      struct owner_index *ret);

/*
 * Group FOUND (descriptors grouped by pid, as a source emits them) into *RET, as
 * owner_index_build() would. With WANT_PROCESS each process's name and executable are read
 * from PROC_ROOT once (left NULL when they cannot be). FOUND is left as it was; the caller
 * frees it. Returns 0 or -ENOMEM; *ret is empty on failure.
 */
int owner_index_build_from(const char *proc_root, const struct owner_found_list *found,
			   bool want_process, struct arena *strings, struct owner_index *ret);

/* Whether a query with SOURCE (and CONTEXT, maybe NULL) should try the BPF owner source
 * first: always for TCPT_SOURCE_BPF; for TCPT_SOURCE_AUTO when the iterator may be loaded
 * here and either CONTEXT has it (or has not tried it yet) or, without a context, the host
 * has enough open files for a load to beat the /proc scan; never otherwise. */
bool owners_try_bpf(enum tcpt_source source, struct tcpt_context *context);

/* Build *RET through the BPF iterator (CONTEXT's, when not NULL; else loaded for this call
 * alone) when TRY_BPF and it works, else through the /proc scan (a BPF failure of any kind
 * falls back silently). *RET_USED says which served: TCPT_SOURCE_BPF or TCPT_SOURCE_PROC
 * (its gaps in ret->gaps). Returns 0 or -ENOMEM; *ret is empty and *ret_used untouched on
 * failure. */
int owner_index_collect(bool try_bpf, struct tcpt_context *context, bool want_process,
			struct arena *strings, struct owner_index *ret,
			enum tcpt_source *ret_used);

/* The owners of the socket INODE: their number, and *ret_owners pointing at the first of them
 * (NULL when none). Inode 0 (TIME-WAIT, SYN-RECV) has none. */
uint32_t owner_index_find(const struct owner_index *ix, uint64_t inode,
			  const struct tcpt_owner **ret_owners);

/* Start loading the slot of INODE into the cache (a hint; no effect on results). */
void owner_index_prefetch(const struct owner_index *ix, uint64_t inode);

/* Point every row's owners into IX (which must outlive the rows). */
void owner_index_attach(const struct owner_index *ix, struct tcpt_conn *rows, size_t nrows);

/* Release what owner_index_build() allocated (not the strings, which belong to the arena). */
void owner_index_free(struct owner_index *ix);

#endif
