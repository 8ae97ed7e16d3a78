/* itest.c - shared machinery of the integration tests. */
#include "itest.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "netns.h"

/* ---- cmocka glue ----------------------------------------------------------------------- */

enum netns_status { NETNS_UNKNOWN, NETNS_OK, NETNS_SKIP, NETNS_FAIL };
static enum netns_status netns_status = NETNS_UNKNOWN;

#define MAX_KEPT 64
static struct tcpt_snapshot *kept_snaps[MAX_KEPT];
static size_t nkept_snaps;
#define MAX_KEPT_MEM 4096
static void *kept_mem[MAX_KEPT_MEM];
static size_t nkept_mem;
static struct {
	pid_t pid;
	int release_fd;
} children[8];
static size_t nchildren;

int itest_group_setup(void **state)
{
	(void)state;
	bool skip = true;
	if (test_netns_require(program_invocation_short_name, &skip) == 0)
		netns_status = NETNS_OK;
	else
		netns_status = skip ? NETNS_SKIP : NETNS_FAIL;
	return 0;
}

int itest_setup(void **state)
{
	*state = NULL;
	if (netns_status != NETNS_OK)
		return 0; /* itest_fixture() skips or fails */
	int r = test_netns_enter(); /* a fresh namespace: nothing left from the previous test */
	if (r < 0) {
		fprintf(stderr, "itest: fresh network namespace: %s\n", strerror(-r));
		return -1;
	}
	struct fixture *f = calloc(1, sizeof *f);
	if (!f)
		return -1;
	if (fixture_build(f) < 0) {
		free(f);
		return -1;
	}
	*state = f;
	return 0;
}

static void reap_children(void)
{
	for (size_t i = 0; i < nchildren; i++) {
		close(children[i].release_fd);
		int status;
		while (waitpid(children[i].pid, &status, 0) < 0 && errno == EINTR)
			;
	}
	nchildren = 0;
}

int itest_teardown(void **state)
{
	reap_children();
	for (size_t i = 0; i < nkept_snaps; i++)
		tcpt_snapshot_free(kept_snaps[i]);
	nkept_snaps = 0;
	for (size_t i = 0; i < nkept_mem; i++)
		free(kept_mem[i]);
	nkept_mem = 0;
	struct fixture *f = *state;
	if (f) {
		fixture_close(f);
		free(f);
	}
	*state = NULL;
	return 0;
}

struct fixture *itest_fixture(void **state)
{
	if (netns_status == NETNS_SKIP)
		skip();
	if (netns_status != NETNS_OK || !*state)
		fail_msg("no private network namespace (root needed; CI=true makes this a failure)");
	return *state;
}

void *itest_keep(void *p)
{
	if (!p)
		fail_msg("out of memory");
	if (nkept_mem == MAX_KEPT_MEM) {
		free(p);
		fail_msg("itest_keep: too many allocations in one test");
	}
	kept_mem[nkept_mem++] = p;
	return p;
}

/* ---- snapshots ------------------------------------------------------------------------- */

int itest_take_raw(enum tcpt_source source, unsigned want, struct tcpt_snapshot **ret_snap)
{
	struct tcpt_query q = {.source = source, .want = want};
	return tcpt_snapshot_take(&q, ret_snap);
}

struct tcpt_snapshot *itest_take_query(const struct tcpt_query *q)
{
	struct tcpt_snapshot *snap = NULL;
	int r = tcpt_snapshot_take(q, &snap);
	if (r != 0)
		fail_msg("tcpt_snapshot_take(protocols %#x, source %d, states %#x, want %#x): %s (%d)",
			 q->protocols, q->source, q->states, q->want, tcpt_strerror(r), r);
	if (nkept_snaps == MAX_KEPT)
		fail_msg("itest_take: too many snapshots in one test");
	kept_snaps[nkept_snaps++] = snap;
	return snap;
}

