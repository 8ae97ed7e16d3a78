/*
 * record_fixtures - record real kernel output for the decoder unit tests.
 *
 * Run as root: enters a private network namespace, creates a known set of TCP sockets, then
 * records, as close together in time as it can:
 *   proc-net-tcp.txt, proc-net-tcp6.txt   the text of /proc/net/tcp and /proc/net/tcp6
 *   diag-compat.nl    the answer to TCPDIAG_GETSOCK (struct inet_diag_req, AF_UNSPEC: both
 *                     families in one walk, no extensions)
 *   diag-inet.nl      the answer to SOCK_DIAG_BY_FAMILY (struct inet_diag_req_v2, AF_INET,
 *                     extensions MEMINFO INFO CONG TOS TCLASS SKMEMINFO)
 *   diag-inet6.nl     the same for AF_INET6
 *   expected-rows.txt one line per row of each source, as the library must decode it
 * A .nl file is every datagram the kernel sent, as received: per datagram a 4-byte
 * little-endian length, then that many bytes. See tests/fixtures/README.md.
 *
 * The expected rows are not the output of any library code: each row is decoded here with
 * libmnl and sscanf, then checked against what this program knows independently about the
 * socket it created (addresses, ports, inode from fstat, cookie from SO_COOKIE, uid, queue
 * lengths from SIOCINQ/SIOCOUTQ, backlog, bound interface). Only the timer expiry, the
 * retransmit count, the cgroup id and the cookies of sockets without a descriptor come from
 * the kernel's own answer; those that must agree between sources are checked to agree.
 * Any disagreement makes the recording fail (it retries a few times first).
 *
 * Usage: record_fixtures OUTPUT_DIR
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <libmnl/libmnl.h>
#include <linux/if_addr.h>
#include <linux/inet_diag.h>
#include <linux/rtnetlink.h>
#include <linux/sock_diag.h>
#include <linux/sockios.h>
#include <net/if.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "netns.h"

#define MAX_KNOWN 64
#define MAX_RECS 256
#define NOBODY 65534

enum src { SRC_COMPAT, SRC_INET, SRC_INET6, SRC_PROC4, SRC_PROC6, SRC_COUNT };
static const char *const src_name[SRC_COUNT] = {
	"diag-compat", "diag-inet", "diag-inet6", "proc-tcp", "proc-tcp6",
};
static bool src_is_proc(enum src s) { return s == SRC_PROC4 || s == SRC_PROC6; }

/* One row as a source reported it. */
struct rec {
	int family;
	unsigned state, timer, retrans;
	uint8_t laddr[16], raddr[16];
	unsigned lport, rport;
	uint32_t scope, uid, rq, wq, expires_ms;
	uint64_t inode, cookie, cgroup;
	int known; /* index into known[] */
};

/* One socket this program made, and what it knows about it. */
struct known {
	const char *id;
	int fd; /* -1 for rows without a descriptor (TIME-WAIT, request socket, unaccepted) */
	int family;
	unsigned state;
	uint8_t laddr[16], raddr[16];
	unsigned lport, rport;
	uint32_t scope, uid, proc_uid;
	bool know_inode_cookie; /* fd >= 0: inode and cookie from fstat / SO_COOKIE */
	uint64_t inode, cookie; /* cookie also known for TIME-WAIT rows (copied to the tw sock) */
	bool know_cookie;
	bool know_rq, know_wq;
	uint32_t rq, wq;
	bool netlink_only; /* BOUND-INACTIVE: not in /proc */
	int listen_backlog; /* >= 0 for listeners */
	/* filled from the first netlink row seen, checked against the others */
	bool seen;
	uint64_t cookie_seen, cgroup_seen;
	unsigned timer_seen, retrans_seen;
};

static struct known known[MAX_KNOWN];
static int nknown;
static struct rec recs[SRC_COUNT][MAX_RECS];
static int nrecs[SRC_COUNT];

static void die(const char *what)
{
	fprintf(stderr, "record_fixtures: %s: %s\n", what, strerror(errno));
	exit(1);
}

static void msleep(unsigned ms)
{
	struct timespec ts = {.tv_sec = ms / 1000, .tv_nsec = (long)(ms % 1000) * 1000000};
	while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
		;
}

/* ---- socket set-up ----------------------------------------------------------------- */

static socklen_t make_sa(int family, const char *addr, unsigned port, uint32_t scope,
			 struct sockaddr_storage *ss)
{
	memset(ss, 0, sizeof(*ss));
	if (family == AF_INET) {
		struct sockaddr_in *sin = (struct sockaddr_in *)ss;
		sin->sin_family = AF_INET;
		sin->sin_port = htons(port);
		if (inet_pton(AF_INET, addr, &sin->sin_addr) != 1)
			die(addr);
		return sizeof(*sin);
	}
	struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)ss;
	sin6->sin6_family = AF_INET6;
	sin6->sin6_port = htons(port);
	sin6->sin6_scope_id = scope;
	if (inet_pton(AF_INET6, addr, &sin6->sin6_addr) != 1)
		die(addr);
	return sizeof(*sin6);
}

