/* mstcpip.h - Microsoft TCP/IP extensions; here only the address-to-string helpers. */
#ifndef TCPT_WIN32_MSTCPIP_H
#define TCPT_WIN32_MSTCPIP_H

#include "ip2string.h"

#endif
