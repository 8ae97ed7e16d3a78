// owner_module - C++: GetExtendedTcpTable(TCP_TABLE_OWNER_MODULE_ALL) for both families and
// each owner's module name from GetOwnerModuleFromTcpEntry / GetOwnerModuleFromTcp6Entry
// (TCPIP_OWNER_MODULE_BASIC_INFO, wide strings), converted with WideCharToMultiByte for
// narrow output, as the TCPView-like tools of the SDK era do.
#include <winsock2.h>
#include <ws2tcpip.h>
#include <windows.h>
#include <iphlpapi.h>

#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>

#pragma comment(lib, "iphlpapi.lib")

namespace {

template <typename Row, typename Fn> std::string ModuleName(Row *row, Fn get)
{
	if (row->dwOwningPid == 0)
		return "-";
	DWORD size = 0;
	if (get(row, TCPIP_OWNER_MODULE_INFO_BASIC, nullptr, &size) != ERROR_INSUFFICIENT_BUFFER)
		return "?";
	std::unique_ptr<unsigned char[]> buf(new unsigned char[size]);
	if (get(row, TCPIP_OWNER_MODULE_INFO_BASIC, buf.get(), &size) != NO_ERROR)
		return "?";
	auto *info = reinterpret_cast<PTCPIP_OWNER_MODULE_BASIC_INFO>(buf.get());
	char name[MAX_PATH * 4];
	if (WideCharToMultiByte(CP_UTF8, 0, info->pModuleName, -1, name, sizeof(name), nullptr,
				nullptr) == 0)
		return "?";
	return name;
}

const char *StateName(DWORD s)
{
	static const char *const names[] = { "UNKNOWN", "CLOSED", "LISTENING", "SYN_SENT",
		"SYN_RECEIVED", "ESTABLISHED", "FIN_WAIT_1", "FIN_WAIT_2", "CLOSE_WAIT", "CLOSING",
		"LAST_ACK", "TIME_WAIT", "DELETE_TCB" };
	return s < 13 ? names[s] : names[0];
}

void *Table(ULONG family)
{
	DWORD size = 0;
	void *t = nullptr;
	while (GetExtendedTcpTable(t, &size, TRUE, family, TCP_TABLE_OWNER_MODULE_ALL, 0) ==
	       ERROR_INSUFFICIENT_BUFFER) {
		std::free(t);
		t = std::malloc(size);
	}
	return t;
}

} // namespace

int main()
{
	char l[INET6_ADDRSTRLEN], r[INET6_ADDRSTRLEN];
	auto *t4 = static_cast<PMIB_TCPTABLE_OWNER_MODULE>(Table(AF_INET));
	auto *t6 = static_cast<PMIB_TCP6TABLE_OWNER_MODULE>(Table(AF_INET6));
	if (t4 == nullptr || t6 == nullptr)
		return 1;
	for (DWORD i = 0; i < t4->dwNumEntries; i++) {
		auto *row = &t4->table[i];
		InetNtopA(AF_INET, &row->dwLocalAddr, l, sizeof(l));
		InetNtopA(AF_INET, &row->dwRemoteAddr, r, sizeof(r));
		std::printf("TCP %s:%u %s:%u %s %u %s\n", l, ntohs(static_cast<u_short>(row->dwLocalPort)),
			    r, ntohs(static_cast<u_short>(row->dwRemotePort)), StateName(row->dwState),
			    static_cast<unsigned>(row->dwOwningPid),
			    ModuleName(row, GetOwnerModuleFromTcpEntry).c_str());
	}
	for (DWORD i = 0; i < t6->dwNumEntries; i++) {
		auto *row = &t6->table[i];
		InetNtopA(AF_INET6, row->ucLocalAddr, l, sizeof(l));
		InetNtopA(AF_INET6, row->ucRemoteAddr, r, sizeof(r));
		std::printf("TCP [%s]:%u [%s]:%u %s %u %s\n", l,
			    ntohs(static_cast<u_short>(row->dwLocalPort)), r,
			    ntohs(static_cast<u_short>(row->dwRemotePort)), StateName(row->dwState),
			    static_cast<unsigned>(row->dwOwningPid),
			    ModuleName(row, GetOwnerModuleFromTcp6Entry).c_str());
	}
	std::free(t4);
	std::free(t6);
	return 0;
}
