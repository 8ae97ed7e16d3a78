/*
 * gen - make N established loopback connections in a private network namespace, then run a
 * command inside that namespace and clean up.
 *
 * usage: gen [-t TIMEOUT_S] [-w CONNS_PER_WORKER] [-u UDP_SOCKETS] N -- COMMAND [ARG...]
 *
 * The hard RLIMIT_NOFILE here is 20,000 and cannot be raised, so the connections are spread
 * over worker processes that each hold both ends of theirs (2 fds per connection). Only this
 * process keeps the listeners. The command learns what exists from the environment:
 *   TCPT_BENCH_CONNS, TCPT_BENCH_CONNS6, TCPT_BENCH_UDP, TCPT_BENCH_UDP6 (UDP sockets, made
 *   by workers of their own, gen_udp.c), TCPT_BENCH_LISTENERS, TCPT_BENCH_TW (TIME-WAIT
 *   sockets the kernel held after setup), TCPT_BENCH_PIDS (this process and the workers,
 *   comma-separated), TCPT_BENCH_SETUP_MS.
 * Exit status: the command's; 124 when it ran out of time; 125 when setup failed.
 * With a terminal on stdin the command is interactive (`gen 100000 -- bash`: a shell in the
 * namespace, to profile by hand): it keeps the terminal and Ctrl-C does not stop gen.
 */
#include "gen_conn.h"
#include "gen_proc.h"
#include "netns.h"

#include <errno.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

struct options {
	unsigned timeout_s;
	size_t per_worker;
	size_t conns;
	size_t udp;
	char **argv;
};

static int usage(void)
{
	fprintf(stderr, "usage: gen [-t TIMEOUT_S] [-w CONNS_PER_WORKER] [-u UDP_SOCKETS] N -- "
			"COMMAND [ARG...]\n");
	return 125;
}

static int parse_size(const char *s, size_t *ret)
{
	char *end;
	errno = 0;
	unsigned long long v = strtoull(s, &end, 10);
	if (errno || end == s || *end || s[0] == '-')
		return -1;
	*ret = (size_t)v;
	return 0;
}

static int parse_options(int argc, char **argv, struct options *o)
{
	size_t t = 3600;
	o->per_worker = 9900; /* 19,800 fds, under the 20,000 hard limit */
	int opt;
	o->udp = 0;
	while ((opt = getopt(argc, argv, "+t:w:u:")) != -1) {
		if (opt == 'u' && parse_size(optarg, &o->udp) == 0)
			continue;
		if (opt == 't' && parse_size(optarg, &t) == 0 && t > 0)
			continue;
		if (opt == 'w' && parse_size(optarg, &o->per_worker) == 0 && o->per_worker > 0)
			continue;
		return -1;
	}
	/* N, "--", then at least the command's name */
	if (optind + 2 >= argc || parse_size(argv[optind], &o->conns) < 0 ||
	    strcmp(argv[optind + 1], "--") != 0)
		return -1;
	o->timeout_s = (unsigned)t;
	o->argv = argv + optind + 2;
	return 0;
}

/* Workers need about 2 fds per connection; the soft limit is often 1,024. */
static void raise_nofile(void)
{
	struct rlimit rl;
	if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < rl.rlim_max) {
		rl.rlim_cur = rl.rlim_max;
		setrlimit(RLIMIT_NOFILE, &rl);
	}
}

static double now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static int setup(struct gen_plan *plan, const struct options *o, struct gen_workers *w)
{
	int r;
	if ((r = test_netns_enter()) < 0)
		return fprintf(stderr, "gen: a private network namespace: %s\n", strerror(-r)), -1;
	if ((r = gen_listen(plan)) < 0)
		return fprintf(stderr, "gen: loopback/listen: %s\n", strerror(-r)), -1;
	if ((r = gen_workers_start(w, plan, o->per_worker)) < 0)
		return fprintf(stderr, "gen: connections: %s\n", strerror(-r)), -1;
	if ((r = gen_make_time_wait(plan)) < 0)
		return fprintf(stderr, "gen: TIME-WAIT sockets: %s\n", strerror(-r)), -1;
	return 0;
}

int main(int argc, char **argv)
{
	struct options o;
	if (parse_options(argc, argv, &o) < 0)
		return usage();
	raise_nofile();

	struct gen_plan plan;
	struct gen_workers w = {0};
	gen_plan_init(&plan, o.conns);
	gen_udp_plan(&plan, o.udp);
	double t0 = now_ms();
	if (setup(&plan, &o, &w) < 0) {
		gen_workers_stop(&w);
		return 125;
	}
	size_t tw = gen_wait_time_wait(plan.tw);
	double setup_ms = now_ms() - t0;
	fprintf(stderr, "gen: %zu connections (%zu IPv6), %zu UDP sockets (%zu IPv6) in %zu "
		"workers, %d listeners, %zu TIME-WAIT; setup %.2f s\n", plan.conns, plan.conns6,
		plan.udp, plan.udp6, w.count, GEN_LISTENERS, tw, setup_ms / 1e3);
	if (gen_export_env(&plan, &w, tw, setup_ms) < 0) {
		gen_workers_stop(&w);
		return 125;
	}
	int status = gen_run_command(o.argv, o.timeout_s);
	gen_workers_stop(&w);
	gen_unlisten(&plan);
	return status;
}
