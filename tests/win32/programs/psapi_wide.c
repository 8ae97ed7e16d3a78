/*
 * psapi_wide - UNICODE without <tchar.h> and with a plain main: the explicit W functions.
 * Every process from EnumProcesses, its name from GetModuleBaseNameW (checked against
 * GetProcessImageFileNameW), kept in a pid -> name table; then the connections of both
 * families with that name, printed with wprintf and MSVC's %s.
 */
#ifndef UNICODE
#define UNICODE
#endif
#include <winsock2.h>
#include <ws2tcpip.h>
#include <windows.h>
#include <iphlpapi.h>
#include <psapi.h>
#include <stdio.h>
#include <stdlib.h>
#include <wchar.h>

#pragma comment(lib, "iphlpapi.lib")
#pragma comment(lib, "psapi.lib")

typedef struct {
	DWORD pid;
	WCHAR name[MAX_PATH];
} NAMED;

static NAMED *g_names;
static DWORD g_count;

static void LoadNames(void)
{
	DWORD pids[4096], cb = 0;
	if (!EnumProcesses(pids, sizeof(pids), &cb))
		return;
	g_count = cb / sizeof(DWORD);
	g_names = (NAMED *)calloc(g_count, sizeof(NAMED));
	for (DWORD i = 0; g_names && i < g_count; i++) {
		g_names[i].pid = pids[i];
		wcscpy_s(g_names[i].name, MAX_PATH, L"?");
		HANDLE h = OpenProcess(PROCESS_QUERY_INFORMATION | PROCESS_VM_READ, FALSE, pids[i]);
		if (h == NULL)
			continue;
		WCHAR image[MAX_PATH];
		if (GetModuleBaseNameW(h, NULL, g_names[i].name, MAX_PATH) == 0 ||
		    GetProcessImageFileNameW(h, image, MAX_PATH) == 0) {
			swprintf_s(g_names[i].name, MAX_PATH, L"?%lu", (unsigned long)GetLastError());
		} else {
			/* the image path ends with the base name */
			size_t n = wcslen(image), b = wcslen(g_names[i].name);
			if (n < b || wcscmp(image + n - b, g_names[i].name) != 0)
				wcscpy_s(g_names[i].name, MAX_PATH, L"?mismatch");
		}
		CloseHandle(h);
	}
}

static const WCHAR *NameOf(DWORD pid)
{
	for (DWORD i = 0; pid != 0 && i < g_count; i++)
		if (g_names[i].pid == pid)
			return g_names[i].name;
	return L"-";
}

static const WCHAR *StateOf(DWORD s)
{
	static const WCHAR *n[] = { L"UNKNOWN", L"CLOSED", L"LISTENING", L"SYN_SENT",
		L"SYN_RECEIVED", L"ESTABLISHED", L"FIN_WAIT_1", L"FIN_WAIT_2", L"CLOSE_WAIT",
		L"CLOSING", L"LAST_ACK", L"TIME_WAIT", L"DELETE_TCB" };
	return s < 13 ? n[s] : n[0];
}

int main(void)
{
	LoadNames();
	WCHAR la[INET6_ADDRSTRLEN], ra[INET6_ADDRSTRLEN];
	DWORD size = 0;
	PMIB_TCPTABLE_OWNER_PID t4 = NULL;
	while (GetExtendedTcpTable(t4, &size, TRUE, AF_INET, TCP_TABLE_OWNER_PID_ALL, 0) ==
	       ERROR_INSUFFICIENT_BUFFER) {
		free(t4);
		t4 = (PMIB_TCPTABLE_OWNER_PID)malloc(size);
	}
	for (DWORD i = 0; t4 && i < t4->dwNumEntries; i++) {
		MIB_TCPROW_OWNER_PID *r = &t4->table[i];
		InetNtopW(AF_INET, &r->dwLocalAddr, la, INET6_ADDRSTRLEN);
		InetNtopW(AF_INET, &r->dwRemoteAddr, ra, INET6_ADDRSTRLEN);
		wprintf(L"TCP %s:%d %s:%d %s %lu %s\n", la, ntohs((u_short)r->dwLocalPort), ra,
			ntohs((u_short)r->dwRemotePort), StateOf(r->dwState),
			(unsigned long)r->dwOwningPid, NameOf(r->dwOwningPid));
	}
	size = 0;
	PMIB_TCP6TABLE_OWNER_PID t6 = NULL;
	while (GetExtendedTcpTable(t6, &size, TRUE, AF_INET6, TCP_TABLE_OWNER_PID_ALL, 0) ==
	       ERROR_INSUFFICIENT_BUFFER) {
		free(t6);
		t6 = (PMIB_TCP6TABLE_OWNER_PID)malloc(size);
	}
	for (DWORD i = 0; t6 && i < t6->dwNumEntries; i++) {
		MIB_TCP6ROW_OWNER_PID *r = &t6->table[i];
		InetNtopW(AF_INET6, r->ucLocalAddr, la, INET6_ADDRSTRLEN);
		InetNtopW(AF_INET6, r->ucRemoteAddr, ra, INET6_ADDRSTRLEN);
		wprintf(L"TCP [%s]:%d [%s]:%d %s %lu %s\n", la, ntohs((u_short)r->dwLocalPort), ra,
			ntohs((u_short)r->dwRemotePort), StateOf(r->dwState),
			(unsigned long)r->dwOwningPid, NameOf(r->dwOwningPid));
	}
	free(t4);
	free(t6);
	free(g_names);
	return 0;
}
