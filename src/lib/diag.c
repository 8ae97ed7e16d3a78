/* diag.c - the NETLINK_SOCK_DIAG source: one request, one receive loop, one decoder. */
#include "diag.h"

#include <errno.h>
#include <libmnl/libmnl.h>
#include <linux/inet_diag.h>
#include <linux/sock_diag.h>
#include <netinet/in.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>

enum {
	/* The kernel fills at most ~32 KiB per datagram (netlink_recvmsg caps max_recvmsg_len
	 * at SKB_WITH_OVERHEAD(32768)); twice that leaves room and MSG_TRUNC still guards. */
	DIAG_RECV_SIZE = 65536,
	/* inet_diag never sets NLM_F_DUMP_INTR today; if a kernel starts to, a handful of
	 * fresh walks is enough for a table that is not rebuilt constantly. */
	DIAG_MAX_ATTEMPTS = 5,
};

/* --- decoding ------------------------------------------------------------------------- */

static int decode_attribute(const struct nlattr *a, struct tcpt_conn *row)
{
	switch (mnl_attr_get_type(a)) {
	case INET_DIAG_CGROUP_ID:
		if (mnl_attr_validate(a, MNL_TYPE_U64) < 0)
			return -EBADMSG;
		row->cgroup_id = mnl_attr_get_u64(a);
		return 0;
	default:
		return 0; /* newer kernels add attributes: skip what we do not know */
	}
}

/* Walk the attributes after the fixed header; unlike mnl_attr_parse(), a malformed one is an
 * error rather than a silent end of the walk. */
static int decode_attributes(const struct nlmsghdr *nlh, size_t offset, struct tcpt_conn *row)
{
	const struct nlattr *a = mnl_nlmsg_get_payload_offset(nlh, offset);
	int len = (int)((const char *)mnl_nlmsg_get_payload_tail(nlh) - (const char *)a);
	while (len > 0) {
		if (!mnl_attr_ok(a, len))
			return -EBADMSG;
		int r = decode_attribute(a, row);
		if (r < 0)
			return r;
		len -= (int)MNL_ALIGN(a->nla_len);
		a = mnl_attr_next(a);
	}
	return 0;
}

static void copy_address(uint8_t dst[16], const __be32 src[4], int family)
{
	memset(dst, 0, 16);
	memcpy(dst, src, family == AF_INET ? 4 : 16);
}

int diag_decode_msg(const struct nlmsghdr *nlh, struct tcpt_conn *ret_row)
{
	if (nlh->nlmsg_len < MNL_NLMSG_HDRLEN ||
	    mnl_nlmsg_get_payload_len(nlh) < sizeof(struct inet_diag_msg))
		return -EBADMSG;
	const struct inet_diag_msg *m = mnl_nlmsg_get_payload(nlh);
	if (m->idiag_family != AF_INET && m->idiag_family != AF_INET6)
		return -EPROTO;

	struct tcpt_conn row = {0};
	row.family = m->idiag_family;
	row.state = m->idiag_state == TCPT_NEW_SYN_RECV ? TCPT_SYN_RECV : m->idiag_state;
	row.timer = m->idiag_timer;
	row.retransmits = m->idiag_retrans;
	row.local_port = ntohs(m->id.idiag_sport);
	row.remote_port = ntohs(m->id.idiag_dport);
	copy_address(row.local_addr, m->id.idiag_src, m->idiag_family);
	copy_address(row.remote_addr, m->id.idiag_dst, m->idiag_family);
	row.scope_id = m->id.idiag_if;
	row.cookie = (uint64_t)m->id.idiag_cookie[0] | (uint64_t)m->id.idiag_cookie[1] << 32;
	row.uid = m->idiag_uid;
	row.inode = m->idiag_inode;
	row.rqueue = m->idiag_rqueue;
	row.wqueue = m->idiag_wqueue;
	row.timer_expires_ms = row.timer ? m->idiag_expires : 0;

	int r = decode_attributes(nlh, sizeof(*m), &row);
	if (r < 0)
		return r;
	*ret_row = row;
	return 0;
}

/* --- requests ------------------------------------------------------------------------- */

/* One walk for both families: the compat TCPDIAG_GETSOCK request always dumps AF_UNSPEC,
 * which saves the second walk of the kernel's hash table that two v2 requests cost. */
