/* diag.c - the NETLINK_SOCK_DIAG source: one request, one receive loop, one decoder. */
#include "diag.h"

#include "bytecode.h"

#include <errno.h>
#include <libmnl/libmnl.h>
#include <linux/inet_diag.h>
#include <linux/sock_diag.h>
#include <linux/tcp.h>
#include <netinet/in.h>
#include <stdbool.h>
#include <stddef.h>
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

/* Where the optional tcp_info of a message goes. */
struct info_sink {
	struct tcpt_tcp_info *info;
	bool present;
};

/* Copy the fields we publish from the kernel's tcp_info. A kernel older than our headers sends
 * a shorter struct: the missing tail reads as zeros. */
static void decode_tcp_info(const struct nlattr *a, struct tcpt_tcp_info *out)
{
	struct tcp_info ti;
	memset(&ti, 0, sizeof(ti));
	size_t len = mnl_attr_get_payload_len(a);
	memcpy(&ti, mnl_attr_get_payload(a), len < sizeof(ti) ? len : sizeof(ti));
	out->rtt_us = ti.tcpi_rtt;
	out->rttvar_us = ti.tcpi_rttvar;
	out->min_rtt_us = ti.tcpi_min_rtt;
	out->rto_us = ti.tcpi_rto;
	out->ato_us = ti.tcpi_ato;
	out->snd_mss = ti.tcpi_snd_mss;
	out->rcv_mss = ti.tcpi_rcv_mss;
	out->pmtu = ti.tcpi_pmtu;
	out->snd_cwnd = ti.tcpi_snd_cwnd;
	out->snd_ssthresh = ti.tcpi_snd_ssthresh;
	out->retrans = ti.tcpi_retrans;
	out->total_retrans = ti.tcpi_total_retrans;
	out->lost = ti.tcpi_lost;
	out->last_data_sent_ms = ti.tcpi_last_data_sent;
	out->last_data_recv_ms = ti.tcpi_last_data_recv;
	out->last_ack_recv_ms = ti.tcpi_last_ack_recv;
	out->bytes_sent = ti.tcpi_bytes_sent;
	out->bytes_retrans = ti.tcpi_bytes_retrans;
	out->bytes_acked = ti.tcpi_bytes_acked;
	out->bytes_received = ti.tcpi_bytes_received;
	out->delivery_rate = ti.tcpi_delivery_rate;
	out->pacing_rate = ti.tcpi_pacing_rate;
	out->segs_out = ti.tcpi_segs_out;
	out->segs_in = ti.tcpi_segs_in;
	out->ca_state = ti.tcpi_ca_state;
}

/* The congestion algorithm's name: a NUL-terminated string attribute. */
static int decode_congestion(const struct nlattr *a, struct tcpt_tcp_info *out)
{
	if (mnl_attr_validate(a, MNL_TYPE_NUL_STRING) < 0)
		return -EBADMSG;
	const char *name = mnl_attr_get_str(a);
	size_t len = strnlen(name, sizeof(out->congestion) - 1);
	memcpy(out->congestion, name, len);
	out->congestion[len] = '\0';
	return 0;
}

static int decode_attribute(const struct nlattr *a, struct tcpt_conn *row,
			    struct info_sink *sink)
{
	switch (mnl_attr_get_type(a)) {
	case INET_DIAG_CGROUP_ID:
		if (mnl_attr_validate(a, MNL_TYPE_U64) < 0)
			return -EBADMSG;
		row->cgroup_id = mnl_attr_get_u64(a);
		return 0;
	case INET_DIAG_INFO:
		if (!sink)
			return 0;
		/* tcpi_state..tcpi_rcv_mss at least; every kernel since 2.6 sends more */
		if (mnl_attr_get_payload_len(a) < offsetof(struct tcp_info, tcpi_unacked))
			return -EBADMSG;
		decode_tcp_info(a, sink->info);
		sink->present = true;
		return 0;
	case INET_DIAG_CONG:
		return sink ? decode_congestion(a, sink->info) : 0;
	default:
		return 0; /* newer kernels add attributes: skip what we do not know */
	}
}

