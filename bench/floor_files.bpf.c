// SPDX-License-Identifier: MIT
/* floor_files.bpf.c - the BPF owner floor: iter/task_file writing (inode, tgid, fd) for every
 * socket descriptor of every thread-group leader, nothing else. */
#include "core.h"
#include <bpf/bpf_helpers.h>

char LICENSE[] SEC("license") = "Dual MIT/GPL";

struct rec {
	__u64 inode;
	__s32 pid;
	__s32 fd;
};

SEC("iter/task_file")
int floor_files(struct bpf_iter__task_file *ctx)
{
	struct task_struct *task = ctx->task;
	struct file *file = ctx->file;
	if (!task || !file || task->pid != task->tgid)
		return 0;
	struct inode *inode = file->f_inode;
	if (!inode || (inode->i_mode & S_IFMT) != S_IFSOCK)
		return 0;
	struct rec r = {.inode = inode->i_ino, .pid = task->tgid, .fd = (__s32)ctx->fd};
	bpf_seq_write(ctx->meta->seq, &r, sizeof(r));
	return 0;
}
