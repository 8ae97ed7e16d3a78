/*
 * test_bpf_owners.c - the BPF owner source (iter/task_file) names the same owners as the /proc
 * fd scan: a socket passed over a unix socket to another process, threads that share the file
 * table and one that made its own, pids inside a child pid namespace, streams, and `auto`
 * choosing BPF on a host with many open files. Without root or kernel BTF these skip loudly;
 * under CI=true they fail.
 */
#include "itest.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#define UNIX_NAME "tcpt-unix"

static struct fixture *bpf_fixture(void **state)
{
	struct fixture *f = itest_fixture(state);
	if (!itest_bpf_expected())
		skip();
	return f;
}

/* Every fixture row, from each source in turn, with names: owners as the fixture says. */
static void assert_all_sources(struct fixture *f)
{
	for (size_t i = 0; i < ITEST_NSOURCES; i++) {
		struct tcpt_snapshot *s = itest_take(itest_sources[i], 0, 0, ITEST_WANT_NAMES,
						     TCPT_ORDER_KERNEL);
		itest_assert_rows(f, fx_all(f), s, itest_sources[i], ITEST_WANT_NAMES);
	}
}

/* The owners /proc finds (netlink rows) against those BPF finds, for every row. */
static void assert_bpf_owners_equal_proc_owners(void)
{
	struct tcpt_snapshot *p = itest_take(TCPT_SOURCE_NETLINK, 0, 0, ITEST_WANT_NAMES,
					     TCPT_ORDER_ADDRESS);
	struct tcpt_snapshot *b = itest_take(TCPT_SOURCE_BPF, 0, 0, ITEST_WANT_NAMES,
					     TCPT_ORDER_ADDRESS);
	assert_int_equal(TCPT_SOURCE_PROC, tcpt_snapshot_owner_source(p));
	assert_int_equal(TCPT_SOURCE_BPF, tcpt_snapshot_owner_source(b));
	size_t problems = itest_compare_owners(tcpt_snapshot_rows(p), tcpt_snapshot_count(p),
					       tcpt_snapshot_rows(b), tcpt_snapshot_count(b),
					       ITEST_WANT_NAMES, "/proc vs BPF owners");
	if (problems)
		fail_msg("%zu owner difference(s) (listed above)", problems);
}

/* --- a socket passed over a unix socket --------------------------------------------------- */

static int receive_fd(int sock)
{
	char data;
	union {
		struct cmsghdr h;
		char buf[CMSG_SPACE(sizeof(int))];
	} u;
	struct iovec iov = {&data, 1};
	struct msghdr m = {.msg_iov = &iov, .msg_iovlen = 1, .msg_control = u.buf,
			   .msg_controllen = sizeof(u.buf)};
	if (recvmsg(sock, &m, MSG_CMSG_CLOEXEC) != 1)
		return -1;
	struct cmsghdr *c = CMSG_FIRSTHDR(&m);
	if (!c || c->cmsg_type != SCM_RIGHTS)
		return -1;
	int fd;
	memcpy(&fd, CMSG_DATA(c), sizeof(fd));
	return fd;
}

static void send_fd(int sock, int fd)
{
	char data = 'f';
	union {
		struct cmsghdr h;
		char buf[CMSG_SPACE(sizeof(int))];
	} u;
	memset(&u, 0, sizeof(u));
	struct iovec iov = {&data, 1};
	struct msghdr m = {.msg_iov = &iov, .msg_iovlen = 1, .msg_control = u.buf,
			   .msg_controllen = sizeof(u.buf)};
	struct cmsghdr *c = CMSG_FIRSTHDR(&m);
	c->cmsg_level = SOL_SOCKET;
	c->cmsg_type = SCM_RIGHTS;
	c->cmsg_len = CMSG_LEN(sizeof(int));
	memcpy(CMSG_DATA(c), &fd, sizeof(fd));
	assert_int_equal(1, sendmsg(sock, &m, 0));
}

