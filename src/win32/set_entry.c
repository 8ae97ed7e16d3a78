/* set_entry.c - SetTcpEntry: MIB_TCP_STATE_DELETE_TCB closes a connection (SOCK_DESTROY). */
#include <errno.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <linux/capability.h>

#include <iphlpapi.h>

#include "family.h"
#include "tcptable.h"

/* What Windows returns to a caller that is not elevated (the SetTcpEntry documentation lists
 * the bare number; Wine's test, written against Windows, expects it). */
#define NOT_ELEVATED ERROR_MR_MID_NOT_FOUND

/* Whether the calling thread has CAP_NET_ADMIN in its effective set. Asked before any
 * lookup so that a caller without it gets 317 whether or not the connection exists, as a
 * non-elevated Windows caller does; the kernel's own EPERM is mapped the same way. */
static int has_net_admin(void)
{
	struct __user_cap_header_struct hdr = { .version = _LINUX_CAPABILITY_VERSION_3 };
	struct __user_cap_data_struct data[_LINUX_CAPABILITY_U32S_3];
	memset(data, 0, sizeof(data));
	if (syscall(SYS_capget, &hdr, data) != 0)
		return 0;
	return (data[CAP_NET_ADMIN / 32].effective >> (CAP_NET_ADMIN % 32)) & 1;
}

/* The port of a Windows DWORD: network order in its first two bytes. */
static uint16_t port_of(DWORD d)
{
	unsigned char b[4];
	memcpy(b, &d, sizeof(b));
	return (uint16_t)(b[0] << 8 | b[1]);
}

static void row_to_conn(const MIB_TCPROW *r, struct tcpt_conn *c)
{
	memset(c, 0, sizeof(*c));
	c->family = LINUX_AF_INET;
	memcpy(c->local_addr, &r->dwLocalAddr, 4);
	memcpy(c->remote_addr, &r->dwRemoteAddr, 4);
	c->local_port = port_of(r->dwLocalPort);
	c->remote_port = port_of(r->dwRemotePort);
}

DWORD WINAPI SetTcpEntry(PMIB_TCPROW pTcpRow)
{
	struct tcpt_conn c;

	if (!pTcpRow || pTcpRow->dwState != MIB_TCP_STATE_DELETE_TCB)
		return ERROR_INVALID_PARAMETER;
	if (!has_net_admin())
		return NOT_ELEVATED;
	/* Windows documents SetTcpEntry for connections ("the TCP connection to modify"); a
	 * LISTEN row (remote 0.0.0.0:0) names none, and a listener is no TCB to delete. So it
	 * is ERROR_NOT_FOUND and the listener stays, instead of SOCK_DESTROY closing it. */
	if (pTcpRow->dwRemoteAddr == 0 && (pTcpRow->dwRemotePort & 0xFFFF) == 0)
		return ERROR_NOT_FOUND;
	row_to_conn(pTcpRow, &c);
	int r = tcpt_conn_destroy(&c);
	switch (r) {
	case 0: return NO_ERROR;
	case -EPERM: return NOT_ELEVATED;
	case -ENOENT: return ERROR_NOT_FOUND;
	case -EOPNOTSUPP: return ERROR_NOT_SUPPORTED;
	default: return (DWORD)tcpt_error_win32(r);
	}
}
