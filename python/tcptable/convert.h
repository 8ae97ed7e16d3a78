/* convert.h - rows of the library to Python objects: psutil's sconn tuples for
 * net_connections(), and the native Connection records with every field of the row.
 *
 * A cache, kept for one call (or one iterator), makes equal values one object: ports and fds
 * below 65536, pids, IP address strings and psutil's (ip, port) pairs. Building 200k rows is
 * then mostly three tuple allocations per row. All functions need the GIL.
 *
 * The garbage collector: records are made untracked. Those holding only atoms (ints, strs,
 * None, untracked tuples: addr, Owner, TcpInfo, Stats, owner tuples) stay so, as CPython's
 * collector would leave them after its first look (_PyTuple_MaybeUntrack). sconn and
 * Connection hold socket.AddressFamily members, so they must be tracked: the list builders
 * track them once the list is complete, so that the collections 200k allocations set off do
 * not walk a half-built list again and again (three times faster at 200k rows); callers of
 * conv_connection() track what it returns (PyObject_GC_Track) before handing it out. */
#ifndef TCPT_PY_CONVERT_H
#define TCPT_PY_CONVERT_H

#include "module.h"

struct conv_cache;

/* A new, empty cache, or NULL with MemoryError. */
struct conv_cache *conv_cache_new(void);
void conv_cache_free(struct conv_cache *cache);

/* What psutil's tuple of a row depends on, in 48 bytes instead of a snapshot row and its
 * owners, so that the snapshot can be freed before the objects are made (peak memory). As
 * psutil, a socket held by several processes is reported by the highest pid holding it and
 * that process's lowest fd; pid and fd are -1 when no owner could be seen; an endpoint of
 * port 0 (psutil's ()) has its address zeroed. */
struct psutil_row {
	uint8_t family, state, udp, unused;
	uint16_t lport, rport;
	int32_t pid, fd;
	uint8_t laddr[16], raddr[16];
};

/* ROWS (a snapshot's, with owners) compacted into a new calloc'ed array of N, to be freed
 * with free(). No GIL needed. NULL when out of memory. */
struct psutil_row *conv_psutil_compact(const struct tcpt_conn *rows, size_t n);

/*
 * The list psutil.net_connections() would return for ROWS (see conv_psutil_compact()):
 * sconn(fd, family, type, laddr, raddr, status, pid), with fd -1 and pid None for a row
 * without an owner; rows that would be equal tuples (sockets without an owner, same
 * endpoints and state) are reported once, as psutil's set does. NULL with an exception.
 */
PyObject *conv_psutil_list(struct mod_state *st, const struct psutil_row *rows, size_t n);

/* One Connection record for ROW, with its owners and tcp_info, not yet tracked by the
 * garbage collector (the caller tracks it). NULL with an exception. */
PyObject *conv_connection(struct mod_state *st, struct conv_cache *cache,
			  const struct tcpt_conn *row);

/* Pause the garbage collector while a long list of untracked records is built: it would run
 * every few hundred allocations and find nothing to collect (about a tenth of the build's
 * time at 200k rows). Returns whether it was enabled, for conv_gc_resume(). */
int conv_gc_pause(void);
void conv_gc_resume(int was_enabled);

/* Track every item of LIST (records from this file) by the garbage collector. */
void conv_track_all(PyObject *list);

/* The Stats record of S (untracked: it holds ints only). */
PyObject *conv_stats(struct mod_state *st, const struct tcpt_stats *s);

#endif
