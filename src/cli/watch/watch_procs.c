/* watch_procs.c - per-process totals: (pid, line) pairs sorted by pid, then summed. */
#include "watch_procs.h"

#include <errno.h>
#include <stdlib.h>

struct pair {
	int32_t pid;
	const struct watch_line *line;
	const char *name;
};

static int cmp_pair(const void *a, const void *b)
{
	const struct pair *x = a, *y = b;
	if (x->pid != y->pid)
		return (x->pid > y->pid) - (x->pid < y->pid);
	return (x->line > y->line) - (x->line < y->line);
}

static int cmp_proc(const void *a, const void *b)
{
	const struct watch_proc *x = a, *y = b;
	uint64_t tx = x->recv_rate + x->send_rate, ty = y->recv_rate + y->send_rate;
	if (tx != ty)
		return tx < ty ? 1 : -1;
	if (x->connections != y->connections)
		return x->connections < y->connections ? 1 : -1;
	return (x->pid > y->pid) - (x->pid < y->pid);
}

static bool idle(const struct tcpt_conn *r)
{
	return r->state == TCPT_LISTEN || (r->protocol == TCPT_PROTO_NUMBER_UDP &&
					   r->state == TCPT_CLOSE);
}

static size_t count_pairs(const struct watch_table *t)
{
	size_t n = 0;
	for (size_t i = 0; i < t->count; i++)
		if (t->lines[i].mark != WATCH_CLOSED)
			n += t->lines[i].row->owner_count;
	return n;
}

/* Pairs of one process and one line; a process holding a socket twice counts it once. */
static size_t fill_pairs(const struct watch_table *t, struct pair *p)
{
	size_t n = 0;
	for (size_t i = 0; i < t->count; i++) {
		const struct watch_line *l = &t->lines[i];
		if (l->mark == WATCH_CLOSED)
			continue;
		for (uint32_t k = 0; k < l->row->owner_count; k++) {
			const struct tcpt_owner *o = &l->row->owners[k];
			if (k && o->pid == l->row->owners[k - 1].pid)
				continue; /* owners are ordered by (pid, fd) */
			p[n++] = (struct pair){o->pid, l, o->name};
		}
	}
	return n;
}

int watch_procs_build(const struct watch_table *t, struct watch_proc **ret,
		      size_t *ret_count)
{
	size_t n = count_pairs(t);
	struct pair *pairs = malloc((n ? n : 1) * sizeof(*pairs));
	struct watch_proc *procs = malloc((n ? n : 1) * sizeof(*procs));
	if (!pairs || !procs) {
		free(pairs);
		free(procs);
		return -ENOMEM;
	}
	n = fill_pairs(t, pairs);
	qsort(pairs, n, sizeof(*pairs), cmp_pair);
	size_t count = 0;
	for (size_t i = 0; i < n; i++) {
		if (!count || procs[count - 1].pid != pairs[i].pid)
			procs[count++] = (struct watch_proc){.pid = pairs[i].pid,
							     .name = pairs[i].name};
		struct watch_proc *p = &procs[count - 1];
		const struct watch_line *l = pairs[i].line;
		if (!p->name)
			p->name = pairs[i].name;
		p->connections++;
		p->listening += idle(l->row);
		if (l->has_rate) {
			p->recv_rate += l->recv_rate;
			p->send_rate += l->send_rate;
		}
	}
	free(pairs);
	qsort(procs, count, sizeof(*procs), cmp_proc);
	*ret = procs;
	*ret_count = count;
	return 0;
}
