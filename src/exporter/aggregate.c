/* aggregate.c - counting rows into namespaces, ports, listeners and processes. */
#include "aggregate.h"
#include "grow.h"

#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct ns_agg *aggregate_ns(struct aggregate *a, uint64_t inode, const char *label)
{
	for (size_t i = 0; i < a->ns_count; i++)
		if (a->ns[i].inode == inode)
			return &a->ns[i];
	if (grow_array((void **)&a->ns, &a->ns_cap, a->ns_count + 1, sizeof(*a->ns)) < 0)
		return NULL;
	struct ns_agg *n = &a->ns[a->ns_count++];
	*n = (struct ns_agg){ .inode = inode };
	if (label)
		snprintf(n->label, sizeof(n->label), "%s", label);
	else
		snprintf(n->label, sizeof(n->label), "%llu", (unsigned long long)inode);
	return n;
}

/* The process a row is counted under: its first owner (the lowest pid), "" without one. */
static const char *owner_name(const struct tcpt_conn *row)
{
	if (row->owner_count && row->owners[0].name)
		return row->owners[0].name;
	return "";
}

static int count_listener(struct aggregate *a, uint32_t ns, enum proto proto,
			  const struct tcpt_conn *row)
{
	struct series_key k;
	memset(&k, 0, sizeof(k));
	k.ns = ns;
	k.protocol = (uint8_t)proto;
	k.family = row->family;
	k.port = row->local_port;
	memcpy(k.addr, row->local_addr, sizeof(k.addr));
	snprintf(k.name, sizeof(k.name), "%s", owner_name(row));
	struct series *s = series_get(&a->listeners, &k);
	if (!s)
		return -ENOMEM;
	s->values[0]++;
	return 0;
}

/* The series of the process NAME in namespace NS and protocol PROTO when the cache knows it
 * (by the name's address: rows of one process share their owner's strings), else NULL. The
 * key is compared too, so an address that now holds another name is only a miss. */
static struct series *recent_process(struct aggregate *a, size_t slot, uint32_t ns,
				     enum proto proto, const char *name)
{
	uint32_t i = a->recent[slot].index;
	if (!i || a->recent[slot].name != name)
		return NULL;
	struct series *s = &a->processes.items[i - 1];
	if (s->key.ns != ns || s->key.protocol != proto ||
	    strncmp(s->key.name, name, sizeof(s->key.name) - 1) != 0)
		return NULL;
	return s;
}

static int count_process(struct aggregate *a, uint32_t ns, enum proto proto,
			 const struct tcpt_conn *row)
{
	if (!row->owner_count)
		return 0;
	const char *name = owner_name(row);
	size_t slot = ((uintptr_t)name >> 4 ^ ns ^ (uintptr_t)proto << 3) %
		      (sizeof(a->recent) / sizeof(a->recent[0]));
	struct series *s = recent_process(a, slot, ns, proto, name);
	if (!s) {
		struct series_key k;
		memset(&k, 0, sizeof(k));
		k.ns = ns;
		k.protocol = (uint8_t)proto;
		snprintf(k.name, sizeof(k.name), "%s", name);
		s = series_get(&a->processes, &k);
		if (!s)
			return -ENOMEM;
		a->recent[slot].name = name;
		a->recent[slot].index = (uint32_t)(s - a->processes.items) + 1;
	}
	s->values[row->state < SERIES_VALUES ? row->state : 0]++;
	return 0;
}

enum proto aggregate_proto(const struct tcpt_conn *row)
{
	return row->protocol == TCPT_PROTO_NUMBER_UDP ? PROTO_UDP : PROTO_TCP;
}

bool aggregate_is_listener(enum proto proto, const struct tcpt_conn *row)
{
	if (proto == PROTO_UDP)
		return row->state == TCPT_CLOSE && row->local_port != 0;
	return row->state == TCPT_LISTEN;
}

static int count_port(struct ns_agg *n, enum proto proto, const struct tcpt_conn *row)
{
	bool listener = aggregate_is_listener(proto, row);
	if (!listener && row->state != TCPT_ESTABLISHED)
		return 0;
	if (!n->ports[proto]) {
		n->ports[proto] = calloc(65536, sizeof(struct port_stat));
		if (!n->ports[proto])
			return -ENOMEM;
	}
	struct port_stat *p = &n->ports[proto][row->local_port];
	if (listener && proto == PROTO_UDP) {
		/* a UDP socket's queues are bytes in its buffers, listener or not */
		p->listeners++;
		p->recv_q += row->rqueue;
		p->send_q += row->wqueue;
	} else if (listener) {
		p->listeners++;
		p->accept_q += row->rqueue;
		p->accept_limit += row->wqueue;
	} else {
		p->established++;
		p->recv_q += row->rqueue;
		p->send_q += row->wqueue;
	}
	return 0;
}

