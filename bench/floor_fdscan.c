/*
 * floor_fdscan - the fd-scan floor: find every socket descriptor of every process, the only
 * way Linux offers to map a socket to its owners without privileges beyond reading /proc.
 *
 * usage: floor_fdscan
 * Reads /proc and each /proc/PID/fd with getdents64 on directory fds, readlinkat() relative to
 * them (no path building, no stat), and keeps (inode, pid, fd) for each "socket:[N]" link.
 * Prints: procs=N fds=N sockets=N.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

struct dirent64 {
	uint64_t d_ino;
	int64_t d_off;
	unsigned short d_reclen;
	unsigned char d_type;
	char d_name[];
};

struct owner {
	uint64_t inode;
	int32_t pid, fd;
};

struct scan {
	struct owner *v;
	size_t len, cap;
	size_t procs, fds;
	int error;
};

/* A decimal name ("123"), as pids and fd numbers are; -1 otherwise. */
static long parse_num(const char *s)
{
	long v = 0;
	if (!*s)
		return -1;
	for (; *s; s++) {
		if (*s < '0' || *s > '9' || v > 1000000000)
			return -1;
		v = v * 10 + (*s - '0');
	}
	return v;
}

static void keep(struct scan *s, uint64_t inode, long pid, long fd)
{
	if (s->len == s->cap) {
		size_t cap = s->cap ? 2 * s->cap : 4096;
		struct owner *v = realloc(s->v, cap * sizeof(*v));
		if (!v) {
			s->error = ENOMEM;
			return;
		}
		s->v = v;
		s->cap = cap;
	}
	s->v[s->len++] = (struct owner){inode, (int32_t)pid, (int32_t)fd};
}

/* One link of /proc/PID/fd: keep it if it names a socket. */
static void scan_fd(struct scan *s, int dirfd, const char *name, long pid)
{
	char link[64];
	ssize_t n = readlinkat(dirfd, name, link, sizeof(link) - 1);
	s->fds++;
	if (n < 9 || memcmp(link, "socket:[", 8) != 0)
		return;
	link[n - 1] = '\0'; /* the closing ']' */
	char *end;
	uint64_t inode = strtoull(link + 8, &end, 10);
	if (*end == '\0')
		keep(s, inode, pid, parse_num(name));
}

/* Call FN for each entry of directory DIRFD; "." and ".." are skipped. */
static void each_entry(int dirfd, void (*fn)(struct scan *, int, const char *, long),
		       struct scan *s, long arg)
{
	char buf[32768];
	long n;
	while ((n = syscall(SYS_getdents64, dirfd, buf, sizeof(buf))) > 0) {
		for (long off = 0; off < n;) {
			struct dirent64 *d = (struct dirent64 *)(buf + off);
			off += d->d_reclen;
			if (d->d_name[0] != '.')
				fn(s, dirfd, d->d_name, arg);
		}
	}
}

/* One entry of /proc: if it is a process, scan its fd directory. A process that exited or
 * that we may not inspect is skipped. */
static void scan_proc(struct scan *s, int procfd, const char *name, long unused)
{
	(void)unused;
	long pid = parse_num(name);
	if (pid <= 0)
		return;
	char path[32];
	snprintf(path, sizeof(path), "%ld/fd", pid);
	int fd = openat(procfd, path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return;
	s->procs++;
	each_entry(fd, scan_fd, s, pid);
	close(fd);
}

int main(void)
{
	struct scan s = {0};
	int procfd = open("/proc", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (procfd < 0) {
		perror("floor_fdscan: /proc");
		return 1;
	}
	each_entry(procfd, scan_proc, &s, 0);
	close(procfd);
	if (s.error) {
		fprintf(stderr, "floor_fdscan: %s\n", strerror(s.error));
		free(s.v);
		return 1;
	}
	printf("procs=%zu fds=%zu sockets=%zu\n", s.procs, s.fds, s.len);
	free(s.v);
	return 0;
}
