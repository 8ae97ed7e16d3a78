/* listen.h - the listening socket for --web.listen-address. */
#ifndef TCPT_EXPORTER_LISTEN_H
#define TCPT_EXPORTER_LISTEN_H

#include <stddef.h>

/*
 * Bind and listen on ADDRESS: ":PORT" (every address, IPv4 and IPv6), "HOST:PORT" (an IPv4
 * address or a name) or "[IPV6]:PORT". Returns the socket (close-on-exec), or a negative
 * errno with one line in ERR (SIZE bytes): -EINVAL for an address that does not parse.
 */
int listen_on(const char *address, char *err, size_t size);

#endif
