/* owners.c - socket inode -> (pid, fd) from one pass over /proc/<pid>/fd.
 *
 * Cost is linear in the number of descriptors on the host: each is one readlinkat(), made
 * by two threads that share out the processes; the
 * sockets found are grouped by inode with a counting pass over an open-addressing table, so a
 * row's owners are one probe away (ss chains 256 buckets and walks a whole chain per socket,
 * which is quadratic at scale). */
#include "owners.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <linux/magic.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/vfs.h>

#include "grow.h"
#include "process.h"

/* Key and group side by side, so a lookup costs one cache miss. */
struct owner_slot {
	uint64_t inode; /* 0 = empty: inode 0 is "no socket" and never inserted */
	uint32_t first; /* index of the group's first owner */
	uint32_t count;
};

/* --- what the scan finds ----------------------------------------------------------------- */

/* Name and executable of each process holding a socket, looked up by pid when grouping. */
struct proc_names {
	struct tcpt_owner *items; /* pid, name, exe (fd unused) */
	size_t count;
	size_t cap;
};

int owner_found_add(struct owner_found_list *l, uint64_t inode, int32_t pid, int32_t fd)
{
	int r = grow_array((void **)&l->items, &l->cap, l->count + 1, sizeof(*l->items));
	if (r < 0)
		return r;
	l->items[l->count++] = (struct owner_found){inode, pid, fd};
	return 0;
}

static int proc_names_add(struct proc_names *l, const struct tcpt_owner *p)
{
	int r = grow_array((void **)&l->items, &l->cap, l->count + 1, sizeof(*l->items));
	if (r < 0)
		return r;
	l->items[l->count++] = *p;
	return 0;
}

static int compare_pids(const void *a, const void *b)
{
	const struct tcpt_owner *x = a, *y = b;
	return (x->pid > y->pid) - (x->pid < y->pid);
}

/* The owner F stands for, with its process's name and executable when they were read. The
 * last process found is remembered: descriptors come grouped by process. */
static struct tcpt_owner owner_of(const struct owner_found *f, const struct proc_names *names,
				  const struct tcpt_owner **last)
{
	struct tcpt_owner o = {.pid = f->pid, .fd = f->fd};
	if (!*last || (*last)->pid != f->pid) {
		struct tcpt_owner key = {.pid = f->pid};
		*last = names->count ? bsearch(&key, names->items, names->count,
					       sizeof(key), compare_pids)
				     : NULL;
	}
	if (*last) {
		o.name = (*last)->name;
		o.exe = (*last)->exe;
	}
	return o;
}

/* --- the scan ---------------------------------------------------------------------------- */

struct scan {
	int proc_fd;
	bool want_process;
	struct arena *strings;
	struct owner_found_list found;
	struct proc_names names;
	size_t unreadable;
	bool refused;   /* the process being scanned refused one of its fds */
};

