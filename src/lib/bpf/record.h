/* record.h - what the BPF iterator programs write and the loader reads: fixed binary records,
 * the same layout on both sides (the programs are compiled for the host's endianness). */
#ifndef TCPT_BPF_RECORD_H
#define TCPT_BPF_RECORD_H

#ifdef __bpf__
#include "core.h"
#else
#include <linux/types.h>
#endif

/* One socket descriptor of a process (iter/task_file): 16 bytes. */
struct tcpt_bpf_owner {
	__u64 inode; /* the socket's inode, as in /proc/PID/fd's "socket:[INODE]" */
	__s32 pid;   /* the process, as the reader's pid namespace numbers it */
	__s32 fd;
};

#endif