static int tcp_socket(int family)
{
	int fd = socket(family, SOCK_STREAM | SOCK_CLOEXEC, 0);
	int one = 1;
	if (fd < 0)
		die("socket");
	if (setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) < 0)
		die("SO_REUSEADDR");
	return fd;
}

static void do_bind(int fd, int family, const char *addr, unsigned port, uint32_t scope)
{
	struct sockaddr_storage ss;
	socklen_t len = make_sa(family, addr, port, scope, &ss);
	if (bind(fd, (struct sockaddr *)&ss, len) < 0)
		die("bind");
}

static int make_listener(int family, const char *addr, unsigned port, int backlog)
{
	int fd = tcp_socket(family);
	do_bind(fd, family, addr, port, 0);
	if (listen(fd, backlog) < 0)
		die("listen");
	return fd;
}

/* A client bound to LADDR:LPORT connecting to RADDR:RPORT; blocking unless NONBLOCK. */
static int make_client(int family, const char *laddr, unsigned lport, const char *raddr,
		       unsigned rport, uint32_t scope, bool nonblock)
{
	int fd = tcp_socket(family);
	struct sockaddr_storage ss;
	do_bind(fd, family, laddr, lport, scope);
	if (nonblock && fcntl(fd, F_SETFL, O_NONBLOCK) < 0)
		die("O_NONBLOCK");
	socklen_t len = make_sa(family, raddr, rport, scope, &ss);
	if (connect(fd, (struct sockaddr *)&ss, len) < 0 && !(nonblock && errno == EINPROGRESS))
		die("connect");
	return fd;
}

static int accept_one(int lfd)
{
	int fd = accept4(lfd, NULL, NULL, SOCK_CLOEXEC);
	if (fd < 0)
		die("accept");
	return fd;
}

static void sa_to_known(const struct sockaddr_storage *ss, uint8_t addr[16], unsigned *port)
{
	memset(addr, 0, 16);
	if (ss->ss_family == AF_INET) {
		const struct sockaddr_in *sin = (const struct sockaddr_in *)ss;
		memcpy(addr, &sin->sin_addr, 4);
		*port = ntohs(sin->sin_port);
	} else {
		const struct sockaddr_in6 *sin6 = (const struct sockaddr_in6 *)ss;
		memcpy(addr, &sin6->sin6_addr, 16);
		*port = ntohs(sin6->sin6_port);
	}
}

static struct known *add_known(const char *id, int fd, unsigned state)
{
	if (nknown == MAX_KNOWN) {
		errno = ENOSPC;
		die("too many sockets");
	}
	struct known *k = &known[nknown++];
	memset(k, 0, sizeof(*k));
	k->id = id;
	k->fd = fd;
	k->state = state;
	k->listen_backlog = -1;
	if (fd < 0)
		return k;
	struct sockaddr_storage ss;
	socklen_t len = sizeof(ss);
	if (getsockname(fd, (struct sockaddr *)&ss, &len) < 0)
		die("getsockname");
	k->family = ss.ss_family;
	sa_to_known(&ss, k->laddr, &k->lport);
	len = sizeof(ss);
	if (getpeername(fd, (struct sockaddr *)&ss, &len) == 0)
		sa_to_known(&ss, k->raddr, &k->rport);
	struct stat st;
	if (fstat(fd, &st) < 0)
		die("fstat");
	k->inode = st.st_ino;
	k->uid = st.st_uid;
	k->proc_uid = st.st_uid;
	len = sizeof(k->cookie);
	if (getsockopt(fd, SOL_SOCKET, SO_COOKIE, &k->cookie, &len) < 0)
		die("SO_COOKIE");
	k->know_inode_cookie = true;
	k->know_cookie = true;
	return k;
}

/* A row without a descriptor: the peer of FD, as seen from the other side. */
static struct known *add_known_peer(const char *id, int peer_fd, unsigned state)
{
	struct known *p = add_known("", peer_fd, 0);
	struct known tmp = *p;
	nknown--;
	struct known *k = add_known(id, -1, state);
	k->family = tmp.family;
	memcpy(k->laddr, tmp.raddr, 16);
	memcpy(k->raddr, tmp.laddr, 16);
	k->lport = tmp.rport;
	k->rport = tmp.lport;
	return k;
}

static uint32_t ioctl_u32(int fd, unsigned long req)
{
	int v = 0;
	if (ioctl(fd, req, &v) < 0)
		die("ioctl");
	return (uint32_t)v;
}