struct tcpt_snapshot *itest_take(enum tcpt_source source, unsigned families, uint32_t states,
				 unsigned want, enum tcpt_order order)
{
	struct tcpt_query q = {
		.families = families,
		.states = states,
		.want = want,
		.source = source,
		.order = order,
	};
	struct tcpt_snapshot *snap = NULL;
	int r = tcpt_snapshot_take(&q, &snap);
	if (r != 0)
		fail_msg("tcpt_snapshot_take(source %d, families %#x, states %#x, want %#x): %s (%d)",
			 source, families, states, want, tcpt_strerror(r), r);
	if (nkept_snaps == MAX_KEPT)
		fail_msg("itest_take: too many snapshots in one test");
	kept_snaps[nkept_snaps++] = snap;
	return snap;
}

/* ---- formatting ------------------------------------------------------------------------ */

static void format_end(const uint8_t addr[16], uint16_t port, int family, char *buf, size_t size)
{
	char a[INET6_ADDRSTRLEN] = "?";
	inet_ntop(family == AF_INET ? AF_INET : AF_INET6, addr, a, sizeof a);
	snprintf(buf, size, family == AF_INET ? "%s:%u" : "[%s]:%u", a, port);
}

void itest_format_row(const struct tcpt_conn *c, char *buf, size_t size)
{
	char l[64], r[64];
	format_end(c->local_addr, c->local_port, c->family, l, sizeof l);
	format_end(c->remote_addr, c->remote_port, c->family, r, sizeof r);
	snprintf(buf, size, "%s%s %s -> %s %s", tcpt_protocol_name(c->protocol),
		 c->family == AF_INET ? "" : c->family == AF_INET6 ? "6" : " family?", l, r,
		 tcpt_conn_state_name(c));
}

static bool same_socket(const struct tcpt_conn *a, const struct tcpt_conn *b)
{
	return a->protocol == b->protocol && a->family == b->family &&
	       a->local_port == b->local_port &&
	       a->remote_port == b->remote_port &&
	       memcmp(a->local_addr, b->local_addr, 16) == 0 &&
	       memcmp(a->remote_addr, b->remote_addr, 16) == 0;
}

const struct tcpt_conn *itest_find(const struct tcpt_snapshot *snap, const struct tcpt_conn *key)
{
	const struct tcpt_conn *rows = tcpt_snapshot_rows(snap);
	for (size_t i = 0; i < tcpt_snapshot_count(snap); i++)
		if (same_socket(&rows[i], key))
			return &rows[i];
	return NULL;
}

/* ---- comparison with the fixture ------------------------------------------------------- */

struct cmp {
	const char *label;
	const char *row;
	size_t problems;
};

__attribute__((format(printf, 2, 3))) static void problem(struct cmp *c, const char *fmt, ...)
{
	va_list ap;
	fprintf(stderr, "# %s: %s: ", c->label, c->row);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	c->problems++;
}

#define FIELD(c, field, want, got)                                                           \
	do {                                                                                 \
		unsigned long long w_ = (unsigned long long)(want);                          \
		unsigned long long g_ = (unsigned long long)(got);                           \
		if (w_ != g_)                                                                \
			problem(c, "%s: expected %llu, got %llu", field, w_, g_);            \
	} while (0)

static void compare_string(struct cmp *c, const char *field, const char *want, const char *got)
{
	if (!want && !got)
		return;
	if (!want || !got || strcmp(want, got) != 0)
		problem(c, "%s: expected %s%s%s, got %s%s%s", field, want ? "\"" : "",
			want ? want : "NULL", want ? "\"" : "", got ? "\"" : "", got ? got : "NULL",
			got ? "\"" : "");
}

static void compare_owners(struct cmp *c, const struct fx_row *r, const struct tcpt_conn *g,
			   unsigned want)
{
	bool owners = want & (TCPT_WANT_OWNERS | TCPT_WANT_PROCESS);
	bool process = want & TCPT_WANT_PROCESS;
	uint32_t n = owners ? r->nowners : 0;
	FIELD(c, "owner_count", n, g->owner_count);
	if ((g->owner_count == 0) != (g->owners == NULL))
		problem(c, "owners is %s with owner_count %u", g->owners ? "set" : "NULL",
			g->owner_count);
	if (n != g->owner_count || !g->owners)
		return;
	for (uint32_t i = 0; i < n; i++) {
		char what[32];
		snprintf(what, sizeof what, "owners[%u].pid", i);
		FIELD(c, what, r->owners[i].pid, g->owners[i].pid);
		snprintf(what, sizeof what, "owners[%u].fd", i);
		FIELD(c, what, r->owners[i].fd, g->owners[i].fd);
		snprintf(what, sizeof what, "owners[%u].name", i);
		compare_string(c, what, process ? r->owners[i].name : NULL, g->owners[i].name);
		snprintf(what, sizeof what, "owners[%u].exe", i);
		compare_string(c, what, process ? r->owners[i].exe : NULL, g->owners[i].exe);
	}
}

