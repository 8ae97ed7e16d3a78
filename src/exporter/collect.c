/* collect.c - namespaces opened, rows counted into the aggregate, counters read. */
#include "collect.h"

#include "names.h"
#include "netns.h"
#include "owners_beside.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/nsfs.h>
#include <sys/socket.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>

struct ns_fds {
	int *fds;
	size_t count;
};

static int open_named(const struct collect_config *cfg, struct ns_fds *ret)
{
	ret->fds = calloc(cfg->netns_count, sizeof(int));
	if (!ret->fds)
		return -ENOMEM;
	for (size_t i = 0; i < cfg->netns_count; i++) {
		char path[4096];
		const char *v = cfg->netns[i];
		snprintf(path, sizeof(path), strchr(v, '/') ? "%s" : "/run/netns/%s", v);
		int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK); /* a FIFO must not hang */
		if (fd < 0) {
			int err = -errno;
			while (ret->count)
				close(ret->fds[--ret->count]);
			free(ret->fds);
			ret->fds = NULL;
			return err;
		}
		ret->fds[ret->count++] = fd;
	}
	return 0;
}

/* Drop what is no longer a network namespace: a name under /run/netns that another program
 * is deleting right now is an empty file for a moment (unmounted, not yet unlinked). */
static void keep_namespaces(struct ns_fds *n)
{
	size_t kept = 0;
	for (size_t i = 0; i < n->count; i++) {
		if (ioctl(n->fds[i], NS_GET_NSTYPE) == CLONE_NEWNET)
			n->fds[kept++] = n->fds[i];
		else
			close(n->fds[i]);
	}
	n->count = kept;
}

/* Every namespace of the host, found by netns_list_all() and opened for this scrape; one
 * whose process exited since it was listed is simply gone. */
static int open_all(struct ns_fds *ret)
{
	struct netns_list l;
	int r = netns_list_all(&l, NULL);
	if (r < 0)
		return r;
	ret->fds = calloc(l.count ? l.count : 1, sizeof(int));
	if (!ret->fds) {
		netns_list_free(&l);
		return -ENOMEM;
	}
	for (size_t i = 0; i < l.count; i++) {
		int fd = open(l.paths[i], O_RDONLY | O_CLOEXEC | O_NONBLOCK);
		if (fd >= 0)
			ret->fds[ret->count++] = fd;
	}
	netns_list_free(&l);
	keep_namespaces(ret);
	return 0;
}

static int open_namespaces(const struct collect_config *cfg, struct ns_fds *ret)
{
	*ret = (struct ns_fds){0};
	if (cfg->all_netns)
		return open_all(ret);
	if (cfg->netns_count)
		return open_named(cfg, ret);
	return 0;
}

static void close_namespaces(struct ns_fds *n)
{
	for (size_t i = 0; i < n->count; i++)
		close(n->fds[i]);
	free(n->fds);
	*n = (struct ns_fds){0};
}

struct stats_job {
	int fd; /* -1: the calling thread's own namespace */
	bool udp;
	struct ns_agg *ns;
};

/* Enter the namespace (this thread only) and read its counters there. */
static void *read_stats_in(void *arg)
{
	struct stats_job *job = arg;
	if (job->fd >= 0 && setns(job->fd, CLONE_NEWNET) < 0)
		return NULL;
	job->ns->stats_ok = tcpt_stats_read(&job->ns->tcp_stats) == 0;
	for (int f = 0; job->udp && f < 2; f++)
		job->ns->udp_stats_ok[f] =
			tcpt_udp_stats_read(f ? AF_INET6 : AF_INET, &job->ns->udp_stats[f]) == 0;
	return NULL;
}

static void read_stats(struct stats_job *job)
{
	if (job->fd < 0) {
		read_stats_in(job);
		return;
	}
	pthread_t t;
	if (pthread_create(&t, NULL, read_stats_in, job) == 0)
		pthread_join(t, NULL);
}