static void add_lo_linklocal(void)
{
	/* fe80::1/64 on lo, so that a link-local socket gets a scope id. */
	char buf[8192]; /* MNL_SOCKET_BUFFER_SIZE is not a constant */
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = RTM_NEWADDR;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_CREATE | NLM_F_EXCL | NLM_F_ACK;
	nlh->nlmsg_seq = 1;
	struct ifaddrmsg *ifa = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifa));
	ifa->ifa_family = AF_INET6;
	ifa->ifa_prefixlen = 64;
	ifa->ifa_flags = IFA_F_NODAD;
	ifa->ifa_scope = RT_SCOPE_LINK;
	ifa->ifa_index = if_nametoindex("lo");
	struct in6_addr a;
	inet_pton(AF_INET6, "fe80::1", &a);
	mnl_attr_put(nlh, IFA_LOCAL, sizeof(a), &a);
	mnl_attr_put(nlh, IFA_ADDRESS, sizeof(a), &a);
	mnl_attr_put_u32(nlh, IFA_FLAGS, IFA_F_NODAD);
	struct mnl_socket *nl = mnl_socket_open(NETLINK_ROUTE);
	if (!nl || mnl_socket_bind(nl, 0, MNL_SOCKET_AUTOPID) < 0)
		die("rtnetlink");
	if (mnl_socket_sendto(nl, nlh, nlh->nlmsg_len) < 0)
		die("RTM_NEWADDR");
	ssize_t n = mnl_socket_recvfrom(nl, buf, sizeof(buf));
	if (n < 0 || mnl_cb_run(buf, n, 1, mnl_socket_get_portid(nl), NULL, NULL) < 0)
		die("RTM_NEWADDR fe80::1 on lo");
	mnl_socket_close(nl);
}

static void set_int(int fd, int level, int opt, int val, const char *what)
{
	if (setsockopt(fd, level, opt, &val, sizeof(val)) < 0)
		die(what);
}

