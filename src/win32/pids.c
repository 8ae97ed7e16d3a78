/* pids.c - list the numeric entries of /proc. */
#include "pids.h"

#include <dirent.h>
#include <fcntl.h>
#include <stdlib.h>
#include <unistd.h>

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

DWORD pids_list(int32_t **pids, size_t *n)
{
	/* open() + fdopendir(): every descriptor the libraries make is O_CLOEXEC by our hand */
	int fd = open("/proc", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	DIR *d = fd >= 0 ? fdopendir(fd) : NULL;
	if (!d) {
		if (fd >= 0)
			close(fd);
		return ERROR_NOT_SUPPORTED;
	}
	size_t count = 0, cap = 256;
	int32_t *v = malloc(cap * sizeof(*v));
	DWORD err = v ? NO_ERROR : ERROR_NOT_ENOUGH_MEMORY;
	for (struct dirent *e; err == NO_ERROR && (e = readdir(d));) {
		int32_t pid = pid_of(e->d_name);
		if (pid <= 0)
			continue;
		if (count == cap) {
			int32_t *w = realloc(v, 2 * cap * sizeof(*v));
			if (!w) {
				err = ERROR_NOT_ENOUGH_MEMORY;
				break;
			}
			v = w;
			cap *= 2;
		}
		v[count++] = pid;
	}
	closedir(d);
	if (err != NO_ERROR) {
		free(v);
		return err;
	}
	qsort(v, count, sizeof(*v), by_value);
	*pids = v;
	*n = count;
	return NO_ERROR;
}
