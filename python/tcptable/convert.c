/* convert.c - rows to Python objects, with the per-call caches of convert.h. */
#include "convert.h"

#include <arpa/inet.h>
#include <string.h>
#include <sys/socket.h>

#define SMALL_INTS 65536 /* every port, and most fds */
#define IP_SLOTS 1024    /* direct-mapped: a hash of the address picks the slot */
#define ADDR_SLOTS 4096
#define PID_SLOTS 256

struct ip_slot {
	uint8_t family;
	uint8_t addr[16];
	PyObject *str;
};

struct addr_slot {
	uint8_t family;
	uint16_t port;
	uint8_t addr[16];
	PyObject *pair;
};

struct pid_slot {
	int32_t pid;
	PyObject *obj;
};

struct conv_cache {
	PyObject *ints[SMALL_INTS];
	struct ip_slot ip[IP_SLOTS];
	struct addr_slot addr[ADDR_SLOTS];
	struct pid_slot pid[PID_SLOTS];
};

struct conv_cache *conv_cache_new(void)
{
	/* calloc: the kernel's zero pages; only the slots used are ever touched */
	struct conv_cache *c = calloc(1, sizeof(*c));
	if (!c)
		PyErr_NoMemory();
	return c;
}

void conv_cache_free(struct conv_cache *c)
{
	if (!c)
		return;
	for (size_t i = 0; i < SMALL_INTS; i++)
		Py_XDECREF(c->ints[i]);
	for (size_t i = 0; i < IP_SLOTS; i++)
		Py_XDECREF(c->ip[i].str);
	for (size_t i = 0; i < ADDR_SLOTS; i++)
		Py_XDECREF(c->addr[i].pair);
	for (size_t i = 0; i < PID_SLOTS; i++)
		Py_XDECREF(c->pid[i].obj);
	free(c);
}

PyObject *record_new(PyTypeObject *cls, Py_ssize_t n)
{
	/* tuple.__new__(cls, items) for a tuple subclass: tp_alloc, then the items (see
	 * tuple_subtype_new in CPython's Objects/tupleobject.c); _setup() checked that CLS adds
	 * nothing to a tuple's layout */
	PyObject *r = cls->tp_alloc(cls, n);
	if (r)
		PyObject_GC_UnTrack(r);
	return r;
}

/* --- cached values ----------------------------------------------------------------------- */

static uint32_t hash_bytes(const uint8_t *p, size_t n, uint32_t h)
{
	for (size_t i = 0; i < n; i++)
		h = (h ^ p[i]) * 16777619u; /* FNV-1a */
	return h;
}

/* A new reference to the int V: cached below SMALL_INTS. */
static PyObject *cached_int(struct conv_cache *c, long v)
{
	if (v < 0 || v >= SMALL_INTS)
		return PyLong_FromLong(v);
	PyObject **slot = &c->ints[v];
	if (!*slot && !(*slot = PyLong_FromLong(v)))
		return NULL;
	return Py_NewRef(*slot);
}

static PyObject *cached_pid(struct conv_cache *c, int32_t pid)
{
	struct pid_slot *s = &c->pid[(uint32_t)pid % PID_SLOTS];
	if (!s->obj || s->pid != pid) {
		PyObject *o = PyLong_FromLong(pid);
		if (!o)
			return NULL;
		Py_XSETREF(s->obj, o);
		s->pid = pid;
	}
	return Py_NewRef(s->obj);
}

static PyObject *format_ip(uint8_t family, const uint8_t addr[16])
{
	char text[INET6_ADDRSTRLEN];
	if (!inet_ntop(family == AF_INET6 ? AF_INET6 : AF_INET, addr, text, sizeof(text))) {
		PyErr_SetFromErrno(PyExc_OSError);
		return NULL;
	}
	return PyUnicode_DecodeASCII(text, (Py_ssize_t)strlen(text), NULL);
}

/* The address as inet_ntop() spells it (what socket.inet_ntop() and so psutil give). */
static PyObject *cached_ip(struct conv_cache *c, uint8_t family, const uint8_t addr[16])
{
	size_t len = family == AF_INET6 ? 16 : 4;
	struct ip_slot *s = &c->ip[hash_bytes(addr, len, 2166136261u ^ family) % IP_SLOTS];
	if (!s->str || s->family != family || memcmp(s->addr, addr, 16) != 0) {
		PyObject *o = format_ip(family, addr);
		if (!o)
			return NULL;
		Py_XSETREF(s->str, o);
		s->family = family;
		memcpy(s->addr, addr, 16);
	}
	return Py_NewRef(s->str);
}

