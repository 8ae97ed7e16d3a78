/* test_coexist.c - the Windows headers and POSIX <sys/socket.h>, <netinet/in.h>,
 * <arpa/inet.h> in one file, in either order (built twice: POSIX_FIRST 1 and 0): no
 * redefinition, one struct in_addr/in6_addr that both APIs accept, the C library's inet_ntop
 * (no macro), and Windows' member names when the Windows headers came first. */
#if POSIX_FIRST
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <winsock2.h>
#include <ws2tcpip.h>
#include <iphlpapi.h>
#else
#include <winsock2.h>
#include <ws2tcpip.h>
#include <iphlpapi.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#endif
#include <netdb.h>
#include <unistd.h>

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include <cmocka.h>

_Static_assert(sizeof(struct in_addr) == 4 && sizeof(IN_ADDR) == 4, "in_addr");
_Static_assert(sizeof(struct in6_addr) == 16 && sizeof(IN6_ADDR) == 16, "in6_addr");
_Static_assert(AF_INET6 == 10, "the system's AF_INET6");

static void one_in_addr_for_both_apis(void **state)
{
	(void)state;
	struct sockaddr_in sin;
	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	assert_int_equal(1, inet_pton(AF_INET, "127.0.0.9", &sin.sin_addr)); /* glibc */
	char text[INET_ADDRSTRLEN];
	assert_string_equal("127.0.0.9", InetNtopA(AF_INET, &sin.sin_addr, text, sizeof(text)));
	assert_string_equal("127.0.0.9", inet_ntoa(sin.sin_addr));
	IN_ADDR a = sin.sin_addr; /* one type */
	assert_int_equal(htonl(0x7f000009), a.s_addr);
#if !POSIX_FIRST
	assert_int_equal(a.s_addr, a.S_un.S_addr);
	assert_int_equal(9, a.S_un.S_un_b.s_b4);
	assert_int_equal(9, a.s_impno);
#endif
	struct in6_addr a6;
	assert_int_equal(1, InetPtonA(23, "::ffff:1.2.3.4", &a6)); /* Windows' AF_INET6 too */
	char t6[INET6_ADDRSTRLEN];
	assert_string_equal("::ffff:1.2.3.4", inet_ntop(AF_INET6, &a6, t6, sizeof(t6)));
	assert_true(IN6_IS_ADDR_V4MAPPED(&a6));
	assert_int_equal(4, a6.s6_addr[15]);
#if !POSIX_FIRST
	assert_int_equal(4, a6.u.Byte[15]);
	assert_int_equal(htons(0xffff), a6.u.Word[5]);
#endif
	struct sockaddr_in6 s6;
	memset(&s6, 0, sizeof(s6));
	s6.sin6_family = AF_INET6;
	s6.sin6_addr = a6;
	char host[NI_MAXHOST];
	assert_int_equal(0, getnameinfo((struct sockaddr *)&s6, sizeof(s6), host, sizeof(host), NULL,
					0, NI_NUMERICHOST));
	assert_string_equal("::ffff:1.2.3.4", host);
}

static void posix_sockets_beside_ip_helper(void **state)
{
	(void)state;
	int fd = socket(AF_INET6, SOCK_STREAM, 0); /* AF_INET6 works for sockets here */
	assert_true(fd >= 0);
	close(fd);
	ULONG size = 0;
	assert_int_equal(ERROR_INSUFFICIENT_BUFFER, GetTcp6Table(NULL, &size, TRUE));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(one_in_addr_for_both_apis),
		cmocka_unit_test(posix_sockets_beside_ip_helper),
	};
	return cmocka_run_group_tests_name(POSIX_FIRST ? "POSIX headers first" : "Windows headers first",
					   tests, NULL, NULL);
}
