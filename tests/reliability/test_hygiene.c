/* test_hygiene.c - 10,000 calls leave no descriptor and no memory behind, and every
 * descriptor the library opens is close-on-exec. The library is linked statically into this
 * test with its descriptor-creating calls wrapped (ld --wrap): each wrapper checks FD_CLOEXEC
 * on what the real call returned. A separate case proves the wrapping is complete: the
 * archives reference no other call that creates a descriptor. */
// clang-format off
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
// clang-format on

#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <iphlpapi.h>

#include "hygiene_wraps.h"
#include "rel.h"

#define CALLS 10000
/* Bytes the heap may keep in use after the loop, over its level after a warm-up. */
#define HEAP_SLACK (64 * 1024)

/* ---- the calls ---------------------------------------------------------------------------- */

static bool have_netns;
static int fds[16];

static int group_setup(void **state)
{
	(void)state;
	bool skip;
	have_netns = rel_netns("reliability hygiene", &skip) == 0 &&
		     rel_open_sockets(fds, 16) > 0;
	return 0;
}

/* One call (or a two-call sequence) of kind I % 10; the number of library calls made. Kinds
 * that scan every process's descriptors for owners are one in five, to keep the test quick
 * on a busy host. */
static int one_call(int i)
{
	switch (i % 10) {
	case 0:
	case 1:
	case 2:
	case 3:
	case 4: {
		struct tcpt_query q = {.want = i % 10 == 4 ? TCPT_WANT_OWNERS | TCPT_WANT_PROCESS : 0};
		struct tcpt_snapshot *s;
		assert_int_equal(0, tcpt_snapshot_take(&q, &s));
		tcpt_snapshot_free(s);
		return 2;
	}
	case 5: {
		ULONG size = 0;
		assert_int_equal(ERROR_INSUFFICIENT_BUFFER, GetTcpTable2(NULL, &size, TRUE));
		void *t = malloc(size);
		assert_int_equal(NO_ERROR, GetTcpTable2(t, &size, TRUE));
		free(t);
		return 2;
	}
	case 6:
	case 7:
	case 8: {
		DWORD size = 0;
		ULONG af = i % 10 == 6 ? 23 : 2;
		TCP_TABLE_CLASS c = i % 10 == 8 ? TCP_TABLE_OWNER_MODULE_ALL : TCP_TABLE_BASIC_ALL;
		if (af == 23)
			c = TCP_TABLE_OWNER_PID_LISTENER;
		assert_int_equal(ERROR_INSUFFICIENT_BUFFER,
				 GetExtendedTcpTable(NULL, &size, TRUE, af, c, 0));
		void *t = malloc(size);
		assert_int_equal(NO_ERROR, GetExtendedTcpTable(t, &size, TRUE, af, c, 0));
		free(t);
		return 2;
	}
	default: {
		MIB_TCPSTATS st;
		assert_int_equal(NO_ERROR, GetTcpStatistics(&st));
		MIB_TCPROW_OWNER_MODULE row = {.dwOwningPid = (DWORD)getpid()};
		unsigned char buf[8192];
		DWORD size = sizeof(buf);
		assert_int_equal(NO_ERROR, GetOwnerModuleFromTcpEntry(
						   &row, TCPIP_OWNER_MODULE_INFO_BASIC, buf, &size));
		return 2;
	}
	}
}

static bool heap_measurable(void)
{
#if defined(__SANITIZE_ADDRESS__)
	return false; /* ASan's allocator keeps no mallinfo; its leak checker covers this */
#else
	return true;
#endif
}

static void ten_thousand_calls_leave_no_descriptor_and_no_memory(void **state)
{
	(void)state;
	if (!have_netns)
		skip();
	for (int i = 0; i < 100; i++) /* warm-up: thread-local caches, lazily built tables */
		one_call(i);
	malloc_trim(0);
	char before[4096], after[4096];
	int nbefore = rel_fd_list(before, sizeof(before));
	size_t heap_before = mallinfo2().uordblks;
	int calls = 0;
	for (int i = 0; calls < CALLS; i++)
		calls += one_call(i);
	malloc_trim(0);
	size_t heap_after = mallinfo2().uordblks;
	int nafter = rel_fd_list(after, sizeof(after));
	printf("# %d calls; descriptors %d before, %d after; heap in use %zu -> %zu bytes\n",
	       calls, nbefore, nafter, heap_before, heap_after);
	assert_int_equal(nbefore, nafter);
	assert_string_equal(before, after);
	if (heap_measurable())
		assert_true(heap_after <= heap_before + HEAP_SLACK);
	else
		printf("# heap level not measured under ASan (LeakSanitizer checks leaks)\n");
}

static void every_descriptor_the_library_opens_is_close_on_exec(void **state)
{
	(void)state;
	if (!have_netns)
		skip();
	wraps_reset();
	for (int i = 0; i < 100; i++)
		one_call(i);
	printf("# %lu descriptors opened by the library, %lu without FD_CLOEXEC\n", wraps_seen(),
	       wraps_leaky());
	assert_true(wraps_seen() > 0); /* the wrappers do see the library's opens */
	assert_int_equal(0, wraps_leaky());
}

/* Calls that create descriptors; the wrapped ones are checked above, any other one in the
 * archives would escape the check. */
static const char *const creators[] = {
	"socket", "socketpair", "accept", "accept4", "open", "openat", "creat", "creat64",
	"fopen", "fopen64", "freopen", "freopen64", "opendir", "pipe", "pipe2", "dup", "dup2",
	"dup3", "fcntl", "mnl_socket_open", "mnl_socket_fdopen", "memfd_create", "epoll_create",
	"epoll_create1", "eventfd", "signalfd", "timerfd_create", "inotify_init",
	"inotify_init1", "pidfd_open", "mkstemp", "mkstemp64", "mkostemp", "mkostemp64",
	"tmpfile", "tmpfile64", "popen", "__open_2", "__open64_2", "__openat_2",
	"__openat64_2", "fanotify_init", "perf_event_open", "userfaultfd", NULL};

static void the_wrapped_calls_are_every_descriptor_creating_call_the_library_makes(void **state)
{
	(void)state;
	char cmd[4096], lib[2048];
	snprintf(lib, sizeof(lib), "%s", rel_build_path("src/lib/libtcptable_internal.a"));
	snprintf(cmd, sizeof(cmd), "nm -u '%s' '%s' 2>/dev/null", lib,
		 rel_build_path("src/win32/libiphlpapi_internal.a"));
	FILE *p = popen(cmd, "r");
	assert_non_null(p);
	char line[512];
	int symbols = 0, unwrapped = 0;
	while (fgets(line, sizeof(line), p)) {
		char name[256];
		if (sscanf(line, " U %255s", name) != 1)
			continue;
		symbols++;
		for (int i = 0; creators[i]; i++)
			if (strcmp(name, creators[i]) == 0) {
				printf("# the library calls %s(), which this test does not wrap\n", name);
				unwrapped++;
			}
	}
	pclose(p);
	assert_true(symbols > 50); /* nm worked */
	assert_int_equal(0, unwrapped);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(ten_thousand_calls_leave_no_descriptor_and_no_memory),
		cmocka_unit_test(every_descriptor_the_library_opens_is_close_on_exec),
		cmocka_unit_test(the_wrapped_calls_are_every_descriptor_creating_call_the_library_makes),
	};
	return cmocka_run_group_tests(tests, group_setup, NULL);
}
