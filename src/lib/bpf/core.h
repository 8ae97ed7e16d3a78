/* core.h - the few kernel types the BPF programs read, described for CO-RE.
 *
 * Instead of a generated vmlinux.h (tens of thousands of lines, tied to one kernel), each
 * struct below names only the fields the programs touch. preserve_access_index makes clang
 * record every access as a relocation by name, which libbpf resolves at load time against the
 * running kernel's BTF (/sys/kernel/btf/vmlinux): offsets, sizes and order here do not have
 * to match any kernel, only the names and kinds. Compiled only with clang -target bpf. */
#ifndef TCPT_BPF_CORE_H
#define TCPT_BPF_CORE_H

typedef unsigned char __u8;
typedef unsigned short __u16;
typedef unsigned int __u32;
typedef unsigned long long __u64;
typedef signed char __s8;
typedef short __s16;
typedef int __s32;
typedef long long __s64;
typedef __u16 __be16;
typedef __u32 __be32;
typedef __u32 __wsum;

typedef __u32 u32;
typedef __u64 u64;
typedef int pid_t;
typedef __u32 uid_t;
typedef unsigned short umode_t;

#pragma clang attribute push(__attribute__((preserve_access_index)), apply_to = record)

struct seq_file;

/* The kernel's iterator contexts are matched by these exact names (bpf_iter__<target>). */
struct bpf_iter_meta {
	struct seq_file *seq;
	__u64 session_id;
	__u64 seq_num;
};

struct upid {
	int nr;
};

struct pid {
	unsigned int level;
	struct upid numbers[1];
};

struct task_struct {
	pid_t pid;
	pid_t tgid;
	struct pid *thread_pid;
};

struct inode {
	umode_t i_mode;
	unsigned long i_ino;
};

struct file {
	struct inode *f_inode;
};

struct bpf_iter__task_file {
	struct bpf_iter_meta *meta;
	struct task_struct *task;
	__u32 fd;
	struct file *file;
};

/* --- sockets (iter/tcp) --- */

struct in6_addr {
	__u8 u6_addr8[16];
};

/* The kernel nests the addresses and ports in anonymous unions; libbpf finds a field inside
 * anonymous members by name, so they are flat here. */
struct sock_common {
	__be32 skc_daddr;
	__be32 skc_rcv_saddr;
	__be16 skc_dport;
	__u16 skc_num;
	unsigned short skc_family;
	volatile unsigned char skc_state;
	int skc_bound_dev_if;
	struct in6_addr skc_v6_daddr;
	struct in6_addr skc_v6_rcv_saddr;
};

struct socket {
	struct file *file;
};

struct sock {
	struct sock_common __sk_common;
	struct socket *sk_socket;
	__u32 sk_ack_backlog;
	__u32 sk_max_ack_backlog;
};

struct tcp_sock {
	__u32 rcv_nxt;
	__u32 copied_seq;
	__u32 write_seq;
	__u32 snd_una;
};

struct bpf_iter__tcp {
	struct bpf_iter_meta *meta;
	struct sock_common *sk_common;
	uid_t uid;
};

#pragma clang attribute pop

#define S_IFMT 00170000
#define S_IFSOCK 0140000

#endif
