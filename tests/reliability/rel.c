/* rel.c - see rel.h. */
#include "rel.h"

#include <arpa/inet.h>
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include "netns.h"

int rel_netns(const char *who, bool *ret_skip)
{
	return test_netns_require(who, ret_skip);
}

static socklen_t make_addr(int family, const char *addr, uint16_t port,
			   struct sockaddr_storage *ss)
{
	memset(ss, 0, sizeof(*ss));
	if (family == AF_INET) {
		struct sockaddr_in *a = (struct sockaddr_in *)ss;
		a->sin_family = AF_INET;
		a->sin_port = htons(port);
		inet_pton(AF_INET, addr, &a->sin_addr);
		return sizeof(*a);
	}
	struct sockaddr_in6 *a = (struct sockaddr_in6 *)ss;
	a->sin6_family = AF_INET6;
	a->sin6_port = htons(port);
	inet_pton(AF_INET6, addr, &a->sin6_addr);
	return sizeof(*a);
}

int rel_listen(int family, const char *addr, uint16_t port)
{
	struct sockaddr_storage ss;
	socklen_t len = make_addr(family, addr, port, &ss);
	int fd = socket(family, SOCK_STREAM | SOCK_CLOEXEC, 0);
	int one = 1;
	if (fd < 0)
		return -1;
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (bind(fd, (struct sockaddr *)&ss, len) < 0 || listen(fd, 4096) < 0) {
		close(fd);
		return -1;
	}
	return fd;
}

uint16_t rel_port(int fd)
{
	struct sockaddr_storage ss;
	socklen_t len = sizeof(ss);
	if (getsockname(fd, (struct sockaddr *)&ss, &len) < 0)
		return 0;
	return ntohs(ss.ss_family == AF_INET ? ((struct sockaddr_in *)&ss)->sin_port
					     : ((struct sockaddr_in6 *)&ss)->sin6_port);
}

int rel_connect(int lfd)
{
	struct sockaddr_storage ss;
	socklen_t len = sizeof(ss);
	if (getsockname(lfd, (struct sockaddr *)&ss, &len) < 0)
		return -1;
	int c = socket(ss.ss_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (c < 0)
		return -1;
	struct timeval tv = {.tv_sec = 0, .tv_usec = 200000}; /* a full queue never hangs us */
	setsockopt(c, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
	if (connect(c, (struct sockaddr *)&ss, len) < 0) {
		close(c);
		return -1;
	}
	return c;
}

int rel_pair(int lfd, int *ret_client, int *ret_server)
{
	int c = rel_connect(lfd);
	if (c < 0)
		return -1;
	int s = accept4(lfd, NULL, NULL, SOCK_CLOEXEC);
	if (s < 0) {
		close(c);
		return -1;
	}
	*ret_client = c;
	*ret_server = s;
	return 0;
}

int rel_open_sockets(int *fds, int max)
{
	static const struct {
		int family;
		const char *addr;
	} where[] = {{AF_INET, "127.0.0.1"}, {AF_INET6, "::1"}};
	int n = 0;
	for (size_t i = 0; i < 2; i++) {
		if (n + 5 > max)
			return -1;
		int l = rel_listen(where[i].family, where[i].addr, 0);
		if (l < 0)
			return -1;
		fds[n++] = l;
		for (int k = 0; k < 2; k++) {
			if (rel_pair(l, &fds[n], &fds[n + 1]) < 0)
				return -1;
			n += 2;
		}
	}
	return n;
}

int rel_open_udp_sockets(int *fds, int max)
{
	static const struct {
		int family;
		const char *addr;
	} where[] = {{AF_INET, "127.0.0.1"}, {AF_INET6, "::1"}};
	int n = 0;
	for (size_t i = 0; i < 2; i++) {
		if (n + 2 > max)
			return -1;
		struct sockaddr_storage ss;
		socklen_t len = make_addr(where[i].family, where[i].addr, 0, &ss);
		int bound = socket(where[i].family, SOCK_DGRAM | SOCK_CLOEXEC, 0);
		int conn = socket(where[i].family, SOCK_DGRAM | SOCK_CLOEXEC, 0);
		if (bound >= 0)
			fds[n++] = bound;
		if (conn >= 0)
			fds[n++] = conn;
		if (bound < 0 || conn < 0 || bind(bound, (struct sockaddr *)&ss, len) < 0)
			return -1;
		len = make_addr(where[i].family, where[i].addr, rel_port(bound), &ss);
		if (connect(conn, (struct sockaddr *)&ss, len) < 0)
			return -1;
	}
	return n;
}

void rel_close_all(int *fds, int n)
{
	for (int i = 0; i < n; i++)
		close(fds[i]);
}

static bool all_zero(const uint8_t *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (p[i])
			return false;
	return true;
}

bool rel_row_ok(const struct tcpt_conn *r, const char **why)
{
	*why = NULL;
	if (r->family != AF_INET && r->family != AF_INET6)
		*why = "family neither AF_INET nor AF_INET6";
	else if (r->state < TCPT_ESTABLISHED || r->state > TCPT_CLOSING)
		*why = "state outside ESTABLISHED..CLOSING";
	else if (r->family == AF_INET &&
		 (!all_zero(r->local_addr + 4, 12) || !all_zero(r->remote_addr + 4, 12)))
		*why = "IPv4 row with address bytes beyond the fourth";
	else if (r->state == TCPT_LISTEN && (r->remote_port || !all_zero(r->remote_addr, 16)))
		*why = "LISTEN row with a remote address or port";
	else if ((r->owner_count == 0) != (r->owners == NULL))
		*why = "owner_count and owners disagree";
	return *why == NULL;
}

int rel_fd_list(char *buf, size_t size)
{
	DIR *d = opendir("/proc/self/fd");
	if (!d)
		return -1;
	int self = dirfd(d), n = 0;
	size_t len = 0;
	buf[0] = '\0';
	for (struct dirent *e; (e = readdir(d));) {
		if (e->d_name[0] == '.' || atoi(e->d_name) == self)
			continue;
		n++;
		int w = snprintf(buf + len, size - len, "%s ", e->d_name);
		if (w > 0 && (size_t)w < size - len)
			len += (size_t)w;
	}
	closedir(d);
	return n;
}

static size_t page_size(void)
{
	return (size_t)sysconf(_SC_PAGESIZE);
}

void *rel_guard_alloc(size_t size, unsigned char fill)
{
	size_t pg = page_size(), span = (size + pg - 1) / pg * pg;
	if (span == 0)
		span = pg;
	uint8_t *base = mmap(NULL, span + pg, PROT_READ | PROT_WRITE,
			     MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (base == MAP_FAILED)
		return NULL;
	if (mprotect(base + span, pg, PROT_NONE) < 0) {
		munmap(base, span + pg);
		return NULL;
	}
	memset(base, fill, span);
	return base + span - size;
}

void rel_guard_free(void *p, size_t size)
{
	size_t pg = page_size(), span = (size + pg - 1) / pg * pg;
	if (span == 0)
		span = pg;
	munmap((uint8_t *)p + size - span, span + pg);
}

bool rel_all_bytes(const void *p, size_t n, unsigned char fill)
{
	const unsigned char *b = p;
	for (size_t i = 0; i < n; i++)
		if (b[i] != fill)
			return false;
	return true;
}

const char *rel_build_path(const char *rel)
{
	static char path[PATH_MAX];
	const char *root = getenv("TCPT_BUILD_ROOT");
	snprintf(path, sizeof(path), "%s/%s", root ? root : ".", rel);
	return path;
}
