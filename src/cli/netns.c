/* netns.c - namespace arguments are checked for what they are before they are entered, and
 * every namespace of the host is found by path (through the processes living in it and
 * /run/netns), deduplicated by inode, with nothing held open: the library opens each one
 * only while it reads its sockets. */
#include "netns.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <linux/magic.h>
#include <linux/nsfs.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <unistd.h>

#ifndef NSFS_MAGIC
#define NSFS_MAGIC 0x6e736673
#endif

int netns_path_of(const char *name_or_path, char *out, size_t size)
{
	int n = strchr(name_or_path, '/') ? snprintf(out, size, "%s", name_or_path)
					  : snprintf(out, size, "/run/netns/%s", name_or_path);
	return n < 0 || (size_t)n >= size ? -1 : 0;
}

static int refuse(struct netns_error *err, bool usage, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(err->text, sizeof(err->text), fmt, ap);
	va_end(ap);
	err->usage = usage;
	return -1;
}

static const char *file_kind(mode_t mode)
{
	if (S_ISDIR(mode))
		return "a directory";
	if (S_ISFIFO(mode))
		return "a FIFO";
	if (S_ISCHR(mode))
		return "a character device";
	if (S_ISBLK(mode))
		return "a block device";
	if (S_ISSOCK(mode))
		return "a socket";
	return "a file";
}

static const char *namespace_kind(int type)
{
	switch (type) {
	case CLONE_NEWUSER: return "a user namespace";
	case CLONE_NEWNS: return "a mount namespace";
	case CLONE_NEWPID: return "a PID namespace";
	case CLONE_NEWUTS: return "a UTS namespace";
	case CLONE_NEWIPC: return "an IPC namespace";
	case CLONE_NEWCGROUP: return "a cgroup namespace";
#ifdef CLONE_NEWTIME
	case CLONE_NEWTIME: return "a time namespace";
#endif
	default: return "another kind of namespace";
	}
}

/* Open PATH if it is a network namespace, never blocking; otherwise say what it is. */
static int open_netns(const char *path, struct netns_error *err)
{
	struct stat st;
	struct statfs sfs;
	if (stat(path, &st) < 0) {
		if (errno == ENOENT || errno == ENOTDIR)
			return refuse(err, true, "no such network namespace (%s does not exist)",
				      path);
		return refuse(err, false, "cannot look at %s: %s", path, strerror(errno));
	}
	if (!S_ISREG(st.st_mode))
		return refuse(err, true, "%s is %s, not a network namespace", path,
			      file_kind(st.st_mode));
	if (statfs(path, &sfs) < 0)
		return refuse(err, false, "cannot look at %s: %s", path, strerror(errno));
	if (sfs.f_type != NSFS_MAGIC)
		return refuse(err, true, "%s is %s, not a network namespace%s", path,
			      st.st_size ? "a plain file" : "an empty file",
			      st.st_size ? "" : " (left over from a namespace that is gone?)");
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);
	if (fd < 0)
		return refuse(err, false, "cannot open %s: %s", path, strerror(errno));
	int type = ioctl(fd, NS_GET_NSTYPE);
	if (type >= 0 && type != CLONE_NEWNET) {
		close(fd);
		return refuse(err, true, "%s is %s, not a network namespace", path,
			      namespace_kind(type));
	}
	return fd;
}

int netns_enter(const char *name_or_path, struct netns_error *err)
{
	char path[4096];
	if (!*name_or_path)
		return refuse(err, true, "an empty network namespace name");
	if (netns_path_of(name_or_path, path, sizeof(path)) < 0)
		return refuse(err, true, "the namespace name or path is too long");
	int fd = open_netns(path, err);
	if (fd < 0)
		return -1;
	int r = setns(fd, CLONE_NEWNET);
	int e = errno;
	close(fd);
	if (r == 0)
		return 0;
	if (e == EPERM)
		return refuse(err, false, "entering a network namespace needs CAP_SYS_ADMIN");
	return refuse(err, false, "cannot enter %s: %s", path, strerror(e));
}

/* --- work in another namespace ------------------------------------------------------------- */

struct ns_task {
	const char *path;
	void (*fn)(void *arg);
	void *arg;
	int result;
};