/* A child that holds nothing but a unix socket (fd 3) and its release pipe (fd 4) receives a
 * socket, says which descriptor it got, and holds it until released. */
static _Noreturn void unix_receiver(int sock, int release)
{
	prctl(PR_SET_NAME, UNIX_NAME, 0, 0, 0);
	if (dup2(sock, 3) < 0 || dup2(release, 4) < 0 || syscall(SYS_close_range, 5, ~0U, 0) < 0)
		_exit(1);
	int fd = receive_fd(3);
	if (fd < 0 || write(3, &fd, sizeof(fd)) != sizeof(fd))
		_exit(2);
	char byte;
	while (read(4, &byte, 1) < 0 && errno == EINTR)
		;
	_exit(0);
}

static void socket_passed_over_a_unix_socket_is_owned_by_its_receiver(void **state)
{
	struct fixture *f = bpf_fixture(state);
	int sv[2], release[2];
	assert_int_equal(0, socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv));
	assert_int_equal(0, pipe2(release, O_CLOEXEC));
	pid_t pid = fork();
	assert_true(pid >= 0);
	if (pid == 0)
		unix_receiver(sv[1], release[0]);
	close(sv[1]);
	close(release[0]);
	itest_register_child(pid, release[1]);
	send_fd(sv[0], f->row[FX_EST4_CLIENT].fd);
	int got = -1;
	assert_int_equal(sizeof(got), read(sv[0], &got, sizeof(got)));
	close(sv[0]);
	assert_true(got >= 5);
	fx_add_owner(f, FX_EST4_CLIENT, pid, got, UNIX_NAME, f->exe);
	assert_all_sources(f);
	assert_bpf_owners_equal_proc_owners();
}

/* --- threads -------------------------------------------------------------------------------- */

struct waiter {
	int go[2];    /* the thread waits for EOF on go[0] */
	int ready[2]; /* and says it is ready on ready[1] */
	bool own_table;
	int closed_fd; /* with its own table: a fixture descriptor the thread closes in it */
	int listener;  /* with its own table: a socket only the thread's table holds */
};

static int listen_on_2099(void)
{
	struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons(2099),
				.sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd >= 0 && (bind(fd, (struct sockaddr *)&a, sizeof(a)) < 0 || listen(fd, 1) < 0)) {
		close(fd);
		fd = -1;
	}
	return fd;
}

static void *waiter_run(void *arg)
{
	struct waiter *w = arg;
	w->listener = -1;
	if (w->own_table && unshare(CLONE_FILES) == 0) {
		close(w->go[1]); /* its copy: else the leader's close would not end the wait */
		close(w->closed_fd);
		w->listener = listen_on_2099();
	}
	if (w->own_table && w->listener < 0)
		printf("# thread with its own table: %s\n", strerror(errno));
	char byte = 'r';
	if (write(w->ready[1], &byte, 1) != 1)
		return NULL;
	while (read(w->go[0], &byte, 1) < 0 && errno == EINTR)
		;
	if (w->listener >= 0)
		close(w->listener);
	return NULL;
}

static void start_waiter(struct waiter *w, pthread_t *t)
{
	assert_int_equal(0, pipe2(w->go, O_CLOEXEC));
	assert_int_equal(0, pipe2(w->ready, O_CLOEXEC));
	assert_int_equal(0, pthread_create(t, NULL, waiter_run, w));
	char byte;
	assert_int_equal(1, read(w->ready[0], &byte, 1));
}

static void stop_waiter(struct waiter *w, pthread_t t)
{
	close(w->go[1]);
	pthread_join(t, NULL);
	close(w->go[0]);
	close(w->ready[0]);
	close(w->ready[1]);
}

/* Threads sharing the table (pthreads) add no owner: each socket is held once. */
static void threads_sharing_the_file_table_count_once(void **state)
{
	struct fixture *f = bpf_fixture(state);
	struct waiter w[2] = {0};
	pthread_t t[2];
	for (int i = 0; i < 2; i++)
		start_waiter(&w[i], &t[i]);
	assert_all_sources(f);
	for (int i = 0; i < 2; i++)
		stop_waiter(&w[i], t[i]);
}