static void make_sockets(void)
{
	struct known *k;
	unsigned lo = if_nametoindex("lo");
	char buf[65536];
	memset(buf, 'x', sizeof(buf));

	/* The SYN-SENT socket first: its SYN is retransmitted after 1 s, so by the time the
	 * rest is set up it has one retransmit to report. */
	int lq = make_listener(AF_INET, "127.0.0.1", 40002, 0);
	k = add_known("listen4-backlog0-full", lq, 10);
	k->listen_backlog = 0;
	int q1 = make_client(AF_INET, "127.0.0.1", 41002, "127.0.0.1", 40002, 0, false);
	add_known("client4-queued", q1, 1);
	k = add_known_peer("server4-unaccepted", q1, 1);
	k->know_inode_cookie = true; /* not accepted: no inode; cookie unknown */
	k->inode = 0;
	msleep(50);
	int q2 = make_client(AF_INET, "127.0.0.1", 41022, "127.0.0.1", 40002, 0, true);
	k = add_known("client4-syn-sent", q2, 2);
	memset(k->raddr, 0, 16);
	inet_pton(AF_INET, "127.0.0.1", k->raddr);
	k->rport = 40002;
	k->know_wq = true;
	k->wq = 1; /* the SYN occupies one sequence number (SIOCOUTQ says 0 here) */

	/* IPv4 listener, a keepalive client with 100 unread bytes at the server. */
	int l4 = make_listener(AF_INET, "127.0.0.1", 40001, 16);
	k = add_known("listen4", l4, 10);
	k->listen_backlog = 16;
	int c4 = make_client(AF_INET, "127.0.0.1", 41001, "127.0.0.1", 40001, 0, false);
	set_int(c4, SOL_SOCKET, SO_KEEPALIVE, 1, "SO_KEEPALIVE");
	set_int(c4, IPPROTO_TCP, TCP_KEEPIDLE, 600, "TCP_KEEPIDLE");
	int a4 = accept_one(l4);
	if (write(c4, buf, 100) != 100)
		die("write");
	add_known("client4-keepalive", c4, 1);
	k = add_known("server4-unread100", a4, 1);
	k->know_rq = true;
	k->rq = 100;

	/* Wildcard IPv4 listener. */
	int lw = make_listener(AF_INET, "0.0.0.0", 40014, 3);
	k = add_known("listen4-any", lw, 10);
	k->listen_backlog = 3;

	/* Bound, not listening: only netlink shows it, and only when the state mask has the
	 * pseudo-state TCP_BOUND_INACTIVE (13, kernel >= 6.8); the row itself then says
	 * TCP_CLOSE (7), the socket's real state. */
	int b4 = tcp_socket(AF_INET);
	do_bind(b4, AF_INET, "127.0.0.1", 40010, 0);
	k = add_known("bound4-inactive", b4, 7);
	k->netlink_only = true;

	/* Dual-stack listener with an IPv4 client: the accepted socket is AF_INET6, v4-mapped. */
	int ld = tcp_socket(AF_INET6);
	set_int(ld, IPPROTO_IPV6, IPV6_V6ONLY, 0, "IPV6_V6ONLY");
	do_bind(ld, AF_INET6, "::", 40003, 0);
	if (listen(ld, 8) < 0)
		die("listen");
	k = add_known("listen6-dualstack", ld, 10);
	k->listen_backlog = 8;
	int d4 = make_client(AF_INET, "127.0.0.1", 41003, "127.0.0.1", 40003, 0, false);
	int da = accept_one(ld);
	add_known("client4-to-dualstack", d4, 1);
	add_known("server6-v4mapped", da, 1);

	/* IPv6 listener, a client with 7 unread bytes. */
	int l6 = make_listener(AF_INET6, "::1", 40004, 4);
	k = add_known("listen6", l6, 10);
	k->listen_backlog = 4;
	int c6 = make_client(AF_INET6, "::1", 41004, "::1", 40004, 0, false);
	int a6 = accept_one(l6);
	if (write(a6, buf, 7) != 7)
		die("write");
	msleep(20);
	k = add_known("client6-unread7", c6, 1);
	k->know_rq = true;
	k->rq = 7;
	add_known("server6", a6, 1);

	/* IPv6 listener bound to lo (scope id = ifindex of lo). */
	int ls = tcp_socket(AF_INET6);
	if (setsockopt(ls, SOL_SOCKET, SO_BINDTODEVICE, "lo", 3) < 0)
		die("SO_BINDTODEVICE");
	do_bind(ls, AF_INET6, "::1", 40011, 0);
	if (listen(ls, 2) < 0)
		die("listen");
	k = add_known("listen6-bound-to-lo", ls, 10);
	k->listen_backlog = 2;
	k->scope = lo;

	/* Link-local pair on lo (scope id on both sides). */
	int ll = tcp_socket(AF_INET6);
	do_bind(ll, AF_INET6, "fe80::1", 40012, lo);
	if (listen(ll, 2) < 0)
		die("listen");
	k = add_known("listen6-linklocal", ll, 10);
	k->listen_backlog = 2;
	k->scope = lo;
	int cl = make_client(AF_INET6, "fe80::1", 41012, "fe80::1", 40012, lo, false);
	int al = accept_one(ll);
	k = add_known("client6-linklocal", cl, 1);
	k->scope = lo;
	k = add_known("server6-linklocal", al, 1);
	k->scope = lo;

	/* CLOSE-WAIT and an orphaned FIN-WAIT-2 (a timewait socket, no inode). */
	int f = make_client(AF_INET, "127.0.0.1", 41006, "127.0.0.1", 40001, 0, false);
	int fa = accept_one(l4);
	k = add_known_peer("client4-fin-wait2-orphan", fa, 5);
	uint64_t ck;
	socklen_t cl_len = sizeof(ck);
	if (getsockopt(f, SOL_SOCKET, SO_COOKIE, &ck, &cl_len) < 0)
		die("SO_COOKIE");
	k->know_cookie = true;
	k->cookie = ck;
	k->know_inode_cookie = false;
	close(f);
	msleep(50);
	add_known("server4-close-wait", fa, 8);

	/* FIN-WAIT-2 of a socket still open (shutdown), and its CLOSE-WAIT peer. */
	int g6 = make_client(AF_INET6, "::1", 41007, "::1", 40004, 0, false);
	int ga6 = accept_one(l6);
	if (shutdown(g6, SHUT_WR) < 0)
		die("shutdown");
	msleep(50);
	add_known("client6-fin-wait2-shutdown", g6, 5);
	add_known("server6-close-wait", ga6, 8);

	/* TIME-WAIT: the client closes first, then the server. */
	int t = make_client(AF_INET, "127.0.0.1", 41005, "127.0.0.1", 40001, 0, false);
	int ta = accept_one(l4);
	k = add_known_peer("client4-time-wait", ta, 6);
	cl_len = sizeof(ck);
	if (getsockopt(t, SOL_SOCKET, SO_COOKIE, &ck, &cl_len) < 0)
		die("SO_COOKIE");
	k->know_cookie = true;
	k->cookie = ck;
	close(t);
	msleep(50);
	close(ta);
	msleep(50);

	/* Zero window: the server never reads, the client's send queue fills (PERSIST). */
	int lp = tcp_socket(AF_INET);
	set_int(lp, SOL_SOCKET, SO_RCVBUF, 2048, "SO_RCVBUF");
	do_bind(lp, AF_INET, "127.0.0.1", 40009, 0);
	if (listen(lp, 1) < 0)
		die("listen");
	k = add_known("listen4-small-rcvbuf", lp, 10);
	k->listen_backlog = 1;
	int p = tcp_socket(AF_INET);
	set_int(p, SOL_SOCKET, SO_SNDBUF, 4096, "SO_SNDBUF");
	do_bind(p, AF_INET, "127.0.0.1", 41009, 0);
	struct sockaddr_storage ss;
	socklen_t len = make_sa(AF_INET, "127.0.0.1", 40009, 0, &ss);
	if (connect(p, (struct sockaddr *)&ss, len) < 0)
		die("connect");
	int pa = accept_one(lp);
	if (fcntl(p, F_SETFL, O_NONBLOCK) < 0)
		die("O_NONBLOCK");
	while (write(p, buf, 1000) > 0)
		;
	msleep(300);
	k = add_known("client4-zero-window", p, 1);
	k->know_wq = true;
	k->wq = ioctl_u32(p, SIOCOUTQ);
	k = add_known("server4-rcvbuf-full", pa, 1);
	k->know_rq = true;
	k->rq = ioctl_u32(pa, SIOCINQ);

	/* Let the SYN-SENT socket retransmit its SYN once (initial RTO 1 s). */
	msleep(1000);

	/* A request socket (SYN-RECV) kept by TCP_DEFER_ACCEPT, on a listener owned by nobody:
	 * /proc shows the listener's uid for it, netlink 0. Last, so that its SYN-ACK timer
	 * has not fired yet when the recording is taken. */
	if (setresuid(-1, NOBODY, -1) < 0)
		die("setresuid nobody");
	int lf = make_listener(AF_INET, "127.0.0.1", 40008, 5);
	if (setresuid(-1, 0, -1) < 0)
		die("setresuid root");
	set_int(lf, IPPROTO_TCP, TCP_DEFER_ACCEPT, 30, "TCP_DEFER_ACCEPT");
	k = add_known("listen4-nobody-defer-accept", lf, 10);
	k->listen_backlog = 5;
	int s = make_client(AF_INET, "127.0.0.1", 41008, "127.0.0.1", 40008, 0, false);
	add_known("client4-to-deferred", s, 1);
	k = add_known_peer("server4-syn-recv", s, 3);
	k->proc_uid = NOBODY;
	k->know_inode_cookie = true; /* inode 0; cookie from the kernel */
	k->inode = 0;
	msleep(20);

	/* Wqueue of listeners is their backlog (netlink); the others are known empty unless
	 * set above. */
	for (int i = 0; i < nknown; i++) {
		k = &known[i];
		if (k->listen_backlog >= 0) {
			k->know_wq = k->know_rq = true;
			k->wq = (uint32_t)k->listen_backlog;
			k->rq = strcmp(k->id, "listen4-backlog0-full") == 0 ? 1 : 0;
		}
		if (k->fd < 0 || (k->state != 1 && k->state != 8 && k->state != 5 &&
				  k->listen_backlog < 0)) {
			/* TIME-WAIT, SYN-*, BOUND, unaccepted: nothing queued */
			k->know_rq = k->know_wq = true;
		}
		if (k->fd >= 0 && (k->state == 1 || k->state == 8 || k->state == 5)) {
			if (!k->know_rq) {
				/* The kernel reports rcv_nxt - copied_seq, and a received FIN
				 * (CLOSE-WAIT) counts in rcv_nxt; SIOCINQ leaves it out. */
				k->know_rq = true;
				k->rq = ioctl_u32(k->fd, SIOCINQ) + (k->state == 8 ? 1 : 0);
			}
			if (!k->know_wq) {
				k->know_wq = true;
				k->wq = ioctl_u32(k->fd, SIOCOUTQ);
			}
		}
	}
}

