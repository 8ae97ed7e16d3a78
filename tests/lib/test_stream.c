/* tcpt_snapshot_stream(): the rows of a snapshot, one call each, in a private namespace. */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cmocka.h>

#include "netns.h"
#include "tcptable.h"

enum { MAX_ROWS = 64 };

struct collected {
	struct tcpt_conn rows[MAX_ROWS];
	struct tcpt_owner owners[MAX_ROWS]; /* the first owner of each row, copied */
	bool had_info[MAX_ROWS];
	size_t count;
	size_t stop_after; /* 0: never stop */
};

static int collect(const struct tcpt_conn *row, void *ctx)
{
	struct collected *c = ctx;
	if (c->count == MAX_ROWS)
		return -ENOSPC;
	c->rows[c->count] = *row;
	c->owners[c->count] = row->owner_count ? row->owners[0] : (struct tcpt_owner){0};
	c->had_info[c->count] = row->info != NULL;
	c->rows[c->count].owners = NULL; /* not valid after the call */
	c->rows[c->count].info = NULL;
	c->count++;
	return c->stop_after && c->count == c->stop_after ? -ECANCELED : 0;
}

static int fds[16];
static size_t nfds;

static int connect_to(uint16_t port)
{
	int c = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	struct sockaddr_in sin = {.sin_family = AF_INET, .sin_port = htons(port)};
	inet_pton(AF_INET, "127.0.0.1", &sin.sin_addr);
	return connect(c, (struct sockaddr *)&sin, sizeof(sin)) == 0 ? c : -1;
}

static int setup(void **state)
{
	bool skip;
	if (test_netns_require("stream tests", &skip) < 0)
		return skip ? 0 : -1;
	for (uint16_t port = 9001; port <= 9003; port++) {
		int l = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
		struct sockaddr_in sin = {.sin_family = AF_INET, .sin_port = htons(port)};
		inet_pton(AF_INET, "127.0.0.1", &sin.sin_addr);
		if (bind(l, (struct sockaddr *)&sin, sizeof(sin)) || listen(l, 8))
			return -1;
		int c = connect_to(port);
		int a = accept4(l, NULL, NULL, SOCK_CLOEXEC);
		if (c < 0 || a < 0)
			return -1;
		fds[nfds++] = l;
		fds[nfds++] = c;
		fds[nfds++] = a;
	}
	*state = fds;
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	for (size_t i = 0; i < nfds; i++)
		close(fds[i]);
	return 0;
}

#define REQUIRE_NAMESPACE(state)                                                             \
	do {                                                                                 \
		if (!*(state))                                                               \
			skip();                                                              \
	} while (0)

static const struct tcpt_conn *find_cookie(const struct tcpt_conn *rows, size_t n, uint64_t c)
{
	for (size_t i = 0; i < n; i++)
		if (rows[i].cookie == c)
			return &rows[i];
	return NULL;
}

static void stream_hands_over_the_rows_of_a_snapshot(void **state)
{
	REQUIRE_NAMESPACE(state);
	struct tcpt_query q = {.want = TCPT_WANT_OWNERS | TCPT_WANT_PROCESS | TCPT_WANT_INFO};
	struct tcpt_snapshot *snap;
	assert_int_equal(0, tcpt_snapshot_take(&q, &snap));
	struct collected *c = calloc(1, sizeof(*c));
	struct tcpt_stream_result res = {0};
	assert_int_equal(0, tcpt_snapshot_stream(&q, collect, c, &res));
	assert_int_equal(9, c->count);
	assert_int_equal(tcpt_snapshot_count(snap), c->count);
	assert_int_equal(c->count, res.rows);
	assert_int_equal(TCPT_SOURCE_NETLINK, res.source);
	for (size_t i = 0; i < c->count; i++) {
		const struct tcpt_conn *want =
			find_cookie(tcpt_snapshot_rows(snap), tcpt_snapshot_count(snap),
				    c->rows[i].cookie);
		assert_non_null(want);
		assert_int_equal(want->state, c->rows[i].state);
		assert_int_equal(want->local_port, c->rows[i].local_port);
		assert_int_equal(want->remote_port, c->rows[i].remote_port);
		assert_memory_equal(want->local_addr, c->rows[i].local_addr, 16);
		assert_int_equal(want->inode, c->rows[i].inode);
		assert_int_equal(want->netns, c->rows[i].netns);
		assert_int_equal(1, want->owner_count);
		assert_int_equal(want->owners[0].pid, c->owners[i].pid);
		assert_int_equal(want->owners[0].fd, c->owners[i].fd);
		assert_true(c->had_info[i]); /* listeners and connections all have tcp_info */
	}
	tcpt_snapshot_free(snap);
	free(c);
}

