/*
 * getextendedudptable - every UDP endpoint with its owning process, as netstat -anop or
 * TCPView list them: GetExtendedUdpTable(UDP_TABLE_OWNER_PID) for AF_INET and AF_INET6,
 * asking the size first (a NULL table), allocating, and calling again.
 *
 * Build: cc getextendedudptable.c $(pkg-config --cflags --libs iphlpapi)
 */
#include <winsock2.h>
#include <ws2tcpip.h>
#include <iphlpapi.h>
#include <stdio.h>
#include <stdlib.h>

#pragma comment(lib, "iphlpapi.lib")
#pragma comment(lib, "ws2_32.lib")

/* The table of FAMILY in the caller's heap, or NULL after printing why. */
static void *get_table(ULONG family)
{
	DWORD dwSize = 0;
	void *table = NULL;
	DWORD dwRetVal;
	/* the table may grow between the two calls: try a few times */
	for (int attempt = 0; attempt < 5; attempt++) {
		dwRetVal = GetExtendedUdpTable(table, &dwSize, TRUE, family, UDP_TABLE_OWNER_PID, 0);
		if (dwRetVal != ERROR_INSUFFICIENT_BUFFER)
			break;
		free(table);
		table = malloc(dwSize);
		if (table == NULL) {
			printf("Error allocating %u bytes\n", (unsigned)dwSize);
			return NULL;
		}
	}
	if (dwRetVal != NO_ERROR) {
		printf("GetExtendedUdpTable(%u) failed with %u\n", (unsigned)family, dwRetVal);
		free(table);
		return NULL;
	}
	return table;
}

int main(void)
{
	char addr[INET6_ADDRSTRLEN];
	PMIB_UDPTABLE_OWNER_PID t4 = get_table(AF_INET);
	if (t4 == NULL)
		return 1;
	printf("Proto  Local Address                    PID\n");
	for (DWORD i = 0; i < t4->dwNumEntries; i++) {
		const MIB_UDPROW_OWNER_PID *r = &t4->table[i];
		InetNtopA(AF_INET, &r->dwLocalAddr, addr, sizeof(addr));
		printf("UDP    %s:%u %u\n", addr, ntohs((u_short)r->dwLocalPort),
		       (unsigned)r->dwOwningPid);
	}
	free(t4);
	PMIB_UDP6TABLE_OWNER_PID t6 = get_table(AF_INET6);
	if (t6 == NULL)
		return 1;
	for (DWORD i = 0; i < t6->dwNumEntries; i++) {
		const MIB_UDP6ROW_OWNER_PID *r = &t6->table[i];
		InetNtopA(AF_INET6, r->ucLocalAddr, addr, sizeof(addr));
		printf("UDPv6  [%s]:%u %u\n", addr, ntohs((u_short)r->dwLocalPort),
		       (unsigned)r->dwOwningPid);
	}
	free(t6);
	return 0;
}
