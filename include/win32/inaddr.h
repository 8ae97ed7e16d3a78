/*
 * inaddr.h - struct in_addr (IN_ADDR) with Windows' member names (S_un.S_addr,
 * S_un.S_un_b.s_b1, ...) beside POSIX's s_addr: one 4-byte structure, network byte order.
 *
 * Windows and POSIX headers share one struct in_addr and one struct in6_addr: the system's
 * (glibc's <netinet/in.h>, layout-identical to Windows'), so that a file may include both
 * sets in either order and pass these structures to both APIs. Included before
 * <netinet/in.h>, this header includes it itself, adding Windows' member names to glibc's
 * definitions (S_un here; u.Byte and u.Word in struct in6_addr, whose union is then named
 * u). When <netinet/in.h> came first, its definitions stand as they are: s_addr and s6_addr
 * work, the Windows-only member names do not.
 */
#ifndef TCPT_WIN32_INADDR_H
#define TCPT_WIN32_INADDR_H

#include "windows.h"

#ifndef _NETINET_IN_H
#define TCPT_WIN32_ADDR_NAMES 1
/* S_un of Windows' in_addr. */
union tcpt_win32_in_addr_un {
	struct {
		UCHAR s_b1, s_b2, s_b3, s_b4;
	} S_un_b;
	struct {
		USHORT s_w1, s_w2;
	} S_un_w;
	ULONG S_addr;
};
/* glibc's `in_addr_t s_addr;` becomes an unnamed zero-width bit-field (no storage) and an
 * anonymous union of s_addr and S_un; its in6_addr union gains Byte and Word and is named u
 * (glibc's own macros, s6_addr and IN6_IS_ADDR_*, reach it through __in6_u). */
#define s_addr                                                                                \
	: 0;                                                                                  \
	union {                                                                               \
		in_addr_t s_addr;                                                             \
		union tcpt_win32_in_addr_un S_un;                                             \
	}
#define __u6_addr8 __u6_addr8[16]; USHORT Word[8]; UCHAR Byte
#define __in6_u u
#include <netinet/in.h>
#undef s_addr
#undef __u6_addr8
#endif

#include <arpa/inet.h>

typedef struct in_addr IN_ADDR, *PIN_ADDR, *LPIN_ADDR;

#ifdef TCPT_WIN32_ADDR_NAMES
#define s_host S_un.S_un_b.s_b2
#define s_net S_un.S_un_b.s_b1
#define s_imp S_un.S_un_w.s_w2
#define s_impno S_un.S_un_b.s_b4
#define s_lh S_un.S_un_b.s_b3
#endif

#endif
