/* ip2string.h - IPv4/IPv6 addresses to text (ntdll's RtlIpv*AddressToString). */
#ifndef TCPT_WIN32_IP2STRING_H
#define TCPT_WIN32_IP2STRING_H

#include "in6addr.h"
#include "inaddr.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Write ADDR as dotted decimal ("127.0.0.1") into S, which must hold 16 chars. Returns a
 * pointer to the terminating NUL in S. */
NTSYSAPI PSTR NTAPI RtlIpv4AddressToStringA(const struct in_addr *Addr, PSTR S);

/* Write ADDR in RFC 5952 form ("::1", "::ffff:1.2.3.4") into S, which must hold 46 chars.
 * Returns a pointer to the terminating NUL in S. */
NTSYSAPI PSTR NTAPI RtlIpv6AddressToStringA(const struct in6_addr *Addr, PSTR S);

#ifdef __cplusplus
}
#endif

#endif
