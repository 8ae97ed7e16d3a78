/* query.c - the normalised query tuple of tcptable/__init__.py to a struct tcpt_query. */
#include "query.h"

#include <fcntl.h>
#include <string.h>
#include <unistd.h>

/* A tuple of LEN items, or -1 with TypeError. */
static Py_ssize_t tuple_len(PyObject *o, const char *what)
{
	if (!PyTuple_Check(o)) {
		PyErr_Format(PyExc_TypeError, "%s: expected a tuple", what);
		return -1;
	}
	return PyTuple_GET_SIZE(o);
}

/* The items of tuple LIST (WHAT names it in errors): their number into *COUNT and, unless
 * there are none, a zeroed array of as many SIZE-byte slots into *RET (PyMem). Returns the
 * number, or -1 with the exception set. */
static Py_ssize_t slots_for(PyObject *list, const char *what, size_t size, void **ret,
			    size_t *count)
{
	Py_ssize_t n = tuple_len(list, what);
	if (n <= 0)
		return n;
	*count = (size_t)n;
	if (!(*ret = PyMem_Calloc((size_t)n, size)))
		return PyErr_NoMemory(), -1;
	return n;
}

static int parse_ports(PyObject *list, struct tcpt_port_range **ret, size_t *count)
{
	Py_ssize_t n = slots_for(list, "ports", sizeof(**ret), (void **)ret, count);
	for (Py_ssize_t i = 0; i < n; i++) {
		unsigned short first, last;
		if (!PyArg_ParseTuple(PyTuple_GET_ITEM(list, i), "HH;a port range is (first, last)",
				      &first, &last))
			return -1;
		(*ret)[i] = (struct tcpt_port_range){.first = first, .last = last};
	}
	return n < 0 ? -1 : 0;
}

static int parse_prefixes(PyObject *list, struct tcpt_prefix **ret, size_t *count)
{
	Py_ssize_t n = slots_for(list, "addresses", sizeof(**ret), (void **)ret, count);
	for (Py_ssize_t i = 0; i < n; i++) {
		unsigned char family, bits;
		const char *addr;
		Py_ssize_t len;
		if (!PyArg_ParseTuple(PyTuple_GET_ITEM(list, i), "bby#", &family, &bits, &addr, &len))
			return -1;
		if (len != 16) {
			PyErr_SetString(PyExc_ValueError, "a prefix address is 16 bytes");
			return -1;
		}
		(*ret)[i].family = family;
		(*ret)[i].bits = bits;
		memcpy((*ret)[i].addr, addr, 16);
	}
	return n < 0 ? -1 : 0;
}

/* A tuple of ints in [LO, HI] into a new array of 32-bit slots (uids or pids). */
static int parse_ints(PyObject *list, const char *what, long long lo, long long hi, void **ret,
		      size_t *count)
{
	Py_ssize_t n = slots_for(list, what, sizeof(uint32_t), ret, count);
	uint32_t *v = *ret;
	for (Py_ssize_t i = 0; i < n; i++) {
		long long x = PyLong_AsLongLong(PyTuple_GET_ITEM(list, i));
		if (x == -1 && PyErr_Occurred())
			return -1;
		if (x < lo || x > hi) {
			PyErr_Format(PyExc_ValueError, "%s: %lld is out of range", what, x);
			return -1;
		}
		v[i] = (uint32_t)x; /* an int32_t pid keeps its bits */
	}
	return n < 0 ? -1 : 0;
}

static int parse_names(PyObject *list, struct query *out)
{
	Py_ssize_t n = tuple_len(list, "names");
	if (n < 0)
		return -1;
	if (n == 0)
		return 0;
	out->names = PyMem_Calloc((size_t)n, sizeof(char *));
	if (!out->names)
		return PyErr_NoMemory(), -1;
	out->name_count = (size_t)n;
	for (Py_ssize_t i = 0; i < n; i++) {
		PyObject *b = PyTuple_GET_ITEM(list, i);
		if (!PyBytes_Check(b)) {
			PyErr_SetString(PyExc_TypeError, "a process name is bytes");
			return -1;
		}
		const char *s = PyBytes_AS_STRING(b);
		size_t len = (size_t)PyBytes_GET_SIZE(b);
		if (strlen(s) != len) {
			PyErr_SetString(PyExc_ValueError, "a process name has no NUL byte");
			return -1;
		}
		out->names[i] = PyMem_Malloc(len + 1);
		if (!out->names[i])
			return PyErr_NoMemory(), -1;
		memcpy(out->names[i], s, len + 1);
	}
	return 0;
}

