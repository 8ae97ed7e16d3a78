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

/* mountinfo's fifth field is the mount point, as this process's root sees it. */
static bool root_is_mount_point(void)
{
	FILE *f = fopen("/proc/self/mountinfo", "re");
	if (!f)
		return true; /* cannot tell: let the test itself fail with its own error */
	char line[8192], point[4096];
	bool found = false;
	while (!found && fgets(line, sizeof(line), f))
		found = sscanf(line, "%*s %*s %*s %*s %4095s", point) == 1 && strcmp(point, "/") == 0;
	fclose(f);
	return found;
}

const char *test_mount_namespace_lack(void)
{
	return root_is_mount_point() ? NULL
		: "/ is not a mount point here (a chroot whose directory was not bind-mounted "
		  "onto itself): private mounts and `ip netns add` fail with EINVAL";
}

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
