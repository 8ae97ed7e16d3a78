/* fuzz_diag_decode - diag_decode_msg() on one arbitrary message. The input is the message;
 * like every caller, the harness guarantees nlmsg_len bytes exist (it clamps nlmsg_len to
 * the input), and the copy has exactly that size so ASan sees any read past it. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <linux/netlink.h>

#include "diag.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < sizeof(uint32_t) || size > UINT32_MAX)
		return 0;
	struct nlmsghdr *nlh = malloc(size);
	if (!nlh)
		return 0;
	memcpy(nlh, data, size);
	if (nlh->nlmsg_len > size)
		nlh->nlmsg_len = (uint32_t)size;
	struct tcpt_conn row;
	if (size >= sizeof(*nlh) || nlh->nlmsg_len < sizeof(*nlh))
		(void)diag_decode_msg(nlh, &row);
	free(nlh);
	return 0;
}
