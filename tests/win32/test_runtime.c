/* test_runtime.c - the Win32 portability surface: messages, heaps, strings, addresses. */
#include <windows.h>
#include <winsock2.h>
#include <ws2tcpip.h>
#include <mstcpip.h>

#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "tcptable.h"

#define SYSTEM_FLAGS                                                                          \
	(FORMAT_MESSAGE_ALLOCATE_BUFFER | FORMAT_MESSAGE_FROM_SYSTEM | FORMAT_MESSAGE_IGNORE_INSERTS)

static char *system_message(DWORD code)
{
	char *msg = NULL;
	DWORD n = FormatMessageA(SYSTEM_FLAGS, NULL, code, MAKELANGID(LANG_NEUTRAL, SUBLANG_DEFAULT),
				 (LPSTR)&msg, 0, NULL);
	if (n == 0)
		return NULL;
	assert_int_equal(strlen(msg), n);
	return msg;
}

static void format_message_gives_windows_text(void **state)
{
	(void)state;
	static const struct { DWORD code; const char *text; } known[] = {
		{ 0, "The operation completed successfully.\r\n" },
		{ 87, "The parameter is incorrect.\r\n" },
		{ 122, "The data area passed to a system call is too small.\r\n" },
		{ 1168, "Element not found.\r\n" },
		{ 50, "The request is not supported.\r\n" },
		{ 317, "The system cannot find message text for message number 0x%1 in the message "
		       "file for %2.\r\n" },
	};
	for (size_t i = 0; i < _countof(known); i++) {
		char *m = system_message(known[i].code);
		assert_non_null(m);
		assert_string_equal(known[i].text, m);
		assert_null(LocalFree(m));
	}
}

/* Every code the IP Helper functions can return has a message: our own codes, and every
 * code libtcptable's errno mapping produces. */
static void every_returned_code_has_a_message(void **state)
{
	(void)state;
	static const DWORD ours[] = { NO_ERROR, ERROR_INVALID_PARAMETER, ERROR_INSUFFICIENT_BUFFER,
				      ERROR_NO_MORE_FILES, ERROR_BAD_LENGTH, ERROR_INVALID_HANDLE,
				      ERROR_NOT_SUPPORTED, ERROR_NOT_ENOUGH_MEMORY, ERROR_NOT_FOUND,
				      ERROR_MR_MID_NOT_FOUND, ERROR_ACCESS_DENIED, ERROR_GEN_FAILURE,
				      ERROR_PARTIAL_COPY, STATUS_UNSUCCESSFUL };
	for (size_t i = 0; i < _countof(ours); i++) {
		char *m = system_message(ours[i]);
		assert_non_null(m);
		LocalFree(m);
	}
	for (int e = 0; e < 4096; e++) {
		char *m = system_message(tcpt_error_win32(-e));
		if (!m)
			fail_msg("no message for win32 code %u (errno %d)", tcpt_error_win32(-e), e);
		LocalFree(m);
	}
}

static void format_message_failures_set_last_error(void **state)
{
	(void)state;
	char buf[8];
	char *p = NULL;
	assert_int_equal(0, FormatMessageA(SYSTEM_FLAGS, NULL, 4242424, 0, (LPSTR)&p, 0, NULL));
	assert_int_equal(ERROR_MR_MID_NOT_FOUND, GetLastError());
	assert_null(p);
	memset(buf, 'x', sizeof(buf));
	assert_int_equal(0, FormatMessageA(FORMAT_MESSAGE_FROM_SYSTEM | FORMAT_MESSAGE_IGNORE_INSERTS,
					   NULL, 87, 0, buf, sizeof(buf), NULL));
	assert_int_equal(ERROR_INSUFFICIENT_BUFFER, GetLastError());
	assert_int_equal('x', buf[0]);
	/* 317's text has inserts: without IGNORE_INSERTS and without arguments it fails. */
	assert_int_equal(0, FormatMessageA(FORMAT_MESSAGE_ALLOCATE_BUFFER | FORMAT_MESSAGE_FROM_SYSTEM,
					   NULL, 317, 0, (LPSTR)&p, 0, NULL));
	assert_int_equal(ERROR_INVALID_PARAMETER, GetLastError());
	assert_int_equal(0, FormatMessageA(SYSTEM_FLAGS, NULL, 87, MAKELANGID(0x07, 1), (LPSTR)&p,
					   0, NULL));
	assert_int_equal(ERROR_RESOURCE_LANG_NOT_FOUND, GetLastError());
	char big[64];
	assert_int_equal(6, FormatMessageA(FORMAT_MESSAGE_FROM_STRING | FORMAT_MESSAGE_IGNORE_INSERTS,
					   "a %1 b", 0, 0, big, sizeof(big), NULL));
	assert_string_equal("a %1 b", big);
}

