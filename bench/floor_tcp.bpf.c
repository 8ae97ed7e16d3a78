// SPDX-License-Identifier: MIT
/* floor_tcp.bpf.c - the BPF row floor: iter/tcp writing a fixed 72-byte row per socket
 * (family, state, ports, addresses, uid, inode, cookie, queues), no timers, no filtering: the
 * least a BPF row source must do, to set against the netlink dump floor. */
#include "core.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>

char LICENSE[] SEC("license") = "Dual MIT/GPL";

#define AF_INET 2
#define TCP_LISTEN 10

struct row {
	__u8 family, state;
	__u16 sport, dport;
	__u8 pad[2];
	__u8 src[16], dst[16];
	__u32 uid;
	__u64 inode, cookie;
	__u32 rq, wq;
};

SEC("iter/tcp")
int floor_tcp(struct bpf_iter__tcp *ctx)
{
	struct sock_common *skc = ctx->sk_common;
	if (!skc)
		return 0;
	struct row r = {.family = (__u8)skc->skc_family, .state = skc->skc_state,
			.sport = skc->skc_num, .dport = skc->skc_dport, .uid = ctx->uid};
	if (r.family == AF_INET) {
		__builtin_memcpy(r.src, &skc->skc_rcv_saddr, 4);
		__builtin_memcpy(r.dst, &skc->skc_daddr, 4);
	} else {
		BPF_CORE_READ_INTO(&r.src, skc, skc_v6_rcv_saddr);
		BPF_CORE_READ_INTO(&r.dst, skc, skc_v6_daddr);
	}
	r.cookie = bpf_get_socket_cookie(skc);
	struct tcp_sock *tp = bpf_skc_to_tcp_sock(skc);
	if (tp) {
		struct sock *sk = (struct sock *)tp;
		struct socket *so = sk->sk_socket;
		if (so && so->file)
			r.inode = so->file->f_inode->i_ino;
		if (r.state == TCP_LISTEN) {
			r.rq = sk->sk_ack_backlog;
			r.wq = sk->sk_max_ack_backlog;
		} else {
			r.rq = tp->rcv_nxt - tp->copied_seq;
			r.wq = tp->write_seq - tp->snd_una;
		}
	}
	bpf_seq_write(ctx->meta->seq, &r, sizeof(r));
	return 0;
}
