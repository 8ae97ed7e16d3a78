/*
 * in6addr.h - struct in6_addr (IN6_ADDR): 16 bytes, network byte order. The system's
 * structure, with Windows' u.Byte / u.Word when this header set came first (see inaddr.h).
 */
#ifndef TCPT_WIN32_IN6ADDR_H
#define TCPT_WIN32_IN6ADDR_H

#include "inaddr.h"

typedef struct in6_addr IN6_ADDR, *PIN6_ADDR, *LPIN6_ADDR;

#define in_addr6 in6_addr
#ifdef TCPT_WIN32_ADDR_NAMES
#define _S6_un u
#define _S6_u8 Byte
#define s6_bytes u.Byte
#define s6_words u.Word
#endif

#endif