static void compare_timer(struct cmp *c, const struct fx_row *r, const struct tcpt_conn *g)
{
	const struct tcpt_conn *w = &r->want;
	uint32_t max = r->expires_max_ms;
	FIELD(c, "timer", w->timer, g->timer);
	/* A SYN is retransmitted after 1 s, then after 2, 4, ... s more: on a busy machine the
	 * snapshot may come late, and then only the count's consistency with the timeout is
	 * known. */
	bool late = r->backs_off && fx_ms_since(&r->timer_started) >= 900;
	if (late) /* and a due timer may show 0 (the kernel clamps a past expiry) */
		max = 1000u << (g->retransmits < 6 ? g->retransmits : 6);
	else
		FIELD(c, "retransmits", w->retransmits, g->retransmits);
	if (max == 0)
		FIELD(c, "timer_expires_ms", 0, g->timer_expires_ms);
	else if ((g->timer_expires_ms == 0 && !late) || g->timer_expires_ms > max)
		problem(c, "timer_expires_ms: expected in [%u, %u], got %u", late ? 0 : 1, max,
			g->timer_expires_ms);
}

static void compare_row(struct cmp *c, const struct fx_row *r,
			const struct tcpt_conn *g, enum tcpt_source src, unsigned want)
{
	const struct tcpt_conn *w = &r->want;
	bool proc = src == TCPT_SOURCE_PROC;
	FIELD(c, "protocol", w->protocol, g->protocol);
	FIELD(c, "family", w->family, g->family);
	FIELD(c, "state", w->state, g->state);
	FIELD(c, "local_port", w->local_port, g->local_port);
	FIELD(c, "remote_port", w->remote_port, g->remote_port);
	FIELD(c, "scope_id", proc ? 0 : w->scope_id, g->scope_id);
	FIELD(c, "uid", proc && r->proc_uid_differs ? r->proc_uid : w->uid, g->uid);
	FIELD(c, "inode", w->inode, g->inode);
	FIELD(c, "rqueue", w->rqueue, g->rqueue);
	FIELD(c, "wqueue", proc && w->state == TCPT_LISTEN ? 0 : w->wqueue, g->wqueue);
	if (proc)
		FIELD(c, "cookie", 0, g->cookie);
	else if (r->cookie_unknown) {
		if (g->cookie == 0)
			problem(c, "cookie: expected non-zero, got 0");
	} else
		FIELD(c, "cookie", w->cookie, g->cookie);
	if (proc)
		FIELD(c, "cgroup_id", 0, g->cgroup_id);
	else if (!r->cgroup_unknown)
		FIELD(c, "cgroup_id", w->cgroup_id, g->cgroup_id);
	FIELD(c, "netns", w->netns, g->netns);
	compare_timer(c, r, g);
	compare_owners(c, r, g, want);
	/* tcp_info: netlink only, for full sockets (listeners too), not TIME-WAIT or SYN-RECV */
	bool info = (want & TCPT_WANT_INFO) && !proc && w->protocol == TCPT_PROTO_NUMBER_TCP &&
		    w->state != TCPT_SYN_RECV && w->state != TCPT_TIME_WAIT;
	if (info != (g->info != NULL))
		problem(c, "info: expected %s, got %s", info ? "tcp_info" : "NULL",
			g->info ? "tcp_info" : "NULL");
}

