/* test_churn.c - snapshots and GetTcpTable2 while helper threads open and close thousands of
 * connections per second in the test's private namespace: 1,000 consecutive snapshots and
 * 1,000 two-call GetTcpTable2 loops all succeed (a bounded retry on ERROR_INSUFFICIENT_BUFFER
 * allowed), no snapshot holds a socket twice (cookies unique), every row is well formed. */
// clang-format off
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
// clang-format on

#include <stdio.h>
#include <unistd.h>
#include <stdlib.h>

#include <iphlpapi.h>

#include "churn.h"
#include "rel.h"

#define ROUNDS 1000
#define MAX_TRIES 8     /* GetTcpTable2 calls per loop before giving up */
#define CLIENTS 2
#define MIN_RATE 1000.0 /* connections per second the churn must hold */

static bool have_netns;

static int group_setup(void **state)
{
	(void)state;
	bool skip;
	have_netns = rel_netns("reliability churn", &skip) == 0;
	if (have_netns && churn_start(CLIENTS) < 0)
		return -1;
	return 0;
}

static int group_teardown(void **state)
{
	(void)state;
	if (!have_netns)
		return 0;
	unsigned long n;
	double secs;
	churn_stop(&n, &secs);
	double rate = (double)n / secs;
	printf("# churn held: %lu connections opened and closed in %.1f s = %.0f per second\n", n,
	       secs, rate);
	if (rate < MIN_RATE) {
		printf("# below %.0f connections per second: the test proved less than it should\n",
		       MIN_RATE);
		return -1;
	}
	return 0;
}

static int compare_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
	return (x > y) - (x < y);
}

static void snapshots_under_churn_succeed_with_unique_well_formed_rows(void **state)
{
	(void)state;
	if (!have_netns)
		skip();
	size_t max_rows = 0, total = 0, zero_ports = 0;
	for (int round = 0; round < ROUNDS; round++) {
		struct tcpt_query q = {.want = round % 10 == 0 ? TCPT_WANT_OWNERS : 0};
		struct tcpt_snapshot *snap = NULL;
		int r = tcpt_snapshot_take(&q, &snap);
		if (r != 0)
			fail_msg("snapshot %d: %s", round, tcpt_strerror(r));
		assert_int_equal(TCPT_SOURCE_NETLINK, tcpt_snapshot_source(snap));
		size_t n = tcpt_snapshot_count(snap);
		const struct tcpt_conn *rows = tcpt_snapshot_rows(snap);
		uint64_t *cookies = calloc(n + 1, sizeof(*cookies));
		for (size_t i = 0; i < n; i++) {
			const char *why;
			if (!rel_row_ok(&rows[i], &why))
				fail_msg("snapshot %d row %zu: %s", round, i, why);
			/* seen once under churn: a socket torn down mid-dump, its port already
			 * released; the kernel's transient, counted and shown, not failed */
			if (rows[i].state != TCPT_LISTEN && rows[i].state != TCPT_CLOSE &&
			    (!rows[i].local_port || !rows[i].remote_port) && zero_ports++ == 0)
				printf("# snapshot %d: a %s row with port %u -> %u\n", round,
				       tcpt_state_name(rows[i].state), rows[i].local_port,
				       rows[i].remote_port);
			if (rows[i].cookie == 0)
				fail_msg("snapshot %d row %zu: cookie 0 from netlink", round, i);
			cookies[i] = rows[i].cookie;
		}
		qsort(cookies, n, sizeof(*cookies), compare_u64);
		for (size_t i = 1; i < n; i++)
			if (cookies[i] == cookies[i - 1])
				fail_msg("snapshot %d holds socket cookie %llu twice", round,
					 (unsigned long long)cookies[i]);
		free(cookies);
		max_rows = n > max_rows ? n : max_rows;
		total += n;
		tcpt_snapshot_free(snap);
	}
	printf("# %d snapshots, %zu rows in all, up to %zu at once; %zu connected rows with a "
	       "zero port\n", ROUNDS, total, max_rows, zero_ports);
}

static void check_row2(const MIB_TCPROW2 *r, int round, DWORD i)
{
	if (r->dwState < MIB_TCP_STATE_CLOSED || r->dwState > MIB_TCP_STATE_DELETE_TCB)
		fail_msg("GetTcpTable2 loop %d row %u: state %u", round, i, r->dwState);
	if ((r->dwLocalPort | r->dwRemotePort) >> 16)
		fail_msg("GetTcpTable2 loop %d row %u: port upper bits set", round, i);
	if (r->dwState == MIB_TCP_STATE_LISTEN && (r->dwRemoteAddr || r->dwRemotePort))
		fail_msg("GetTcpTable2 loop %d row %u: LISTEN with a remote end", round, i);
}

static void get_tcp_table2_two_calls_under_churn_succeed(void **state)
{
	(void)state;
	if (!have_netns)
		skip();
	unsigned retries = 0, most = 0;
	for (int round = 0; round < ROUNDS; round++) {
		ULONG size = 0, r = 0;
		MIB_TCPTABLE2 *t = NULL;
		int tries = 0;
		r = GetTcpTable2(NULL, &size, TRUE);
		assert_int_equal(ERROR_INSUFFICIENT_BUFFER, r);
		while (tries++ < MAX_TRIES) {
			free(t);
			t = malloc(size);
			assert_non_null(t);
			ULONG have = size;
			r = GetTcpTable2(t, &size, TRUE);
			if (r != ERROR_INSUFFICIENT_BUFFER)
				break;
			if (size <= have)
				fail_msg("ERROR_INSUFFICIENT_BUFFER for %lu bytes, asking %lu",
					 (unsigned long)have, (unsigned long)size);
		}
		if (r != NO_ERROR)
			fail_msg("loop %d: GetTcpTable2 gave %lu after %d tries", round,
				 (unsigned long)r, tries);
		retries += (unsigned)tries - 1;
		most = (unsigned)tries > most ? (unsigned)tries : most;
		if (offsetof(MIB_TCPTABLE2, table) + t->dwNumEntries * sizeof(MIB_TCPROW2) != size)
			fail_msg("loop %d: %u rows in %lu bytes", round, t->dwNumEntries,
				 (unsigned long)size);
		for (DWORD i = 0; i < t->dwNumEntries; i++)
			check_row2(&t->table[i], round, i);
		free(t);
	}
	printf("# %d two-call loops, %u retries, at most %u calls with a buffer\n", ROUNDS, retries,
	       most);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(snapshots_under_churn_succeed_with_unique_well_formed_rows),
		cmocka_unit_test(get_tcp_table2_two_calls_under_churn_succeed),
	};
	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
