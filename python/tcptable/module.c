/* module.c - tcptable._tcptable: argument handling and one call into libtcptable per
 * function, with the GIL released while the library works. The Python-facing shape (kinds,
 * keyword arguments, record classes, docs) lives in tcptable/__init__.py; this part takes
 * the normalised values it passes (see query.h). */
#include "module.h"

#include <malloc.h>
#include <sys/socket.h>

#include "convert.h"
#include "query.h"
#include "stream.h"

PyMODINIT_FUNC PyInit__tcptable(void);

static struct PyModuleDef moduledef;

struct mod_state *mod_state(PyObject *module)
{
	return PyModule_GetState(module);
}

struct mod_state *mod_ready(PyObject *module)
{
	struct mod_state *st = mod_state(module);
	if (!st || !st->ready) {
		PyErr_SetString(PyExc_RuntimeError,
				"tcptable._tcptable is used through the tcptable package");
		return NULL;
	}
	return st;
}

/* --- _setup: the record classes ----------------------------------------------------------- */

/* CLS must be a tuple subclass that adds nothing to a tuple's layout (a namedtuple, whose
 * __slots__ is empty) and has N fields, so that record_new() may fill it as a tuple. */
static int check_record_class(PyObject *cls, Py_ssize_t n, PyTypeObject **slot)
{
	if (!PyType_Check(cls) || !PyType_IsSubtype((PyTypeObject *)cls, &PyTuple_Type) ||
	    ((PyTypeObject *)cls)->tp_basicsize != PyTuple_Type.tp_basicsize ||
	    ((PyTypeObject *)cls)->tp_itemsize != PyTuple_Type.tp_itemsize ||
	    ((PyTypeObject *)cls)->tp_dictoffset != 0) {
		PyErr_Format(PyExc_TypeError, "%R is not a namedtuple class", cls);
		return -1;
	}
	PyObject *fields = PyObject_GetAttrString(cls, "_fields");
	Py_ssize_t len = fields ? PyObject_Length(fields) : -1;
	Py_XDECREF(fields);
	if (len != n) {
		PyErr_Clear();
		PyErr_Format(PyExc_TypeError, "%R is not a namedtuple class of %zd fields", cls, n);
		return -1;
	}
	Py_XSETREF(*slot, (PyTypeObject *)Py_NewRef(cls));
	return 0;
}

static PyObject *mod_setup(PyObject *module, PyObject *args)
{
	struct mod_state *st = mod_state(module);
	PyObject *c[6], *af_inet, *af_inet6, *sock_stream, *sock_dgram;
	if (!PyArg_ParseTuple(args, "OOOOOOOOOO:_setup", &c[0], &c[1], &c[2], &c[3], &c[4], &c[5],
			      &af_inet, &af_inet6, &sock_stream, &sock_dgram))
		return NULL;
	if (check_record_class(c[0], SCONN_FIELDS, &st->sconn) < 0 ||
	    check_record_class(c[1], ADDR_FIELDS, &st->addr) < 0 ||
	    check_record_class(c[2], CONNECTION_FIELDS, &st->connection) < 0 ||
	    check_record_class(c[3], OWNER_FIELDS, &st->owner) < 0 ||
	    check_record_class(c[4], TCPINFO_FIELDS, &st->tcpinfo) < 0 ||
	    check_record_class(c[5], STATS_FIELDS, &st->stats) < 0)
		return NULL;
	if (PyLong_AsLong(af_inet) != AF_INET || PyLong_AsLong(af_inet6) != AF_INET6 ||
	    PyLong_AsLong(sock_stream) != SOCK_STREAM || PyLong_AsLong(sock_dgram) != SOCK_DGRAM) {
		if (!PyErr_Occurred())
			PyErr_SetString(PyExc_ValueError,
					"AF_INET, AF_INET6, SOCK_STREAM, SOCK_DGRAM expected");
		return NULL;
	}
	Py_XSETREF(st->af_inet, Py_NewRef(af_inet));
	Py_XSETREF(st->af_inet6, Py_NewRef(af_inet6));
	Py_XSETREF(st->sock_stream, Py_NewRef(sock_stream));
	Py_XSETREF(st->sock_dgram, Py_NewRef(sock_dgram));
	st->ready = 1;
	Py_RETURN_NONE;
}

/* --- the calls ---------------------------------------------------------------------------- */

static int take(const struct tcpt_query *q, struct tcpt_snapshot **ret)
{
	int r;
	Py_BEGIN_ALLOW_THREADS
	r = tcpt_snapshot_take(q, ret);
	Py_END_ALLOW_THREADS
	return r;
}

static void release(struct tcpt_snapshot *snap)
{
	Py_BEGIN_ALLOW_THREADS
	tcpt_snapshot_free(snap);
	Py_END_ALLOW_THREADS
}

