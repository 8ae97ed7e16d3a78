/* check.c - the counters of check.h, and running checks in a child. */
#include "check.h"

#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

unsigned long check_tried;
unsigned long check_failed;

void check_in_child(int (*enter)(void), void (*child)(void))
{
	fflush(stdout);
	pid_t pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		if (enter && enter() < 0) {
			printf("# entering the child's conditions: %s\n", strerror(errno));
			check_failed++;
		} else {
			child();
		}
		fflush(stdout);
		_exit(check_failed > 255 ? 255 : (int)check_failed);
	}
	int status;
	assert_int_equal(pid, waitpid(pid, &status, 0));
	if (!WIFEXITED(status))
		fail_msg("the child died of signal %d", WTERMSIG(status));
	assert_int_equal(0, WEXITSTATUS(status));
}
