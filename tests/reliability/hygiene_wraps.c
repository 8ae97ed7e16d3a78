/* hygiene_wraps.c - see hygiene_wraps.h. */
#include "hygiene_wraps.h"

#include <fcntl.h>
#include <libmnl/libmnl.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>

static atomic_ulong fds_seen, fds_leaky;

static void check_fd(int fd, const char *call)
{
	if (fd < 0)
		return;
	atomic_fetch_add(&fds_seen, 1);
	int flags = fcntl(fd, F_GETFD);
	if (flags < 0 || !(flags & FD_CLOEXEC)) {
		if (atomic_fetch_add(&fds_leaky, 1) < 5)
			printf("# %s returned fd %d without FD_CLOEXEC\n", call, fd);
	}
}

int __real_open64(const char *path, int flags, ...);
int __wrap_open64(const char *path, int flags, ...);
int __real_openat64(int dirfd, const char *path, int flags, ...);
int __wrap_openat64(int dirfd, const char *path, int flags, ...);
int __real_fcntl64(int fd, int cmd, ...);
int __wrap_fcntl64(int fd, int cmd, ...);
struct mnl_socket *__real_mnl_socket_open2(int bus, int flags);
struct mnl_socket *__wrap_mnl_socket_open2(int bus, int flags);

static unsigned mode_arg(int flags, va_list ap)
{
	return (flags & O_CREAT) || (flags & O_TMPFILE) == O_TMPFILE ? va_arg(ap, unsigned) : 0;
}

int __wrap_open64(const char *path, int flags, ...)
{
	va_list ap;
	va_start(ap, flags);
	unsigned mode = mode_arg(flags, ap);
	va_end(ap);
	int fd = __real_open64(path, flags, mode);
	check_fd(fd, "open");
	return fd;
}

int __wrap_openat64(int dirfd, const char *path, int flags, ...)
{
	va_list ap;
	va_start(ap, flags);
	unsigned mode = mode_arg(flags, ap);
	va_end(ap);
	int fd = __real_openat64(dirfd, path, flags, mode);
	check_fd(fd, "openat");
	return fd;
}

int __wrap_fcntl64(int fd, int cmd, ...)
{
	va_list ap;
	va_start(ap, cmd);
	long arg = va_arg(ap, long);
	va_end(ap);
	int r = __real_fcntl64(fd, cmd, arg);
	if (cmd == F_DUPFD || cmd == F_DUPFD_CLOEXEC)
		check_fd(r, "fcntl(F_DUPFD)");
	return r;
}

struct mnl_socket *__wrap_mnl_socket_open2(int bus, int flags)
{
	struct mnl_socket *nl = __real_mnl_socket_open2(bus, flags);
	if (nl)
		check_fd(mnl_socket_get_fd(nl), "mnl_socket_open2");
	return nl;
}

void wraps_reset(void)
{
	atomic_store(&fds_seen, 0);
	atomic_store(&fds_leaky, 0);
}

unsigned long wraps_seen(void)
{
	return atomic_load(&fds_seen);
}

unsigned long wraps_leaky(void)
{
	return atomic_load(&fds_leaky);
}

