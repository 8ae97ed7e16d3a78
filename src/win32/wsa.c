/* wsa.c - WSAStartup/WSACleanup: Linux sockets need no start-up; the calls only answer. */
#include <string.h>

#include <winsock2.h>

int WSAAPI WSAStartup(WORD wVersionRequested, LPWSADATA lpWSAData)
{
	const WORD highest = MAKEWORD(2, 2);
	BYTE major = LOBYTE(wVersionRequested), minor = HIBYTE(wVersionRequested);

	if (!lpWSAData)
		return WSAEFAULT;
	if (major < 1 || (major == 1 && minor < 1))
		return WSAVERNOTSUPPORTED;
	memset(lpWSAData, 0, sizeof(*lpWSAData));
	/* Versions compare by major, then minor: 2.2 is the highest there is. */
	lpWSAData->wVersion = (major > 2 || (major == 2 && minor > 2)) ? highest : wVersionRequested;
	lpWSAData->wHighVersion = highest;
	strcpy(lpWSAData->szDescription, "WinSock 2.0");
	strcpy(lpWSAData->szSystemStatus, "Running");
	return 0;
}

int WSAAPI WSACleanup(void)
{
	return 0;
}

int WSAAPI WSAGetLastError(void)
{
	return (int)GetLastError();
}
