/*
 * winsock2.h - the Windows Sockets names IP Helper programs use: address structures, byte
 * order, SOCKET and WSAStartup.
 *
 * The socket API itself is the system's: this header includes <sys/socket.h>,
 * <netinet/in.h> and <arpa/inet.h>, so a file may use POSIX sockets beside it, and include
 * those headers before or after it (struct in_addr/in6_addr: see inaddr.h). Address
 * families are therefore Linux's: AF_INET 2 (as Windows), AF_INET6 10 (Windows: 23), the
 * value that sockets, getaddrinfo() and inet_ntop() of this system understand. Every
 * libiphlpapi function that takes a family accepts 23 as well. htons() & co.,
 * inet_ntoa() and inet_addr() are the C library's. INADDR_* are glibc's (the same values).
 */
#ifndef TCPT_WIN32_WINSOCK2_H
#define TCPT_WIN32_WINSOCK2_H

#include "windows.h"

#include "in6addr.h"
#include "inaddr.h"

#include <sys/socket.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef USHORT ADDRESS_FAMILY;
typedef struct sockaddr SOCKADDR, *PSOCKADDR, *LPSOCKADDR;
typedef struct sockaddr_in SOCKADDR_IN, *PSOCKADDR_IN, *LPSOCKADDR_IN;
typedef struct sockaddr_in6 SOCKADDR_IN6, *PSOCKADDR_IN6, *LPSOCKADDR_IN6;
typedef struct sockaddr_storage SOCKADDR_STORAGE, *PSOCKADDR_STORAGE;
typedef UINT_PTR SOCKET;
#define INVALID_SOCKET ((SOCKET)(~0))
#define SOCKET_ERROR (-1)

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