/* psutil's addr(ip, port), or () for port 0. */
static PyObject *cached_pair(struct mod_state *st, struct conv_cache *c, uint8_t family,
			     const uint8_t addr[16], uint16_t port)
{
	if (port == 0)
		return Py_NewRef(st->empty_tuple);
	uint8_t key[2] = {(uint8_t)(port >> 8), (uint8_t)port};
	size_t len = family == AF_INET6 ? 16 : 4;
	uint32_t h = hash_bytes(key, 2, hash_bytes(addr, len, 2166136261u ^ family));
	struct addr_slot *s = &c->addr[h % ADDR_SLOTS];
	if (s->pair && s->family == family && s->port == port && memcmp(s->addr, addr, 16) == 0)
		return Py_NewRef(s->pair);
	PyObject *pair = record_new(st->addr, ADDR_FIELDS);
	if (!pair)
		return NULL;
	PyObject *ip = cached_ip(c, family, addr), *p = cached_int(c, port);
	if (!ip || !p) {
		Py_XDECREF(ip);
		Py_XDECREF(p);
		Py_DECREF(pair);
		return NULL;
	}
	PyTuple_SET_ITEM(pair, 0, ip);
	PyTuple_SET_ITEM(pair, 1, p);
	Py_XSETREF(s->pair, Py_NewRef(pair));
	s->family = family;
	s->port = port;
	memcpy(s->addr, addr, 16);
	return pair;
}

static PyObject *family_obj(struct mod_state *st, uint8_t family)
{
	return Py_NewRef(family == AF_INET6 ? st->af_inet6 : st->af_inet);
}

/* Fill REC's N items from ITEMS (new references, some maybe NULL); 0, or -1 if any was. */
static int fill(PyObject *rec, PyObject **items, size_t n)
{
	int ok = 1;
	for (size_t i = 0; i < n; i++) {
		ok &= items[i] != NULL;
		PyTuple_SET_ITEM(rec, (Py_ssize_t)i, items[i]);
	}
	return ok ? 0 : -1;
}

/* --- psutil's rows ----------------------------------------------------------------------- */

/* psutil keeps the owner list of the last pid it reads (/proc lists pids in ascending order,
 * dict.update() replaces) and takes its first fd (in /proc/PID/fd order, ascending): the
 * highest pid, its lowest fd. Owners are ordered by (pid, fd). */
static const struct tcpt_owner *psutil_owner(const struct tcpt_conn *r)
{
	if (r->owner_count == 0)
		return NULL;
	const struct tcpt_owner *o = &r->owners[r->owner_count - 1];
	while (o > r->owners && o[-1].pid == o->pid)
		o--;
	return o;
}

struct psutil_row *conv_psutil_compact(const struct tcpt_conn *rows, size_t n)
{
	struct psutil_row *out = calloc(n ? n : 1, sizeof(*out)); /* zeroed: padding too */
	for (size_t i = 0; out && i < n; i++) {
		const struct tcpt_conn *r = &rows[i];
		const struct tcpt_owner *owner = psutil_owner(r);
		struct psutil_row *p = &out[i];
		p->family = r->family;
		p->state = r->state;
		p->udp = r->protocol == TCPT_PROTO_NUMBER_UDP;
		p->lport = r->local_port;
		p->rport = r->remote_port;
		p->pid = owner ? owner->pid : -1;
		p->fd = owner ? owner->fd : -1;
		if (r->local_port) /* psutil's () for port 0 hides the address */
			memcpy(p->laddr, r->local_addr, 16);
		if (r->remote_port)
			memcpy(p->raddr, r->remote_addr, 16);
	}
	return out;
}

static PyObject *psutil_row(struct mod_state *st, struct conv_cache *c, const struct psutil_row *r)
{
	PyObject *t = record_new(st->sconn, SCONN_FIELDS);
	if (!t)
		return NULL;
	PyObject *items[SCONN_FIELDS] = {
		r->pid >= 0 ? cached_int(c, r->fd) : PyLong_FromLong(-1),
		family_obj(st, r->family),
		Py_NewRef(r->udp ? st->sock_dgram : st->sock_stream),
		cached_pair(st, c, r->family, r->laddr, r->lport),
		cached_pair(st, c, r->family, r->raddr, r->rport),
		/* psutil: a UDP socket has no status, "NONE" */
		Py_NewRef(st->psutil_status[!r->udp && r->state <= TCPT_STATE_MAX ? r->state : 0]),
		r->pid >= 0 ? cached_pid(c, r->pid) : Py_NewRef(Py_None),
	};
	if (fill(t, items, SCONN_FIELDS) < 0)
		Py_CLEAR(t); /* a tuple's dealloc skips NULL items */
	return t;
}

/* A set of the owner-less rows seen (open addressing on row indexes): two such compact rows
 * are equal, bytes and all, exactly when psutil's tuples of them are. */
struct unowned_set {
	const struct psutil_row *rows;
	size_t *slots; /* row index + 1; 0 is empty */
	size_t mask;
};

