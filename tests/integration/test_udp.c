/*
 * test_udp.c - UDP sockets beside the TCP fixture: IPv4, IPv6, IPv4-mapped, bound and
 * connected, bound to a device, one shared with a forked child. Every field from both sources,
 * owners, states, kernel filters, streams, order, and as nobody.
 *
 * Expected values come from what the test did: fixed addresses and ports, fstat() inodes,
 * SO_COOKIE cookies, and SO_MEMINFO for the receive and send buffers (which the kernel counts
 * in buffer truesize, not in payload bytes: the same counters sock_diag and /proc report).
 */
#include "itest.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <linux/sock_diag.h>
#include <net/if.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#define NOBODY 65534
#define U_PORT_V4 3001
#define U_PORT_ANY4 3002
#define U_PORT_V6 3003
#define U_PORT_DUAL 3004
#define U_PORT_SHARED 3005
#define U_PORT_DEV 3006
#define U_PORT_NOBODY 3007
#define UNREAD "datagram"

/* The UDP rows of the fixture, added by add_udp_sockets(). */
struct udp_ids {
	unsigned v4, any4, v4_conn, v6, v6_conn, dual, mapped, shared, dev;
	fx_set all, unconnected, connected;
};

static struct udp_ids ids;

static uint32_t meminfo(int fd, int which)
{
	uint32_t mem[SK_MEMINFO_VARS] = {0};
	socklen_t len = sizeof mem;
	if (getsockopt(fd, SOL_SOCKET, SO_MEMINFO, mem, &len) < 0)
		fail_msg("SO_MEMINFO: %s", strerror(errno));
	return mem[which];
}

static socklen_t sockaddr_of(struct sockaddr_storage *ss, int family, const char *addr,
			     uint16_t port)
{
	memset(ss, 0, sizeof *ss);
	if (family == AF_INET) {
		struct sockaddr_in *a = (struct sockaddr_in *)ss;
		a->sin_family = AF_INET;
		a->sin_port = htons(port);
		assert_int_equal(1, inet_pton(AF_INET, addr, &a->sin_addr));
		return sizeof *a;
	}
	struct sockaddr_in6 *a = (struct sockaddr_in6 *)ss;
	a->sin6_family = AF_INET6;
	a->sin6_port = htons(port);
	assert_int_equal(1, inet_pton(AF_INET6, addr, &a->sin6_addr));
	return sizeof *a;
}

/* A UDP socket of FAMILY bound to ADDR:PORT (0: any port), V6ONLY as given (-1: default). */
static int udp_bound(int family, const char *addr, uint16_t port, int v6only)
{
	int fd = socket(family, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	assert_true(fd >= 0);
	if (v6only >= 0)
		assert_int_equal(0, setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &v6only,
					       sizeof v6only));
	struct sockaddr_storage ss;
	socklen_t len = sockaddr_of(&ss, family, addr, port);
	if (bind(fd, (struct sockaddr *)&ss, len) < 0)
		fail_msg("bind %s:%u: %s", addr, port, strerror(errno));
	return fd;
}

static void udp_connect(int fd, int family, const char *addr, uint16_t port)
{
	struct sockaddr_storage ss;
	socklen_t len = sockaddr_of(&ss, family, addr, port);
	if (connect(fd, (struct sockaddr *)&ss, len) < 0)
		fail_msg("connect %s:%u: %s", addr, port, strerror(errno));
}

/* Record socket FD as a UDP row: its ends as given, its identity from the kernel's answers
 * to our own questions. */
static unsigned udp_row(struct fixture *f, const char *name, int fd, int family, int state,
			const char *laddr, uint16_t lport, const char *raddr, uint16_t rport)
{
	unsigned id = fx_add_row(f, name);
	struct fx_row *r = &f->row[id];
	r->fd = fd;
	r->want.protocol = TCPT_PROTO_NUMBER_UDP;
	r->want.family = (uint8_t)family;
	r->want.state = (uint8_t)state;
	fx_set_addr(r->want.local_addr, family, laddr);
	fx_set_addr(r->want.remote_addr, family, raddr);
	r->want.local_port = lport;
	r->want.remote_port = rport;
	r->want.uid = (uint32_t)geteuid();
	r->want.inode = fx_inode(fd);
	r->want.cookie = fx_cookie(fd);
	r->want.cgroup_id = f->cgroup_id;
	r->want.netns = f->netns;
	fx_add_owner(f, id, (int32_t)getpid(), fd, f->comm, f->exe);
	return id;
}

