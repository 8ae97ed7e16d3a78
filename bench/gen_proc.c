/* gen_proc.c - worker processes, the environment, and the command run inside the namespace. */
#include "gen_proc.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

/* Hold connections [first, first + count) until the stop pipe reaches EOF, which happens when
 * the parent closes it or dies. Reports setup's result (0 or an errno) on READY_FD. */
static _Noreturn void worker_main(struct gen_plan *plan, size_t first, size_t count, bool udp,
				  int ready_fd, int stop_fd)
{
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	int r = udp ? gen_udp_range(plan, first, count) : gen_connect_range(plan, first, count);
	gen_unlisten(plan); /* only the parent holds listeners: one owner per socket */
	int code = -r;
	if (write(ready_fd, &code, sizeof(code)) != (ssize_t)sizeof(code) || r < 0)
		_exit(1);
	close(ready_fd);
	char c;
	ssize_t n;
	while ((n = read(stop_fd, &c, 1)) != 0)
		if (n < 0 && errno != EINTR)
			break;
	_exit(0);
}

/* Fork one worker and wait until it reports. Returns 0 or -errno. */
static int start_one(struct gen_workers *w, struct gen_plan *plan, size_t first, size_t count,
		     bool udp, int stop_rd)
{
	int ready[2];
	if (pipe2(ready, O_CLOEXEC) < 0)
		return -errno;
	pid_t pid = fork();
	if (pid < 0) {
		int err = -errno;
		close(ready[0]);
		close(ready[1]);
		return err;
	}
	if (pid == 0) {
		close(ready[0]);
		close(w->stop_fd);
		worker_main(plan, first, count, udp, ready[1], stop_rd);
	}
	w->pid[w->count++] = pid;
	close(ready[1]);
	int code = EPIPE; /* a worker that dies before reporting */
	ssize_t n;
	while ((n = read(ready[0], &code, sizeof(code))) < 0 && errno == EINTR)
		;
	close(ready[0]);
	return -code;
}

int gen_workers_start(struct gen_workers *w, struct gen_plan *plan, size_t per_worker)
{
	int stop[2];
	if (pipe2(stop, O_CLOEXEC) < 0)
		return -errno;
	w->stop_fd = stop[1];
	int r = 0;
	for (size_t first = 0; r == 0 && first < plan->conns; first += per_worker) {
		size_t count = plan->conns - first < per_worker ? plan->conns - first : per_worker;
		if (w->count == GEN_MAX_WORKERS)
			r = -E2BIG;
		else
			r = start_one(w, plan, first, count, false, stop[0]);
	}
	/* UDP sockets take one fd each: twice as many per worker */
	for (size_t first = 0; r == 0 && first < plan->udp; first += 2 * per_worker) {
		size_t count = plan->udp - first < 2 * per_worker ? plan->udp - first : 2 * per_worker;
		if (w->count == GEN_MAX_WORKERS)
			r = -E2BIG;
		else
			r = start_one(w, plan, first, count, true, stop[0]);
	}
	close(stop[0]);
	return r;
}

void gen_workers_stop(struct gen_workers *w)
{
	if (w->stop_fd > 0)
		close(w->stop_fd);
	w->stop_fd = 0;
	for (size_t i = 0; i < w->count; i++)
		while (waitpid(w->pid[i], NULL, 0) < 0 && errno == EINTR)
			;
	w->count = 0;
}

/* The "tw" field of this namespace's /proc/net/sockstat; 0 when unreadable. */
static size_t sockstat_tw(void)
{
	FILE *f = fopen("/proc/net/sockstat", "re");
	char line[256];
	size_t tw = 0;
	while (f && fgets(line, sizeof(line), f))
		if (sscanf(line, "TCP: inuse %*u orphan %*u tw %zu", &tw) == 1)
			break;
	if (f)
		fclose(f);
	return tw;
}

size_t gen_wait_time_wait(size_t want)
{
	size_t tw = sockstat_tw();
	for (int i = 0; i < 200 && tw < want; i++) {
		nanosleep(&(struct timespec){.tv_nsec = 10 * 1000 * 1000}, NULL);
		tw = sockstat_tw();
	}
	return tw;
}