static void *run_task(void *arg)
{
	struct ns_task *t = arg;
	int fd = open(t->path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
	if (fd < 0) {
		t->result = -errno;
		return NULL;
	}
	t->result = setns(fd, CLONE_NEWNET) < 0 ? -errno : 0;
	close(fd);
	if (t->result == 0)
		t->fn(t->arg);
	return NULL;
}

int netns_run_in(const char *path, void (*fn)(void *arg), void *arg)
{
	struct ns_task t = {.path = path, .fn = fn, .arg = arg};
	pthread_t thread;
	int r = pthread_create(&thread, NULL, run_task, &t);
	if (r != 0)
		return -r;
	pthread_join(thread, NULL);
	return t.result;
}

/* --- every namespace of the host --------------------------------------------------------- */

static bool list_has(const struct netns_list *l, uint64_t inode)
{
	for (size_t i = 0; i < l->count; i++)
		if (l->inodes[i] == inode)
			return true;
	return false;
}

static int list_add(struct netns_list *l, const char *path, uint64_t inode)
{
	if (list_has(l, inode))
		return 0;
	if (l->count == l->cap) {
		size_t cap = l->cap ? l->cap * 2 : 16;
		char **paths = realloc(l->paths, cap * sizeof(*paths));
		if (!paths)
			return -ENOMEM;
		l->paths = paths;
		uint64_t *inodes = realloc(l->inodes, cap * sizeof(*inodes));
		if (!inodes)
			return -ENOMEM;
		l->inodes = inodes;
		l->cap = cap;
	}
	char *copy = strdup(path);
	if (!copy)
		return -ENOMEM;
	l->paths[l->count] = copy;
	l->inodes[l->count++] = inode;
	return 0;
}

/* A namespace a process lives in: stat(2) follows the link to the namespace itself, so its
 * inode is known without opening anything. A process that exits meanwhile is simply gone. */
static int add_process(struct netns_list *l, const char *pid)
{
	char path[300]; /* a d_name is at most 255 bytes */
	snprintf(path, sizeof(path), "/proc/%s/ns/net", pid);
	struct stat st;
	if (stat(path, &st) < 0) {
		if (errno == EACCES || errno == EPERM)
			l->denied++;
		return 0;
	}
	return list_add(l, path, st.st_ino);
}

static int add_processes(struct netns_list *l)
{
	DIR *d = opendir("/proc");
	if (!d)
		return 0;
	struct dirent *e;
	int r = 0;
	while (r == 0 && (e = readdir(d)))
		if (e->d_name[0] >= '1' && e->d_name[0] <= '9')
			r = add_process(l, e->d_name);
	closedir(d);
	return r;
}

/* A name under /run/netns is whatever the admin left there: check each one. */
static int add_named(struct netns_list *l, FILE *warn)
{
	DIR *d = opendir("/run/netns");
	if (!d)
		return 0;
	struct dirent *e;
	int r = 0;
	while (r == 0 && (e = readdir(d))) {
		if (e->d_name[0] == '.')
			continue;
		char path[512];
		if (snprintf(path, sizeof(path), "/run/netns/%s", e->d_name) >= (int)sizeof(path))
			continue;
		struct netns_error err;
		int fd = open_netns(path, &err);
		if (fd < 0) {
			if (!err.usage)
				l->unusable++;
			if (warn)
				fprintf(warn, "tcptable: skipping %s\n", err.text);
			continue;
		}
		struct stat st;
		if (fstat(fd, &st) == 0)
			r = list_add(l, path, st.st_ino);
		close(fd);
	}
	closedir(d);
	return r;
}

int netns_list_all(struct netns_list *ret, FILE *warn)
{
	*ret = (struct netns_list){0};
	struct stat self;
	int r = stat("/proc/self/ns/net", &self) < 0 ? -errno : 0;
	if (r == 0)
		r = list_add(ret, "/proc/self/ns/net", self.st_ino);
	if (r == 0)
		r = add_named(ret, warn);
	if (r == 0)
		r = add_processes(ret);
	if (r < 0)
		netns_list_free(ret);
	return r;
}

void netns_list_free(struct netns_list *l)
{
	for (size_t i = 0; i < l->count; i++)
		free(l->paths[i]);
	free(l->paths);
	free(l->inodes);
	*l = (struct netns_list){0};
}