/* Walk the attributes after the fixed header; unlike mnl_attr_parse(), a malformed one is an
 * error rather than a silent end of the walk. */
static int decode_attributes(const struct nlmsghdr *nlh, size_t offset, struct tcpt_conn *row,
			     struct info_sink *sink)
{
	const struct nlattr *a = mnl_nlmsg_get_payload_offset(nlh, offset);
	/* the message's own length, not mnl_nlmsg_get_payload_tail(), which rounds it up and
	 * would let an attribute end past a message whose length is not a multiple of 4 */
	int len = (int)((const char *)nlh + nlh->nlmsg_len - (const char *)a);
	while (len > 0) {
		if (!mnl_attr_ok(a, len))
			return -EBADMSG;
		int r = decode_attribute(a, row, sink);
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

static int decode_message(const struct nlmsghdr *nlh, uint8_t protocol,
			  struct tcpt_conn *ret_row, struct info_sink *sink)
{
	if (nlh->nlmsg_len < MNL_NLMSG_HDRLEN ||
	    mnl_nlmsg_get_payload_len(nlh) < sizeof(struct inet_diag_msg))
		return -EBADMSG;
	const struct inet_diag_msg *m = mnl_nlmsg_get_payload(nlh);
	if (m->idiag_family != AF_INET && m->idiag_family != AF_INET6)
		return -EPROTO;

	struct tcpt_conn row = {0};
	row.protocol = protocol;
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

	int r = decode_attributes(nlh, sizeof(*m), &row, sink);
	if (r < 0)
		return r;
	*ret_row = row;
	return 0;
}

int diag_decode_msg(const struct nlmsghdr *nlh, struct tcpt_conn *ret_row)
{
	return decode_message(nlh, TCPT_PROTO_NUMBER_TCP, ret_row, NULL);
}

int diag_decode_msg_proto(const struct nlmsghdr *nlh, uint8_t protocol,
			  struct tcpt_conn *ret_row)
{
	return decode_message(nlh, protocol, ret_row, NULL);
}

/* --- requests ------------------------------------------------------------------------- */

/* One walk for both families: the compat TCPDIAG_GETSOCK request always dumps AF_UNSPEC,
 * which saves the second walk of the kernel's hash table that two v2 requests cost. */
static uint8_t extensions(const struct diag_sink *sink, uint8_t protocol)
{
	if (!sink->want_info || protocol != IPPROTO_TCP)
		return 0;
	return 1u << (INET_DIAG_INFO - 1) | 1u << (INET_DIAG_CONG - 1);
}

static void put_bytecode(struct nlmsghdr *nlh, const struct diag_request *r)
{
	if (r->bytecode && r->bytecode_len)
		mnl_attr_put(nlh, INET_DIAG_REQ_BYTECODE, r->bytecode_len, r->bytecode);
}

static struct nlmsghdr *build_request_both(char *buf, const struct diag_request *r,
					   const struct diag_sink *sink, uint32_t seq)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = TCPDIAG_GETSOCK;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
	nlh->nlmsg_seq = seq;
	struct inet_diag_req *req = mnl_nlmsg_put_extra_header(nlh, sizeof(*req));
	req->idiag_family = AF_UNSPEC;
	req->idiag_states = r->states;
	req->idiag_ext = extensions(sink, IPPROTO_TCP);
	req->id.idiag_cookie[0] = INET_DIAG_NOCOOKIE;
	req->id.idiag_cookie[1] = INET_DIAG_NOCOOKIE;
	put_bytecode(nlh, r);
	return nlh;
}

static struct nlmsghdr *build_request_family(char *buf, const struct diag_request *r,
					     const struct diag_sink *sink, uint8_t protocol,
					     int family, uint32_t seq)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = SOCK_DIAG_BY_FAMILY;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
	nlh->nlmsg_seq = seq;
	struct inet_diag_req_v2 *req = mnl_nlmsg_put_extra_header(nlh, sizeof(*req));
	req->sdiag_family = (uint8_t)family;
	req->sdiag_protocol = protocol;
	req->idiag_states = r->states;
	req->idiag_ext = extensions(sink, protocol);
	put_bytecode(nlh, r);
	return nlh;
}

