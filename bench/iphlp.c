/*
 * iphlp - the IP Helper layer measured as a Windows program uses it: ask the size, allocate,
 * ask again, sorted.
 *
 * usage: iphlp table|table2|extended
 *   table     GetTcpTable(sorted)
 *   table2    GetTcpTable2(sorted): with owning pids
 *   extended  GetExtendedTcpTable(AF_INET, TCP_TABLE_OWNER_PID_ALL, sorted)
 * All are IPv4 tables. Prints: rows=N pids=N (pids: rows with a non-zero owning pid).
 */
#include <iphlpapi.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum which { TABLE, TABLE2, EXTENDED };

static ULONG call(enum which w, void *buf, ULONG *size)
{
	switch (w) {
	case TABLE:
		return GetTcpTable(buf, size, TRUE);
	case TABLE2:
		return GetTcpTable2(buf, size, TRUE);
	default:
		return GetExtendedTcpTable(buf, size, TRUE, AF_INET, TCP_TABLE_OWNER_PID_ALL, 0);
	}
}

/* Rows with an owner; MIB_TCPTABLE has no pid column. */
static size_t count_pids(enum which w, const void *buf)
{
	size_t n = 0;
	if (w == TABLE2) {
		const MIB_TCPTABLE2 *t = buf;
		for (DWORD i = 0; i < t->dwNumEntries; i++)
			n += t->table[i].dwOwningPid != 0;
	} else if (w == EXTENDED) {
		const MIB_TCPTABLE_OWNER_PID *t = buf;
		for (DWORD i = 0; i < t->dwNumEntries; i++)
			n += t->table[i].dwOwningPid != 0;
	}
	return n;
}

/* The two-call pattern, retried a few times in case the table grows in between. */
static ULONG take(enum which w, void **ret_buf)
{
	ULONG size = 0, r = call(w, NULL, &size);
	void *buf = NULL;
	for (int tries = 0; r == ERROR_INSUFFICIENT_BUFFER && tries < 5; tries++) {
		free(buf);
		buf = malloc(size);
		if (!buf)
			return ERROR_NOT_ENOUGH_MEMORY;
		r = call(w, buf, &size);
	}
	*ret_buf = buf;
	return r;
}

int main(int argc, char **argv)
{
	static const char *const names[] = {"table", "table2", "extended"};
	int w = -1;
	for (int i = 0; argc == 2 && i < 3; i++)
		if (strcmp(argv[1], names[i]) == 0)
			w = i;
	if (w < 0)
		return fprintf(stderr, "usage: iphlp table|table2|extended\n"), 2;
	void *buf = NULL;
	ULONG r = take((enum which)w, &buf);
	if (r != NO_ERROR) {
		fprintf(stderr, "iphlp: %s: error %lu\n", argv[1], (unsigned long)r);
		free(buf);
		return 1;
	}
	printf("rows=%lu pids=%zu\n", (unsigned long)((MIB_TCPTABLE *)buf)->dwNumEntries,
	       count_pids((enum which)w, buf));
	free(buf);
	return 0;
}
