/* watch_worker.c - the thread that takes snapshots and makes frames. */
#include "watch_worker.h"

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "watch_netlink.h"
#include "grow.h"

/* More closes than this between two refreshes are counted as lost, not kept: the screen
 * could not show them anyway, and memory stays bounded while paused. */
enum { EVENTS_MAX = 65536 };
/* Unknown cgroups (made after the names were read) are looked for again at most this often. */
enum { CGROUP_RELOAD_MS = 2000 };

static uint64_t now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

static void poke(int fd)
{
	uint64_t one = 1;
	ssize_t n = write(fd, &one, sizeof(one));
	(void)n; /* an eventfd only refuses when its counter is full: it is already readable */
}

static void drain_fd(int fd)
{
	uint64_t v;
	ssize_t n = read(fd, &v, sizeof(v));
	(void)n;
}

/* --- notifications ---------------------------------------------------------------------- */

static void events_free(struct watch_events *e)
{
	free(e->rows);
	memset(e, 0, sizeof(*e));
}

static bool events_push(struct watch_events *e, const struct tcpt_conn *row)
{
	if (e->count >= EVENTS_MAX ||
	    grow_array((void **)&e->rows, &e->cap, e->count + 1, sizeof(*e->rows)) < 0)
		return false;
	e->rows[e->count++] = *row;
	return true;
}

/* A notification passes the same family, state and filter conditions as the snapshot's
 * rows. It has no owners, so a --pid or --comm filter never admits one: we cannot tell
 * whose it was. */
static bool event_wanted(const struct watch_worker *w, const struct tcpt_conn *row)
{
	const struct tcpt_query *q = &w->query;
	unsigned families = q->families ? q->families : TCPT_FAMILY_ALL;
	uint32_t states = q->states ? q->states : TCPT_STATES_ALL;
	unsigned family = row->family == AF_INET6 ? TCPT_FAMILY_IPV6 : TCPT_FAMILY_IPV4;
	unsigned protocols = q->protocols ? q->protocols : TCPT_PROTO_TCP;
	unsigned protocol = row->protocol == TCPT_PROTO_NUMBER_UDP ? TCPT_PROTO_UDP : TCPT_PROTO_TCP;
	return (protocols & protocol) && (families & family) &&
	       (states & TCPT_STATE_BIT(row->state)) && tcpt_filter_match(q->filter, row);
}

static void on_event(void *ctx, const struct tcpt_conn *row)
{
	struct watch_worker *w = ctx;
	struct tcpt_conn copy = *row;
	copy.netns = w->own_netns; /* notifications come from our own namespace only */
	if (event_wanted(w, &copy) && !events_push(&w->pending, &copy))
		w->pending.lost = true;
}

static void read_events(struct watch_worker *w)
{
	if (w->events_fd >= 0 && watch_netlink_drain(w->events_fd, on_event, w) == -ENOBUFS)
		w->pending.lost = true;
}

/* --- frames ----------------------------------------------------------------------------- */

static void set_error(struct watch_worker *w, const char *what, int err)
{
	pthread_mutex_lock(&w->lock);
	char text[sizeof(w->error)];
	if (err)
		snprintf(text, sizeof(text), "%s: %s", what, tcpt_strerror(err));
	else
		text[0] = '\0';
	if (strcmp(text, w->error) != 0) {
		memcpy(w->error, text, sizeof(text));
		w->error_news = true;
	}
	pthread_mutex_unlock(&w->lock);
	if (err)
		poke(w->ready_fd);
}

/* The diff of the last snapshot against SNAP (NULL: the first frame, SNAP compared with
 * itself) and the pending notifications. */
static int diff_with(struct watch_worker *w, struct watch_frame *f)
{
	const struct tcpt_snapshot *cur = f->cur->snap;
	const struct tcpt_snapshot *prev = f->prev ? f->prev->snap : cur;
	struct watch_diff_input in = {
		.prev = tcpt_snapshot_rows(prev),
		.prev_count = tcpt_snapshot_count(prev),
		.cur = tcpt_snapshot_rows(cur),
		.cur_count = tcpt_snapshot_count(cur),
		.events = f->events,
		.event_count = f->event_count,
		.first = f->prev == NULL,
	};
	/* /proc rows have no cookie, notifications no inode: their keys never meet, and every
	 * close would show twice. With the /proc source, the diff alone finds the closes. */
	if (tcpt_snapshot_source(cur) == TCPT_SOURCE_PROC)
		in.event_count = 0;
	size_t n;
	int r = watch_diff(&in, &f->items, &n, &f->unseen);
	if (r == 0)
		r = watch_table_fill(&f->table, f->items, n, &w->view, &w->containers, f->dt_ms);
	return r;
}

