/* pids.c - list the numeric entries of /proc. */
#include "pids.h"

#include <dirent.h>
#include <fcntl.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <unistd.h>

/* The kernel's record of getdents64(2). */
struct linux_dirent64 {
	uint64_t d_ino;
	int64_t d_off;
	unsigned short d_reclen;
	unsigned char d_type;
	char d_name[];
};

static int by_value(const void *a, const void *b)
{
	int32_t x = *(const int32_t *)a, y = *(const int32_t *)b;
	return (x > y) - (x < y);
}

/* The pid a /proc entry names, or 0 when it is not one. */
static int32_t pid_of(const char *name)
{
	long v = 0;
	for (const char *p = name; *p; p++) {
		if (*p < '0' || *p > '9' || v > INT32_MAX / 10)
			return 0;
		v = v * 10 + (*p - '0');
	}
	return v <= INT32_MAX ? (int32_t)v : 0;
}

/* Append PID to *V (capacity *CAP, count *COUNT). Returns NO_ERROR or ERROR_NOT_ENOUGH_MEMORY. */
static DWORD push(int32_t **v, size_t *count, size_t *cap, int32_t pid)
{
	if (*count == *cap) {
		int32_t *w = realloc(*v, 2 * *cap * sizeof(**v));
		if (!w)
			return ERROR_NOT_ENOUGH_MEMORY;
		*v = w;
		*cap *= 2;
	}
	(*v)[(*count)++] = pid;
	return NO_ERROR;
}

DWORD pids_list(int32_t **pids, size_t *n)
{
	/* open() and getdents64 rather than opendir(): one close-on-exec descriptor, the same
	 * calls as the owner scan */
	int fd = open("/proc", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return ERROR_NOT_SUPPORTED;
	size_t count = 0, cap = 256;
	int32_t *v = malloc(cap * sizeof(*v));
	DWORD err = v ? NO_ERROR : ERROR_NOT_ENOUGH_MEMORY;
	char buf[8192] __attribute__((aligned(8)));
	while (err == NO_ERROR) {
		long got = syscall(SYS_getdents64, fd, buf, sizeof(buf));
		if (got < 0)
			err = ERROR_NOT_SUPPORTED;
		if (got <= 0)
			break;
		for (long off = 0; off < got && err == NO_ERROR;) {
			struct linux_dirent64 *e = (struct linux_dirent64 *)(void *)(buf + off);
			int32_t pid = pid_of(e->d_name);
			if (pid > 0)
				err = push(&v, &count, &cap, pid);
			off += e->d_reclen;
		}
	}
	close(fd);
	if (err != NO_ERROR) {
		free(v);
		return err;
	}
	qsort(v, count, sizeof(*v), by_value);
	*pids = v;
	*n = count;
	return NO_ERROR;
}
