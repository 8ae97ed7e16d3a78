/* stream.c - the iterator of stream.h: a producer thread, a bounded queue of batches. */
#include "stream.h"

#include <pthread.h>
#include <stdalign.h>
#include <stdbool.h>
#include <stddef.h>
#include <string.h>

#include "convert.h"
#include "query.h"

#define BATCH_ROWS 512
#define MAX_READY 2
#define CHUNK_BYTES 65536

/* Owners, their strings and tcp_info of a batch's rows, in chunks that never move. */
struct chunk {
	struct chunk *next;
	size_t used, cap;
	alignas(max_align_t) char data[];
};

struct batch {
	struct batch *next;
	size_t n;
	struct chunk *chunks;
	struct tcpt_conn rows[BATCH_ROWS];
};

typedef struct {
	PyObject_HEAD
	PyObject *module;
	struct query query;
	struct conv_cache *cache;
	pthread_t thread;
	bool running;             /* the thread exists and is not joined yet */
	pthread_mutex_t mu;       /* guards everything below, shared with the thread */
	pthread_cond_t cv;
	struct batch *ready, *ready_tail;
	size_t nready;
	bool done, cancel;
	int result;
	struct tcpt_stream_result counts;
	struct batch *filling;    /* the thread's own */
	struct batch *current;    /* __next__'s own */
	size_t pos;
	bool busy;                /* a __next__ or close() is running (maybe without the GIL) */
} StreamObject;

/* --- batches (no GIL: plain malloc) ------------------------------------------------------ */

static void batch_free(struct batch *b)
{
	while (b && b->chunks) {
		struct chunk *next = b->chunks->next;
		free(b->chunks);
		b->chunks = next;
	}
	free(b);
}

static void *batch_alloc(struct batch *b, size_t len)
{
	len = (len + alignof(max_align_t) - 1) & ~(alignof(max_align_t) - 1);
	struct chunk *c = b->chunks;
	if (!c || c->cap - c->used < len) {
		size_t cap = len > CHUNK_BYTES ? len : CHUNK_BYTES;
		c = malloc(sizeof(*c) + cap);
		if (!c)
			return NULL;
		*c = (struct chunk){.next = b->chunks, .cap = cap};
		b->chunks = c;
	}
	void *p = c->data + c->used;
	c->used += len;
	return p;
}

static const char *batch_strdup(struct batch *b, const char *s, int *failed)
{
	if (!s)
		return NULL;
	size_t len = strlen(s) + 1;
	char *copy = batch_alloc(b, len);
	if (!copy) {
		*failed = 1;
		return NULL;
	}
	return memcpy(copy, s, len);
}

/* Copy ROW and everything it points to into B. 0 or -ENOMEM. */
static int batch_add(struct batch *b, const struct tcpt_conn *row)
{
	struct tcpt_conn *r = &b->rows[b->n];
	*r = *row;
	int failed = 0;
	if (row->owner_count) {
		struct tcpt_owner *o = batch_alloc(b, row->owner_count * sizeof(*o));
		if (!o)
			return -ENOMEM;
		for (uint32_t i = 0; i < row->owner_count; i++) {
			o[i] = row->owners[i];
			o[i].name = batch_strdup(b, row->owners[i].name, &failed);
			o[i].exe = batch_strdup(b, row->owners[i].exe, &failed);
		}
		r->owners = o;
	}
	if (row->info) {
		struct tcpt_tcp_info *info = batch_alloc(b, sizeof(*info));
		if (!info)
			return -ENOMEM;
		*info = *row->info;
		r->info = info;
	}
	if (failed)
		return -ENOMEM;
	b->n++;
	return 0;
}

/* --- the producer thread ------------------------------------------------------------------ */

/* Queue the filling batch; wait while the queue is full. -ECANCELED once closed. */
static int publish(StreamObject *s)
{
	pthread_mutex_lock(&s->mu);
	while (s->nready >= MAX_READY && !s->cancel)
		pthread_cond_wait(&s->cv, &s->mu);
	int r = s->cancel ? -ECANCELED : 0;
	if (r == 0 && s->filling->n) {
		if (s->ready_tail)
			s->ready_tail->next = s->filling;
		else
			s->ready = s->filling;
		s->ready_tail = s->filling;
		s->nready++;
		s->filling = NULL;
		pthread_cond_broadcast(&s->cv);
	}
	pthread_mutex_unlock(&s->mu);
	return r;
}

