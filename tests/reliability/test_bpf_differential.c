/* test_bpf_differential.c - the BPF owner source against the /proc scan at scale and under
 * churn. At 20,000 sockets (9,900 loopback pairs and a listener, held by this process and by a
 * forked sharer): the same rows, the same two owners for every one. Under bounded
 * loopback churn (helper threads opening and closing connections): every BPF snapshot has no
 * socket twice, no row with impossible fields, owners only on rows with an inode, and the
 * stable sockets keep exactly the owners /proc names. Needs root and kernel BTF: without
 * them it skips loudly; under CI=true it fails. */
// clang-format off
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
// clang-format on

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sched.h>
#include <sys/mount.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "churn.h"
#include "rel.h"

#define PAIRS 9900
#define SHARERS 1
#define CHURN_ROUNDS 20
#define MIN_ROUNDS 3
#define MAX_SECONDS 8

static bool ready;
static int *fds;
static size_t nfds;
static pid_t sharers[SHARERS];
static int sharer_release[2] = {-1, -1};

static bool bpf_expected(void)
{
	if (geteuid() == 0 && access("/sys/kernel/btf/vmlinux", R_OK) == 0)
		return true;
	const char *ci = getenv("CI");
	if (ci && strcmp(ci, "true") == 0)
		fail_msg("BPF source: not root or no kernel BTF; under CI=true that is a failure");
	printf("# BPF owner source NOT TESTED: not root or no /sys/kernel/btf/vmlinux\n");
	return false;
}

/* A forked child holding everything this process holds until the release pipe closes. */
static pid_t spawn_sharer(void)
{
	pid_t pid = fork();
	if (pid == 0) {
		close(sharer_release[1]);
		char byte;
		while (read(sharer_release[0], &byte, 1) < 0 && errno == EINTR)
			;
		_exit(0);
	}
	return pid;
}

static int group_setup(void **state)
{
	(void)state;
	bool skip;
	if (rel_netns("reliability bpf_differential", &skip) < 0)
		return 0;
	struct rlimit lim;
	if (getrlimit(RLIMIT_NOFILE, &lim) < 0 || lim.rlim_max < 2 * PAIRS + 64)
		return printf("# RLIMIT_NOFILE too low for %d pairs\n", PAIRS), 0;
	lim.rlim_cur = lim.rlim_max;
	setrlimit(RLIMIT_NOFILE, &lim);
	fds = calloc(2 * PAIRS + 1, sizeof(*fds));
	int l = rel_listen(AF_INET, "127.0.0.1", 0);
	if (!fds || l < 0)
		return -1;
	fds[nfds++] = l;
	for (int i = 0; i < PAIRS; i++, nfds += 2)
		if (rel_pair(l, &fds[nfds], &fds[nfds + 1]) < 0)
			return printf("# pair %d: %s\n", i, strerror(errno)), -1;
	if (pipe(sharer_release) < 0)
		return -1;
	/* the sharers hold every socket too */
	for (int i = 0; i < SHARERS; i++)
		if ((sharers[i] = spawn_sharer()) < 0)
			return -1;
	ready = true;
	return 0;
}

static int group_teardown(void **state)
{
	(void)state;
	if (sharer_release[1] >= 0)
		close(sharer_release[1]);
	for (int i = 0; i < SHARERS; i++)
		if (sharers[i] > 0)
			waitpid(sharers[i], NULL, 0);
	for (size_t i = 0; i < nfds; i++)
		close(fds[i]);
	free(fds);
	return 0;
}

static struct tcpt_snapshot *take(enum tcpt_source source)
{
	struct tcpt_query q = {.source = source, .want = TCPT_WANT_OWNERS,
			       .order = TCPT_ORDER_ADDRESS};
	struct tcpt_snapshot *s = NULL;
	int r = tcpt_snapshot_take(&q, &s);
	if (r != 0)
		fail_msg("snapshot (%s): %s", tcpt_source_name(source), tcpt_strerror(r));
	return s;
}

static int compare_cookies(const void *a, const void *b)
{
	const struct tcpt_conn *x = a, *y = b;
	return (x->cookie > y->cookie) - (x->cookie < y->cookie);
}

/* A copy of the rows sorted by cookie (owners still pointing into the snapshot). */
static struct tcpt_conn *by_cookie(const struct tcpt_snapshot *s)
{
	size_t n = tcpt_snapshot_count(s);
	struct tcpt_conn *rows = malloc((n + 1) * sizeof(*rows));
	assert_non_null(rows);
	memcpy(rows, tcpt_snapshot_rows(s), n * sizeof(*rows));
	qsort(rows, n, sizeof(*rows), compare_cookies);
	return rows;
}

static bool same_owners(const struct tcpt_conn *a, const struct tcpt_conn *b)
{
	if (a->owner_count != b->owner_count)
		return false;
	for (uint32_t k = 0; k < a->owner_count; k++)
		if (a->owners[k].pid != b->owners[k].pid || a->owners[k].fd != b->owners[k].fd)
			return false;
	return true;
}

/* Every row well formed, no cookie twice, owners only with an inode. Returns the problems. */
static size_t check_rows(const struct tcpt_conn *rows, size_t n, const char *what)
{
	size_t problems = 0;
	for (size_t i = 0; i < n; i++) {
		const char *why;
		if (!rel_row_ok(&rows[i], &why) && problems++ < 5)
			printf("# %s: row %zu: %s\n", what, i, why);
		if (i && rows[i].cookie == rows[i - 1].cookie && problems++ < 5)
			printf("# %s: cookie %llu twice\n", what, (unsigned long long)rows[i].cookie);
		if (rows[i].owner_count && !rows[i].inode && problems++ < 5)
			printf("# %s: owners on a row without an inode\n", what);
	}
	return problems;
}

