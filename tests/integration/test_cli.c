/*
 * test_cli.c - the tcptable command in a namespace of known sockets: the same sockets as the
 * fixture and as `ss -tan`, its options (-4, -6, -l, -p, -e, --source, --sort), its usage
 * errors (one line on stderr, exit status 2), and process names that cannot reach the
 * terminal raw.
 *
 * Output format (the lead's, src/cli/table.c): a header line naming the columns, then one line
 * per socket, cells separated by spaces: Proto, Local Address, Remote Address, State; with -e
 * UID, User, Inode, Cookie (decimal), Cgroup ("-" for none), Recv-Q, Send-Q, Timer ("-" or
 * "KIND,EXPIRESms,RETRANSMITS"); with -p the owners "PID/NAME,PID/NAME" (nothing for a socket
 * without one). Cells are found by their header name, so added columns do not break this.
 */
#include "itest.h"

#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "oracle.h"

#define MAX_LINES 64
#define MAX_COLS 16

struct line {
	char *col[MAX_COLS]; /* endpoints canonical (oracle_endpoint) */
	int ncols;
	char key[200];       /* "PROTO LOCAL REMOTE STATE" */
};

struct output {
	int status;
	char *out, *err;
	char *hdr[MAX_COLS]; /* column names; "Local Address" is "Local", ... */
	int nhdr;
	struct line lines[MAX_LINES];
	size_t n;
};

static const char *tcptable_path(void)
{
	static char path[4096];
	const char *root = getenv("TCPT_BUILD_ROOT");
	if (!root)
		fail_msg("TCPT_BUILD_ROOT is not set (run through meson test)");
	snprintf(path, sizeof path, "%s/src/cli/tcptable", root);
	return path;
}

static struct output *run_va(const char *arg, va_list ap)
{
	const char *argv[16] = {tcptable_path()};
	size_t argc = 1;
	for (const char *a = arg; a && argc < 15; a = va_arg(ap, const char *))
		argv[argc++] = a;
	argv[argc] = NULL;
	struct output *o = itest_keep(calloc(1, sizeof *o));
	o->status = itest_run(argv, &o->out, &o->err);
	return o;
}

/* Run tcptable ARGS... (NULL-terminated), without parsing. */
static struct output *run_raw(const char *arg, ...)
{
	va_list ap;
	va_start(ap, arg);
	struct output *o = run_va(arg, ap);
	va_end(ap);
	return o;
}

static int column(const struct output *o, const char *name)
{
	for (int i = 0; i < o->nhdr; i++)
		if (strcmp(o->hdr[i], name) == 0)
			return i;
	fail_msg("no column '%s' in tcptable's header", name);
	return -1;
}

/* The cell of column NAME in line L; NULL for the last column when it is empty (-p). */
static const char *cell(const struct output *o, const struct line *l, const char *name)
{
	int i = column(o, name);
	if (i >= l->ncols && i != o->nhdr - 1)
		fail_msg("a line has no cell for column %s", name);
	return i < l->ncols ? l->col[i] : NULL;
}

static void parse(struct output *o)
{
	if (o->status != 0)
		fail_msg("tcptable exited with %d; stderr: %s", o->status, o->err);
	char *save = NULL, *s2 = NULL;
	char *line = strtok_r(o->out, "\n", &save);
	if (!line || strncmp(line, "Proto", 5) != 0)
		fail_msg("tcptable's first line is not a header: %s", line ? line : "(none)");
	for (char *t = strtok_r(line, " ", &s2); t && o->nhdr < MAX_COLS; t = strtok_r(NULL, " ", &s2))
		if (strcmp(t, "Address") != 0) /* "Local Address", "Remote Address" */
			o->hdr[o->nhdr++] = t;
	int local = column(o, "Local"), remote = column(o, "Remote");
	while ((line = strtok_r(NULL, "\n", &save))) {
		if (o->n == MAX_LINES)
			fail_msg("more than %d lines", MAX_LINES);
		struct line *l = &o->lines[o->n++];
		for (char *t = strtok_r(line, " ", &s2); t && l->ncols < MAX_COLS;
		     t = strtok_r(NULL, " ", &s2))
			l->col[l->ncols++] = t;
		if (l->ncols != o->nhdr && l->ncols != o->nhdr - 1)
			fail_msg("a line with %d cells under %d columns", l->ncols, o->nhdr);
		int ends[2] = {local, remote};
		for (int c = 0; c < 2; c++) {
			char *canon = itest_keep(malloc(80));
			if (oracle_endpoint(l->col[ends[c]], canon, 80) < 0)
				fail_msg("not an endpoint: '%s'", l->col[ends[c]]);
			l->col[ends[c]] = canon;
		}
		snprintf(l->key, sizeof l->key, "%s %s %s %s", cell(o, l, "Proto"), l->col[local],
			 l->col[remote], cell(o, l, "State"));
	}
}

