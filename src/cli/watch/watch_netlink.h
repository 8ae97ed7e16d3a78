/* watch_netlink.h - the socket that receives the kernel's TCP destroy notifications. */
#ifndef TCPT_CLI_WATCH_NETLINK_H
#define TCPT_CLI_WATCH_NETLINK_H

#include "watch_events.h"

/*
 * Open a nonblocking, close-on-exec NETLINK_SOCK_DIAG socket subscribed to the IPv4 and
 * IPv6 TCP destroy groups of the calling thread's network namespace.
 * Returns the descriptor, or a negative errno (socket(2) or bind(2) refused: no sock_diag
 * in the kernel, a seccomp policy, ...); the view then works without events.
 */
int watch_netlink_open(void);

/*
 * Read every notification waiting on FD (without blocking), handing each decoded TCP row to
 * FN(CTX, row). Returns 0; -ENOBUFS when the kernel dropped notifications because the
 * socket's buffer was full (the rest were still read); another negative errno when reading
 * failed.
 */
int watch_netlink_drain(int fd, watch_event_fn fn, void *ctx);

#endif
