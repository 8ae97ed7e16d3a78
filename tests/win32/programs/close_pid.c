/*
 * close_pid - close every IPv4 connection of a process, as "kill the connections of this
 * program" helpers (CurrPorts-like) do: GetExtendedTcpTable(TCP_TABLE_OWNER_PID_CONNECTIONS),
 * then SetTcpEntry(MIB_TCP_STATE_DELETE_TCB) on each ESTABLISHED row of the pid; needs an
 * elevated (root) caller. Prints each row and the result.
 * usage: close_pid PID
 */
#include <winsock2.h>
#include <ws2tcpip.h>
#include <windows.h>
#include <iphlpapi.h>
#include <stdio.h>
#include <stdlib.h>

#pragma comment(lib, "iphlpapi.lib")

int main(int argc, char *argv[])
{
	if (argc != 2) {
		fprintf(stderr, "usage: close_pid PID\n");
		return 2;
	}
	DWORD pid = (DWORD)strtoul(argv[1], NULL, 10);
	DWORD size = 0, ret;
	PMIB_TCPTABLE_OWNER_PID table = NULL;
	while ((ret = GetExtendedTcpTable(table, &size, FALSE, AF_INET,
					  TCP_TABLE_OWNER_PID_CONNECTIONS, 0)) ==
	       ERROR_INSUFFICIENT_BUFFER) {
		free(table);
		table = (PMIB_TCPTABLE_OWNER_PID)malloc(size);
		if (table == NULL)
			return 1;
	}
	if (ret != NO_ERROR) {
		fprintf(stderr, "GetExtendedTcpTable: %lu\n", (unsigned long)ret);
		return 1;
	}
	int failed = 0;
	for (DWORD i = 0; i < table->dwNumEntries; i++) {
		MIB_TCPROW_OWNER_PID *r = &table->table[i];
		if (r->dwOwningPid != pid || r->dwState != MIB_TCP_STATE_ESTAB)
			continue;
		MIB_TCPROW row;
		row.dwState = MIB_TCP_STATE_DELETE_TCB;
		row.dwLocalAddr = r->dwLocalAddr;
		row.dwLocalPort = r->dwLocalPort;
		row.dwRemoteAddr = r->dwRemoteAddr;
		row.dwRemotePort = r->dwRemotePort;
		DWORD err = SetTcpEntry(&row);
		char l[INET_ADDRSTRLEN], rem[INET_ADDRSTRLEN];
		InetNtopA(AF_INET, &r->dwLocalAddr, l, sizeof(l));
		InetNtopA(AF_INET, &r->dwRemoteAddr, rem, sizeof(rem));
		printf("TCP %s:%u %s:%u ESTABLISHED %lu %s\n", l, ntohs((u_short)r->dwLocalPort), rem,
		       ntohs((u_short)r->dwRemotePort), (unsigned long)pid,
		       err == NO_ERROR ? "closed" : "failed");
		failed |= err != NO_ERROR;
	}
	free(table);
	return failed;
}
