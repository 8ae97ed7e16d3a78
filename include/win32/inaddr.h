/*
 * inaddr.h - Windows' struct in_addr (IN_ADDR): a 4-byte union, network byte order.
 * It replaces the Linux struct in_addr; the two must not meet in one file.
 */
#ifndef TCPT_WIN32_INADDR_H
#define TCPT_WIN32_INADDR_H

#include "windows.h"

#if defined(_NETINET_IN_H) || defined(_ARPA_INET_H)
#error "<winsock2.h>/<inaddr.h> replace <netinet/in.h> and <arpa/inet.h>: include one set only"
#endif

typedef struct in_addr {
	union {
		struct {
			UCHAR s_b1, s_b2, s_b3, s_b4;
		} S_un_b;
		struct {
			USHORT s_w1, s_w2;
		} S_un_w;
		ULONG S_addr;
	} S_un;
} IN_ADDR, *PIN_ADDR, *LPIN_ADDR;

#define s_addr S_un.S_addr
#define s_host S_un.S_un_b.s_b2
#define s_net S_un.S_un_b.s_b1
#define s_imp S_un.S_un_w.s_w2
#define s_impno S_un.S_un_b.s_b4
#define s_lh S_un.S_un_b.s_b3

#endif
