/* The destroy-notification subscription against the running kernel, in a private network
 * namespace (root needed; without root the tests skip loudly, under CI=true they fail):
 * closing a connection is notified, in both families, with the cookie the snapshot showed. */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cmocka.h>

#include "../common/netns.h" /* not src/cli/netns.h, which the CLI's include path finds first */
#include "watch_netlink.h"

struct seen {
	struct tcpt_conn rows[32];
	size_t count;
};

static void collect(void *ctx, const struct tcpt_conn *row)
{
	struct seen *s = ctx;
	if (s->count < 32)
		s->rows[s->count++] = *row;
}

union addr {
	struct sockaddr sa;
	struct sockaddr_in in;
	struct sockaddr_in6 in6;
};

static union addr loopback(int family, uint16_t port)
{
	union addr a;
	memset(&a, 0, sizeof(a));
	if (family == AF_INET6) {
		a.in6.sin6_family = AF_INET6;
		a.in6.sin6_addr = in6addr_loopback;
		a.in6.sin6_port = htons(port);
	} else {
		a.in.sin_family = AF_INET;
		a.in.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
		a.in.sin_port = htons(port);
	}
	return a;
}

static socklen_t addr_len(int family)
{
	return family == AF_INET6 ? sizeof(struct sockaddr_in6) : sizeof(struct sockaddr_in);
}

/* A connected pair through a listener on PORT; returns the client's local port. */
static uint16_t connect_pair(int family, uint16_t port, int *listener, int *client, int *server)
{
	union addr a = loopback(family, port);
	*listener = socket(family, SOCK_STREAM | SOCK_CLOEXEC, 0);
	assert_true(*listener >= 0);
	assert_int_equal(0, bind(*listener, &a.sa, addr_len(family)));
	assert_int_equal(0, listen(*listener, 4));
	*client = socket(family, SOCK_STREAM | SOCK_CLOEXEC, 0);
	assert_int_equal(0, connect(*client, &a.sa, addr_len(family)));
	*server = accept4(*listener, NULL, NULL, SOCK_CLOEXEC);
	assert_true(*server >= 0);
	union addr mine;
	socklen_t len = sizeof(mine);
	assert_int_equal(0, getsockname(*client, &mine.sa, &len));
	return ntohs(family == AF_INET6 ? mine.in6.sin6_port : mine.in.sin_port);
}

/* Close with a reset (SO_LINGER 0), so no TIME-WAIT socket stays: both ends are freed. */
static void close_abortively(int fd)
{
	struct linger l = {.l_onoff = 1, .l_linger = 0};
	assert_int_equal(0, setsockopt(fd, SOL_SOCKET, SO_LINGER, &l, sizeof(l)));
	close(fd);
}

/* Read notifications for up to two seconds, until one names LOCAL_PORT -> REMOTE_PORT.
 * An end closed with a reset has already forgotten its peer when it is freed
 * (tcp_disconnect() zeroes it): its notification says remote port 0. */
static const struct tcpt_conn *wait_for(int fd, struct seen *s, uint16_t local_port,
					uint16_t remote_port)
{
	for (int round = 0; round < 40; round++) {
		for (size_t i = 0; i < s->count; i++)
			if (s->rows[i].local_port == local_port &&
			    s->rows[i].remote_port == remote_port)
				return &s->rows[i];
		struct pollfd p = {.fd = fd, .events = POLLIN};
		poll(&p, 1, 50);
		assert_int_equal(0, watch_netlink_drain(fd, collect, s));
	}
	return NULL;
}

static void check_close_is_notified(int family, uint16_t port)
{
	int events = watch_netlink_open();
	assert_true(events >= 0);
	int l, c, sv;
	uint16_t cport = connect_pair(family, port, &l, &c, &sv);
	close_abortively(c);
	close(sv);
	close(l);
	struct seen s = {.count = 0};
	const struct tcpt_conn *client = wait_for(events, &s, cport, 0);
	assert_non_null(client);
	assert_int_equal(family, client->family);
	assert_int_equal(TCPT_CLOSE, client->state);
	assert_true(client->cookie != 0);
	assert_non_null(wait_for(events, &s, port, cport)); /* the accepted end */
	assert_non_null(wait_for(events, &s, port, 0));     /* the listener */
	close(events);
}

static void ipv4_close_is_notified(void **state)
{
	if (!*state)
		skip();
	check_close_is_notified(AF_INET, 5601);
}

static void ipv6_close_is_notified(void **state)
{
	if (!*state)
		skip();
	check_close_is_notified(AF_INET6, 5602);
}

/* The live view matches notifications to rows by cookie: both must be the same number. */
static void notified_cookie_is_the_snapshot_cookie(void **state)
{
	if (!*state)
		skip();
	int events = watch_netlink_open();
	assert_true(events >= 0);
	int l, c, sv;
	uint16_t cport = connect_pair(AF_INET, 5603, &l, &c, &sv);
	struct tcpt_query q = {.families = TCPT_FAMILY_IPV4};
	struct tcpt_snapshot *snap;
	assert_int_equal(0, tcpt_snapshot_take(&q, &snap));
	uint64_t cookie = 0;
	for (size_t i = 0; i < tcpt_snapshot_count(snap); i++)
		if (tcpt_snapshot_rows(snap)[i].local_port == cport)
			cookie = tcpt_snapshot_rows(snap)[i].cookie;
	tcpt_snapshot_free(snap);
	assert_true(cookie != 0);
	close_abortively(c);
	struct seen s = {.count = 0};
	const struct tcpt_conn *client = wait_for(events, &s, cport, 0);
	assert_non_null(client);
	assert_true(cookie == client->cookie);
	close(sv);
	close(l);
	close(events);
}

static int enter_namespace(void **state)
{
	bool skip_all;
	static int ready = 1;
	*state = NULL;
	if (test_netns_require("watch netlink tests", &skip_all) < 0)
		return skip_all ? 0 : -1;
	*state = &ready;
	return 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(ipv4_close_is_notified),
		cmocka_unit_test(ipv6_close_is_notified),
		cmocka_unit_test(notified_cookie_is_the_snapshot_cookie),
	};
	return cmocka_run_group_tests(tests, enter_namespace, NULL);
}