static int parse_filter(PyObject *spec, struct query *out)
{
	PyObject *lp, *rp, *pp, *la, *ra, *uids, *pids, *names;
	if (!PyArg_ParseTuple(spec, "O!O!O!O!O!O!O!O!;filter", &PyTuple_Type, &lp, &PyTuple_Type,
			      &rp, &PyTuple_Type, &pp, &PyTuple_Type, &la, &PyTuple_Type, &ra,
			      &PyTuple_Type, &uids, &PyTuple_Type, &pids, &PyTuple_Type, &names))
		return -1;
	struct tcpt_filter *f = &out->f;
	void *uids_v = NULL, *pids_v = NULL;
	int r = parse_ports(lp, &out->ports[0], &f->local_port_count) ||
		parse_ports(rp, &out->ports[1], &f->remote_port_count) ||
		parse_ports(pp, &out->ports[2], &f->port_count) ||
		parse_prefixes(la, &out->addrs[0], &f->local_addr_count) ||
		parse_prefixes(ra, &out->addrs[1], &f->remote_addr_count) ||
		parse_ints(uids, "uids", 0, UINT32_MAX, &uids_v, &f->uid_count) ||
		parse_ints(pids, "pids", INT32_MIN, INT32_MAX, &pids_v, &f->pid_count) ||
		parse_names(names, out);
	out->uids = uids_v;
	out->pids = pids_v;
	if (r)
		return -1;
	f->local_ports = out->ports[0];
	f->remote_ports = out->ports[1];
	f->ports = out->ports[2];
	f->local_addrs = out->addrs[0];
	f->remote_addrs = out->addrs[1];
	f->uids = out->uids;
	f->pids = out->pids;
	f->names = (const char *const *)out->names;
	f->name_count = out->name_count;
	out->q.filter = f;
	return 0;
}

static int parse_netns(PyObject *fds, struct query *out)
{
	Py_ssize_t n = tuple_len(fds, "netns");
	if (n <= 0)
		return (int)n;
	out->netns_fds = PyMem_Malloc((size_t)n * sizeof(int));
	if (!out->netns_fds)
		return PyErr_NoMemory(), -1;
	for (Py_ssize_t i = 0; i < n; i++) {
		int fd = PyObject_AsFileDescriptor(PyTuple_GET_ITEM(fds, i));
		if (fd < 0)
			return -1;
		int copy = fcntl(fd, F_DUPFD_CLOEXEC, 3);
		if (copy < 0) {
			/* a closed descriptor: the library's -EBADF, as the C caller would get */
			if (errno == EBADF) {
				error_raise(-EBADF);
				return -1;
			}
			PyErr_SetFromErrno(PyExc_OSError);
			return -1;
		}
		out->netns_fds[out->netns_count++] = copy;
	}
	out->q.netns_fds = out->netns_fds;
	out->q.netns_count = out->netns_count;
	return 0;
}

int query_protocols(PyObject *names, struct tcpt_query *q)
{
	Py_ssize_t n = tuple_len(names, "protocols");
	if (n < 0)
		return -1;
	uint32_t mask = 0;
	for (Py_ssize_t i = 0; i < n; i++) {
		PyObject *name = PyTuple_GET_ITEM(names, i);
		if (PyUnicode_Check(name) && PyUnicode_CompareWithASCIIString(name, "tcp") == 0)
			mask |= TCPT_PROTO_TCP;
		else if (PyUnicode_Check(name) && PyUnicode_CompareWithASCIIString(name, "udp") == 0)
			mask |= TCPT_PROTO_UDP;
		else {
			PyErr_Format(PyExc_ValueError, "protocol %R is not listed by this libtcptable",
				     name);
			return -1;
		}
	}
	q->protocols = mask;
	return 0;
}

int query_parse(PyObject *spec, struct query *out)
{
	memset(out, 0, sizeof(*out));
	unsigned families, want;
	unsigned long states;
	int source, order;
	PyObject *protocols, *filter, *netns;
	if (!PyArg_ParseTuple(spec, "O!IkIiiOO!;query", &PyTuple_Type, &protocols, &families,
			      &states, &want, &source, &order, &filter, &PyTuple_Type, &netns) ||
	    query_protocols(protocols, &out->q) < 0)
		return -1;
	out->q.families = families;
	out->q.states = (uint32_t)states;
	out->q.want = want;
	out->q.source = (enum tcpt_source)source;
	out->q.order = (enum tcpt_order)order;
	if (states > UINT32_MAX) {
		PyErr_SetString(PyExc_ValueError, "state mask out of range");
		goto fail;
	}
	if (filter != Py_None && parse_filter(filter, out) < 0)
		goto fail;
	if (parse_netns(netns, out) < 0)
		goto fail;
	return 0;
fail:
	query_free(out);
	return -1;
}

void query_free(struct query *query)
{
	for (size_t i = 0; i < 3; i++)
		PyMem_Free(query->ports[i]);
	for (size_t i = 0; i < 2; i++)
		PyMem_Free(query->addrs[i]);
	PyMem_Free(query->uids);
	PyMem_Free(query->pids);
	for (size_t i = 0; i < query->name_count; i++)
		PyMem_Free(query->names[i]);
	PyMem_Free(query->names);
	for (size_t i = 0; i < query->netns_count; i++)
		close(query->netns_fds[i]);
	PyMem_Free(query->netns_fds);
	memset(query, 0, sizeof(*query));
}
