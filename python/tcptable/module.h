/* module.h - what the parts of the _tcptable extension share: the module's state (the record
 * classes tcptable/__init__.py hands over at import, and interned constants) and the
 * functions each part exports to module.c. */
#ifndef TCPT_PY_MODULE_H
#define TCPT_PY_MODULE_H

#define PY_SSIZE_T_CLEAN
#include <Python.h>

#include "tcptable.h"

/* Fields of each record class, in the order tcptable/__init__.py declares them. */
enum {
	SCONN_FIELDS = 7,        /* fd family type laddr raddr status pid (psutil's sconn) */
	ADDR_FIELDS = 2,         /* ip port (psutil's addr) */
	CONNECTION_FIELDS = 20,  /* every field of struct tcpt_conn, see __init__.py */
	OWNER_FIELDS = 4,        /* pid fd name exe */
	TCPINFO_FIELDS = 26,     /* every field of struct tcpt_tcp_info */
	STATS_FIELDS = 15,       /* every field of struct tcpt_stats */
};

#define TIMER_NAMES 5

struct mod_state {
	/* namedtuple classes from __init__.py, instantiated in C (see record_new()) */
	PyTypeObject *sconn, *addr, *connection, *owner, *tcpinfo, *stats;
	PyObject *af_inet, *af_inet6, *sock_stream, *sock_dgram; /* socket.AF_INET, ... (enum
	                                                               members) */
	PyObject *proto_tcp, *proto_udp;               /* "tcp", "udp" */
	PyObject *psutil_status[TCPT_STATE_MAX + 1];   /* psutil's spellings; "NONE" if unknown */
	PyObject *state_names[TCPT_STATE_MAX + 1];     /* tcpt_state_name() */
	PyObject *timer_names[TIMER_NAMES + 1];        /* tcpt_timer_name(); last: "unknown" */
	PyObject *empty_tuple;
	PyTypeObject *iterator_type;
	struct tcpt_context *context; /* every query's: the BPF owner program loaded once per
	                                 interpreter, not once per call */
	int ready; /* _setup() was called */
};

struct mod_state *mod_state(PyObject *module);
/* The state, or NULL with RuntimeError if tcptable/__init__.py has not set it up. */
struct mod_state *mod_ready(PyObject *module);

/* A new instance of CLS (a namedtuple class checked by _setup()) with N empty items, to be
 * filled with PyTuple_SET_ITEM: what tuple.__new__(CLS, items) does, without the items'
 * temporary tuple. It is NOT tracked by the garbage collector (see convert.h); NULL with an
 * exception on failure. */
PyObject *record_new(PyTypeObject *cls, Py_ssize_t n);

/* errors.c: raise the Python exception for the library's ERR (< 0); returns NULL. */
PyObject *error_raise(int err);

#endif
