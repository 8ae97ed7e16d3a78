/* stats.h - the TCP counters of /proc/net/snmp. */
#ifndef TCPT_STATS_H
#define TCPT_STATS_H

#include <stddef.h>

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

#endif