/* ---- recording ---------------------------------------------------------------------- */

struct blob {
	uint8_t *data;
	size_t len, cap;
};

static void blob_add(struct blob *b, const void *p, size_t n)
{
	if (b->len + n > b->cap) {
		size_t cap = b->cap ? b->cap : 4096;
		while (cap < b->len + n)
			cap *= 2;
		b->data = realloc(b->data, cap);
		if (!b->data)
			die("realloc");
		b->cap = cap;
	}
	memcpy(b->data + b->len, p, n);
	b->len += n;
}

static struct blob nl_file[3], proc_text[2];

/* Send REQ, append each answer datagram to OUT (length-prefixed), until NLMSG_DONE. */
static void dump(struct nlmsghdr *req, struct blob *out)
{
	struct mnl_socket *nl = mnl_socket_open2(NETLINK_SOCK_DIAG, SOCK_CLOEXEC);
	if (!nl || mnl_socket_bind(nl, 0, MNL_SOCKET_AUTOPID) < 0)
		die("sock_diag socket");
	unsigned portid = mnl_socket_get_portid(nl);
	if (mnl_socket_sendto(nl, req, req->nlmsg_len) < 0)
		die("sock_diag send");
	/* 8 KiB reads: the kernel sizes dump datagrams by the reader's buffer, and the
	 * library's buffer (MNL_SOCKET_BUFFER_SIZE or larger) must hold each one. */
	static uint8_t buf[8192];
	int r;
	do {
		ssize_t n = mnl_socket_recvfrom(nl, buf, sizeof(buf));
		if (n < 0)
			die("sock_diag recv");
		uint8_t le[4] = {(uint8_t)n, (uint8_t)(n >> 8), (uint8_t)(n >> 16), (uint8_t)(n >> 24)};
		blob_add(out, le, 4);
		blob_add(out, buf, (size_t)n);
		r = mnl_cb_run(buf, (size_t)n, req->nlmsg_seq, portid, NULL, NULL);
		if (r < 0)
			die("sock_diag answer");
	} while (r > 0);
	mnl_socket_close(nl);
}

static void read_file_into(const char *path, struct blob *out)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		die(path);
	uint8_t buf[65536];
	ssize_t n;
	while ((n = read(fd, buf, sizeof(buf))) > 0)
		blob_add(out, buf, (size_t)n);
	if (n < 0)
		die(path);
	close(fd);
}

