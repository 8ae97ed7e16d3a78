/*
 * netstat_b_unicode - "netstat -anob" as a Visual Studio project builds it by default:
 * UNICODE and _UNICODE, a _tmain entry point (wmain), TCHAR strings, _tprintf, InetNtop
 * (InetNtopW here), FormatMessage (FormatMessageW) on error, and the owner's name from a
 * Tool Help snapshot (PROCESSENTRY32W).
 */
#ifndef UNICODE
#define UNICODE
#endif
#ifndef _UNICODE
#define _UNICODE
#endif
#include <winsock2.h>
#include <ws2tcpip.h>
#include <windows.h>
#include <iphlpapi.h>
#include <tlhelp32.h>
#include <tchar.h>
#include <stdio.h>
#include <stdlib.h>

static LPCTSTR StateName(DWORD dwState)
{
	static LPCTSTR names[] = { _T("UNKNOWN"), _T("CLOSED"), _T("LISTENING"), _T("SYN_SENT"),
		_T("SYN_RECEIVED"), _T("ESTABLISHED"), _T("FIN_WAIT_1"), _T("FIN_WAIT_2"),
		_T("CLOSE_WAIT"), _T("CLOSING"), _T("LAST_ACK"), _T("TIME_WAIT"), _T("DELETE_TCB") };
	return dwState < _countof(names) ? names[dwState] : names[0];
}

static void PrintError(LPCTSTR what, DWORD dwError)
{
	LPTSTR lpMsg = NULL;
	if (FormatMessage(FORMAT_MESSAGE_ALLOCATE_BUFFER | FORMAT_MESSAGE_FROM_SYSTEM |
				  FORMAT_MESSAGE_IGNORE_INSERTS,
			  NULL, dwError, MAKELANGID(LANG_NEUTRAL, SUBLANG_DEFAULT), (LPTSTR)&lpMsg, 0,
			  NULL)) {
		_ftprintf(stderr, _T("%s failed: %s"), what, lpMsg);
		LocalFree(lpMsg);
	}
}

/* The name of process PID from the snapshot SNAP into NAME (MAX_PATH TCHARs), "-" if none. */
static void OwnerName(HANDLE hSnap, DWORD pid, LPTSTR name)
{
	PROCESSENTRY32 pe;
	pe.dwSize = sizeof(pe);
	_tcscpy_s(name, MAX_PATH, _T("-"));
	if (pid == 0 || !Process32First(hSnap, &pe))
		return;
	do {
		if (pe.th32ProcessID == pid) {
			_tcscpy_s(name, MAX_PATH, pe.szExeFile);
			return;
		}
	} while (Process32Next(hSnap, &pe));
}

static PVOID GetTable(ULONG family)
{
	DWORD dwSize = 0, dwRet;
	PVOID p = NULL;
	while ((dwRet = GetExtendedTcpTable(p, &dwSize, TRUE, family, TCP_TABLE_OWNER_PID_ALL, 0)) ==
	       ERROR_INSUFFICIENT_BUFFER) {
		free(p);
		p = malloc(dwSize);
		if (!p)
			return NULL;
	}
	if (dwRet != NO_ERROR) {
		PrintError(_T("GetExtendedTcpTable"), dwRet);
		free(p);
		return NULL;
	}
	return p;
}

int _tmain(int argc, _TCHAR *argv[])
{
	UNREFERENCED_PARAMETER(argc);
	UNREFERENCED_PARAMETER(argv);
	HANDLE hSnap = CreateToolhelp32Snapshot(TH32CS_SNAPPROCESS, 0);
	if (hSnap == INVALID_HANDLE_VALUE) {
		PrintError(_T("CreateToolhelp32Snapshot"), GetLastError());
		return 1;
	}
	TCHAR szLocal[INET6_ADDRSTRLEN], szRemote[INET6_ADDRSTRLEN], szName[MAX_PATH];
	TCHAR szL[INET6_ADDRSTRLEN + 8], szR[INET6_ADDRSTRLEN + 8];

	PMIB_TCPTABLE_OWNER_PID t4 = (PMIB_TCPTABLE_OWNER_PID)GetTable(AF_INET);
	PMIB_TCP6TABLE_OWNER_PID t6 = (PMIB_TCP6TABLE_OWNER_PID)GetTable(AF_INET6);
	if (!t4 || !t6)
		return 1;
	for (DWORD i = 0; i < t4->dwNumEntries; i++) {
		PMIB_TCPROW_OWNER_PID r = &t4->table[i];
		IN_ADDR a;
		a.S_un.S_addr = r->dwLocalAddr;
		InetNtop(AF_INET, &a, szLocal, _countof(szLocal));
		a.S_un.S_addr = r->dwRemoteAddr;
		InetNtop(AF_INET, &a, szRemote, _countof(szRemote));
		_stprintf_s(szL, _countof(szL), _T("%s:%u"), szLocal, (unsigned)ntohs((u_short)r->dwLocalPort));
		_stprintf_s(szR, _countof(szR), _T("%s:%u"), szRemote, (unsigned)ntohs((u_short)r->dwRemotePort));
		OwnerName(hSnap, r->dwOwningPid, szName);
		_tprintf(_T("  TCP    %-22s %-22s %-14s %5u  %s\n"), szL, szR, StateName(r->dwState),
			 (unsigned)r->dwOwningPid, szName);
	}
	for (DWORD i = 0; i < t6->dwNumEntries; i++) {
		PMIB_TCP6ROW_OWNER_PID r = &t6->table[i];
		InetNtop(AF_INET6, r->ucLocalAddr, szLocal, _countof(szLocal));
		InetNtop(AF_INET6, r->ucRemoteAddr, szRemote, _countof(szRemote));
		_stprintf_s(szL, _countof(szL), _T("[%s]:%u"), szLocal, (unsigned)ntohs((u_short)r->dwLocalPort));
		_stprintf_s(szR, _countof(szR), _T("[%s]:%u"), szRemote, (unsigned)ntohs((u_short)r->dwRemotePort));
		OwnerName(hSnap, r->dwOwningPid, szName);
		_tprintf(_T("  TCP    %-22s %-22s %-14s %5u  %s\n"), szL, szR, StateName(r->dwState),
			 (unsigned)r->dwOwningPid, szName);
	}
	free(t4);
	free(t6);
	CloseHandle(hSnap);
	return 0;
}
