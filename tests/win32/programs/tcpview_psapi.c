/*
 * tcpview_psapi - a TCPView-like listing: GetTcpTable2 and GetTcp6Table2 (rows with the
 * owning pid), and each owner's executable name from OpenProcess + GetModuleBaseName
 * (psapi), cached per pid. ANSI build; RtlIpv4/6AddressToString from <Mstcpip.h>.
 */
#include <Winsock2.h>
#include <Ws2tcpip.h>
#include <Windows.h>
#include <Iphlpapi.h>
#include <Mstcpip.h>
#include <Psapi.h>
#include <stdio.h>
#include <string.h>

#pragma comment(lib, "iphlpapi.lib")
#pragma comment(lib, "psapi.lib")
#pragma comment(lib, "ntdll.lib")

static const char *const kStates[] = { "UNKNOWN", "CLOSED", "LISTENING", "SYN_SENT",
	"SYN_RECEIVED", "ESTABLISHED", "FIN_WAIT_1", "FIN_WAIT_2", "CLOSE_WAIT", "CLOSING",
	"LAST_ACK", "TIME_WAIT", "DELETE_TCB" };

struct cache_entry {
	DWORD pid;
	char name[MAX_PATH];
};
static struct cache_entry g_cache[64];
static int g_cached;

static const char *ModuleName(DWORD pid)
{
	if (pid == 0)
		return "-";
	for (int i = 0; i < g_cached; i++)
		if (g_cache[i].pid == pid)
			return g_cache[i].name;
	struct cache_entry *e = &g_cache[g_cached < 64 ? g_cached++ : 63];
	e->pid = pid;
	strcpy_s(e->name, sizeof(e->name), "?");
	HANDLE h = OpenProcess(PROCESS_QUERY_INFORMATION | PROCESS_VM_READ, FALSE, pid);
	if (h != NULL) {
		if (GetModuleBaseNameA(h, NULL, e->name, sizeof(e->name)) == 0)
			sprintf_s(e->name, sizeof(e->name), "?err%lu", (unsigned long)GetLastError());
		CloseHandle(h);
	} else {
		sprintf_s(e->name, sizeof(e->name), "?open%lu", (unsigned long)GetLastError());
	}
	return e->name;
}

int main(void)
{
	ULONG size = 0;
	PMIB_TCPTABLE2 t4 = NULL;
	while (GetTcpTable2(t4, &size, TRUE) == ERROR_INSUFFICIENT_BUFFER) {
		free(t4);
		t4 = (PMIB_TCPTABLE2)malloc(size);
	}
	PMIB_TCP6TABLE2 t6 = NULL;
	size = 0;
	while (GetTcp6Table2(t6, &size, TRUE) == ERROR_INSUFFICIENT_BUFFER) {
		free(t6);
		t6 = (PMIB_TCP6TABLE2)malloc(size);
	}
	if (t4 == NULL || t6 == NULL) {
		printf("no tables\n");
		return 1;
	}
	char l[64], r[64];
	for (DWORD i = 0; i < t4->dwNumEntries; i++) {
		MIB_TCPROW2 *row = &t4->table[i];
		IN_ADDR a;
		a.S_un.S_addr = row->dwLocalAddr;
		RtlIpv4AddressToStringA(&a, l);
		a.S_un.S_addr = row->dwRemoteAddr;
		RtlIpv4AddressToStringA(&a, r);
		printf("TCP %s:%u %s:%u %s %u %s\n", l, (unsigned)ntohs((u_short)row->dwLocalPort), r,
		       (unsigned)ntohs((u_short)row->dwRemotePort), kStates[row->dwState % 13],
		       (unsigned)row->dwOwningPid, ModuleName(row->dwOwningPid));
	}
	for (DWORD i = 0; i < t6->dwNumEntries; i++) {
		MIB_TCP6ROW2 *row = &t6->table[i];
		RtlIpv6AddressToStringA(&row->LocalAddr, l);
		RtlIpv6AddressToStringA(&row->RemoteAddr, r);
		printf("TCP [%s]:%u [%s]:%u %s %u %s\n", l, (unsigned)ntohs((u_short)row->dwLocalPort), r,
		       (unsigned)ntohs((u_short)row->dwRemotePort), kStates[row->State % 13],
		       (unsigned)row->dwOwningPid, ModuleName(row->dwOwningPid));
	}
	free(t4);
	free(t6);
	return 0;
}
