/* info_text.h - the timer and tcp_info of a row as short human text (table and watch). */
#ifndef TCPT_CLI_INFO_TEXT_H
#define TCPT_CLI_INFO_TEXT_H

#include <stddef.h>

#include "tcptable.h"

/* "on,200ms,3" (kind, time to expiry, retransmits), or "-" without a timer. Returns the
 * length written to OUT (SIZE bytes, NUL-terminated). */
size_t info_text_timer(const struct tcpt_conn *r, char *out, size_t size);

/* ss -i style: "cubic rtt:0.05/0.025ms rto:201ms mss:32768 pmtu:65535 cwnd:10
 * ssthresh:- retrans:0/0 lost:0 sent:1000B acked:1001B received:0B delivery_rate:...
 * last_send:12ms last_recv:12ms". Returns the length written to OUT. */
size_t info_text_detail(const struct tcpt_tcp_info *i, char *out, size_t size);

#endif
