/* inet_wide.c - InetNtopW and InetPtonW: the A forms, with the text as wide characters. */
#include <ws2tcpip.h>

#include "wide.h"

PCWSTR WSAAPI InetNtopW(INT Family, const VOID *pAddr, PWSTR pStringBuf, size_t StringBufSize)
{
	char text[INET6_ADDRSTRLEN];
	if (!pStringBuf) {
		/* InetNtopA's checks and errors, family first */
		InetNtopA(Family, pAddr, NULL, StringBufSize);
		return NULL;
	}
	if (!InetNtopA(Family, pAddr, text, sizeof(text)))
		return NULL;
	size_t len = strlen(text); /* ASCII: one wide character per byte */
	if (len + 1 > StringBufSize) {
		SetLastError(ERROR_INVALID_PARAMETER);
		return NULL;
	}
	utf8_to_wide(text, len + 1, pStringBuf);
	return pStringBuf;
}

INT WSAAPI InetPtonW(INT Family, PCWSTR pszAddrString, PVOID pAddrBuf)
{
	if (!pszAddrString)
		return InetPtonA(Family, NULL, pAddrBuf);
	char text[INET6_ADDRSTRLEN + 1];
	size_t len = wcslen(pszAddrString);
	/* no address is longer than INET6_ADDRSTRLEN, and none has a non-ASCII character */
	int ascii = len < sizeof(text);
	for (size_t i = 0; ascii && i < len; i++)
		ascii = pszAddrString[i] > 0 && pszAddrString[i] < 0x80;
	if (!ascii)
		return InetPtonA(Family, "-", pAddrBuf); /* the answer for text that is no address */
	for (size_t i = 0; i <= len; i++)
		text[i] = (char)pszAddrString[i];
	return InetPtonA(Family, text, pAddrBuf);
}
