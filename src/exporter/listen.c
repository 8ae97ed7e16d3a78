/* listen.c - getaddrinfo() for the host, one socket, dual-stack for the wildcard. */
#include "listen.h"

#include <errno.h>
#include <netdb.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

static int split(const char *address, char *host, size_t hsize, const char **port)
{
	const char *colon;
	if (address[0] == '[') {
		const char *close = strchr(address, ']');
		if (!close || close[1] != ':')
			return -EINVAL;
		snprintf(host, hsize, "%.*s", (int)(close - address - 1), address + 1);
		colon = close + 1;
	} else {
		colon = strrchr(address, ':');
		if (!colon)
			return -EINVAL;
		snprintf(host, hsize, "%.*s", (int)(colon - address), address);
		if (strchr(host, ':'))
			return -EINVAL; /* an IPv6 address needs brackets */
	}
	*port = colon + 1;
	return **port ? 0 : -EINVAL;
}

static int bind_one(const struct addrinfo *ai)
{
	int fd = socket(ai->ai_family, ai->ai_socktype | SOCK_CLOEXEC, ai->ai_protocol);
	if (fd < 0)
		return -errno;
	int one = 1, zero = 0;
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (ai->ai_family == AF_INET6)
		setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &zero, sizeof(zero));
	if (bind(fd, ai->ai_addr, ai->ai_addrlen) < 0 || listen(fd, 1024) < 0) {
		int err = -errno;
		close(fd);
		return err;
	}
	return fd;
}

/* The first address of HOST (NULL: the wildcard) and PORT in FAMILY that binds. */
static int try_family(const char *host, const char *port, int family)
{
	struct addrinfo hints = { .ai_flags = AI_PASSIVE | AI_NUMERICSERV, .ai_family = family,
				  .ai_socktype = SOCK_STREAM };
	struct addrinfo *res;
	int g = getaddrinfo(host, port, &hints, &res);
	if (g)
		return g == EAI_SYSTEM ? -errno : -EADDRNOTAVAIL;
	int fd = -EADDRNOTAVAIL;
	for (struct addrinfo *ai = res; ai; ai = ai->ai_next) {
		fd = bind_one(ai);
		if (fd >= 0)
			break;
	}
	freeaddrinfo(res);
	return fd;
}

int listen_on(const char *address, char *err, size_t size)
{
	char host[256];
	const char *port;
	if (split(address, host, sizeof(host), &port) < 0) {
		snprintf(err, size, "--web.listen-address '%s': not [HOST]:PORT", address);
		return -EINVAL;
	}
	int fd;
	if (host[0]) {
		fd = try_family(host, port, AF_UNSPEC);
	} else { /* [::] takes IPv4 too; 0.0.0.0 when the host has no IPv6 */
		fd = try_family(NULL, port, AF_INET6);
		if (fd < 0 && fd != -EADDRINUSE && fd != -EACCES)
			fd = try_family(NULL, port, AF_INET);
	}
	if (fd < 0)
		snprintf(err, size, "listen on %s: %s", address, strerror(-fd));
	return fd;
}
