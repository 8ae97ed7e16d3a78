/* watch_session.c - snapshots, notifications and the diff between refreshes. */
#include "watch_session.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "actions.h"
#include "watch_netlink.h"

/* More closes than this between two refreshes are counted as lost, not kept: the screen
 * could not show them anyway, and memory stays bounded while paused. */
enum { EVENTS_MAX = 65536 };

static void events_free(struct watch_events *e)
{
	free(e->rows);
	memset(e, 0, sizeof(*e));
}

static bool events_push(struct watch_events *e, const struct tcpt_conn *row)
{
	if (e->count == e->cap) {
		size_t cap = e->cap ? e->cap * 2 : 64;
		if (cap > EVENTS_MAX)
			return false;
		struct tcpt_conn *bigger = realloc(e->rows, cap * sizeof(*bigger));
		if (!bigger)
			return false;
		e->rows = bigger;
		e->cap = cap;
	}
	e->rows[e->count++] = *row;
	return true;
}

/* A notification passes the same family, state and filter conditions as the snapshot's
 * rows. It has no owners, so a --pid or --comm filter never admits one: we cannot tell
 * whose it was. */
static bool event_wanted(const struct watch_session *s, const struct tcpt_conn *row)
{
	unsigned families = s->query.families ? s->query.families : TCPT_FAMILY_ALL;
	uint32_t states = s->query.states ? s->query.states : TCPT_STATES_ALL;
	unsigned family = row->family == AF_INET6 ? TCPT_FAMILY_IPV6 : TCPT_FAMILY_IPV4;
	unsigned protocols = s->query.protocols ? s->query.protocols : TCPT_PROTO_TCP;
	unsigned protocol = row->protocol == TCPT_PROTO_NUMBER_UDP ? TCPT_PROTO_UDP : TCPT_PROTO_TCP;
	return (protocols & protocol) && (families & family) &&
	       (states & TCPT_STATE_BIT(row->state)) &&
	       tcpt_filter_match(s->query.filter, row);
}

static void on_event(void *ctx, const struct tcpt_conn *row)
{
	struct watch_session *s = ctx;
	struct tcpt_conn copy = *row;
	copy.netns = s->own_netns; /* notifications come from our own namespace only */
	if (event_wanted(s, &copy) && !events_push(&s->pending, &copy))
		s->pending.lost = true;
}

void watch_session_read_events(struct watch_session *s)
{
	if (s->events_fd >= 0 && watch_netlink_drain(s->events_fd, on_event, s) == -ENOBUFS)
		s->pending.lost = true;
}

static uint64_t own_netns_inode(void)
{
	struct stat st;
	return stat("/proc/self/ns/net", &st) == 0 ? (uint64_t)st.st_ino : 0;
}

/* Owners cost a scan of every process's fds: asked for only while the column is shown. */
static void update_query(struct watch_session *s)
{
	unsigned owners = TCPT_WANT_OWNERS | TCPT_WANT_PROCESS;
	s->query = s->opts->query;
	s->query.want &= ~(owners | TCPT_WANT_INFO); /* tcp_info has no column here */
	if (s->ui.owners)
		s->query.want |= owners;
}

int watch_session_init(struct watch_session *s, const struct cli_options *opts)
{
	memset(s, 0, sizeof(*s));
	s->opts = opts;
	view_init(&s->view, opts, true);
	watch_ui_init(&s->ui, opts->show_owners, s->view.show_netns);
	s->own_netns = own_netns_inode();
	s->events_fd = watch_netlink_open();
	if (s->events_fd < 0)
		s->events_fd = -1;
	update_query(s);
	struct cli_options first = *opts;
	first.query = s->query;
	if (take_snapshot(&first, &s->cur) < 0)
		return -1;
	return 0;
}

void watch_session_free(struct watch_session *s)
{
	if (s->events_fd >= 0)
		close(s->events_fd);
	s->events_fd = -1;
	watch_table_free(&s->table);
	free(s->items);
	s->items = NULL;
	tcpt_snapshot_free(s->prev);
	tcpt_snapshot_free(s->cur);
	s->prev = s->cur = NULL;
	events_free(&s->pending);
	events_free(&s->shown);
	view_free(&s->view);
}