static void heap_and_local_memory(void **state)
{
	(void)state;
	HANDLE h = GetProcessHeap();
	assert_non_null(h);
	assert_ptr_equal(h, GetProcessHeap());
	unsigned char *p = HeapAlloc(h, HEAP_ZERO_MEMORY, 100);
	for (int i = 0; i < 100; i++)
		assert_int_equal(0, p[i]);
	assert_true(HeapFree(h, 0, p));
	assert_true(HeapFree(h, 0, NULL));
	void *z = HeapAlloc(h, 0, 0);
	assert_non_null(z);
	HeapFree(h, 0, z);
	assert_null(HeapAlloc((HANDLE)&h, 0, 8));
	assert_int_equal(ERROR_INVALID_HANDLE, GetLastError());
	HLOCAL l = LocalAlloc(LPTR, 16);
	assert_int_equal(0, ((unsigned char *)l)[15]);
	assert_null(LocalFree(l));
	assert_null(LocalAlloc(0x0002, 16));
	assert_int_equal(ERROR_INVALID_PARAMETER, GetLastError());
}

static void secure_string_functions(void **state)
{
	(void)state;
	char buf[8];
	assert_int_equal(0, strcpy_s(buf, sizeof(buf), "1234567"));
	assert_string_equal("1234567", buf);
	assert_int_equal(ERANGE, strcpy_s(buf, sizeof(buf), "12345678"));
	assert_string_equal("", buf);
	assert_int_equal(EINVAL, strcpy_s(NULL, 8, "x"));
	assert_int_equal(EINVAL, strcpy_s(buf, sizeof(buf), NULL));
	assert_int_equal(0, strcpy_s(buf, sizeof(buf), "ab"));
	assert_int_equal(0, strcat_s(buf, sizeof(buf), "cd"));
	assert_string_equal("abcd", buf);
	assert_int_equal(ERANGE, strcat_s(buf, sizeof(buf), "efgh"));
	assert_string_equal("", buf);
	assert_int_equal(5, sprintf_s(buf, sizeof(buf), "%d-%s", 12, "ab"));
	assert_string_equal("12-ab", buf);
	assert_int_equal(-1, sprintf_s(buf, sizeof(buf), "%s", "too long!"));
	assert_string_equal("", buf);
	int a[7];
	assert_int_equal(7, _countof(a));
}

static void addresses_to_text_accept_both_af_inet6_values(void **state)
{
	(void)state;
	char text[INET6_ADDRSTRLEN];
	IN6_ADDR a6;
	memset(&a6, 0, sizeof(a6));
	a6.u.Byte[15] = 1;
	assert_ptr_equal(text, InetNtopA(23, &a6, text, sizeof(text)));
	assert_string_equal("::1", text);
	assert_ptr_equal(text, inet_ntop(10, &a6, text, sizeof(text)));
	assert_string_equal("::1", text);
	assert_null(InetNtopA(7, &a6, text, sizeof(text)));
	assert_int_equal(WSAEAFNOSUPPORT, WSAGetLastError());
	assert_null(InetNtopA(AF_INET6, &a6, text, 3));
	assert_int_equal(ERROR_INVALID_PARAMETER, GetLastError());
	struct in_addr a4;
	assert_int_equal(1, InetPtonA(AF_INET, "10.1.2.3", &a4));
	assert_int_equal(10, a4.S_un.S_un_b.s_b1);
	assert_int_equal(3, a4.S_un.S_un_b.s_b4);
	assert_int_equal(htonl(0x0A010203), a4.s_addr);
	assert_string_equal("10.1.2.3", inet_ntoa(a4));
	char *end = RtlIpv4AddressToStringA(&a4, text);
	assert_string_equal("10.1.2.3", text);
	assert_ptr_equal(text + 8, end);
	assert_int_equal(1, InetPtonA(AF_INET6, "fe80::1:2", &a6));
	end = RtlIpv6AddressToStringA(&a6, text);
	assert_string_equal("fe80::1:2", text);
	assert_ptr_equal(text + 9, end);
	assert_int_equal(0, InetPtonA(AF_INET, "300.1.1.1", &a4));
	assert_int_equal(htons(0x1234), 0x3412);
	assert_int_equal(inet_addr("127.0.0.1"), htonl(INADDR_LOOPBACK));
}

