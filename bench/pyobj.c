/*
 * pyobj - how fast can C build psutil-shaped records? A Python extension for the benchmark
 * only (bench/python_bench.py --objects): each function builds N 7-field records into a list
 * and returns the seconds that took, so that the module's choice (python/tcptable) is
 * measured against the other ways:
 *   structseq   a PyStructSequence type (C-defined; no _asdict(), _replace(), _fields)
 *   call        the namedtuple class called through vectorcall (runs its Python __new__)
 *   tuple_new   tuple.__new__(cls, items) through vectorcall (one temporary tuple per row)
 *   tp_alloc    cls->tp_alloc(cls, 7) filled in place: what tuple.__new__ does inside
 *   late track  the same, untracked by the garbage collector until the list is whole: what
 *               the tcptable module does (the collections set off by the allocations then
 *               do not walk the half-built list again and again)
 * Items are shared objects but for one new int per record, as a row's fd would be.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>

#include <time.h>

PyMODINIT_FUNC PyInit_pyobj(void);

#define FIELDS 7

static PyStructSequence_Field seq_fields[] = {
	{"fd", NULL}, {"family", NULL}, {"type", NULL}, {"laddr", NULL},
	{"raddr", NULL}, {"status", NULL}, {"pid", NULL}, {NULL, NULL},
};
static PyStructSequence_Desc seq_desc = {"pyobj.sconn", "psutil's sconn as a struct sequence",
					 seq_fields, FIELDS};
static PyTypeObject *seq_type;

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

enum method { STRUCTSEQ, CALL, TUPLE_NEW, TP_ALLOC, TP_ALLOC_LATE_TRACK };

static PyObject *one(enum method m, PyObject *cls, PyObject *tuple_new, PyObject **items)
{
	PyObject *r = NULL;
	switch (m) {
	case STRUCTSEQ:
		r = PyStructSequence_New(seq_type);
		for (int i = 0; r && i < FIELDS; i++)
			PyStructSequence_SET_ITEM(r, i, Py_NewRef(items[i]));
		return r;
	case CALL:
		return PyObject_Vectorcall(cls, items, FIELDS, NULL);
	case TUPLE_NEW: {
		PyObject *t = PyTuple_New(FIELDS);
		for (int i = 0; t && i < FIELDS; i++)
			PyTuple_SET_ITEM(t, i, Py_NewRef(items[i]));
		PyObject *args[2] = {cls, t};
		r = t ? PyObject_Vectorcall(tuple_new, args, 2, NULL) : NULL;
		Py_XDECREF(t);
		return r;
	}
	case TP_ALLOC:
	case TP_ALLOC_LATE_TRACK:
		r = ((PyTypeObject *)cls)->tp_alloc((PyTypeObject *)cls, FIELDS);
		if (r && m == TP_ALLOC_LATE_TRACK)
			PyObject_GC_UnTrack(r);
		for (int i = 0; r && i < FIELDS; i++)
			PyTuple_SET_ITEM(r, i, Py_NewRef(items[i]));
		return r;
	}
	return NULL;
}

/* build(method, cls, n, items) -> (seconds, list) */
static PyObject *build(PyObject *self, PyObject *args)
{
	(void)self;
	int m;
	PyObject *cls, *sample;
	Py_ssize_t n;
	if (!PyArg_ParseTuple(args, "iOnO!", &m, &cls, &n, &PyTuple_Type, &sample) ||
	    PyTuple_GET_SIZE(sample) != FIELDS)
		return PyErr_Occurred() ? NULL : PyErr_Format(PyExc_ValueError, "7 items");
	PyObject *tuple_new = PyObject_GetAttrString((PyObject *)&PyTuple_Type, "__new__");
	PyObject *list = PyList_New(n);
	PyObject *items[FIELDS];
	for (int i = 0; i < FIELDS; i++)
		items[i] = PyTuple_GET_ITEM(sample, i);
	double t0 = now();
	for (Py_ssize_t k = 0; list && k < n; k++) {
		PyObject *fd = PyLong_FromSsize_t(1000 + k), *keep = items[0];
		items[0] = fd;
		PyObject *r = one((enum method)m, cls, tuple_new, items);
		items[0] = keep;
		Py_XDECREF(fd);
		if (!r)
			Py_CLEAR(list);
		else
			PyList_SET_ITEM(list, k, r);
	}
	if (list && m == TP_ALLOC_LATE_TRACK)
		for (Py_ssize_t k = 0; k < n; k++)
			PyObject_GC_Track(PyList_GET_ITEM(list, k));
	double t1 = now();
	Py_XDECREF(tuple_new);
	if (!list)
		return NULL;
	return Py_BuildValue("dN", t1 - t0, list);
}

static PyMethodDef methods[] = {
	{"build", build, METH_VARARGS,
	 "build(method, cls, n, items) -> (seconds, list); method 0 structseq, 1 call, "
	 "2 tuple_new, 3 tp_alloc, 4 tp_alloc tracked at the end"},
	{NULL, NULL, 0, NULL},
};

static struct PyModuleDef def = {PyModuleDef_HEAD_INIT, "pyobj", NULL, -1, methods,
				 NULL, NULL, NULL, NULL};

PyMODINIT_FUNC PyInit_pyobj(void)
{
	PyObject *m = PyModule_Create(&def);
	seq_type = m ? PyStructSequence_NewType(&seq_desc) : NULL;
	if (!seq_type || PyModule_AddObjectRef(m, "StructSeq", (PyObject *)seq_type) < 0) {
		Py_XDECREF(m);
		return NULL;
	}
	return m;
}
