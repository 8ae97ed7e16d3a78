/* nldump.h - the smallest complete NETLINK_SOCK_DIAG dump of TCP sockets, for the floors. */
#ifndef BENCH_NLDUMP_H
#define BENCH_NLDUMP_H

#include <linux/inet_diag.h>
#include <stddef.h>
#include <stdint.h>

enum nldump_mode {
	/* TCPDIAG_GETSOCK with family AF_UNSPEC: one walk of the kernel's table for both
	 * families (the old request; the kernel still serves it) */
	NLDUMP_COMPAT,
	/* SOCK_DIAG_BY_FAMILY for AF_INET, then for AF_INET6: two walks, what ss does */
	NLDUMP_BY_FAMILY,
};

/* Every state ss -a shows: ESTABLISHED..CLOSING (bits 1-11). Not BOUND_INACTIVE (13), whose
 * dump walks a second table (bhash), nor the kernel-internal NEW_SYN_RECV bit. */
#define NLDUMP_STATES 0xffeu

/* Called once per socket, with a message whose fixed part has been length-checked. */
typedef void (*nldump_fn)(const struct inet_diag_msg *msg, void *ctx);

/* Dump the TCP sockets of the current network namespace, calling FN for each.
 * BUFSIZE is the receive buffer (the kernel sends at most ~32 KB per datagram anyway).
 * Returns 0, or -errno (-EBADMSG for a malformed answer, the kernel's error otherwise). */
int nldump_run(enum nldump_mode mode, size_t bufsize, nldump_fn fn, void *ctx);

/* Parse "compat" or "family". Returns 0 or -1. */
int nldump_parse_mode(const char *s, enum nldump_mode *ret);

#endif
