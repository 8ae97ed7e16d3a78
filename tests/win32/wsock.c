/* wsock.c - Linux socket helpers for the win32 tests (see wsock.h). */
#include "wsock.h"

#include <arpa/inet.h>
#include <errno.h>
#include <linux/capability.h>
#include <netinet/in.h>
#include <poll.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cmocka.h>

#include "netns.h"

static enum { NS_UNKNOWN, NS_OK, NS_SKIP, NS_FAIL } ns_status;

int wsock_group_setup(void **state)
{
	(void)state;
	bool skip = true;
	if (test_netns_require("win32 tests", &skip) == 0)
		ns_status = NS_OK;
	else
		ns_status = skip ? NS_SKIP : NS_FAIL;
	return 0;
}

void wsock_fresh_netns(void)
{
	if (ns_status == NS_SKIP)
		skip();
	if (ns_status != NS_OK)
		fail_msg("no private network namespace (root needed; CI=true makes this a failure)");
	int r = test_netns_enter();
	if (r < 0)
		fail_msg("fresh network namespace: %s", strerror(-r));
}

struct addr {
	struct sockaddr_storage ss;
	socklen_t len;
	int family;
};

static struct addr parse(const char *text, uint16_t port)
{
	struct addr a;
	memset(&a, 0, sizeof(a));
	struct sockaddr_in *s4 = (struct sockaddr_in *)&a.ss;
	struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)&a.ss;
	if (inet_pton(AF_INET, text, &s4->sin_addr) == 1) {
		s4->sin_family = AF_INET;
		s4->sin_port = htons(port);
		a.len = sizeof(*s4);
	} else {
		assert_int_equal(1, inet_pton(AF_INET6, text, &s6->sin6_addr));
		s6->sin6_family = AF_INET6;
		s6->sin6_port = htons(port);
		a.len = sizeof(*s6);
	}
	a.family = a.ss.ss_family;
	return a;
}

static uint16_t local_port(int fd)
{
	struct sockaddr_storage ss;
	socklen_t len = sizeof(ss);
	assert_int_equal(0, getsockname(fd, (struct sockaddr *)&ss, &len));
	return ntohs(ss.ss_family == AF_INET ? ((struct sockaddr_in *)&ss)->sin_port
					     : ((struct sockaddr_in6 *)&ss)->sin6_port);
}

static int listen_on(const char *addr, const char *dev, uint16_t port, uint16_t *ret_port)
{
	struct addr a = parse(addr, port);
	int one = 1;
	int fd = socket(a.family, SOCK_STREAM | SOCK_CLOEXEC, 0);
	assert_true(fd >= 0);
	assert_int_equal(0, setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)));
	/* IP_FREEBIND serves IPv6 sockets too. */
	assert_int_equal(0, setsockopt(fd, IPPROTO_IP, IP_FREEBIND, &one, sizeof(one)));
	if (a.family == AF_INET6)
		assert_int_equal(0, setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof(one)));
	if (dev)
		assert_int_equal(0, setsockopt(fd, SOL_SOCKET, SO_BINDTODEVICE, dev,
					       (socklen_t)strlen(dev) + 1));
	assert_int_equal(0, bind(fd, (struct sockaddr *)&a.ss, a.len));
	assert_int_equal(0, listen(fd, 16));
	if (ret_port)
		*ret_port = local_port(fd);
	return fd;
}

int wsock_listen(const char *addr, uint16_t port, uint16_t *ret_port)
{
	return listen_on(addr, NULL, port, ret_port);
}

int wsock_listen_dev(const char *addr, const char *dev, uint16_t *ret_port)
{
	return listen_on(addr, dev, 0, ret_port);
}

int wsock_connect(const char *addr, uint16_t port, uint16_t *ret_port)
{
	struct addr a = parse(addr, port);
	int fd = socket(a.family, SOCK_STREAM | SOCK_CLOEXEC, 0);
	assert_true(fd >= 0);
	assert_int_equal(0, connect(fd, (struct sockaddr *)&a.ss, a.len));
	if (ret_port)
		*ret_port = local_port(fd);
	return fd;
}

int wsock_accept(int lfd)
{
	int fd = accept4(lfd, NULL, NULL, SOCK_CLOEXEC);
	assert_true(fd >= 0);
	return fd;
}

void wsock_pair(int lfd, const char *addr, uint16_t port, int *ret_client, int *ret_server,
		uint16_t *ret_port)
{
	*ret_client = wsock_connect(addr, port, ret_port);
	*ret_server = wsock_accept(lfd);
}

int wsock_wait_error(int fd)
{
	struct pollfd p = { .fd = fd, .events = POLLIN };
	poll(&p, 1, 1000);
	int err = 0;
	socklen_t len = sizeof(err);
	getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len);
	return err;
}

void wsock_drop_net_admin(void)
{
	struct __user_cap_header_struct hdr = { .version = _LINUX_CAPABILITY_VERSION_3 };
	struct __user_cap_data_struct data[_LINUX_CAPABILITY_U32S_3];
	assert_int_equal(0, syscall(SYS_capget, &hdr, data));
	data[CAP_NET_ADMIN / 32].effective &= ~(1u << (CAP_NET_ADMIN % 32));
	assert_int_equal(0, syscall(SYS_capset, &hdr, data));
}

void wsock_addr(const char *addr, uint8_t *out)
{
	if (inet_pton(AF_INET, addr, out) != 1)
		assert_int_equal(1, inet_pton(AF_INET6, addr, out));
}

void wsock_close(int fd)
{
	if (fd >= 0)
		close(fd);
}

int wsock_udp(const char *addr, const char *dev, uint16_t port, const char *peer,
	      uint16_t peer_port, uint16_t *ret_port)
{
	struct addr a = parse(addr, port);
	int one = 1;
	int fd = socket(a.family, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	assert_true(fd >= 0);
	assert_int_equal(0, setsockopt(fd, IPPROTO_IP, IP_FREEBIND, &one, sizeof(one)));
	if (a.family == AF_INET6)
		assert_int_equal(0, setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof(one)));
	if (dev)
		assert_int_equal(0, setsockopt(fd, SOL_SOCKET, SO_BINDTODEVICE, dev,
					       (socklen_t)strlen(dev) + 1));
	assert_int_equal(0, bind(fd, (struct sockaddr *)&a.ss, a.len));
	if (peer) {
		struct addr p = parse(peer, peer_port);
		assert_int_equal(0, connect(fd, (struct sockaddr *)&p.ss, p.len));
	}
	if (ret_port)
		*ret_port = local_port(fd);
	return fd;
}

int wsock_udp_dual(uint16_t *ret_port)
{
	struct addr a = parse("::", 0);
	int zero = 0;
	int fd = socket(AF_INET6, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	assert_true(fd >= 0);
	assert_int_equal(0, setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &zero, sizeof(zero)));
	assert_int_equal(0, bind(fd, (struct sockaddr *)&a.ss, a.len));
	if (ret_port)
		*ret_port = local_port(fd);
	return fd;
}
