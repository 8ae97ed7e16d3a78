/* threads.c - 8 threads at once taking snapshots with owners (every third one through a
 * tcpt_context they all share, which the first of them loads) and calling GetTcpTable2 and
 * GetExtendedTcpTable (both two-call sequences), built with -fsanitize=thread by tsan.sh:
 * ThreadSanitizer reports any data race; the program checks that every call succeeds.
 * Prints TAP. */
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>

#include <iphlpapi.h>

#include "rel.h"
#include "tcptable.h"

#define THREADS 8
#define ROUNDS 40

static atomic_int failures;
static struct tcpt_context *shared;

static void fail(const char *what, long r)
{
	if (atomic_fetch_add(&failures, 1) < 10)
		printf("# %s failed: %ld\n", what, r);
}

static void table2(void)
{
	ULONG size = 0;
	if (GetTcpTable2(NULL, &size, TRUE) != ERROR_INSUFFICIENT_BUFFER)
		return fail("GetTcpTable2 size", 0);
	void *t = malloc(size);
	ULONG r = GetTcpTable2(t, &size, TRUE);
	if (r != NO_ERROR)
		fail("GetTcpTable2", (long)r);
	free(t);
}

static void extended(ULONG af, TCP_TABLE_CLASS c)
{
	DWORD size = 0;
	if (GetExtendedTcpTable(NULL, &size, TRUE, af, c, 0) != ERROR_INSUFFICIENT_BUFFER)
		return fail("GetExtendedTcpTable size", 0);
	void *t = malloc(size);
	DWORD r = GetExtendedTcpTable(t, &size, TRUE, af, c, 0);
	if (r != NO_ERROR)
		fail("GetExtendedTcpTable", (long)r);
	free(t);
}

static void *worker(void *arg)
{
	long id = (long)arg;
	for (int i = 0; i < ROUNDS; i++) {
		struct tcpt_query q = {.want = TCPT_WANT_OWNERS | TCPT_WANT_PROCESS,
				       .order = (i + id) % 2 ? TCPT_ORDER_ADDRESS : TCPT_ORDER_KERNEL,
				       .context = (i + id) % 3 ? NULL : shared};
		struct tcpt_snapshot *s = NULL;
		int r = tcpt_snapshot_take(&q, &s);
		if (r != 0 || tcpt_snapshot_count(s) < 10)
			fail("tcpt_snapshot_take", r);
		tcpt_snapshot_free(s);
		table2();
		extended(id % 2 ? 2 : 23, (i % 2) ? TCP_TABLE_OWNER_PID_ALL : TCP_TABLE_OWNER_MODULE_ALL);
	}
	return NULL;
}

int main(void)
{
	bool skip;
	int fds[16];
	printf("1..1\n");
	if (rel_netns("reliability threads (tsan)", &skip) < 0 || rel_open_sockets(fds, 16) < 0) {
		printf(skip ? "ok 1 # SKIP no private network namespace\n"
			    : "not ok 1 - no private network namespace\n");
		return 0;
	}
	if (tcpt_context_new(&shared) != 0) {
		printf("not ok 1 - tcpt_context_new\n");
		return 0;
	}
	pthread_t t[THREADS];
	for (long i = 0; i < THREADS; i++)
		pthread_create(&t[i], NULL, worker, (void *)i);
	for (int i = 0; i < THREADS; i++)
		pthread_join(t[i], NULL);
	tcpt_context_free(shared);
	int f = atomic_load(&failures);
	printf("%s 1 - %d threads x %d rounds of snapshots, GetTcpTable2 and GetExtendedTcpTable "
	       "all succeed (ThreadSanitizer halts on a race)\n", f ? "not ok" : "ok", THREADS,
	       ROUNDS);
	return 0;
}
