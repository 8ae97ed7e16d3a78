// wide_owner - C++, UNICODE, wmain: std::wstring everywhere, the Tool Help snapshot's
// PROCESSENTRY32W, QueryFullProcessImageNameW for each owner's path, InetNtopW, and output
// through wprintf with MSVC's %s (a wide string).
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

#include <cstdio>
#include <cwchar>
#include <map>
#include <string>
#include <vector>

#pragma comment(lib, "iphlpapi.lib")

static std::wstring PathOf(DWORD pid)
{
	if (pid == 0)
		return L"-";
	HANDLE h = OpenProcess(PROCESS_QUERY_LIMITED_INFORMATION, FALSE, pid);
	if (h == nullptr)
		return L"?open";
	WCHAR path[MAX_PATH];
	DWORD n = MAX_PATH;
	std::wstring result = QueryFullProcessImageNameW(h, 0, path, &n) ? std::wstring(path, n)
								       : L"?query";
	CloseHandle(h);
	return result;
}

static std::wstring Endpoint(int family, const void *addr, DWORD port)
{
	WCHAR text[INET6_ADDRSTRLEN];
	if (InetNtopW(family, addr, text, INET6_ADDRSTRLEN) == nullptr)
		return L"?";
	std::wstring s = family == AF_INET6 ? L"[" + std::wstring(text) + L"]" : std::wstring(text);
	return s + L":" + std::to_wstring(ntohs(static_cast<u_short>(port)));
}

static const wchar_t *State(DWORD s)
{
	static const wchar_t *const names[] = { L"UNKNOWN", L"CLOSED", L"LISTENING", L"SYN_SENT",
		L"SYN_RECEIVED", L"ESTABLISHED", L"FIN_WAIT_1", L"FIN_WAIT_2", L"CLOSE_WAIT",
		L"CLOSING", L"LAST_ACK", L"TIME_WAIT", L"DELETE_TCB" };
	return s < 13 ? names[s] : names[0];
}

int wmain(int argc, wchar_t *argv[])
{
	(void)argc;
	(void)argv;
	// every process's path once, from the snapshot's pids
	std::map<DWORD, std::wstring> paths;
	HANDLE snap = CreateToolhelp32Snapshot(TH32CS_SNAPPROCESS, 0);
	if (snap == INVALID_HANDLE_VALUE)
		return 1;
	PROCESSENTRY32W pe;
	pe.dwSize = sizeof(pe);
	if (Process32FirstW(snap, &pe)) {
		do
			paths[pe.th32ProcessID] = std::wstring(pe.szExeFile);
		while (Process32NextW(snap, &pe));
	}
	CloseHandle(snap);

	for (ULONG family : { static_cast<ULONG>(AF_INET), static_cast<ULONG>(AF_INET6) }) {
		std::vector<BYTE> buf;
		DWORD size = 0, r;
		while ((r = GetExtendedTcpTable(buf.empty() ? nullptr : buf.data(), &size, TRUE, family,
						TCP_TABLE_OWNER_PID_ALL, 0)) == ERROR_INSUFFICIENT_BUFFER)
			buf.resize(size);
		if (r != NO_ERROR)
			return 1;
		auto row = [&](const void *la, DWORD lp, const void *ra, DWORD rp, DWORD st, DWORD pid) {
			std::wstring path = paths.count(pid) ? PathOf(pid) : std::wstring(L"-");
			wprintf(L"TCP %s %s %s %u %s\n", Endpoint(family, la, lp).c_str(),
				Endpoint(family, ra, rp).c_str(), State(st), static_cast<unsigned>(pid),
				path.c_str());
		};
		if (family == AF_INET) {
			auto *t = reinterpret_cast<PMIB_TCPTABLE_OWNER_PID>(buf.data());
			for (DWORD i = 0; i < t->dwNumEntries; i++)
				row(&t->table[i].dwLocalAddr, t->table[i].dwLocalPort, &t->table[i].dwRemoteAddr,
				    t->table[i].dwRemotePort, t->table[i].dwState, t->table[i].dwOwningPid);
		} else {
			auto *t = reinterpret_cast<PMIB_TCP6TABLE_OWNER_PID>(buf.data());
			for (DWORD i = 0; i < t->dwNumEntries; i++)
				row(t->table[i].ucLocalAddr, t->table[i].dwLocalPort, t->table[i].ucRemoteAddr,
				    t->table[i].dwRemotePort, t->table[i].dwState, t->table[i].dwOwningPid);
		}
	}
	return 0;
}
