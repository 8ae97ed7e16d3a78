/*
 * owner_module - GetExtendedTcpTable(TCP_TABLE_OWNER_MODULE_ALL) and, for each row, the owning
 * process's executable from GetOwnerModuleFromTcpEntry.
 *
 * Build: cc owner_module.c $(pkg-config --cflags --libs iphlpapi)
 */
#include <winsock2.h>
#include <ws2tcpip.h>
#include <iphlpapi.h>
#include <stdio.h>
#include <stdlib.h>

#pragma comment(lib, "iphlpapi.lib")

static const char *state_name(DWORD state)
{
	static const char *const names[] = { "UNKNOWN", "CLOSED", "LISTEN", "SYN-SENT",
		"SYN-RECEIVED", "ESTABLISHED", "FIN-WAIT-1", "FIN-WAIT-2", "CLOSE-WAIT", "CLOSING",
		"LAST-ACK", "TIME-WAIT", "DELETE-TCB" };
	return state < _countof(names) ? names[state] : "UNKNOWN";
}

/* The module name and path of ROW's process as UTF-8, or "-" when there is none. */
static void print_module(PMIB_TCPROW_OWNER_MODULE row)
{
	DWORD size = 0;
	DWORD r = GetOwnerModuleFromTcpEntry(row, TCPIP_OWNER_MODULE_INFO_BASIC, NULL, &size);
	if (r != ERROR_INSUFFICIENT_BUFFER) {
		printf(" module=- path=-\n");
		return;
	}
	PTCPIP_OWNER_MODULE_BASIC_INFO info = malloc(size);
	if (info == NULL ||
	    GetOwnerModuleFromTcpEntry(row, TCPIP_OWNER_MODULE_INFO_BASIC, info, &size) != NO_ERROR) {
		printf(" module=? path=?\n");
		free(info);
		return;
	}
	char name[1024], path[4096];
	WideCharToMultiByte(CP_UTF8, 0, info->pModuleName, -1, name, sizeof(name), NULL, NULL);
	WideCharToMultiByte(CP_UTF8, 0, info->pModulePath, -1, path, sizeof(path), NULL, NULL);
	printf(" module=%s path=%s\n", name, path);
	free(info);
}

int main(void)
{
	DWORD dwSize = 0;
	PMIB_TCPTABLE_OWNER_MODULE pTable = NULL;
	DWORD dwRetVal;

	do {
		free(pTable);
		pTable = dwSize ? malloc(dwSize) : NULL;
		dwRetVal = GetExtendedTcpTable(pTable, &dwSize, TRUE, AF_INET,
					       TCP_TABLE_OWNER_MODULE_ALL, 0);
	} while (dwRetVal == ERROR_INSUFFICIENT_BUFFER);
	if (dwRetVal != NO_ERROR) {
		printf("GetExtendedTcpTable failed with %u\n", dwRetVal);
		free(pTable);
		return 1;
	}
	printf("Number of entries: %d\n", (int)pTable->dwNumEntries);
	for (DWORD i = 0; i < pTable->dwNumEntries; i++) {
		PMIB_TCPROW_OWNER_MODULE row = &pTable->table[i];
		char local[INET_ADDRSTRLEN], remote[INET_ADDRSTRLEN];
		struct in_addr a;
		a.s_addr = row->dwLocalAddr;
		RtlIpv4AddressToStringA(&a, local);
		a.s_addr = row->dwRemoteAddr;
		RtlIpv4AddressToStringA(&a, remote);
		printf("TCP[%u] %s %s:%u %s:%u pid=%u", i, state_name(row->dwState), local,
		       ntohs((u_short)row->dwLocalPort), remote, ntohs((u_short)row->dwRemotePort),
		       row->dwOwningPid);
		print_module(row);
	}
	free(pTable);
	return 0;
}