/* Run tcptable ARGS... (NULL-terminated), which must succeed, and parse its table. */
static struct output *run(const char *arg, ...)
{
	va_list ap;
	va_start(ap, arg);
	struct output *o = run_va(arg, ap);
	va_end(ap);
	parse(o);
	return o;
}

static void row_key(const struct tcpt_conn *c, char *buf, size_t size)
{
	char l[80], r[80];
	oracle_endpoint_of(c, false, l, sizeof l);
	oracle_endpoint_of(c, true, r, sizeof r);
	snprintf(buf, size, "%s %s %s %s", c->family == AF_INET ? "tcp" : "tcp6", l, r,
		 tcpt_state_name(c->state));
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Compare two lists of lines as sets (each sorted here), printing every difference. */
static void assert_same_set(const char *what, const char **want, size_t nw, const char **got,
			    size_t ng)
{
	qsort(want, nw, sizeof *want, cmp_str);
	qsort(got, ng, sizeof *got, cmp_str);
	size_t i = 0, j = 0, problems = 0;
	while (i < nw || j < ng) {
		int c = i == nw ? 1 : j == ng ? -1 : strcmp(want[i], got[j]);
		if (c == 0) {
			i++, j++;
			continue;
		}
		fprintf(stderr, "# %s: %s %s\n", what, c < 0 ? "missing" : "unexpected",
			c < 0 ? want[i] : got[j]);
		problems++;
		c < 0 ? i++ : j++;
	}
	if (problems)
		fail_msg("%s: %zu difference(s) (listed above)", what, problems);
}

static void assert_lines_are_fixture_rows(const struct fixture *f, fx_set set,
					  const struct output *o, const char *what)
{
	const char *want[FX_MAX_ROWS], *got[MAX_LINES];
	size_t nw = 0;
	for (unsigned i = 0; i < f->nrows; i++)
		if (set & FX_BIT(i)) {
			char *k = itest_keep(malloc(200));
			row_key(&f->row[i].want, k, 200);
			want[nw++] = k;
		}
	for (size_t j = 0; j < o->n; j++)
		got[j] = o->lines[j].key;
	assert_same_set(what, want, nw, got, o->n);
}

static const struct line *line_of(const struct output *o, const struct tcpt_conn *c)
{
	char k[200];
	row_key(c, k, sizeof k);
	for (size_t j = 0; j < o->n; j++)
		if (strcmp(o->lines[j].key, k) == 0)
			return &o->lines[j];
	fail_msg("no line for %s", k);
	return NULL;
}

/* ---- what it lists --------------------------------------------------------------------- */

static void lists_exactly_the_fixture_sockets(void **state)
{
	struct fixture *f = itest_fixture(state);
	assert_lines_are_fixture_rows(f, fx_all(f), run(NULL), "tcptable");
}

static void lists_the_same_sockets_as_ss(void **state)
{
	struct fixture *f = itest_fixture(state);
	oracle_require_ss();
	struct output *o = run(NULL);
	struct oracle_row *ss;
	size_t n = oracle_ss(&ss, "-tan", NULL);
	const char *want[MAX_LINES], *got[MAX_LINES];
	for (size_t i = 0; i < n && i < MAX_LINES; i++) {
		char *k = itest_keep(malloc(200));
		snprintf(k, 200, "%s %s %s", ss[i].local, ss[i].remote, ss[i].state);
		want[i] = k;
	}
	for (size_t j = 0; j < o->n; j++) {
		char *k = itest_keep(malloc(200));
		snprintf(k, 200, "%s %s %s", cell(o, &o->lines[j], "Local"),
			 cell(o, &o->lines[j], "Remote"), cell(o, &o->lines[j], "State"));
		got[j] = k;
	}
	assert_int_equal(f->nrows, n);
	assert_same_set("tcptable vs ss -tan", want, n, got, o->n);
}

static void proc_and_netlink_sources_list_the_same_sockets(void **state)
{
	struct fixture *f = itest_fixture(state);
	assert_lines_are_fixture_rows(f, fx_all(f), run("--source=netlink", NULL),
				      "tcptable --source=netlink");
	assert_lines_are_fixture_rows(f, fx_all(f), run("--source=proc", NULL),
				      "tcptable --source=proc");
	assert_lines_are_fixture_rows(f, fx_all(f), run("--source", "proc", NULL),
				      "tcptable --source proc");
}

static void listening_option_lists_only_listeners(void **state)
{
	struct fixture *f = itest_fixture(state);
	fx_set listeners = fx_with_states(f, fx_all(f), TCPT_STATE_BIT(TCPT_LISTEN));
	assert_lines_are_fixture_rows(f, listeners, run("-l", NULL), "tcptable -l");
	assert_lines_are_fixture_rows(f, listeners, run("--listening", NULL),
				      "tcptable --listening");
}

static void family_options_list_only_that_family(void **state)
{
	struct fixture *f = itest_fixture(state);
	fx_set v4 = fx_with_families(f, fx_all(f), TCPT_FAMILY_IPV4);
	fx_set v6 = fx_with_families(f, fx_all(f), TCPT_FAMILY_IPV6);
	assert_lines_are_fixture_rows(f, v4, run("-4", NULL), "tcptable -4");
	assert_lines_are_fixture_rows(f, v6, run("-6", NULL), "tcptable -6");
	assert_lines_are_fixture_rows(f, v4, run("--ipv4", "--source=proc", NULL),
				      "tcptable --ipv4 --source=proc");
	fx_set v6_listeners = fx_with_states(f, v6, TCPT_STATE_BIT(TCPT_LISTEN));
	assert_lines_are_fixture_rows(f, v6_listeners, run("-6", "-l", NULL), "tcptable -6 -l");
}

static void netstat_habits_change_nothing(void **state)
{
	struct fixture *f = itest_fixture(state);
	assert_lines_are_fixture_rows(f, fx_all(f), run("-a", "-n", "-t", NULL), "tcptable -ant");
}

/* --sort prints the rows in the order TCPT_ORDER_ADDRESS gives. */
static void sort_option_prints_rows_in_address_order(void **state)
{
	struct fixture *f = itest_fixture(state);
	struct output *o = run("--sort", NULL);
	struct tcpt_snapshot *s = itest_take(TCPT_SOURCE_NETLINK, 0, 0, 0, TCPT_ORDER_ADDRESS);
	assert_int_equal(tcpt_snapshot_count(s), o->n);
	assert_int_equal(f->nrows, o->n);
	for (size_t i = 0; i < o->n; i++) {
		char k[200];
		row_key(&tcpt_snapshot_rows(s)[i], k, sizeof k);
		assert_string_equal(k, o->lines[i].key);
	}
}

/* ---- columns ---------------------------------------------------------------------------- */

static const char *user_name(uint32_t uid)
{
	struct passwd *pw = getpwuid(uid);
	return pw ? pw->pw_name : "?";
}

static void extended_option_shows_uid_inode_cookie_queues_and_timer(void **state)
{
	struct fixture *f = itest_fixture(state);
	struct output *o = run("-e", NULL);
	assert_lines_are_fixture_rows(f, fx_all(f), o, "tcptable -e");
	assert_int_equal(o->nhdr, column(o, "Timer") + 1);
	for (unsigned i = 0; i < f->nrows; i++) {
		const struct fx_row *r = &f->row[i];
		const struct line *l = line_of(o, &r->want);
		assert_int_equal(o->nhdr, l->ncols);
		assert_int_equal(r->want.uid, strtoul(cell(o, l, "UID"), NULL, 10));
		assert_string_equal(user_name(r->want.uid), cell(o, l, "User"));
		assert_int_equal(r->want.inode, strtoull(cell(o, l, "Inode"), NULL, 10));
		unsigned long long cookie = strtoull(cell(o, l, "Cookie"), NULL, 10);
		if (r->cookie_unknown)
			assert_true(cookie != 0);
		else
			assert_int_equal(r->want.cookie, cookie);
		if (!r->cgroup_unknown && r->want.cgroup_id == 0)
			assert_string_equal("-", cell(o, l, "Cgroup"));
		else if (!r->cgroup_unknown && f->cgroup_path[0])
			assert_string_equal(f->cgroup_path, cell(o, l, "Cgroup"));
		assert_int_equal(r->want.rqueue, strtoul(cell(o, l, "Recv-Q"), NULL, 10));
		assert_int_equal(r->want.wqueue, strtoul(cell(o, l, "Send-Q"), NULL, 10));
		const char *timer = cell(o, l, "Timer");
		if (r->want.timer == TCPT_TIMER_NONE) {
			assert_string_equal("-", timer);
		} else {
			char kind[32];
			unsigned ms, retrans;
			if (sscanf(timer, "%31[a-z],%ums,%u", kind, &ms, &retrans) != 3)
				fail_msg("%s: timer column '%s'", r->name, timer);
			assert_string_equal(tcpt_timer_name(r->want.timer), kind);
			/* a SYN timer that is due on a busy machine shows 0 */
			assert_true((ms > 0 || r->backs_off) && ms <= r->expires_max_ms * 8);
		}
	}
}

/* proc source: no cookie, LISTEN's Send-Q is 0 (netlink's is the backlog). */
static void extended_option_with_proc_source_shows_what_proc_has(void **state)
{
	struct fixture *f = itest_fixture(state);
	struct output *o = run("-e", "--source=proc", NULL);
	assert_lines_are_fixture_rows(f, fx_all(f), o, "tcptable -e --source=proc");
	for (unsigned i = 0; i < f->nrows; i++) {
		const struct fx_row *r = &f->row[i];
		const struct line *l = line_of(o, &r->want);
		assert_int_equal(o->nhdr, l->ncols);
		assert_int_equal(r->proc_uid_differs ? r->proc_uid : r->want.uid,
				 strtoul(cell(o, l, "UID"), NULL, 10));
		assert_int_equal(r->want.inode, strtoull(cell(o, l, "Inode"), NULL, 10));
		assert_string_equal("0", cell(o, l, "Cookie"));
		assert_string_equal("-", cell(o, l, "Cgroup"));
		assert_int_equal(r->want.rqueue, strtoul(cell(o, l, "Recv-Q"), NULL, 10));
		assert_int_equal(r->want.state == TCPT_LISTEN ? 0 : r->want.wqueue,
				 strtoul(cell(o, l, "Send-Q"), NULL, 10));
	}
}

#define HOLDER_FD 200

/* Every owner, ordered by pid, as PID/NAME; nothing for sockets without a descriptor. */
static void processes_option_names_every_owner_as_pid_slash_name(void **state)
{
	struct fixture *f = itest_fixture(state);
	pid_t child = itest_spawn_holder(f->row[FX_LISTEN4].fd, HOLDER_FD, "tcpt-holder");
	fx_add_owner(f, FX_LISTEN4, child, HOLDER_FD, "tcpt-holder", f->exe);
	struct output *o = run("-p", NULL);
	assert_lines_are_fixture_rows(f, fx_all(f), o, "tcptable -p");
	for (unsigned i = 0; i < f->nrows; i++) {
		const struct fx_row *r = &f->row[i];
		const struct line *l = line_of(o, &r->want);
		char want[256] = "";
		size_t len = 0;
		for (unsigned k = 0; k < r->nowners; k++)
			len += (size_t)snprintf(want + len, sizeof want - len, "%s%d/%s",
						k ? "," : "", r->owners[k].pid, r->owners[k].name);
		if (r->nowners == 0)
			assert_null(cell(o, l, "PID/Program"));
		else
			assert_string_equal(want, cell(o, l, "PID/Program"));
	}
}

static bool has_control_bytes(const char *s)
{
	for (const unsigned char *p = (const unsigned char *)s; *p; p++)
		if ((*p < 0x20 && *p != '\n') || *p == 0x7f)
			return true;
	return false;
}

/* A process may name itself with an escape sequence: -p prints it escaped, never raw. */
static void processes_option_never_prints_control_bytes_of_a_process_name(void **state)
{
	struct fixture *f = itest_fixture(state);
	pid_t child = itest_spawn_holder(f->row[FX_LISTEN6].fd, HOLDER_FD, "evil\x1b[31m");
	struct output *o = run("-p", NULL);
	assert_false(has_control_bytes(o->out));
	const struct line *l = line_of(o, &f->row[FX_LISTEN6].want);
	char want[128];
	snprintf(want, sizeof want, "%d/%s,%d/evil\\x1b[31m", getpid(), f->comm, child);
	if (child < getpid())
		snprintf(want, sizeof want, "%d/evil\\x1b[31m,%d/%s", child, getpid(), f->comm);
	assert_string_equal(want, cell(o, l, "PID/Program"));
}

/* ---- usage ------------------------------------------------------------------------------ */

static size_t count_lines(const char *s)
{
	size_t n = 0;
	for (; *s; s++)
		n += *s == '\n';
	return n;
}

static void assert_usage_error(const struct output *o, const char *what)
{
	if (o->status != 2 || o->out[0] || count_lines(o->err) != 1 ||
	    o->err[strlen(o->err) - 1] != '\n')
		fail_msg("%s: expected exit status 2, nothing on stdout and one line on stderr; got "
			 "%d, stdout '%s', stderr '%s'",
			 what, o->status, o->out, o->err);
}

static void unknown_option_prints_one_line_and_exits_2(void **state)
{
	(void)state;
	assert_usage_error(run_raw("--bogus", NULL), "--bogus");
	assert_usage_error(run_raw("-x", NULL), "-x");
	assert_usage_error(run_raw("--version=3", NULL), "--version=3");
	assert_usage_error(run_raw("unexpected", NULL), "a stray argument");
}

static void bad_source_value_prints_one_line_and_exits_2(void **state)
{
	(void)state;
	assert_usage_error(run_raw("--source=foo", NULL), "--source=foo");
	assert_usage_error(run_raw("--source=", NULL), "--source=");
	assert_usage_error(run_raw("--source", NULL), "--source without a value");
	assert_usage_error(run_raw("--source=NETLINKX", NULL), "--source=NETLINKX");
}

static void help_prints_usage_on_stdout_and_exits_0(void **state)
{
	(void)state;
	const char *opts[] = {"-h", "--help"};
	for (size_t i = 0; i < 2; i++) {
		struct output *o = run_raw(opts[i], NULL);
		assert_int_equal(0, o->status);
		assert_string_equal("", o->err);
		assert_true(strncmp(o->out, "Usage: tcptable", 15) == 0);
		const char *documented[] = {"-4", "-6", "-l", "-p", "-e", "--source", "--version"};
		for (size_t k = 0; k < sizeof documented / sizeof documented[0]; k++)
			if (!strstr(o->out, documented[k]))
				fail_msg("%s does not mention %s", opts[i], documented[k]);
	}
}

static void version_prints_the_library_version_and_exits_0(void **state)
{
	(void)state;
	struct output *o = run_raw("--version", NULL);
	assert_int_equal(0, o->status);
	assert_string_equal("", o->err);
	assert_string_equal("tcptable " TCPT_VERSION_STRING "\n", o->out);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
#define T(name) cmocka_unit_test_setup_teardown(name, itest_setup, itest_teardown)
#define U(name) cmocka_unit_test_teardown(name, itest_teardown)
		T(lists_exactly_the_fixture_sockets),
		T(lists_the_same_sockets_as_ss),
		T(proc_and_netlink_sources_list_the_same_sockets),
		T(listening_option_lists_only_listeners),
		T(family_options_list_only_that_family),
		T(netstat_habits_change_nothing),
		T(sort_option_prints_rows_in_address_order),
		T(extended_option_shows_uid_inode_cookie_queues_and_timer),
		T(extended_option_with_proc_source_shows_what_proc_has),
		T(processes_option_names_every_owner_as_pid_slash_name),
		T(processes_option_never_prints_control_bytes_of_a_process_name),
		U(unknown_option_prints_one_line_and_exits_2),
		U(bad_source_value_prints_one_line_and_exits_2),
		U(help_prints_usage_on_stdout_and_exits_0),
		U(version_prints_the_library_version_and_exits_0),
	};
	return cmocka_run_group_tests_name("integration cli", tests, itest_group_setup, NULL);
}
