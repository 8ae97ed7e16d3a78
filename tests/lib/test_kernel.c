/* What the library asks of the real kernel, in private network namespaces: bytecode the
 * kernel runs, tcp_info, and one snapshot over several namespaces. */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <sched.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "bytecode.h"
#include "diag.h"
#include "netns.h"

static int listen_on(int family, const char *addr, uint16_t port)
{
	int fd = socket(family, SOCK_STREAM | SOCK_CLOEXEC, 0);
	assert_true(fd >= 0);
	int one = 1;
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	struct sockaddr_storage ss = {0};
	socklen_t len;
	if (family == AF_INET) {
		struct sockaddr_in *sin = (struct sockaddr_in *)&ss;
		sin->sin_family = AF_INET;
		sin->sin_port = htons(port);
		inet_pton(AF_INET, addr, &sin->sin_addr);
		len = sizeof(*sin);
	} else {
		struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)&ss;
		sin6->sin6_family = AF_INET6;
		sin6->sin6_port = htons(port);
		inet_pton(AF_INET6, addr, &sin6->sin6_addr);
		len = sizeof(*sin6);
	}
	assert_int_equal(0, bind(fd, (struct sockaddr *)&ss, len));
	assert_int_equal(0, listen(fd, 16));
	return fd;
}

/* A connected pair to LISTENER on ADDR:PORT: client and accepted server fds. */
static void connect_pair(int listener, const char *addr, uint16_t port, int *client,
			 int *server)
{
	*client = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	struct sockaddr_in sin = {.sin_family = AF_INET, .sin_port = htons(port)};
	inet_pton(AF_INET, addr, &sin.sin_addr);
	assert_int_equal(0, connect(*client, (struct sockaddr *)&sin, sizeof(sin)));
	*server = accept4(listener, NULL, NULL, SOCK_CLOEXEC);
	assert_true(*server >= 0);
}

struct world {
	int fds[16];
	size_t n;
};

static int setup_world(void **state)
{
	bool skip;
	if (test_netns_require("lib kernel tests", &skip) < 0)
		return skip ? 0 : -1;
	static struct world w;
	int l1 = listen_on(AF_INET, "127.0.0.1", 8080);
	int l2 = listen_on(AF_INET, "127.0.0.2", 9090);
	int l3 = listen_on(AF_INET6, "::1", 8080);
	int c1, s1, c2, s2;
	connect_pair(l1, "127.0.0.1", 8080, &c1, &s1);
	connect_pair(l2, "127.0.0.2", 9090, &c2, &s2);
	int fds[] = {l1, l2, l3, c1, s1, c2, s2};
	memcpy(w.fds, fds, sizeof(fds));
	w.n = sizeof(fds) / sizeof(fds[0]);
	*state = &w;
	return 0;
}

static int teardown_world(void **state)
{
	struct world *w = *state;
	for (size_t i = 0; w && i < w->n; i++)
		close(w->fds[i]);
	return 0;
}

#define REQUIRE_WORLD(state)                                                                 \
	do {                                                                                 \
		if (!*(state))                                                               \
			skip();                                                              \
	} while (0)

static void collect(const struct tcpt_filter *f, struct rowvec *rows)
{
	uint8_t bc[TCPT_BYTECODE_MAX_SIZE];
	size_t len = 0;
	if (f)
		assert_int_equal(0, bytecode_compile(f, bc, sizeof(bc), &len));
	struct diag_request req = {.families = TCPT_FAMILY_ALL, .states = TCPT_STATES_ALL,
				   .bytecode = f ? bc : NULL, .bytecode_len = len};
	assert_int_equal(0, diag_collect_kernel(&req, rows));
}

static void kernel_bytecode_returns_only_matching_sockets(void **state)
{
	REQUIRE_WORLD(state);
	struct tcpt_port_range local[] = {{8080, 8080}};
	struct tcpt_prefix v4only[] = {{.family = AF_INET, .bits = 8, .addr = {127}}};
	struct tcpt_filter filters[] = {
		{.local_ports = local, .local_port_count = 1},
		{.ports = local, .port_count = 1},
		{.local_addrs = v4only, .local_addr_count = 1},
		{.ports = local, .port_count = 1, .local_addrs = v4only, .local_addr_count = 1},
	};
	size_t expected_counts[] = {3, 4, 6, 3};
	struct rowvec all = {0};
	collect(NULL, &all);
	assert_int_equal(7, all.count); /* 3 listeners, 2 pairs */
	for (size_t i = 0; i < sizeof(filters) / sizeof(filters[0]); i++) {
		struct rowvec got = {0};
		collect(&filters[i], &got);
		size_t want = 0;
		for (size_t k = 0; k < all.count; k++)
			want += (size_t)tcpt_filter_match(&filters[i], &all.rows[k]);
		assert_int_equal(expected_counts[i], want);
		assert_int_equal(want, got.count);
		for (size_t k = 0; k < got.count; k++)
			assert_int_equal(1, tcpt_filter_match(&filters[i], &got.rows[k]));
		rowvec_free(&got);
	}
	rowvec_free(&all);
}

