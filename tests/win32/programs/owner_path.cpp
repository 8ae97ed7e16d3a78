// owner_path - which executable owns each TCP endpoint: C++ with RAII handles, std::vector
// buffers and std::string; OpenProcess(PROCESS_QUERY_LIMITED_INFORMATION) and
// QueryFullProcessImageNameA for the path, as modern port-owner tools do.
#include <winsock2.h>
#include <ws2tcpip.h>
#include <iphlpapi.h>
#include <windows.h>

#include <cstdio>
#include <string>
#include <vector>

#pragma comment(lib, "iphlpapi.lib")

namespace {

class Handle {
public:
	explicit Handle(HANDLE h) : h_(h) {}
	~Handle()
	{
		if (h_ != nullptr && h_ != INVALID_HANDLE_VALUE)
			CloseHandle(h_);
	}
	Handle(const Handle &) = delete;
	Handle &operator=(const Handle &) = delete;
	HANDLE get() const { return h_; }
	explicit operator bool() const { return h_ != nullptr && h_ != INVALID_HANDLE_VALUE; }

private:
	HANDLE h_;
};

std::string ImagePath(DWORD pid)
{
	if (pid == 0)
		return "-";
	Handle process(OpenProcess(PROCESS_QUERY_LIMITED_INFORMATION, FALSE, pid));
	if (!process)
		return "?open" + std::to_string(GetLastError());
	std::vector<char> buf(MAX_PATH);
	DWORD n = static_cast<DWORD>(buf.size());
	while (!QueryFullProcessImageNameA(process.get(), 0, buf.data(), &n)) {
		if (GetLastError() != ERROR_INSUFFICIENT_BUFFER || buf.size() > 32768)
			return "?query" + std::to_string(GetLastError());
		buf.resize(buf.size() * 2);
		n = static_cast<DWORD>(buf.size());
	}
	return std::string(buf.data(), n);
}

template <typename Table> std::vector<unsigned char> GetTable(ULONG family)
{
	std::vector<unsigned char> buf;
	DWORD size = 0;
	DWORD r;
	while ((r = GetExtendedTcpTable(buf.empty() ? nullptr : buf.data(), &size, TRUE, family,
					TCP_TABLE_OWNER_PID_ALL, 0)) == ERROR_INSUFFICIENT_BUFFER)
		buf.resize(size);
	if (r != NO_ERROR)
		buf.clear();
	return buf;
}

const char *State(DWORD s)
{
	static const char *const names[] = { "UNKNOWN", "CLOSED", "LISTENING", "SYN_SENT",
		"SYN_RECEIVED", "ESTABLISHED", "FIN_WAIT_1", "FIN_WAIT_2", "CLOSE_WAIT", "CLOSING",
		"LAST_ACK", "TIME_WAIT", "DELETE_TCB" };
	return s < 13 ? names[s] : names[0];
}

std::string Endpoint(int family, const void *addr, DWORD port)
{
	char text[INET6_ADDRSTRLEN];
	InetNtopA(family, addr, text, sizeof(text));
	std::string s = family == AF_INET ? std::string(text) : "[" + std::string(text) + "]";
	return s + ":" + std::to_string(ntohs(static_cast<u_short>(port)));
}

} // namespace

int main()
{
	auto v4 = GetTable<MIB_TCPTABLE_OWNER_PID>(AF_INET);
	auto v6 = GetTable<MIB_TCP6TABLE_OWNER_PID>(AF_INET6);
	if (v4.empty() || v6.empty())
		return 1;
	auto *t4 = reinterpret_cast<PMIB_TCPTABLE_OWNER_PID>(v4.data());
	for (DWORD i = 0; i < t4->dwNumEntries; i++) {
		const auto &r = t4->table[i];
		std::printf("TCP %s %s %s %u %s\n", Endpoint(AF_INET, &r.dwLocalAddr, r.dwLocalPort).c_str(),
			    Endpoint(AF_INET, &r.dwRemoteAddr, r.dwRemotePort).c_str(), State(r.dwState),
			    static_cast<unsigned>(r.dwOwningPid), ImagePath(r.dwOwningPid).c_str());
	}
	auto *t6 = reinterpret_cast<PMIB_TCP6TABLE_OWNER_PID>(v6.data());
	for (DWORD i = 0; i < t6->dwNumEntries; i++) {
		const auto &r = t6->table[i];
		std::printf("TCP %s %s %s %u %s\n", Endpoint(AF_INET6, r.ucLocalAddr, r.dwLocalPort).c_str(),
			    Endpoint(AF_INET6, r.ucRemoteAddr, r.dwRemotePort).c_str(), State(r.dwState),
			    static_cast<unsigned>(r.dwOwningPid), ImagePath(r.dwOwningPid).c_str());
	}
	return 0;
}
