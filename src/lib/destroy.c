/* destroy.c - tcpt_conn_destroy(): netlink SOCK_DESTROY, the mechanism of `ss -K`. */
#include "destroy.h"

#include <errno.h>
#include <libmnl/libmnl.h>
#include <linux/inet_diag.h>
#include <linux/sock_diag.h>
#include <netinet/in.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>

int destroy_build_request(const struct tcpt_conn *row, uint32_t seq, void *buf)
{
	if (row->family != AF_INET && row->family != AF_INET6)
		return -EINVAL;
	memset(buf, 0, DESTROY_REQ_SIZE);
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = SOCK_DESTROY;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK;
	nlh->nlmsg_seq = seq;
	struct inet_diag_req_v2 *req = mnl_nlmsg_put_extra_header(nlh, sizeof(*req));
	req->sdiag_family = row->family;
	req->sdiag_protocol = IPPROTO_TCP;
	req->idiag_states = ~0u; /* not used by an exact lookup */
	req->id.idiag_sport = htons(row->local_port);
	req->id.idiag_dport = htons(row->remote_port);
	/* Both arrays hold raw network-order bytes: IPv4 in the first word. */
	memcpy(req->id.idiag_src, row->local_addr, row->family == AF_INET ? 4 : 16);
	memcpy(req->id.idiag_dst, row->remote_addr, row->family == AF_INET ? 4 : 16);
	/* The lookup honours the bound interface: a socket bound to a device is found only
	 * with that device's index. */
	req->id.idiag_if = row->scope_id;
	if (row->cookie) {
		/* sock_diag_check_cookie(): low word first. */
		req->id.idiag_cookie[0] = (uint32_t)row->cookie;
		req->id.idiag_cookie[1] = (uint32_t)(row->cookie >> 32);
	} else {
		req->id.idiag_cookie[0] = INET_DIAG_NOCOOKIE;
		req->id.idiag_cookie[1] = INET_DIAG_NOCOOKIE;
	}
	return (int)nlh->nlmsg_len;
}

int destroy_map_error(int err)
{
	/* A cookie mismatch means the 4-tuple now belongs to another socket: ours is gone. */
	return err == ESTALE ? ENOENT : err;
}

/* Send REQ and wait for the kernel's acknowledgement. Returns 0 or -errno. */
static int destroy_send(struct mnl_socket *nl, const void *req, size_t len, uint32_t seq)
{
	char buf[8192]; /* an ack, or an error echoing our small request */
	uint32_t portid = mnl_socket_get_portid(nl);

	if (mnl_socket_sendto(nl, req, len) < 0)
		return -errno;
	for (;;) {
		ssize_t n = mnl_socket_recvfrom(nl, buf, sizeof(buf));
		if (n < 0)
			return errno == EINTR ? -EINTR : -errno;
		/* The ack (an NLMSG_ERROR with error 0) ends the callback run with MNL_CB_STOP;
		 * a kernel error makes mnl_cb_run() return -1 with errno set to it. */
		int r = mnl_cb_run(buf, (size_t)n, seq, portid, NULL, NULL);
		if (r < 0)
			return -destroy_map_error(errno);
		if (r == MNL_CB_STOP)
			return 0;
	}
}

TCPT_EXPORT int tcpt_conn_destroy(const struct tcpt_conn *row)
{
	char req[DESTROY_REQ_SIZE];
	/* a row built by hand before rows carried a protocol has 0 there: TCP */
	if (!row || (row->protocol != 0 && row->protocol != TCPT_PROTO_NUMBER_TCP))
		return -EINVAL;
	uint32_t seq = (uint32_t)time(NULL);
	int len = destroy_build_request(row, seq, req);
	if (len < 0)
		return len;

	struct mnl_socket *nl = mnl_socket_open2(NETLINK_SOCK_DIAG, SOCK_CLOEXEC);
	if (!nl)
		return -errno;
	int r = 0;
	if (mnl_socket_bind(nl, 0, MNL_SOCKET_AUTOPID) < 0)
		r = -errno;
	if (r == 0)
		r = destroy_send(nl, req, (size_t)len, seq);
	mnl_socket_close(nl);
	return r;
}
