/* tables.c - GetTcpTable, GetTcpTable2, GetTcp6Table(2), GetExtendedTcpTable: each picks a
 * shape; table_negotiate() does the rest. */
#include "family.h"
#include "table.h"

ULONG WINAPI GetTcpTable(PMIB_TCPTABLE TcpTable, PULONG SizePointer, BOOL Order)
{
	return table_negotiate(&shape_tcptable, TcpTable, SizePointer, Order);
}

ULONG WINAPI GetTcpTable2(PMIB_TCPTABLE2 TcpTable, PULONG SizePointer, BOOL Order)
{
	return table_negotiate(&shape_tcptable2, TcpTable, SizePointer, Order);
}

ULONG WINAPI GetTcp6Table(PMIB_TCP6TABLE TcpTable, PULONG SizePointer, BOOL Order)
{
	return table_negotiate(&shape_tcp6table, TcpTable, SizePointer, Order);
}

ULONG WINAPI GetTcp6Table2(PMIB_TCP6TABLE2 TcpTable, PULONG SizePointer, BOOL Order)
{
	return table_negotiate(&shape_tcp6table2, TcpTable, SizePointer, Order);
}

DWORD WINAPI GetExtendedTcpTable(PVOID pTcpTable, PDWORD pdwSize, BOOL bOrder, ULONG ulAf,
				 TCP_TABLE_CLASS TableClass, ULONG Reserved)
{
	(void)Reserved; /* "must be zero"; Windows' reaction to other values is unknown: ignored */
	enum family_kind fam = family_classify(ulAf);
	if (fam == FAMILY_BAD || !pdwSize)
		return ERROR_INVALID_PARAMETER;
	if ((unsigned)TableClass > TCP_TABLE_OWNER_MODULE_ALL)
		return ERROR_INVALID_PARAMETER;
	const struct table_shape *s = shape_extended[fam == FAMILY_V6][TableClass];
	if (!s)
		return ERROR_NOT_SUPPORTED;
	return table_negotiate(s, pTcpTable, pdwSize, bOrder);
}
