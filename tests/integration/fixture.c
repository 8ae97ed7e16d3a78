/* fixture.c - build the known sockets and the rows they must produce. */
#include "fixture.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/filter.h>
#include <linux/sockios.h>
#include <net/if.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/fsuid.h>
#include <sys/stat.h>
#include <unistd.h>

#define WAIT_LIMIT_MS 10000 /* generous: the machine may be busy */

#define CHECK(cond, ...)                                                                     \
	do {                                                                                 \
		if (!(cond)) {                                                               \
			fprintf(stderr, "fixture: " __VA_ARGS__);                            \
			fprintf(stderr, " (%s)\n", strerror(errno));                          \
			return -1;                                                           \
		}                                                                            \
	} while (0)

/* ---- small helpers -------------------------------------------------------------------- */

double fx_ms_since(const struct timespec *t)
{
	struct timespec now;
	clock_gettime(CLOCK_MONOTONIC, &now);
	return (double)(now.tv_sec - t->tv_sec) * 1000.0 + (double)(now.tv_nsec - t->tv_nsec) / 1e6;
}

void fx_set_addr(uint8_t out[16], int family, const char *text)
{
	memset(out, 0, 16);
	if (inet_pton(family, text, out) != 1)
		abort(); /* a typo in the test itself */
}

uint16_t fx_local_port(int fd)
{
	struct sockaddr_storage ss;
	socklen_t len = sizeof ss;
	if (getsockname(fd, (struct sockaddr *)&ss, &len) < 0)
		return 0;
	if (ss.ss_family == AF_INET)
		return ntohs(((struct sockaddr_in *)&ss)->sin_port);
	return ntohs(((struct sockaddr_in6 *)&ss)->sin6_port);
}

uint64_t fx_inode(int fd)
{
	struct stat st;
	return fstat(fd, &st) == 0 ? (uint64_t)st.st_ino : 0;
}

uint64_t fx_cookie(int fd)
{
	uint64_t cookie = 0;
	socklen_t len = sizeof cookie;
	if (getsockopt(fd, SOL_SOCKET, SO_COOKIE, &cookie, &len) < 0)
		return 0;
	return cookie;
}

static socklen_t make_sockaddr(struct sockaddr_storage *ss, int family, const char *addr,
			       uint16_t port)
{
	memset(ss, 0, sizeof *ss);
	if (family == AF_INET) {
		struct sockaddr_in *sin = (struct sockaddr_in *)ss;
		sin->sin_family = AF_INET;
		sin->sin_port = htons(port);
		if (inet_pton(AF_INET, addr, &sin->sin_addr) != 1)
			abort();
		return sizeof *sin;
	}
	struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)ss;
	sin6->sin6_family = AF_INET6;
	sin6->sin6_port = htons(port);
	if (inet_pton(AF_INET6, addr, &sin6->sin6_addr) != 1)
		abort();
	return sizeof *sin6;
}

static int listen_full(int family, const char *addr, uint16_t port, int backlog, int v6only,
		       const char *dev)
{
	struct sockaddr_storage ss;
	socklen_t len = make_sockaddr(&ss, family, addr, port);
	int fd = socket(family, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -1;
	if ((v6only >= 0 &&
	     setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &v6only, sizeof v6only) < 0) ||
	    (dev && setsockopt(fd, SOL_SOCKET, SO_BINDTODEVICE, dev, (socklen_t)strlen(dev)) < 0) ||
	    bind(fd, (struct sockaddr *)&ss, len) < 0 || listen(fd, backlog) < 0) {
		int e = errno;
		close(fd);
		errno = e;
		return -1;
	}
	return fd;
}

int fx_listen(int family, const char *addr, uint16_t port, int backlog, int v6only)
{
	return listen_full(family, addr, port, backlog, v6only, NULL);
}