static PyObject *mod_net_connections(PyObject *module, PyObject *args)
{
	struct mod_state *st = mod_ready(module);
	PyObject *protocols;
	unsigned families;
	struct tcpt_query q = {.want = TCPT_WANT_OWNERS, .context = st ? st->context : NULL};
	if (!st || !PyArg_ParseTuple(args, "O!I:net_connections", &PyTuple_Type, &protocols,
				     &families) ||
	    query_protocols(protocols, &q) < 0)
		return NULL;
	q.families = families;
	struct tcpt_snapshot *snap;
	int r = take(&q, &snap);
	if (r < 0)
		return error_raise(r);
	/* the 48 bytes per row psutil's tuples need, then the snapshot freed: the objects are
	 * made beside the small copy, not beside the whole snapshot */
	size_t n = tcpt_snapshot_count(snap);
	struct psutil_row *compact;
	Py_BEGIN_ALLOW_THREADS
	compact = conv_psutil_compact(tcpt_snapshot_rows(snap), n);
	tcpt_snapshot_free(snap);
	malloc_trim(0); /* give the snapshot's pages back (the fd scan's thread arena too)
			   before the objects take theirs */
	Py_END_ALLOW_THREADS
	if (!compact)
		return PyErr_NoMemory();
	PyObject *list = conv_psutil_list(st, compact, n);
	free(compact);
	return list;
}

static PyObject *mod_connections(PyObject *module, PyObject *spec)
{
	struct mod_state *st = mod_ready(module);
	struct query query;
	if (!st || query_parse(spec, &query) < 0)
		return NULL;
	query.q.context = st->context;
	struct tcpt_snapshot *snap = NULL;
	int r = take(&query.q, &snap);
	query_free(&query);
	if (r < 0)
		return error_raise(r);
	size_t n = tcpt_snapshot_count(snap);
	const struct tcpt_conn *rows = tcpt_snapshot_rows(snap);
	int gc = conv_gc_pause();
	struct conv_cache *cache = conv_cache_new();
	PyObject *list = cache ? PyList_New((Py_ssize_t)n) : NULL;
	for (size_t i = 0; list && i < n; i++) {
		PyObject *rec = conv_connection(st, cache, &rows[i]);
		if (!rec)
			Py_CLEAR(list);
		else
			PyList_SET_ITEM(list, (Py_ssize_t)i, rec);
	}
	if (list)
		conv_track_all(list);
	conv_cache_free(cache);
	conv_gc_resume(gc);
	release(snap);
	return list;
}

static PyObject *mod_iterate(PyObject *module, PyObject *spec)
{
	return stream_new(module, spec);
}

static PyObject *mod_stats(PyObject *module, PyObject *unused)
{
	(void)unused;
	struct mod_state *st = mod_ready(module);
	if (!st)
		return NULL;
	struct tcpt_stats s;
	int r;
	Py_BEGIN_ALLOW_THREADS
	r = tcpt_stats_read(&s);
	Py_END_ALLOW_THREADS
	return r < 0 ? error_raise(r) : conv_stats(st, &s);
}

static PyObject *mod_state_from_name(PyObject *module, PyObject *name)
{
	(void)module;
	const char *s = PyUnicode_Check(name) ? PyUnicode_AsUTF8(name) : NULL;
	if (!s) {
		if (!PyErr_Occurred())
			PyErr_Format(PyExc_TypeError, "a state name is a str, not %T", name);
		return NULL;
	}
	int state = tcpt_state_from_name(s);
	if (state < 0)
		return PyErr_Format(PyExc_ValueError, "unknown TCP state %R", name);
	return PyLong_FromLong(state);
}

static PyObject *mod_version(PyObject *module, PyObject *unused)
{
	(void)module;
	(void)unused;
	return PyUnicode_FromString(tcpt_version());
}

static PyMethodDef methods[] = {
	{"_setup", mod_setup, METH_VARARGS,
	 "_setup(sconn, addr, Connection, Owner, TcpInfo, Stats, AF_INET, AF_INET6, "
	 "SOCK_STREAM)\n--\n\nThe record classes and constants, from tcptable/__init__.py."},
	{"net_connections", mod_net_connections, METH_VARARGS,
	 "net_connections(protocols, families)\n--\n\npsutil's sconn list of the sockets of "
	 "these protocols (names) and families (mask: 1 IPv4, 2 IPv6, 0 both)."},
	{"connections", mod_connections, METH_O,
	 "connections(query)\n--\n\nA list of Connection records for a normalised query."},
	{"iterate", mod_iterate, METH_O,
	 "iterate(query)\n--\n\nA ConnectionStream over a normalised query."},
	{"stats", mod_stats, METH_NOARGS, "stats()\n--\n\nThe kernel's TCP counters, a Stats."},
	{"state_from_name", mod_state_from_name, METH_O,
	 "state_from_name(name)\n--\n\nThe number of a TCP state name (tcpt_state_from_name)."},
	{"version", mod_version, METH_NOARGS,
	 "version()\n--\n\nThe version of libtcptable actually loaded."},
	{NULL, NULL, 0, NULL},
};

/* --- the module --------------------------------------------------------------------------- */

