/* gen_proc.h - the generator's processes: workers holding connections, the command. */
#ifndef BENCH_GEN_PROC_H
#define BENCH_GEN_PROC_H

#include <stddef.h>
#include <sys/types.h>

#include "gen_conn.h"

#define GEN_MAX_WORKERS 1024

struct gen_workers {
	size_t count;
	pid_t pid[GEN_MAX_WORKERS];
	int stop_fd; /* write end of the pipe whose EOF tells every worker to exit; 0 = none */
};

/* Fork workers one after another, each making PER_WORKER of PLAN's connections (the last
 * one the rest). One at a time, so that a worker accepts only its own connections from the
 * shared listeners. Returns 0 once all are ready, or -errno (workers already started stay
 * in W for gen_workers_stop()). */
int gen_workers_start(struct gen_workers *w, struct gen_plan *plan, size_t per_worker);

/* Tell the workers to exit (their sockets close with RST) and reap them. */
void gen_workers_stop(struct gen_workers *w);

/* Wait (at most 2 s) until this namespace holds WANT TIME-WAIT sockets, as counted by
 * /proc/net/sockstat; a few may lag right after creation. Returns the count seen. */
size_t gen_wait_time_wait(size_t want);

/* Put the TCPT_BENCH_* variables in the environment. Returns 0 or -1. */
int gen_export_env(const struct gen_plan *plan, const struct gen_workers *w, size_t tw,
		   double setup_ms);

/* Run ARGV in its own process group, killing the group after TIMEOUT_S seconds or when this
 * process is told to stop. Returns its exit status, 128 + signal, or 124 on timeout. */
int gen_run_command(char **argv, unsigned timeout_s);

#endif
