/* diag.h - the NETLINK_SOCK_DIAG source: request, receive loop, decode. */
#ifndef TCPT_DIAG_H
#define TCPT_DIAG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "rowvec.h"

struct nlmsghdr;

/* How the receive loop talks to the kernel; a test replays recorded chunks through it. */
struct diag_transport {
	void *ctx;
	/* Open a fresh channel; set *portid (0 when unchecked). Returns 0 or -errno. */
	int (*open)(void *ctx, uint32_t *portid);
	/* Send one request. Returns 0 or -errno. */
	int (*send)(void *ctx, const void *buf, size_t len);
	/* Receive one datagram into BUF. Returns its length, or -errno (-ENOSPC if it would not
	 * fit, i.e. it was truncated). */
	ssize_t (*recv)(void *ctx, void *buf, size_t len);
	void (*close)(void *ctx);
};

/* The kernel's netlink transport (a NETLINK_SOCK_DIAG socket through libmnl). Its ctx must
 * be set, per call, to a private channel: use diag_collect_kernel(). */
extern const struct diag_transport diag_kernel_transport;

/* Decode one inet_diag_msg answer to a TCP dump (NLH points at nlmsg_len readable bytes) into
 * *ret_row, validating the message and each attribute; diag_decode_msg_proto() for another
 * protocol's dump (the message does not say which protocol it answers).
 * Returns 0; -EBADMSG for a short or inconsistent message; -EPROTO for a family other than
 * AF_INET/AF_INET6. */
int diag_decode_msg(const struct nlmsghdr *nlh, struct tcpt_conn *ret_row);
int diag_decode_msg_proto(const struct nlmsghdr *nlh, uint8_t protocol,
			  struct tcpt_conn *ret_row);

/*
 * Dump the TCP sockets of FAMILIES (TCPT_FAMILY_* mask) whose state is in STATES (normalised
 * mask) through T, appending rows. When both families are wanted, one walk of the kernel's
 * TCP table serves both; a kernel that refuses that gets one walk per family (UDP, which has
 * no such request, always gets one walk per family). A dump the kernel
 * flags as interrupted (NLM_F_DUMP_INTR) is discarded and retried, a bounded number of times.
 * Returns 0 or a negative errno (see tcpt_snapshot_take()); on failure the rows appended by
 * this call are removed.
 */
int diag_collect(const struct diag_transport *t, unsigned families, uint32_t states,
		 struct rowvec *rows);

/* Everything a dump can ask the kernel for. */
struct diag_request {
	unsigned protocols;      /* TCPT_PROTO_* mask; 0 means TCPT_PROTO_TCP */
	unsigned families;       /* TCPT_FAMILY_* mask */
	uint32_t states;         /* normalised state mask */
	const uint8_t *bytecode; /* INET_DIAG_REQ_BYTECODE program, or NULL */
	size_t bytecode_len;
	struct infovec *infos;   /* non-NULL: ask for tcp_info + congestion and keep them here */
};

/* diag_collect() with a filter program and tcp_info. On failure, the rows and infos this call
 * appended are removed. */
int diag_collect_request(const struct diag_transport *t, const struct diag_request *req,
			 struct rowvec *rows);

/* diag_collect_request() through a fresh kernel channel: the real source. */
int diag_collect_kernel(const struct diag_request *req, struct rowvec *rows);

/* Where decoded rows go: a row vector (snapshots) or a consumer called per row (streams). */
struct diag_sink {
	void *ctx;
	/* Take one row and its tcp_info (NULL when none); ROW and INFO are valid only during the
	 * call. Returns 0, or a negative errno that ends the dump with that error. */
	int (*put)(void *ctx, const struct tcpt_conn *row, const struct tcpt_tcp_info *info);
	/* The position a retried walk starts over from, and going back to it (forgetting the
	 * rows put since); a sink that cannot forget (a stream) makes rewind a no-op and must
	 * then ignore repeats itself. */
	size_t (*mark)(void *ctx);
	void (*rewind)(void *ctx, size_t mark);
	bool want_info; /* ask the kernel for tcp_info and the congestion algorithm */
};

/* The dump of diag_collect_request() (REQ->infos unused: SINK says whether tcp_info is
 * wanted), handing each row to SINK. On failure the sink is rewound to where it started. */
int diag_dump(const struct diag_transport *t, const struct diag_request *req,
	      const struct diag_sink *sink);

/* diag_dump() through a fresh kernel channel. */
int diag_dump_kernel(const struct diag_request *req, const struct diag_sink *sink);

#endif