static void stream_applies_filters_and_masks(void **state)
{
	REQUIRE_NAMESPACE(state);
	struct tcpt_port_range p[] = {{9002, 9002}};
	struct tcpt_filter f = {.ports = p, .port_count = 1};
	struct tcpt_query q = {.filter = &f, .states = TCPT_STATE_BIT(TCPT_ESTABLISHED)};
	struct collected *c = calloc(1, sizeof(*c));
	assert_int_equal(0, tcpt_snapshot_stream(&q, collect, c, NULL));
	assert_int_equal(2, c->count);
	for (size_t i = 0; i < c->count; i++)
		assert_int_equal(TCPT_ESTABLISHED, c->rows[i].state);
	free(c);
}

static void stream_in_address_order_is_sorted(void **state)
{
	REQUIRE_NAMESPACE(state);
	struct tcpt_query q = {.order = TCPT_ORDER_ADDRESS};
	struct collected *c = calloc(1, sizeof(*c));
	assert_int_equal(0, tcpt_snapshot_stream(&q, collect, c, NULL));
	assert_int_equal(9, c->count);
	for (size_t i = 1; i < c->count; i++)
		assert_true(c->rows[i - 1].local_port <= c->rows[i].local_port);
	free(c);
}

static void stream_from_proc_gives_the_same_sockets(void **state)
{
	REQUIRE_NAMESPACE(state);
	struct tcpt_query q = {.source = TCPT_SOURCE_PROC};
	struct collected *c = calloc(1, sizeof(*c));
	struct tcpt_stream_result res;
	assert_int_equal(0, tcpt_snapshot_stream(&q, collect, c, &res));
	assert_int_equal(9, c->count);
	assert_int_equal(TCPT_SOURCE_PROC, res.source);
	free(c);
}

static void callback_error_stops_the_stream(void **state)
{
	REQUIRE_NAMESPACE(state);
	struct tcpt_query q = {0};
	struct collected *c = calloc(1, sizeof(*c));
	c->stop_after = 2;
	struct tcpt_stream_result res = {.rows = 777};
	assert_int_equal(-ECANCELED, tcpt_snapshot_stream(&q, collect, c, &res));
	assert_int_equal(2, c->count);
	assert_int_equal(777, res.rows); /* untouched on failure */
	free(c);
}

static void bad_arguments_are_einval(void **state)
{
	(void)state;
	struct tcpt_query q = {0};
	struct collected c = {0};
	assert_int_equal(-EINVAL, tcpt_snapshot_stream(NULL, collect, &c, NULL));
	assert_int_equal(-EINVAL, tcpt_snapshot_stream(&q, NULL, &c, NULL));
	struct tcpt_query bad = {.want = 1u << 7};
	assert_int_equal(-EINVAL, tcpt_snapshot_stream(&bad, collect, &c, NULL));
	struct tcpt_query reserved = {.reserved = {1}};
	assert_int_equal(-EINVAL, tcpt_snapshot_stream(&reserved, collect, &c, NULL));
	assert_int_equal(0, c.count);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(stream_hands_over_the_rows_of_a_snapshot),
		cmocka_unit_test(stream_applies_filters_and_masks),
		cmocka_unit_test(stream_in_address_order_is_sorted),
		cmocka_unit_test(stream_from_proc_gives_the_same_sockets),
		cmocka_unit_test(callback_error_stops_the_stream),
		cmocka_unit_test(bad_arguments_are_einval),
	};
	return cmocka_run_group_tests_name("stream", tests, setup, teardown);
}
