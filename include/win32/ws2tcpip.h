/*
 * ws2tcpip.h - address text conversion. InetNtop/InetPton (A and W) accept AF_INET6 as 23
 * (Windows) or 10 (Linux), so ported code works whichever value it has. inet_ntop and
 * inet_pton are the C library's own functions (as in POSIX code; <winsock2.h> makes
 * AF_INET6 the value they understand), not macros, so POSIX code may share the file.
 */
#ifndef TCPT_WIN32_WS2TCPIP_H
#define TCPT_WIN32_WS2TCPIP_H

#include "ip2string.h"
#include "winsock2.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Windows' sizes (larger than Linux's 16 and 46: room for a port and a scope), replacing
 * glibc's; buffers of these sizes suit inet_ntop() too. */
#undef INET_ADDRSTRLEN
#undef INET6_ADDRSTRLEN
#define INET_ADDRSTRLEN 22
#define INET6_ADDRSTRLEN 65

/*
 * Write the address PADDR of FAMILY (AF_INET, or AF_INET6 as 23 or 10) as text into
 * PSTRINGBUF of STRINGBUFSIZE bytes. Returns PSTRINGBUF, or NULL with the last error
 * WSAEAFNOSUPPORT (other family), ERROR_INVALID_PARAMETER (NULL buffer or address, or the
 * text does not fit; Windows says so too).
 */
WINSOCK_API_LINKAGE PCSTR WSAAPI InetNtopA(INT Family, const VOID *pAddr, PSTR pStringBuf,
					   size_t StringBufSize);

/*
 * Parse the text PSZADDRSTRING as an address of FAMILY (AF_INET, or AF_INET6 as 23 or 10)
 * into PADDRBUF (4 or 16 bytes). Returns 1; 0 for text that is not such an address (last error
 * WSAEINVAL); -1 for another family (WSAEAFNOSUPPORT) or NULL pointers (WSAEFAULT).
 */
WINSOCK_API_LINKAGE INT WSAAPI InetPtonA(INT Family, PCSTR pszAddrString, PVOID pAddrBuf);

/* The same with wide strings: STRINGBUFSIZE counts WCHARs. Same results and errors. */
WINSOCK_API_LINKAGE PCWSTR WSAAPI InetNtopW(INT Family, const VOID *pAddr, PWSTR pStringBuf,
					    size_t StringBufSize);
WINSOCK_API_LINKAGE INT WSAAPI InetPtonW(INT Family, PCWSTR pszAddrString, PVOID pAddrBuf);

#ifdef UNICODE
#define InetNtop InetNtopW
#define InetPton InetPtonW
#else
#define InetNtop InetNtopA
#define InetPton InetPtonA
#endif

#ifdef __cplusplus
}
#endif

#endif