static struct nlmsghdr *build_request_both(char *buf, uint32_t states, uint32_t seq)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = TCPDIAG_GETSOCK;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
	nlh->nlmsg_seq = seq;
	struct inet_diag_req *req = mnl_nlmsg_put_extra_header(nlh, sizeof(*req));
	req->idiag_family = AF_UNSPEC;
	req->idiag_states = states;
	req->id.idiag_cookie[0] = INET_DIAG_NOCOOKIE;
	req->id.idiag_cookie[1] = INET_DIAG_NOCOOKIE;
	return nlh;
}

static struct nlmsghdr *build_request_family(char *buf, int family, uint32_t states,
					     uint32_t seq)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = SOCK_DIAG_BY_FAMILY;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
	nlh->nlmsg_seq = seq;
	struct inet_diag_req_v2 *req = mnl_nlmsg_put_extra_header(nlh, sizeof(*req));
	req->sdiag_family = (uint8_t)family;
	req->sdiag_protocol = IPPROTO_TCP;
	req->idiag_states = states;
	return nlh;
}

/* --- the receive loop ----------------------------------------------------------------- */

struct dump_state {
	struct rowvec *rows;
	uint16_t answer_type; /* answers carry the request's type */
	int error;            /* first decode error */
};

static int on_message(const struct nlmsghdr *nlh, void *data)
{
	struct dump_state *st = data;
	if (nlh->nlmsg_type != st->answer_type) {
		st->error = -EPROTO;
		return MNL_CB_ERROR;
	}
	struct tcpt_conn *row;
	int r = rowvec_push(st->rows, &row);
	if (r == 0)
		r = diag_decode_msg(nlh, row);
	if (r < 0) {
		if (r != -ENOMEM)
			st->rows->count--;
		st->error = r;
		return MNL_CB_ERROR;
	}
	return MNL_CB_OK;
}

/* mnl_cb_run() stops quietly at a message whose length overruns the datagram; reject such a
 * datagram instead, so a truncated message is never taken for the end of a chunk. */
static bool datagram_is_whole(const void *buf, size_t len)
{
	const struct nlmsghdr *nlh = buf;
	int left = (int)len;
	while (mnl_nlmsg_ok(nlh, left))
		nlh = mnl_nlmsg_next(nlh, &left);
	return left == 0;
}

/* Receive until NLMSG_DONE. Returns 0, -EINTR for an interrupted dump, or another -errno. */
static int receive_dump(const struct diag_transport *t, void *buf, uint32_t seq,
			uint32_t portid, struct dump_state *st)
{
	for (;;) {
		ssize_t n = t->recv(t->ctx, buf, DIAG_RECV_SIZE);
		if (n < 0)
			return (int)n;
		if (n == 0 || !datagram_is_whole(buf, (size_t)n))
			return -EBADMSG;
		errno = 0;
		int r = mnl_cb_run(buf, (size_t)n, seq, portid, on_message, st);
		if (r == MNL_CB_STOP)
			return 0;
		if (r == MNL_CB_ERROR)
			return st->error ? st->error : (errno ? -errno : -EPROTO);
	}
}

/* One complete dump on a fresh channel. */
static int dump_once(const struct diag_transport *t, const struct nlmsghdr *req, void *buf,
		     struct dump_state *st)
{
	uint32_t portid = 0;
	int r = t->open(t->ctx, &portid);
	if (r < 0)
		return r;
	r = t->send(t->ctx, req, req->nlmsg_len);
	if (r == 0)
		r = receive_dump(t, buf, req->nlmsg_seq, portid, st);
	t->close(t->ctx);
	return r;
}

/* A dump, repeated from scratch while the kernel reports it interrupted. */
static int dump_with_retry(const struct diag_transport *t, const struct nlmsghdr *req,
			   void *buf, struct rowvec *rows)
{
	size_t start = rows->count;
	for (int attempt = 0; attempt < DIAG_MAX_ATTEMPTS; attempt++) {
		struct dump_state st = {.rows = rows, .answer_type = req->nlmsg_type};
		int r = dump_once(t, req, buf, &st);
		if (r != -EINTR)
			return r;
		rows->count = start;
	}
	return -EAGAIN;
}

