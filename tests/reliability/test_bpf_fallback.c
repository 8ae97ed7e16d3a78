/* test_bpf_fallback.c - where the BPF owner source cannot load, TCPT_SOURCE_BPF and
 * TCPT_SOURCE_AUTO give the rows and owners of the /proc scan, silently: as nobody, with
 * bpf() denied (EPERM) or missing (ENOSYS) by seccomp, and with the kernel BTF hidden (the
 * TCPT_BPF_BTF test hook). And no descriptor (so no program, map or link) outlives a call:
 * 10,000 calls through the failing load, a hundred through the working one (each costs a
 * load: ~20 ms), 10,000 through one tcpt_context (one load, then a walk per call) with
 * everything gone at tcpt_context_free(). A context serves threads at once, falls back
 * like a call without one, and serves no thread that has dropped the capabilities. Each
 * case runs in a forked child; its exit status counts its failures. */
// clang-format off
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
// clang-format on

#include <errno.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sched.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>
#include <linux/capability.h>
#include <pthread.h>

#include "check.h"
#include "rel.h"
#include "sandbox.h"

static bool have_netns;
static int fds[16];

static int group_setup(void **state)
{
	(void)state;
	bool skip;
	have_netns = rel_netns("reliability bpf_fallback", &skip) == 0 &&
		     rel_open_sockets(fds, 16) > 0;
	return 0;
}

static int take_with(enum tcpt_source source, unsigned want, struct tcpt_context *context,
		     struct tcpt_snapshot **ret)
{
	struct tcpt_query q = {.source = source, .want = want, .order = TCPT_ORDER_ADDRESS,
			       .context = context};
	*ret = NULL;
	return tcpt_snapshot_take(&q, ret);
}

static int take(enum tcpt_source source, unsigned want, struct tcpt_snapshot **ret)
{
	return take_with(source, want, NULL, ret);
}

/* Fail unless the kernel BPF source works here as root: then the fallbacks prove something. */
static void require_bpf(void)
{
	if (!have_netns)
		skip();
	struct tcpt_snapshot *s;
	assert_int_equal(0, take(TCPT_SOURCE_BPF, TCPT_WANT_OWNERS, &s));
	enum tcpt_source owners = tcpt_snapshot_owner_source(s);
	tcpt_snapshot_free(s);
	if (owners != TCPT_SOURCE_BPF && getenv("CI") && strcmp(getenv("CI"), "true") == 0)
		fail_msg("BPF owner source unavailable as root; under CI=true that is a failure");
	if (owners != TCPT_SOURCE_BPF) {
		printf("# BPF owner source unavailable as root (no BTF?): fallbacks NOT TESTED\n");
		skip();
	}
}

/* Rows equal field by field (both from netlink, in address order); owners too when
 * WITH_OWNERS. */
static void expect_same_rows(const struct tcpt_snapshot *want, const struct tcpt_snapshot *got,
			     bool with_owners)
{
	size_t n = tcpt_snapshot_count(want);
	EXPECT_EQ(n, tcpt_snapshot_count(got));
	if (n != tcpt_snapshot_count(got))
		return;
	const struct tcpt_conn *a = tcpt_snapshot_rows(want), *b = tcpt_snapshot_rows(got);
	for (size_t i = 0; i < n; i++) {
		EXPECT_EQ(a[i].cookie, b[i].cookie);
		EXPECT_EQ(a[i].state, b[i].state);
		EXPECT_EQ(a[i].local_port, b[i].local_port);
		EXPECT_EQ(a[i].remote_port, b[i].remote_port);
		EXPECT_TRUE(memcmp(a[i].local_addr, b[i].local_addr, 16) == 0);
		EXPECT_TRUE(memcmp(a[i].remote_addr, b[i].remote_addr, 16) == 0);
		EXPECT_EQ(a[i].inode, b[i].inode);
		EXPECT_EQ(a[i].uid, b[i].uid);
		EXPECT_EQ(a[i].rqueue, b[i].rqueue);
		EXPECT_EQ(a[i].wqueue, b[i].wqueue);
		if (!with_owners)
			continue;
		EXPECT_EQ(a[i].owner_count, b[i].owner_count);
		for (uint32_t k = 0; k < a[i].owner_count && k < b[i].owner_count; k++) {
			EXPECT_EQ(a[i].owners[k].pid, b[i].owners[k].pid);
			EXPECT_EQ(a[i].owners[k].fd, b[i].owners[k].fd);
			EXPECT_TRUE(a[i].owners[k].name && b[i].owners[k].name &&
				    strcmp(a[i].owners[k].name, b[i].owners[k].name) == 0);
		}
	}
}

