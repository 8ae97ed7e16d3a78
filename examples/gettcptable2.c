/*
 * gettcptable2 - IPv4 connections with owning process and offload state, MSDN style:
 * HeapAlloc, the two-call pattern, FormatMessage on error.
 *
 * Build: cc gettcptable2.c $(pkg-config --cflags --libs iphlpapi)
 */
#include <winsock2.h>
#include <ws2tcpip.h>
#include <iphlpapi.h>
#include <stdio.h>

#pragma comment(lib, "iphlpapi.lib")

#define MALLOC(x) HeapAlloc(GetProcessHeap(), 0, (x))
#define FREE(x) HeapFree(GetProcessHeap(), 0, (x))

static const char *state_name(DWORD state)
{
	static const char *const names[] = { "UNKNOWN", "CLOSED", "LISTEN", "SYN-SENT",
		"SYN-RECEIVED", "ESTABLISHED", "FIN-WAIT-1", "FIN-WAIT-2", "CLOSE-WAIT", "CLOSING",
		"LAST-ACK", "TIME-WAIT", "DELETE-TCB" };
	return state < _countof(names) ? names[state] : "UNKNOWN";
}

static const char *offload_name(TCP_CONNECTION_OFFLOAD_STATE s)
{
	switch (s) {
	case TcpConnectionOffloadStateInHost: return "InHost";
	case TcpConnectionOffloadStateOffloading: return "Offloading";
	case TcpConnectionOffloadStateOffloaded: return "Offloaded";
	case TcpConnectionOffloadStateUploading: return "Uploading";
	default: return "Unknown";
	}
}

static void print_error(const char *what, DWORD err)
{
	LPSTR lpMsgBuf = NULL;
	if (FormatMessage(FORMAT_MESSAGE_ALLOCATE_BUFFER | FORMAT_MESSAGE_FROM_SYSTEM |
				  FORMAT_MESSAGE_IGNORE_INSERTS,
			  NULL, err, MAKELANGID(LANG_NEUTRAL, SUBLANG_DEFAULT), (LPTSTR)&lpMsgBuf, 0,
			  NULL)) {
		printf("\t%s failed with error %u: %s", what, err, lpMsgBuf);
		LocalFree(lpMsgBuf);
	} else {
		printf("\t%s failed with error %u\n", what, err);
	}
}

int main(void)
{
	WSADATA wsaData;
	PMIB_TCPTABLE2 pTcpTable;
	ULONG ulSize = 0;
	DWORD dwRetVal;
	char szLocalAddr[INET_ADDRSTRLEN], szRemoteAddr[INET_ADDRSTRLEN];

	if (WSAStartup(MAKEWORD(2, 2), &wsaData) != 0)
		return 1;
	pTcpTable = (MIB_TCPTABLE2 *)MALLOC(sizeof(MIB_TCPTABLE2));
	ulSize = sizeof(MIB_TCPTABLE2);
	while ((dwRetVal = GetTcpTable2(pTcpTable, &ulSize, TRUE)) == ERROR_INSUFFICIENT_BUFFER) {
		FREE(pTcpTable);
		pTcpTable = (MIB_TCPTABLE2 *)MALLOC(ulSize);
		if (pTcpTable == NULL) {
			printf("Error allocating memory\n");
			return 1;
		}
	}
	if (dwRetVal != NO_ERROR) {
		print_error("GetTcpTable2", dwRetVal);
		FREE(pTcpTable);
		return 1;
	}
	printf("Number of entries: %d\n", (int)pTcpTable->dwNumEntries);
	for (DWORD i = 0; i < pTcpTable->dwNumEntries; i++) {
		MIB_TCPROW2 *row = &pTcpTable->table[i];
		InetNtop(AF_INET, &row->dwLocalAddr, szLocalAddr, sizeof(szLocalAddr));
		InetNtop(AF_INET, &row->dwRemoteAddr, szRemoteAddr, sizeof(szRemoteAddr));
		printf("TCP[%u] %s %s:%u %s:%u pid=%u offload=%s\n", i, state_name(row->dwState),
		       szLocalAddr, ntohs((u_short)row->dwLocalPort), szRemoteAddr,
		       ntohs((u_short)row->dwRemotePort), row->dwOwningPid,
		       offload_name(row->dwOffloadState));
	}
	FREE(pTcpTable);
	/* An error path, to show FormatMessage's text: a NULL size pointer. */
	print_error("GetTcpTable2(NULL size)", GetTcpTable2(NULL, NULL, TRUE));
	WSACleanup();
	return 0;
}
