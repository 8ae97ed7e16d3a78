/* watch_session.c - the screen thread's side of the live view. */
#include "watch_session.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "actions.h"

static uint64_t own_netns_inode(void)
{
	struct stat st;
	return stat("/proc/self/ns/net", &st) == 0 ? (uint64_t)st.st_ino : 0;
}

/* -e, -i and -o turn on the columns of the fields they add to the table and to JSON. */
static void columns_from_options(struct watch_ui *ui, const struct cli_options *o)
{
	static const enum watch_column extended[] = {WCOL_UID, WCOL_USER, WCOL_INODE,
						     WCOL_COOKIE, WCOL_CGROUP, WCOL_CONTAINER,
						     WCOL_TIMER};
	static const enum watch_column info[] = {WCOL_RTT, WCOL_CWND, WCOL_TOTAL_RETRANS,
						 WCOL_BYTES_RECEIVED, WCOL_BYTES_ACKED,
						 WCOL_DELIVERY_RATE};
	if (o->show_extended)
		for (size_t i = 0; i < sizeof(extended) / sizeof(extended[0]); i++)
			ui->shown[extended[i]] = true;
	if (o->show_info)
		for (size_t i = 0; i < sizeof(info) / sizeof(info[0]); i++)
			ui->shown[info[i]] = true;
	if (o->show_timers)
		ui->shown[WCOL_TIMER] = true;
}

static struct watch_settings settings_of(const struct watch_ui *ui)
{
	struct watch_settings s = {.want = watch_ui_want(ui), .paused = ui->paused};
	snprintf(s.arrangement.filter, sizeof(s.arrangement.filter), "%s", ui->filter);
	s.arrangement.sort = ui->sort;
	s.arrangement.reverse = ui->reverse;
	return s;
}

/*
 * The first snapshot, taken before the screen so that a failure is said on stderr. Owners
 * are asked for from the BPF source (unless --source names another): if it serves them they
 * cost one read per refresh (the program loaded once, kept by the session's context), and
 * the process column is on even without -p; if not, it stays off (unless -p) and the header
 * says why.
 */
static int first_snapshot(struct watch_session *s, struct tcpt_query *q,
			  struct tcpt_snapshot **ret)
{
	const struct cli_options *o = s->opts;
	struct cli_options first = *o;
	bool try_bpf = q->source == TCPT_SOURCE_AUTO || q->source == TCPT_SOURCE_BPF;
	if (try_bpf) {
		q->source = TCPT_SOURCE_BPF;
		q->want |= TCPT_WANT_OWNERS | TCPT_WANT_PROCESS;
	}
	first.query = *q;
	if (take_snapshot(&first, ret) < 0)
		return -1;
	bool bpf = try_bpf && tcpt_snapshot_owner_source(*ret) == TCPT_SOURCE_BPF;
	if (bpf)
		s->ui.shown[WCOL_PROCESS] = true;
	else if (!o->show_owners)
		snprintf(s->note, sizeof(s->note), "owners off: %s ('o' shows them, at a /proc "
			 "scan per refresh)", try_bpf ? "no BPF owner source"
			 : "not from this --source");
	if (try_bpf && !bpf)
		q->source = o->query.source; /* BPF cannot load: no point in trying each time */
	return 0;
}

int watch_session_init(struct watch_session *s, const struct cli_options *opts)
{
	memset(s, 0, sizeof(*s));
	s->opts = opts;
	view_init(&s->view, opts, true);
	s->own_netns = own_netns_inode();
	watch_ui_init(&s->ui, opts->show_owners, s->view.show_netns);
	columns_from_options(&s->ui, opts);
	struct tcpt_query q = opts->query;
	q.want = watch_ui_want(&s->ui);
	if (tcpt_context_new(&s->context) == 0) /* without one (no memory) each refresh loads */
		q.context = s->context;
	struct tcpt_snapshot *snap;
	if (first_snapshot(s, &q, &snap) < 0)
		return -1;
	s->sent = settings_of(&s->ui);
	struct watch_settings first = s->sent;
	first.want = q.want;
	int r = watch_worker_start(&s->worker, opts, &q, snap, &first);
	if (r < 0) {
		fprintf(stderr, "tcptable: --watch cannot start its worker: %s\n", tcpt_strerror(r));
		return -1;
	}
	watch_worker_set(&s->worker, &s->sent);
	watch_session_update(s);
	if (!s->frame) {
		fprintf(stderr, "tcptable: --watch: %s\n", s->error[0] ? s->error : "no rows");
		return -1;
	}
	return 0;
}

