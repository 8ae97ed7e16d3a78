/* snapshot.c - a query becomes rows: pick the source (per namespace), dedupe, join owners,
 * filter, sort. */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <stdbool.h>
#include <stdlib.h>
#include <sys/stat.h>

#include "arena.h"
#include "bytecode.h"
#include "diag.h"
#include "filter.h"
#include "owners.h"
#include "procnet.h"
#include "rowvec.h"
#include "tcptable.h"

struct tcpt_snapshot {
	struct rowvec rows;
	struct infovec infos;
	struct owner_table owners;
	struct arena strings;
	enum tcpt_source source;
};

/* What to collect, derived once from the query. */
struct plan {
	enum tcpt_source source;
	unsigned want;
	const struct tcpt_filter *filter;
	struct diag_request request; /* families, states, bytecode; infos set per collection */
	uint8_t bytecode[TCPT_BYTECODE_MAX_SIZE];
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
	if (q->netns_count && !q->netns_fds)
		return false;
	for (size_t i = 0; i < sizeof(q->reserved) / sizeof(q->reserved[0]); i++)
		if (q->reserved[i])
			return false;
	return filter_validate(q->filter) == 0;
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

static void plan_init(struct plan *p, const struct tcpt_query *q)
{
	p->source = q->source;
	p->filter = q->filter;
	p->want = q->want;
	if (q->want & TCPT_WANT_PROCESS)
		p->want |= TCPT_WANT_OWNERS;
	if (filter_needs_owners(q->filter))
		p->want |= TCPT_WANT_OWNERS | TCPT_WANT_PROCESS;
	p->request.families = q->families ? q->families : TCPT_FAMILY_ALL;
	p->request.states = normalised_states(q->states);
	size_t len;
	/* a program too large for the kernel only costs speed: user space filters anyway */
	if (filter_has_kernel_part(q->filter) &&
	    bytecode_compile(q->filter, p->bytecode, sizeof(p->bytecode), &len) == 0) {
		p->request.bytecode = p->bytecode;
		p->request.bytecode_len = len;
	}
}

/* --- sources ---------------------------------------------------------------------------- */

/* Failures after which /proc can still answer: netlink refused, missing, or misbehaving. */
static bool worth_falling_back(int r)
{
	return r != -ENOMEM;
}

static bool netlink_refused(int r)
{
	return r == -EPROTONOSUPPORT || r == -EAFNOSUPPORT || r == -EPERM || r == -EACCES;
}

static int collect_rows(const struct plan *p, struct rowvec *rows, struct infovec *infos,
			enum tcpt_source *ret_used)
{
	int r = -ENOTSUP;
	if (p->source != TCPT_SOURCE_PROC) {
		struct diag_request req = p->request;
		req.infos = (p->want & TCPT_WANT_INFO) ? infos : NULL;
		r = diag_collect_kernel(&req, rows);
		if (r == 0) {
			*ret_used = TCPT_SOURCE_NETLINK;
			return 0;
		}
		if (p->source == TCPT_SOURCE_NETLINK || !worth_falling_back(r))
			return netlink_refused(r) ? -ENOTSUP : r;
	}
	r = procnet_collect(p->request.families, p->request.states, rows);
	if (r == 0)
		*ret_used = TCPT_SOURCE_PROC;
	return r;
}

static uint64_t current_netns_inode(void)
{
	struct stat st;
	if (stat("/proc/thread-self/ns/net", &st) < 0 && stat("/proc/self/ns/net", &st) < 0)
		return 0;
	return st.st_ino;
}

/* Rows of the calling thread's namespace, tagged with it. */
static int collect_here(const struct plan *p, struct rowvec *rows, struct infovec *infos,
			enum tcpt_source *ret_used)
{
	size_t start = rows->count;
	int r = collect_rows(p, rows, infos, ret_used);
	if (r < 0)
		return r;
	uint64_t netns = current_netns_inode();
	for (size_t i = start; i < rows->count; i++)
		rows->rows[i].netns = netns;
	return 0;
}

/* One namespace, collected by a thread that enters it, so the caller's thread never moves. */
struct ns_job {
	const struct plan *plan;
	int fd;
	struct rowvec rows;
	struct infovec infos;
	enum tcpt_source used;
	int result;
};

static void *ns_job_run(void *arg)
{
	struct ns_job *job = arg;
	if (setns(job->fd, CLONE_NEWNET) < 0)
		job->result = errno == EINVAL ? -EINVAL : -errno;
	else
		job->result = collect_here(job->plan, &job->rows, &job->infos, &job->used);
	return NULL;
}

static int collect_in_namespace(const struct plan *p, int fd, struct tcpt_snapshot *s)
{
	struct ns_job job = {.plan = p, .fd = fd};
	pthread_t thread;
	int r = pthread_create(&thread, NULL, ns_job_run, &job);
	if (r != 0)
		return -r;
	pthread_join(thread, NULL);
	r = job.result;
	if (r == 0)
		r = rowvec_append(&s->rows, &s->infos, &job.rows, &job.infos);
	/* the least capable source used anywhere describes the snapshot */
	if (r == 0 && (s->source == TCPT_SOURCE_AUTO || job.used == TCPT_SOURCE_PROC))
		s->source = job.used;
	rowvec_free(&job.rows);
	infovec_free(&job.infos);
	return r;
}

static int collect_all(const struct plan *p, const struct tcpt_query *q, struct tcpt_snapshot *s)
{
	if (!q->netns_count)
		return collect_here(p, &s->rows, &s->infos, &s->source);
	for (size_t i = 0; i < q->netns_count; i++) {
		int r = collect_in_namespace(p, q->netns_fds[i], s);
		if (r < 0)
			return r;
	}
	return 0;
}

/* --- the snapshot ------------------------------------------------------------------------ */

static int row_passes(const void *filter, const struct tcpt_conn *row)
{
	return tcpt_filter_match(filter, row);
}

static void snapshot_release(struct tcpt_snapshot *s)
{
	rowvec_free(&s->rows);
	infovec_free(&s->infos);
	owner_table_free(&s->owners);
	arena_free(&s->strings);
	free(s);
}

static int build(const struct plan *p, const struct tcpt_query *q, struct tcpt_snapshot *s)
{
	int r = collect_all(p, q, s);
	if (r == 0)
		r = rowvec_dedupe(&s->rows);
	if (r == 0 && (p->want & TCPT_WANT_OWNERS))
		r = owners_join("/proc", s->rows.rows, s->rows.count,
				p->want & TCPT_WANT_PROCESS, &s->strings, &s->owners);
	if (r < 0)
		return r;
	if (p->filter)
		rowvec_keep_if(&s->rows, row_passes, p->filter);
	rows_resolve_infos(s->rows.rows, s->rows.count, &s->infos);
	if (q->order == TCPT_ORDER_ADDRESS)
		rowvec_sort_by_address(&s->rows);
	return 0;
}

TCPT_EXPORT int tcpt_snapshot_take(const struct tcpt_query *query,
				   struct tcpt_snapshot **ret_snap)
{
	if (!query || !ret_snap || !query_is_valid(query))
		return -EINVAL;
	struct plan *p = calloc(1, sizeof(*p));
	struct tcpt_snapshot *s = calloc(1, sizeof(*s));
	if (!p || !s) {
		free(p);
		free(s);
		return -ENOMEM;
	}
	plan_init(p, query);
	int r = build(p, query, s);
	free(p);
	if (r < 0) {
		snapshot_release(s);
		return r;
	}
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
