/* watch_events.h - the kernel's socket-destroy notifications (sock_diag multicast groups
 * SKNLGRP_INET_TCP_DESTROY and SKNLGRP_INET6_TCP_DESTROY) decoded into rows. Pure: bytes in,
 * rows out; watch_netlink.h does the socket.
 *
 * Each notification is an inet_diag_msg as in a dump answer, sent when the kernel frees the
 * socket, so it carries the socket's family, addresses, ports, interface and cookie, with
 * state CLOSE, and no uid, inode or owner. Request and TIME-WAIT sockets are not reported.
 * An end closed with a reset (SO_LINGER 0, or `tcptable -K`) has already forgotten its peer
 * when it is freed (tcp_disconnect() zeroes it): its notification says 0.0.0.0:* remotely. */
#ifndef TCPT_CLI_WATCH_EVENTS_H
#define TCPT_CLI_WATCH_EVENTS_H

#include <stddef.h>

#include "tcptable.h"

/*
 * Decode one netlink message MSG of LEN bytes (from its nlmsghdr; LEN may exceed the
 * message, never the reverse) into *ret_row.
 * Returns 1 when decoded; 0 when the message is well formed but not a TCP socket
 * (another message type, family or protocol): nothing to show; -EBADMSG when lengths are
 * inconsistent (shorter than an inet_diag_msg, a length past LEN, a malformed attribute).
 * *ret_row is written only when 1 is returned.
 */
int watch_event_decode(const void *msg, size_t len, struct tcpt_conn *ret_row);

typedef void (*watch_event_fn)(void *ctx, const struct tcpt_conn *row);

/*
 * Decode every message of one datagram BUF of LEN bytes, calling FN(CTX, row) for each TCP
 * socket. A malformed message ends the walk (its length cannot be trusted to find the next);
 * messages that are not TCP sockets are skipped.
 * Returns the number of rows handed to FN.
 */
size_t watch_events_parse(const void *buf, size_t len, watch_event_fn fn, void *ctx);

#endif