static int connect_to(int family, const char *addr, uint16_t port, bool nonblocking)
{
	struct sockaddr_storage ss;
	socklen_t len = make_sockaddr(&ss, family, addr, port);
	int fd = socket(family, SOCK_STREAM | SOCK_CLOEXEC | (nonblocking ? SOCK_NONBLOCK : 0), 0);
	if (fd < 0)
		return -1;
	if (connect(fd, (struct sockaddr *)&ss, len) < 0 &&
	    !(nonblocking && errno == EINPROGRESS)) {
		int e = errno;
		close(fd);
		errno = e;
		return -1;
	}
	return fd;
}

static int tcp_state(int fd)
{
	struct tcp_info ti;
	socklen_t len = sizeof ti;
	memset(&ti, 0, sizeof ti);
	if (getsockopt(fd, IPPROTO_TCP, TCP_INFO, &ti, &len) < 0)
		return -1;
	return ti.tcpi_state;
}

static int queue_len(int fd, unsigned long request)
{
	int n = -1;
	if (ioctl(fd, request, &n) < 0)
		return -1;
	return n;
}

static int outq(int fd) { return queue_len(fd, SIOCOUTQ); }
static int inq(int fd) { return queue_len(fd, SIOCINQ); }

static int readable(int fd)
{
	struct pollfd p = {.fd = fd, .events = POLLIN};
	return poll(&p, 1, 0) == 1 && (p.revents & POLLIN);
}

/* Wait until GET(fd) == WANT: loopback delivers synchronously, but an ACK may be delayed. */
static int wait_for(int (*get)(int), int fd, int want, const char *what)
{
	struct timespec start;
	clock_gettime(CLOCK_MONOTONIC, &start);
	int got;
	while ((got = get(fd)) != want) {
		if (fx_ms_since(&start) > WAIT_LIMIT_MS) {
			fprintf(stderr, "fixture: %s: still %d instead of %d after %d ms\n", what,
				got, want, WAIT_LIMIT_MS);
			return -1;
		}
		usleep(1000);
	}
	return 0;
}

/* ---- rows ------------------------------------------------------------------------------ */

static void read_self(struct fixture *f)
{
	FILE *fp = fopen("/proc/self/comm", "re");
	if (fp) {
		if (fgets(f->comm, sizeof f->comm, fp))
			f->comm[strcspn(f->comm, "\n")] = '\0';
		fclose(fp);
	}
	ssize_t n = readlink("/proc/self/exe", f->exe, sizeof f->exe - 1);
	f->exe[n > 0 ? n : 0] = '\0';
	f->lo_ifindex = if_nametoindex("lo");
	struct stat st;
	f->netns = stat("/proc/self/ns/net", &st) == 0 ? (uint64_t)st.st_ino : 0;
}

/* The cgroup v2 id of this process: the inode of its directory on the cgroup2 mount. */
static uint64_t own_cgroup_id(char *path)
{
	char line[4096], mnt[PATH_MAX] = "";
	path[0] = '\0';
	FILE *fp = fopen("/proc/self/mountinfo", "re");
	if (!fp)
		return 0;
	while (fgets(line, sizeof line, fp)) {
		char point[PATH_MAX];
		const char *sep = strstr(line, " - ");
		if (sep && strncmp(sep, " - cgroup2 ", 11) == 0 &&
		    sscanf(line, "%*s %*s %*s %*s %4095s", point) == 1) {
			snprintf(mnt, sizeof mnt, "%s", point);
			break;
		}
	}
	fclose(fp);
	fp = fopen("/proc/self/cgroup", "re");
	if (!fp)
		return 0;
	while (fgets(line, sizeof line, fp))
		if (strncmp(line, "0::", 3) == 0) {
			line[strcspn(line, "\n")] = '\0';
			snprintf(path, PATH_MAX, "%s", line + 3);
		}
	fclose(fp);
	if (!mnt[0] || !path[0])
		return 0;
	char full[2 * PATH_MAX + 2];
	struct stat st;
	snprintf(full, sizeof full, "%s%s", mnt, path);
	return stat(full, &st) == 0 ? (uint64_t)st.st_ino : 0;
}