static void wide_to_utf8(void **state)
{
	(void)state;
	/* code points; a surrogate and a value past U+10FFFF are not characters: U+FFFD */
	static const WCHAR w[] = { 'a', 0xE9, 0x20AC, 0x1F600, 0xDC00, 0x110000, 0 };
	char out[32];
	int n = WideCharToMultiByte(CP_UTF8, 0, w, -1, NULL, 0, NULL, NULL);
	assert_int_equal(1 + 2 + 3 + 4 + 3 + 3 + 1, n);
	assert_int_equal(n, WideCharToMultiByte(CP_UTF8, 0, w, -1, out, sizeof(out), NULL, NULL));
	assert_string_equal("a\xC3\xA9\xE2\x82\xAC\xF0\x9F\x98\x80\xEF\xBF\xBD\xEF\xBF\xBD", out);
	assert_int_equal(0, WideCharToMultiByte(CP_UTF8, 0, w, -1, out, 3, NULL, NULL));
	assert_int_equal(ERROR_INSUFFICIENT_BUFFER, GetLastError());
	assert_int_equal(0, WideCharToMultiByte(1252, 0, w, -1, out, sizeof(out), NULL, NULL));
	assert_int_equal(ERROR_INVALID_PARAMETER, GetLastError());
}

static void wsa_startup_succeeds(void **state)
{
	(void)state;
	WSADATA d;
	assert_int_equal(0, WSAStartup(MAKEWORD(2, 2), &d));
	assert_int_equal(MAKEWORD(2, 2), d.wVersion);
	assert_int_equal(0, WSAStartup(MAKEWORD(1, 1), &d));
	assert_int_equal(MAKEWORD(1, 1), d.wVersion);
	assert_int_equal(WSAVERNOTSUPPORTED, WSAStartup(MAKEWORD(0, 1), &d));
	assert_int_equal(0, WSACleanup());
	assert_true(GetCurrentProcessId() > 0);
}

static void format_message_wide(void **state)
{
	(void)state;
	WCHAR *msg = NULL;
	DWORD n = FormatMessageW(SYSTEM_FLAGS, NULL, ERROR_ACCESS_DENIED, 0, (LPWSTR)&msg, 0, NULL);
	assert_int_equal(wcslen(L"Access is denied.\r\n"), n);
	assert_true(wcscmp(L"Access is denied.\r\n", msg) == 0);
	LocalFree(msg);
	WCHAR buf[64];
	n = FormatMessageW(FORMAT_MESSAGE_FROM_STRING | FORMAT_MESSAGE_IGNORE_INSERTS,
			   L"caf\u00e9 %1", 0, 0, buf, _countof(buf), NULL);
	assert_int_equal(7, n);
	assert_true(wcscmp(L"caf\u00e9 %1", buf) == 0);
	assert_int_equal(0, FormatMessageW(FORMAT_MESSAGE_FROM_SYSTEM, NULL, 87, 0, buf, 5, NULL));
	assert_int_equal(ERROR_INSUFFICIENT_BUFFER, GetLastError());
	assert_int_equal(0, FormatMessageW(FORMAT_MESSAGE_FROM_SYSTEM, NULL, 4242424, 0, buf,
					   _countof(buf), NULL));
	assert_int_equal(ERROR_MR_MID_NOT_FOUND, GetLastError());
}

static void utf8_to_wide(void **state)
{
	(void)state;
	WCHAR w[16];
	/* a, e-acute, euro, U+1F600, one invalid byte */
	const char *s = "a\xC3\xA9\xE2\x82\xAC\xF0\x9F\x98\x80\xFF";
	assert_int_equal(6, MultiByteToWideChar(CP_UTF8, 0, s, -1, NULL, 0));
	assert_int_equal(6, MultiByteToWideChar(CP_UTF8, 0, s, -1, w, _countof(w)));
	static const WCHAR want[] = { 'a', 0xE9, 0x20AC, 0x1F600, 0xFFFD, 0 };
	assert_memory_equal(want, w, sizeof(want));
	assert_int_equal(0, MultiByteToWideChar(CP_UTF8, 0, s, -1, w, 3));
	assert_int_equal(ERROR_INSUFFICIENT_BUFFER, GetLastError());
	assert_int_equal(0, MultiByteToWideChar(CP_UTF8, 1, s, -1, w, _countof(w)));
	assert_int_equal(ERROR_INVALID_PARAMETER, GetLastError());
}

