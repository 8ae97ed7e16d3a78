#include "netns.h"

#include <errno.h>
#include <net/if.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

bool test_in_ci(void)
{
	const char *ci = getenv("CI");
	return ci && strcmp(ci, "true") == 0;
}

static int bring_loopback_up(void)
{
	struct ifreq ifr = {0};
	int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	strcpy(ifr.ifr_name, "lo");
	int r = ioctl(fd, SIOCGIFFLAGS, &ifr);
	if (r == 0) {
		ifr.ifr_flags |= IFF_UP | IFF_RUNNING;
		r = ioctl(fd, SIOCSIFFLAGS, &ifr);
	}
	int err = r < 0 ? -errno : 0;
	close(fd);
	return err;
}

int test_netns_enter(void)
{
	if (unshare(CLONE_NEWNET) < 0)
		return -errno;
	return bring_loopback_up();
}

int test_netns_require(const char *who, bool *ret_skip)
{
	int r = test_netns_enter();
	if (r == 0) {
		*ret_skip = false;
		return 0;
	}
	*ret_skip = !test_in_ci();
	fprintf(stderr,
		"\n*** %s: cannot create a private network namespace (%s)%s.\n"
		"*** These tests need root; %s\n\n",
		who, strerror(-r), geteuid() ? " because this is not root" : "",
		*ret_skip ? "they are SKIPPED." : "under CI=true that is a FAILURE.");
	return -1;
}