static const char *const fx_names[FX_COUNT] = {
	[FX_LISTEN4] = "FX_LISTEN4",
	[FX_LISTEN4_FULL] = "FX_LISTEN4_FULL",
	[FX_LISTEN6] = "FX_LISTEN6",
	[FX_LISTEN6_V6ONLY] = "FX_LISTEN6_V6ONLY",
	[FX_LISTEN6_DUAL] = "FX_LISTEN6_DUAL",
	[FX_LISTEN6_DEV] = "FX_LISTEN6_DEV",
	[FX_EST4_CLIENT] = "FX_EST4_CLIENT",
	[FX_EST4_SERVER] = "FX_EST4_SERVER",
	[FX_EST6_CLIENT] = "FX_EST6_CLIENT",
	[FX_EST6_SERVER] = "FX_EST6_SERVER",
	[FX_MAPPED_CLIENT] = "FX_MAPPED_CLIENT",
	[FX_MAPPED_SERVER] = "FX_MAPPED_SERVER",
	[FX_FIN_WAIT2] = "FX_FIN_WAIT2",
	[FX_CLOSE_WAIT] = "FX_CLOSE_WAIT",
	[FX_TIME_WAIT] = "FX_TIME_WAIT",
	[FX_QUEUED_CLIENT] = "FX_QUEUED_CLIENT",
	[FX_QUEUED_SERVER] = "FX_QUEUED_SERVER",
	[FX_SYN_SENT] = "FX_SYN_SENT",
	[FX_LISTEN4_OTHER_UID] = "FX_LISTEN4_OTHER_UID",
	[FX_SYN_RECV] = "FX_SYN_RECV",
	[FX_DEAF_CLIENT] = "FX_DEAF_CLIENT",
};

void fx_add_owner(struct fixture *f, unsigned id, int32_t pid, int32_t fd, const char *name,
		  const char *exe)
{
	struct fx_row *r = &f->row[id];
	if (r->nowners == FX_MAX_OWNERS)
		abort();
	unsigned i = r->nowners++;
	while (i > 0 && (r->owners[i - 1].pid > pid ||
			 (r->owners[i - 1].pid == pid && r->owners[i - 1].fd > fd))) {
		r->owners[i] = r->owners[i - 1];
		i--;
	}
	r->owners[i] = (struct tcpt_owner){.pid = pid, .fd = fd, .name = name, .exe = exe};
}

unsigned fx_add_row(struct fixture *f, const char *name)
{
	if (f->nrows == FX_MAX_ROWS)
		abort();
	unsigned id = f->nrows++;
	memset(&f->row[id], 0, sizeof f->row[id]);
	f->row[id].name = name;
	f->row[id].fd = -1;
	f->row[id].cgroup_unknown = f->cgroup_id == 0;
	f->row[id].want.protocol = TCPT_PROTO_NUMBER_TCP;
	return id;
}

/* Describe a full socket we hold: family, state, both ends, and what fstat/SO_COOKIE say. */
static struct tcpt_conn *held(struct fixture *f, unsigned id, int fd, int family, int state,
			      const char *laddr, uint16_t lport, const char *raddr, uint16_t rport)
{
	struct fx_row *r = &f->row[id];
	r->fd = fd;
	r->want.family = (uint8_t)family;
	r->want.state = (uint8_t)state;
	fx_set_addr(r->want.local_addr, family, laddr);
	fx_set_addr(r->want.remote_addr, family, raddr);
	r->want.local_port = lport;
	r->want.remote_port = rport;
	r->want.uid = (uint32_t)geteuid();
	r->want.cgroup_id = f->cgroup_id;
	r->want.netns = f->netns;
	if (fd >= 0) {
		r->want.inode = fx_inode(fd);
		r->want.cookie = fx_cookie(fd);
		fx_add_owner(f, id, (int32_t)getpid(), fd, f->comm, f->exe);
	}
	return &r->want;
}

