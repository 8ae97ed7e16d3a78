/* test_headers.c - the headers as Windows code names them: <windows.h> alone makes the C
 * library's basics available (as the SDK's and mingw-w64's do), and every header name exists
 * in every spelling we install (Windows' file names ignore case), all in one file. */
#include <windows.h>

/* Only <windows.h> so far: these come with it. */
static size_t use_what_windows_h_brings(const char *s, const wchar_t *w)
{
	char *copy = malloc(strlen(s) + 1); /* <stdlib.h>, <string.h> */
	if (!copy)
		return 0;
	memcpy(copy, s, strlen(s) + 1);
	size_t n = isdigit((unsigned char)copy[0]) ? 1 : 0; /* <ctype.h> */
	n += wcslen(w) + (INT_MAX > 0) + (MAX_PATH == 260); /* <wchar.h>, <limits.h> */
	free(copy);
	return n;
}

#include <windows.h>
#include <winsock.h>
#include <winsock2.h>
#include <ws2tcpip.h>
#include <ws2ipdef.h>
#include <iphlpapi.h>
#include <iprtrmib.h>
#include <tcpmib.h>
#include <tcpestats.h>
#include <mstcpip.h>
#include <ip2string.h>
#include <inaddr.h>
#include <in6addr.h>
#include <winerror.h>
#include <tchar.h>
#include <tlhelp32.h>
#include <psapi.h>
#include <processthreadsapi.h>
#include <handleapi.h>
#include <HandleApi.h>
#include <Handleapi.h>
#include <IPHLPAPI.H>
#include <IPHLPAPI.h>
#include <IPHlpApi.h>
#include <IPRTRMIB.h>
#include <IPRtrMib.h>
#include <In6addr.h>
#include <Inaddr.h>
#include <Ip2string.h>
#include <IpHlpApi.h>
#include <Iphlpapi.h>
#include <Iprtrmib.h>
#include <MSTcpIP.h>
#include <Mstcpip.h>
#include <ProcessThreadsApi.h>
#include <Processthreadsapi.h>
#include <PsApi.h>
#include <Psapi.h>
#include <TCPMIB.h>
#include <TChar.h>
#include <TLHELP32.H>
#include <Tchar.h>
#include <TcpEStats.h>
#include <TcpMib.h>
#include <Tcpestats.h>
#include <Tcpmib.h>
#include <TlHelp32.h>
#include <Tlhelp32.h>
#include <WINDOWS.H>
#include <WINSOCK2.H>
#include <WS2tcpip.h>
#include <WinError.h>
#include <WinSock.h>
#include <WinSock2.h>
#include <Windows.h>
#include <Winerror.h>
#include <Winsock.h>
#include <Winsock2.h>
#include <Ws2ipdef.h>
#include <Ws2tcpip.h>

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>

static void windows_h_brings_the_c_basics(void **state)
{
	(void)state;
	assert_int_equal(1 + 2 + 1 + 1, use_what_windows_h_brings("7x", L"ab"));
}

static void every_spelling_names_the_same_declarations(void **state)
{
	(void)state;
	/* one declaration set: the functions of each header are there once */
	assert_non_null(&GetExtendedTcpTable);
	assert_non_null(&CreateToolhelp32Snapshot);
	assert_non_null(&GetModuleBaseNameW);
	assert_non_null(&QueryFullProcessImageNameA);
	assert_non_null(&CloseHandle);
	assert_non_null(&InetNtopW);
	assert_int_equal(TcpConnectionEstatsMaximum, 9);
	_TCHAR t[] = _T("x");
	assert_int_equal(1, _tcslen(t));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(windows_h_brings_the_c_basics),
		cmocka_unit_test(every_spelling_names_the_same_declarations),
	};
	return cmocka_run_group_tests_name("win32 header names", tests, NULL, NULL);
}
