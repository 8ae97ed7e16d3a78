/*
 * gettcptable_fmt - the MSDN GetTcpTable2/GetTcp6Table2 samples merged into one tool:
 * <winsock2.h> and <windows.h>, HeapAlloc, strcpy_s/sprintf_s, inet_ntoa for IPv4
 * (S_un.S_addr), RtlIpv6AddressToString, FormatMessageA for errors.
 */
#include <winsock2.h>
#include <ws2tcpip.h>
#include <windows.h>
#include <iphlpapi.h>
#include <mstcpip.h>
#include <stdio.h>

#pragma comment(lib, "iphlpapi.lib")
#pragma comment(lib, "ws2_32.lib")

static void ShowError(const char *fn, DWORD dwRetVal)
{
	LPSTR lpMsgBuf = NULL;
	if (FormatMessageA(FORMAT_MESSAGE_ALLOCATE_BUFFER | FORMAT_MESSAGE_FROM_SYSTEM |
				   FORMAT_MESSAGE_IGNORE_INSERTS,
			   NULL, dwRetVal, MAKELANGID(LANG_NEUTRAL, SUBLANG_DEFAULT), (LPSTR)&lpMsgBuf,
			   0, NULL)) {
		printf("\t%s failed with error: %s", fn, lpMsgBuf);
		LocalFree(lpMsgBuf);
	}
}

static const char *StateText(DWORD s)
{
	static const char *t[] = { "UNKNOWN", "CLOSED", "LISTENING", "SYN_SENT", "SYN_RECEIVED",
		"ESTABLISHED", "FIN_WAIT_1", "FIN_WAIT_2", "CLOSE_WAIT", "CLOSING", "LAST_ACK",
		"TIME_WAIT", "DELETE_TCB" };
	return s < 13 ? t[s] : t[0];
}

int main(void)
{
	ULONG ulSize = sizeof(MIB_TCPTABLE2);
	PMIB_TCPTABLE2 pTcpTable = (MIB_TCPTABLE2 *)HeapAlloc(GetProcessHeap(), 0, ulSize);
	DWORD dwRetVal;
	char szLocalAddr[128], szRemoteAddr[128], szL[160], szR[160];
	struct in_addr IpAddr;

	if ((dwRetVal = GetTcpTable2(pTcpTable, &ulSize, TRUE)) == ERROR_INSUFFICIENT_BUFFER) {
		HeapFree(GetProcessHeap(), 0, pTcpTable);
		pTcpTable = (MIB_TCPTABLE2 *)HeapAlloc(GetProcessHeap(), 0, ulSize);
		dwRetVal = GetTcpTable2(pTcpTable, &ulSize, TRUE);
	}
	if (dwRetVal != NO_ERROR) {
		ShowError("GetTcpTable2", dwRetVal);
		return 1;
	}
	for (int i = 0; i < (int)pTcpTable->dwNumEntries; i++) {
		IpAddr.S_un.S_addr = (u_long)pTcpTable->table[i].dwLocalAddr;
		strcpy_s(szLocalAddr, sizeof(szLocalAddr), inet_ntoa(IpAddr));
		IpAddr.S_un.S_addr = (u_long)pTcpTable->table[i].dwRemoteAddr;
		strcpy_s(szRemoteAddr, sizeof(szRemoteAddr), inet_ntoa(IpAddr));
		sprintf_s(szL, sizeof(szL), "%s:%d", szLocalAddr, ntohs((u_short)pTcpTable->table[i].dwLocalPort));
		sprintf_s(szR, sizeof(szR), "%s:%d", szRemoteAddr, ntohs((u_short)pTcpTable->table[i].dwRemotePort));
		printf("TCP %s %s %s %d\n", szL, szR, StateText(pTcpTable->table[i].dwState),
		       (int)pTcpTable->table[i].dwOwningPid);
	}
	HeapFree(GetProcessHeap(), 0, pTcpTable);

	ulSize = 0;
	PMIB_TCP6TABLE2 pTcp6Table = NULL;
	while ((dwRetVal = GetTcp6Table2(pTcp6Table, &ulSize, TRUE)) == ERROR_INSUFFICIENT_BUFFER) {
		if (pTcp6Table)
			HeapFree(GetProcessHeap(), 0, pTcp6Table);
		pTcp6Table = (MIB_TCP6TABLE2 *)HeapAlloc(GetProcessHeap(), 0, ulSize);
	}
	if (dwRetVal != NO_ERROR) {
		ShowError("GetTcp6Table2", dwRetVal);
		return 1;
	}
	for (int i = 0; i < (int)pTcp6Table->dwNumEntries; i++) {
		RtlIpv6AddressToStringA(&pTcp6Table->table[i].LocalAddr, szLocalAddr);
		RtlIpv6AddressToStringA(&pTcp6Table->table[i].RemoteAddr, szRemoteAddr);
		printf("TCP [%s]:%d [%s]:%d %s %d\n", szLocalAddr,
		       ntohs((u_short)pTcp6Table->table[i].dwLocalPort), szRemoteAddr,
		       ntohs((u_short)pTcp6Table->table[i].dwRemotePort),
		       StateText(pTcp6Table->table[i].State), (int)pTcp6Table->table[i].dwOwningPid);
	}
	HeapFree(GetProcessHeap(), 0, pTcp6Table);
	return 0;
}