/* A thread that unshared its table holds a copy of it: /proc/PID/fd shows the leader's table
 * only, and so does BPF. Both still name the leader for every socket (also the one the thread
 * closed in its copy), and neither names an owner for the socket only the thread holds. */
static void thread_with_its_own_table_is_seen_as_proc_sees_it(void **state)
{
	struct fixture *f = bpf_fixture(state);
	struct waiter w = {.own_table = true, .closed_fd = f->row[FX_EST6_CLIENT].fd};
	pthread_t t;
	start_waiter(&w, &t);
	assert_true(w.listener >= 0);
	assert_bpf_owners_equal_proc_owners();
	struct tcpt_snapshot *s = itest_take(TCPT_SOURCE_BPF, 0, TCPT_STATE_BIT(TCPT_LISTEN),
					     TCPT_WANT_OWNERS, TCPT_ORDER_KERNEL);
	size_t seen = 0;
	for (size_t i = 0; i < tcpt_snapshot_count(s); i++) {
		const struct tcpt_conn *r = &tcpt_snapshot_rows(s)[i];
		if (r->local_port != 2099)
			continue;
		seen++;
		assert_int_equal(0, r->owner_count);
	}
	assert_int_equal(1, seen);
	stop_waiter(&w, t);
	assert_all_sources(f);
}

/* --- pid namespaces ------------------------------------------------------------------------- */

/* As pid 1 of a new pid namespace with its own /proc: this process inherited every fixture
 * descriptor, so every socket with an owner is owned by pid 1 in both sources. Returns the
 * number of problems. */
static int child_in_pid_namespace(void)
{
	if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0 ||
	    mount("proc", "/proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL) < 0) {
		printf("# mounting /proc: %s\n", strerror(errno));
		return 1;
	}
	struct tcpt_snapshot *p = NULL, *b = NULL;
	struct tcpt_query q = {.source = TCPT_SOURCE_NETLINK, .want = ITEST_WANT_NAMES,
			       .order = TCPT_ORDER_ADDRESS};
	if (tcpt_snapshot_take(&q, &p) < 0)
		return 1;
	q.source = TCPT_SOURCE_BPF;
	if (tcpt_snapshot_take(&q, &b) < 0)
		return 1;
	int problems = tcpt_snapshot_owner_source(b) != TCPT_SOURCE_BPF;
	problems += (int)itest_compare_owners(tcpt_snapshot_rows(p), tcpt_snapshot_count(p),
					      tcpt_snapshot_rows(b), tcpt_snapshot_count(b),
					      ITEST_WANT_NAMES, "pid namespace");
	size_t owned = 0;
	for (size_t i = 0; i < tcpt_snapshot_count(b); i++) {
		const struct tcpt_conn *r = &tcpt_snapshot_rows(b)[i];
		for (uint32_t k = 0; k < r->owner_count; k++, owned++)
			if (r->owners[k].pid != 1) {
				printf("# owner pid %d, expected 1\n", r->owners[k].pid);
				problems++;
			}
	}
	problems += owned == 0;
	tcpt_snapshot_free(p);
	tcpt_snapshot_free(b);
	return problems;
}

static void pids_are_numbered_as_the_callers_pid_namespace_numbers_them(void **state)
{
	bpf_fixture(state);
	fflush(stdout);
	pid_t pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		if (unshare(CLONE_NEWPID | CLONE_NEWNS) < 0)
			_exit(100);
		pid_t inner = fork();
		if (inner < 0)
			_exit(101);
		if (inner == 0) {
			fflush(stdout);
			_exit(child_in_pid_namespace());
		}
		int st;
		if (waitpid(inner, &st, 0) != inner || !WIFEXITED(st))
			_exit(102);
		_exit(WEXITSTATUS(st));
	}
	int st;
	assert_int_equal(pid, waitpid(pid, &st, 0));
	assert_true(WIFEXITED(st));
	assert_int_equal(0, WEXITSTATUS(st));
}