static int unowned_set_init(struct unowned_set *s, const struct psutil_row *rows, size_t n)
{
	size_t unowned = 0, cap = 16;
	for (size_t i = 0; i < n; i++)
		unowned += rows[i].pid < 0;
	while (cap < 2 * unowned)
		cap *= 2;
	s->rows = rows;
	s->mask = cap - 1;
	s->slots = calloc(cap, sizeof(size_t));
	return s->slots ? 0 : -1;
}

/* 1 if a row equal to ROWS[I] was added before; else adds it, 0. */
static int unowned_set_seen(struct unowned_set *s, size_t i)
{
	const struct psutil_row *k = &s->rows[i];
	size_t at = hash_bytes((const uint8_t *)k, sizeof(*k), 2166136261u) & s->mask;
	for (; s->slots[at]; at = (at + 1) & s->mask)
		if (memcmp(k, &s->rows[s->slots[at] - 1], sizeof(*k)) == 0)
			return 1;
	s->slots[at] = i + 1;
	return 0;
}

int conv_gc_pause(void)
{
#if PY_VERSION_HEX >= 0x030A0000
	return PyGC_Disable();
#else
	return 0;
#endif
}

void conv_gc_resume(int was_enabled)
{
#if PY_VERSION_HEX >= 0x030A0000
	if (was_enabled)
		PyGC_Enable();
#else
	(void)was_enabled;
#endif
}

PyObject *conv_psutil_list(struct mod_state *st, const struct psutil_row *rows, size_t n)
{
	int gc = conv_gc_pause();
	struct conv_cache *c = conv_cache_new();
	struct unowned_set seen = {0};
	PyObject *list = c ? PyList_New((Py_ssize_t)n) : NULL;
	if (list && unowned_set_init(&seen, rows, n) < 0) {
		PyErr_NoMemory();
		Py_CLEAR(list);
	}
	size_t kept = 0;
	for (size_t i = 0; list && i < n; i++) {
		if (rows[i].pid < 0 && unowned_set_seen(&seen, i))
			continue;
		PyObject *t = psutil_row(st, c, &rows[i]);
		if (!t)
			Py_CLEAR(list);
		else
			PyList_SET_ITEM(list, (Py_ssize_t)kept++, t);
	}
	/* rows dropped as duplicates leave NULL slots at the end: shrink past them */
	if (list && kept < n && PyList_SetSlice(list, (Py_ssize_t)kept, (Py_ssize_t)n, NULL) < 0)
		Py_CLEAR(list);
	if (list)
		conv_track_all(list);
	free(seen.slots);
	conv_cache_free(c);
	conv_gc_resume(gc);
	return list;
}

void conv_track_all(PyObject *list)
{
	for (Py_ssize_t i = 0; i < PyList_GET_SIZE(list); i++)
		PyObject_GC_Track(PyList_GET_ITEM(list, i));
}

/* --- native records ---------------------------------------------------------------------- */

static PyObject *fs_string(const char *s)
{
	if (!s)
		Py_RETURN_NONE;
	return PyUnicode_DecodeFSDefault(s); /* untrusted bytes: surrogateescape, never fails
						on bad UTF-8 */
}

static PyObject *owners_tuple(struct mod_state *st, struct conv_cache *c,
			      const struct tcpt_conn *r)
{
	if (r->owner_count == 0)
		return Py_NewRef(st->empty_tuple);
	PyObject *t = PyTuple_New(r->owner_count);
	if (t)
		PyObject_GC_UnTrack(t); /* it holds Owner records only */
	for (uint32_t i = 0; t && i < r->owner_count; i++) {
		const struct tcpt_owner *o = &r->owners[i];
		PyObject *rec = record_new(st->owner, OWNER_FIELDS);
		if (!rec) {
			Py_CLEAR(t);
			break;
		}
		PyObject *items[OWNER_FIELDS] = {cached_pid(c, o->pid), cached_int(c, o->fd),
						 fs_string(o->name), fs_string(o->exe)};
		PyTuple_SET_ITEM(t, i, rec);
		if (fill(rec, items, OWNER_FIELDS) < 0)
			Py_CLEAR(t);
	}
	return t;
}