/* One namespace entry per namespace asked for (rows may add none, but counters do). */
static int add_namespaces(struct aggregate *a, const struct ns_fds *fds, bool udp)
{
	struct name_cache names = {0};
	int r = 0;
	if (!fds->count) {
		struct stat st;
		if (stat("/proc/thread-self/ns/net", &st) < 0)
			return -errno;
		struct ns_agg *n = aggregate_ns(a, st.st_ino, NULL);
		if (!n)
			return -ENOMEM;
		read_stats(&(struct stats_job){ .fd = -1, .udp = udp, .ns = n });
		return 0;
	}
	for (size_t i = 0; i < fds->count && r == 0; i++) {
		struct stat st;
		if (fstat(fds->fds[i], &st) < 0) {
			r = -errno;
			break;
		}
		struct ns_agg *n = aggregate_ns(a, st.st_ino, names_netns(&names, st.st_ino));
		if (!n)
			r = -ENOMEM;
		else
			read_stats(&(struct stats_job){ .fd = fds->fds[i], .udp = udp, .ns = n });
	}
	names_free(&names);
	return r;
}

static int on_row(const struct tcpt_conn *row, void *ctx)
{
	return aggregate_row(ctx, aggregate_proto(row), row);
}

static int on_row_owners_later(const struct tcpt_conn *row, void *ctx)
{
	return aggregate_row_owners_later(ctx, aggregate_proto(row), row);
}

/* With owners: the rows are streamed without them while the owners are found on a second
 * thread (the owner walk and the dump overlap instead of adding up, as in a snapshot), and
 * the series that need owners are counted from them afterwards, by inode. No row is held:
 * 40 bytes of each wait for their owners. */
static int stream_owners_beside(const struct tcpt_query *q, struct aggregate *a)
{
	struct owners_beside beside;
	owners_beside_begin(&beside, q);
	struct tcpt_query rows_only = owners_beside_rows_query(q);
	struct tcpt_stream_result res = {0};
	int r = tcpt_snapshot_stream(&rows_only, on_row_owners_later, a, &res);
	struct tcpt_owner_map *map;
	int owners = owners_beside_end(&beside, &map);
	if (r == 0)
		r = owners;
	if (r == 0)
		r = aggregate_owners(a, map);
	if (r == 0) {
		a->unreadable_processes += tcpt_owner_map_unreadable_processes(map);
		a->source = res.source;
		a->owner_source = tcpt_owner_map_source(map);
	}
	tcpt_owner_map_free(map);
	return r;
}

static int collect_rows(const struct collect_config *cfg, const struct ns_fds *fds,
			struct aggregate *a)
{
	struct tcpt_query q = {
		.want = cfg->processes ? TCPT_WANT_OWNERS | TCPT_WANT_PROCESS : 0,
		.netns_fds = fds->fds,
		.netns_count = fds->count,
		.protocols = cfg->udp ? TCPT_PROTO_ALL : TCPT_PROTO_TCP,
		.context = cfg->context,
	};
	if (cfg->processes)
		return stream_owners_beside(&q, a);
	struct tcpt_stream_result res = {0};
	int r = tcpt_snapshot_stream(&q, on_row, a, &res);
	if (r == 0) {
		a->unreadable_processes += res.unreadable_processes;
		a->source = res.source;
		a->owner_source = res.owner_source;
	}
	return r;
}

int collect(const struct collect_config *cfg, struct aggregate *ret)
{
	*ret = (struct aggregate){ .netns_labels = cfg->all_netns || cfg->netns_count,
				   .udp = cfg->udp };
	struct ns_fds fds;
	int r = open_namespaces(cfg, &fds);
	if (r < 0)
		return r;
	r = add_namespaces(ret, &fds, cfg->udp);
	if (r == 0)
		r = collect_rows(cfg, &fds, ret);
	if (r == 0)
		r = aggregate_finish(ret, cfg->top_k);
	close_namespaces(&fds);
	return r;
}
