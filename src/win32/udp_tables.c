/* udp_tables.c - GetUdpTable, GetUdp6Table, GetExtendedUdpTable: each picks a UDP shape;
 * table_negotiate() does the rest, as for the TCP tables. */
#include "family.h"
#include "rows.h"
#include "table.h"

#define UDP TCPT_PROTO_UDP
#define OFF(type) offsetof(type, table)

/* Every UDP socket: unconnected (CLOSE) and connected (ESTABLISHED) alike. */
#define UDP_SHAPE(fam, pid, tbl, row, f)                                                     \
	{ .protocols = UDP, .family = (fam), .states = TABLE_STATES_ALL, .want_pid = (pid),  \
	  .header = OFF(tbl), .row_size = sizeof(row), .fill = (f) }

const struct table_shape shape_udptable =
	UDP_SHAPE(TCPT_FAMILY_IPV4, false, MIB_UDPTABLE, MIB_UDPROW, rows_fill_udp_basic4);
const struct table_shape shape_udp6table =
	UDP_SHAPE(TCPT_FAMILY_IPV6, false, MIB_UDP6TABLE, MIB_UDP6ROW, rows_fill_udp_basic6);

static const struct table_shape owner4[2] = {
	UDP_SHAPE(TCPT_FAMILY_IPV4, true, MIB_UDPTABLE_OWNER_PID, MIB_UDPROW_OWNER_PID,
		  rows_fill_udp_pid4),
	UDP_SHAPE(TCPT_FAMILY_IPV4, true, MIB_UDPTABLE_OWNER_MODULE, MIB_UDPROW_OWNER_MODULE,
		  rows_fill_udp_module4),
};
static const struct table_shape owner6[2] = {
	UDP_SHAPE(TCPT_FAMILY_IPV6, true, MIB_UDP6TABLE_OWNER_PID, MIB_UDP6ROW_OWNER_PID,
		  rows_fill_udp_pid6),
	UDP_SHAPE(TCPT_FAMILY_IPV6, true, MIB_UDP6TABLE_OWNER_MODULE, MIB_UDP6ROW_OWNER_MODULE,
		  rows_fill_udp_module6),
};

const struct table_shape *const shape_extended_udp[2][3] = {
	{ &shape_udptable, &owner4[0], &owner4[1] },
	{ &shape_udp6table, &owner6[0], &owner6[1] },
};

ULONG WINAPI GetUdpTable(PMIB_UDPTABLE UdpTable, PULONG SizePointer, BOOL Order)
{
	return table_negotiate(&shape_udptable, UdpTable, SizePointer, Order);
}

ULONG WINAPI GetUdp6Table(PMIB_UDP6TABLE Udp6Table, PULONG SizePointer, BOOL Order)
{
	return table_negotiate(&shape_udp6table, Udp6Table, SizePointer, Order);
}

DWORD WINAPI GetExtendedUdpTable(PVOID pUdpTable, PDWORD pdwSize, BOOL bOrder, ULONG ulAf,
				 UDP_TABLE_CLASS TableClass, ULONG Reserved)
{
	(void)Reserved; /* "must be zero"; ignored, as by GetExtendedTcpTable() */
	enum family_kind fam = family_classify(ulAf);
	if (fam == FAMILY_BAD || !pdwSize)
		return ERROR_INVALID_PARAMETER;
	if ((unsigned)TableClass > UDP_TABLE_OWNER_MODULE)
		return ERROR_INVALID_PARAMETER;
	return table_negotiate(shape_extended_udp[fam == FAMILY_V6][TableClass], pUdpTable,
			       pdwSize, bOrder);
}