size_t itest_compare(const struct fixture *f, fx_set set, const struct tcpt_conn *rows,
		     size_t n, enum tcpt_source source, unsigned want, const char *label)
{
	struct cmp c = {.label = label};
	if (n > 0 && !rows) {
		c.row = "snapshot";
		problem(&c, "%zu rows but a NULL array", n);
		return c.problems;
	}
	for (unsigned i = 0; i < f->nrows; i++) {
		if (!(set & FX_BIT(i)))
			continue;
		const struct tcpt_conn *got = NULL;
		size_t matches = 0;
		for (size_t j = 0; j < n; j++)
			if (same_socket(&f->row[i].want, &rows[j])) {
				got = got ? got : &rows[j];
				matches++;
			}
		char desc[160], what[240];
		itest_format_row(&f->row[i].want, desc, sizeof desc);
		snprintf(what, sizeof what, "%s (%s)", f->row[i].name, desc);
		c.row = what;
		if (matches != 1)
			problem(&c, matches ? "%zu rows for one socket" : "missing", matches);
		else
			compare_row(&c, &f->row[i], got, source, want);
	}
	for (size_t j = 0; j < n; j++) {
		bool expected = false;
		for (unsigned i = 0; i < f->nrows && !expected; i++)
			expected = (set & FX_BIT(i)) && same_socket(&f->row[i].want, &rows[j]);
		if (!expected) {
			char desc[160];
			itest_format_row(&rows[j], desc, sizeof desc);
			c.row = desc;
			problem(&c, "unexpected row");
		}
	}
	return c.problems;
}

const enum tcpt_source itest_sources[ITEST_NSOURCES] = {TCPT_SOURCE_NETLINK, TCPT_SOURCE_PROC,
							 TCPT_SOURCE_BPF};

bool itest_bpf_expected(void)
{
	static int said;
	if (geteuid() == 0 && access("/sys/kernel/btf/vmlinux", R_OK) == 0)
		return true;
	if (test_in_ci())
		fail_msg("BPF source: not root or no kernel BTF; under CI=true that is a failure");
	if (!said++)
		printf("# BPF source NOT TESTED: not root or no /sys/kernel/btf/vmlinux\n");
	return false;
}

/* Owners come from BPF with TCPT_SOURCE_BPF (where it can load), from /proc otherwise. */
static void assert_owner_source(const struct tcpt_snapshot *snap, enum tcpt_source source,
				unsigned want)
{
	enum tcpt_source expected = TCPT_SOURCE_AUTO;
	if (want & (TCPT_WANT_OWNERS | TCPT_WANT_PROCESS))
		expected = source == TCPT_SOURCE_BPF && itest_bpf_expected() ? TCPT_SOURCE_BPF
									     : TCPT_SOURCE_PROC;
	if (source == TCPT_SOURCE_BPF && expected == TCPT_SOURCE_PROC)
		return; /* BPF not loadable here: either is fine, the rows were compared */
	if (expected != tcpt_snapshot_owner_source(snap))
		fail_msg("owners from %s, expected %s",
			 tcpt_source_name(tcpt_snapshot_owner_source(snap)),
			 tcpt_source_name(expected));
}

void itest_assert_rows(const struct fixture *f, fx_set set, const struct tcpt_snapshot *snap,
		       enum tcpt_source source, unsigned want)
{
	char label[64];
	snprintf(label, sizeof label, "%s source", tcpt_source_name(source));
	size_t problems = itest_compare(f, set, tcpt_snapshot_rows(snap), tcpt_snapshot_count(snap),
					source, want, label);
	if (problems)
		fail_msg("%s: %zu difference(s) from the expected rows (listed above)", label,
			 problems);
	assert_owner_source(snap, source, want);
}