/* --- the receive loop ----------------------------------------------------------------- */

struct dump_state {
	const struct diag_sink *sink;
	uint8_t protocol;      /* the protocol asked for: answers do not carry it */
	uint16_t answer_type;  /* answers carry the request's type */
	int error;             /* first decode or sink error */
};

static int on_message(const struct nlmsghdr *nlh, void *data)
{
	struct dump_state *st = data;
	if (nlh->nlmsg_type != st->answer_type) {
		st->error = -EPROTO;
		return MNL_CB_ERROR;
	}
	struct tcpt_conn row;
	struct tcpt_tcp_info info = {0};
	struct info_sink info_sink = {.info = &info};
	int r = decode_message(nlh, st->protocol, &row,
			       st->sink->want_info ? &info_sink : NULL);
	if (r == 0)
		r = st->sink->put(st->sink->ctx, &row, info_sink.present ? &info : NULL);
	if (r < 0) {
		st->error = r;
		return MNL_CB_ERROR;
	}
	return MNL_CB_OK;
}

/* mnl_cb_run() stops quietly at a message whose length overruns the datagram, and
 * mnl_nlmsg_ok() compares lengths as int, so a length above INT_MAX passes it. Check every
 * length here, unsigned, so that a truncated or absurd message is an error. */
static bool datagram_is_whole(const void *buf, size_t len)
{
	const char *p = buf;
	size_t left = len;
	while (left >= sizeof(struct nlmsghdr)) {
		const struct nlmsghdr *nlh = (const void *)p;
		if (nlh->nlmsg_len < sizeof(*nlh) || nlh->nlmsg_len > left)
			return false;
		size_t step = NLMSG_ALIGN(nlh->nlmsg_len);
		if (step >= left)
			return true;
		p += step;
		left -= step;
	}
	return left == 0;
}

