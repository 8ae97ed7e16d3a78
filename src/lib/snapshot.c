/* snapshot.c - a query becomes rows: collect (per namespace), dedupe, join owners, filter,
 * sort. With owners asked for, the /proc fd scan runs on a second thread while the calling
 * thread dumps the sockets: the two are independent and each costs about as much as the
 * other, so the wall time is the longer of them, not their sum. */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <stdbool.h>
#include <stdlib.h>
#include <unistd.h>

#include "arena.h"
#include "owners.h"
#include "plan.h"
#include "rowvec.h"
#include "tcptable.h"

struct tcpt_snapshot {
	struct rowvec rows;
	struct infovec infos;
	struct owner_index owners;
	struct arena strings;
	enum tcpt_source source;
	size_t netns_gone;
	enum tcpt_source owner_source; /* AUTO until owners are found */
};

/* --- namespaces -------------------------------------------------------------------------- */

/* One namespace, collected by a thread that enters it, so the caller's thread never moves.
 * A namespace given by path is opened by that thread and closed as soon as it is entered. */
struct ns_job {
	const struct plan *plan;
	int fd;
	const char *path;
	struct rowvec rows;
	struct infovec infos;
	enum tcpt_source used;
	int result;
	bool gone;      /* the path no longer exists: its namespace has ended */
};

static int enter_namespace(struct ns_job *job)
{
	int fd = job->fd;
	/* O_NONBLOCK: a FIFO put where a namespace was expected must not hang the caller */
	if (job->path && (fd = open(job->path, O_RDONLY | O_CLOEXEC | O_NONBLOCK)) < 0) {
		job->gone = errno == ENOENT || errno == ESRCH;
		return -errno;
	}
	int r = setns(fd, CLONE_NEWNET) < 0 ? -errno : 0;
	if (job->path)
		close(fd);
	return r;
}

static void *ns_job_run(void *arg)
{
	struct ns_job *job = arg;
	job->result = enter_namespace(job);
	if (job->result == 0)
		job->result = plan_collect_here(job->plan, &job->rows, &job->infos, &job->used);
	return NULL;
}

static int collect_in_namespace(const struct plan *p, int fd, const char *path,
				struct tcpt_snapshot *s, bool *ret_gone)
{
	struct ns_job job = {.plan = p, .fd = fd, .path = path};
	pthread_t thread;
	int r = pthread_create(&thread, NULL, ns_job_run, &job);
	if (r != 0)
		return -r;
	pthread_join(thread, NULL);
	r = job.result;
	*ret_gone = job.gone;
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
	if (!q->netns_count && !q->netns_path_count)
		return plan_collect_here(p, &s->rows, &s->infos, &s->source);
	for (size_t i = 0; i < q->netns_count; i++) {
		bool gone = false;
		int r = collect_in_namespace(p, q->netns_fds[i], NULL, s, &gone);
		if (r < 0)
			return r;
	}
	for (size_t i = 0; i < q->netns_path_count; i++) {
		bool gone = false;
		int r = collect_in_namespace(p, -1, q->netns_paths[i], s, &gone);
		if (gone)
			s->netns_gone++; /* its process exited, and with it the namespace */
		else if (r < 0)
			return r;
	}
	return 0;
}

/* --- the owner scan, beside the dump ----------------------------------------------------- */

struct owner_job {
	bool try_bpf;
	struct tcpt_context *context;
	bool want_process;
	struct arena *strings;
	struct owner_index *index;
	enum tcpt_source *used;
	int result;
};

static void *owner_job_run(void *arg)
{
	struct owner_job *job = arg;
	job->result = owner_index_collect(job->try_bpf, job->context, job->want_process,
					  job->strings, job->index, job->used);
	return NULL;
}

/* Collect the rows while another thread scans /proc for owners; without a thread to spare,
 * one after the other. */
static int collect_with_owners(const struct plan *p, const struct tcpt_query *q,
			       struct tcpt_snapshot *s)
{
	struct owner_job job = {.try_bpf = p->owners_try_bpf, .context = p->context,
				.want_process = p->want & TCPT_WANT_PROCESS,
				.strings = &s->strings, .index = &s->owners, .used = &s->owner_source};
	pthread_t thread;
	bool threaded = pthread_create(&thread, NULL, owner_job_run, &job) == 0;
	int r = collect_all(p, q, s);
	if (threaded)
		pthread_join(thread, NULL);
	else
		owner_job_run(&job);
	return r < 0 ? r : job.result;
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
	owner_index_free(&s->owners);
	arena_free(&s->strings);
	free(s);
}

static int build(const struct plan *p, const struct tcpt_query *q, struct tcpt_snapshot *s)
{
	bool owners = p->want & TCPT_WANT_OWNERS;
	int r = owners ? collect_with_owners(p, q, s) : collect_all(p, q, s);
	if (r == 0)
		r = rowvec_dedupe(&s->rows);
	if (r < 0)
		return r;
	if (owners)
		owner_index_attach(&s->owners, s->rows.rows, s->rows.count);
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
	if (!query || !ret_snap || !plan_query_is_valid(query))
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

TCPT_EXPORT enum tcpt_source tcpt_snapshot_owner_source(const struct tcpt_snapshot *snap)
{
	return snap ? snap->owner_source : TCPT_SOURCE_AUTO;
}

TCPT_EXPORT size_t tcpt_snapshot_unreadable_processes(const struct tcpt_snapshot *snap)
{
	return snap ? snap->owners.unreadable : 0;
}

TCPT_EXPORT size_t tcpt_snapshot_netns_gone(const struct tcpt_snapshot *snap)
{
	return snap ? snap->netns_gone : 0;
}

TCPT_EXPORT unsigned tcpt_snapshot_owner_gaps(const struct tcpt_snapshot *snap)
{
	return snap ? snap->owners.gaps : 0;
}

TCPT_EXPORT void tcpt_snapshot_free(struct tcpt_snapshot *snap)
{
	if (snap)
		snapshot_release(snap);
}