/* Names of cgroups made since they were read (a container started) are found by reading
 * them again, at most every CGROUP_RELOAD_MS while some row's cgroup is unknown. */
static void maybe_reload_cgroups(struct watch_worker *w, uint64_t now)
{
	const struct tcpt_snapshot *snap = w->last ? w->last->snap : NULL;
	const struct tcpt_conn *rows = tcpt_snapshot_rows(snap);
	bool miss = false;
	for (size_t i = 0, n = tcpt_snapshot_count(snap); i < n && !miss; i++)
		miss = rows[i].cgroup_id && !names_cgroup(&w->view.cgroups, rows[i].cgroup_id);
	if (miss && now - w->cgroups_reloaded_ms >= CGROUP_RELOAD_MS) {
		names_free(&w->view.cgroups);
		watch_containers_free(&w->containers);
		w->cgroups_reloaded_ms = now;
	}
}

static void publish(struct watch_worker *w, struct watch_frame *f)
{
	pthread_mutex_lock(&w->lock);
	struct watch_frame *old = w->ready;
	w->ready = f;
	pthread_mutex_unlock(&w->lock);
	watch_frame_free(old); /* made and never shown: the screen was busy */
	poke(w->ready_fd);
}

/* Make a frame of SNAP (taken at TAKEN_MS) against the last one, and publish it. */
static void make_frame(struct watch_worker *w, struct tcpt_snapshot *snap, uint64_t taken_ms,
		       const struct watch_settings *s)
{
	read_events(w); /* up to now: a socket destroyed after the snapshot is still in it, so
	                   its notification is ignored and the next diff reports the close */
	struct watch_frame *f = calloc(1, sizeof(*f));
	struct watch_snap *cur = f ? watch_snap_new(snap) : NULL;
	if (!cur) {
		if (!f)
			tcpt_snapshot_free(snap);
		free(f);
		set_error(w, "cannot compare the rows", -ENOMEM);
		return;
	}
	f->cur = cur;
	f->prev = watch_snap_ref(w->last);
	f->dt_ms = w->last ? taken_ms - w->last_ms : 0;
	f->events = w->pending.rows;
	f->event_count = w->pending.count;
	f->events_lost = w->pending.lost;
	memset(&w->pending, 0, sizeof(w->pending));
	f->want = w->query.want;
	f->owner_source = tcpt_snapshot_owner_source(snap);
	maybe_reload_cgroups(w, taken_ms);
	int r = diff_with(w, f);
	if (r < 0) {
		watch_frame_free(f);
		set_error(w, "cannot compare the rows", r);
		return;
	}
	f->arranged = s->arrangement;
	watch_table_arrange(&f->table, f->arranged.filter, f->arranged.sort,
			    f->arranged.reverse);
	watch_snap_unref(w->last);
	w->last = watch_snap_ref(cur);
	w->last_ms = taken_ms;
	set_error(w, "", 0);
	publish(w, f);
}

static void refresh(struct watch_worker *w, const struct watch_settings *s)
{
	w->query.want = s->want;
	struct tcpt_snapshot *snap;
	uint64_t before = now_ms();
	int r = tcpt_snapshot_take(&w->query, &snap);
	if (r < 0) {
		set_error(w, "cannot read the sockets", r);
		return;
	}
	make_frame(w, snap, (before + now_ms()) / 2, s);
}

/* --- the thread ------------------------------------------------------------------------- */

