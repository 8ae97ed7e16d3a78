/* holder.c - a process with a hostile name: sets its comm to argv[1] (prctl PR_SET_NAME),
 * keeps the descriptors it inherited (a listening socket), writes one byte to fd 3 once
 * ready, and exits when its stdin reaches end of file. Run from a deep directory with a
 * hostile file name by test_untrusted. */
#include <sys/prctl.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	if (argc > 1)
		prctl(PR_SET_NAME, argv[1], 0, 0, 0);
	(void)!write(3, "r", 1);
	close(3);
	char c;
	while (read(0, &c, 1) > 0)
		;
	return 0;
}