/* A positive decimal number, the whole of NAME; -1 otherwise. */
static long parse_number(const char *name)
{
	long v = 0;
	if (!*name)
		return -1;
	for (; *name; name++) {
		if (*name < '0' || *name > '9' || v > (LONG_MAX - 9) / 10)
			return -1;
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

/* Name and executable of PID, copied into the arena once for all its sockets. */
static int describe_process(struct scan *s, pid_t pid)
{
	char buf[PATH_MAX];
	struct tcpt_owner p = {.pid = pid};
	int n = process_read_name(s->proc_fd, pid, buf, sizeof(buf));
	if (n >= 0 && !(p.name = arena_strndup(s->strings, buf, (size_t)n)))
		return -ENOMEM;
	n = process_read_exe(s->proc_fd, pid, buf, sizeof(buf));
	if (n >= 0 && !(p.exe = arena_strndup(s->strings, buf, (size_t)n)))
		return -ENOMEM;
	return proc_names_add(&s->names, &p);
}

static int scan_fd_entry(struct scan *s, int fd_dir, const char *name, pid_t pid,
			 bool *described)
{
	long fd = parse_number(name);
	if (fd < 0 || fd > INT32_MAX)
		return 0;
	char target[64];
	ssize_t n = readlinkat(fd_dir, name, target, sizeof(target));
	if (n < 0 && (errno == EACCES || errno == EPERM))
		s->refused = true; /* listable but not readable (seen for pid 1) */
	if (n <= 0 || (size_t)n >= sizeof(target))
		return 0; /* closed meanwhile, refused, or not a socket (long paths) */
	uint64_t inode = socket_inode(target, (size_t)n);
	if (!inode)
		return 0;
	if (s->want_process && !*described) {
		int r = describe_process(s, pid);
		if (r < 0)
			return r;
		*described = true;
	}
	return owner_found_add(&s->found, inode, pid, (int32_t)fd);
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
	bool described = false;
	int r = 0;
	struct dirent *e;
	s->refused = false;
	while (r == 0 && (e = readdir(d)))
		r = scan_fd_entry(s, fd_dir, e->d_name, pid, &described);
	closedir(d);
	if (s->refused)
		s->unreadable++;
	return r;
}

/* The pids under /proc (as readdir lists them) into *RET_PIDS. Returns 0 or -errno. */
static int list_pids(int proc_fd, pid_t **ret_pids, size_t *ret_count)
{
	int dup_fd = fcntl(proc_fd, F_DUPFD_CLOEXEC, 0);
	if (dup_fd < 0)
		return -errno;
	DIR *d = fdopendir(dup_fd);
	if (!d) {
		close(dup_fd);
		return -ENOMEM;
	}
	pid_t *pids = NULL;
	size_t count = 0, cap = 0;
	int r = 0;
	struct dirent *e;
	while (r == 0 && (e = readdir(d))) {
		long pid = parse_number(e->d_name);
		if (pid <= 0 || pid > INT32_MAX)
			continue;
		r = grow_array((void **)&pids, &cap, count + 1, sizeof(*pids));
		if (r == 0)
			pids[count++] = (pid_t)pid;
	}
	closedir(d);
	if (r < 0) {
		free(pids);
		return r;
	}
	*ret_pids = pids;
	*ret_count = count;
	return 0;
}

/* Two scanners share the pids, each taking the next one not taken: the readlink()s are most
 * of the cost, and the second core is otherwise idle once the dump beside them is done. */
struct scan_share {
	const pid_t *pids;
	size_t count;
	atomic_size_t next;
};

struct scanner {
	struct scan scan;
	struct scan_share *share;
	struct arena strings; /* the helper's own: arenas are not shared between threads */
	int result;
};

static int scan_some(struct scan *s, struct scan_share *share)
{
	int r = 0;
	for (size_t i; r == 0 && (i = atomic_fetch_add(&share->next, 1)) < share->count;)
		r = scan_process(s, share->pids[i]);
	return r;
}

static void *scanner_run(void *arg)
{
	struct scanner *h = arg;
	h->result = scan_some(&h->scan, h->share);
	return NULL;
}

/* Add what the helper H found to S: descriptors, processes, counts, strings. */
static int merge_scan(struct scan *s, struct scanner *h)
{
	arena_adopt(s->strings, &h->strings);
	s->unreadable += h->scan.unreadable;
	int r = grow_array((void **)&s->found.items, &s->found.cap,
			   s->found.count + h->scan.found.count, sizeof(*s->found.items));
	for (size_t i = 0; r == 0 && i < h->scan.found.count; i++)
		s->found.items[s->found.count++] = h->scan.found.items[i];
	for (size_t i = 0; r == 0 && i < h->scan.names.count; i++)
		r = proc_names_add(&s->names, &h->scan.names.items[i]);
	return r;
}

static int scan_all_processes(struct scan *s)
{
	struct scan_share share = {0};
	int r = list_pids(s->proc_fd, (pid_t **)&share.pids, &share.count);
	if (r < 0)
		return r;
	atomic_init(&share.next, 0);
	struct scanner helper = {.share = &share, .scan = {.proc_fd = s->proc_fd,
							  .want_process = s->want_process}};
	helper.scan.strings = &helper.strings;
	pthread_t thread;
	bool threaded = share.count > 1 && pthread_create(&thread, NULL, scanner_run, &helper) == 0;
	r = scan_some(s, &share);
	if (threaded) {
		pthread_join(thread, NULL);
		if (r == 0)
			r = helper.result;
		if (r == 0)
			r = merge_scan(s, &helper);
	}
	free(helper.scan.found.items);
	free(helper.scan.names.items);
	arena_free(&helper.strings); /* empty unless the merge failed */
	free((void *)share.pids);
	return r;
}

/* --- grouping ---------------------------------------------------------------------------- */

static size_t slot_of(uint64_t inode, size_t mask)
{
	return (size_t)((inode * UINT64_C(0x9e3779b97f4a7c15)) >> 17) & mask;
}

/* The slot holding INODE, or the empty slot where it belongs. */
static struct owner_slot *probe(struct owner_slot *slots, size_t mask, uint64_t inode)
{
	size_t s = slot_of(inode, mask);
	while (slots[s].inode && slots[s].inode != inode)
		s = (s + 1) & mask;
	return &slots[s];
}

/* The table is far larger than the caches and the inodes come in no useful order: load the
 * slot a few descriptors ahead while this one is placed. */
static void prefetch_ahead(const struct owner_found_list *f, size_t i, const struct owner_index *ix)
{
	enum { AHEAD = 8 };
	if (i + AHEAD < f->count)
		__builtin_prefetch(&ix->slots[slot_of(f->items[i + AHEAD].inode, ix->mask)], 1);
}

static int compare_owners(const void *a, const void *b)
{
	const struct tcpt_owner *x = a, *y = b;
	if (x->pid != y->pid)
		return x->pid < y->pid ? -1 : 1;
	return (x->fd > y->fd) - (x->fd < y->fd);
}

/* Count per inode, give each group its place, then drop every owner into its group. The scan
 * already met pids and fds in ascending order; groups are sorted anyway, being tiny. */
static int group(const struct owner_found_list *f, struct proc_names *names, struct owner_index *ix)
{
	if (f->count > UINT32_MAX)
		return -ENOMEM;
	size_t size = 16;
	while (size < f->count * 2)
		size *= 2;
	ix->slots = calloc(size, sizeof(*ix->slots));
	ix->owners = malloc((f->count ? f->count : 1) * sizeof(*ix->owners));
	if (!ix->slots || !ix->owners)
		return -ENOMEM;
	ix->mask = size - 1;
	for (size_t i = 0; i < f->count; i++) {
		prefetch_ahead(f, i, ix);
		struct owner_slot *slot = probe(ix->slots, ix->mask, f->items[i].inode);
		slot->inode = f->items[i].inode;
		slot->count++;
	}
	uint32_t next = 0;
	for (size_t s = 0; s < size; s++) {
		ix->slots[s].first = next;
		next += ix->slots[s].count;
		ix->slots[s].count = 0; /* refilled below, as the fill cursor */
	}
	if (names->count > 1)
		qsort(names->items, names->count, sizeof(*names->items), compare_pids);
	const struct tcpt_owner *last = NULL;
	for (size_t i = 0; i < f->count; i++) {
		prefetch_ahead(f, i, ix);
		struct owner_slot *slot = probe(ix->slots, ix->mask, f->items[i].inode);
		ix->owners[slot->first + slot->count++] = owner_of(&f->items[i], names, &last);
	}
	for (size_t s = 0; s < size; s++)
		if (ix->slots[s].count > 1)
			qsort(ix->owners + ix->slots[s].first, ix->slots[s].count,
			      sizeof(*ix->owners), compare_owners);
	ix->count = f->count;
	return 0;
}

/* hidepid=2/invisible and 4/ptraceable leave other users' processes out of the listing
 * altogether (1/noaccess only refuses their fds, which the scan counts). The mount's options
 * are in mountinfo, on the line of the device PROC_FD lives on. */
static bool proc_hides_processes(int proc_fd)
{
	struct stat st;
	if (geteuid() == 0 || fstat(proc_fd, &st) < 0)
		return false;
	int fd = openat(proc_fd, "self/mountinfo", O_RDONLY | O_CLOEXEC);
	FILE *f = fd >= 0 ? fdopen(fd, "r") : NULL;
	if (!f) {
		if (fd >= 0)
			close(fd);
		return false;
	}
	char want[32], line[4096];
	snprintf(want, sizeof(want), " %u:%u ", major(st.st_dev), minor(st.st_dev));
	bool hidden = false;
	while (!hidden && fgets(line, sizeof(line), f)) {
		const char *options = strstr(line, " - proc ");
		if (!strstr(line, want) || !options)
			continue;
		hidden = strstr(options, "hidepid=2") || strstr(options, "hidepid=invisible") ||
			 strstr(options, "hidepid=4") || strstr(options, "hidepid=ptraceable");
	}
	fclose(f);
	return hidden;
}

/* PROC_ROOT as a procfs directory, or -1 when there is none (not mounted, or something
 * else mounted there: an empty tmpfs would otherwise look like a host without processes). */
static int open_proc(const char *proc_root)
{
	int fd = open(proc_root, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	struct statfs sfs;
	if (fd >= 0 && (fstatfs(fd, &sfs) < 0 || sfs.f_type != PROC_SUPER_MAGIC)) {
		close(fd);
		fd = -1;
	}
	return fd;
}

/* Names and executables of every process in FOUND (grouped by pid, as every source emits
 * them), read from /proc once per process. */
static int describe_found(struct scan *s, const struct owner_found_list *found)
{
	for (size_t i = 0; i < found->count; i++) {
		if (i && found->items[i].pid == found->items[i - 1].pid)
			continue;
		int r = describe_process(s, found->items[i].pid);
		if (r < 0)
			return r;
	}
	return 0;
}

int owner_index_build_from(const char *proc_root, const struct owner_found_list *found,
			   bool want_process, struct arena *strings, struct owner_index *ret)
{
	*ret = (struct owner_index){0};
	struct scan s = {.want_process = want_process, .strings = strings, .proc_fd = -1};
	int r = 0;
	if (want_process) {
		s.proc_fd = open(proc_root, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		if (s.proc_fd >= 0) /* without /proc, owners stay nameless */
			r = describe_found(&s, found);
		if (s.proc_fd >= 0)
			close(s.proc_fd);
	}
	if (r == 0)
		r = group(found, &s.names, ret);
	free(s.names.items);
	if (r < 0)
		owner_index_free(ret);
	return r;
}

int owner_index_build(const char *proc_root, bool want_process, struct arena *strings,
		      struct owner_index *ret)
{
	*ret = (struct owner_index){0};
	struct scan s = {.want_process = want_process, .strings = strings};
	s.proc_fd = open_proc(proc_root);
	if (s.proc_fd < 0) {
		ret->gaps = TCPT_OWNERS_NO_PROC;
		return 0;
	}
	unsigned gaps = proc_hides_processes(s.proc_fd) ? TCPT_OWNERS_HIDDEN : 0;
	int r = scan_all_processes(&s);
	close(s.proc_fd);
	if (r == 0)
		r = group(&s.found, &s.names, ret);
	free(s.found.items);
	free(s.names.items);
	if (r < 0) {
		owner_index_free(ret);
		return r;
	}
	ret->unreadable = s.unreadable;
	ret->gaps = gaps;
	return 0;
}

uint32_t owner_index_find(const struct owner_index *ix, uint64_t inode,
			  const struct tcpt_owner **ret_owners)
{
	*ret_owners = NULL;
	if (!inode || !ix->slots)
		return 0;
	const struct owner_slot *slot = probe((struct owner_slot *)ix->slots, ix->mask, inode);
	if (!slot->inode)
		return 0;
	*ret_owners = ix->owners + slot->first;
	return slot->count;
}

void owner_index_prefetch(const struct owner_index *ix, uint64_t inode)
{
	if (inode && ix->slots)
		__builtin_prefetch(&ix->slots[slot_of(inode, ix->mask)]);
}

void owner_index_attach(const struct owner_index *ix, struct tcpt_conn *rows, size_t nrows)
{
	enum { AHEAD = 8 }; /* the slots are a table far larger than the caches, met at random */
	for (size_t i = 0; i < nrows; i++) {
		if (i + AHEAD < nrows)
			owner_index_prefetch(ix, rows[i + AHEAD].inode);
		rows[i].owner_count = owner_index_find(ix, rows[i].inode, &rows[i].owners);
	}
}

void owner_index_free(struct owner_index *ix)
{
	free(ix->owners);
	free(ix->slots);
	*ix = (struct owner_index){0};
}