static void at_twenty_thousand_sockets_bpf_and_proc_name_the_same_owners(void **state)
{
	(void)state;
	if (!ready || !bpf_expected())
		skip();
	struct tcpt_snapshot *b = take(TCPT_SOURCE_BPF), *p = take(TCPT_SOURCE_NETLINK);
	assert_int_equal(TCPT_SOURCE_BPF, tcpt_snapshot_owner_source(b));
	assert_int_equal(TCPT_SOURCE_PROC, tcpt_snapshot_owner_source(p));
	size_t n = tcpt_snapshot_count(b);
	assert_int_equal(n, tcpt_snapshot_count(p));
	assert_true(n >= 2 * PAIRS + 1);
	struct tcpt_conn *x = by_cookie(b), *y = by_cookie(p);
	size_t problems = check_rows(x, n, "bpf"), owned = 0;
	for (size_t i = 0; i < n; i++) {
		if (x[i].cookie != y[i].cookie || x[i].inode != y[i].inode ||
		    x[i].state != y[i].state || !same_owners(&x[i], &y[i])) {
			if (problems++ < 5)
				printf("# cookie %llu: bpf %u owners, /proc %u\n",
				       (unsigned long long)x[i].cookie, x[i].owner_count,
				       y[i].owner_count);
		}
		owned += x[i].owner_count == 1 + SHARERS;
	}
	printf("# %zu rows, %zu with %d owners each\n", n, owned, 1 + SHARERS);
	assert_int_equal(2 * PAIRS + 1, owned);
	free(x);
	free(y);
	tcpt_snapshot_free(b);
	tcpt_snapshot_free(p);
	assert_int_equal(0, problems);
}

/* Under churn: the churned sockets come and go between the two snapshots, the stable ones
 * (every one of the 19,801 with an owner in both) must agree exactly. */
static void under_churn_bpf_snapshots_are_sound_and_agree_on_stable_sockets(void **state)
{
	(void)state;
	if (!ready || !bpf_expected())
		skip();
	assert_int_equal(0, churn_start(2));
	size_t problems = 0, compared = 0, rows_seen = 0;
	struct timespec t0, t;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	int rounds = 0;
	for (; rounds < CHURN_ROUNDS && problems == 0; rounds++) {
		clock_gettime(CLOCK_MONOTONIC, &t);
		if (rounds >= MIN_ROUNDS && t.tv_sec - t0.tv_sec >= MAX_SECONDS)
			break; /* bounded: a busy machine gets fewer rounds, not a longer test */
		int round = rounds;
		struct tcpt_snapshot *b = take(TCPT_SOURCE_BPF), *p = take(TCPT_SOURCE_NETLINK);
		if (tcpt_snapshot_owner_source(b) != TCPT_SOURCE_BPF)
			problems++;
		size_t nb = tcpt_snapshot_count(b), np = tcpt_snapshot_count(p);
		struct tcpt_conn *x = by_cookie(b), *y = by_cookie(p);
		problems += check_rows(x, nb, "bpf under churn");
		for (size_t i = 0, j = 0; i < nb && j < np;) {
			if (x[i].cookie != y[j].cookie) {
				x[i].cookie < y[j].cookie ? i++ : j++;
				continue;
			}
			bool stable = x[i].owner_count == 1 + SHARERS ||
				      y[j].owner_count == 1 + SHARERS;
			if (stable && !same_owners(&x[i], &y[j]) && problems++ < 5)
				printf("# round %d: cookie %llu: bpf %u owners, /proc %u\n", round,
				       (unsigned long long)x[i].cookie, x[i].owner_count,
				       y[j].owner_count);
			compared += stable;
			i++, j++;
		}
		rows_seen += nb;
		free(x);
		free(y);
		tcpt_snapshot_free(b);
		tcpt_snapshot_free(p);
	}
	unsigned long conns;
	double secs;
	churn_stop(&conns, &secs);
	printf("# %d rounds, %zu BPF rows, %zu stable sockets compared; churn: %lu connections in "
	       "%.1f s\n", rounds, rows_seen, compared, conns, secs);
	assert_int_equal(0, problems);
	assert_true(compared >= (size_t)rounds * (2 * PAIRS + 1));
	assert_true(conns > 0);
}

static int run_all(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(at_twenty_thousand_sockets_bpf_and_proc_name_the_same_owners),
		cmocka_unit_test(under_churn_bpf_snapshots_are_sound_and_agree_on_stable_sockets),
	};
	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}

/* As root, the tests run as pid 1 of a pid namespace of their own with its own /proc: both
 * owner sources then walk this test's processes only, not every descriptor of a busy host. */
int main(void)
{
	if (geteuid() != 0 || unshare(CLONE_NEWPID | CLONE_NEWNS) < 0)
		return run_all();
	fflush(stdout);
	pid_t pid = fork();
	if (pid == 0) {
		if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0 ||
		    mount("proc", "/proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL) < 0) {
			printf("1..1\nnot ok 1 - a /proc of its own: %s\n", strerror(errno));
			return 1;
		}
		return run_all();
	}
	/* _exit: LeakSanitizer's exit-time scan clones a tracer, which would be born into the
	 * namespace whose init has exited (and abort); this process only waited */
	int st;
	if (pid < 0 || waitpid(pid, &st, 0) != pid || !WIFEXITED(st))
		_exit(1);
	_exit(WEXITSTATUS(st));
}
