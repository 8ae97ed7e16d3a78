/* rows.h - one native row (struct tcpt_conn) as each Windows row type, and the sort order. */
#ifndef TCPT_WIN32_ROWS_H
#define TCPT_WIN32_ROWS_H

#include <iphlpapi.h>

#include "tcptable.h"

/* The MIB_TCP_STATE_* value of a Linux TCP state (enum tcpt_state); CLOSED for anything
 * that is not a state Windows knows. */
DWORD rows_mib_state(unsigned tcpt_state);

/* htons(PORT) in the low 16 bits of a DWORD, upper bits 0. */
DWORD rows_port(uint16_t port);

/* The pid a Windows table reports for C: its lowest owner pid, 0 without owners. */
DWORD rows_pid(const struct tcpt_conn *c);

/* Fill a Windows row from C. Every byte of *DST is written (padding included). */
void rows_fill_basic4(void *dst, const struct tcpt_conn *c);
void rows_fill_row2_4(void *dst, const struct tcpt_conn *c);
void rows_fill_pid4(void *dst, const struct tcpt_conn *c);
void rows_fill_module4(void *dst, const struct tcpt_conn *c);
void rows_fill_basic6(void *dst, const struct tcpt_conn *c);
void rows_fill_row2_6(void *dst, const struct tcpt_conn *c);
void rows_fill_pid6(void *dst, const struct tcpt_conn *c);
void rows_fill_module6(void *dst, const struct tcpt_conn *c);

/* The same for the UDP row types (udp_rows.c). */
void rows_fill_udp_basic4(void *dst, const struct tcpt_conn *c);
void rows_fill_udp_pid4(void *dst, const struct tcpt_conn *c);
void rows_fill_udp_module4(void *dst, const struct tcpt_conn *c);
void rows_fill_udp_basic6(void *dst, const struct tcpt_conn *c);
void rows_fill_udp_pid6(void *dst, const struct tcpt_conn *c);
void rows_fill_udp_module6(void *dst, const struct tcpt_conn *c);

/* Three-way comparison of two rows of one family in the documented Windows order: local
 * address as a number, (IPv6: local scope id,) local port, remote address, (IPv6: remote
 * scope id,) remote port. Returns <0, 0 or >0. */
int rows_compare(const struct tcpt_conn *a, const struct tcpt_conn *b);

#endif
