// SPDX-License-Identifier: MIT
/* owners.bpf.c - iter/task_file: one record (inode, pid, fd) per socket descriptor of every
 * process, in one read() instead of a readlink() per descriptor under /proc/PID/fd.
 *
 * Whose table: the kernel's iterator already skips threads that share their leader's file
 * table. A thread that made its own table (unshare(CLONE_FILES)) is skipped here too, because
 * /proc/PID/fd, the other owner source, shows the thread-group leader's table only: both
 * sources then name the same (pid, fd) pairs. A forked process has its own pid and table, and
 * is counted under it. */
#include "core.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>

#include "record.h"

char LICENSE[] SEC("license") = "Dual MIT/GPL";

/* The pid of TASK's thread group as the reading process's pid namespace numbers it: the
 * kernel walks the tasks of that namespace, but task->tgid is the number in the initial one.
 * The reader is the current task (the program runs inside its read()). 0 if it has none. */
static __always_inline __s32 pid_seen_by_reader(struct task_struct *task)
{
	struct task_struct *reader = bpf_get_current_task_btf();
	unsigned int level = BPF_CORE_READ(reader, thread_pid, level);
	if (level == 0)
		return task->tgid;
	struct pid *p = BPF_CORE_READ(task, thread_pid);
	if (!p || BPF_CORE_READ(p, level) < level || level > 32)
		return 0;
	/* numbers[level], with the kernel's size of struct upid (not core.h's) */
	unsigned long at = bpf_core_field_offset(struct pid, numbers) +
			   level * bpf_core_type_size(struct upid) +
			   bpf_core_field_offset(struct upid, nr);
	int nr = 0;
	bpf_probe_read_kernel(&nr, sizeof(nr), (const char *)p + at);
	return nr;
}

SEC("iter/task_file")
int socket_owners(struct bpf_iter__task_file *ctx)
{
	struct task_struct *task = ctx->task;
	struct file *file = ctx->file;
	if (!task || !file || task->pid != task->tgid)
		return 0;
	struct inode *inode = file->f_inode;
	if (!inode || (inode->i_mode & S_IFMT) != S_IFSOCK)
		return 0;
	struct tcpt_bpf_owner rec = {
		.inode = inode->i_ino,
		.pid = pid_seen_by_reader(task),
		.fd = (__s32)ctx->fd,
	};
	if (rec.pid > 0)
		bpf_seq_write(ctx->meta->seq, &rec, sizeof(rec));
	return 0;
}