size_t itest_compare_owners(const struct tcpt_conn *a, size_t na, const struct tcpt_conn *b,
			    size_t nb, unsigned want, const char *label)
{
	struct cmp c = {.label = label};
	char desc[160];
	for (size_t i = 0; i < na; i++) {
		itest_format_row(&a[i], desc, sizeof desc);
		c.row = desc;
		const struct tcpt_conn *g = NULL;
		size_t matches = 0;
		for (size_t j = 0; j < nb; j++)
			if (same_socket(&a[i], &b[j])) {
				g = g ? g : &b[j];
				matches++;
			}
		if (matches != 1) {
			problem(&c, "%zu rows in the second snapshot", matches);
			continue;
		}
		FIELD(&c, "owner_count", a[i].owner_count, g->owner_count);
		for (uint32_t k = 0; k < a[i].owner_count && k < g->owner_count; k++) {
			FIELD(&c, "owner pid", a[i].owners[k].pid, g->owners[k].pid);
			FIELD(&c, "owner fd", a[i].owners[k].fd, g->owners[k].fd);
			if (want & TCPT_WANT_PROCESS) {
				compare_string(&c, "owner name", a[i].owners[k].name,
					       g->owners[k].name);
				compare_string(&c, "owner exe", a[i].owners[k].exe,
					       g->owners[k].exe);
			}
		}
	}
	if (na != nb) {
		c.row = "snapshot";
		problem(&c, "%zu rows against %zu", na, nb);
	}
	return c.problems;
}

/* ---- netlink against /proc ------------------------------------------------------------- */

size_t itest_compare_sources(const struct tcpt_conn *a, size_t na, const struct tcpt_conn *b,
			     size_t nb, uint32_t tolerance_ms, unsigned want)
{
	struct cmp c = {.label = "netlink vs /proc"};
	char desc[160];
	for (size_t i = 0; i < na; i++) {
		itest_format_row(&a[i], desc, sizeof desc);
		c.row = desc;
		const struct tcpt_conn *g = NULL;
		size_t matches = 0;
		for (size_t j = 0; j < nb; j++)
			if (same_socket(&a[i], &b[j])) {
				g = g ? g : &b[j];
				matches++;
			}
		if (matches != 1) {
			problem(&c, "%zu /proc rows", matches);
			continue;
		}
		FIELD(&c, "state", a[i].state, g->state);
		if (a[i].state != TCPT_SYN_RECV) /* /proc: the listener's uid */
			FIELD(&c, "uid", a[i].uid, g->uid);
		FIELD(&c, "inode", a[i].inode, g->inode);
		FIELD(&c, "rqueue", a[i].rqueue, g->rqueue);
		if (a[i].state != TCPT_LISTEN)
			FIELD(&c, "wqueue", a[i].wqueue, g->wqueue);
		FIELD(&c, "timer", a[i].timer, g->timer);
		FIELD(&c, "netns", a[i].netns, g->netns);
		/* A SYN retransmitted between the two snapshots (/proc is taken second) restarts
		 * its timer with a doubled timeout; on a loaded machine (or with the owner scan
		 * between them) more than one resend may fall in the gap, never fewer. */
		bool resent = (a[i].state == TCPT_SYN_SENT || a[i].state == TCPT_SYN_RECV) &&
			      g->retransmits > a[i].retransmits;
		if (!resent)
			FIELD(&c, "retransmits", a[i].retransmits, g->retransmits);
		uint32_t x = a[i].timer_expires_ms, y = g->timer_expires_ms;
		if (!resent && (x > y ? x - y : y - x) > tolerance_ms)
			problem(&c, "timer_expires_ms: netlink %u, /proc %u", x, y);
		FIELD(&c, "owner_count", a[i].owner_count, g->owner_count);
		for (uint32_t k = 0; k < a[i].owner_count && k < g->owner_count; k++) {
			FIELD(&c, "owner pid", a[i].owners[k].pid, g->owners[k].pid);
			FIELD(&c, "owner fd", a[i].owners[k].fd, g->owners[k].fd);
			if (want & TCPT_WANT_PROCESS) {
				compare_string(&c, "owner name", a[i].owners[k].name,
					       g->owners[k].name);
				compare_string(&c, "owner exe", a[i].owners[k].exe,
					       g->owners[k].exe);
			}
		}
	}
	for (size_t j = 0; j < nb; j++) {
		bool found = false;
		for (size_t i = 0; i < na && !found; i++)
			found = same_socket(&a[i], &b[j]);
		if (!found) {
			itest_format_row(&b[j], desc, sizeof desc);
			c.row = desc;
			problem(&c, "only in /proc");
		}
	}
	return c.problems;
}

