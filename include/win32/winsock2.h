/*
 * winsock2.h - the Windows Sockets names IP Helper programs use: address families with their
 * Windows values (AF_INET6 is 23), struct in_addr, byte order and WSAStartup.
 *
 * Include it instead of <sys/socket.h>, <netinet/in.h> and <arpa/inet.h>, never with them.
 * htons() & co. and inet_ntoa()/inet_addr() are the C library's own functions.
 */
#ifndef TCPT_WIN32_WINSOCK2_H
#define TCPT_WIN32_WINSOCK2_H

#include "windows.h"

#if defined(_SYS_SOCKET_H)
#error "<winsock2.h> replaces <sys/socket.h> (AF_INET6 is 23 here): include one set only"
#endif

#include "in6addr.h"
#include "inaddr.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Windows values: AF_INET6 differs from Linux (10). Every libiphlpapi function that takes a
 * family accepts both 23 and 10. */
#define AF_UNSPEC 0
#define AF_INET 2
#define AF_INET6 23
#define PF_UNSPEC AF_UNSPEC
#define PF_INET AF_INET
#define PF_INET6 AF_INET6

#define INADDR_ANY ((ULONG)0x00000000)
#define INADDR_LOOPBACK 0x7f000001
#define INADDR_BROADCAST ((ULONG)0xffffffff)
#define INADDR_NONE 0xffffffff

/* u_long is 32 bits on Windows. glibc's <sys/types.h> (pulled in by <stdlib.h> in default
 * and _GNU_SOURCE builds) defines these BSD names too, u_long as 64 bits, under the guard
 * __u_char_defined. Included first, this header defines them the Windows way and sets the
 * guard; included after <sys/types.h>, u_long stays glibc's (64 bits). The byte-order and
 * inet_addr prototypes below use exact-width types, so they are right either way. */
#ifndef __u_char_defined
#define __u_char_defined
#include <bits/types.h>
typedef unsigned char u_char;
typedef unsigned short u_short;
typedef unsigned int u_int;
typedef uint32_t u_long;
typedef __quad_t quad_t;
typedef __u_quad_t u_quad_t;
typedef __fsid_t fsid_t;
#endif
typedef UINT_PTR SOCKET;
#define INVALID_SOCKET ((SOCKET)(~0))
#define SOCKET_ERROR (-1)

/* Byte order: the C library's functions (same symbols and ABI as <arpa/inet.h>). */
uint16_t htons(uint16_t hostshort);
uint16_t ntohs(uint16_t netshort);
uint32_t htonl(uint32_t hostlong);
uint32_t ntohl(uint32_t netlong);

/* The C library's inet_ntoa(): a per-thread static buffer, as on Windows. */
char *inet_ntoa(struct in_addr in);

/* The C library's inet_addr(): INADDR_NONE for a malformed address. */
uint32_t inet_addr(const char *cp);

#define WSADESCRIPTION_LEN 256
#define WSASYS_STATUS_LEN 128

/* Field order of 64-bit Windows (the pointer moved to the end there). */
typedef struct WSAData {
	WORD wVersion;
	WORD wHighVersion;
#if UINTPTR_MAX > 0xffffffffu
	unsigned short iMaxSockets;
	unsigned short iMaxUdpDg;
	char *lpVendorInfo;
	char szDescription[WSADESCRIPTION_LEN + 1];
	char szSystemStatus[WSASYS_STATUS_LEN + 1];
#else
	char szDescription[WSADESCRIPTION_LEN + 1];
	char szSystemStatus[WSASYS_STATUS_LEN + 1];
	unsigned short iMaxSockets;
	unsigned short iMaxUdpDg;
	char *lpVendorInfo;
#endif
} WSADATA, *LPWSADATA;

/*
 * Start "Windows Sockets": nothing to do on Linux. Fills *LPWSADATA with version
 * min(wVersionRequested, 2.2), high version 2.2. Returns 0; WSAVERNOTSUPPORTED for a request
 * below 1.1 (as Windows); WSAEFAULT for a NULL LPWSADATA.
 */
WINSOCK_API_LINKAGE int WSAAPI WSAStartup(WORD wVersionRequested, LPWSADATA lpWSAData);

/* Balance WSAStartup(). Returns 0. */
WINSOCK_API_LINKAGE int WSAAPI WSACleanup(void);

/* The calling thread's last error (the same slot as GetLastError(), as on Windows). */
WINSOCK_API_LINKAGE int WSAAPI WSAGetLastError(void);

#ifdef __cplusplus
}
#endif

#endif
