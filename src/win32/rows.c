/* rows.c - native rows to Windows rows. Ports and addresses are copied as bytes so that the
 * result does not depend on the host's byte order. */
#include "rows.h"

#include <string.h>

#include "family.h"
#include "layout.h"

DWORD rows_mib_state(unsigned s)
{
	switch (s) {
	case TCPT_ESTABLISHED: return MIB_TCP_STATE_ESTAB;
	case TCPT_SYN_SENT: return MIB_TCP_STATE_SYN_SENT;
	case TCPT_SYN_RECV: return MIB_TCP_STATE_SYN_RCVD;
	case TCPT_NEW_SYN_RECV: return MIB_TCP_STATE_SYN_RCVD;
	case TCPT_FIN_WAIT1: return MIB_TCP_STATE_FIN_WAIT1;
	case TCPT_FIN_WAIT2: return MIB_TCP_STATE_FIN_WAIT2;
	case TCPT_TIME_WAIT: return MIB_TCP_STATE_TIME_WAIT;
	case TCPT_CLOSE_WAIT: return MIB_TCP_STATE_CLOSE_WAIT;
	case TCPT_LAST_ACK: return MIB_TCP_STATE_LAST_ACK;
	case TCPT_LISTEN: return MIB_TCP_STATE_LISTEN;
	case TCPT_CLOSING: return MIB_TCP_STATE_CLOSING;
	default: return MIB_TCP_STATE_CLOSED;
	}
}

DWORD rows_port(uint16_t port)
{
	/* Network order in the first two bytes of the DWORD's memory, zeros after: on a
	 * little-endian host that is (DWORD)htons(port), with the upper 16 bits 0. */
	const unsigned char net[4] = { (unsigned char)(port >> 8), (unsigned char)port, 0, 0 };
	DWORD d;
	memcpy(&d, net, sizeof(d));
	return d;
}

DWORD rows_pid(const struct tcpt_conn *c)
{
	/* owners are ordered by (pid, fd): the first is the lowest pid, the one most likely to
	 * have created the socket before handing it to children. */
	if (c->owner_count == 0 || !c->owners || c->owners[0].pid <= 0)
		return 0;
	return (DWORD)c->owners[0].pid;
}

static DWORD addr4(const uint8_t *a)
{
	DWORD d;
	memcpy(&d, a, sizeof(d));
	return d;
}

void rows_fill_basic4(void *dst, const struct tcpt_conn *c)
{
	MIB_TCPROW r = { .dwState = rows_mib_state(c->state),
			 .dwLocalAddr = addr4(c->local_addr),
			 .dwLocalPort = rows_port(c->local_port),
			 .dwRemoteAddr = addr4(c->remote_addr),
			 .dwRemotePort = rows_port(c->remote_port) };
	memcpy(dst, &r, sizeof(r));
}

void rows_fill_row2_4(void *dst, const struct tcpt_conn *c)
{
	MIB_TCPROW2 r = { .dwState = rows_mib_state(c->state),
			  .dwLocalAddr = addr4(c->local_addr),
			  .dwLocalPort = rows_port(c->local_port),
			  .dwRemoteAddr = addr4(c->remote_addr),
			  .dwRemotePort = rows_port(c->remote_port),
			  .dwOwningPid = rows_pid(c),
			  .dwOffloadState = TcpConnectionOffloadStateInHost };
	memcpy(dst, &r, sizeof(r));
}

void rows_fill_pid4(void *dst, const struct tcpt_conn *c)
{
	MIB_TCPROW_OWNER_PID r = { .dwState = rows_mib_state(c->state),
				   .dwLocalAddr = addr4(c->local_addr),
				   .dwLocalPort = rows_port(c->local_port),
				   .dwRemoteAddr = addr4(c->remote_addr),
				   .dwRemotePort = rows_port(c->remote_port),
				   .dwOwningPid = rows_pid(c) };
	memcpy(dst, &r, sizeof(r));
}

