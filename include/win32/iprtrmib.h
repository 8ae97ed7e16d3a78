/* iprtrmib.h - IP Helper table classes and the owner-module record. */
#ifndef TCPT_WIN32_IPRTRMIB_H
#define TCPT_WIN32_IPRTRMIB_H

#include "tcpmib.h"
#include "udpmib.h"

#ifdef __cplusplus
extern "C" {
#endif

/*
 * What GetExtendedTcpTable() returns. LISTENER: sockets in LISTEN. CONNECTIONS: every other
 * state (SYN-SENT, SYN-RECEIVED, ESTABLISHED, FIN-WAIT-1/2, CLOSE-WAIT, CLOSING, LAST-ACK,
 * TIME-WAIT, CLOSED): Windows documents "connected endpoints" without a list, and Wine
 * returns ESTABLISHED only; this library chooses every non-listening state. ALL: both.
 */
typedef enum _TCP_TABLE_CLASS {
	TCP_TABLE_BASIC_LISTENER = 0,
	TCP_TABLE_BASIC_CONNECTIONS = 1,
	TCP_TABLE_BASIC_ALL = 2,
	TCP_TABLE_OWNER_PID_LISTENER = 3,
	TCP_TABLE_OWNER_PID_CONNECTIONS = 4,
	TCP_TABLE_OWNER_PID_ALL = 5,
	TCP_TABLE_OWNER_MODULE_LISTENER = 6,
	TCP_TABLE_OWNER_MODULE_CONNECTIONS = 7,
	TCP_TABLE_OWNER_MODULE_ALL = 8,
} TCP_TABLE_CLASS, *PTCP_TABLE_CLASS;

/* What GetExtendedUdpTable() returns: MIB_UDP(6)TABLE, _OWNER_PID or _OWNER_MODULE rows of
 * every UDP socket of the family (see udpmib.h). */
typedef enum _UDP_TABLE_CLASS {
	UDP_TABLE_BASIC = 0,
	UDP_TABLE_OWNER_PID = 1,
	UDP_TABLE_OWNER_MODULE = 2,
} UDP_TABLE_CLASS, *PUDP_TABLE_CLASS;

typedef enum _TCPIP_OWNER_MODULE_INFO_CLASS {
	TCPIP_OWNER_MODULE_INFO_BASIC = 0,
} TCPIP_OWNER_MODULE_INFO_CLASS, *PTCPIP_OWNER_MODULE_INFO_CLASS;

/* Both pointers point into the caller's buffer, after this struct: name, then path. */
typedef struct _TCPIP_OWNER_MODULE_BASIC_INFO {
	PWCHAR pModuleName;
	PWCHAR pModulePath;
} TCPIP_OWNER_MODULE_BASIC_INFO, *PTCPIP_OWNER_MODULE_BASIC_INFO;

#ifdef __cplusplus
}
#endif

#endif
