/* netns.c - every namespace is found through the processes living in it (and /run/netns for
 * those with none), deduplicated by inode. */
#include "netns.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int netns_enter(const char *name_or_path)
{
	char path[4096];
	if (strchr(name_or_path, '/'))
		snprintf(path, sizeof(path), "%s", name_or_path);
	else
		snprintf(path, sizeof(path), "/run/netns/%s", name_or_path);
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	int r = setns(fd, CLONE_NEWNET) < 0 ? -errno : 0;
	close(fd);
	return r;
}

struct ns_set {
	int *fds;
	unsigned long long *inodes;
	size_t count;
	size_t cap;
};

static int ns_set_add(struct ns_set *s, int fd)
{
	struct stat st;
	if (fstat(fd, &st) < 0)
		goto drop;
	for (size_t i = 0; i < s->count; i++)
		if (s->inodes[i] == (unsigned long long)st.st_ino)
			goto drop;
	if (s->count == s->cap) {
		size_t cap = s->cap ? s->cap * 2 : 16;
		int *fds = realloc(s->fds, cap * sizeof(*fds));
		if (fds)
			s->fds = fds;
		unsigned long long *inodes = realloc(s->inodes, cap * sizeof(*inodes));
		if (inodes)
			s->inodes = inodes;
		if (!fds || !inodes) {
			close(fd);
			return -ENOMEM;
		}
		s->cap = cap;
	}
	s->fds[s->count] = fd;
	s->inodes[s->count++] = st.st_ino;
	return 0;
drop:
	close(fd);
	return 0;
}

static int add_from_dir(struct ns_set *s, const char *dir, const char *leaf, int *denied)
{
	DIR *d = opendir(dir);
	if (!d)
		return 0;
	struct dirent *e;
	int r = 0;
	while (r == 0 && (e = readdir(d))) {
		if (e->d_name[0] == '.')
			continue;
		if (leaf && (e->d_name[0] < '0' || e->d_name[0] > '9'))
			continue;
		char path[512];
		snprintf(path, sizeof(path), "%s/%s%s", dir, e->d_name, leaf ? leaf : "");
		int fd = open(path, O_RDONLY | O_CLOEXEC);
		if (fd < 0) {
			if (errno == EACCES || errno == EPERM)
				*denied = 1;
			continue;
		}
		r = ns_set_add(s, fd);
	}
	closedir(d);
	return r;
}

int netns_open_all(int **ret_fds, size_t *ret_count)
{
	struct ns_set s = {0};
	int denied = 0;
	int self = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);
	int r = self < 0 ? -errno : ns_set_add(&s, self);
	if (r == 0)
		r = add_from_dir(&s, "/proc", "/ns/net", &denied);
	if (r == 0)
		r = add_from_dir(&s, "/run/netns", NULL, &denied);
	if (r == 0 && denied && geteuid() != 0)
		r = -EPERM;
	free(s.inodes);
	if (r < 0) {
		netns_close(s.fds, s.count);
		return r;
	}
	*ret_fds = s.fds;
	*ret_count = s.count;
	return 0;
}

void netns_close(int *fds, size_t count)
{
	for (size_t i = 0; i < count; i++)
		close(fds[i]);
	free(fds);
}