static PyObject *info_record(struct mod_state *st, const struct tcpt_tcp_info *in)
{
	if (!in)
		Py_RETURN_NONE;
	PyObject *rec = record_new(st->tcpinfo, TCPINFO_FIELDS);
	if (!rec)
		return NULL;
	char congestion[sizeof(in->congestion) + 1] = {0};
	memcpy(congestion, in->congestion, sizeof(in->congestion));
	PyObject *items[TCPINFO_FIELDS] = {
		PyLong_FromUnsignedLong(in->rtt_us),
		PyLong_FromUnsignedLong(in->rttvar_us),
		PyLong_FromUnsignedLong(in->min_rtt_us),
		PyLong_FromUnsignedLong(in->rto_us),
		PyLong_FromUnsignedLong(in->ato_us),
		PyLong_FromUnsignedLong(in->snd_mss),
		PyLong_FromUnsignedLong(in->rcv_mss),
		PyLong_FromUnsignedLong(in->pmtu),
		PyLong_FromUnsignedLong(in->snd_cwnd),
		PyLong_FromUnsignedLong(in->snd_ssthresh),
		PyLong_FromUnsignedLong(in->retrans),
		PyLong_FromUnsignedLong(in->total_retrans),
		PyLong_FromUnsignedLong(in->lost),
		PyLong_FromUnsignedLong(in->last_data_sent_ms),
		PyLong_FromUnsignedLong(in->last_data_recv_ms),
		PyLong_FromUnsignedLong(in->last_ack_recv_ms),
		PyLong_FromUnsignedLongLong(in->bytes_sent),
		PyLong_FromUnsignedLongLong(in->bytes_retrans),
		PyLong_FromUnsignedLongLong(in->bytes_acked),
		PyLong_FromUnsignedLongLong(in->bytes_received),
		PyLong_FromUnsignedLongLong(in->delivery_rate),
		PyLong_FromUnsignedLongLong(in->pacing_rate),
		PyLong_FromUnsignedLongLong(in->segs_out),
		PyLong_FromUnsignedLongLong(in->segs_in),
		PyLong_FromUnsignedLong(in->ca_state),
		PyUnicode_DecodeLatin1(congestion, (Py_ssize_t)strlen(congestion), NULL),
	};
	if (fill(rec, items, TCPINFO_FIELDS) < 0)
		Py_CLEAR(rec);
	return rec;
}

PyObject *conv_connection(struct mod_state *st, struct conv_cache *c, const struct tcpt_conn *r)
{
	PyObject *rec = record_new(st->connection, CONNECTION_FIELDS);
	if (!rec)
		return NULL;
	PyObject *items[CONNECTION_FIELDS] = {
		Py_NewRef(r->protocol == TCPT_PROTO_NUMBER_UDP ? st->proto_udp : st->proto_tcp),
		family_obj(st, r->family),
		Py_NewRef(st->state_names[r->state <= TCPT_STATE_MAX ? r->state : 0]),
		cached_ip(c, r->family, r->local_addr),
		cached_int(c, r->local_port),
		cached_ip(c, r->family, r->remote_addr),
		cached_int(c, r->remote_port),
		PyLong_FromUnsignedLong(r->scope_id),
		PyLong_FromUnsignedLong(r->uid),
		PyLong_FromUnsignedLongLong(r->inode),
		PyLong_FromUnsignedLongLong(r->cookie),
		PyLong_FromUnsignedLongLong(r->cgroup_id),
		PyLong_FromUnsignedLongLong(r->netns),
		PyLong_FromUnsignedLong(r->rqueue),
		PyLong_FromUnsignedLong(r->wqueue),
		Py_NewRef(st->timer_names[r->timer < TIMER_NAMES ? r->timer : TIMER_NAMES]),
		PyLong_FromUnsignedLong(r->timer_expires_ms),
		PyLong_FromUnsignedLong(r->retransmits),
		owners_tuple(st, c, r),
		info_record(st, r->info),
	};
	if (fill(rec, items, CONNECTION_FIELDS) < 0)
		Py_CLEAR(rec);
	return rec;
}

PyObject *conv_stats(struct mod_state *st, const struct tcpt_stats *s)
{
	PyObject *rec = record_new(st->stats, STATS_FIELDS);
	if (!rec)
		return NULL;
	PyObject *items[STATS_FIELDS] = {
		PyLong_FromUnsignedLong(s->rto_algorithm),
		PyLong_FromUnsignedLong(s->rto_min_ms),
		PyLong_FromUnsignedLong(s->rto_max_ms),
		PyLong_FromLong(s->max_conn),
		PyLong_FromUnsignedLongLong(s->active_opens),
		PyLong_FromUnsignedLongLong(s->passive_opens),
		PyLong_FromUnsignedLongLong(s->attempt_fails),
		PyLong_FromUnsignedLongLong(s->estab_resets),
		PyLong_FromUnsignedLongLong(s->curr_estab),
		PyLong_FromUnsignedLongLong(s->in_segs),
		PyLong_FromUnsignedLongLong(s->out_segs),
		PyLong_FromUnsignedLongLong(s->retrans_segs),
		PyLong_FromUnsignedLongLong(s->in_errs),
		PyLong_FromUnsignedLongLong(s->out_rsts),
		PyLong_FromUnsignedLongLong(s->in_csum_errors),
	};
	if (fill(rec, items, STATS_FIELDS) < 0)
		Py_CLEAR(rec);
	return rec;
}
