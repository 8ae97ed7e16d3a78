/* gen_conn.h - the sockets of the benchmark's connection generator. */
#ifndef BENCH_GEN_CONN_H
#define BENCH_GEN_CONN_H

#include <stdbool.h>
#include <stddef.h>

/* Listeners: a few per family, so connections spread over several accept queues and the
 * table has rows with different local ports, as on a real server. */
#define GEN_LISTEN4 16
#define GEN_LISTEN6 2
#define GEN_LISTENERS (GEN_LISTEN4 + GEN_LISTEN6)

struct gen_plan {
	size_t conns;  /* established connections (each makes two sockets) */
	size_t conns6; /* of which IPv6, over ::1 */
	size_t tw;     /* TIME-WAIT sockets, made by the parent */
	size_t udp;    /* UDP sockets (gen -u), made by workers of their own */
	size_t udp6;   /* of which IPv6 */
	int lfd[GEN_LISTENERS];
};

#define GEN_MAX_UDP6 20000

/* Plan N connections: 1 % of them (at least none) over IPv6, 1 % TIME-WAIT. */
void gen_plan_init(struct gen_plan *plan, size_t conns);


/* Open every listener of PLAN. Returns 0 or -errno. */
int gen_listen(struct gen_plan *plan);

/* Close the listeners of PLAN (a worker does, once its connections are accepted). */
void gen_unlisten(struct gen_plan *plan);

/* Make connections [first, first + count) of PLAN, holding both ends in this process.
 * Returns 0 or -errno (the first failure; the sockets made so far stay open). */
int gen_connect_range(const struct gen_plan *plan, size_t first, size_t count);

/* Make PLAN's TIME-WAIT sockets: connect, accept, close the client side first. */
int gen_make_time_wait(const struct gen_plan *plan);

/* Plan UDP sockets too (gen_udp.c): 1 % of them IPv6. */
void gen_udp_plan(struct gen_plan *plan, size_t udp);

/* Make UDP sockets [first, first + count) of PLAN, kept open in this process. Returns 0 or
 * -errno (the sockets made so far stay open). */
int gen_udp_range(const struct gen_plan *plan, size_t first, size_t count);

#endif