/* --- streams and the automatic choice ------------------------------------------------------- */

struct collected {
	struct tcpt_conn rows[64];
	size_t n;
};

static int collect(const struct tcpt_conn *row, void *ctx)
{
	struct collected *c = ctx;
	if (c->n == 64)
		return -ENOSPC;
	c->rows[c->n] = *row;
	if (row->owner_count) {
		size_t size = row->owner_count * sizeof(*row->owners);
		struct tcpt_owner *o = itest_keep(malloc(size));
		memcpy(o, row->owners, size);
		for (uint32_t k = 0; k < row->owner_count; k++) {
			o[k].name = o[k].name ? itest_keep(strdup(o[k].name)) : NULL;
			o[k].exe = o[k].exe ? itest_keep(strdup(o[k].exe)) : NULL;
		}
		c->rows[c->n].owners = o;
	}
	c->n++;
	return 0;
}

static void stream_gives_the_owners_a_snapshot_gives(void **state)
{
	struct fixture *f = bpf_fixture(state);
	struct collected *c = itest_keep(calloc(1, sizeof(*c)));
	struct tcpt_query q = {.source = TCPT_SOURCE_BPF, .want = ITEST_WANT_NAMES};
	struct tcpt_stream_result res;
	assert_int_equal(0, tcpt_snapshot_stream(&q, collect, c, &res));
	assert_int_equal(TCPT_SOURCE_BPF, res.owner_source);
	assert_int_equal(TCPT_SOURCE_NETLINK, res.source);
	size_t problems = itest_compare(f, fx_all(f), c->rows, c->n, TCPT_SOURCE_BPF,
					ITEST_WANT_NAMES, "BPF stream");
	if (problems)
		fail_msg("%zu difference(s) (listed above)", problems);
}

static void auto_takes_owners_from_bpf_on_a_host_with_many_open_files(void **state)
{
	struct fixture *f = bpf_fixture(state);
	enum { FILES = 12000 };
	struct rlimit old, lim;
	assert_int_equal(0, getrlimit(RLIMIT_NOFILE, &old));
	if (old.rlim_max < FILES + 1024)
		skip();
	lim = old;
	lim.rlim_cur = lim.rlim_max;
	assert_int_equal(0, setrlimit(RLIMIT_NOFILE, &lim));
	int *fds = itest_keep(malloc(FILES * sizeof(int)));
	/* open() each time: dup() would share one file, which file-nr counts once */
	for (int i = 0; i < FILES; i++)
		assert_true((fds[i] = open("/dev/null", O_RDONLY | O_CLOEXEC)) >= 0);
	struct tcpt_snapshot *s = itest_take(TCPT_SOURCE_AUTO, 0, 0, TCPT_WANT_OWNERS,
					     TCPT_ORDER_KERNEL);
	for (int i = 0; i < FILES; i++)
		close(fds[i]);
	setrlimit(RLIMIT_NOFILE, &old);
	assert_int_equal(TCPT_SOURCE_BPF, tcpt_snapshot_owner_source(s));
	itest_assert_rows(f, fx_all(f), s, TCPT_SOURCE_BPF, TCPT_WANT_OWNERS);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
#define T(name) cmocka_unit_test_setup_teardown(name, itest_setup, itest_teardown)
		T(socket_passed_over_a_unix_socket_is_owned_by_its_receiver),
		T(threads_sharing_the_file_table_count_once),
		T(thread_with_its_own_table_is_seen_as_proc_sees_it),
		T(pids_are_numbered_as_the_callers_pid_namespace_numbers_them),
		T(stream_gives_the_owners_a_snapshot_gives),
		T(auto_takes_owners_from_bpf_on_a_host_with_many_open_files),
	};
	return cmocka_run_group_tests_name("integration bpf owners", tests, itest_group_setup,
					   NULL);
}