static void inet_wide_forms(void **state)
{
	(void)state;
	IN6_ADDR a6;
	IN_ADDR a4;
	WCHAR text[INET6_ADDRSTRLEN];
	assert_int_equal(1, InetPtonW(AF_INET6, L"fe80::1:2", &a6));
	assert_ptr_equal(text, InetNtopW(23, &a6, text, _countof(text)));
	assert_true(wcscmp(L"fe80::1:2", text) == 0);
	assert_int_equal(1, InetPtonW(AF_INET, L"127.0.0.1", &a4));
	assert_int_equal(htonl(INADDR_LOOPBACK), a4.s_addr);
	assert_ptr_equal(text, InetNtopW(AF_INET, &a4, text, _countof(text)));
	assert_true(wcscmp(L"127.0.0.1", text) == 0);
	assert_null(InetNtopW(AF_INET, &a4, text, 9)); /* 9 WCHARs: no room for the NUL */
	assert_int_equal(ERROR_INVALID_PARAMETER, GetLastError());
	assert_int_equal(0, InetPtonW(AF_INET, L"127.0.0.\u00e9", &a4));
	assert_int_equal(WSAEINVAL, GetLastError());
	assert_int_equal(-1, InetPtonW(99, L"1.2.3.4", &a4));
	assert_int_equal(WSAEAFNOSUPPORT, GetLastError());
	assert_null(InetNtopW(99, &a4, text, _countof(text)));
	assert_int_equal(WSAEAFNOSUPPORT, GetLastError());
	/* the C library's own, beside them: no macro in between */
	char narrow[INET_ADDRSTRLEN];
	assert_ptr_equal(narrow, inet_ntop(AF_INET, &a4, narrow, sizeof(narrow)));
}

static void wide_printf_reads_formats_as_msvc(void **state)
{
	(void)state;
	WCHAR out[128];
	int n = swprintf(out, _countof(out), L"[%s|%hs|%S|%ls|%ws|%c|%C|%I64d|%Iu|%I32u|%5.2f|%%]",
			 L"wide", "narrow", "narrow2", L"l", L"w", L'x', 'y', -1099511627776LL,
			 (size_t)7, 42u, 3.14159);
	const WCHAR *want = L"[wide|narrow|narrow2|l|w|x|y|-1099511627776|7|42| 3.14|%]";
	assert_int_equal((int)wcslen(want), n);
	assert_true(wcscmp(want, out) == 0);
	assert_int_equal(-1, swprintf(out, 4, L"%s", L"toolong"));
	assert_int_equal(0, out[3]);
	assert_int_equal(-1, swprintf_s(out, 4, L"%s", L"toolong"));
	assert_int_equal(0, out[0]);
	WCHAR five[5];
	assert_int_equal(5, _snwprintf(five, 5, L"%s", L"12345"));
	assert_memory_equal(L"12345", five, 5 * sizeof(WCHAR)); /* no NUL: exactly full */
	assert_int_equal(-1, _snwprintf(five, 5, L"%s", L"123456"));

	/* printf and wprintf on one stream, as Windows programs mix them; UTF-8 out */
	char *mem = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&mem, &len);
	assert_non_null(f);
	fprintf(f, "narrow ");
	assert_int_equal(7, fwprintf(f, L"caf\u00e9 %s", L"\u20ac1"));
	fputws(L" end", f);
	fclose(f);
	assert_string_equal("narrow caf\xC3\xA9 \xE2\x82\xAC" "1 end", mem);
	free(mem);

	WCHAR d[6];
	assert_int_equal(0, wcscpy_s(d, _countof(d), L"abc"));
	assert_int_equal(0, wcscat_s(d, _countof(d), L"de"));
	assert_true(wcscmp(L"abcde", d) == 0);
	assert_int_equal(ERANGE, wcscat_s(d, _countof(d), L"f"));
	assert_int_equal(0, d[0]);
	assert_int_equal(ERANGE, wcscpy_s(d, _countof(d), L"abcdef"));
}

static void msvc_case_insensitive_compare(void **state)
{
	(void)state;
	assert_int_equal(0, _stricmp("Python3.EXE", "python3.exe"));
	assert_true(_stricmp("ABC", "abd") < 0);
	assert_int_equal(0, _strnicmp("abX", "ABy", 2));
	assert_int_equal(0, _wcsicmp(L"SvcHost.exe", L"svchost.EXE"));
	assert_true(_wcsicmp(L"b", L"A") > 0);
	assert_int_equal(42, _wtoi(L"42"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(format_message_gives_windows_text),
		cmocka_unit_test(every_returned_code_has_a_message),
		cmocka_unit_test(format_message_failures_set_last_error),
		cmocka_unit_test(heap_and_local_memory),
		cmocka_unit_test(secure_string_functions),
		cmocka_unit_test(addresses_to_text_accept_both_af_inet6_values),
		cmocka_unit_test(wide_to_utf8),
		cmocka_unit_test(format_message_wide),
		cmocka_unit_test(utf8_to_wide),
		cmocka_unit_test(inet_wide_forms),
		cmocka_unit_test(wide_printf_reads_formats_as_msvc),
		cmocka_unit_test(msvc_case_insensitive_compare),
		cmocka_unit_test(wsa_startup_succeeds),
	};
	return cmocka_run_group_tests_name("win32 runtime", tests, NULL, NULL);
}
