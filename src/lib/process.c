/* process.c - a process's name and executable, read from /proc at the moment of the scan. */
#include "process.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static void pid_path(char *buf, size_t size, pid_t pid, const char *leaf)
{
	snprintf(buf, size, "%d/%s", (int)pid, leaf);
}

int process_read_name(int proc_dirfd, pid_t pid, char *buf, size_t size)
{
	if (size == 0)
		return -EINVAL;
	char path[32];
	pid_path(path, sizeof(path), pid, "comm");
	int fd = openat(proc_dirfd, path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	ssize_t n;
	do
		n = read(fd, buf, size - 1);
	while (n < 0 && errno == EINTR);
	int err = n < 0 ? -errno : 0;
	close(fd);
	if (err)
		return err;
	if (n > 0 && buf[n - 1] == '\n')
		n--;
	buf[n] = '\0';
	return (int)n;
}

int process_read_exe(int proc_dirfd, pid_t pid, char *buf, size_t size)
{
	if (size == 0)
		return -EINVAL;
	char path[32];
	pid_path(path, sizeof(path), pid, "exe");
	ssize_t n = readlinkat(proc_dirfd, path, buf, size - 1);
	if (n < 0)
		return -errno;
	buf[n] = '\0';
	return (int)n;
}
