/*
 * listeners_posix_first - a Linux program that lists the listening TCP sockets through the IP
 * Helper API: the POSIX socket headers come first, the Windows ones after, and addresses
 * are formatted with POSIX inet_ntop() from struct sockaddr_in/sockaddr_in6, as a program
 * that also uses a POSIX library (libpcap & co.) does (on Windows the same names come from
 * <winsock2.h> and <ws2tcpip.h>). GetExtendedTcpTable(*_LISTENER).
 */
#ifndef _WIN32 /* Windows has these names in <winsock2.h> and <ws2tcpip.h> */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#endif
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <winsock2.h>
#include <ws2tcpip.h>
#include <iphlpapi.h>

static void *listeners(ULONG family)
{
	DWORD size = 0;
	void *t = NULL;
	DWORD r;
	while ((r = GetExtendedTcpTable(t, &size, FALSE, family, TCP_TABLE_OWNER_PID_LISTENER, 0)) ==
	       ERROR_INSUFFICIENT_BUFFER) {
		free(t);
		t = malloc(size);
	}
	if (r != NO_ERROR) {
		fprintf(stderr, "GetExtendedTcpTable: %u\n", (unsigned)r);
		exit(1);
	}
	return t;
}

int main(void)
{
	char text[INET6_ADDRSTRLEN];
	PMIB_TCPTABLE_OWNER_PID t4 = listeners(AF_INET);
	for (DWORD i = 0; i < t4->dwNumEntries; i++) {
		struct sockaddr_in sin;
		memset(&sin, 0, sizeof(sin));
		sin.sin_family = AF_INET;
		sin.sin_addr.s_addr = t4->table[i].dwLocalAddr;
		sin.sin_port = (u_short)t4->table[i].dwLocalPort;
		inet_ntop(AF_INET, &sin.sin_addr, text, sizeof(text));
		printf("TCP %s:%u 0.0.0.0:0 LISTENING %u\n", text, (unsigned)ntohs(sin.sin_port),
		       (unsigned)t4->table[i].dwOwningPid);
	}
	PMIB_TCP6TABLE_OWNER_PID t6 = listeners(AF_INET6);
	for (DWORD i = 0; i < t6->dwNumEntries; i++) {
		struct sockaddr_in6 sin6;
		memset(&sin6, 0, sizeof(sin6));
		sin6.sin6_family = AF_INET6;
		memcpy(&sin6.sin6_addr, t6->table[i].ucLocalAddr, sizeof(sin6.sin6_addr));
		sin6.sin6_port = (u_short)t6->table[i].dwLocalPort;
		inet_ntop(AF_INET6, &sin6.sin6_addr, text, sizeof(text));
		printf("TCP [%s]:%u [::]:0 LISTENING %u\n", text, (unsigned)ntohs(sin6.sin6_port),
		       (unsigned)t6->table[i].dwOwningPid);
	}
	free(t4);
	free(t6);
	return 0;
}
