/*
 * tcpestats.h - the extended TCP statistics types of the SDK (TCP_ESTATS_TYPE and
 * TCP_BOOLEAN_OPTIONAL), so that code naming them compiles. The functions that use them,
 * GetPerTcp(6)ConnectionEStats and SetPerTcp(6)ConnectionEStats, are not provided: Linux
 * keeps no per-connection collection switch to turn on (tcp_info is always there: see
 * libtcptable's TCPT_WANT_INFO).
 */
#ifndef TCPT_WIN32_TCPESTATS_H
#define TCPT_WIN32_TCPESTATS_H

#include "windows.h"

typedef enum {
	TcpConnectionEstatsSynOpts = 0,
	TcpConnectionEstatsData = 1,
	TcpConnectionEstatsSndCong = 2,
	TcpConnectionEstatsPath = 3,
	TcpConnectionEstatsSendBuff = 4,
	TcpConnectionEstatsRec = 5,
	TcpConnectionEstatsObsRec = 6,
	TcpConnectionEstatsBandwidth = 7,
	TcpConnectionEstatsFineRtt = 8,
	TcpConnectionEstatsMaximum = 9,
} TCP_ESTATS_TYPE,
	*PTCP_ESTATS_TYPE;

typedef enum {
	TcpBoolOptDisabled = 0,
	TcpBoolOptEnabled = 1,
	TcpBoolOptUnchanged = -1,
} TCP_BOOLEAN_OPTIONAL,
	*PTCP_BOOLEAN_OPTIONAL;

#endif
