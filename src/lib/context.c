/* context.c - a context keeps the BPF owner program loaded between queries: the load (libbpf
 * parsing the kernel's BTF, the verifier) is paid by the first query, every later one only
 * walks the tasks' descriptors through a fresh iterator of the same link. */
#include "context.h"

#include <errno.h>
#include <pthread.h>
#include <stdlib.h>

#include "loader.h"

enum load_state { NOT_TRIED, LOADED, REFUSED };

struct tcpt_context {
	pthread_mutex_t lock; /* guards the load; reads of a loaded program need no lock */
	enum load_state state;
	struct bpf_owners_program owners;
};

TCPT_EXPORT int tcpt_context_new(struct tcpt_context **ret_context)
{
	if (!ret_context)
		return -EINVAL;
	struct tcpt_context *c = calloc(1, sizeof(*c));
	if (!c)
		return -ENOMEM;
	int r = pthread_mutex_init(&c->lock, NULL);
	if (r != 0) {
		free(c);
		return -r;
	}
	*ret_context = c;
	return 0;
}

TCPT_EXPORT void tcpt_context_free(struct tcpt_context *c)
{
	if (!c)
		return;
	if (c->state == LOADED)
		bpf_owners_unload(&c->owners);
	pthread_mutex_destroy(&c->lock);
	free(c);
}

static enum load_state state_of(struct tcpt_context *c)
{
	pthread_mutex_lock(&c->lock);
	enum load_state s = c->state;
	pthread_mutex_unlock(&c->lock);
	return s;
}

bool context_owners_usable(struct tcpt_context *c)
{
	return state_of(c) != REFUSED;
}

/* LOADED or REFUSED once the first caller has tried; a lack of memory leaves it untried. */
static enum load_state loaded(struct tcpt_context *c, int *ret_err)
{
	pthread_mutex_lock(&c->lock);
	if (c->state == NOT_TRIED) {
		int r = bpf_owners_load(&c->owners);
		if (r == 0)
			c->state = LOADED;
		else if (r == -ENOTSUP)
			c->state = REFUSED;
		*ret_err = r;
	}
	enum load_state s = c->state;
	pthread_mutex_unlock(&c->lock);
	return s;
}

int context_owners_collect(struct tcpt_context *c, struct owner_found_list *found)
{
	/* the program is a capability of its own: whoever holds it reads every task's table,
	 * so it serves only threads that could load it themselves */
	if (!bpf_source_possible())
		return -ENOTSUP;
	int err = -ENOTSUP;
	switch (loaded(c, &err)) {
	case LOADED:
		return bpf_owners_read(&c->owners, found);
	case NOT_TRIED:
		return err;
	default:
		return -ENOTSUP;
	}
}
