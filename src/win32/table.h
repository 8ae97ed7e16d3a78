/* table.h - the shapes of the Windows TCP and UDP tables and the one function that
 * negotiates them. */
#ifndef TCPT_WIN32_TABLE_H
#define TCPT_WIN32_TABLE_H

#include <stdbool.h>
#include <stddef.h>

#include <iphlpapi.h>

#include "tcptable.h"

/* One Windows table type: which sockets, and how each becomes a row. */
struct table_shape {
	unsigned protocols;  /* TCPT_PROTO_TCP or TCPT_PROTO_UDP; 0 means TCP */
	unsigned family;     /* TCPT_FAMILY_IPV4 or TCPT_FAMILY_IPV6 */
	uint32_t states;     /* TCPT_STATE_BIT() mask */
	bool want_pid;       /* rows carry dwOwningPid: the owner scan is needed */
	size_t header;       /* FIELD_OFFSET(table type, table[0]): 4, or 8 for OWNER_MODULE */
	size_t row_size;
	void (*fill)(void *dst, const struct tcpt_conn *c);
};

/* State masks of the table classes. CONNECTIONS is every state but LISTEN (see iprtrmib.h). */
#define TABLE_STATES_ALL TCPT_STATES_ALL
#define TABLE_STATES_LISTENER TCPT_STATE_BIT(TCPT_LISTEN)
#define TABLE_STATES_CONNECTIONS (TCPT_STATES_ALL & ~TCPT_STATE_BIT(TCPT_LISTEN))

/* A whole Windows table, built in memory before anything reaches the caller. */
struct table_image {
	unsigned char *bytes; /* calloc'ed: padding is zero */
	size_t len;
};

/* The bytes of SHAPE's table of N rows, or 0 when a ULONG cannot describe them. */
size_t table_bytes_needed(const struct table_shape *shape, size_t n);

/*
 * Take a snapshot and build SHAPE's table from it, sorted when ORDER. Returns NO_ERROR and
 * *ret (free with table_image_free()), ERROR_INSUFFICIENT_BUFFER for a table larger than a
 * ULONG can describe, ERROR_NOT_ENOUGH_MEMORY, or the Win32 mapping of the snapshot's error;
 * *ret untouched on failure.
 */
DWORD table_image_build(const struct table_shape *shape, bool order, struct table_image *ret);

/* Release an image's memory; the image is empty afterwards. */
void table_image_free(struct table_image *img);

/*
 * The two-call contract of every table function (see iphlpapi.h), for SHAPE: SIZE NULL ->
 * ERROR_INVALID_PARAMETER; TABLE NULL or *SIZE short -> ERROR_INSUFFICIENT_BUFFER with *SIZE
 * the bytes needed (the measured table is kept for this thread, see table_cache_*), or
 * 0xFFFFFFFF when the table is larger than a ULONG can describe (no buffer will do); else the
 * table copied into TABLE, *SIZE = its length, NO_ERROR. Never writes TABLE past *SIZE, and
 * writes nothing to TABLE unless it returns NO_ERROR.
 */
DWORD table_negotiate(const struct table_shape *shape, void *table, ULONG *size, BOOL order);

/* The per-thread kept table. Take: if the calling thread kept a table for (SHAPE, ORDER) less
 * than a second ago, in the network namespace it is in now, move it into *ret and return
 * true; otherwise discard whatever was kept and return false. Keep: hand IMG over to the thread's slot (replacing its content). */
bool table_cache_take(const struct table_shape *shape, bool order, struct table_image *ret);
void table_cache_keep(const struct table_shape *shape, bool order, struct table_image *img);

/* The shapes. */
extern const struct table_shape shape_tcptable, shape_tcptable2, shape_tcp6table,
	shape_tcp6table2;
/* GetExtendedTcpTable's: [IPv6?][class 0..8]; NULL where the class is not supported. */
extern const struct table_shape *const shape_extended[2][9];
/* The UDP tables: GetUdpTable's, GetUdp6Table's, and GetExtendedUdpTable's [IPv6?][class]. */
extern const struct table_shape shape_udptable, shape_udp6table;
extern const struct table_shape *const shape_extended_udp[2][3];

#endif