/* BPF and AUTO both: no error, owners from /proc, the rows (and owners) the /proc scan gives
 * this process (a forked child: it holds every socket its parent does). */
static void expect_fallback(bool with_owners)
{
	static const enum tcpt_source sources[] = {TCPT_SOURCE_BPF, TCPT_SOURCE_AUTO};
	struct tcpt_snapshot *by_proc;
	EXPECT_EQ(0, take(TCPT_SOURCE_NETLINK, TCPT_WANT_OWNERS | TCPT_WANT_PROCESS, &by_proc));
	if (!by_proc)
		return;
	EXPECT_TRUE(tcpt_snapshot_count(by_proc) >= 10);
	for (size_t i = 0; i < 2; i++) {
		struct tcpt_snapshot *s;
		EXPECT_EQ(0, take(sources[i], TCPT_WANT_OWNERS | TCPT_WANT_PROCESS, &s));
		if (!s)
			continue;
		EXPECT_EQ(TCPT_SOURCE_PROC, tcpt_snapshot_owner_source(s));
		EXPECT_EQ(TCPT_SOURCE_NETLINK, tcpt_snapshot_source(s));
		expect_same_rows(by_proc, s, with_owners);
		tcpt_snapshot_free(s);
	}
}

/* seccomp: bpf() fails with ERR (and nothing else is filtered). 0 or -1. */
static int deny_bpf(int err)
{
	struct sock_filter code[] = {
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, arch)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, AUDIT_ARCH_X86_64, 1, 0),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, __NR_bpf, 0, 1),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | (unsigned)err),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
	};
	struct sock_fprog prog = {.len = sizeof(code) / sizeof(*code), .filter = code};
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0 ||
	    prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog) < 0)
		return -1;
	return syscall(__NR_bpf, 0, NULL, 0) < 0 && errno == err ? 0 : -1;
}

static int deny_bpf_eperm(void)
{
	return deny_bpf(EPERM);
}

static int deny_bpf_enosys(void)
{
	return deny_bpf(ENOSYS);
}

static int hide_btf(void)
{
	return setenv("TCPT_BPF_BTF", "/nonexistent/vmlinux", 1);
}

static void child_fallback_with_owners(void)
{
	expect_fallback(true);
}

/* As nobody the /proc scan cannot read root's processes: rows equal, owners not compared. */
static void child_fallback_rows(void)
{
	expect_fallback(false);
}

static void as_nobody_bpf_and_auto_fall_back_to_proc(void **state)
{
	(void)state;
	require_bpf();
	check_in_child(sandbox_become_nobody, child_fallback_rows);
}

static void with_bpf_denied_by_seccomp_owners_come_from_proc(void **state)
{
	(void)state;
	require_bpf();
	check_in_child(deny_bpf_eperm, child_fallback_with_owners);
}

static void with_bpf_missing_owners_come_from_proc(void **state)
{
	(void)state;
	require_bpf();
	check_in_child(deny_bpf_enosys, child_fallback_with_owners);
}

static void with_kernel_btf_hidden_owners_come_from_proc(void **state)
{
	(void)state;
	require_bpf();
	check_in_child(hide_btf, child_fallback_with_owners);
}

/* --- nothing outlives a call ------------------------------------------------------------- */