static struct tcpt_conn *listener(struct fixture *f, unsigned id, int fd, int family,
				  const char *addr, uint16_t port, uint32_t backlog)
{
	const char *any = family == AF_INET ? "0.0.0.0" : "::";
	struct tcpt_conn *w = held(f, id, fd, family, TCPT_LISTEN, addr, port, any, 0);
	w->wqueue = backlog; /* netlink: the backlog limit */
	return w;
}

/* ---- the sockets ----------------------------------------------------------------------- */

static int accept_one(int lfd)
{
	return accept4(lfd, NULL, NULL, SOCK_CLOEXEC);
}

static int build_listeners(struct fixture *f)
{
	static const struct {
		unsigned id;
		int family;
		const char *addr;
		uint16_t port;
		int backlog, v6only;
		const char *dev;
	} l[] = {
		{FX_LISTEN4, AF_INET, "0.0.0.0", FX_PORT_LISTEN4, 7, -1, NULL},
		{FX_LISTEN4_FULL, AF_INET, "127.0.0.1", FX_PORT_FULL, 0, -1, NULL},
		{FX_LISTEN6, AF_INET6, "::1", FX_PORT_LISTEN6, 5, -1, NULL},
		{FX_LISTEN6_V6ONLY, AF_INET6, "::", FX_PORT_V6ONLY, 3, 1, NULL},
		{FX_LISTEN6_DUAL, AF_INET6, "::", FX_PORT_DUAL, 4, 0, NULL},
		{FX_LISTEN6_DEV, AF_INET6, "::1", FX_PORT_DEV, 2, -1, "lo"},
	};
	for (size_t i = 0; i < sizeof l / sizeof l[0]; i++) {
		int fd = listen_full(l[i].family, l[i].addr, l[i].port, l[i].backlog, l[i].v6only,
				     l[i].dev);
		CHECK(fd >= 0, "listen on %s port %u", l[i].addr, l[i].port);
		listener(f, l[i].id, fd, l[i].family, l[i].addr, l[i].port, (uint32_t)l[i].backlog);
	}
	f->row[FX_LISTEN6_DEV].want.scope_id = f->lo_ifindex;
	return 0;
}

/* An established pair through listener LID; the client's fd goes to *ret_c. */
static int pair(struct fixture *f, int family, const char *addr, uint16_t port, unsigned lid,
		int *ret_c, int *ret_s)
{
	*ret_c = connect_to(family, addr, port, false);
	CHECK(*ret_c >= 0, "connect to %s port %u", addr, port);
	*ret_s = accept_one(f->row[lid].fd);
	CHECK(*ret_s >= 0, "accept on port %u", port);
	return 0;
}

