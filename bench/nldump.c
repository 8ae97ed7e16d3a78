/* nldump.c - request, receive loop, and nothing else: the cost every tool must pay. */
#include "nldump.h"

#include <errno.h>
#include <linux/netlink.h>
#include <linux/sock_diag.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

static int send_compat(int fd)
{
	struct {
		struct nlmsghdr nlh;
		struct inet_diag_req req;
	} m = {
		.nlh = {.nlmsg_len = sizeof(m), .nlmsg_type = TCPDIAG_GETSOCK,
			.nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP, .nlmsg_seq = 1},
		.req = {.idiag_family = AF_UNSPEC, .idiag_states = NLDUMP_STATES},
	};
	return send(fd, &m, sizeof(m), 0) < 0 ? -errno : 0;
}

static int send_by_family(int fd, int family)
{
	struct {
		struct nlmsghdr nlh;
		struct inet_diag_req_v2 req;
	} m = {
		.nlh = {.nlmsg_len = sizeof(m), .nlmsg_type = SOCK_DIAG_BY_FAMILY,
			.nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP, .nlmsg_seq = 1},
		.req = {.sdiag_family = (uint8_t)family, .sdiag_protocol = IPPROTO_TCP,
			.idiag_states = NLDUMP_STATES},
	};
	return send(fd, &m, sizeof(m), 0) < 0 ? -errno : 0;
}

/* Walk one datagram. Returns 1 at NLMSG_DONE, 0 to keep reading, or -errno. */
static int walk(const void *buf, size_t len, nldump_fn fn, void *ctx)
{
	int left = (int)len;
	for (const struct nlmsghdr *h = buf; NLMSG_OK(h, left); h = NLMSG_NEXT(h, left)) {
		if (h->nlmsg_type == NLMSG_DONE)
			return 1;
		if (h->nlmsg_type == NLMSG_ERROR) {
			const struct nlmsgerr *e = NLMSG_DATA(h);
			return h->nlmsg_len < NLMSG_LENGTH(sizeof(*e)) ? -EBADMSG
			       : e->error ? e->error : -EBADMSG;
		}
		if (h->nlmsg_len < NLMSG_LENGTH(sizeof(struct inet_diag_msg)))
			return -EBADMSG;
		fn(NLMSG_DATA(h), ctx);
	}
	return left == 0 ? 0 : -EBADMSG;
}

static int receive(int fd, void *buf, size_t bufsize, nldump_fn fn, void *ctx)
{
	for (;;) {
		ssize_t n = recv(fd, buf, bufsize, 0);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return n < 0 ? -errno : -EBADMSG;
		int r = walk(buf, (size_t)n, fn, ctx);
		if (r != 0)
			return r < 0 ? r : 0;
	}
}

static int dump(int fd, enum nldump_mode mode, void *buf, size_t bufsize, nldump_fn fn,
		void *ctx)
{
	if (mode == NLDUMP_COMPAT) {
		int r = send_compat(fd);
		return r < 0 ? r : receive(fd, buf, bufsize, fn, ctx);
	}
	static const int families[] = {AF_INET, AF_INET6};
	for (size_t i = 0; i < 2; i++) {
		int r = send_by_family(fd, families[i]);
		if (r == 0)
			r = receive(fd, buf, bufsize, fn, ctx);
		if (r < 0)
			return r;
	}
	return 0;
}

int nldump_run(enum nldump_mode mode, size_t bufsize, nldump_fn fn, void *ctx)
{
	int fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_SOCK_DIAG);
	if (fd < 0)
		return -errno;
	void *buf = malloc(bufsize);
	int r = buf ? dump(fd, mode, buf, bufsize, fn, ctx) : -ENOMEM;
	free(buf);
	close(fd);
	return r;
}

int nldump_parse_mode(const char *s, enum nldump_mode *ret)
{
	if (strcmp(s, "compat") == 0)
		*ret = NLDUMP_COMPAT;
	else if (strcmp(s, "family") == 0)
		*ret = NLDUMP_BY_FAMILY;
	else
		return -1;
	return 0;
}
