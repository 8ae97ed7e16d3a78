/*
 * tcpmib.h - the TCP MIB structures of the Windows SDK, byte for byte as on Windows x64
 * (and x86, whose layouts differ only where a pointer does). Field order and types are
 * normative; src/win32/layout.h asserts every size and offset, and tests/win32 checks them
 * against the mingw-w64 headers compiled for Windows.
 *
 * Conventions in every row, as Windows has them:
 *   addresses   raw in_addr / in6_addr bytes, network order (127.0.0.1 reads 0x0100007F on
 *               a little-endian host)
 *   ports       htons(port) in the low 16 bits of the DWORD; the upper 16 bits are 0
 *   LISTEN rows remote address and port 0
 *   scope ids   (IPv6) the interface index, host byte order, of the interface the socket is
 *               bound to (SO_BINDTODEVICE, or the zone of a link-local bind); 0 when unbound.
 *               The same value in dwLocalScopeId and dwRemoteScopeId. (Windows documents
 *               "network byte order" yet reports sin6_scope_id; unverified here.)
 */
#ifndef TCPT_WIN32_TCPMIB_H
#define TCPT_WIN32_TCPMIB_H

#include "in6addr.h"
#include "windows.h"

#ifdef __cplusplus
extern "C" {
#endif

#ifndef ANY_SIZE
#define ANY_SIZE 1
#endif
#define TCPIP_OWNING_MODULE_SIZE 16
#ifndef ALIGN_SIZE
#define ALIGN_SIZE 8
#endif

typedef enum {
	MIB_TCP_STATE_CLOSED = 1,
	MIB_TCP_STATE_LISTEN = 2,
	MIB_TCP_STATE_SYN_SENT = 3,
	MIB_TCP_STATE_SYN_RCVD = 4,
	MIB_TCP_STATE_ESTAB = 5,
	MIB_TCP_STATE_FIN_WAIT1 = 6,
	MIB_TCP_STATE_FIN_WAIT2 = 7,
	MIB_TCP_STATE_CLOSE_WAIT = 8,
	MIB_TCP_STATE_CLOSING = 9,
	MIB_TCP_STATE_LAST_ACK = 10,
	MIB_TCP_STATE_TIME_WAIT = 11,
	MIB_TCP_STATE_DELETE_TCB = 12, /* SetTcpEntry() only: close the connection */
	MIB_TCP_STATE_RESERVED = 100,  /* never reported by this library */
} MIB_TCP_STATE;

/* Always TcpConnectionOffloadStateInHost here: Linux does not offload TCP connections. */
typedef enum {
	TcpConnectionOffloadStateInHost = 0,
	TcpConnectionOffloadStateOffloading = 1,
	TcpConnectionOffloadStateOffloaded = 2,
	TcpConnectionOffloadStateUploading = 3,
	TcpConnectionOffloadStateMax = 4,
} TCP_CONNECTION_OFFLOAD_STATE,
	*PTCP_CONNECTION_OFFLOAD_STATE;

/* The SDK's values, 1..4 (Wine's header has 0..3 for the first four names: a Wine bug). */
typedef enum {
	TcpRtoAlgorithmOther = 1,
	TcpRtoAlgorithmConstant = 2,
	TcpRtoAlgorithmRsre = 3,
	TcpRtoAlgorithmVanj = 4,
	MIB_TCP_RTO_OTHER = 1,
	MIB_TCP_RTO_CONSTANT = 2,
	MIB_TCP_RTO_RSRE = 3,
	MIB_TCP_RTO_VANJ = 4,
} TCP_RTO_ALGORITHM,
	*PTCP_RTO_ALGORITHM;

#define MIB_TCP_MAXCONN_DYNAMIC ((ULONG)-1)

/* ---- IPv4 ---------------------------------------------------------------------------- */

typedef struct _MIB_TCPROW_LH {
	union {
		DWORD dwState;
		MIB_TCP_STATE State;
	};
	DWORD dwLocalAddr;
	DWORD dwLocalPort;
	DWORD dwRemoteAddr;
	DWORD dwRemotePort;
} MIB_TCPROW_LH, *PMIB_TCPROW_LH, MIB_TCPROW, *PMIB_TCPROW, MIB_TCPROW_BASIC, *PMIB_TCPROW_BASIC;

typedef struct _MIB_TCPROW_W2K {
	DWORD dwState;
	DWORD dwLocalAddr;
	DWORD dwLocalPort;
	DWORD dwRemoteAddr;
	DWORD dwRemotePort;
} MIB_TCPROW_W2K, *PMIB_TCPROW_W2K;

typedef struct _MIB_TCPTABLE {
	DWORD dwNumEntries;
	MIB_TCPROW table[ANY_SIZE];
} MIB_TCPTABLE, *PMIB_TCPTABLE, MIB_TCPTABLE_BASIC, *PMIB_TCPTABLE_BASIC;

typedef struct _MIB_TCPROW2 {
	DWORD dwState;
	DWORD dwLocalAddr;
	DWORD dwLocalPort;
	DWORD dwRemoteAddr;
	DWORD dwRemotePort;
	DWORD dwOwningPid;
	TCP_CONNECTION_OFFLOAD_STATE dwOffloadState;
} MIB_TCPROW2, *PMIB_TCPROW2;

typedef struct _MIB_TCPTABLE2 {
	DWORD dwNumEntries;
	MIB_TCPROW2 table[ANY_SIZE];
} MIB_TCPTABLE2, *PMIB_TCPTABLE2;

typedef struct _MIB_TCPROW_OWNER_PID {
	DWORD dwState;
	DWORD dwLocalAddr;
	DWORD dwLocalPort;
	DWORD dwRemoteAddr;
	DWORD dwRemotePort;
	DWORD dwOwningPid;
} MIB_TCPROW_OWNER_PID, *PMIB_TCPROW_OWNER_PID;

typedef struct _MIB_TCPTABLE_OWNER_PID {
	DWORD dwNumEntries;
	MIB_TCPROW_OWNER_PID table[ANY_SIZE];
} MIB_TCPTABLE_OWNER_PID, *PMIB_TCPTABLE_OWNER_PID;

/* 8-aligned (LARGE_INTEGER): its table has 4 bytes of padding before table[0]. */
typedef struct _MIB_TCPROW_OWNER_MODULE {
	DWORD dwState;
	DWORD dwLocalAddr;
	DWORD dwLocalPort;
	DWORD dwRemoteAddr;
	DWORD dwRemotePort;
	DWORD dwOwningPid;
	LARGE_INTEGER liCreateTimestamp; /* always 0 here: Linux keeps no bind time */
	ULONGLONG OwningModuleInfo[TCPIP_OWNING_MODULE_SIZE]; /* always 0 here (no service tags) */
} MIB_TCPROW_OWNER_MODULE, *PMIB_TCPROW_OWNER_MODULE;

typedef struct _MIB_TCPTABLE_OWNER_MODULE {
	DWORD dwNumEntries;
	MIB_TCPROW_OWNER_MODULE table[ANY_SIZE];
} MIB_TCPTABLE_OWNER_MODULE, *PMIB_TCPTABLE_OWNER_MODULE;

/* ---- IPv6 ---------------------------------------------------------------------------- */

typedef struct _MIB_TCP6ROW {
	MIB_TCP_STATE State; /* first here, unlike every other IPv6 row */
	IN6_ADDR LocalAddr;
	DWORD dwLocalScopeId;
	DWORD dwLocalPort;
	IN6_ADDR RemoteAddr;
	DWORD dwRemoteScopeId;
	DWORD dwRemotePort;
} MIB_TCP6ROW, *PMIB_TCP6ROW;

typedef struct _MIB_TCP6TABLE {
	DWORD dwNumEntries;
	MIB_TCP6ROW table[ANY_SIZE];
} MIB_TCP6TABLE, *PMIB_TCP6TABLE;

typedef struct _MIB_TCP6ROW2 {
	IN6_ADDR LocalAddr;
	DWORD dwLocalScopeId;
	DWORD dwLocalPort;
	IN6_ADDR RemoteAddr;
	DWORD dwRemoteScopeId;
	DWORD dwRemotePort;
	MIB_TCP_STATE State;
	DWORD dwOwningPid;
	TCP_CONNECTION_OFFLOAD_STATE dwOffloadState;
} MIB_TCP6ROW2, *PMIB_TCP6ROW2;

typedef struct _MIB_TCP6TABLE2 {
	DWORD dwNumEntries;
	MIB_TCP6ROW2 table[ANY_SIZE];
} MIB_TCP6TABLE2, *PMIB_TCP6TABLE2;

typedef struct _MIB_TCP6ROW_OWNER_PID {
	UCHAR ucLocalAddr[16];
	DWORD dwLocalScopeId;
	DWORD dwLocalPort;
	UCHAR ucRemoteAddr[16];
	DWORD dwRemoteScopeId;
	DWORD dwRemotePort;
	DWORD dwState;
	DWORD dwOwningPid;
} MIB_TCP6ROW_OWNER_PID, *PMIB_TCP6ROW_OWNER_PID;

typedef struct _MIB_TCP6TABLE_OWNER_PID {
	DWORD dwNumEntries;
	MIB_TCP6ROW_OWNER_PID table[ANY_SIZE];
} MIB_TCP6TABLE_OWNER_PID, *PMIB_TCP6TABLE_OWNER_PID;

typedef struct _MIB_TCP6ROW_OWNER_MODULE {
	UCHAR ucLocalAddr[16];
	DWORD dwLocalScopeId;
	DWORD dwLocalPort;
	UCHAR ucRemoteAddr[16];
	DWORD dwRemoteScopeId;
	DWORD dwRemotePort;
	DWORD dwState;
	DWORD dwOwningPid;
	LARGE_INTEGER liCreateTimestamp; /* always 0 here */
	ULONGLONG OwningModuleInfo[TCPIP_OWNING_MODULE_SIZE]; /* always 0 here */
} MIB_TCP6ROW_OWNER_MODULE, *PMIB_TCP6ROW_OWNER_MODULE;

typedef struct _MIB_TCP6TABLE_OWNER_MODULE {
	DWORD dwNumEntries;
	MIB_TCP6ROW_OWNER_MODULE table[ANY_SIZE];
} MIB_TCP6TABLE_OWNER_MODULE, *PMIB_TCP6TABLE_OWNER_MODULE;

/* Bytes for a table of X rows, with the SDK's ALIGN_SIZE of slack. (mingw-w64's
 * SIZEOF_TCP6TABLE_OWNER_MODULE uses the OWNER_PID row size, a mingw bug; this one is right.) */
#define SIZEOF_TCPTABLE(X) (FIELD_OFFSET(MIB_TCPTABLE, table[0]) + ((X) * sizeof(MIB_TCPROW)) + ALIGN_SIZE)
#define SIZEOF_TCPTABLE2(X) (FIELD_OFFSET(MIB_TCPTABLE2, table[0]) + ((X) * sizeof(MIB_TCPROW2)) + ALIGN_SIZE)
#define SIZEOF_TCPTABLE_OWNER_PID(X) (FIELD_OFFSET(MIB_TCPTABLE_OWNER_PID, table[0]) + ((X) * sizeof(MIB_TCPROW_OWNER_PID)) + ALIGN_SIZE)
#define SIZEOF_TCPTABLE_OWNER_MODULE(X) (FIELD_OFFSET(MIB_TCPTABLE_OWNER_MODULE, table[0]) + ((X) * sizeof(MIB_TCPROW_OWNER_MODULE)) + ALIGN_SIZE)
#define SIZEOF_TCP6TABLE(X) (FIELD_OFFSET(MIB_TCP6TABLE, table[0]) + ((X) * sizeof(MIB_TCP6ROW)) + ALIGN_SIZE)
#define SIZEOF_TCP6TABLE2(X) (FIELD_OFFSET(MIB_TCP6TABLE2, table[0]) + ((X) * sizeof(MIB_TCP6ROW2)) + ALIGN_SIZE)
#define SIZEOF_TCP6TABLE_OWNER_PID(X) (FIELD_OFFSET(MIB_TCP6TABLE_OWNER_PID, table[0]) + ((X) * sizeof(MIB_TCP6ROW_OWNER_PID)) + ALIGN_SIZE)
#define SIZEOF_TCP6TABLE_OWNER_MODULE(X) (FIELD_OFFSET(MIB_TCP6TABLE_OWNER_MODULE, table[0]) + ((X) * sizeof(MIB_TCP6ROW_OWNER_MODULE)) + ALIGN_SIZE)

/* ---- Statistics ---------------------------------------------------------------------- */

typedef struct _MIB_TCPSTATS_LH {
	union {
		DWORD dwRtoAlgorithm;
		TCP_RTO_ALGORITHM RtoAlgorithm;
	};
	DWORD dwRtoMin;       /* ms */
	DWORD dwRtoMax;       /* ms */
	DWORD dwMaxConn;      /* MIB_TCP_MAXCONN_DYNAMIC: no fixed limit */
	DWORD dwActiveOpens;
	DWORD dwPassiveOpens;
	DWORD dwAttemptFails;
	DWORD dwEstabResets;
	DWORD dwCurrEstab;
	DWORD dwInSegs;       /* low 32 bits of the kernel's counter */
	DWORD dwOutSegs;      /* likewise */
	DWORD dwRetransSegs;
	DWORD dwInErrs;
	DWORD dwOutRsts;
	DWORD dwNumConns;     /* connections in every state but LISTEN, IPv4 and IPv6 together */
} MIB_TCPSTATS_LH, *PMIB_TCPSTATS_LH, MIB_TCPSTATS, *PMIB_TCPSTATS;

typedef struct _MIB_TCPSTATS_W2K {
	DWORD dwRtoAlgorithm;
	DWORD dwRtoMin;
	DWORD dwRtoMax;
	DWORD dwMaxConn;
	DWORD dwActiveOpens;
	DWORD dwPassiveOpens;
	DWORD dwAttemptFails;
	DWORD dwEstabResets;
	DWORD dwCurrEstab;
	DWORD dwInSegs;
	DWORD dwOutSegs;
	DWORD dwRetransSegs;
	DWORD dwInErrs;
	DWORD dwOutRsts;
	DWORD dwNumConns;
} MIB_TCPSTATS_W2K, *PMIB_TCPSTATS_W2K;

/* Windows 10 1709+: 64-bit segment counters. 8-aligned: 4 bytes of padding before them. */
typedef struct _MIB_TCPSTATS2 {
	TCP_RTO_ALGORITHM RtoAlgorithm;
	DWORD dwRtoMin;
	DWORD dwRtoMax;
	DWORD dwMaxConn;
	DWORD dwActiveOpens;
	DWORD dwPassiveOpens;
	DWORD dwAttemptFails;
	DWORD dwEstabResets;
	DWORD dwCurrEstab;
	DWORD64 dw64InSegs;
	DWORD64 dw64OutSegs;
	DWORD dwRetransSegs;
	DWORD dwInErrs;
	DWORD dwOutRsts;
	DWORD dwNumConns;
} MIB_TCPSTATS2, *PMIB_TCPSTATS2;

#ifdef __cplusplus
}
#endif

#endif
