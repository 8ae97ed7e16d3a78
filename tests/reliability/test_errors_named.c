/* test_errors_named.c - the error functions accept any int (tcptable.h), INT_MIN included,
 * and every code the library returns for bad input is one that tcpt_error_name() and
 * tcpt_strerror() know and tcptable.h lists. Each case runs in a child, so a sanitizer abort
 * is a failed case. */
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

static const char *const cases[] = {
	"netns_fds = {-1} fails with a named error",
	"netns_fds = {1000000} fails with a named error",
	"tcpt_error_name/strerror/error_win32(INT_MIN) are UNKNOWN, a string and 31",
};

static int run(size_t i)
{
	return i < 2 ? netns_fd_case((int)i) : int_min_case();
}

int main(void)
{
	size_t n = sizeof(cases) / sizeof(*cases);
	int failed = 0;
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
			printf("ok %zu - %s\n", i + 1, cases[i]);
		else
			printf("not ok %zu - %s (%s)\n", i + 1, cases[i],
			       WIFSIGNALED(status) ? "the child was killed" : "wrong answer");
		failed |= !ok;
	}
	return failed;
}