static void record_once(void)
{
	uint8_t buf[256];
	for (int i = 0; i < 3; i++)
		nl_file[i].len = 0;
	for (int i = 0; i < 2; i++)
		proc_text[i].len = 0;

	read_file_into("/proc/net/tcp", &proc_text[0]);
	read_file_into("/proc/net/tcp6", &proc_text[1]);

	memset(buf, 0, sizeof(buf));
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = TCPDIAG_GETSOCK;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
	nlh->nlmsg_seq = 1000;
	struct inet_diag_req *old = mnl_nlmsg_put_extra_header(nlh, sizeof(*old));
	old->idiag_family = AF_UNSPEC;
	old->idiag_states = ~0u;
	old->id.idiag_cookie[0] = old->id.idiag_cookie[1] = INET_DIAG_NOCOOKIE;
	dump(nlh, &nl_file[0]);

	for (int i = 0; i < 2; i++) {
		memset(buf, 0, sizeof(buf));
		nlh = mnl_nlmsg_put_header(buf);
		nlh->nlmsg_type = SOCK_DIAG_BY_FAMILY;
		nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
		nlh->nlmsg_seq = 1001 + (unsigned)i;
		struct inet_diag_req_v2 *v2 = mnl_nlmsg_put_extra_header(nlh, sizeof(*v2));
		v2->sdiag_family = i == 0 ? AF_INET : AF_INET6;
		v2->sdiag_protocol = IPPROTO_TCP;
		v2->idiag_ext = 1 << (INET_DIAG_MEMINFO - 1) | 1 << (INET_DIAG_INFO - 1) |
				1 << (INET_DIAG_CONG - 1) | 1 << (INET_DIAG_TOS - 1) |
				1 << (INET_DIAG_TCLASS - 1) | 1 << (INET_DIAG_SKMEMINFO - 1);
		v2->idiag_states = ~0u;
		v2->id.idiag_cookie[0] = v2->id.idiag_cookie[1] = INET_DIAG_NOCOOKIE;
		dump(nlh, &nl_file[1 + i]);
	}
}

/* ---- independent decode -------------------------------------------------------------- */

static int add_attr_cb(const struct nlattr *a, void *data)
{
	struct rec *r = data;
	if (mnl_attr_get_type(a) == INET_DIAG_CGROUP_ID) {
		if (mnl_attr_validate(a, MNL_TYPE_U64) < 0)
			die("bad INET_DIAG_CGROUP_ID");
		r->cgroup = mnl_attr_get_u64(a);
	}
	return MNL_CB_OK;
}

static int diag_msg_cb(const struct nlmsghdr *nlh, void *data)
{
	enum src s = (enum src)(intptr_t)data;
	if (nlh->nlmsg_type != SOCK_DIAG_BY_FAMILY && nlh->nlmsg_type != TCPDIAG_GETSOCK) {
		errno = EPROTO;
		die("unexpected message type");
	}
	if (nrecs[s] == MAX_RECS) {
		errno = ENOSPC;
		die("too many rows");
	}
	const struct inet_diag_msg *m = mnl_nlmsg_get_payload(nlh);
	struct rec *r = &recs[s][nrecs[s]++];
	memset(r, 0, sizeof(*r));
	r->family = m->idiag_family;
	r->state = m->idiag_state;
	r->timer = m->idiag_timer;
	r->retrans = m->idiag_retrans;
	memcpy(r->laddr, m->id.idiag_src, r->family == AF_INET ? 4 : 16);
	memcpy(r->raddr, m->id.idiag_dst, r->family == AF_INET ? 4 : 16);
	r->lport = ntohs(m->id.idiag_sport);
	r->rport = ntohs(m->id.idiag_dport);
	r->scope = m->id.idiag_if;
	r->cookie = (uint64_t)m->id.idiag_cookie[1] << 32 | m->id.idiag_cookie[0];
	r->uid = m->idiag_uid;
	r->inode = m->idiag_inode;
	r->rq = m->idiag_rqueue;
	r->wq = m->idiag_wqueue;
	r->expires_ms = r->timer ? m->idiag_expires : 0;
	mnl_attr_parse(nlh, sizeof(*m), add_attr_cb, r);
	return MNL_CB_OK;
}

static void decode_nl(enum src s, const struct blob *b)
{
	size_t off = 0;
	while (off < b->len) {
		uint32_t n = b->data[off] | b->data[off + 1] << 8 | b->data[off + 2] << 16 |
			     (uint32_t)b->data[off + 3] << 24;
		off += 4;
		const struct nlmsghdr *first = (const void *)(b->data + off);
		if (mnl_cb_run(b->data + off, n, first->nlmsg_seq, 0, diag_msg_cb,
			       (void *)(intptr_t)s) < 0)
			die("decode");
		off += n;
	}
}

static void hex_addr(const char *hex, int family, uint8_t out[16])
{
	memset(out, 0, 16);
	int words = family == AF_INET ? 1 : 4;
	for (int w = 0; w < words; w++) {
		char part[9];
		memcpy(part, hex + 8 * w, 8);
		part[8] = 0;
		uint32_t v = (uint32_t)strtoul(part, NULL, 16);
		memcpy(out + 4 * w, &v, 4); /* the kernel prints each 32-bit word in host order */
	}
}

