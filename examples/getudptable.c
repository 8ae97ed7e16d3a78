/*
 * getudptable - the UDP tables, MSDN style: GetUdpTable() (IPv4) then GetUdp6Table() (IPv6),
 * each starting with the size of an empty table and growing on ERROR_INSUFFICIENT_BUFFER;
 * each row's local endpoint printed with inet_ntoa() / InetNtopA() and ntohs().
 *
 * Build: cc getudptable.c $(pkg-config --cflags --libs iphlpapi)
 */
#include <winsock2.h>
#include <ws2tcpip.h>
#include <iphlpapi.h>
#include <stdio.h>
#include <stdlib.h>

#pragma comment(lib, "iphlpapi.lib")
#pragma comment(lib, "ws2_32.lib")

#define MALLOC(x) HeapAlloc(GetProcessHeap(), 0, (x))
#define FREE(x) HeapFree(GetProcessHeap(), 0, (x))

static int print_ipv4(void)
{
	PMIB_UDPTABLE pUdpTable;
	ULONG ulSize = sizeof(MIB_UDPTABLE);
	DWORD dwRetVal;
	struct in_addr IpAddr;

	pUdpTable = (MIB_UDPTABLE *)MALLOC(sizeof(MIB_UDPTABLE));
	if (pUdpTable == NULL) {
		printf("Error allocating memory\n");
		return 1;
	}
	if ((dwRetVal = GetUdpTable(pUdpTable, &ulSize, TRUE)) == ERROR_INSUFFICIENT_BUFFER) {
		FREE(pUdpTable);
		pUdpTable = (MIB_UDPTABLE *)MALLOC(ulSize);
		if (pUdpTable == NULL) {
			printf("Error allocating memory\n");
			return 1;
		}
		dwRetVal = GetUdpTable(pUdpTable, &ulSize, TRUE);
	}
	if (dwRetVal != NO_ERROR) {
		printf("\tGetUdpTable failed with %u\n", dwRetVal);
		FREE(pUdpTable);
		return 1;
	}
	printf("Number of IPv4 entries: %d\n", (int)pUdpTable->dwNumEntries);
	for (int i = 0; i < (int)pUdpTable->dwNumEntries; i++) {
		IpAddr.S_un.S_addr = (u_long)pUdpTable->table[i].dwLocalAddr;
		printf("UDP[%d] %s:%d\n", i, inet_ntoa(IpAddr),
		       ntohs((u_short)pUdpTable->table[i].dwLocalPort));
	}
	FREE(pUdpTable);
	return 0;
}

static int print_ipv6(void)
{
	PMIB_UDP6TABLE pUdp6Table;
	ULONG ulSize = sizeof(MIB_UDP6TABLE);
	DWORD dwRetVal;
	char szAddr[INET6_ADDRSTRLEN];

	pUdp6Table = (MIB_UDP6TABLE *)MALLOC(sizeof(MIB_UDP6TABLE));
	if (pUdp6Table == NULL) {
		printf("Error allocating memory\n");
		return 1;
	}
	if ((dwRetVal = GetUdp6Table(pUdp6Table, &ulSize, TRUE)) == ERROR_INSUFFICIENT_BUFFER) {
		FREE(pUdp6Table);
		pUdp6Table = (MIB_UDP6TABLE *)MALLOC(ulSize);
		if (pUdp6Table == NULL) {
			printf("Error allocating memory\n");
			return 1;
		}
		dwRetVal = GetUdp6Table(pUdp6Table, &ulSize, TRUE);
	}
	if (dwRetVal != NO_ERROR) {
		printf("\tGetUdp6Table failed with %u\n", dwRetVal);
		FREE(pUdp6Table);
		return 1;
	}
	printf("Number of IPv6 entries: %d\n", (int)pUdp6Table->dwNumEntries);
	for (int i = 0; i < (int)pUdp6Table->dwNumEntries; i++) {
		if (InetNtopA(AF_INET6, &pUdp6Table->table[i].dwLocalAddr, szAddr,
			      sizeof(szAddr)) == NULL)
			strcpy_s(szAddr, sizeof(szAddr), "?");
		printf("UDP6[%d] [%s]:%d scope %u\n", i, szAddr,
		       ntohs((u_short)pUdp6Table->table[i].dwLocalPort),
		       (unsigned)pUdp6Table->table[i].dwLocalScopeId);
	}
	FREE(pUdp6Table);
	return 0;
}

int main(void)
{
	int r = print_ipv4();
	return r ? r : print_ipv6();
}