static void calls_leave_the_descriptors_as_they_were(int calls, enum tcpt_source want_used)
{
	char before[4096], after[4096];
	int n0 = rel_fd_list(before, sizeof(before));
	for (int i = 0; i < calls; i++) {
		struct tcpt_snapshot *s;
		int r = take(TCPT_SOURCE_BPF, TCPT_WANT_OWNERS, &s);
		if (r != 0 || tcpt_snapshot_owner_source(s) != want_used) {
			EXPECT_EQ(0, r);
			EXPECT_EQ(want_used, tcpt_snapshot_owner_source(s));
			tcpt_snapshot_free(s);
			return;
		}
		tcpt_snapshot_free(s);
	}
	int n1 = rel_fd_list(after, sizeof(after));
	EXPECT_EQ(n0, n1);
	if (n0 != n1)
		printf("# descriptors before: %s\n# after: %s\n", before, after);
}

/* Run FN as pid 1 of a new pid namespace with a /proc of its own, after ENTER (may be NULL):
 * the owner scans there see two processes, so that thousands of calls stay quick. Its
 * failures count as this process's. */
static void in_small_pid_namespace(int (*enter)(void), void (*fn)(void))
{
	if (unshare(CLONE_NEWPID | CLONE_NEWNS) < 0) {
		printf("# unshare: %s\n", strerror(errno));
		check_failed++;
		return;
	}
	fflush(stdout);
	pid_t pid = fork();
	if (pid == 0) {
		if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0 ||
		    mount("proc", "/proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL) < 0 ||
		    (enter && enter() < 0)) {
			printf("# pid namespace set-up: %s\n", strerror(errno));
			_exit(1);
		}
		fn();
		fflush(stdout);
		_exit(check_failed > 100 ? 100 : (int)check_failed);
	}
	int st;
	if (pid < 0 || waitpid(pid, &st, 0) != pid || !WIFEXITED(st))
		check_failed++;
	else
		check_failed += (unsigned long)WEXITSTATUS(st);
}

static void failing_loads(void)
{
	calls_leave_the_descriptors_as_they_were(10000, TCPT_SOURCE_PROC);
}

static void working_loads(void)
{
	calls_leave_the_descriptors_as_they_were(100, TCPT_SOURCE_BPF);
}

static void child_failing_loads(void)
{
	in_small_pid_namespace(deny_bpf_eperm, failing_loads);
}

static void child_working_loads(void)
{
	in_small_pid_namespace(NULL, working_loads);
}

static void no_descriptor_outlives_ten_thousand_failed_loads(void **state)
{
	(void)state;
	require_bpf();
	check_in_child(NULL, child_failing_loads);
}

static void no_descriptor_outlives_a_hundred_loads(void **state)
{
	(void)state;
	require_bpf();
	check_in_child(NULL, child_working_loads);
}

/* --- contexts ---------------------------------------------------------------------------- */

/* CALLS snapshots through CONTEXT, each with owners from WANT_USED; 0, or -1 at the first
 * that is not (counted as a failure). */
static int calls_through(struct tcpt_context *context, int calls, enum tcpt_source want_used)
{
	for (int i = 0; i < calls; i++) {
		struct tcpt_snapshot *s;
		int r = take_with(TCPT_SOURCE_AUTO, TCPT_WANT_OWNERS | TCPT_WANT_PROCESS, context,
				  &s);
		enum tcpt_source used = tcpt_snapshot_owner_source(s);
		tcpt_snapshot_free(s);
		if (r != 0 || used != want_used) {
			EXPECT_EQ(0, r);
			EXPECT_EQ(want_used, used);
			printf("# call %d of %d\n", i + 1, calls);
			return -1;
		}
	}
	return 0;
}

