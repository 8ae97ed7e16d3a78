/*
 * udpmib.h - the UDP MIB structures of the Windows SDK, byte for byte as on Windows x64 (and
 * x86, whose layouts differ only where a pointer does). Field order and types are normative;
 * src/win32/layout.h asserts every size and offset, and tests/win32 checks them against the
 * mingw-w64 headers compiled for Windows.
 *
 * Conventions in every row, as in tcpmib.h: addresses raw in_addr / in6_addr bytes (network
 * order); ports htons(port) in the low 16 bits of the DWORD, upper 16 bits 0; the IPv6 scope
 * id is the interface index the socket is bound to (SO_BINDTODEVICE), 0 when unbound.
 *
 * Which sockets are rows: every UDP socket of the family that has a local port (bound
 * explicitly or by sending or connecting), connected or not: the endpoints Windows calls the
 * "UDP listener table" and `ss -uan` lists. A connected socket's peer is not part of a UDP
 * row. A dual-stack socket bound to :: is in the IPv6 table only.
 */
#ifndef TCPT_WIN32_UDPMIB_H
#define TCPT_WIN32_UDPMIB_H

#include "in6addr.h"
#include "windows.h"

#ifdef __cplusplus
extern "C" {
#endif

#ifndef ANY_SIZE
#define ANY_SIZE 1
#endif
#ifndef TCPIP_OWNING_MODULE_SIZE
#define TCPIP_OWNING_MODULE_SIZE 16
#endif
#ifndef ALIGN_SIZE
#define ALIGN_SIZE 8
#endif

/* ---- IPv4 ---------------------------------------------------------------------------- */

typedef struct _MIB_UDPROW {
	DWORD dwLocalAddr;
	DWORD dwLocalPort;
} MIB_UDPROW, *PMIB_UDPROW, MIB_UDPROW_BASIC, *PMIB_UDPROW_BASIC;

typedef struct _MIB_UDPTABLE {
	DWORD dwNumEntries;
	MIB_UDPROW table[ANY_SIZE];
} MIB_UDPTABLE, *PMIB_UDPTABLE, MIB_UDPTABLE_BASIC, *PMIB_UDPTABLE_BASIC;

typedef struct _MIB_UDPROW_OWNER_PID {
	DWORD dwLocalAddr;
	DWORD dwLocalPort;
	DWORD dwOwningPid; /* the lowest pid holding the socket; 0 when none may be seen */
} MIB_UDPROW_OWNER_PID, *PMIB_UDPROW_OWNER_PID;

typedef struct _MIB_UDPTABLE_OWNER_PID {
	DWORD dwNumEntries;
	MIB_UDPROW_OWNER_PID table[ANY_SIZE];
} MIB_UDPTABLE_OWNER_PID, *PMIB_UDPTABLE_OWNER_PID;

/* 8-aligned (LARGE_INTEGER): 4 bytes of padding after dwOwningPid and after dwFlags, and
 * its table has 4 bytes of padding before table[0]. */
typedef struct _MIB_UDPROW_OWNER_MODULE {
	DWORD dwLocalAddr;
	DWORD dwLocalPort;
	DWORD dwOwningPid;
	LARGE_INTEGER liCreateTimestamp; /* always 0 here: Linux keeps no bind time */
	union {
		struct {
			DWORD SpecificPortBind : 1; /* always 0 here: Linux does not record
			                               whether the port was asked for */
		};
		DWORD dwFlags;
	};
	ULONGLONG OwningModuleInfo[TCPIP_OWNING_MODULE_SIZE]; /* always 0 here */
} MIB_UDPROW_OWNER_MODULE, *PMIB_UDPROW_OWNER_MODULE;

typedef struct _MIB_UDPTABLE_OWNER_MODULE {
	DWORD dwNumEntries;
	MIB_UDPROW_OWNER_MODULE table[ANY_SIZE];
} MIB_UDPTABLE_OWNER_MODULE, *PMIB_UDPTABLE_OWNER_MODULE;

/* ---- IPv6 ---------------------------------------------------------------------------- */

typedef struct _MIB_UDP6ROW {
	IN6_ADDR dwLocalAddr; /* sic: the SDK's name for an IN6_ADDR */
	DWORD dwLocalScopeId;
	DWORD dwLocalPort;
} MIB_UDP6ROW, *PMIB_UDP6ROW;

typedef struct _MIB_UDP6TABLE {
	DWORD dwNumEntries;
	MIB_UDP6ROW table[ANY_SIZE];
} MIB_UDP6TABLE, *PMIB_UDP6TABLE;

typedef struct _MIB_UDP6ROW_OWNER_PID {
	UCHAR ucLocalAddr[16];
	DWORD dwLocalScopeId;
	DWORD dwLocalPort;
	DWORD dwOwningPid;
} MIB_UDP6ROW_OWNER_PID, *PMIB_UDP6ROW_OWNER_PID;

typedef struct _MIB_UDP6TABLE_OWNER_PID {
	DWORD dwNumEntries;
	MIB_UDP6ROW_OWNER_PID table[ANY_SIZE];
} MIB_UDP6TABLE_OWNER_PID, *PMIB_UDP6TABLE_OWNER_PID;

typedef struct _MIB_UDP6ROW_OWNER_MODULE {
	UCHAR ucLocalAddr[16];
	DWORD dwLocalScopeId;
	DWORD dwLocalPort;
	DWORD dwOwningPid;
	LARGE_INTEGER liCreateTimestamp; /* always 0 here */
	union {
		struct {
			DWORD SpecificPortBind : 1; /* always 0 here */
		};
		DWORD dwFlags;
	};
	ULONGLONG OwningModuleInfo[TCPIP_OWNING_MODULE_SIZE]; /* always 0 here */
} MIB_UDP6ROW_OWNER_MODULE, *PMIB_UDP6ROW_OWNER_MODULE;

typedef struct _MIB_UDP6TABLE_OWNER_MODULE {
	DWORD dwNumEntries;
	MIB_UDP6ROW_OWNER_MODULE table[ANY_SIZE];
} MIB_UDP6TABLE_OWNER_MODULE, *PMIB_UDP6TABLE_OWNER_MODULE;

/* Bytes for a table of X rows, with the SDK's ALIGN_SIZE of slack. */
#define SIZEOF_UDPTABLE(X) (FIELD_OFFSET(MIB_UDPTABLE, table[0]) + ((X) * sizeof(MIB_UDPROW)) + ALIGN_SIZE)
#define SIZEOF_UDPTABLE_BASIC(X) SIZEOF_UDPTABLE(X)
#define SIZEOF_UDPTABLE_OWNER_PID(X) (FIELD_OFFSET(MIB_UDPTABLE_OWNER_PID, table[0]) + ((X) * sizeof(MIB_UDPROW_OWNER_PID)) + ALIGN_SIZE)
#define SIZEOF_UDPTABLE_OWNER_MODULE(X) (FIELD_OFFSET(MIB_UDPTABLE_OWNER_MODULE, table[0]) + ((X) * sizeof(MIB_UDPROW_OWNER_MODULE)) + ALIGN_SIZE)
#define SIZEOF_UDP6TABLE(X) (FIELD_OFFSET(MIB_UDP6TABLE, table[0]) + ((X) * sizeof(MIB_UDP6ROW)) + ALIGN_SIZE)
#define SIZEOF_UDP6TABLE_OWNER_PID(X) (FIELD_OFFSET(MIB_UDP6TABLE_OWNER_PID, table[0]) + ((X) * sizeof(MIB_UDP6ROW_OWNER_PID)) + ALIGN_SIZE)
#define SIZEOF_UDP6TABLE_OWNER_MODULE(X) (FIELD_OFFSET(MIB_UDP6TABLE_OWNER_MODULE, table[0]) + ((X) * sizeof(MIB_UDP6ROW_OWNER_MODULE)) + ALIGN_SIZE)

/* ---- Statistics ---------------------------------------------------------------------- */

/* The kernel's counters of one family (Linux keeps IPv4 and IPv6 apart): the low 32 bits. */
typedef struct _MIB_UDPSTATS {
	DWORD dwInDatagrams;
	DWORD dwNoPorts;
	DWORD dwInErrors;
	DWORD dwOutDatagrams;
	DWORD dwNumAddrs; /* rows of the family's UDP table right now */
} MIB_UDPSTATS, *PMIB_UDPSTATS;

/* Windows 10 1709+: 64-bit datagram counters. 8-aligned: 4 bytes of padding at the end. */
typedef struct _MIB_UDPSTATS2 {
	DWORD64 dw64InDatagrams;
	DWORD dwNoPorts;
	DWORD dwInErrors;
	DWORD64 dw64OutDatagrams;
	DWORD dwNumAddrs;
} MIB_UDPSTATS2, *PMIB_UDPSTATS2;

#ifdef __cplusplus
}
#endif

#endif
