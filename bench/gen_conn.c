/* gen_conn.c - listeners, established loopback connections and TIME-WAIT sockets.
 *
 * Every client binds an explicit source address and port: 127.1.x.y (v4) or ::1 (v6), ports
 * from fixed ranges. Ephemeral ports would run out near 28k connections per destination and
 * make setup slow; explicit ones make 100k connections in about 2 s. */
#include "gen_conn.h"

#include <arpa/inet.h>
#include <errno.h>
#include <net/if.h>
#include <netinet/in.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#define LISTEN_PORT4 20000
#define LISTEN_PORT6 20100
#define CLIENT_PORT4 10000 /* v4 clients: 1,000 ports per source address */
#define CLIENT_PORT6 30000 /* v6 clients: all from ::1, one port each */
#define PER_ADDR 1000
#define MAX_CONNS6 30000

union addr {
	struct sockaddr sa;
	struct sockaddr_in in;
	struct sockaddr_in6 in6;
};

void gen_plan_init(struct gen_plan *plan, size_t conns)
{
	memset(plan, 0, sizeof(*plan));
	plan->conns = conns;
	plan->conns6 = conns / 100 < MAX_CONNS6 ? conns / 100 : MAX_CONNS6;
	plan->tw = conns / 100 ? conns / 100 : (conns ? 1 : 0);
	for (int i = 0; i < GEN_LISTENERS; i++)
		plan->lfd[i] = -1;
}

static socklen_t addr4(union addr *a, uint32_t host, uint16_t port)
{
	memset(a, 0, sizeof(*a));
	a->in.sin_family = AF_INET;
	a->in.sin_addr.s_addr = htonl(host);
	a->in.sin_port = htons(port);
	return sizeof(a->in);
}

static socklen_t addr6(union addr *a, uint16_t port)
{
	memset(a, 0, sizeof(*a));
	a->in6.sin6_family = AF_INET6;
	a->in6.sin6_addr = in6addr_loopback;
	a->in6.sin6_port = htons(port);
	return sizeof(a->in6);
}

static int listen_on(const union addr *a, socklen_t len)
{
	int one = 1;
	int fd = socket(a->sa.sa_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (bind(fd, &a->sa, len) < 0 || listen(fd, 4096) < 0) {
		int err = -errno;
		close(fd);
		return err;
	}
	return fd;
}

int gen_listen(struct gen_plan *plan)
{
	union addr a;
	for (int i = 0; i < GEN_LISTENERS; i++) {
		socklen_t len = i < GEN_LISTEN4 ? addr4(&a, INADDR_LOOPBACK, LISTEN_PORT4 + i)
						: addr6(&a, LISTEN_PORT6 + i - GEN_LISTEN4);
		plan->lfd[i] = listen_on(&a, len);
		if (plan->lfd[i] < 0)
			return plan->lfd[i];
	}
	return 0;
}

void gen_unlisten(struct gen_plan *plan)
{
	for (int i = 0; i < GEN_LISTENERS; i++) {
		if (plan->lfd[i] >= 0)
			close(plan->lfd[i]);
		plan->lfd[i] = -1;
	}
}

/* An abortive close (RST) when the holder exits: 200k orderly closes would leave 100k
 * TIME-WAIT sockets in the kernel's table, which every namespace shares. */
static void linger_zero(int fd)
{
	struct linger l = {.l_onoff = 1, .l_linger = 0};
	setsockopt(fd, SOL_SOCKET, SO_LINGER, &l, sizeof(l));
}

/* Connect SRC -> DST and accept the other end on LFD. Loopback finishes the handshake
 * inside connect(), so the accept never blocks. Returns 0 or -errno. */
static int connect_pair(const union addr *src, const union addr *dst, socklen_t len, int lfd,
			int ret_fd[2])
{
	int c = socket(src->sa.sa_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (c < 0)
		return -errno;
	if (bind(c, &src->sa, len) < 0 || connect(c, &dst->sa, len) < 0) {
		int err = -errno;
		close(c);
		return err;
	}
	int s = accept4(lfd, NULL, NULL, SOCK_CLOEXEC);
	if (s < 0) {
		int err = -errno;
		close(c);
		return err;
	}
	ret_fd[0] = c;
	ret_fd[1] = s;
	return 0;
}

/* Connection I of PLAN: its addresses and the listener it goes to. */
static int connect_nth(const struct gen_plan *plan, size_t i, int ret_fd[2])
{
	union addr src, dst;
	size_t n4 = plan->conns - plan->conns6;
	if (i < n4) {
		uint32_t host = (127u << 24) | (1u << 16) | (uint32_t)(i / PER_ADDR);
		int l = (int)(i % GEN_LISTEN4);
		socklen_t len = addr4(&src, host, (uint16_t)(CLIENT_PORT4 + i % PER_ADDR));
		addr4(&dst, INADDR_LOOPBACK, (uint16_t)(LISTEN_PORT4 + l));
		return connect_pair(&src, &dst, len, plan->lfd[l], ret_fd);
	}
	size_t j = i - n4;
	int l = (int)(j % GEN_LISTEN6);
	socklen_t len = addr6(&src, (uint16_t)(CLIENT_PORT6 + j));
	addr6(&dst, (uint16_t)(LISTEN_PORT6 + l));
	return connect_pair(&src, &dst, len, plan->lfd[GEN_LISTEN4 + l], ret_fd);
}

int gen_connect_range(const struct gen_plan *plan, size_t first, size_t count)
{
	for (size_t i = first; i < first + count; i++) {
		int fd[2] = {-1, -1};
		int r = connect_nth(plan, i, fd);
		if (r < 0)
			return r;
		linger_zero(fd[0]);
		linger_zero(fd[1]);
	}
	return 0;
}

int gen_make_time_wait(const struct gen_plan *plan)
{
	union addr src, dst;
	addr4(&dst, INADDR_LOOPBACK, LISTEN_PORT4);
	for (size_t k = 0; k < plan->tw; k++) {
		uint32_t host = (127u << 24) | (2u << 16) | (uint32_t)(k / PER_ADDR);
		socklen_t len = addr4(&src, host, (uint16_t)(CLIENT_PORT4 + k % PER_ADDR));
		int fd[2] = {-1, -1};
		int r = connect_pair(&src, &dst, len, plan->lfd[0], fd);
		if (r < 0)
			return r;
		/* The side that closes first is the one left in TIME-WAIT. */
		close(fd[0]);
		close(fd[1]);
	}
	return 0;
}
