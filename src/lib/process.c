/* process.c - a process's name and executable, read from /proc at the moment of the scan. */
#include "process.h"

#include "tcptable.h"

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
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

/* Read all of /proc/PID/stat (small: well under 1 KiB, but the name may hold ')' and
 * spaces) into BUF. Returns its length or a negative errno. */
static int read_stat(int32_t pid, char *buf, size_t size)
{
	char path[32];
	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	ssize_t n;
	do
		n = read(fd, buf, size - 1);
	while (n < 0 && errno == EINTR);
	int err = n < 0 ? -errno : 0;
	close(fd);
	if (err)
		return err == -ESRCH ? -ENOENT : err;
	buf[n] = '\0';
	return (int)n;
}

/* Parse "pid (comm) state ppid ..." : the name is between the first '(' and the last ')';
 * fields after it are numbered from 3 (state) as in proc(5). */
static int parse_stat(char *text, struct tcpt_process *out)
{
	char *open_paren = strchr(text, '(');
	char *close_paren = strrchr(text, ')');
	if (!open_paren || !close_paren || close_paren < open_paren)
		return -EIO;
	size_t len = (size_t)(close_paren - open_paren - 1);
	if (len >= sizeof(out->name))
		len = sizeof(out->name) - 1;
	memcpy(out->name, open_paren + 1, len);
	out->name[len] = '\0';
	long long field[23] = { 0 };
	char *p = close_paren + 1;
	for (int i = 3; i <= 22; i++) {
		while (*p == ' ')
			p++;
		if (i == 3) { /* state: a letter */
			if (!*p)
				return -EIO;
			p++;
			continue;
		}
		char *end;
		errno = 0;
		field[i] = strtoll(p, &end, 10);
		if (end == p || errno)
			return -EIO;
		p = end;
	}
	out->ppid = (int32_t)field[4];
	out->nice = (int)field[19];
	out->threads = (unsigned)field[20];
	out->start_time = (unsigned long long)field[22];
	return 0;
}

int tcpt_process_read(int32_t pid, struct tcpt_process *out)
{
	if (!out || pid <= 0)
		return -EINVAL;
	char text[1024];
	int n = read_stat(pid, text, sizeof(text));
	if (n < 0)
		return n;
	struct tcpt_process p = { .pid = pid };
	int r = parse_stat(text, &p);
	if (r == 0)
		*out = p;
	return r;
}

int tcpt_process_exe(int32_t pid, char *buf, size_t size)
{
	if (!buf || size == 0 || pid <= 0)
		return -EINVAL;
	char path[32], target[PATH_MAX + 1];
	snprintf(path, sizeof(path), "/proc/%d/exe", (int)pid);
	ssize_t n = readlink(path, target, sizeof(target) - 1);
	if (n < 0)
		return errno == ESRCH ? -ENOENT : -errno;
	size_t copy = (size_t)n < size - 1 ? (size_t)n : size - 1;
	memcpy(buf, target, copy);
	buf[copy] = '\0';
	return (int)n;
}
