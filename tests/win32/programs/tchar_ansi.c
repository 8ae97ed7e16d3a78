/*
 * tchar_ansi - generic-text (TCHAR) code built without UNICODE, as old Visual C++ projects
 * ("Multi-Byte Character Set") are: _tmain is main, _T("") is narrow, _tprintf is printf;
 * the owners' names from a Tool Help snapshot (PROCESSENTRY32, ANSI), taken once and looked
 * up per row. <TlHelp32.h> and <Tchar.h> spelled as in such projects.
 */
#include <winsock2.h>
#include <ws2tcpip.h>
#include <windows.h>
#include <iphlpapi.h>
#include <TlHelp32.h>
#include <Tchar.h>
#include <stdio.h>
#include <stdlib.h>

#pragma comment(lib, "iphlpapi.lib")

static PROCESSENTRY32 g_procs[8192];
static int g_nprocs;

static LPCTSTR Name(DWORD pid)
{
	for (int i = 0; pid != 0 && i < g_nprocs; i++)
		if (g_procs[i].th32ProcessID == pid)
			return g_procs[i].szExeFile;
	return _T("-");
}

static LPCTSTR State(DWORD s)
{
	static LPCTSTR n[] = { _T("UNKNOWN"), _T("CLOSED"), _T("LISTENING"), _T("SYN_SENT"),
		_T("SYN_RECEIVED"), _T("ESTABLISHED"), _T("FIN_WAIT_1"), _T("FIN_WAIT_2"),
		_T("CLOSE_WAIT"), _T("CLOSING"), _T("LAST_ACK"), _T("TIME_WAIT"), _T("DELETE_TCB") };
	return s < 13 ? n[s] : n[0];
}

int _tmain(int argc, TCHAR *argv[])
{
	(void)argc;
	(void)argv;
	HANDLE hSnap = CreateToolhelp32Snapshot(TH32CS_SNAPPROCESS, 0);
	if (hSnap == INVALID_HANDLE_VALUE) {
		_tprintf(_T("CreateToolhelp32Snapshot: %lu\n"), (unsigned long)GetLastError());
		return 1;
	}
	PROCESSENTRY32 pe;
	pe.dwSize = sizeof(pe);
	BOOL more = Process32First(hSnap, &pe);
	while (more && g_nprocs < 8192) {
		g_procs[g_nprocs++] = pe;
		more = Process32Next(hSnap, &pe);
	}
	if (GetLastError() != ERROR_NO_MORE_FILES)
		_tprintf(_T("Process32Next: %lu\n"), (unsigned long)GetLastError());
	CloseHandle(hSnap);

	DWORD size = 0;
	PMIB_TCPTABLE_OWNER_PID t = NULL;
	while (GetExtendedTcpTable(t, &size, TRUE, AF_INET, TCP_TABLE_OWNER_PID_ALL, 0) ==
	       ERROR_INSUFFICIENT_BUFFER) {
		free(t);
		t = (PMIB_TCPTABLE_OWNER_PID)malloc(size);
	}
	TCHAR l[INET_ADDRSTRLEN], r[INET_ADDRSTRLEN];
	for (DWORD i = 0; t && i < t->dwNumEntries; i++) {
		InetNtop(AF_INET, &t->table[i].dwLocalAddr, l, INET_ADDRSTRLEN);
		InetNtop(AF_INET, &t->table[i].dwRemoteAddr, r, INET_ADDRSTRLEN);
		_tprintf(_T("TCP %s:%u %s:%u %s %lu %s\n"), l, ntohs((u_short)t->table[i].dwLocalPort), r,
			 ntohs((u_short)t->table[i].dwRemotePort), State(t->table[i].dwState),
			 (unsigned long)t->table[i].dwOwningPid, Name(t->table[i].dwOwningPid));
	}
	free(t);
	return 0;
}