/* Through CONTEXT: the owners the /proc scan gives, and the source WANT_USED named. */
static void expect_proc_owners_through(struct tcpt_context *context, enum tcpt_source want_used)
{
	struct tcpt_snapshot *by_proc, *s;
	EXPECT_EQ(0, take(TCPT_SOURCE_NETLINK, TCPT_WANT_OWNERS | TCPT_WANT_PROCESS, &by_proc));
	EXPECT_EQ(0, take_with(TCPT_SOURCE_AUTO, TCPT_WANT_OWNERS | TCPT_WANT_PROCESS, context,
			       &s));
	if (by_proc && s) {
		EXPECT_TRUE(tcpt_snapshot_count(by_proc) >= 10);
		EXPECT_EQ(want_used, tcpt_snapshot_owner_source(s));
		expect_same_rows(by_proc, s, true);
	}
	tcpt_snapshot_free(by_proc);
	tcpt_snapshot_free(s);
}

static int count_owned(const struct tcpt_conn *row, void *ctx)
{
	*(size_t *)ctx += row->owner_count > 0;
	return 0;
}

static void ten_thousand_calls_through_a_context(void)
{
	char before[4096], loaded[4096], after[4096];
	int n0 = rel_fd_list(before, sizeof(before));
	struct tcpt_context *c = NULL;
	EXPECT_EQ(0, tcpt_context_new(&c));
	if (!c || calls_through(c, 1, TCPT_SOURCE_BPF) < 0) {
		tcpt_context_free(c);
		return;
	}
	int n1 = rel_fd_list(loaded, sizeof(loaded));
	EXPECT_TRUE(n1 > n0); /* the program, its map and link stay open */
	calls_through(c, 9999, TCPT_SOURCE_BPF);
	EXPECT_EQ(n1, rel_fd_list(after, sizeof(after)));
	expect_proc_owners_through(c, TCPT_SOURCE_BPF);
	/* a stream uses the context as a snapshot does */
	struct tcpt_query q = {.want = TCPT_WANT_OWNERS, .context = c};
	struct tcpt_stream_result res = {0};
	size_t owned = 0;
	EXPECT_EQ(0, tcpt_snapshot_stream(&q, count_owned, &owned, &res));
	EXPECT_EQ(TCPT_SOURCE_BPF, res.owner_source);
	EXPECT_TRUE(owned >= 10);
	tcpt_context_free(c);
	int n2 = rel_fd_list(after, sizeof(after));
	EXPECT_EQ(n0, n2);
	if (n0 != n2)
		printf("# descriptors before: %s\n# loaded: %s\n# after: %s\n", before, loaded,
		       after);
}

static void refused_context_falls_back_every_call(void)
{
	char before[4096], after[4096];
	int n0 = rel_fd_list(before, sizeof(before));
	struct tcpt_context *c = NULL;
	EXPECT_EQ(0, tcpt_context_new(&c));
	if (c && calls_through(c, 1000, TCPT_SOURCE_PROC) == 0)
		expect_proc_owners_through(c, TCPT_SOURCE_PROC);
	EXPECT_EQ(n0, rel_fd_list(after, sizeof(after)));
	tcpt_context_free(c);
	EXPECT_EQ(n0, rel_fd_list(after, sizeof(after)));
}

/* Clear CAP_BPF, CAP_PERFMON and CAP_SYS_ADMIN from the calling thread's effective set. */
static int drop_bpf_capabilities(void)
{
	struct __user_cap_header_struct head = {.version = _LINUX_CAPABILITY_VERSION_3};
	struct __user_cap_data_struct data[_LINUX_CAPABILITY_U32S_3];
	memset(data, 0, sizeof(data));
	if (syscall(SYS_capget, &head, data) < 0)
		return -1;
	static const unsigned caps[] = {38 /* CAP_PERFMON */, 39 /* CAP_BPF */, CAP_SYS_ADMIN};
	for (size_t i = 0; i < sizeof(caps) / sizeof(caps[0]); i++)
		data[caps[i] / 32].effective &= ~(1u << (caps[i] % 32));
	return (int)syscall(SYS_capset, &head, data);
}

