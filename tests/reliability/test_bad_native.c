/* test_bad_native.c - every function of tcptable.h given NULL pointers, unknown enum values
 * and bits, inconsistent filters and descriptors that are not namespaces: each answers the
 * error its contract names and leaves its outputs untouched. */
// clang-format off
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
// clang-format on

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "check.h"
#include "rel.h"
#include "tcptable.h"

#define SENTINEL ((struct tcpt_snapshot *)(uintptr_t)0x5e5e5e5e)

static bool have_netns;

static int group_setup(void **state)
{
	(void)state;
	bool skip;
	static int fds[16];
	have_netns = rel_netns("reliability bad_native", &skip) == 0 &&
		     rel_open_sockets(fds, 16) > 0;
	return 0;
}

static int group_teardown(void **state)
{
	(void)state;
	printf("# %lu bad inputs tried\n", check_tried);
	return 0;
}

/* tcpt_snapshot_take(Q) fails with WANT and leaves the output alone. */
static void expect_take(int want, const struct tcpt_query *q, int line)
{
	struct tcpt_snapshot *s = SENTINEL;
	int r = tcpt_snapshot_take(q, &s);
	check_tried++;
	if (r != want || s != SENTINEL) {
		check_failed++;
		printf("# line %d: tcpt_snapshot_take: expected %d (%s) with the output untouched, "
		       "got %d (%s)%s\n", line, want, tcpt_error_name(want), r, tcpt_error_name(r),
		       s != SENTINEL ? ", output changed" : "");
		if (r == 0 && s != SENTINEL)
			tcpt_snapshot_free(s);
	}
}
#define TAKE(want, q) expect_take(want, q, __LINE__)

static void snapshot_take_rejects_null_pointers(void **state)
{
	(void)state;
	struct tcpt_query q = {0};
	TAKE(-EINVAL, NULL);
	EXPECT_EQ(-EINVAL, tcpt_snapshot_take(&q, NULL));
	EXPECT_EQ(-EINVAL, tcpt_snapshot_take(NULL, NULL));
	CHECKS_DONE();
}

static void snapshot_take_rejects_unknown_bits_and_enum_values(void **state)
{
	(void)state;
	static const unsigned families[] = {4, 8, 1u << 31, UINT_MAX};
	static const uint32_t states[] = {1u << 0, 1u << 14, 1u << 31, UINT32_MAX};
	static const unsigned wants[] = {1u << 3, 1u << 31, UINT_MAX};
	static const int sources[] = {4, 5, -1, INT_MAX}; /* 3 is TCPT_SOURCE_BPF */
	static const int orders[] = {2, -1, INT_MAX};
	for (size_t i = 0; i < sizeof(families) / sizeof(*families); i++)
		TAKE(-EINVAL, (&(struct tcpt_query){.families = families[i]}));
	for (size_t i = 0; i < sizeof(states) / sizeof(*states); i++)
		TAKE(-EINVAL, (&(struct tcpt_query){.states = states[i]}));
	for (size_t i = 0; i < sizeof(wants) / sizeof(*wants); i++)
		TAKE(-EINVAL, (&(struct tcpt_query){.want = wants[i]}));
	for (size_t i = 0; i < sizeof(sources) / sizeof(*sources); i++)
		TAKE(-EINVAL, (&(struct tcpt_query){.source = (enum tcpt_source)sources[i]}));
	for (size_t i = 0; i < sizeof(orders) / sizeof(*orders); i++)
		TAKE(-EINVAL, (&(struct tcpt_query){.order = (enum tcpt_order)orders[i]}));
	static const uint32_t protocols[] = {1u << 2, 1u << 31, UINT32_MAX};
	for (size_t i = 0; i < sizeof(protocols) / sizeof(*protocols); i++)
		TAKE(-EINVAL, (&(struct tcpt_query){.protocols = protocols[i]}));
	TAKE(-EINVAL, (&(struct tcpt_query){.reserved = {1}}));
	TAKE(-EINVAL, (&(struct tcpt_query){.reserved = {UINT32_MAX}}));
	CHECKS_DONE();
}

