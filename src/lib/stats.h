/* stats.h - the TCP and UDP counters of /proc/net/snmp and /proc/net/snmp6. */
#ifndef TCPT_STATS_H
#define TCPT_STATS_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "tcptable.h"

/*
 * Decode the text of /proc/net/snmp (LEN bytes, need not be NUL-terminated): the first "Tcp:"
 * line names the counters, the second gives their values, matched by name so that counters
 * a kernel adds or lacks do not shift the others. Counters this kernel lacks are 0
 * (InCsumErrors before Linux 3.10); the first fourteen (RFC 4022) must be present.
 * Returns 0 and fills *ret; -ENOTSUP when there are no Tcp lines; -EBADMSG when they do not
 * parse (a value that is not a number, a count mismatch, a required counter missing).
 * *ret is untouched on failure.
 */
int stats_parse_snmp(const char *text, size_t len, struct tcpt_stats *ret);

/* The next line of TEXT (LEN bytes) at or after *POS that starts with PREFIX: its rest after
 * the prefix in *RET_LINE and *RET_LEN, *POS moved past it. False when none is left. */
bool stats_next_line(const char *text, size_t len, const char *prefix, size_t *pos,
		     const char **ret_line, size_t *ret_len);

/* Read /proc/thread-self/net/NAME (or /proc/net/NAME before Linux 3.17) into BUF, at most
 * SIZE bytes. Returns the length or a negative errno. */
ssize_t stats_read_net_file(const char *name, char *buf, size_t size);

/*
 * Decode the "Udp:" lines of /proc/net/snmp (FAMILY AF_INET) or the Udp6 lines of
 * /proc/net/snmp6 (AF_INET6, one "Udp6Name value" per line) in TEXT (LEN bytes). Counters
 * are matched by name; the first four (RFC 4113) must be present, the others are 0 when
 * missing. Returns 0 and fills *ret; -ENOTSUP when there are no UDP lines; -EBADMSG when
 * they do not parse. *ret is untouched on failure.
 */
int stats_parse_udp(const char *text, size_t len, int family, struct tcpt_udp_stats *ret);

#endif