/* What every row counts for whoever holds it: its state and its port. *RET_NS: the index of
 * its namespace. Returns 0 or -ENOMEM. */
static int count_unowned(struct aggregate *a, enum proto proto, const struct tcpt_conn *row,
			 uint32_t *ret_ns)
{
	struct ns_agg *n = aggregate_ns(a, row->netns, NULL);
	if (!n)
		return -ENOMEM;
	*ret_ns = (uint32_t)(n - a->ns);
	a->rows++;
	n->conns[proto][row->family == AF_INET6][row->state < SERIES_VALUES ? row->state : 0]++;
	return count_port(n, proto, row);
}

int aggregate_row(struct aggregate *a, enum proto proto, const struct tcpt_conn *row)
{
	uint32_t ns;
	int r = count_unowned(a, proto, row, &ns);
	if (r == 0 && aggregate_is_listener(proto, row))
		r = count_listener(a, ns, proto, row);
	if (r == 0)
		r = count_process(a, ns, proto, row);
	return r;
}

static int pend(struct aggregate *a, const struct pending_row *p)
{
	int r = grow_array((void **)&a->pending, &a->pending_cap, a->pending_count + 1,
			   sizeof(*a->pending));
	if (r < 0)
		return r;
	a->pending[a->pending_count++] = *p;
	return 0;
}

int aggregate_row_owners_later(struct aggregate *a, enum proto proto,
			       const struct tcpt_conn *row)
{
	uint32_t ns;
	int r = count_unowned(a, proto, row, &ns);
	bool listener = aggregate_is_listener(proto, row);
	if (r < 0 || (!row->inode && !listener))
		return r; /* no descriptor, so no owner and no process series */
	struct pending_row p = {.inode = row->inode, .ns = ns, .protocol = (uint8_t)proto,
				.state = row->state, .family = row->family,
				.listener = listener, .port = row->local_port};
	if (listener)
		memcpy(p.addr, row->local_addr, sizeof(p.addr));
	return pend(a, &p);
}

int aggregate_owners(struct aggregate *a, const struct tcpt_owner_map *map)
{
	int r = 0;
	for (size_t i = 0; i < a->pending_count && r == 0; i++) {
		const struct pending_row *p = &a->pending[i];
		struct tcpt_conn row = {.family = p->family, .state = p->state,
					.local_port = p->port, .inode = p->inode};
		memcpy(row.local_addr, p->addr, sizeof(row.local_addr));
		row.owner_count = tcpt_owner_map_find(map, p->inode, &row.owners);
		if (p->listener)
			r = count_listener(a, p->ns, p->protocol, &row);
		if (r == 0)
			r = count_process(a, p->ns, p->protocol, &row);
	}
	free(a->pending);
	a->pending = NULL;
	a->pending_count = a->pending_cap = 0;
	return r;
}

int aggregate_finish(struct aggregate *a, size_t top_k)
{
	a->folded_listeners = series_top_k(&a->listeners, top_k, -1);
	a->folded_processes = series_top_k(&a->processes, top_k, -1);
	return a->folded_listeners < 0 || a->folded_processes < 0 ? -ENOMEM : 0;
}

int aggregate_ports(struct aggregate *a, size_t top_k, struct series_map *ret)
{
	struct series_map m = {0};
	for (size_t i = 0; i < a->ns_count; i++) {
		for (int proto = 0; proto < PROTO_COUNT; proto++) {
			const struct port_stat *ps = a->ns[i].ports[proto];
			for (size_t port = 0; ps && port < 65536; port++) {
				if (!ps[port].listeners)
					continue;
				struct series_key k;
				memset(&k, 0, sizeof(k));
				k.ns = (uint32_t)i;
				k.protocol = (uint8_t)proto;
				k.port = (uint16_t)port;
				struct series *s = series_get(&m, &k);
				if (!s) {
					series_free(&m);
					return -ENOMEM;
				}
				s->values[1] = ps[port].established;
				s->values[0] = ps[port].listeners;
				s->values[2] = ps[port].recv_q;
				s->values[3] = ps[port].send_q;
				s->values[4] = ps[port].accept_q;
				s->values[5] = ps[port].accept_limit;
			}
		}
	}
	a->folded_ports = series_top_k(&m, top_k, 1);
	if (a->folded_ports < 0) {
		series_free(&m);
		return -ENOMEM;
	}
	*ret = m;
	return 0;
}

void aggregate_free(struct aggregate *a)
{
	for (size_t i = 0; i < a->ns_count; i++)
		for (int proto = 0; proto < PROTO_COUNT; proto++)
			free(a->ns[i].ports[proto]);
	free(a->ns);
	series_free(&a->listeners);
	series_free(&a->processes);
	free(a->pending);
	*a = (struct aggregate){0};
}