static void snapshot_take_rejects_filters_with_null_lists(void **state)
{
	(void)state;
	struct tcpt_filter f;
	struct tcpt_query q = {.filter = &f};
#define NULL_LIST(count_field)                                                               \
	do {                                                                                 \
		memset(&f, 0, sizeof(f));                                                    \
		f.count_field = 1;                                                           \
		TAKE(-EINVAL, &q);                                                           \
		f.count_field = SIZE_MAX;                                                    \
		TAKE(-EINVAL, &q);                                                           \
	} while (0)
	NULL_LIST(local_port_count);
	NULL_LIST(remote_port_count);
	NULL_LIST(port_count);
	NULL_LIST(local_addr_count);
	NULL_LIST(remote_addr_count);
	NULL_LIST(uid_count);
	NULL_LIST(pid_count);
	NULL_LIST(name_count);
#undef NULL_LIST
	CHECKS_DONE();
}

static void snapshot_take_rejects_reversed_ranges_and_long_prefixes(void **state)
{
	(void)state;
	struct tcpt_port_range reversed = {.first = 81, .last = 80};
	struct tcpt_filter f = {.local_ports = &reversed, .local_port_count = 1};
	struct tcpt_query q = {.filter = &f};
	TAKE(-EINVAL, &q);
	f = (struct tcpt_filter){.remote_ports = &reversed, .remote_port_count = 1};
	TAKE(-EINVAL, &q);
	f = (struct tcpt_filter){.ports = &reversed, .port_count = 1};
	TAKE(-EINVAL, &q);
	static const struct tcpt_prefix bad[] = {
		{.family = AF_INET, .bits = 33},   {.family = AF_INET, .bits = 255},
		{.family = AF_INET6, .bits = 129}, {.family = AF_INET6, .bits = 255},
		{.family = 0, .bits = 0},          {.family = AF_UNIX, .bits = 8},
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(*bad); i++) {
		f = (struct tcpt_filter){.local_addrs = &bad[i], .local_addr_count = 1};
		TAKE(-EINVAL, &q);
		f = (struct tcpt_filter){.remote_addrs = &bad[i], .remote_addr_count = 1};
		TAKE(-EINVAL, &q);
	}
	CHECKS_DONE();
}

static void snapshot_take_rejects_descriptors_that_are_not_network_namespaces(void **state)
{
	(void)state;
	int null = open("/dev/null", O_RDONLY | O_CLOEXEC);
	int user_ns = open("/proc/self/ns/user", O_RDONLY | O_CLOEXEC);
	int closed = dup(null);
	close(closed);
	const int not_netns[] = {null, user_ns};
	for (size_t i = 0; i < sizeof(not_netns) / sizeof(*not_netns); i++) {
		struct tcpt_query q = {.netns_fds = &not_netns[i], .netns_count = 1};
		TAKE(-EINVAL, &q);
	}
	/* No descriptor at all: -EBADF (from setns) is as fair as -EINVAL; both fail cleanly. */
	const int not_fds[] = {-1, closed, INT_MAX};
	for (size_t i = 0; i < sizeof(not_fds) / sizeof(*not_fds); i++) {
		struct tcpt_query q = {.netns_fds = &not_fds[i], .netns_count = 1};
		struct tcpt_snapshot *s = SENTINEL;
		int r = tcpt_snapshot_take(&q, &s);
		EXPECT_TRUE((r == -EINVAL || r == -EBADF) && s == SENTINEL);
	}
	struct tcpt_query q = {.netns_fds = NULL, .netns_count = 1};
	TAKE(-EINVAL, &q);
	close(null);
	close(user_ns);
	CHECKS_DONE();
}

static void snapshot_accessors_accept_null(void **state)
{
	(void)state;
	EXPECT_EQ(0, tcpt_snapshot_count(NULL));
	EXPECT_TRUE(tcpt_snapshot_rows(NULL) == NULL);
	EXPECT_EQ(TCPT_SOURCE_AUTO, tcpt_snapshot_source(NULL));
	EXPECT_EQ(0, tcpt_snapshot_unreadable_processes(NULL));
	tcpt_snapshot_free(NULL);
	CHECKS_DONE();
}