/* Receive until NLMSG_DONE. Returns 0, -EINTR for an interrupted dump, or another -errno. */
static int receive_dump(const struct diag_transport *t, void *buf, uint32_t seq,
			uint32_t portid, struct dump_state *st)
{
	for (;;) {
		ssize_t n = t->recv(t->ctx, buf, DIAG_RECV_SIZE);
		if (n == -ENOSPC)
			return -EBADMSG; /* truncated: never take part of an answer */
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
			   uint8_t protocol, void *buf, const struct diag_sink *sink)
{
	size_t start = sink->mark(sink->ctx);
	for (int attempt = 0; attempt < DIAG_MAX_ATTEMPTS; attempt++) {
		struct dump_state st = {.sink = sink, .protocol = protocol,
					.answer_type = req->nlmsg_type};
		int r = dump_once(t, req, buf, &st);
		if (r != -EINTR)
			return r;
		sink->rewind(sink->ctx, start);
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

enum { DIAG_REQUEST_SIZE = MNL_NLMSG_HDRLEN + 256 + MNL_ATTR_HDRLEN + TCPT_BYTECODE_MAX_SIZE };

static int dump_families(const struct diag_transport *t, const struct diag_request *r,
			 uint8_t protocol, char *req_buf, void *buf, const struct diag_sink *sink)
{
	static const struct {
		unsigned bit;
		int family;
	} order[] = {{TCPT_FAMILY_IPV4, AF_INET}, {TCPT_FAMILY_IPV6, AF_INET6}};
	for (size_t i = 0; i < sizeof(order) / sizeof(order[0]); i++) {
		if (!(r->families & order[i].bit))
			continue;
		memset(req_buf, 0, DIAG_REQUEST_SIZE);
		struct nlmsghdr *req = build_request_family(req_buf, r, sink, protocol,
							    order[i].family, new_sequence());
		int err = dump_with_retry(t, req, protocol, buf, sink);
		if (err < 0)
			return err;
	}
	return 0;
}

/* The TCP sockets: one walk for both families where the kernel allows it. */
static int dump_tcp(const struct diag_transport *t, const struct diag_request *req,
		    char *req_buf, void *buf, const struct diag_sink *sink)
{
	if ((req->families & TCPT_FAMILY_ALL) != TCPT_FAMILY_ALL)
		return dump_families(t, req, IPPROTO_TCP, req_buf, buf, sink);
	size_t start = sink->mark(sink->ctx);
	struct nlmsghdr *nlh = build_request_both(req_buf, req, sink, new_sequence());
	int r = dump_with_retry(t, nlh, IPPROTO_TCP, buf, sink);
	if (compat_refused(r)) {
		sink->rewind(sink->ctx, start);
		r = dump_families(t, req, IPPROTO_TCP, req_buf, buf, sink);
	}
	return r;
}

int diag_dump(const struct diag_transport *t, const struct diag_request *req,
	      const struct diag_sink *sink)
{
	if (req->bytecode_len > TCPT_BYTECODE_MAX_SIZE)
		return -EINVAL;
	char *req_buf = calloc(1, DIAG_REQUEST_SIZE);
	void *buf = malloc(DIAG_RECV_SIZE);
	if (!req_buf || !buf) {
		free(req_buf);
		free(buf);
		return -ENOMEM;
	}
	size_t start = sink->mark(sink->ctx);
	unsigned protocols = req->protocols ? req->protocols : TCPT_PROTO_TCP;
	int r = 0;
	if (protocols & TCPT_PROTO_TCP)
		r = dump_tcp(t, req, req_buf, buf, sink);
	/* udp_diag has no compat request for both families: one walk each */
	if (r == 0 && (protocols & TCPT_PROTO_UDP))
		r = dump_families(t, req, IPPROTO_UDP, req_buf, buf, sink);
	if (r < 0)
		sink->rewind(sink->ctx, start);
	free(req_buf);
	free(buf);
	return r;
}

/* --- the row-vector sink: what snapshots collect into --------------------------------- */

struct vector_sink {
	struct rowvec *rows;
	struct infovec *infos;
	size_t info_mark;
};

static int vector_put(void *ctx, const struct tcpt_conn *row, const struct tcpt_tcp_info *info)
{
	struct vector_sink *v = ctx;
	struct tcpt_conn *slot;
	int r = rowvec_push(v->rows, &slot);
	if (r < 0)
		return r;
	*slot = *row;
	if (info && v->infos && (r = infovec_attach(v->infos, slot, info)) < 0) {
		v->rows->count--;
		return r;
	}
	return 0;
}

static size_t vector_mark(void *ctx)
{
	struct vector_sink *v = ctx;
	v->info_mark = v->infos ? v->infos->count : 0;
	return v->rows->count;
}

static void vector_rewind(void *ctx, size_t mark)
{
	struct vector_sink *v = ctx;
	v->rows->count = mark;
	if (v->infos)
		v->infos->count = v->info_mark;
}

int diag_collect_request(const struct diag_transport *t, const struct diag_request *req,
			 struct rowvec *rows)
{
	struct vector_sink v = {.rows = rows, .infos = req->infos};
	struct diag_sink sink = {.ctx = &v, .put = vector_put, .mark = vector_mark,
				 .rewind = vector_rewind, .want_info = req->infos != NULL};
	return diag_dump(t, req, &sink);
}

int diag_collect(const struct diag_transport *t, unsigned families, uint32_t states,
		 struct rowvec *rows)
{
	struct diag_request req = {.families = families, .states = states};
	return diag_collect_request(t, &req, rows);
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

int diag_collect_kernel(const struct diag_request *req, struct rowvec *rows)
{
	struct kernel_channel ch = {0};
	struct diag_transport t = diag_kernel_transport;
	t.ctx = &ch;
	return diag_collect_request(&t, req, rows);
}

int diag_dump_kernel(const struct diag_request *req, const struct diag_sink *sink)
{
	struct kernel_channel ch = {0};
	struct diag_transport t = diag_kernel_transport;
	t.ctx = &ch;
	return diag_dump(&t, req, sink);
}