/* The OWNER_MODULE rows begin with the OWNER_PID row's fields at the same offsets (layout.h
 * asserts both), and add a timestamp and module info that stay 0 (see tcpmib.h). */
void rows_fill_module4(void *dst, const struct tcpt_conn *c)
{
	MIB_TCPROW_OWNER_MODULE r;
	memset(&r, 0, sizeof(r));
	rows_fill_pid4(&r, c);
	memcpy(dst, &r, sizeof(r));
}

void rows_fill_basic6(void *dst, const struct tcpt_conn *c)
{
	MIB_TCP6ROW r;
	memset(&r, 0, sizeof(r));
	r.State = (MIB_TCP_STATE)rows_mib_state(c->state);
	memcpy(r.LocalAddr.u.Byte, c->local_addr, 16);
	r.dwLocalScopeId = c->scope_id;
	r.dwLocalPort = rows_port(c->local_port);
	memcpy(r.RemoteAddr.u.Byte, c->remote_addr, 16);
	r.dwRemoteScopeId = c->scope_id;
	r.dwRemotePort = rows_port(c->remote_port);
	memcpy(dst, &r, sizeof(r));
}

void rows_fill_row2_6(void *dst, const struct tcpt_conn *c)
{
	MIB_TCP6ROW2 r;
	memset(&r, 0, sizeof(r));
	memcpy(r.LocalAddr.u.Byte, c->local_addr, 16);
	r.dwLocalScopeId = c->scope_id;
	r.dwLocalPort = rows_port(c->local_port);
	memcpy(r.RemoteAddr.u.Byte, c->remote_addr, 16);
	r.dwRemoteScopeId = c->scope_id;
	r.dwRemotePort = rows_port(c->remote_port);
	r.State = (MIB_TCP_STATE)rows_mib_state(c->state);
	r.dwOwningPid = rows_pid(c);
	r.dwOffloadState = TcpConnectionOffloadStateInHost;
	memcpy(dst, &r, sizeof(r));
}

void rows_fill_pid6(void *dst, const struct tcpt_conn *c)
{
	MIB_TCP6ROW_OWNER_PID r;
	memset(&r, 0, sizeof(r));
	memcpy(r.ucLocalAddr, c->local_addr, 16);
	r.dwLocalScopeId = c->scope_id;
	r.dwLocalPort = rows_port(c->local_port);
	memcpy(r.ucRemoteAddr, c->remote_addr, 16);
	r.dwRemoteScopeId = c->scope_id;
	r.dwRemotePort = rows_port(c->remote_port);
	r.dwState = rows_mib_state(c->state);
	r.dwOwningPid = rows_pid(c);
	memcpy(dst, &r, sizeof(r));
}

void rows_fill_module6(void *dst, const struct tcpt_conn *c)
{
	MIB_TCP6ROW_OWNER_MODULE r;
	memset(&r, 0, sizeof(r));
	rows_fill_pid6(&r, c);
	memcpy(dst, &r, sizeof(r));
}

static int cmp_u32(uint32_t a, uint32_t b)
{
	return (a > b) - (a < b);
}

static int cmp_bytes(const uint8_t *a, const uint8_t *b, size_t n)
{
	int r = memcmp(a, b, n); /* big-endian bytes: memcmp is numeric order */
	return (r > 0) - (r < 0);
}

int rows_compare(const struct tcpt_conn *a, const struct tcpt_conn *b)
{
	const size_t alen = a->family == LINUX_AF_INET6 ? 16 : 4;
	const int v6 = alen == 16;
	int r;

	if ((r = cmp_bytes(a->local_addr, b->local_addr, alen)))
		return r;
	if (v6 && (r = cmp_u32(a->scope_id, b->scope_id)))
		return r;
	if ((r = cmp_u32(a->local_port, b->local_port)))
		return r;
	if ((r = cmp_bytes(a->remote_addr, b->remote_addr, alen)))
		return r;
	if (v6 && (r = cmp_u32(a->scope_id, b->scope_id)))
		return r;
	return cmp_u32(a->remote_port, b->remote_port);
}