static void *run(void *arg)
{
	struct watch_worker *w = arg;
	uint64_t next = now_ms() + w->opts->watch_interval_ms;
	for (;;) {
		pthread_mutex_lock(&w->lock);
		bool quit = w->quit, now = w->refresh_now;
		struct watch_settings s = w->settings;
		w->refresh_now = false;
		pthread_mutex_unlock(&w->lock);
		if (quit)
			break;
		uint64_t t = now_ms();
		if (now || (!s.paused && t >= next)) {
			refresh(w, &s);
			next = now_ms() + w->opts->watch_interval_ms;
			continue;
		}
		struct pollfd p[2] = {{.fd = w->wake_fd, .events = POLLIN},
				      {.fd = w->events_fd, .events = POLLIN}};
		int timeout = s.paused ? -1 : (int)(next - t);
		if (poll(p, w->events_fd >= 0 ? 2 : 1, timeout) < 0 && errno != EINTR)
			break;
		if (p[0].revents & POLLIN)
			drain_fd(w->wake_fd);
		if (w->events_fd >= 0 && (p[1].revents & POLLIN))
			read_events(w);
	}
	return NULL;
}

static uint64_t own_netns_inode(void)
{
	struct stat st;
	return stat("/proc/self/ns/net", &st) == 0 ? (uint64_t)st.st_ino : 0;
}

int watch_worker_start(struct watch_worker *w, const struct cli_options *opts,
		       const struct tcpt_query *query, struct tcpt_snapshot *first,
		       const struct watch_settings *settings)
{
	memset(w, 0, sizeof(*w));
	w->wake_fd = w->ready_fd = w->events_fd = -1;
	pthread_mutex_init(&w->lock, NULL);
	w->initialized = true;
	w->opts = opts;
	w->query = *query;
	w->query.want = settings->want;
	w->settings = *settings;
	view_init(&w->view, opts, true);
	watch_containers_init(&w->containers);
	w->own_netns = own_netns_inode();
	int fd = watch_netlink_open();
	w->events_fd = fd >= 0 ? fd : -1;
	w->wake_fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	w->ready_fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	if (w->wake_fd < 0 || w->ready_fd < 0) {
		tcpt_snapshot_free(first);
		return -errno;
	}
	make_frame(w, first, now_ms(), settings);
	/* signals (SIGWINCH for curses, SIGINT, SIGTERM) must reach the screen's thread, whose
	 * poll(2) they interrupt: the worker inherits a mask blocking them all */
	sigset_t all, old;
	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	int r = pthread_create(&w->thread, NULL, run, w);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (r)
		return -r;
	w->started = true;
	return 0;
}

void watch_worker_stop(struct watch_worker *w)
{
	if (!w->initialized)
		return; /* never started: nothing of it to release */
	if (w->started) {
		pthread_mutex_lock(&w->lock);
		w->quit = true;
		pthread_mutex_unlock(&w->lock);
		poke(w->wake_fd);
		pthread_join(w->thread, NULL);
		w->started = false;
	}
	watch_frame_free(w->ready);
	w->ready = NULL;
	watch_snap_unref(w->last);
	w->last = NULL;
	events_free(&w->pending);
	for (int *fd = &w->wake_fd; fd; fd = fd == &w->wake_fd ? &w->ready_fd
					  : fd == &w->ready_fd ? &w->events_fd : NULL)
		if (*fd >= 0) {
			close(*fd);
			*fd = -1;
		}
	view_free(&w->view);
	watch_containers_free(&w->containers);
	pthread_mutex_destroy(&w->lock);
	w->initialized = false;
}

bool watch_worker_events(const struct watch_worker *w)
{
	return w->events_fd >= 0;
}

int watch_worker_fd(const struct watch_worker *w)
{
	return w->ready_fd;
}

void watch_worker_set(struct watch_worker *w, const struct watch_settings *s)
{
	pthread_mutex_lock(&w->lock);
	w->settings = *s;
	pthread_mutex_unlock(&w->lock);
	poke(w->wake_fd); /* a resume must not wait for the old timeout */
}

void watch_worker_refresh(struct watch_worker *w)
{
	pthread_mutex_lock(&w->lock);
	w->refresh_now = true;
	pthread_mutex_unlock(&w->lock);
	poke(w->wake_fd);
}

bool watch_worker_take(struct watch_worker *w, struct watch_frame **ret_frame, char *error,
		       size_t size)
{
	drain_fd(w->ready_fd);
	pthread_mutex_lock(&w->lock);
	*ret_frame = w->ready;
	w->ready = NULL;
	bool news = w->error_news;
	if (news)
		snprintf(error, size, "%s", w->error);
	w->error_news = false;
	pthread_mutex_unlock(&w->lock);
	return news || *ret_frame;
}
