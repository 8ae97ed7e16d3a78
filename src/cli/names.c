/* names.c - lookups that would cost a syscall or a file read per row are done once per id. */
#include "names.h"
#include "grow.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/magic.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <unistd.h>

static int compare_ids(const void *a, const void *b)
{
	const struct id_name *x = a, *y = b;
	return (x->id > y->id) - (x->id < y->id);
}

/* Maps filled in one go are sorted and searched in log time (a host may have thousands of
 * cgroups); the user cache grows one uid at a time and stays small. */
static struct id_name *find(struct name_cache *c, uint64_t id)
{
	if (c->count == 0)
		return NULL; /* an empty map may have no array at all: bsearch(NULL) is undefined */
	if (c->loaded) {
		struct id_name key = {.id = id};
		return bsearch(&key, c->items, c->count, sizeof(key), compare_ids);
	}
	for (size_t i = 0; i < c->count; i++)
		if (c->items[i].id == id)
			return &c->items[i];
	return NULL;
}

static void finish_loading(struct name_cache *c)
{
	if (c->count)
		qsort(c->items, c->count, sizeof(c->items[0]), compare_ids);
	c->loaded = 1;
}

/* Remember NAME (copied; NULL allowed) for ID. Returns the stored name. */
static const char *remember(struct name_cache *c, uint64_t id, const char *name)
{
	if (grow_array((void **)&c->items, &c->cap, c->count + 1, sizeof(*c->items)) < 0)
		return NULL;
	char *copy = name ? strdup(name) : NULL;
	c->items[c->count++] = (struct id_name){id, copy};
	return copy;
}

const char *names_user(struct name_cache *c, uint32_t uid)
{
	struct id_name *hit = find(c, uid);
	if (hit)
		return hit->name;
	struct passwd pw, *found = NULL;
	char buf[4096];
	getpwuid_r(uid, &pw, buf, sizeof(buf), &found);
	return remember(c, uid, found ? found->pw_name : NULL);
}

/* Depth-first walk of the cgroup tree, remembering each directory's inode and path. */
static void walk_cgroups(struct name_cache *c, int dirfd, char *path, size_t len, int depth)
{
	DIR *d = fdopendir(dirfd);
	if (!d) {
		close(dirfd);
		return;
	}
	struct dirent *e;
	while ((e = readdir(d))) {
		if (e->d_type != DT_DIR || e->d_name[0] == '.')
			continue;
		size_t n = strlen(e->d_name);
		if (len + 1 + n >= 4096 || depth > 64)
			continue;
		int sub = openat(dirfd, e->d_name, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		if (sub < 0)
			continue;
		struct stat st;
		path[len] = '/';
		memcpy(path + len + 1, e->d_name, n + 1);
		if (fstat(sub, &st) == 0)
			remember(c, st.st_ino, path);
		walk_cgroups(c, sub, path, len + 1 + n, depth + 1);
		path[len] = '\0';
	}
	closedir(d);
}

/* The cgroup v2 hierarchy: /sys/fs/cgroup itself on a unified system, its "unified" child on
 * a hybrid one. Ids name v2 cgroups only, so a v1 tree must not be walked. */
static int open_cgroup2_root(void)
{
	static const char *const candidates[] = {"/sys/fs/cgroup", "/sys/fs/cgroup/unified"};
	for (size_t i = 0; i < sizeof(candidates) / sizeof(candidates[0]); i++) {
		int fd = open(candidates[i], O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		struct statfs sfs;
		if (fd >= 0 && fstatfs(fd, &sfs) == 0 && sfs.f_type == CGROUP2_SUPER_MAGIC)
			return fd;
		if (fd >= 0)
			close(fd);
	}
	return -1;
}

const char *names_cgroup(struct name_cache *c, uint64_t id)
{
	if (!c->loaded) {
		int root = open_cgroup2_root();
		struct stat st;
		if (root >= 0 && fstat(root, &st) == 0)
			remember(c, st.st_ino, "/");
		char path[4096] = "";
		if (root >= 0)
			walk_cgroups(c, root, path, 0, 0);
		finish_loading(c);
	}
	struct id_name *hit = find(c, id);
	return hit ? hit->name : NULL;
}

const char *names_netns(struct name_cache *c, uint64_t ino)
{
	if (!c->loaded) {
		DIR *d = opendir("/run/netns");
		struct dirent *e;
		while (d && (e = readdir(d))) {
			struct stat st;
			if (e->d_name[0] != '.' && fstatat(dirfd(d), e->d_name, &st, 0) == 0)
				remember(c, st.st_ino, e->d_name);
		}
		if (d)
			closedir(d);
		finish_loading(c);
	}
	struct id_name *hit = find(c, ino);
	return hit ? hit->name : NULL;
}

void names_free(struct name_cache *c)
{
	for (size_t i = 0; i < c->count; i++)
		free(c->items[i].name);
	free(c->items);
	*c = (struct name_cache){0};
}