static void settle_queues(struct fixture *f)
{
	for (fx_set s = ids.all; s; s &= s - 1) {
		struct fx_row *r = &f->row[__builtin_ctzll(s)];
		r->want.rqueue = meminfo(r->fd, SK_MEMINFO_RMEM_ALLOC);
		r->want.wqueue = meminfo(r->fd, SK_MEMINFO_WMEM_ALLOC);
	}
}

static void add_udp_sockets(struct fixture *f)
{
	int v4 = udp_bound(AF_INET, "127.0.0.1", U_PORT_V4, -1);
	ids.v4 = udp_row(f, "U4_BOUND", v4, AF_INET, TCPT_CLOSE, "127.0.0.1", U_PORT_V4,
			 "0.0.0.0", 0);
	int any4 = udp_bound(AF_INET, "0.0.0.0", U_PORT_ANY4, -1);
	ids.any4 = udp_row(f, "U4_ANY", any4, AF_INET, TCPT_CLOSE, "0.0.0.0", U_PORT_ANY4,
			   "0.0.0.0", 0);
	int c4 = udp_bound(AF_INET, "127.0.0.1", 0, -1);
	udp_connect(c4, AF_INET, "127.0.0.1", U_PORT_V4);
	ids.v4_conn = udp_row(f, "U4_CONNECTED", c4, AF_INET, TCPT_ESTABLISHED, "127.0.0.1",
			      fx_local_port(c4), "127.0.0.1", U_PORT_V4);
	/* one datagram left unread on U4_BOUND */
	assert_int_equal((ssize_t)sizeof UNREAD, send(c4, UNREAD, sizeof UNREAD, 0));

	int v6 = udp_bound(AF_INET6, "::1", U_PORT_V6, 1);
	ids.v6 = udp_row(f, "U6_BOUND", v6, AF_INET6, TCPT_CLOSE, "::1", U_PORT_V6, "::", 0);
	int c6 = udp_bound(AF_INET6, "::1", 0, 1);
	udp_connect(c6, AF_INET6, "::1", U_PORT_V6);
	ids.v6_conn = udp_row(f, "U6_CONNECTED", c6, AF_INET6, TCPT_ESTABLISHED, "::1",
			      fx_local_port(c6), "::1", U_PORT_V6);
	int dual = udp_bound(AF_INET6, "::", U_PORT_DUAL, 0);
	ids.dual = udp_row(f, "U6_DUAL", dual, AF_INET6, TCPT_CLOSE, "::", U_PORT_DUAL, "::", 0);
	int mapped = socket(AF_INET6, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	assert_true(mapped >= 0);
	udp_connect(mapped, AF_INET6, "::ffff:127.0.0.1", U_PORT_ANY4);
	ids.mapped = udp_row(f, "U6_MAPPED", mapped, AF_INET6, TCPT_ESTABLISHED,
			     "::ffff:127.0.0.1", fx_local_port(mapped), "::ffff:127.0.0.1",
			     U_PORT_ANY4);

	int dev = udp_bound(AF_INET6, "::1", U_PORT_DEV, 1);
	assert_int_equal(0, setsockopt(dev, SOL_SOCKET, SO_BINDTODEVICE, "lo", 3));
	ids.dev = udp_row(f, "U6_DEVICE", dev, AF_INET6, TCPT_CLOSE, "::1", U_PORT_DEV, "::", 0);
	f->row[ids.dev].want.scope_id = f->lo_ifindex ? f->lo_ifindex : if_nametoindex("lo");

	/* shared: a forked child holds it as descriptor 9 as well */
	int shared = udp_bound(AF_INET, "127.0.0.1", U_PORT_SHARED, -1);
	ids.shared = udp_row(f, "U4_SHARED", shared, AF_INET, TCPT_CLOSE, "127.0.0.1",
			     U_PORT_SHARED, "0.0.0.0", 0);
	pid_t child = itest_spawn_holder(shared, 9, "udpholder");
	fx_add_owner(f, ids.shared, (int32_t)child, 9, "udpholder", f->exe);

	ids.unconnected = FX_BIT(ids.v4) | FX_BIT(ids.any4) | FX_BIT(ids.v6) | FX_BIT(ids.dual) |
			  FX_BIT(ids.dev) | FX_BIT(ids.shared);
	ids.connected = FX_BIT(ids.v4_conn) | FX_BIT(ids.v6_conn) | FX_BIT(ids.mapped);
	ids.all = ids.unconnected | ids.connected;
	settle_queues(f);
}

static struct fixture *udp_fixture(void **state)
{
	struct fixture *f = itest_fixture(state);
	add_udp_sockets(f);
	return f;
}

static fx_set tcp_rows(const struct fixture *f)
{
	return fx_all(f) & ~ids.all;
}

static void assert_udp(const struct fixture *f, fx_set set, const struct tcpt_query *q)
{
	struct tcpt_snapshot *s = itest_take_query(q);
	itest_assert_rows(f, set, s, q->source, q->want);
}

/* ---- rows ------------------------------------------------------------------------------ */

static void udp_rows_from_netlink_have_every_field(void **state)
{
	struct fixture *f = udp_fixture(state);
	struct tcpt_query q = {.protocols = TCPT_PROTO_UDP, .source = TCPT_SOURCE_NETLINK};
	assert_udp(f, ids.all, &q);
	q.want = ITEST_WANT_NAMES;
	assert_udp(f, ids.all, &q);
}

static void udp_rows_from_proc_have_every_field(void **state)
{
	struct fixture *f = udp_fixture(state);
	struct tcpt_query q = {.protocols = TCPT_PROTO_UDP, .source = TCPT_SOURCE_PROC};
	assert_udp(f, ids.all, &q);
	q.want = ITEST_WANT_NAMES;
	assert_udp(f, ids.all, &q);
}

static void udp_rows_agree_between_sources(void **state)
{
	udp_fixture(state);
	/* UDP alone: the TCP rows' timers move between the two snapshots (test_sources_agree.c
	 * allows for that); UDP rows have none, so every field must be equal */
	struct tcpt_query q = {.protocols = TCPT_PROTO_UDP, .source = TCPT_SOURCE_NETLINK,
			       .want = ITEST_WANT_NAMES, .order = TCPT_ORDER_ADDRESS};
	struct tcpt_snapshot *nl = itest_take_query(&q);
	q.source = TCPT_SOURCE_PROC;
	struct tcpt_snapshot *pr = itest_take_query(&q);
	size_t problems = itest_compare_sources(tcpt_snapshot_rows(nl), tcpt_snapshot_count(nl),
						tcpt_snapshot_rows(pr), tcpt_snapshot_count(pr),
						0, ITEST_WANT_NAMES);
	assert_int_equal(0, problems);
	assert_int_equal(__builtin_popcountll(ids.all), tcpt_snapshot_count(pr));
}

/* A zeroed protocol mask is TCP alone, as before UDP existed; both gives both. */
static void protocols_select_tcp_udp_or_both(void **state)
{
	struct fixture *f = udp_fixture(state);
	for (int src = TCPT_SOURCE_NETLINK; src <= TCPT_SOURCE_PROC; src++) {
		struct tcpt_query q = {.source = (enum tcpt_source)src};
		assert_udp(f, tcp_rows(f), &q);
		q.protocols = TCPT_PROTO_TCP;
		assert_udp(f, tcp_rows(f), &q);
		q.protocols = TCPT_PROTO_ALL;
		assert_udp(f, fx_all(f), &q);
	}
}

/* CLOSE is ss's UNCONN, ESTABLISHED its ESTAB; the kernel filters by the same mask. */
static void udp_states_tell_unconnected_from_connected(void **state)
{
	struct fixture *f = udp_fixture(state);
	for (int src = TCPT_SOURCE_NETLINK; src <= TCPT_SOURCE_PROC; src++) {
		struct tcpt_query q = {.protocols = TCPT_PROTO_UDP, .source = (enum tcpt_source)src,
				       .states = TCPT_STATE_BIT(TCPT_CLOSE)};
		assert_udp(f, ids.unconnected, &q);
		q.states = TCPT_STATE_BIT(TCPT_ESTABLISHED);
		assert_udp(f, ids.connected, &q);
		q.states = TCPT_STATE_BIT(TCPT_LISTEN) | TCPT_STATE_BIT(TCPT_CLOSE);
		q.protocols = TCPT_PROTO_ALL;
		assert_udp(f, ids.unconnected | fx_with_states(f, tcp_rows(f),
							       TCPT_STATE_BIT(TCPT_LISTEN)), &q);
	}
	const struct tcpt_conn unconn = {.protocol = TCPT_PROTO_NUMBER_UDP, .state = TCPT_CLOSE};
	const struct tcpt_conn conn = {.protocol = TCPT_PROTO_NUMBER_UDP,
				       .state = TCPT_ESTABLISHED};
	const struct tcpt_conn tcp_close = {.protocol = TCPT_PROTO_NUMBER_TCP, .state = TCPT_CLOSE};
	assert_string_equal("UNCONN", tcpt_conn_state_name(&unconn));
	assert_string_equal("ESTABLISHED", tcpt_conn_state_name(&conn));
	assert_string_equal("CLOSE", tcpt_conn_state_name(&tcp_close));
	assert_string_equal("udp", tcpt_protocol_name(TCPT_PROTO_NUMBER_UDP));
	assert_string_equal("tcp", tcpt_protocol_name(TCPT_PROTO_NUMBER_TCP));
}

static void udp_families_are_selected(void **state)
{
	struct fixture *f = udp_fixture(state);
	struct tcpt_query q = {.protocols = TCPT_PROTO_UDP, .families = TCPT_FAMILY_IPV4};
	assert_udp(f, fx_with_families(f, ids.all, TCPT_FAMILY_IPV4), &q);
	q.families = TCPT_FAMILY_IPV6;
	assert_udp(f, fx_with_families(f, ids.all, TCPT_FAMILY_IPV6), &q);
}

/* Ports and addresses run as kernel bytecode for UDP too; /proc filters in user space. */
static void udp_filters_by_port_and_address(void **state)
{
	struct fixture *f = udp_fixture(state);
	const struct tcpt_port_range ports[] = {{U_PORT_V4, U_PORT_V4}, {U_PORT_V6, U_PORT_V6}};
	struct tcpt_prefix v6 = {.family = AF_INET6, .bits = 128};
	fx_set_addr(v6.addr, AF_INET6, "::1");
	for (int src = TCPT_SOURCE_NETLINK; src <= TCPT_SOURCE_PROC; src++) {
		struct tcpt_filter flt = {.local_ports = ports, .local_port_count = 2};
		struct tcpt_query q = {.protocols = TCPT_PROTO_UDP, .source = (enum tcpt_source)src,
				       .filter = &flt};
		assert_udp(f, FX_BIT(ids.v4) | FX_BIT(ids.v6), &q);
		flt = (struct tcpt_filter){.remote_ports = ports, .remote_port_count = 2};
		assert_udp(f, FX_BIT(ids.v4_conn) | FX_BIT(ids.v6_conn), &q);
		flt = (struct tcpt_filter){.local_addrs = &v6, .local_addr_count = 1};
		assert_udp(f, FX_BIT(ids.v6) | FX_BIT(ids.v6_conn) | FX_BIT(ids.dev), &q);
	}
}

struct collected {
	struct tcpt_conn rows[FX_MAX_ROWS * 2];
	struct tcpt_owner owners[FX_MAX_ROWS * 2][FX_MAX_OWNERS];
	size_t n;
};

static int collect(const struct tcpt_conn *row, void *ctx)
{
	struct collected *c = ctx;
	if (c->n == sizeof c->rows / sizeof c->rows[0])
		return -ENOSPC;
	c->rows[c->n] = *row;
	for (uint32_t i = 0; i < row->owner_count && i < FX_MAX_OWNERS; i++)
		c->owners[c->n][i] = row->owners[i];
	c->rows[c->n].owners = row->owner_count ? c->owners[c->n] : NULL;
	c->rows[c->n].info = NULL;
	c->n++;
	return 0;
}

static void udp_rows_stream_like_a_snapshot(void **state)
{
	struct fixture *f = udp_fixture(state);
	static struct collected c;
	c.n = 0;
	struct tcpt_query q = {.protocols = TCPT_PROTO_ALL, .want = TCPT_WANT_OWNERS};
	struct tcpt_stream_result res;
	assert_int_equal(0, tcpt_snapshot_stream(&q, collect, &c, &res));
	assert_int_equal(TCPT_SOURCE_NETLINK, res.source);
	assert_int_equal(c.n, res.rows);
	assert_int_equal(0, itest_compare(f, fx_all(f), c.rows, c.n, TCPT_SOURCE_NETLINK,
					  TCPT_WANT_OWNERS, "stream"));
}

/* TCP before UDP, IPv4 before IPv6, then addresses and ports as numbers. */
static void udp_rows_sort_after_tcp_by_address(void **state)
{
	udp_fixture(state);
	struct tcpt_query q = {.protocols = TCPT_PROTO_ALL, .order = TCPT_ORDER_ADDRESS};
	struct tcpt_snapshot *s = itest_take_query(&q);
	const struct tcpt_conn *r = tcpt_snapshot_rows(s);
	size_t n = tcpt_snapshot_count(s);
	assert_true(n > 0);
	for (size_t i = 1; i < n; i++) {
		const struct tcpt_conn *a = &r[i - 1], *b = &r[i];
		assert_true(a->protocol <= b->protocol);
		if (a->protocol != b->protocol)
			continue;
		assert_true(a->family <= b->family);
		if (a->family != b->family)
			continue;
		int c = memcmp(a->local_addr, b->local_addr, 16);
		assert_true(c <= 0);
		if (c == 0)
			assert_true(a->local_port <= b->local_port);
	}
	assert_int_equal(TCPT_PROTO_NUMBER_UDP, r[n - 1].protocol);
}

static void udp_rows_are_never_destroyed(void **state)
{
	struct fixture *f = udp_fixture(state);
	assert_int_equal(-EINVAL, tcpt_conn_destroy(&f->row[ids.v4_conn].want));
}

/* ---- as nobody ------------------------------------------------------------------------- */

enum { N_PLAIN_NETLINK, N_PLAIN_PROC, N_OWNERS_NETLINK, N_OWNERS_PROC, N_TAKES };

struct report {
	char failed[64];
	int err;
	int rc[N_TAKES];
	size_t problems[N_TAKES];
};

static void nobody_child(struct fixture *f, struct report *rep)
{
	fixture_close(f); /* root's sockets: no owner nobody may see */
	for (unsigned i = 0; i < f->nrows; i++)
		f->row[i].nowners = 0;
	if (setgroups(0, NULL) < 0 || setgid(NOBODY) < 0 || setuid(NOBODY) < 0 ||
	    prctl(PR_SET_DUMPABLE, 1, 0, 0, 0) < 0) {
		snprintf(rep->failed, sizeof rep->failed, "becoming nobody");
		rep->err = errno;
		return;
	}
	int fd = socket(AF_INET6, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	struct sockaddr_in6 a = {.sin6_family = AF_INET6, .sin6_port = htons(U_PORT_NOBODY),
				 .sin6_addr = IN6ADDR_LOOPBACK_INIT};
	if (fd < 0 || bind(fd, (struct sockaddr *)&a, sizeof a) < 0) {
		snprintf(rep->failed, sizeof rep->failed, "bind as nobody");
		rep->err = errno;
		return;
	}
	unsigned id = fx_add_row(f, "U6_NOBODY");
	struct fx_row *r = &f->row[id];
	r->fd = fd;
	r->want.protocol = TCPT_PROTO_NUMBER_UDP;
	r->want.family = AF_INET6;
	r->want.state = TCPT_CLOSE;
	fx_set_addr(r->want.local_addr, AF_INET6, "::1");
	r->want.local_port = U_PORT_NOBODY;
	r->want.uid = NOBODY;
	r->want.inode = fx_inode(fd);
	r->want.cookie = fx_cookie(fd);
	r->want.cgroup_id = f->cgroup_id;
	r->want.netns = f->netns;
	fx_add_owner(f, id, (int32_t)getpid(), fd, f->comm, f->exe);
	fx_set want_rows = ids.all | FX_BIT(id);
	static const struct {
		enum tcpt_source source;
		unsigned want;
	} takes[N_TAKES] = {{TCPT_SOURCE_NETLINK, 0}, {TCPT_SOURCE_PROC, 0},
			    {TCPT_SOURCE_NETLINK, ITEST_WANT_NAMES},
			    {TCPT_SOURCE_PROC, ITEST_WANT_NAMES}};
	for (int t = 0; t < N_TAKES; t++) {
		struct tcpt_query q = {.protocols = TCPT_PROTO_UDP, .source = takes[t].source,
				       .want = takes[t].want};
		struct tcpt_snapshot *s = NULL;
		rep->rc[t] = tcpt_snapshot_take(&q, &s);
		if (rep->rc[t] == 0)
			rep->problems[t] = itest_compare(f, want_rows, tcpt_snapshot_rows(s),
							 tcpt_snapshot_count(s), takes[t].source,
							 takes[t].want, "nobody");
		tcpt_snapshot_free(s);
	}
	close(fd);
}

static void nobody_lists_udp_rows_and_its_own_owners(void **state)
{
	struct fixture *f = udp_fixture(state);
	struct report rep;
	memset(&rep, 0, sizeof rep);
	int p[2];
	assert_int_equal(0, pipe2(p, O_CLOEXEC));
	pid_t pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		close(p[0]);
		nobody_child(f, &rep);
		ssize_t w = write(p[1], &rep, sizeof rep);
		_exit(w == (ssize_t)sizeof rep ? 0 : 1);
	}
	close(p[1]);
	ssize_t got = 0, r;
	while (got < (ssize_t)sizeof rep &&
	       ((r = read(p[0], (char *)&rep + got, sizeof rep - (size_t)got)) > 0 ||
		(r < 0 && errno == EINTR)))
		got += r > 0 ? r : 0;
	close(p[0]);
	int status;
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	assert_int_equal(sizeof rep, got);
	if (rep.failed[0])
		fail_msg("child: %s: %s", rep.failed, strerror(rep.err));
	for (int t = 0; t < N_TAKES; t++) {
		assert_int_equal(0, rep.rc[t]);
		assert_int_equal(0, rep.problems[t]);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
#define T(name) cmocka_unit_test_setup_teardown(name, itest_setup, itest_teardown)
		T(udp_rows_from_netlink_have_every_field),
		T(udp_rows_from_proc_have_every_field),
		T(udp_rows_agree_between_sources),
		T(protocols_select_tcp_udp_or_both),
		T(udp_states_tell_unconnected_from_connected),
		T(udp_families_are_selected),
		T(udp_filters_by_port_and_address),
		T(udp_rows_stream_like_a_snapshot),
		T(udp_rows_sort_after_tcp_by_address),
		T(udp_rows_are_never_destroyed),
		T(nobody_lists_udp_rows_and_its_own_owners),
	};
	return cmocka_run_group_tests_name("integration udp", tests, itest_group_setup, NULL);
}