/* ---- processes ------------------------------------------------------------------------- */

static void close_all_but(int keep1, int keep2)
{
	unsigned lo = (unsigned)(keep1 < keep2 ? keep1 : keep2);
	unsigned hi = (unsigned)(keep1 < keep2 ? keep2 : keep1);
	if (lo > 3)
		close_range(3, lo - 1, 0);
	if (hi > lo + 1)
		close_range(lo + 1, hi - 1, 0);
	close_range(hi + 1, ~0u, 0);
}

pid_t itest_spawn_holder(int fd, int newfd, const char *name)
{
	int ready[2], release[2];
	if (nchildren == sizeof children / sizeof children[0])
		fail_msg("itest_spawn_holder: too many children");
	assert_int_equal(0, pipe2(ready, O_CLOEXEC));
	assert_int_equal(0, pipe2(release, O_CLOEXEC));
	pid_t pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		prctl(PR_SET_NAME, name, 0, 0, 0);
		if (dup2(fd, newfd) < 0)
			_exit(1);
		/* This closes ready[1] too: the parent sees EOF once we hold only NEWFD. */
		close_all_but(newfd, release[0]);
		char byte;
		while (read(release[0], &byte, 1) < 0 && errno == EINTR)
			;
		_exit(0);
	}
	close(ready[1]);
	close(release[0]);
	char byte;
	ssize_t r;
	while ((r = read(ready[0], &byte, 1)) < 0 && errno == EINTR)
		;
	close(ready[0]);
	itest_register_child(pid, release[1]);
	return pid;
}

void itest_register_child(pid_t pid, int release_fd)
{
	if (nchildren == sizeof children / sizeof children[0])
		fail_msg("itest_register_child: too many children");
	children[nchildren].pid = pid;
	children[nchildren].release_fd = release_fd;
	nchildren++;
}

static void drain(int fd, char **buf, size_t *len, size_t *cap, bool *open)
{
	if (*cap - *len < 4096) {
		size_t ncap = *cap ? *cap * 2 : 8192;
		char *nb = realloc(*buf, ncap);
		if (!nb)
			abort();
		*buf = nb;
		*cap = ncap;
	}
	ssize_t n = read(fd, *buf + *len, *cap - *len - 1);
	if (n > 0)
		*len += (size_t)n;
	else if (n == 0 || errno != EINTR)
		*open = false;
	(*buf)[*len] = '\0';
}

int itest_run(const char *const argv[], char **ret_out, char **ret_err)
{
	int out[2], err[2];
	assert_int_equal(0, pipe2(out, O_CLOEXEC));
	assert_int_equal(0, pipe2(err, O_CLOEXEC));
	pid_t pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		int devnull = open("/dev/null", O_RDONLY | O_CLOEXEC);
		if (devnull < 0 || dup2(devnull, 0) < 0 || dup2(out[1], 1) < 0 ||
		    dup2(err[1], 2) < 0)
			_exit(126);
		execvp(argv[0], (char *const *)argv);
		_exit(127);
	}
	close(out[1]);
	close(err[1]);
	char *bufs[2] = {NULL, NULL};
	size_t lens[2] = {0, 0}, caps[2] = {0, 0};
	bool open_[2] = {true, true};
	int fds[2] = {out[0], err[0]};
	for (int i = 0; i < 2; i++) {
		caps[i] = 8192;
		bufs[i] = calloc(1, caps[i]);
		if (!bufs[i])
			abort();
	}
	while (open_[0] || open_[1]) {
		struct pollfd p[2] = {{.fd = open_[0] ? fds[0] : -1, .events = POLLIN},
				      {.fd = open_[1] ? fds[1] : -1, .events = POLLIN}};
		if (poll(p, 2, 10000) <= 0) {
			kill(pid, SIGKILL);
			break;
		}
		for (int i = 0; i < 2; i++)
			if (p[i].revents)
				drain(fds[i], &bufs[i], &lens[i], &caps[i], &open_[i]);
	}
	close(out[0]);
	close(err[0]);
	int status;
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	*ret_out = itest_keep(bufs[0]);
	*ret_err = itest_keep(bufs[1]);
	return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}
