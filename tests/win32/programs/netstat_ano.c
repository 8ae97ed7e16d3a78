/*
 * netstat_ano - "netstat -ano" for TCP, as a Windows C program writes it: the MSDN two-call
 * pattern on GetExtendedTcpTable(TCP_TABLE_OWNER_PID_ALL) for IPv4 and IPv6, HeapAlloc, and
 * InetNtop. Mixed-case SDK header names.
 */
#include <WinSock2.h>
#include <WS2tcpip.h>
#include <IPHlpApi.h>
#include <stdio.h>

#pragma comment(lib, "iphlpapi.lib")
#pragma comment(lib, "ws2_32.lib")

#define MALLOC(x) HeapAlloc(GetProcessHeap(), 0, (x))
#define FREE(x) HeapFree(GetProcessHeap(), 0, (x))

static const char *StateName(DWORD dwState)
{
	switch (dwState) {
	case MIB_TCP_STATE_CLOSED: return "CLOSED";
	case MIB_TCP_STATE_LISTEN: return "LISTENING";
	case MIB_TCP_STATE_SYN_SENT: return "SYN_SENT";
	case MIB_TCP_STATE_SYN_RCVD: return "SYN_RECEIVED";
	case MIB_TCP_STATE_ESTAB: return "ESTABLISHED";
	case MIB_TCP_STATE_FIN_WAIT1: return "FIN_WAIT_1";
	case MIB_TCP_STATE_FIN_WAIT2: return "FIN_WAIT_2";
	case MIB_TCP_STATE_CLOSE_WAIT: return "CLOSE_WAIT";
	case MIB_TCP_STATE_CLOSING: return "CLOSING";
	case MIB_TCP_STATE_LAST_ACK: return "LAST_ACK";
	case MIB_TCP_STATE_TIME_WAIT: return "TIME_WAIT";
	case MIB_TCP_STATE_DELETE_TCB: return "DELETE_TCB";
	default: return "UNKNOWN";
	}
}

/* The table of FAMILY, or NULL (the error printed). */
static PVOID GetTable(ULONG family)
{
	DWORD dwSize = 0;
	PVOID pTable = NULL;
	DWORD dwRetVal = GetExtendedTcpTable(NULL, &dwSize, TRUE, family, TCP_TABLE_OWNER_PID_ALL, 0);
	while (dwRetVal == ERROR_INSUFFICIENT_BUFFER) {
		if (pTable)
			FREE(pTable);
		pTable = MALLOC(dwSize);
		if (pTable == NULL) {
			printf("Error allocating memory\n");
			return NULL;
		}
		dwRetVal = GetExtendedTcpTable(pTable, &dwSize, TRUE, family, TCP_TABLE_OWNER_PID_ALL, 0);
	}
	if (dwRetVal != NO_ERROR) {
		printf("GetExtendedTcpTable failed with %u\n", (unsigned)dwRetVal);
		if (pTable)
			FREE(pTable);
		return NULL;
	}
	return pTable;
}

int main(void)
{
	WSADATA wsaData;
	if (WSAStartup(MAKEWORD(2, 2), &wsaData) != 0)
		return 1;
	char szLocal[INET6_ADDRSTRLEN], szRemote[INET6_ADDRSTRLEN];
	char szLocalEp[INET6_ADDRSTRLEN + 8], szRemoteEp[INET6_ADDRSTRLEN + 8];

	PMIB_TCPTABLE_OWNER_PID pTcp = (PMIB_TCPTABLE_OWNER_PID)GetTable(AF_INET);
	if (pTcp == NULL)
		return 1;
	for (DWORD i = 0; i < pTcp->dwNumEntries; i++) {
		MIB_TCPROW_OWNER_PID *row = &pTcp->table[i];
		struct in_addr a;
		a.S_un.S_addr = row->dwLocalAddr;
		InetNtopA(AF_INET, &a, szLocal, sizeof(szLocal));
		a.S_un.S_addr = row->dwRemoteAddr;
		InetNtopA(AF_INET, &a, szRemote, sizeof(szRemote));
		sprintf_s(szLocalEp, sizeof(szLocalEp), "%s:%d", szLocal, ntohs((u_short)row->dwLocalPort));
		sprintf_s(szRemoteEp, sizeof(szRemoteEp), "%s:%d", szRemote,
			  ntohs((u_short)row->dwRemotePort));
		printf("  TCP    %-22s %-22s %-16s %u\n", szLocalEp, szRemoteEp, StateName(row->dwState),
		       (unsigned)row->dwOwningPid);
	}
	FREE(pTcp);

	PMIB_TCP6TABLE_OWNER_PID pTcp6 = (PMIB_TCP6TABLE_OWNER_PID)GetTable(AF_INET6);
	if (pTcp6 == NULL)
		return 1;
	for (DWORD i = 0; i < pTcp6->dwNumEntries; i++) {
		MIB_TCP6ROW_OWNER_PID *row = &pTcp6->table[i];
		InetNtopA(AF_INET6, row->ucLocalAddr, szLocal, sizeof(szLocal));
		InetNtopA(AF_INET6, row->ucRemoteAddr, szRemote, sizeof(szRemote));
		sprintf_s(szLocalEp, sizeof(szLocalEp), "[%s]:%d", szLocal, ntohs((u_short)row->dwLocalPort));
		sprintf_s(szRemoteEp, sizeof(szRemoteEp), "[%s]:%d", szRemote,
			  ntohs((u_short)row->dwRemotePort));
		printf("  TCP    %-22s %-22s %-16s %u\n", szLocalEp, szRemoteEp, StateName(row->dwState),
		       (unsigned)row->dwOwningPid);
	}
	FREE(pTcp6);
	WSACleanup();
	return 0;
}