static void names_and_errors_accept_any_number(void **state)
{
	(void)state;
	static const unsigned states[] = {0, 14, 255, UINT_MAX};
	for (size_t i = 0; i < sizeof(states) / sizeof(*states); i++)
		EXPECT_EQ(0, strcmp("UNKNOWN", tcpt_state_name(states[i])));
	static const unsigned timers[] = {5, 255, UINT_MAX};
	for (size_t i = 0; i < sizeof(timers) / sizeof(*timers); i++)
		EXPECT_EQ(0, strcmp("unknown", tcpt_timer_name(timers[i])));
	EXPECT_EQ(-EINVAL, tcpt_state_from_name(NULL));
	EXPECT_EQ(-EINVAL, tcpt_state_from_name(""));
	EXPECT_EQ(-EINVAL, tcpt_state_from_name("LISTEN\n"));
	EXPECT_EQ(-EINVAL, tcpt_state_from_name("LISTENING"));
	char *long_name = malloc(4097);
	memset(long_name, 'A', 4096);
	long_name[4096] = '\0';
	EXPECT_EQ(-EINVAL, tcpt_state_from_name(long_name));
	free(long_name);
	/* INT_MIN itself: test_errors_named (a known bug there) */
	static const int errs[] = {INT_MIN + 1, -4096, -1000000, 1, EINVAL, INT_MAX};
	for (size_t i = 0; i < sizeof(errs) / sizeof(*errs); i++) {
		EXPECT_TRUE(tcpt_strerror(errs[i]) != NULL);
		EXPECT_EQ(0, strcmp("UNKNOWN", tcpt_error_name(errs[i])));
		EXPECT_EQ(31, tcpt_error_win32(errs[i]));
	}
	EXPECT_TRUE(tcpt_version() != NULL);
	CHECKS_DONE();
}

static void filter_match_accepts_null(void **state)
{
	(void)state;
	struct tcpt_conn row = {.family = AF_INET, .state = TCPT_LISTEN};
	struct tcpt_filter empty = {0};
	EXPECT_EQ(1, tcpt_filter_match(NULL, &row));
	EXPECT_EQ(0, tcpt_filter_match(NULL, NULL));
	EXPECT_EQ(0, tcpt_filter_match(&empty, NULL));
	CHECKS_DONE();
}

static void stats_and_destroy_reject_bad_arguments(void **state)
{
	(void)state;
	EXPECT_EQ(-EINVAL, tcpt_stats_read(NULL));
	EXPECT_EQ(-EINVAL, tcpt_conn_destroy(NULL));
	static const uint8_t families[] = {0, AF_UNIX, AF_PACKET, 255};
	for (size_t i = 0; i < sizeof(families) / sizeof(*families); i++) {
		struct tcpt_conn row = {.family = families[i], .state = TCPT_ESTABLISHED,
					.local_port = 1, .remote_port = 1};
		EXPECT_EQ(-EINVAL, tcpt_conn_destroy(&row));
	}
	if (have_netns) { /* a well-formed row of no socket */
		struct tcpt_conn row = {.family = AF_INET, .state = TCPT_ESTABLISHED,
					.local_port = 1, .remote_port = 1,
					.local_addr = {127, 0, 0, 1}, .remote_addr = {127, 0, 0, 1}};
		EXPECT_EQ(-ENOENT, tcpt_conn_destroy(&row));
	}
	CHECKS_DONE();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(snapshot_take_rejects_null_pointers),
		cmocka_unit_test(snapshot_take_rejects_unknown_bits_and_enum_values),
		cmocka_unit_test(snapshot_take_rejects_filters_with_null_lists),
		cmocka_unit_test(snapshot_take_rejects_reversed_ranges_and_long_prefixes),
		cmocka_unit_test(snapshot_take_rejects_descriptors_that_are_not_network_namespaces),
		cmocka_unit_test(snapshot_accessors_accept_null),
		cmocka_unit_test(names_and_errors_accept_any_number),
		cmocka_unit_test(filter_match_accepts_null),
		cmocka_unit_test(stats_and_destroy_reject_bad_arguments),
	};
	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
