/*
 * inet.c - InetNtopA, InetPtonA, RtlIpv4/6AddressToStringA over the C library.
 *
 * This file includes the Linux socket headers, so it cannot include <ws2tcpip.h>; its
 * definitions repeat those prototypes with the same types spelled the Linux way, and the
 * error codes it sets are spelled here likewise.
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdint.h>
#include <string.h>
#include <sys/socket.h>

#include "family.h"

/* From <windows.h> and <winerror.h>, which clash with the headers above. */
void SetLastError(uint32_t code);
#define W_ERROR_INVALID_PARAMETER 87u
#define W_WSAEFAULT 10014u
#define W_WSAEINVAL 10022u
#define W_WSAEAFNOSUPPORT 10047u
#define EXPORT __attribute__((visibility("default")))

EXPORT const char *InetNtopA(int Family, const void *pAddr, char *pStringBuf,
			     size_t StringBufSize);
EXPORT int InetPtonA(int Family, const char *pszAddrString, void *pAddrBuf);
EXPORT char *RtlIpv4AddressToStringA(const struct in_addr *Addr, char *S);
EXPORT char *RtlIpv6AddressToStringA(const struct in6_addr *Addr, char *S);

/* The Linux family for a caller's number (AF_INET6 as 23 or 10), or -1. */
static int linux_family(int family)
{
	switch (family_classify((uint32_t)family)) {
	case FAMILY_V4: return AF_INET;
	case FAMILY_V6: return AF_INET6;
	default: return -1;
	}
}

const char *InetNtopA(int Family, const void *pAddr, char *pStringBuf, size_t StringBufSize)
{
	int af = linux_family(Family);
	if (af < 0) {
		SetLastError(W_WSAEAFNOSUPPORT);
		return NULL;
	}
	if (!pAddr || !pStringBuf || StringBufSize > UINT32_MAX ||
	    !inet_ntop(af, pAddr, pStringBuf, (socklen_t)StringBufSize)) {
		SetLastError(W_ERROR_INVALID_PARAMETER);
		return NULL;
	}
	return pStringBuf;
}

int InetPtonA(int Family, const char *pszAddrString, void *pAddrBuf)
{
	int af = linux_family(Family);
	if (af < 0) {
		SetLastError(W_WSAEAFNOSUPPORT);
		return -1;
	}
	if (!pszAddrString || !pAddrBuf) {
		SetLastError(W_WSAEFAULT);
		return -1;
	}
	int r = inet_pton(af, pszAddrString, pAddrBuf);
	if (r == 0)
		SetLastError(W_WSAEINVAL);
	return r;
}

char *RtlIpv4AddressToStringA(const struct in_addr *Addr, char *S)
{
	inet_ntop(AF_INET, Addr, S, INET_ADDRSTRLEN); /* cannot fail with 16 bytes */
	return S + strlen(S);
}

char *RtlIpv6AddressToStringA(const struct in6_addr *Addr, char *S)
{
	inet_ntop(AF_INET6, Addr, S, INET6_ADDRSTRLEN);
	return S + strlen(S);
}
