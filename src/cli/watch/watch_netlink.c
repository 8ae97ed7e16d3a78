/* watch_netlink.c - subscribing to sock_diag destroy notifications and reading them. */
#include "watch_netlink.h"

#include <errno.h>
#include <linux/netlink.h>
#include <linux/sock_diag.h>
#include <stdint.h>
#include <sys/socket.h>
#include <unistd.h>

/* A burst of closes (a server shutting down) must not overrun the socket between two
 * refreshes; each notification is ~400 bytes with tcp_info. */
enum { RCVBUF_BYTES = 1 << 20 };

/* bind(2) takes the groups as the old 32-bit mask, bit (group - 1). It must be bind and not
 * NETLINK_ADD_MEMBERSHIP alone: an unbound netlink socket has port id 0, the kernel's own,
 * and multicast delivery skips it. */
static uint32_t destroy_groups(void)
{
	return 1u << (SKNLGRP_INET_TCP_DESTROY - 1) | 1u << (SKNLGRP_INET6_TCP_DESTROY - 1);
}

int watch_netlink_open(void)
{
	int fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC | SOCK_NONBLOCK, NETLINK_SOCK_DIAG);
	if (fd < 0)
		return -errno;
	int size = RCVBUF_BYTES;
	(void)setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &size, sizeof(size)); /* best effort */
	struct sockaddr_nl addr = {.nl_family = AF_NETLINK, .nl_groups = destroy_groups()};
	if (bind(fd, (struct sockaddr *)&addr, sizeof(addr)) < 0) {
		int err = -errno;
		close(fd);
		return err;
	}
	return fd;
}

int watch_netlink_drain(int fd, watch_event_fn fn, void *ctx)
{
	/* 8 KiB, as the kernel's NLMSG_GOODSIZE: one notification per datagram, never cut */
	static _Alignas(struct nlmsghdr) unsigned char buf[8192];
	int lost = 0;
	for (;;) {
		struct sockaddr_nl from;
		socklen_t fromlen = sizeof(from);
		ssize_t n = recvfrom(fd, buf, sizeof(buf), MSG_TRUNC, (struct sockaddr *)&from,
				     &fromlen);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			if (errno == ENOBUFS) { /* overrun: some were dropped, keep reading */
				lost = -ENOBUFS;
				continue;
			}
			return errno == EAGAIN || errno == EWOULDBLOCK ? lost : -errno;
		}
		if (from.nl_pid != 0 || (size_t)n > sizeof(buf))
			continue; /* not from the kernel, or cut short: not to be trusted */
		watch_events_parse(buf, (size_t)n, fn, ctx);
	}
}
