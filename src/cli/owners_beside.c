/* owners_beside.c - see owners_beside.h. */
#include "owners_beside.h"

static void *run(void *arg)
{
	struct owners_beside *b = arg;
	b->result = tcpt_owner_map_take(b->query, &b->map);
	return NULL;
}

void owners_beside_begin(struct owners_beside *b, const struct tcpt_query *query)
{
	*b = (struct owners_beside){.query = query};
	b->threaded = pthread_create(&b->thread, NULL, run, b) == 0;
	if (!b->threaded)
		run(b);
}

int owners_beside_end(struct owners_beside *b, struct tcpt_owner_map **ret_map)
{
	if (b->threaded)
		pthread_join(b->thread, NULL);
	b->threaded = false;
	*ret_map = b->result == 0 ? b->map : NULL;
	return b->result;
}

struct tcpt_query owners_beside_rows_query(const struct tcpt_query *query)
{
	struct tcpt_query q = *query;
	q.want &= ~(unsigned)(TCPT_WANT_OWNERS | TCPT_WANT_PROCESS);
	return q;
}