static void snapshot_with_filter_equals_both_sources(void **state)
{
	REQUIRE_WORLD(state);
	struct tcpt_port_range p[] = {{9000, 9999}};
	struct tcpt_filter f = {.ports = p, .port_count = 1};
	size_t counts[2];
	enum tcpt_source sources[] = {TCPT_SOURCE_NETLINK, TCPT_SOURCE_PROC};
	for (int i = 0; i < 2; i++) {
		struct tcpt_query q = {.filter = &f, .source = sources[i]};
		struct tcpt_snapshot *s;
		assert_int_equal(0, tcpt_snapshot_take(&q, &s));
		counts[i] = tcpt_snapshot_count(s);
		tcpt_snapshot_free(s);
	}
	assert_int_equal(3, counts[0]); /* listener 9090 and both ends of its pair */
	assert_int_equal(counts[0], counts[1]);
}

static void tcp_info_comes_with_established_rows(void **state)
{
	REQUIRE_WORLD(state);
	struct world *w = *state;
	char data[1000] = {0};
	assert_int_equal(1000, write(w->fds[3], data, sizeof(data)));
	usleep(20000);
	struct tcpt_query q = {.want = TCPT_WANT_INFO, .states = TCPT_STATE_BIT(TCPT_ESTABLISHED)};
	struct tcpt_snapshot *s;
	assert_int_equal(0, tcpt_snapshot_take(&q, &s));
	const struct tcpt_conn *rows = tcpt_snapshot_rows(s);
	assert_int_equal(4, tcpt_snapshot_count(s));
	bool saw_sender = false;
	for (size_t i = 0; i < tcpt_snapshot_count(s); i++) {
		assert_non_null(rows[i].info);
		assert_true(rows[i].info->congestion[0] != '\0');
		assert_true(rows[i].info->snd_mss > 0);
		assert_true(rows[i].info->rtt_us > 0);
		if (rows[i].info->bytes_acked == 1001) /* SYN counts one */
			saw_sender = true;
	}
	assert_true(saw_sender);
	tcpt_snapshot_free(s);

	struct tcpt_query plain = {0};
	assert_int_equal(0, tcpt_snapshot_take(&plain, &s));
	for (size_t i = 0; i < tcpt_snapshot_count(s); i++)
		assert_null(tcpt_snapshot_rows(s)[i].info);
	tcpt_snapshot_free(s);
}

static uint64_t inode_of(int fd)
{
	struct stat st;
	assert_int_equal(0, fstat(fd, &st));
	return st.st_ino;
}

static void one_snapshot_spans_several_namespaces(void **state)
{
	REQUIRE_WORLD(state);
	int first = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);
	assert_true(first >= 0);
	/* a second namespace with one listener, entered and left by a child-free dance */
	assert_int_equal(0, test_netns_enter());
	int second = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);
	int l = listen_on(AF_INET, "127.0.0.1", 7070);
	assert_int_equal(0, setns(first, CLONE_NEWNET));

	int fds[] = {first, second};
	struct tcpt_query q = {.netns_fds = fds, .netns_count = 2, .order = TCPT_ORDER_ADDRESS};
	struct tcpt_snapshot *s;
	assert_int_equal(0, tcpt_snapshot_take(&q, &s));
	assert_int_equal(8, tcpt_snapshot_count(s));
	size_t in_second = 0;
	for (size_t i = 0; i < tcpt_snapshot_count(s); i++) {
		const struct tcpt_conn *r = &tcpt_snapshot_rows(s)[i];
		if (r->netns == inode_of(second)) {
			in_second++;
			assert_int_equal(7070, r->local_port);
		} else {
			assert_int_equal(inode_of(first), r->netns);
		}
	}
	assert_int_equal(1, in_second);
	tcpt_snapshot_free(s);

	/* the caller's thread stayed where it was */
	int now = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);
	assert_int_equal(inode_of(first), inode_of(now));
	int bad[] = {now, STDIN_FILENO};
	struct tcpt_query q2 = {.netns_fds = bad, .netns_count = 2};
	assert_int_equal(-EINVAL, tcpt_snapshot_take(&q2, &s));
	struct tcpt_query q3 = {.netns_fds = NULL, .netns_count = 1};
	assert_int_equal(-EINVAL, tcpt_snapshot_take(&q3, &s));
	close(now);
	close(l);
	close(first);
	close(second);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(kernel_bytecode_returns_only_matching_sockets),
		cmocka_unit_test(snapshot_with_filter_equals_both_sources),
		cmocka_unit_test(tcp_info_comes_with_established_rows),
		cmocka_unit_test(one_snapshot_spans_several_namespaces),
	};
	return cmocka_run_group_tests_name("kernel", tests, setup_world, teardown_world);
}
