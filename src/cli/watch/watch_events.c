/* watch_events.c - decoding destroy notifications. The CLI links only the public library,
 * whose dump decoder is internal, so the fixed inet_diag_msg header is decoded here again,
 * with the same length checks: the kernel is trusted to be the sender, not to be bug-free. */
#include "watch_events.h"

#include <arpa/inet.h>
#include <errno.h>
#include <linux/inet_diag.h>
#include <linux/netlink.h>
#include <linux/sock_diag.h>
#include <netinet/in.h>
#include <string.h>
#include <sys/socket.h>

/* The INET_DIAG_PROTOCOL attribute, when present, names the protocol; we joined only the
 * TCP groups, so anything else is a kernel surprise to skip, not to show. Other attributes
 * (tcp_info, congestion) are length-checked and skipped. Returns 1 (TCP or unsaid), 0 (other
 * protocol) or -EBADMSG. */
static int check_attributes(const unsigned char *p, size_t len)
{
	int tcp = 1;
	while (len > 0) {
		struct nlattr a;
		if (len < sizeof(a))
			return -EBADMSG;
		memcpy(&a, p, sizeof(a)); /* a datagram gives no alignment guarantee we rely on */
		if (a.nla_len < sizeof(a) || a.nla_len > len)
			return -EBADMSG;
		if ((a.nla_type & NLA_TYPE_MASK) == INET_DIAG_PROTOCOL && a.nla_len >= sizeof(a) + 1)
			tcp = p[sizeof(a)] == IPPROTO_TCP;
		size_t step = NLA_ALIGN(a.nla_len);
		if (step >= len)
			break;
		p += step;
		len -= step;
	}
	return tcp;
}

static void copy_address(uint8_t dst[16], const __be32 src[4], int family)
{
	memset(dst, 0, 16);
	memcpy(dst, src, family == AF_INET ? 4 : 16);
}

static void fill_row(const struct inet_diag_msg *m, struct tcpt_conn *row)
{
	memset(row, 0, sizeof(*row));
	row->protocol = TCPT_PROTO_NUMBER_TCP; /* only the TCP groups are joined */
	row->family = m->idiag_family;
	row->state = m->idiag_state == TCPT_NEW_SYN_RECV ? TCPT_SYN_RECV : m->idiag_state;
	row->local_port = ntohs(m->id.idiag_sport);
	row->remote_port = ntohs(m->id.idiag_dport);
	copy_address(row->local_addr, m->id.idiag_src, m->idiag_family);
	copy_address(row->remote_addr, m->id.idiag_dst, m->idiag_family);
	row->scope_id = m->id.idiag_if;
	row->cookie = (uint64_t)m->id.idiag_cookie[0] | (uint64_t)m->id.idiag_cookie[1] << 32;
	row->uid = m->idiag_uid;
	row->inode = m->idiag_inode;
}

int watch_event_decode(const void *msg, size_t len, struct tcpt_conn *ret_row)
{
	struct nlmsghdr h;
	if (len < sizeof(h))
		return -EBADMSG;
	memcpy(&h, msg, sizeof(h));
	if (h.nlmsg_len < sizeof(h) || h.nlmsg_len > len)
		return -EBADMSG;
	if (h.nlmsg_type != SOCK_DIAG_BY_FAMILY)
		return 0; /* NLMSG_NOOP, NLMSG_ERROR, ...: nothing to show */
	struct inet_diag_msg m;
	size_t head = NLMSG_HDRLEN + sizeof(m);
	if (h.nlmsg_len < head)
		return -EBADMSG;
	memcpy(&m, (const unsigned char *)msg + NLMSG_HDRLEN, sizeof(m));
	int tcp = check_attributes((const unsigned char *)msg + head, h.nlmsg_len - head);
	if (tcp <= 0)
		return tcp;
	if (m.idiag_family != AF_INET && m.idiag_family != AF_INET6)
		return 0;
	fill_row(&m, ret_row);
	return 1;
}

size_t watch_events_parse(const void *buf, size_t len, watch_event_fn fn, void *ctx)
{
	const unsigned char *p = buf;
	size_t found = 0;
	while (len >= NLMSG_HDRLEN) {
		struct tcpt_conn row;
		int r = watch_event_decode(p, len, &row);
		if (r < 0)
			break;
		if (r == 1) {
			fn(ctx, &row);
			found++;
		}
		struct nlmsghdr h;
		memcpy(&h, p, sizeof(h));
		size_t step = NLMSG_ALIGN(h.nlmsg_len);
		if (step >= len)
			break;
		p += step;
		len -= step;
	}
	return found;
}
