/* owners.c - socket inode -> (pid, fd) from one pass over /proc/<pid>/fd.
 *
 * Cost is linear in the number of fds on the host: each fd is one readlinkat() and one probe
 * of an open-addressing table keyed by inode (ss uses a 256-bucket chained hash and walks a
 * whole chain per socket, which is quadratic at scale). */
#include "owners.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "grow.h"
#include "process.h"

/* --- inode -> row index ----------------------------------------------------------------- */

struct inode_table {
	uint64_t *keys;   /* 0 = empty: inode 0 means "no socket" and is never inserted */
	size_t *rows;
	size_t mask;
};

static size_t inode_slot(uint64_t inode, size_t mask)
{
	inode *= UINT64_C(0x9e3779b97f4a7c15);
	return (size_t)(inode >> 17) & mask;
}

static int inode_table_build(struct inode_table *t, const struct tcpt_conn *rows, size_t n)
{
	size_t size = 16;
	while (size < n * 2) {
		if (size > SIZE_MAX / 2 / sizeof(size_t))
			return -ENOMEM;
		size *= 2;
	}
	t->keys = calloc(size, sizeof(*t->keys));
	t->rows = malloc(size * sizeof(*t->rows));
	if (!t->keys || !t->rows) {
		free(t->keys);
		free(t->rows);
		return -ENOMEM;
	}
	t->mask = size - 1;
	for (size_t i = 0; i < n; i++) {
		if (!rows[i].inode)
			continue;
		size_t s = inode_slot(rows[i].inode, t->mask);
		while (t->keys[s] && t->keys[s] != rows[i].inode)
			s = (s + 1) & t->mask;
		t->keys[s] = rows[i].inode;
		t->rows[s] = i;
	}
	return 0;
}

static bool inode_table_find(const struct inode_table *t, uint64_t inode, size_t *ret_row)
{
	size_t s = inode_slot(inode, t->mask);
	while (t->keys[s]) {
		if (t->keys[s] == inode) {
			*ret_row = t->rows[s];
			return true;
		}
		s = (s + 1) & t->mask;
	}
	return false;
}

static void inode_table_free(struct inode_table *t)
{
	free(t->keys);
	free(t->rows);
}

/* --- matches found by the scan ----------------------------------------------------------- */

struct match {
	size_t row;
	struct tcpt_owner owner;
};

struct match_list {
	struct match *items;
	size_t count;
	size_t cap;
};

static int match_add(struct match_list *l, size_t row, const struct tcpt_owner *owner)
{
	int r = grow_array((void **)&l->items, &l->cap, l->count + 1, sizeof(*l->items));
	if (r < 0)
		return r;
	l->items[l->count++] = (struct match){row, *owner};
	return 0;
}

/* --- the scan ---------------------------------------------------------------------------- */

struct scan {
	int proc_fd;
	const struct inode_table *inodes;
	bool want_process;
	struct arena *strings;
	struct match_list matches;
	size_t unreadable;
};

/* A positive decimal number, the whole of NAME; 0 otherwise. */
static long parse_number(const char *name)
{
	long v = 0;
	if (!*name)
		return 0;
	for (; *name; name++) {
		if (*name < '0' || *name > '9' || v > (LONG_MAX - 9) / 10)
			return 0;
		v = v * 10 + (*name - '0');
	}
	return v;
}

/* The inode of a "socket:[12345]" link target; 0 for anything else. */
static uint64_t socket_inode(const char *target, size_t len)
{
	static const char prefix[] = "socket:[";
	if (len < sizeof(prefix) + 1 || memcmp(target, prefix, sizeof(prefix) - 1) != 0 ||
	    target[len - 1] != ']')
		return 0;
	uint64_t v = 0;
	for (size_t i = sizeof(prefix) - 1; i < len - 1; i++) {
		if (target[i] < '0' || target[i] > '9' || v > (UINT64_MAX - 9) / 10)
			return 0;
		v = v * 10 + (uint64_t)(target[i] - '0');
	}
	return v;
}

/* Name and executable of PID, copied into the arena once for all its owners. */
static int describe_process(struct scan *s, pid_t pid, struct tcpt_owner *o)
{
	char buf[PATH_MAX];
	int n = process_read_name(s->proc_fd, pid, buf, sizeof(buf));
	if (n >= 0 && !(o->name = arena_strndup(s->strings, buf, (size_t)n)))
		return -ENOMEM;
	n = process_read_exe(s->proc_fd, pid, buf, sizeof(buf));
	if (n >= 0 && !(o->exe = arena_strndup(s->strings, buf, (size_t)n)))
		return -ENOMEM;
	return 0;
}