static const char *const psutil_status[TCPT_STATE_MAX + 1] = {
	[0] = "NONE",
	[TCPT_ESTABLISHED] = "ESTABLISHED",
	[TCPT_SYN_SENT] = "SYN_SENT",
	[TCPT_SYN_RECV] = "SYN_RECV",
	[TCPT_FIN_WAIT1] = "FIN_WAIT1",
	[TCPT_FIN_WAIT2] = "FIN_WAIT2",
	[TCPT_TIME_WAIT] = "TIME_WAIT",
	[TCPT_CLOSE] = "CLOSE",
	[TCPT_CLOSE_WAIT] = "CLOSE_WAIT",
	[TCPT_LAST_ACK] = "LAST_ACK",
	[TCPT_LISTEN] = "LISTEN",
	[TCPT_CLOSING] = "CLOSING",
	[TCPT_NEW_SYN_RECV] = "SYN_RECV",
	[TCPT_BOUND_INACTIVE] = "CLOSE",
};

static int intern(PyObject **slot, const char *s)
{
	*slot = PyUnicode_InternFromString(s);
	return *slot ? 0 : -1;
}

static int state_init(struct mod_state *st)
{
	for (unsigned i = 0; i <= TCPT_STATE_MAX; i++)
		if (intern(&st->psutil_status[i], psutil_status[i]) < 0 ||
		    intern(&st->state_names[i], tcpt_state_name(i)) < 0)
			return -1;
	for (unsigned i = 0; i <= TIMER_NAMES; i++)
		if (intern(&st->timer_names[i], tcpt_timer_name(i)) < 0)
			return -1;
	if (tcpt_context_new(&st->context) < 0) {
		PyErr_NoMemory();
		return -1;
	}
	st->empty_tuple = PyTuple_New(0);
	st->iterator_type = stream_type();
	if (!st->empty_tuple || !st->iterator_type || intern(&st->proto_tcp, "tcp") < 0 ||
	    intern(&st->proto_udp, "udp") < 0)
		return -1;
	Py_INCREF(st->iterator_type);
	return 0;
}

static int mod_traverse(PyObject *module, visitproc visit, void *arg)
{
	struct mod_state *st = mod_state(module);
	if (!st)
		return 0;
	Py_VISIT(st->sconn);
	Py_VISIT(st->addr);
	Py_VISIT(st->connection);
	Py_VISIT(st->owner);
	Py_VISIT(st->tcpinfo);
	Py_VISIT(st->stats);
	return 0;
}

static int mod_clear(PyObject *module)
{
	struct mod_state *st = mod_state(module);
	if (!st)
		return 0;
	st->ready = 0;
	Py_CLEAR(st->sconn);
	Py_CLEAR(st->addr);
	Py_CLEAR(st->connection);
	Py_CLEAR(st->owner);
	Py_CLEAR(st->tcpinfo);
	Py_CLEAR(st->stats);
	Py_CLEAR(st->af_inet);
	Py_CLEAR(st->af_inet6);
	Py_CLEAR(st->sock_stream);
	Py_CLEAR(st->sock_dgram);
	Py_CLEAR(st->proto_tcp);
	Py_CLEAR(st->proto_udp);
	Py_CLEAR(st->empty_tuple);
	for (unsigned i = 0; i <= TCPT_STATE_MAX; i++) {
		Py_CLEAR(st->psutil_status[i]);
		Py_CLEAR(st->state_names[i]);
	}
	for (unsigned i = 0; i <= TIMER_NAMES; i++)
		Py_CLEAR(st->timer_names[i]);
	Py_CLEAR(st->iterator_type);
	return 0;
}

static void mod_free(void *module)
{
	mod_clear(module);
	/* here, not in mod_clear(): a stream's thread may use it until the stream, which holds
	 * the module, is gone */
	struct mod_state *st = mod_state(module);
	if (st) {
		tcpt_context_free(st->context);
		st->context = NULL;
	}
}

static struct PyModuleDef moduledef = {
	PyModuleDef_HEAD_INIT,
	.m_name = "tcptable._tcptable",
	.m_doc = "The C part of the tcptable package: libtcptable's calls, rows built as the "
		 "record classes tcptable/__init__.py defines. Use the tcptable package.",
	.m_size = sizeof(struct mod_state),
	.m_methods = methods,
	.m_traverse = mod_traverse,
	.m_clear = mod_clear,
	.m_free = mod_free,
};

PyMODINIT_FUNC PyInit__tcptable(void)
{
	PyObject *m = PyModule_Create(&moduledef);
	if (!m)
		return NULL;
	struct mod_state *st = mod_state(m);
	if (state_init(st) < 0 ||
	    PyModule_AddObjectRef(m, "ConnectionStream", (PyObject *)st->iterator_type) < 0 ||
	    PyModule_AddIntConstant(m, "SOURCE_NETLINK", TCPT_SOURCE_NETLINK) < 0 ||
	    PyModule_AddIntConstant(m, "SOURCE_PROC", TCPT_SOURCE_PROC) < 0 ||
	    PyModule_AddIntConstant(m, "SOURCE_BPF", TCPT_SOURCE_BPF) < 0) {
		Py_DECREF(m);
		return NULL;
	}
	return m;
}