static int build_established(struct fixture *f)
{
	int c, s;
	if (pair(f, AF_INET, "127.0.0.1", FX_PORT_LISTEN4, FX_LISTEN4, &c, &s) < 0)
		return -1;
	uint16_t cp = fx_local_port(c);
	held(f, FX_EST4_CLIENT, c, AF_INET, TCPT_ESTABLISHED, "127.0.0.1", cp, "127.0.0.1",
	     FX_PORT_LISTEN4);
	held(f, FX_EST4_SERVER, s, AF_INET, TCPT_ESTABLISHED, "127.0.0.1", FX_PORT_LISTEN4,
	     "127.0.0.1", cp)->rqueue = FX_EST4_UNREAD;
	CHECK(write(c, "hello", FX_EST4_UNREAD) == FX_EST4_UNREAD, "write");
	if (wait_for(outq, c, 0, "EST4 client send queue") < 0 ||
	    wait_for(inq, s, FX_EST4_UNREAD, "EST4 server receive queue") < 0)
		return -1;

	if (pair(f, AF_INET6, "::1", FX_PORT_LISTEN6, FX_LISTEN6, &c, &s) < 0)
		return -1;
	cp = fx_local_port(c);
	held(f, FX_EST6_CLIENT, c, AF_INET6, TCPT_ESTABLISHED, "::1", cp, "::1", FX_PORT_LISTEN6)
		->rqueue = FX_EST6_UNREAD;
	held(f, FX_EST6_SERVER, s, AF_INET6, TCPT_ESTABLISHED, "::1", FX_PORT_LISTEN6, "::1", cp);
	CHECK(write(s, "abc", FX_EST6_UNREAD) == FX_EST6_UNREAD, "write");
	if (wait_for(outq, s, 0, "EST6 server send queue") < 0 ||
	    wait_for(inq, c, FX_EST6_UNREAD, "EST6 client receive queue") < 0)
		return -1;

	/* An IPv4 client of the dual-stack listener: the server side is AF_INET6, v4-mapped. */
	if (pair(f, AF_INET, "127.0.0.1", FX_PORT_DUAL, FX_LISTEN6_DUAL, &c, &s) < 0)
		return -1;
	cp = fx_local_port(c);
	held(f, FX_MAPPED_CLIENT, c, AF_INET, TCPT_ESTABLISHED, "127.0.0.1", cp, "127.0.0.1",
	     FX_PORT_DUAL);
	held(f, FX_MAPPED_SERVER, s, AF_INET6, TCPT_ESTABLISHED, "::ffff:127.0.0.1", FX_PORT_DUAL,
	     "::ffff:127.0.0.1", cp);
	return 0;
}

static int build_closing(struct fixture *f)
{
	int c, s;
	/* FIN-WAIT-2 / CLOSE-WAIT: half-closed, both descriptors kept. */
	if (pair(f, AF_INET, "127.0.0.1", FX_PORT_LISTEN4, FX_LISTEN4, &c, &s) < 0)
		return -1;
	uint16_t cp = fx_local_port(c);
	held(f, FX_FIN_WAIT2, c, AF_INET, TCPT_FIN_WAIT2, "127.0.0.1", cp, "127.0.0.1",
	     FX_PORT_LISTEN4);
	/* The unread FIN counts in the kernel's rcv_nxt - copied_seq (ss shows 1 too). */
	held(f, FX_CLOSE_WAIT, s, AF_INET, TCPT_CLOSE_WAIT, "127.0.0.1", FX_PORT_LISTEN4,
	     "127.0.0.1", cp)->rqueue = 1;
	CHECK(shutdown(c, SHUT_WR) == 0, "shutdown");
	if (wait_for(tcp_state, c, TCP_FIN_WAIT2, "FIN-WAIT-2 client state") < 0 ||
	    wait_for(tcp_state, s, TCP_CLOSE_WAIT, "CLOSE-WAIT server state") < 0)
		return -1;

	/* TIME-WAIT: the client closes first, then the server; the client keeps the 2MSL
	 * state without a descriptor. Its cookie is the one the full socket had. */
	if (pair(f, AF_INET, "127.0.0.1", FX_PORT_LISTEN4, FX_LISTEN4, &c, &s) < 0)
		return -1;
	cp = fx_local_port(c);
	uint64_t cookie = fx_cookie(c);
	close(c);
	if (wait_for(tcp_state, s, TCP_CLOSE_WAIT, "TIME-WAIT peer receiving FIN") < 0)
		return -1;
	CHECK(shutdown(s, SHUT_WR) == 0, "shutdown");
	if (wait_for(tcp_state, s, TCP_CLOSE, "TIME-WAIT peer's FIN acknowledged") < 0)
		return -1;
	close(s);
	struct tcpt_conn *w = held(f, FX_TIME_WAIT, -1, AF_INET, TCPT_TIME_WAIT, "127.0.0.1", cp,
				   "127.0.0.1", FX_PORT_LISTEN4);
	w->uid = 0;
	w->cookie = cookie;
	w->cgroup_id = 0; /* the kernel sends no INET_DIAG_CGROUP_ID for timewait sockets */
	w->timer = TCPT_TIMER_TIME_WAIT;
	f->row[FX_TIME_WAIT].cgroup_unknown = false;
	f->row[FX_TIME_WAIT].expires_max_ms = 60000;
	return 0;
}