static int on_row(const struct tcpt_conn *row, void *ctx)
{
	StreamObject *s = ctx;
	if (!s->filling && !(s->filling = calloc(1, sizeof(*s->filling))))
		return -ENOMEM;
	if (batch_add(s->filling, row) < 0)
		return -ENOMEM;
	return s->filling->n == BATCH_ROWS ? publish(s) : 0;
}

static void *produce(void *arg)
{
	StreamObject *s = arg;
	struct tcpt_stream_result counts = {0};
	int r = tcpt_snapshot_stream(&s->query.q, on_row, s, &counts);
	if (r == 0 && s->filling)
		r = publish(s);
	pthread_mutex_lock(&s->mu);
	batch_free(s->filling);
	s->filling = NULL;
	s->result = r;
	s->counts = counts;
	s->done = true;
	pthread_cond_broadcast(&s->cv);
	pthread_mutex_unlock(&s->mu);
	return NULL;
}

/* --- the Python object --------------------------------------------------------------------- */

/* Stop the thread (if running), wait for it without the GIL, drop every batch. */
static void stream_stop(StreamObject *s)
{
	if (s->running) {
		Py_BEGIN_ALLOW_THREADS
		pthread_mutex_lock(&s->mu);
		s->cancel = true;
		pthread_cond_broadcast(&s->cv);
		pthread_mutex_unlock(&s->mu);
		pthread_join(s->thread, NULL);
		Py_END_ALLOW_THREADS
		s->running = false;
	}
	while (s->ready) {
		struct batch *next = s->ready->next;
		batch_free(s->ready);
		s->ready = next;
	}
	s->ready_tail = NULL;
	s->nready = 0;
	batch_free(s->current);
	s->current = NULL;
}

/* The next batch, waiting for it without the GIL; NULL when the thread has finished. */
static struct batch *next_batch(StreamObject *s)
{
	struct batch *b;
	Py_BEGIN_ALLOW_THREADS
	pthread_mutex_lock(&s->mu);
	while (!s->ready && !s->done)
		pthread_cond_wait(&s->cv, &s->mu);
	b = s->ready;
	if (b) {
		s->ready = b->next;
		if (!s->ready)
			s->ready_tail = NULL;
		s->nready--;
		pthread_cond_broadcast(&s->cv);
	}
	pthread_mutex_unlock(&s->mu);
	Py_END_ALLOW_THREADS
	return b;
}

/* Another Python thread is inside __next__ or close() of S: RuntimeError, as a generator's
 * "already executing". */
static int stream_enter_busy(StreamObject *s)
{
	if (s->busy) {
		PyErr_SetString(PyExc_RuntimeError, "ConnectionStream already in use by another thread");
		return -1;
	}
	s->busy = true;
	return 0;
}

static PyObject *stream_next_locked(StreamObject *s)
{
	while (!s->current || s->pos == s->current->n) {
		batch_free(s->current);
		s->current = NULL;
		if (!s->running)
			return NULL; /* exhausted or closed: StopIteration */
		s->current = next_batch(s);
		s->pos = 0;
		if (!s->current) {
			stream_stop(s);
			int r = s->result;
			s->result = 0; /* raised once; afterwards plain exhaustion */
			return r < 0 && r != -ECANCELED ? error_raise(r) : NULL;
		}
	}
	struct mod_state *st = mod_ready(s->module);
	PyObject *rec = st ? conv_connection(st, s->cache, &s->current->rows[s->pos++]) : NULL;
	if (rec)
		PyObject_GC_Track(rec);
	return rec;
}

static PyObject *stream_next(StreamObject *s)
{
	if (stream_enter_busy(s) < 0)
		return NULL;
	PyObject *r = stream_next_locked(s);
	s->busy = false;
	return r;
}

static PyObject *stream_close(StreamObject *s, PyObject *unused)
{
	(void)unused;
	if (stream_enter_busy(s) < 0)
		return NULL;
	stream_stop(s);
	s->busy = false;
	Py_RETURN_NONE;
}

static PyObject *stream_enter(StreamObject *s, PyObject *unused)
{
	(void)unused;
	return Py_NewRef(s);
}

