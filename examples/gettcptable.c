/*
 * gettcptable - the IPv4 TCP table, MSDN style: start with sizeof(MIB_TCPTABLE), grow on
 * ERROR_INSUFFICIENT_BUFFER, print each row with inet_ntoa() and ntohs().
 *
 * Build: cc gettcptable.c $(pkg-config --cflags --libs iphlpapi)
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

static const char *state_name(DWORD state)
{
	switch (state) {
	case MIB_TCP_STATE_CLOSED: return "CLOSED";
	case MIB_TCP_STATE_LISTEN: return "LISTEN";
	case MIB_TCP_STATE_SYN_SENT: return "SYN-SENT";
	case MIB_TCP_STATE_SYN_RCVD: return "SYN-RECEIVED";
	case MIB_TCP_STATE_ESTAB: return "ESTABLISHED";
	case MIB_TCP_STATE_FIN_WAIT1: return "FIN-WAIT-1";
	case MIB_TCP_STATE_FIN_WAIT2: return "FIN-WAIT-2";
	case MIB_TCP_STATE_CLOSE_WAIT: return "CLOSE-WAIT";
	case MIB_TCP_STATE_CLOSING: return "CLOSING";
	case MIB_TCP_STATE_LAST_ACK: return "LAST-ACK";
	case MIB_TCP_STATE_TIME_WAIT: return "TIME-WAIT";
	case MIB_TCP_STATE_DELETE_TCB: return "DELETE-TCB";
	default: return "UNKNOWN";
	}
}

int main(void)
{
	PMIB_TCPTABLE pTcpTable;
	ULONG ulSize = sizeof(MIB_TCPTABLE);
	DWORD dwRetVal;
	char szLocalAddr[128], szRemoteAddr[128];
	struct in_addr IpAddr;

	pTcpTable = (MIB_TCPTABLE *)MALLOC(sizeof(MIB_TCPTABLE));
	if (pTcpTable == NULL) {
		printf("Error allocating memory\n");
		return 1;
	}
	/* The first call may fail with ERROR_INSUFFICIENT_BUFFER and the size needed. */
	if ((dwRetVal = GetTcpTable(pTcpTable, &ulSize, TRUE)) == ERROR_INSUFFICIENT_BUFFER) {
		FREE(pTcpTable);
		pTcpTable = (MIB_TCPTABLE *)MALLOC(ulSize);
		if (pTcpTable == NULL) {
			printf("Error allocating memory\n");
			return 1;
		}
	}
	if ((dwRetVal = GetTcpTable(pTcpTable, &ulSize, TRUE)) != NO_ERROR) {
		printf("\tGetTcpTable failed with %u\n", dwRetVal);
		FREE(pTcpTable);
		return 1;
	}
	printf("Number of entries: %d\n", (int)pTcpTable->dwNumEntries);
	for (int i = 0; i < (int)pTcpTable->dwNumEntries; i++) {
		IpAddr.S_un.S_addr = (u_long)pTcpTable->table[i].dwLocalAddr;
		strcpy_s(szLocalAddr, sizeof(szLocalAddr), inet_ntoa(IpAddr));
		IpAddr.S_un.S_addr = (u_long)pTcpTable->table[i].dwRemoteAddr;
		strcpy_s(szRemoteAddr, sizeof(szRemoteAddr), inet_ntoa(IpAddr));
		printf("TCP[%d] %s %s:%d %s:%d\n", i, state_name(pTcpTable->table[i].dwState),
		       szLocalAddr, ntohs((u_short)pTcpTable->table[i].dwLocalPort), szRemoteAddr,
		       ntohs((u_short)pTcpTable->table[i].dwRemotePort));
	}
	FREE(pTcpTable);
	return 0;
}