static void decode_proc(enum src s, const struct blob *b)
{
	int family = s == SRC_PROC4 ? AF_INET : AF_INET6;
	char *text = malloc(b->len + 1);
	if (!text)
		die("malloc");
	memcpy(text, b->data, b->len);
	text[b->len] = 0;
	char *save = NULL;
	bool header = true;
	for (char *line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		if (header) {
			header = false;
			continue;
		}
		char la[33], ra[33];
		unsigned lp, rp, st, tr, retr, uid, probes;
		unsigned long txq, rxq, when;
		unsigned long long ino;
		int n = sscanf(line, " %*u: %32[0-9A-F]:%x %32[0-9A-F]:%x %x %lx:%lx %x:%lx %x %u %u %llu",
			       la, &lp, ra, &rp, &st, &txq, &rxq, &tr, &when, &retr, &uid, &probes, &ino);
		if (n != 13) {
			errno = EBADMSG;
			die(line);
		}
		struct rec *r = &recs[s][nrecs[s]++];
		memset(r, 0, sizeof(*r));
		r->family = family;
		hex_addr(la, family, r->laddr);
		hex_addr(ra, family, r->raddr);
		r->lport = lp;
		r->rport = rp;
		r->state = st;
		r->wq = st == 10 ? 0 : (uint32_t)txq; /* tx_queue is 0 for listeners anyway */
		r->rq = (uint32_t)rxq;
		r->timer = tr;
		r->expires_ms = tr ? (uint32_t)(when * 10) : 0; /* USER_HZ = 100 */
		/* "retrnsmt" is icsk_retransmits (request sockets: num_timeout); for keepalive
		 * and zero-window timers netlink reports icsk_probes_out, the "timeout" column. */
		r->retrans = (tr == 2 || tr == 4) ? probes : retr;
		r->uid = uid;
		r->inode = ino;
	}
	free(text);
}

/* ---- checks ---------------------------------------------------------------------------- */

static int failures;

static void fail(enum src s, const struct known *k, const char *field, uint64_t want,
		 uint64_t got)
{
	fprintf(stderr, "record_fixtures: %s %s: %s is %llu, expected %llu\n", src_name[s],
		k ? k->id : "?", field, (unsigned long long)got, (unsigned long long)want);
	failures++;
}

#define CHECK(s, k, field, want, got)                                                    \
	do {                                                                             \
		if ((uint64_t)(want) != (uint64_t)(got))                                   \
			fail(s, k, field, (uint64_t)(want), (uint64_t)(got));             \
	} while (0)

static int find_known(const struct rec *r)
{
	for (int i = 0; i < nknown; i++) {
		const struct known *k = &known[i];
		if (k->family == r->family && k->lport == r->lport && k->rport == r->rport &&
		    memcmp(k->laddr, r->laddr, 16) == 0 && memcmp(k->raddr, r->raddr, 16) == 0)
			return i;
	}
	return -1;
}

static void check_source(enum src s)
{
	bool proc = src_is_proc(s);
	bool seen[MAX_KNOWN] = {0};
	for (int i = 0; i < nrecs[s]; i++) {
		struct rec *r = &recs[s][i];
		r->known = find_known(r);
		if (r->known < 0) {
			fprintf(stderr, "record_fixtures: %s: row %d (port %u->%u) is no socket of mine\n",
				src_name[s], i, r->lport, r->rport);
			failures++;
			continue;
		}
		struct known *k = &known[r->known];
		if (seen[r->known])
			fail(s, k, "occurrences", 1, 2);
		seen[r->known] = true;
		CHECK(s, k, "state", k->state, r->state);
		CHECK(s, k, "scope", proc ? 0 : k->scope, r->scope);
		CHECK(s, k, "uid", proc ? k->proc_uid : k->uid, r->uid);
		if (k->know_inode_cookie)
			CHECK(s, k, "inode", k->inode, r->inode);
		else
			CHECK(s, k, "inode", 0, r->inode);
		if (proc)
			CHECK(s, k, "cookie", 0, r->cookie);
		else if (k->know_cookie)
			CHECK(s, k, "cookie", k->cookie, r->cookie);
		else if (r->cookie == 0)
			fail(s, k, "cookie (nonzero)", 1, 0);
		if (k->know_rq)
			CHECK(s, k, "rqueue", k->rq, r->rq);
		if (k->know_wq)
			CHECK(s, k, "wqueue", proc && k->state == 10 ? 0 : k->wq, r->wq);
		if (proc) {
			CHECK(s, k, "cgroup", 0, r->cgroup);
			CHECK(s, k, "expires%10", 0, r->expires_ms % 10);
		}
		/* What only the kernel knows must agree between sources. */
		if (!k->seen) {
			k->seen = true;
			k->timer_seen = r->timer;
			k->retrans_seen = r->retrans;
			k->cookie_seen = r->cookie;
			k->cgroup_seen = r->cgroup;
		} else {
			CHECK(s, k, "timer", k->timer_seen, r->timer);
			CHECK(s, k, "retransmits", k->retrans_seen, r->retrans);
			if (!proc) {
				CHECK(s, k, "cookie (vs other dumps)", k->cookie_seen, r->cookie);
				CHECK(s, k, "cgroup (vs other dumps)", k->cgroup_seen, r->cgroup);
			}
		}
		if (r->timer == 0 && r->expires_ms != 0)
			fail(s, k, "expires without timer", 0, r->expires_ms);
	}
	/* Every socket appears in every source that can show it. */
	for (int i = 0; i < nknown; i++) {
		const struct known *k = &known[i];
		bool fam_ok = s == SRC_COMPAT || (k->family == AF_INET) == (s == SRC_INET || s == SRC_PROC4);
		bool want = fam_ok && !(proc && k->netlink_only);
		if (want != seen[i])
			fail(s, k, "present", want, seen[i]);
	}
}

