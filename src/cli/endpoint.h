/* endpoint.h - "address:port" text of a row's ends, as people and ss spell them. */
#ifndef TCPT_CLI_ENDPOINT_H
#define TCPT_CLI_ENDPOINT_H

#include <stdbool.h>
#include <stddef.h>

#include "ifnames.h"
#include "tcptable.h"

enum { ENDPOINT_MAX = 80 }; /* "[v6%ifname]:port" with room to spare */

/* The address alone of the local (LOCAL true) or remote end: "127.0.0.1", "::1", into OUT
 * (INET6_ADDRSTRLEN bytes at least). Returns the length. */
size_t endpoint_address(const struct tcpt_conn *row, bool local, char *out);

/*
 * Format the local (LOCAL true) or remote end of ROW into OUT (at least ENDPOINT_MAX bytes):
 * "127.0.0.1:80", "[::1]:80", "[::ffff:127.0.0.1]:80", a zero port as "*" ("0.0.0.0:*"),
 * and, on the local end of a socket bound to an interface, "%ifname" after the
 * address, as ss does (the name the interface has in the row's own namespace).
 * Returns the length.
 */
size_t endpoint_format(const struct tcpt_conn *row, bool local, struct ifname_cache *ifnames,
		       char *out);

struct resolver;

/*
 * endpoint_format() with names (-r): the host name NAMES found for the address, if any
 * (escaped for a terminal: names come from DNS and /etc/hosts), and the service name of the
 * port, if any ("localhost:http", "[::1]:5000"), into OUT (SIZE bytes, cut to fit).
 * Returns the length.
 */
size_t endpoint_format_named(const struct tcpt_conn *row, bool local,
			     struct ifname_cache *ifnames, struct resolver *names, char *out,
			     size_t size);

/* The length endpoint_format() would return, computed rather than formatted for IPv4 (a table
 * measures every row before it writes any). */
size_t endpoint_length(const struct tcpt_conn *row, bool local, struct ifname_cache *ifnames);

#endif
