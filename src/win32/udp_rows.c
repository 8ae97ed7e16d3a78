/* udp_rows.c - native UDP rows to the Windows UDP row types. As rows.c: ports and addresses
 * copied as bytes, every byte of the destination written. */
#include <string.h>

#include "layout.h"
#include "rows.h"

static DWORD addr4(const uint8_t *a)
{
	DWORD d;
	memcpy(&d, a, sizeof(d));
	return d;
}

void rows_fill_udp_basic4(void *dst, const struct tcpt_conn *c)
{
	MIB_UDPROW r = { .dwLocalAddr = addr4(c->local_addr),
			 .dwLocalPort = rows_port(c->local_port) };
	memcpy(dst, &r, sizeof(r));
}

void rows_fill_udp_pid4(void *dst, const struct tcpt_conn *c)
{
	MIB_UDPROW_OWNER_PID r = { .dwLocalAddr = addr4(c->local_addr),
				   .dwLocalPort = rows_port(c->local_port),
				   .dwOwningPid = rows_pid(c) };
	memcpy(dst, &r, sizeof(r));
}

/* The OWNER_MODULE rows begin with the OWNER_PID row's fields at the same offsets (layout.h
 * asserts both); timestamp, flags and module info stay 0 (see udpmib.h). */
void rows_fill_udp_module4(void *dst, const struct tcpt_conn *c)
{
	MIB_UDPROW_OWNER_MODULE r;
	memset(&r, 0, sizeof(r));
	rows_fill_udp_pid4(&r, c);
	memcpy(dst, &r, sizeof(r));
}

void rows_fill_udp_basic6(void *dst, const struct tcpt_conn *c)
{
	MIB_UDP6ROW r;
	memset(&r, 0, sizeof(r));
	memcpy(r.dwLocalAddr.u.Byte, c->local_addr, 16);
	r.dwLocalScopeId = c->scope_id;
	r.dwLocalPort = rows_port(c->local_port);
	memcpy(dst, &r, sizeof(r));
}

void rows_fill_udp_pid6(void *dst, const struct tcpt_conn *c)
{
	MIB_UDP6ROW_OWNER_PID r;
	memset(&r, 0, sizeof(r));
	memcpy(r.ucLocalAddr, c->local_addr, 16);
	r.dwLocalScopeId = c->scope_id;
	r.dwLocalPort = rows_port(c->local_port);
	r.dwOwningPid = rows_pid(c);
	memcpy(dst, &r, sizeof(r));
}

void rows_fill_udp_module6(void *dst, const struct tcpt_conn *c)
{
	MIB_UDP6ROW_OWNER_MODULE r;
	memset(&r, 0, sizeof(r));
	rows_fill_udp_pid6(&r, c);
	memcpy(dst, &r, sizeof(r));
}