static void write_file(const char *dir, const char *name, const void *p, size_t n)
{
	char path[4096];
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	FILE *f = fopen(path, "wb");
	if (!f || fwrite(p, 1, n, f) != n || fclose(f) != 0)
		die(path);
}

static const char *const state_names[] = {
	"?", "ESTABLISHED", "SYN-SENT", "SYN-RECV", "FIN-WAIT-1", "FIN-WAIT-2", "TIME-WAIT",
	"CLOSE", "CLOSE-WAIT", "LAST-ACK", "LISTEN", "CLOSING", "NEW-SYN-RECV", "BOUND-INACTIVE",
};

static void write_expected(const char *dir)
{
	char path[4096];
	snprintf(path, sizeof(path), "%s/expected-rows.txt", dir);
	FILE *f = fopen(path, "w");
	if (!f)
		die(path);
	fprintf(f, "# Rows each recorded source must decode to, in the order the kernel gave them.\n"
		   "# Written by tests/tools/record_fixtures.c; see tests/fixtures/README.md.\n"
		   "# source id family state state-name local-address local-port remote-address "
		   "remote-port scope uid inode cookie cgroup rqueue wqueue timer retransmits "
		   "expires-ms\n");
	for (int s = 0; s < SRC_COUNT; s++) {
		for (int i = 0; i < nrecs[s]; i++) {
			const struct rec *r = &recs[s][i];
			char la[INET6_ADDRSTRLEN], ra[INET6_ADDRSTRLEN];
			inet_ntop(r->family, r->laddr, la, sizeof(la));
			inet_ntop(r->family, r->raddr, ra, sizeof(ra));
			fprintf(f, "%s %s %s %u %s %s %u %s %u %u %u %llu %llu %llu %u %u %u %u %u\n",
				src_name[s], known[r->known].id, r->family == AF_INET ? "inet" : "inet6",
				r->state, r->state < 14 ? state_names[r->state] : "?", la, r->lport, ra,
				r->rport, r->scope, r->uid, (unsigned long long)r->inode,
				(unsigned long long)r->cookie, (unsigned long long)r->cgroup, r->rq, r->wq,
				r->timer, r->retrans, r->expires_ms);
		}
	}
	if (fclose(f) != 0)
		die(path);
}

int main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: %s OUTPUT_DIR   (as root)\n", argv[0]);
		return 2;
	}
	int r = test_netns_enter();
	if (r < 0) {
		errno = -r;
		die("entering a private network namespace (are you root?)");
	}
	add_lo_linklocal();
	make_sockets();

	for (int attempt = 1;; attempt++) {
		failures = 0;
		for (int s = 0; s < SRC_COUNT; s++)
			nrecs[s] = 0;
		for (int i = 0; i < nknown; i++)
			known[i].seen = false;
		record_once();
		for (int i = 0; i < 3; i++)
			decode_nl((enum src)i, &nl_file[i]);
		decode_proc(SRC_PROC4, &proc_text[0]);
		decode_proc(SRC_PROC6, &proc_text[1]);
		for (int s = 0; s < SRC_COUNT; s++)
			check_source((enum src)s);
		if (failures == 0)
			break;
		if (attempt == 3) {
			fprintf(stderr, "record_fixtures: %d disagreements, giving up\n", failures);
			return 1;
		}
		fprintf(stderr, "record_fixtures: %d disagreements, recording again\n", failures);
		msleep(100);
	}

	write_file(argv[1], "diag-compat.nl", nl_file[0].data, nl_file[0].len);
	write_file(argv[1], "diag-inet.nl", nl_file[1].data, nl_file[1].len);
	write_file(argv[1], "diag-inet6.nl", nl_file[2].data, nl_file[2].len);
	write_file(argv[1], "proc-net-tcp.txt", proc_text[0].data, proc_text[0].len);
	write_file(argv[1], "proc-net-tcp6.txt", proc_text[1].data, proc_text[1].len);
	write_expected(argv[1]);
	printf("recorded %d sockets: %d/%d/%d netlink rows, %d/%d /proc rows\n", nknown,
	       nrecs[0], nrecs[1], nrecs[2], nrecs[3], nrecs[4]);
	return 0;
}
