/* procnet.h - the /proc/net/{tcp,udp}{,6} source: text lines decoded into the rows netlink
 * gives. */
#ifndef TCPT_PROCNET_H
#define TCPT_PROCNET_H

#include <stddef.h>
#include <stdint.h>

#include "rowvec.h"

/* Decode one line of /proc/net/tcp (FAMILY AF_INET) or /proc/net/tcp6 (AF_INET6), without its
 * newline, into *ret_row (fields the text lacks are zeroed; see struct tcpt_conn).
 * Returns 0; 1 for the header line ("  sl  local_address ..."), which fills nothing;
 * -EBADMSG for anything malformed (ret_row then untouched); -EINVAL for a bad family. */
int procnet_parse_line(const char *line, size_t len, int family, struct tcpt_conn *ret_row);

/* procnet_parse_line() for a line of PROTOCOL's file (TCPT_PROTO_NUMBER_TCP: /proc/net/tcp{,6};
 * TCPT_PROTO_NUMBER_UDP: /proc/net/udp{,6}, whose lines have the same columns); -EINVAL also
 * for another protocol. */
int procnet_parse_line_proto(const char *line, size_t len, uint8_t protocol, int family,
			     struct tcpt_conn *ret_row);

/* Decode the whole text of one such file, appending the rows whose state is in STATES (a
 * TCPT_STATE_BIT mask, already normalised). A final line without a newline counts.
 * Returns 0, -EBADMSG on the first malformed line (rows appended before it stay), -ENOMEM. */
int procnet_parse_text(const char *text, size_t len, int family, uint32_t states,
		       struct rowvec *rows);

/* procnet_parse_text() for PROTOCOL's file, as procnet_parse_line_proto(). */
int procnet_parse_text_proto(const char *text, size_t len, uint8_t protocol, int family,
			     uint32_t states, struct rowvec *rows);

/* Read /proc/net/tcp and/or /proc/net/tcp6 (per FAMILIES, a TCPT_FAMILY_* mask), then
 * /proc/net/udp{,6}, as PROTOCOLS (a TCPT_PROTO_* mask, 0 meaning TCP) asks, of the calling
 * thread's network namespace, each in one pass, and append their rows (TCP rows first).
 * A missing tcp6 or udp6 file (IPv6 disabled) counts as no IPv6 sockets.
 * Returns 0, -ENOTSUP when a file cannot be opened or read, -EBADMSG, -ENOMEM; on failure
 * the rows this call appended are removed. */
int procnet_collect(unsigned protocols, unsigned families, uint32_t states, struct rowvec *rows);

/* The number of sockets of PROTOCOLS (a TCPT_PROTO_* mask, 0 meaning TCP) of the calling
 * thread's namespace the kernel counts right now (TCP "inuse" plus "tw", UDP "inuse" of
 * /proc/net/sockstat): an estimate to size tables by, read in one go.
 * Returns 0, or a negative errno when the file cannot be read or parsed. */
int procnet_count_sockets(unsigned protocols, size_t *ret_count);

#endif