static PyObject *stream_exit(StreamObject *s, PyObject *args)
{
	(void)args;
	PyObject *r = stream_close(s, NULL);
	if (!r)
		return NULL;
	Py_DECREF(r);
	Py_RETURN_FALSE;
}

static void stream_dealloc(StreamObject *s)
{
	PyObject_GC_UnTrack(s);
	stream_stop(s);
	query_free(&s->query);
	conv_cache_free(s->cache);
	pthread_cond_destroy(&s->cv);
	pthread_mutex_destroy(&s->mu);
	Py_XDECREF(s->module);
	PyObject_GC_Del(s);
}

static int stream_traverse(StreamObject *s, visitproc visit, void *arg)
{
	Py_VISIT(s->module);
	return 0;
}

/* The counts of tcpt_stream_result, once the iterator is exhausted; None before. */
static PyObject *counts_get(StreamObject *s, void *which)
{
	if (s->running || !s->done)
		Py_RETURN_NONE;
	switch ((intptr_t)which) {
	case 0:
		return PyLong_FromSize_t(s->counts.rows);
	case 1:
		return PyLong_FromSize_t(s->counts.unreadable_processes);
	case 2:
		return PyLong_FromLong(s->counts.source);
	default:
		return PyLong_FromLong(s->counts.owner_source);
	}
}

static PyMethodDef stream_methods[] = {
	{"close", (PyCFunction)stream_close, METH_NOARGS,
	 "close()\n--\n\nStop the stream now: the library's walk ends, its thread is joined."},
	{"__enter__", (PyCFunction)stream_enter, METH_NOARGS, NULL},
	{"__exit__", (PyCFunction)stream_exit, METH_VARARGS, NULL},
	{NULL, NULL, 0, NULL},
};

static PyGetSetDef stream_getset[] = {
	{"rows", (getter)counts_get, NULL, "rows handed over (None until exhausted)", (void *)0},
	{"unreadable_processes", (getter)counts_get, NULL,
	 "processes whose owners could not be read (None until exhausted)", (void *)1},
	{"source", (getter)counts_get, NULL,
	 "the source that was read: 1 netlink, 2 /proc (None until exhausted)", (void *)2},
	{"owner_source", (getter)counts_get, NULL,
	 "the source of the owners: 2 /proc, 3 BPF; 0 without owners (None until exhausted)",
	 (void *)3},
	{NULL, NULL, NULL, NULL, NULL},
};

static PyTypeObject StreamType = {
	PyVarObject_HEAD_INIT(NULL, 0)
	.tp_name = "tcptable._tcptable.ConnectionStream",
	.tp_basicsize = sizeof(StreamObject),
	.tp_flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_HAVE_GC,
	.tp_doc = "An iterator over Connection records, streamed from the kernel "
		  "(see tcptable.iter_connections()).",
	.tp_dealloc = (destructor)stream_dealloc,
	.tp_traverse = (traverseproc)stream_traverse,
	.tp_iter = PyObject_SelfIter,
	.tp_iternext = (iternextfunc)stream_next,
	.tp_methods = stream_methods,
	.tp_getset = stream_getset,
};

PyTypeObject *stream_type(void)
{
	return PyType_Ready(&StreamType) < 0 ? NULL : &StreamType;
}

PyObject *stream_new(PyObject *module, PyObject *spec)
{
	if (!mod_ready(module))
		return NULL;
	StreamObject *s = PyObject_GC_New(StreamObject, &StreamType);
	if (!s)
		return NULL;
	memset((char *)s + offsetof(StreamObject, module), 0,
	       sizeof(*s) - offsetof(StreamObject, module));
	pthread_mutex_init(&s->mu, NULL);
	pthread_cond_init(&s->cv, NULL);
	s->module = Py_NewRef(module);
	PyObject_GC_Track(s);
	if (query_parse(spec, &s->query) < 0 || !(s->cache = conv_cache_new())) {
		Py_DECREF(s);
		return NULL;
	}
	s->query.q.context = mod_state(module)->context;
	int r = pthread_create(&s->thread, NULL, produce, s);
	if (r != 0) {
		errno = r;
		PyErr_SetFromErrno(PyExc_OSError);
		Py_DECREF(s);
		return NULL;
	}
	s->running = true;
	return (PyObject *)s;
}