/* The selected line's row, copied (its snapshot may be freed by the refresh). */
static bool selected_key(const struct watch_session *s, struct tcpt_conn *ret)
{
	if (s->ui.selected >= s->table.shown)
		return false;
	*ret = *s->table.lines[s->table.order[s->ui.selected]].row;
	return true;
}

static void arrange(struct watch_session *s, const struct tcpt_conn *keep)
{
	watch_table_arrange(&s->table, s->ui.filter, s->ui.sort, s->ui.reverse);
	size_t at = keep ? watch_table_find(&s->table, keep) : (size_t)-1;
	if (at != (size_t)-1)
		s->ui.selected = at;
}

void watch_session_rearrange(struct watch_session *s)
{
	struct tcpt_conn keep;
	arrange(s, selected_key(s, &keep) ? &keep : NULL);
}

/* The diff of S's current rows against SNAP and the pending notifications. The first
 * refresh (no table yet) marks nothing. */
static int diff_with(struct watch_session *s, const struct tcpt_snapshot *snap,
		     struct watch_item **ret_items, size_t *ret_count, size_t *ret_unseen)
{
	struct watch_diff_input in = {
		.prev = tcpt_snapshot_rows(s->cur),
		.prev_count = tcpt_snapshot_count(s->cur),
		.cur = tcpt_snapshot_rows(snap),
		.cur_count = tcpt_snapshot_count(snap),
		.events = s->pending.rows,
		.event_count = s->pending.count,
		.first = s->items == NULL,
	};
	/* /proc rows have no cookie, notifications no inode: their keys never meet, and every
	 * close would show twice. With the /proc source, the diff alone finds the closes. */
	if (tcpt_snapshot_source(snap) == TCPT_SOURCE_PROC)
		in.event_count = 0;
	if (in.first) { /* the first table compares the first snapshot with itself */
		in.cur = in.prev;
		in.cur_count = in.prev_count;
	}
	return watch_diff(&in, ret_items, ret_count, ret_unseen);
}

/* Make SNAP the current snapshot and the pending notifications the shown ones. */
static void rotate(struct watch_session *s, struct tcpt_snapshot *snap,
		   struct watch_item *items)
{
	free(s->items);
	s->items = items;
	tcpt_snapshot_free(s->prev);
	s->prev = s->cur;
	s->cur = snap;
	events_free(&s->shown);
	s->shown = s->pending;
	s->shown_lost = s->pending.lost;
	memset(&s->pending, 0, sizeof(s->pending));
}

static void fail(struct watch_session *s, const char *what, int err)
{
	snprintf(s->error, sizeof(s->error), "%s: %s", what, tcpt_strerror(err));
}

/* The first table shows the snapshot taken by watch_session_init(), so that a failure to
 * read the sockets is reported before the screen is taken over. */
static void first_table(struct watch_session *s)
{
	struct watch_item *items;
	size_t n;
	int r = diff_with(s, s->cur, &items, &n, NULL);
	if (r < 0) {
		fail(s, "cannot compare the rows", r);
		return;
	}
	s->items = items;
	r = watch_table_fill(&s->table, items, n, &s->view);
	if (r < 0) {
		fail(s, "cannot show the rows", r);
		return;
	}
	arrange(s, NULL);
}

void watch_session_refresh(struct watch_session *s)
{
	if (!s->items) {
		first_table(s);
		return;
	}
	update_query(s);
	struct tcpt_snapshot *snap;
	int r = tcpt_snapshot_take(&s->query, &snap);
	if (r < 0) {
		fail(s, "cannot read the TCP sockets", r);
		return;
	}
	/* notifications up to now: a socket destroyed after the snapshot is still in it, so
	 * its notification is ignored and the next refresh's diff reports the close */
	watch_session_read_events(s);
	struct watch_item *items;
	size_t n;
	size_t unseen = 0;
	r = diff_with(s, snap, &items, &n, &unseen);
	if (r < 0) {
		tcpt_snapshot_free(snap);
		fail(s, "cannot compare the rows", r);
		return;
	}
	struct tcpt_conn keep;
	bool keeping = selected_key(s, &keep);
	rotate(s, snap, items);
	s->shown_unseen = unseen;
	s->error[0] = '\0';
	r = watch_table_fill(&s->table, items, n, &s->view);
	if (r < 0) {
		fail(s, "cannot show the rows", r);
		return;
	}
	arrange(s, keeping ? &keep : NULL);
}
