/* fuzz_diag_collect - diag_collect()'s receive loop on arbitrary datagrams.
 * Input: one flags byte, then datagrams in the fixture format (4-byte little-endian length,
 * bytes), as in tests/fixtures/diag-*.nl. Flags bit 0: rewrite every message's sequence
 * number and port id to the expected ones (so the fuzzer gets past those checks); bits 1-2:
 * families (0 means both). The replay restarts from the first datagram on every open(), so
 * NLM_F_DUMP_INTR and the compat fallback are reachable. */
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <linux/netlink.h>

#include "diag.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

struct replay {
	const uint8_t *data;
	size_t size, pos;
	bool fix_ids;
	uint32_t seq;
};

static int r_open(void *ctx, uint32_t *portid)
{
	struct replay *r = ctx;
	r->pos = 0;
	*portid = 4242;
	return 0;
}

static int r_send(void *ctx, const void *buf, size_t len)
{
	struct replay *r = ctx;
	if (len >= sizeof(struct nlmsghdr))
		r->seq = ((const struct nlmsghdr *)buf)->nlmsg_seq;
	return 0;
}

static ssize_t r_recv(void *ctx, void *buf, size_t len)
{
	struct replay *r = ctx;
	if (r->size - r->pos < 4)
		return -ETIMEDOUT; /* the kernel would never stop answering; end the dump */
	const uint8_t *p = r->data + r->pos;
	size_t n = (size_t)p[0] | (size_t)p[1] << 8 | (size_t)p[2] << 16 | (size_t)p[3] << 24;
	r->pos += 4;
	if (n > r->size - r->pos)
		n = r->size - r->pos;
	const uint8_t *d = r->data + r->pos;
	r->pos += n;
	if (n > len)
		return -ENOSPC;
	memcpy(buf, d, n);
	if (r->fix_ids) {
		size_t off = 0;
		while (off <= n && n - off >= sizeof(struct nlmsghdr)) {
			struct nlmsghdr *nlh = (struct nlmsghdr *)((uint8_t *)buf + off);
			nlh->nlmsg_seq = r->seq;
			nlh->nlmsg_pid = 4242;
			if (nlh->nlmsg_len < sizeof(*nlh) || nlh->nlmsg_len > n - off)
				break;
			off += NLMSG_ALIGN(nlh->nlmsg_len);
		}
	}
	return (ssize_t)n;
}

static void r_close(void *ctx)
{
	(void)ctx;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	struct replay r = {.data = data + 1, .size = size - 1, .fix_ids = data[0] & 1};
	unsigned families = (data[0] >> 1) & 3;
	struct diag_transport t = {&r, r_open, r_send, r_recv, r_close};
	struct rowvec rows = {0};
	(void)diag_collect(&t, families ? families : TCPT_FAMILY_ALL, TCPT_STATES_VALID, &rows);
	rowvec_free(&rows);
	return 0;
}
