/*
 * expect - the examples' checker: the output each example must print, computed from the
 * native API (libtcptable) with its own state names and formatting; and the socket fixture
 * the examples run against.
 *
 * usage: expect fixture READY_FILE   make known sockets, create READY_FILE, wait to be killed
 *        expect gettcptable|gettcptable2|owner_module
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "tcptable.h"

static int must(int r, const char *what)
{
	if (r < 0) {
		perror(what);
		exit(2);
	}
	return r;
}

static int listener(int family, const char *addr, uint16_t port, uint16_t *ret_port)
{
	struct sockaddr_storage ss = { 0 };
	socklen_t len;
	int fd = must(socket(family, SOCK_STREAM, 0), "socket"), one = 1;
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (family == AF_INET) {
		struct sockaddr_in *s = (void *)&ss;
		s->sin_family = AF_INET;
		s->sin_port = htons(port);
		inet_pton(AF_INET, addr, &s->sin_addr);
		len = sizeof(*s);
	} else {
		struct sockaddr_in6 *s = (void *)&ss;
		s->sin6_family = AF_INET6;
		s->sin6_port = htons(port);
		inet_pton(AF_INET6, addr, &s->sin6_addr);
		len = sizeof(*s);
	}
	must(bind(fd, (void *)&ss, len), "bind");
	must(listen(fd, 8), "listen");
	must(getsockname(fd, (void *)&ss, &len), "getsockname");
	*ret_port = ntohs(((struct sockaddr_in *)&ss)->sin_port); /* same offset in both */
	return fd;
}

static int connect_to(const char *addr, uint16_t port)
{
	struct sockaddr_in s = { .sin_family = AF_INET, .sin_port = htons(port) };
	inet_pton(AF_INET, addr, &s.sin_addr);
	int fd = must(socket(AF_INET, SOCK_STREAM, 0), "socket");
	must(connect(fd, (void *)&s, sizeof(s)), "connect");
	return fd;
}

/* A UDP socket of FAMILY bound to ADDR:PORT (ADDR NULL: unbound), connected to PEER:PEER_PORT
 * when PEER is given. */
static int udp(int family, const char *addr, uint16_t port, const char *peer,
	       uint16_t peer_port)
{
	int fd = must(socket(family, SOCK_DGRAM, 0), "socket");
	struct sockaddr_storage ss = { 0 };
	socklen_t len = family == AF_INET ? sizeof(struct sockaddr_in) : sizeof(struct sockaddr_in6);
	const char *which[2] = { addr, peer };
	uint16_t ports[2] = { port, peer_port };
	for (int k = 0; k < 2; k++) {
		if (!which[k])
			continue;
		memset(&ss, 0, sizeof(ss));
		if (family == AF_INET) {
			struct sockaddr_in *s = (void *)&ss;
			s->sin_family = AF_INET;
			s->sin_port = htons(ports[k]);
			inet_pton(AF_INET, which[k], &s->sin_addr);
		} else {
			struct sockaddr_in6 *s = (void *)&ss;
			s->sin6_family = AF_INET6;
			s->sin6_port = htons(ports[k]);
			inet_pton(AF_INET6, which[k], &s->sin6_addr);
		}
		must(k ? connect(fd, (void *)&ss, len) : bind(fd, (void *)&ss, len),
		     k ? "connect" : "bind");
	}
	return fd;
}

/* The UDP examples' sockets, seven rows: IPv4 and IPv6, bound and connected, dual-stack,
 * IPv4-mapped. */
static void udp_fixture(void)
{
	udp(AF_INET, "127.0.0.1", 5301, NULL, 0);
	udp(AF_INET, "0.0.0.0", 5302, NULL, 0);
	udp(AF_INET, "127.0.0.1", 0, "127.0.0.1", 5301);
	close(udp(AF_INET6, NULL, 0, NULL, 0)); /* never bound: in no table */
	udp(AF_INET6, "::1", 5303, NULL, 0);
	udp(AF_INET6, "::", 5304, NULL, 0);
	udp(AF_INET6, NULL, 0, "::ffff:127.0.0.1", 5302);
	udp(AF_INET6, NULL, 0, "::1", 5303);
}