static uint32_t new_sequence(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint32_t)(ts.tv_nsec ^ ts.tv_sec) | 1u;
}

/* Errors with which a kernel refuses the compat request itself (rather than failing). */
static bool compat_refused(int r)
{
	return r == -EINVAL || r == -ENOENT || r == -EOPNOTSUPP || r == -EPROTONOSUPPORT;
}

static int dump_families(const struct diag_transport *t, unsigned families, uint32_t states,
			 char *req_buf, void *buf, struct rowvec *rows)
{
	static const struct {
		unsigned bit;
		int family;
	} order[] = {{TCPT_FAMILY_IPV4, AF_INET}, {TCPT_FAMILY_IPV6, AF_INET6}};
	for (size_t i = 0; i < sizeof(order) / sizeof(order[0]); i++) {
		if (!(families & order[i].bit))
			continue;
		struct nlmsghdr *req =
			build_request_family(req_buf, order[i].family, states, new_sequence());
		int r = dump_with_retry(t, req, buf, rows);
		if (r < 0)
			return r;
	}
	return 0;
}

int diag_collect(const struct diag_transport *t, unsigned families, uint32_t states,
		 struct rowvec *rows)
{
	char req_buf[MNL_NLMSG_HDRLEN + MNL_ALIGN(sizeof(struct inet_diag_req_v2)) +
		     MNL_ALIGN(sizeof(struct inet_diag_req))] = {0};
	void *buf = malloc(DIAG_RECV_SIZE);
	if (!buf)
		return -ENOMEM;
	size_t start = rows->count;
	int r;
	if ((families & TCPT_FAMILY_ALL) == TCPT_FAMILY_ALL) {
		struct nlmsghdr *req = build_request_both(req_buf, states, new_sequence());
		r = dump_with_retry(t, req, buf, rows);
		if (compat_refused(r)) {
			rows->count = start;
			memset(req_buf, 0, sizeof(req_buf));
			r = dump_families(t, families, states, req_buf, buf, rows);
		}
	} else {
		r = dump_families(t, families, states, req_buf, buf, rows);
	}
	if (r < 0)
		rows->count = start;
	free(buf);
	return r;
}

/* --- the kernel transport ------------------------------------------------------------- */

struct kernel_channel {
	struct mnl_socket *nl;
};

static int kernel_open(void *ctx, uint32_t *portid)
{
	struct kernel_channel *ch = ctx;
	ch->nl = mnl_socket_open2(NETLINK_SOCK_DIAG, SOCK_CLOEXEC);
	if (!ch->nl)
		return -errno;
	if (mnl_socket_bind(ch->nl, 0, MNL_SOCKET_AUTOPID) < 0) {
		int err = -errno;
		mnl_socket_close(ch->nl);
		ch->nl = NULL;
		return err;
	}
	*portid = mnl_socket_get_portid(ch->nl);
	return 0;
}

static int kernel_send(void *ctx, const void *buf, size_t len)
{
	struct kernel_channel *ch = ctx;
	ssize_t n = mnl_socket_sendto(ch->nl, buf, len);
	if (n < 0)
		return -errno;
	return (size_t)n == len ? 0 : -EIO;
}

static ssize_t kernel_recv(void *ctx, void *buf, size_t len)
{
	struct kernel_channel *ch = ctx;
	ssize_t n;
	do
		n = mnl_socket_recvfrom(ch->nl, buf, len); /* -1/ENOSPC when truncated */
	while (n < 0 && errno == EINTR);
	return n < 0 ? -errno : n;
}

static void kernel_close(void *ctx)
{
	struct kernel_channel *ch = ctx;
	if (ch->nl)
		mnl_socket_close(ch->nl);
	ch->nl = NULL;
}

const struct diag_transport diag_kernel_transport = {
	.ctx = NULL,
	.open = kernel_open,
	.send = kernel_send,
	.recv = kernel_recv,
	.close = kernel_close,
};

int diag_collect_kernel(unsigned families, uint32_t states, struct rowvec *rows)
{
	struct kernel_channel ch = {0};
	struct diag_transport t = diag_kernel_transport;
	t.ctx = &ch;
	return diag_collect(&t, families, states, rows);
}
