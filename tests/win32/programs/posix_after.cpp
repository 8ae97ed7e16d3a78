// posix_after - C++: the Windows headers first, then POSIX <netinet/in.h>, <arpa/inet.h> and
// <netdb.h> (Windows: ws2tcpip.h); Windows' S_un/u.Byte member names beside POSIX's s_addr/s6_addr, getnameinfo()
// for the text, and a pid -> name map from a Tool Help snapshot (ANSI).
#include <winsock2.h>
#include <ws2tcpip.h>
#include <windows.h>
#include <iphlpapi.h>
#include <tlhelp32.h>

#ifndef _WIN32 // Windows has these names in <winsock2.h> and <ws2tcpip.h>
#include <arpa/inet.h>
#include <netdb.h>
#include <netinet/in.h>
#endif

#include <cstdio>
#include <cstring>
#include <map>
#include <string>
#include <vector>

static std::map<DWORD, std::string> ProcessNames()
{
	std::map<DWORD, std::string> names;
	HANDLE snap = CreateToolhelp32Snapshot(TH32CS_SNAPPROCESS, 0);
	if (snap == INVALID_HANDLE_VALUE)
		return names;
	PROCESSENTRY32 pe;
	pe.dwSize = sizeof(pe);
	for (BOOL ok = Process32First(snap, &pe); ok; ok = Process32Next(snap, &pe))
		names[pe.th32ProcessID] = pe.szExeFile;
	CloseHandle(snap);
	return names;
}

static std::string Text(const sockaddr *sa, int len)
{
	char host[NI_MAXHOST], serv[NI_MAXSERV];
	if (getnameinfo(sa, static_cast<socklen_t>(len), host, sizeof(host), serv, sizeof(serv),
			NI_NUMERICHOST | NI_NUMERICSERV) != 0)
		return "?";
	return sa->sa_family == AF_INET6 ? "[" + std::string(host) + "]:" + serv
					 : std::string(host) + ":" + serv;
}

static std::string V4(DWORD addr, DWORD port)
{
	sockaddr_in sin{};
	sin.sin_family = AF_INET;
	sin.sin_addr.S_un.S_addr = addr; // Windows' name
	sin.sin_port = static_cast<u_short>(port);
	if (sin.sin_addr.s_addr != addr) // POSIX's name: the same bytes
		return "?";
	return Text(reinterpret_cast<sockaddr *>(&sin), sizeof(sin));
}

static std::string V6(const UCHAR addr[16], DWORD port)
{
	sockaddr_in6 sin6{};
	sin6.sin6_family = AF_INET6;
	std::memcpy(sin6.sin6_addr.u.Byte, addr, 16); // Windows' name
	sin6.sin6_port = static_cast<u_short>(port);
	if (std::memcmp(sin6.sin6_addr.s6_addr, addr, 16) != 0) // POSIX's name
		return "?";
	return Text(reinterpret_cast<sockaddr *>(&sin6), sizeof(sin6));
}

static const char *State(DWORD s)
{
	switch (s) {
	case MIB_TCP_STATE_LISTEN: return "LISTENING";
	case MIB_TCP_STATE_ESTAB: return "ESTABLISHED";
	case MIB_TCP_STATE_TIME_WAIT: return "TIME_WAIT";
	case MIB_TCP_STATE_CLOSE_WAIT: return "CLOSE_WAIT";
	case MIB_TCP_STATE_FIN_WAIT1: return "FIN_WAIT_1";
	case MIB_TCP_STATE_FIN_WAIT2: return "FIN_WAIT_2";
	case MIB_TCP_STATE_SYN_SENT: return "SYN_SENT";
	case MIB_TCP_STATE_SYN_RCVD: return "SYN_RECEIVED";
	case MIB_TCP_STATE_LAST_ACK: return "LAST_ACK";
	case MIB_TCP_STATE_CLOSING: return "CLOSING";
	case MIB_TCP_STATE_CLOSED: return "CLOSED";
	default: return "UNKNOWN";
	}
}

int main()
{
	auto names = ProcessNames();
	auto name = [&](DWORD pid) {
		auto it = names.find(pid);
		return pid != 0 && it != names.end() ? it->second : std::string("-");
	};
	std::vector<unsigned char> buf;
	for (ULONG family : { static_cast<ULONG>(AF_INET), static_cast<ULONG>(AF_INET6) }) {
		DWORD size = 0;
		buf.clear();
		DWORD r;
		while ((r = GetExtendedTcpTable(buf.empty() ? nullptr : buf.data(), &size, TRUE, family,
						TCP_TABLE_OWNER_PID_ALL, 0)) == ERROR_INSUFFICIENT_BUFFER)
			buf.resize(size);
		if (r != NO_ERROR)
			return 1;
		if (family == AF_INET) {
			auto *t = reinterpret_cast<MIB_TCPTABLE_OWNER_PID *>(buf.data());
			for (DWORD i = 0; i < t->dwNumEntries; i++) {
				const auto &e = t->table[i];
				std::printf("TCP %s %s %s %u %s\n", V4(e.dwLocalAddr, e.dwLocalPort).c_str(),
					    V4(e.dwRemoteAddr, e.dwRemotePort).c_str(), State(e.dwState),
					    static_cast<unsigned>(e.dwOwningPid), name(e.dwOwningPid).c_str());
			}
		} else {
			auto *t = reinterpret_cast<MIB_TCP6TABLE_OWNER_PID *>(buf.data());
			for (DWORD i = 0; i < t->dwNumEntries; i++) {
				const auto &e = t->table[i];
				std::printf("TCP %s %s %s %u %s\n", V6(e.ucLocalAddr, e.dwLocalPort).c_str(),
					    V6(e.ucRemoteAddr, e.dwRemotePort).c_str(), State(e.dwState),
					    static_cast<unsigned>(e.dwOwningPid), name(e.dwOwningPid).c_str());
			}
		}
	}
	return 0;
}