static int set_num(const char *name, unsigned long long v)
{
	char buf[32];
	snprintf(buf, sizeof(buf), "%llu", v);
	return setenv(name, buf, 1);
}

int gen_export_env(const struct gen_plan *plan, const struct gen_workers *w, size_t tw,
		   double setup_ms)
{
	char pids[16 * (GEN_MAX_WORKERS + 1)];
	int len = snprintf(pids, sizeof(pids), "%d", (int)getpid());
	for (size_t i = 0; i < w->count; i++)
		len += snprintf(pids + len, sizeof(pids) - (size_t)len, ",%d", (int)w->pid[i]);
	int r = set_num("TCPT_BENCH_CONNS", plan->conns);
	r |= set_num("TCPT_BENCH_CONNS6", plan->conns6);
	r |= set_num("TCPT_BENCH_LISTENERS", GEN_LISTENERS);
	r |= set_num("TCPT_BENCH_TW", tw);
	r |= set_num("TCPT_BENCH_UDP", plan->udp);
	r |= set_num("TCPT_BENCH_UDP6", plan->udp6);
	r |= set_num("TCPT_BENCH_SETUP_MS", (unsigned long long)setup_ms);
	r |= setenv("TCPT_BENCH_PIDS", pids, 1);
	return r ? -1 : 0;
}

static volatile sig_atomic_t stop_signal;

static void on_signal(int sig)
{
	stop_signal = sig;
}

/* No SA_RESTART: waitpid() must return EINTR so the loop can act. An interactive command
 * (`gen 1000 -- bash`) keeps the terminal: Ctrl-C is its business, not a reason to stop. */
static void catch_signals(bool interactive)
{
	struct sigaction sa = {.sa_handler = on_signal};
	sigemptyset(&sa.sa_mask);
	int sigs[] = {SIGALRM, SIGTERM, SIGHUP, SIGINT, SIGQUIT};
	for (size_t i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++) {
		bool terminal_key = sigs[i] == SIGINT || sigs[i] == SIGQUIT;
		if (!terminal_key || !interactive)
			sigaction(sigs[i], &sa, NULL);
		else
			signal(sigs[i], SIG_IGN);
	}
}

static int exit_status(int st, int stopped_by)
{
	if (stopped_by == SIGALRM)
		return 124;
	if (WIFEXITED(st))
		return WEXITSTATUS(st);
	return 128 + (WIFSIGNALED(st) ? WTERMSIG(st) : 0);
}

/* Start ARGV. A non-interactive command gets its own process group, so that a timeout kills
 * everything it started; an interactive one stays in the terminal's foreground group. */
static pid_t spawn(char **argv, bool interactive)
{
	pid_t pid = fork();
	if (pid == 0) {
		if (interactive) {
			signal(SIGINT, SIG_DFL);
			signal(SIGQUIT, SIG_DFL);
		} else {
			setpgid(0, 0);
		}
		execvp(argv[0], argv);
		fprintf(stderr, "gen: %s: %s\n", argv[0], strerror(errno));
		_exit(127);
	}
	if (pid > 0 && !interactive)
		setpgid(pid, pid); /* also here: whichever runs first, the group exists before a kill */
	return pid;
}

int gen_run_command(char **argv, unsigned timeout_s)
{
	bool interactive = isatty(STDIN_FILENO);
	catch_signals(interactive);
	pid_t pid = spawn(argv, interactive);
	if (pid < 0)
		return perror("gen: fork"), 125;
	pid_t target = interactive ? pid : -pid;
	alarm(timeout_s);
	int st = 0, stopped_by = 0;
	for (;;) {
		if (stop_signal && !stopped_by) {
			stopped_by = stop_signal;
			fprintf(stderr, "gen: %s, stopping the command\n",
				stopped_by == SIGALRM ? "timed out" : strsignal(stopped_by));
			kill(target, SIGKILL);
		}
		if (waitpid(pid, &st, 0) == pid)
			break;
		if (errno != EINTR)
			return perror("gen: waitpid"), 125;
	}
	alarm(0);
	if (!interactive)
		kill(-pid, SIGKILL); /* anything the command left behind in its group */
	return exit_status(st, stopped_by);
}
