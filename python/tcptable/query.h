/* query.h - a query as tcptable/__init__.py normalises it, turned into a struct tcpt_query
 * whose lists and namespace descriptors the struct owns (so the library may use it with the
 * GIL released, and a streaming thread after the call has returned). */
#ifndef TCPT_PY_QUERY_H
#define TCPT_PY_QUERY_H

#include "module.h"

struct query {
	struct tcpt_query q;
	struct tcpt_filter f;
	struct tcpt_port_range *ports[3]; /* local, remote, either */
	struct tcpt_prefix *addrs[2];     /* local, remote */
	uint32_t *uids;
	int32_t *pids;
	char **names;
	size_t name_count;
	int *netns_fds;                   /* duplicates of the caller's, closed by query_free() */
	size_t netns_count;
};

/*
 * Fill *OUT from the normalised tuple
 *   (protocols, families, states, want, source, order, filter, netns_fds)
 * where protocols is a tuple of names (only "tcp" for now, see query_protocols()), families/states/want/source/order are ints, filter is None or a tuple of eight tuples
 * (local_ports, remote_ports, ports as (first, last) pairs; local_addrs, remote_addrs as
 * (family, bits, 16 bytes); uids; pids; names as bytes), and netns_fds a tuple of open
 * descriptors, which are duplicated (close-on-exec). The library validates the values.
 * Returns 0, or -1 with an exception set and *OUT released.
 */
int query_parse(PyObject *spec, struct query *out);

/* Set Q's protocols from NAMES, a tuple of protocol names. 0, or -1 with ValueError for a
 * protocol the library does not list (everything but "tcp" until UDP arrives). */
int query_protocols(PyObject *names, struct tcpt_query *q);

/* Release what query_parse() allocated and close its descriptors. */
void query_free(struct query *query);

#endif
