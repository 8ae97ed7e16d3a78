/*
 * in6addr.h - Windows' struct in6_addr (IN6_ADDR): 16 bytes, network byte order, 2-aligned.
 * It replaces the Linux struct in6_addr; the two must not meet in one file.
 */
#ifndef TCPT_WIN32_IN6ADDR_H
#define TCPT_WIN32_IN6ADDR_H

#include "windows.h"

#if defined(_NETINET_IN_H) || defined(_ARPA_INET_H)
#error "<winsock2.h>/<in6addr.h> replace <netinet/in.h> and <arpa/inet.h>: include one set only"
#endif

typedef struct in6_addr {
	union {
		UCHAR Byte[16];
		USHORT Word[8];
	} u;
} IN6_ADDR, *PIN6_ADDR, *LPIN6_ADDR;

#define in_addr6 in6_addr
#define _S6_un u
#define _S6_u8 Byte
#define s6_addr _S6_un._S6_u8
#define s6_bytes u.Byte
#define s6_words u.Word

#endif