void watch_session_free(struct watch_session *s)
{
	watch_worker_stop(&s->worker);
	tcpt_context_free(s->context); /* after the worker: its queries use it */
	s->context = NULL;
	watch_frame_free(s->frame);
	s->frame = NULL;
	free(s->procs);
	s->procs = NULL;
	view_free(&s->view);
}

int watch_session_fd(const struct watch_session *s)
{
	return watch_worker_fd(&s->worker);
}

const struct watch_line *watch_session_selected(const struct watch_session *s)
{
	const struct watch_table *t = s->frame ? &s->frame->table : NULL;
	if (!t || s->ui.selected >= t->shown || (s->ui.mode == UI_DETAIL && s->selection_gone))
		return NULL;
	return &t->lines[t->order[s->ui.selected]];
}

/* The selected line's row, copied (its snapshot may be freed with its frame). */
static bool selected_key(const struct watch_session *s, struct tcpt_conn *ret)
{
	const struct watch_line *l = watch_session_selected(s);
	if (l)
		*ret = *l->row;
	return l != NULL;
}

static void keep_selection(struct watch_session *s, const struct tcpt_conn *keep)
{
	size_t at = keep ? watch_table_find(&s->frame->table, keep) : (size_t)-1;
	if (at != (size_t)-1)
		s->ui.selected = at;
	else if (keep && s->ui.mode == UI_DETAIL)
		s->selection_gone = true;
}

static bool same_arrangement(const struct watch_arrangement *a, const struct watch_ui *ui)
{
	return a->sort == ui->sort && a->reverse == ui->reverse &&
	       strcmp(a->filter, ui->filter) == 0;
}

static void arrange(struct watch_session *s)
{
	struct watch_frame *f = s->frame;
	watch_table_arrange(&f->table, s->ui.filter, s->ui.sort, s->ui.reverse);
	f->arranged = settings_of(&s->ui).arrangement;
}

static void rebuild_procs(struct watch_session *s)
{
	free(s->procs);
	s->procs = NULL;
	s->proc_count = 0;
	if (s->ui.mode == UI_PROCS && s->frame &&
	    watch_procs_build(&s->frame->table, &s->procs, &s->proc_count) < 0)
		snprintf(s->error, sizeof(s->error), "cannot sum per process: out of memory");
	s->ui.proc_count = s->proc_count;
}

bool watch_session_update(struct watch_session *s)
{
	struct watch_frame *f;
	if (!watch_worker_take(&s->worker, &f, s->error, sizeof(s->error)))
		return false;
	if (f) {
		struct tcpt_conn keep;
		bool keeping = selected_key(s, &keep); /* false once gone in the detail pane */
		struct watch_frame *old = s->frame;
		s->frame = f;
		if (!same_arrangement(&f->arranged, &s->ui))
			arrange(s);
		keep_selection(s, keeping ? &keep : NULL);
		watch_frame_free(old);
		rebuild_procs(s);
	}
	return true;
}

void watch_session_settings(struct watch_session *s, bool refresh)
{
	struct watch_settings next = settings_of(&s->ui);
	bool changed = next.want != s->sent.want;
	s->sent = next;
	watch_worker_set(&s->worker, &next);
	if (changed || refresh)
		watch_worker_refresh(&s->worker);
	rebuild_procs(s); /* the pane opened or closed */
}

void watch_session_rearrange(struct watch_session *s)
{
	struct tcpt_conn keep;
	bool keeping = selected_key(s, &keep);
	arrange(s);
	keep_selection(s, keeping ? &keep : NULL);
	watch_session_settings(s, false); /* the next frames in the same order */
}

void watch_session_proc_filter(struct watch_session *s)
{
	if (s->ui.proc_selected < s->proc_count) {
		snprintf(s->ui.filter, sizeof(s->ui.filter), "%d/",
			 (int)s->procs[s->ui.proc_selected].pid);
		s->ui.selected = s->ui.top = 0;
	}
	watch_session_rearrange(s);
}
