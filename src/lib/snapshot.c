/* snapshot.c - a query becomes rows: pick the source, dedupe, join owners, sort. */
#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>

#include "arena.h"
#include "diag.h"
#include "owners.h"
#include "procnet.h"
#include "rowvec.h"
#include "tcptable.h"

struct tcpt_snapshot {
	struct rowvec rows;
	struct owner_table owners;
	struct arena strings;
	enum tcpt_source source;
};

static bool query_is_valid(const struct tcpt_query *q)
{
	if ((q->families & ~(unsigned)TCPT_FAMILY_ALL) || (q->states & ~TCPT_STATES_VALID) ||
	    (q->want & ~(unsigned)TCPT_WANT_ALL))
		return false;
	if (q->source != TCPT_SOURCE_AUTO && q->source != TCPT_SOURCE_NETLINK &&
	    q->source != TCPT_SOURCE_PROC)
		return false;
	if (q->order != TCPT_ORDER_KERNEL && q->order != TCPT_ORDER_ADDRESS)
		return false;
	for (size_t i = 0; i < sizeof(q->reserved) / sizeof(q->reserved[0]); i++)
		if (q->reserved[i])
			return false;
	return true;
}

/* Request sockets are NEW_SYN_RECV inside the kernel and SYN-RECV in rows: either bit asks
 * for them. */
static uint32_t normalised_states(uint32_t states)
{
	if (!states)
		states = TCPT_STATES_ALL;
	if (states & (TCPT_STATE_BIT(TCPT_SYN_RECV) | TCPT_STATE_BIT(TCPT_NEW_SYN_RECV)))
		states |= TCPT_STATE_BIT(TCPT_SYN_RECV) | TCPT_STATE_BIT(TCPT_NEW_SYN_RECV);
	return states;
}

/* Failures after which /proc can still answer: netlink refused, missing, or misbehaving. */
static bool worth_falling_back(int r)
{
	return r != -ENOMEM;
}

static int collect_rows(enum tcpt_source wanted, unsigned families, uint32_t states,
			struct rowvec *rows, enum tcpt_source *ret_used)
{
	int r = -ENOTSUP;
	if (wanted != TCPT_SOURCE_PROC) {
		r = diag_collect_kernel(families, states, rows);
		if (r == 0) {
			*ret_used = TCPT_SOURCE_NETLINK;
			return 0;
		}
		if (wanted == TCPT_SOURCE_NETLINK || !worth_falling_back(r)) {
			bool refused = r == -EPROTONOSUPPORT || r == -EAFNOSUPPORT ||
				       r == -EPERM || r == -EACCES;
			return refused ? -ENOTSUP : r;
		}
	}
	r = procnet_collect(families, states, rows);
	if (r == 0)
		*ret_used = TCPT_SOURCE_PROC;
	return r;
}

static void snapshot_release(struct tcpt_snapshot *s)
{
	rowvec_free(&s->rows);
	owner_table_free(&s->owners);
	arena_free(&s->strings);
	free(s);
}

TCPT_EXPORT int tcpt_snapshot_take(const struct tcpt_query *query,
				   struct tcpt_snapshot **ret_snap)
{
	if (!query || !ret_snap || !query_is_valid(query))
		return -EINVAL;
	struct tcpt_snapshot *s = calloc(1, sizeof(*s));
	if (!s)
		return -ENOMEM;
	unsigned families = query->families ? query->families : TCPT_FAMILY_ALL;
	int r = collect_rows(query->source, families, normalised_states(query->states), &s->rows,
			     &s->source);
	if (r == 0)
		r = rowvec_dedupe(&s->rows);
	if (r == 0 && (query->want & TCPT_WANT_ALL))
		r = owners_join("/proc", s->rows.rows, s->rows.count,
				query->want & TCPT_WANT_PROCESS, &s->strings, &s->owners);
	if (r < 0) {
		snapshot_release(s);
		return r;
	}
	if (query->order == TCPT_ORDER_ADDRESS)
		rowvec_sort_by_address(&s->rows);
	*ret_snap = s;
	return 0;
}

TCPT_EXPORT size_t tcpt_snapshot_count(const struct tcpt_snapshot *snap)
{
	return snap ? snap->rows.count : 0;
}

TCPT_EXPORT const struct tcpt_conn *tcpt_snapshot_rows(const struct tcpt_snapshot *snap)
{
	return snap && snap->rows.count ? snap->rows.rows : NULL;
}

TCPT_EXPORT enum tcpt_source tcpt_snapshot_source(const struct tcpt_snapshot *snap)
{
	return snap ? snap->source : TCPT_SOURCE_AUTO;
}

TCPT_EXPORT size_t tcpt_snapshot_unreadable_processes(const struct tcpt_snapshot *snap)
{
	return snap ? snap->owners.unreadable : 0;
}

TCPT_EXPORT void tcpt_snapshot_free(struct tcpt_snapshot *snap)
{
	if (snap)
		snapshot_release(snap);
}