static int build_queued_and_syn_sent(struct fixture *f)
{
	int lfd = f->row[FX_LISTEN4_FULL].fd;
	/* Backlog 0 admits one connection to the accept queue; left unaccepted, it fills it. */
	int c = connect_to(AF_INET, "127.0.0.1", FX_PORT_FULL, false);
	CHECK(c >= 0, "connect to the backlog-0 listener");
	if (wait_for(readable, lfd, 1, "backlog-0 listener's accept queue") < 0)
		return -1;
	uint16_t cp = fx_local_port(c);
	held(f, FX_QUEUED_CLIENT, c, AF_INET, TCPT_ESTABLISHED, "127.0.0.1", cp, "127.0.0.1",
	     FX_PORT_FULL);
	held(f, FX_QUEUED_SERVER, -1, AF_INET, TCPT_ESTABLISHED, "127.0.0.1", FX_PORT_FULL,
	     "127.0.0.1", cp);
	f->row[FX_QUEUED_SERVER].cookie_unknown = true;
	f->row[FX_LISTEN4_FULL].want.rqueue = 1;

	/* The full queue makes the listener drop SYNs: this connect stays in SYN-SENT. */
	c = connect_to(AF_INET, "127.0.0.1", FX_PORT_FULL, true);
	clock_gettime(CLOCK_MONOTONIC, &f->row[FX_SYN_SENT].timer_started);
	f->row[FX_SYN_SENT].backs_off = true;
	CHECK(c >= 0, "nonblocking connect");
	struct tcpt_conn *w = held(f, FX_SYN_SENT, c, AF_INET, TCPT_SYN_SENT, "127.0.0.1",
				   fx_local_port(c), "127.0.0.1", FX_PORT_FULL);
	w->wqueue = 1; /* the SYN takes one sequence number */
	w->timer = TCPT_TIMER_RETRANSMIT;
	f->row[FX_SYN_SENT].expires_max_ms = 1000; /* TCP_TIMEOUT_INIT */
	errno = 0;
	CHECK(tcp_state(c) == TCP_SYN_SENT, "SYN-SENT socket is in state %d", tcp_state(c));
	return 0;
}

/* A request socket (SYN-RECV) stays when its client never sees the SYN-ACK: a socket filter
 * on the client drops every packet it would receive, so the client stays in SYN-SENT. */