static void context_serves_no_thread_without_the_capabilities(void)
{
	struct tcpt_context *c = NULL;
	EXPECT_EQ(0, tcpt_context_new(&c));
	if (c && calls_through(c, 1, TCPT_SOURCE_BPF) == 0) {
		EXPECT_EQ(0, drop_bpf_capabilities());
		expect_proc_owners_through(c, TCPT_SOURCE_PROC);
	}
	tcpt_context_free(c);
}

struct sharer {
	pthread_t thread;
	struct tcpt_context *context;
	int bad; /* calls that failed or did not use BPF */
};

static void *share_context(void *arg)
{
	struct sharer *t = arg;
	for (int i = 0; i < 200; i++) {
		struct tcpt_snapshot *s;
		int r = take_with(TCPT_SOURCE_AUTO, TCPT_WANT_OWNERS, t->context, &s);
		t->bad += r != 0 || tcpt_snapshot_owner_source(s) != TCPT_SOURCE_BPF ||
			  tcpt_snapshot_count(s) < 10;
		tcpt_snapshot_free(s);
	}
	return NULL;
}

static void threads_share_a_context(void)
{
	enum { THREADS = 4 };
	struct sharer t[THREADS];
	struct tcpt_context *c = NULL;
	EXPECT_EQ(0, tcpt_context_new(&c));
	if (!c)
		return;
	/* none loaded yet: the threads race to load it, one does */
	for (int i = 0; i < THREADS; i++) {
		t[i] = (struct sharer){.context = c};
		EXPECT_EQ(0, pthread_create(&t[i].thread, NULL, share_context, &t[i]));
	}
	for (int i = 0; i < THREADS; i++) {
		pthread_join(t[i].thread, NULL);
		EXPECT_EQ(0, t[i].bad);
	}
	tcpt_context_free(c);
}

static void child_context_calls(void)
{
	in_small_pid_namespace(NULL, ten_thousand_calls_through_a_context);
}

static void child_refused_context(void)
{
	in_small_pid_namespace(deny_bpf_eperm, refused_context_falls_back_every_call);
}

static void no_descriptor_outlives_ten_thousand_calls_through_a_context(void **state)
{
	(void)state;
	require_bpf();
	check_in_child(NULL, child_context_calls);
}

static void a_refused_context_falls_back_on_every_call(void **state)
{
	(void)state;
	require_bpf();
	check_in_child(NULL, child_refused_context);
}

static void a_context_serves_no_thread_that_dropped_its_capabilities(void **state)
{
	(void)state;
	require_bpf();
	check_in_child(NULL, context_serves_no_thread_without_the_capabilities);
}

static void threads_load_and_read_one_context_at_once(void **state)
{
	(void)state;
	require_bpf();
	check_in_child(NULL, threads_share_a_context);
}

static void context_arguments(void **state)
{
	(void)state;
	assert_int_equal(-EINVAL, tcpt_context_new(NULL));
	tcpt_context_free(NULL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(as_nobody_bpf_and_auto_fall_back_to_proc),
		cmocka_unit_test(with_bpf_denied_by_seccomp_owners_come_from_proc),
		cmocka_unit_test(with_bpf_missing_owners_come_from_proc),
		cmocka_unit_test(with_kernel_btf_hidden_owners_come_from_proc),
		cmocka_unit_test(no_descriptor_outlives_ten_thousand_failed_loads),
		cmocka_unit_test(no_descriptor_outlives_a_hundred_loads),
		cmocka_unit_test(no_descriptor_outlives_ten_thousand_calls_through_a_context),
		cmocka_unit_test(a_refused_context_falls_back_on_every_call),
		cmocka_unit_test(a_context_serves_no_thread_that_dropped_its_capabilities),
		cmocka_unit_test(threads_load_and_read_one_context_at_once),
		cmocka_unit_test(context_arguments),
	};
	return cmocka_run_group_tests(tests, group_setup, NULL);
}
