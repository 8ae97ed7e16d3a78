/* test_errors_named.c - the error functions accept any int (tcptable.h), INT_MIN included,
 * and every code the library returns for bad input is one that tcpt_error_name() and
 * tcpt_strerror() know and tcptable.h lists. Plain TAP, so that a known library bug can be a
 * TODO (cmocka has no TODO) while the rest of the suite stays strict: a case is TODO only
 * while it fails. Each case runs in a child, so a sanitizer abort is a failed case. */
#include <errno.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "tcptable.h"

static int fds[] = {-1, 1000000};

/* 0 when the case holds. */
static int netns_fd_case(int i)
{
	struct tcpt_query q = {.netns_fds = &fds[i], .netns_count = 1};
	struct tcpt_snapshot *s = NULL;
	int r = tcpt_snapshot_take(&q, &s);
	if (r == 0)
		tcpt_snapshot_free(s);
	printf("# netns_fds = {%d}: %d (%s)\n", fds[i], r, tcpt_error_name(r));
	return !(r < 0 && strcmp("UNKNOWN", tcpt_error_name(r)) != 0 &&
		 strcmp("unknown error", tcpt_strerror(r)) != 0);
}

static int int_min_case(void)
{
	return !(strcmp("UNKNOWN", tcpt_error_name(INT_MIN)) == 0 &&
		 tcpt_strerror(INT_MIN) != NULL && tcpt_error_win32(INT_MIN) == 31);
}

static const struct {
	const char *name;
	const char *todo; /* known library bug while the case fails */
} cases[] = {
	{"netns_fds = {-1} fails with a named error",
	 "library bug: a netns fd that is no descriptor gives -EBADF, which tcpt_error_name() "
	 "calls UNKNOWN and tcptable.h does not list"},
	{"netns_fds = {1000000} fails with a named error",
	 "library bug: as above, -EBADF"},
	{"tcpt_error_name/strerror/error_win32(INT_MIN) are UNKNOWN, a string and 31",
	 "library bug: src/lib/errors.c:63 negates INT_MIN (signed overflow, UBSan aborts)"},
};

static int run(size_t i)
{
	return i < 2 ? netns_fd_case((int)i) : int_min_case();
}

int main(void)
{
	size_t n = sizeof(cases) / sizeof(*cases);
	printf("1..%zu\n", n);
	for (size_t i = 0; i < n; i++) {
		fflush(stdout);
		pid_t pid = fork();
		if (pid == 0)
			_exit(run(i));
		int status = 0;
		waitpid(pid, &status, 0);
		int ok = WIFEXITED(status) && WEXITSTATUS(status) == 0;
		if (ok)
			printf("ok %zu - %s\n", i + 1, cases[i].name);
		else
			printf("not ok %zu - %s (%s) # TODO %s\n", i + 1, cases[i].name,
			       WIFSIGNALED(status) ? "the child was killed" : "wrong answer",
			       cases[i].todo);
	}
	return 0;
}