static int build_syn_recv(struct fixture *f)
{
	/* The socket's uid is the fsuid at socket(): /proc shows it for the listener's
	 * requests, where netlink says 0. */
	setfsuid(FX_OTHER_UID);
	int lfd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	setfsuid(geteuid());
	CHECK(lfd >= 0, "socket");
	struct sockaddr_in sin = {.sin_family = AF_INET, .sin_port = htons(FX_PORT_OTHER_UID)};
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	CHECK(bind(lfd, (struct sockaddr *)&sin, sizeof sin) == 0 && listen(lfd, 6) == 0,
	      "listen on port %u", FX_PORT_OTHER_UID);
	listener(f, FX_LISTEN4_OTHER_UID, lfd, AF_INET, "127.0.0.1", FX_PORT_OTHER_UID, 6)->uid =
		FX_OTHER_UID;

	int c = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	CHECK(c >= 0, "socket");
	struct sock_filter drop_all[] = {BPF_STMT(BPF_RET | BPF_K, 0)};
	struct sock_fprog prog = {.len = 1, .filter = drop_all};
	CHECK(setsockopt(c, SOL_SOCKET, SO_ATTACH_FILTER, &prog, sizeof prog) == 0 &&
		      (connect(c, (struct sockaddr *)&sin, sizeof sin) == 0 || errno == EINPROGRESS),
	      "connect with a socket filter");
	uint16_t cp = fx_local_port(c);
	struct fx_row *deaf = &f->row[FX_DEAF_CLIENT];
	clock_gettime(CLOCK_MONOTONIC, &deaf->timer_started);
	deaf->backs_off = true;
	deaf->expires_max_ms = 1000;
	struct tcpt_conn *w = held(f, FX_DEAF_CLIENT, c, AF_INET, TCPT_SYN_SENT, "127.0.0.1", cp,
				   "127.0.0.1", FX_PORT_OTHER_UID);
	w->wqueue = 1;
	w->timer = TCPT_TIMER_RETRANSMIT;

	struct fx_row *req = &f->row[FX_SYN_RECV];
	req->timer_started = deaf->timer_started;
	req->backs_off = true;
	req->expires_max_ms = 1000;
	req->cookie_unknown = true;
	req->cgroup_unknown = false; /* the kernel sends no cgroup for requests */
	req->proc_uid_differs = true;
	req->proc_uid = FX_OTHER_UID;
	w = held(f, FX_SYN_RECV, -1, AF_INET, TCPT_SYN_RECV, "127.0.0.1", FX_PORT_OTHER_UID,
		 "127.0.0.1", cp);
	w->uid = 0;
	w->cgroup_id = 0;
	w->timer = TCPT_TIMER_RETRANSMIT;
	errno = 0;
	CHECK(tcp_state(c) == TCP_SYN_SENT, "filtered client is in state %d", tcp_state(c));
	return 0;
}

int fixture_build(struct fixture *f)
{
	memset(f, 0, sizeof *f);
	f->nrows = FX_COUNT;
	read_self(f);
	f->cgroup_id = own_cgroup_id(f->cgroup_path);
	for (unsigned i = 0; i < FX_COUNT; i++) {
		f->row[i].name = fx_names[i];
		f->row[i].fd = -1;
		f->row[i].cgroup_unknown = f->cgroup_id == 0;
		f->row[i].want.protocol = TCPT_PROTO_NUMBER_TCP;
	}
	if (build_listeners(f) < 0 || build_established(f) < 0 || build_closing(f) < 0 ||
	    build_queued_and_syn_sent(f) < 0 || build_syn_recv(f) < 0) {
		fixture_close(f);
		return -1;
	}
	return 0;
}

int fx_keep_fd(struct fixture *f, int fd)
{
	if (f->nextra == sizeof f->extra_fd / sizeof f->extra_fd[0])
		abort();
	f->extra_fd[f->nextra++] = fd;
	return fd;
}

void fixture_close(struct fixture *f)
{
	for (unsigned i = 0; i < f->nextra; i++)
		close(f->extra_fd[i]);
	f->nextra = 0;
	for (unsigned i = 0; i < f->nrows; i++)
		if (f->row[i].fd >= 0) {
			close(f->row[i].fd);
			f->row[i].fd = -1;
		}
}

fx_set fx_all(const struct fixture *f)
{
	return f->nrows >= 64 ? ~(fx_set)0 : FX_BIT(f->nrows) - 1;
}

fx_set fx_with_states(const struct fixture *f, fx_set set, uint32_t states)
{
	fx_set out = 0;
	for (unsigned i = 0; i < f->nrows; i++)
		if ((set & FX_BIT(i)) && (states & TCPT_STATE_BIT(f->row[i].want.state)))
			out |= FX_BIT(i);
	return out;
}

fx_set fx_with_families(const struct fixture *f, fx_set set, unsigned families)
{
	fx_set out = 0;
	for (unsigned i = 0; i < f->nrows; i++) {
		unsigned fam = f->row[i].want.family == AF_INET ? TCPT_FAMILY_IPV4 : TCPT_FAMILY_IPV6;
		if ((set & FX_BIT(i)) && (families & fam))
			out |= FX_BIT(i);
	}
	return out;
}