static int fixture(const char *ready)
{
	uint16_t p1, p2, p6;
	int l1 = listener(AF_INET, "127.0.0.1", 0, &p1);
	listener(AF_INET, "127.0.0.2", 8080, &p2);
	listener(AF_INET6, "::1", 0, &p6); /* must not appear in the IPv4 tables */
	connect_to("127.0.0.1", p1);
	must(accept(l1, NULL, NULL), "accept");
	int c = connect_to("127.0.0.1", p1); /* closed first: TIME-WAIT, pid 0 */
	int s = must(accept(l1, NULL, NULL), "accept");
	close(c);
	usleep(50 * 1000);
	close(s);
	udp_fixture();
	usleep(50 * 1000);
	FILE *f = fopen(ready, "w");
	if (!f)
		return 2;
	fclose(f);
	for (;;)
		pause();
}

static const char *win_state(unsigned s)
{
	switch (s) {
	case TCPT_ESTABLISHED: return "ESTABLISHED";
	case TCPT_SYN_SENT: return "SYN-SENT";
	case TCPT_SYN_RECV: return "SYN-RECEIVED";
	case TCPT_FIN_WAIT1: return "FIN-WAIT-1";
	case TCPT_FIN_WAIT2: return "FIN-WAIT-2";
	case TCPT_TIME_WAIT: return "TIME-WAIT";
	case TCPT_CLOSE_WAIT: return "CLOSE-WAIT";
	case TCPT_LAST_ACK: return "LAST-ACK";
	case TCPT_LISTEN: return "LISTEN";
	case TCPT_CLOSING: return "CLOSING";
	default: return "CLOSED";
	}
}

int main(int argc, char **argv)
{
	if (argc == 3 && strcmp(argv[1], "fixture") == 0)
		return fixture(argv[2]);
	if (argc != 2)
		return fprintf(stderr, "usage: expect fixture FILE | EXAMPLE\n"), 2;
	const char *ex = argv[1];
	struct tcpt_query q = { .families = TCPT_FAMILY_IPV4, .order = TCPT_ORDER_ADDRESS,
				.want = TCPT_WANT_OWNERS | TCPT_WANT_PROCESS };
	struct tcpt_snapshot *snap;
	int r = tcpt_snapshot_take(&q, &snap);
	if (r < 0)
		return fprintf(stderr, "expect: %s\n", tcpt_strerror(r)), 1;
	size_t n = tcpt_snapshot_count(snap);
	const struct tcpt_conn *rows = tcpt_snapshot_rows(snap);
	printf("Number of entries: %d\n", (int)n);
	for (size_t i = 0; i < n; i++) {
		const struct tcpt_conn *c = &rows[i];
		char l[INET_ADDRSTRLEN], rm[INET_ADDRSTRLEN];
		inet_ntop(AF_INET, c->local_addr, l, sizeof(l));
		inet_ntop(AF_INET, c->remote_addr, rm, sizeof(rm));
		const struct tcpt_owner *o = c->owner_count ? &c->owners[0] : NULL;
		printf("TCP[%zu] %s %s:%u %s:%u", i, win_state(c->state), l, c->local_port, rm,
		       c->remote_port);
		if (strcmp(ex, "gettcptable2") == 0)
			printf(" pid=%d offload=InHost", o ? o->pid : 0);
		if (strcmp(ex, "owner_module") == 0) {
			printf(" pid=%d", o ? o->pid : 0);
			if (!o || !o->exe)
				printf(" module=- path=-");
			else
				printf(" module=%s path=%s", strrchr(o->exe, '/') + 1, o->exe);
		}
		printf("\n");
	}
	if (strcmp(ex, "gettcptable2") == 0)
		printf("\tGetTcpTable2(NULL size) failed with error 87: The parameter is incorrect.\r\n");
	tcpt_snapshot_free(snap);
	return 0;
}