static int scan_fd_entry(struct scan *s, int fd_dir, const char *name, pid_t pid,
			 struct tcpt_owner *proc_info, bool *described)
{
	long fd = parse_number(name);
	if (fd <= 0 && strcmp(name, "0") != 0)
		return 0;
	char target[64];
	ssize_t n = readlinkat(fd_dir, name, target, sizeof(target));
	if (n <= 0 || (size_t)n >= sizeof(target))
		return 0; /* closed meanwhile, or not a socket (long paths) */
	uint64_t inode = socket_inode(target, (size_t)n);
	size_t row;
	if (!inode || !inode_table_find(s->inodes, inode, &row))
		return 0;
	if (s->want_process && !*described) {
		int r = describe_process(s, pid, proc_info);
		if (r < 0)
			return r;
		*described = true;
	}
	struct tcpt_owner o = {.pid = pid, .fd = (int32_t)fd};
	o.name = proc_info->name;
	o.exe = proc_info->exe;
	return match_add(&s->matches, row, &o);
}

static int scan_process(struct scan *s, pid_t pid)
{
	char path[32];
	snprintf(path, sizeof(path), "%d/fd", (int)pid);
	int fd_dir = openat(s->proc_fd, path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd_dir < 0) {
		if (errno == EACCES || errno == EPERM)
			s->unreadable++;
		return 0; /* gone (ENOENT, ESRCH) or unreadable: not an error */
	}
	DIR *d = fdopendir(fd_dir);
	if (!d) {
		close(fd_dir);
		return errno == ENOMEM ? -ENOMEM : 0;
	}
	struct tcpt_owner proc_info = {0};
	bool described = false;
	int r = 0;
	struct dirent *e;
	while (r == 0 && (e = readdir(d)))
		r = scan_fd_entry(s, fd_dir, e->d_name, pid, &proc_info, &described);
	closedir(d);
	return r;
}

static int scan_all_processes(struct scan *s)
{
	int dup_fd = fcntl(s->proc_fd, F_DUPFD_CLOEXEC, 0);
	if (dup_fd < 0)
		return -errno;
	DIR *d = fdopendir(dup_fd);
	if (!d) {
		close(dup_fd);
		return -ENOMEM;
	}
	int r = 0;
	struct dirent *e;
	while (r == 0 && (e = readdir(d))) {
		long pid = parse_number(e->d_name);
		if (pid > 0 && pid <= INT32_MAX)
			r = scan_process(s, (pid_t)pid);
	}
	closedir(d);
	return r;
}

/* --- grouping ---------------------------------------------------------------------------- */

static int compare_owners(const void *a, const void *b)
{
	const struct tcpt_owner *x = a, *y = b;
	if (x->pid != y->pid)
		return x->pid < y->pid ? -1 : 1;
	return (x->fd > y->fd) - (x->fd < y->fd);
}

/* Counting sort of the matches by row, then (pid, fd) order within each row's group. */
static int group_by_row(const struct match_list *m, size_t nrows, struct owner_table *ret,
			size_t **ret_start)
{
	size_t *start = calloc(nrows + 1, sizeof(*start));
	struct tcpt_owner *owners = m->count ? malloc(m->count * sizeof(*owners)) : NULL;
	if (!start || (m->count && !owners)) {
		free(start);
		free(owners);
		return -ENOMEM;
	}
	for (size_t i = 0; i < m->count; i++)
		start[m->items[i].row + 1]++;
	for (size_t i = 0; i < nrows; i++)
		start[i + 1] += start[i];
	size_t *fill = malloc((nrows ? nrows : 1) * sizeof(*fill));
	if (!fill) {
		free(start);
		free(owners);
		return -ENOMEM;
	}
	memcpy(fill, start, nrows * sizeof(*fill));
	for (size_t i = 0; i < m->count; i++)
		owners[fill[m->items[i].row]++] = m->items[i].owner;
	free(fill);
	for (size_t i = 0; i < nrows; i++)
		if (start[i + 1] - start[i] > 1)
			qsort(owners + start[i], start[i + 1] - start[i], sizeof(*owners),
			      compare_owners);
	ret->owners = owners;
	ret->count = m->count;
	*ret_start = start;
	return 0;
}

int owners_join(const char *proc_root, struct tcpt_conn *rows, size_t nrows, bool want_process,
		struct arena *strings, struct owner_table *ret)
{
	*ret = (struct owner_table){0};
	struct inode_table inodes;
	int r = inode_table_build(&inodes, rows, nrows);
	if (r < 0)
		return r;
	struct scan s = {.inodes = &inodes, .want_process = want_process, .strings = strings};
	s.proc_fd = open(proc_root, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (s.proc_fd < 0) {
		inode_table_free(&inodes);
		return -ENOTSUP;
	}
	r = scan_all_processes(&s);
	close(s.proc_fd);
	inode_table_free(&inodes);

	size_t *start = NULL;
	if (r == 0)
		r = group_by_row(&s.matches, nrows, ret, &start);
	free(s.matches.items);
	if (r < 0)
		return r;
	for (size_t i = 0; i < nrows; i++) {
		rows[i].owner_count = (uint32_t)(start[i + 1] - start[i]);
		rows[i].owners = rows[i].owner_count ? ret->owners + start[i] : NULL;
	}
	free(start);
	ret->unreadable = s.unreadable;
	return 0;
}

void owner_table_free(struct owner_table *t)
{
	free(t->owners);
	*t = (struct owner_table){0};
}
