/* test_functions.c - GetTcpStatistics*, SetTcpEntry and GetOwnerModuleFromTcp(6)Entry in a
 * private network namespace. */
#include <iphlpapi.h>

#include <errno.h>
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "wsock.h"

static int setup(void **state)
{
	(void)state;
	wsock_fresh_netns();
	return 0;
}

/* The value of COUNTER in /proc/net/snmp's Tcp lines, read independently of the library. */
static long long snmp_value(const char *counter)
{
	FILE *f = fopen("/proc/thread-self/net/snmp", "r");
	assert_non_null(f);
	char names[1024] = "", values[1024] = "", line[1024];
	while (fgets(line, sizeof(line), f))
		if (strncmp(line, "Tcp:", 4) == 0)
			strcpy(names[0] ? values : names, line);
	fclose(f);
	char *sn, *sv;
	char *n = strtok_r(names, " \n", &sn), *v = strtok_r(values, " \n", &sv);
	while (n && v) {
		if (strcmp(n, counter) == 0)
			return atoll(v);
		n = strtok_r(NULL, " \n", &sn);
		v = strtok_r(NULL, " \n", &sv);
	}
	fail_msg("no counter %s", counter);
	return 0;
}

static void statistics_reject_null_and_bad_families(void **state)
{
	(void)state;
	MIB_TCPSTATS s;
	MIB_TCPSTATS2 s2;
	memset(&s, 0x5A, sizeof(s));
	assert_int_equal(ERROR_INVALID_PARAMETER, GetTcpStatistics(NULL));
	assert_int_equal(ERROR_INVALID_PARAMETER, GetTcpStatisticsEx(NULL, AF_INET));
	assert_int_equal(ERROR_INVALID_PARAMETER, GetTcpStatisticsEx(&s, 0));
	assert_int_equal(ERROR_INVALID_PARAMETER, GetTcpStatisticsEx(&s, 7));
	assert_int_equal(ERROR_INVALID_PARAMETER, GetTcpStatisticsEx2(NULL, AF_INET));
	assert_int_equal(ERROR_INVALID_PARAMETER, GetTcpStatisticsEx2(&s2, 3));
	assert_int_equal(0x5A5A5A5A, s.dwRtoMin); /* untouched */
}

static void statistics_match_the_kernel_and_count_connections(void **state)
{
	(void)state;
	uint16_t port;
	int c, s, l = wsock_listen("127.0.0.1", 0, &port), l6 = wsock_listen("::1", 0, NULL);
	wsock_pair(l, "127.0.0.1", port, &c, &s, NULL);
	MIB_TCPSTATS st;
	MIB_TCPSTATS2 st2;
	for (ULONG af = 2; af <= 23; af += af == 2 ? 8 : 13) { /* 2, 10, 23 */
		assert_int_equal(NO_ERROR, GetTcpStatisticsEx(&st, af));
		assert_int_equal(2, st.dwNumConns); /* the pair; not the listeners */
		assert_int_equal(2, st.dwCurrEstab);
		assert_int_equal(1, st.dwActiveOpens);
		assert_int_equal(1, st.dwPassiveOpens);
		assert_int_equal(snmp_value("RtoMin"), st.dwRtoMin);
		assert_int_equal(snmp_value("RtoMax"), st.dwRtoMax);
		assert_int_equal(snmp_value("RtoAlgorithm"), st.dwRtoAlgorithm);
		assert_int_equal(MIB_TCP_MAXCONN_DYNAMIC, st.dwMaxConn);
		assert_int_equal(NO_ERROR, GetTcpStatisticsEx2(&st2, af));
		assert_int_equal(2, st2.dwNumConns);
		assert_int_equal(TcpRtoAlgorithmOther, st2.RtoAlgorithm);
		assert_true(st2.dw64InSegs >= 3 && st2.dw64OutSegs >= 3);
	}
	assert_int_equal(NO_ERROR, GetTcpStatistics(&st));
	assert_int_equal(snmp_value("InSegs"), st.dwInSegs);
	wsock_close(c);
	wsock_close(s);
	wsock_close(l);
	wsock_close(l6);
}

static MIB_TCPROW row_of(const char *laddr, uint16_t lport, const char *raddr, uint16_t rport,
			 DWORD state)
{
	MIB_TCPROW r = { .dwState = state, .dwLocalPort = htons(lport),
			 .dwRemotePort = htons(rport) };
	wsock_addr(laddr, (uint8_t *)&r.dwLocalAddr);
	wsock_addr(raddr, (uint8_t *)&r.dwRemoteAddr);
	return r;
}

static void set_entry_validates_the_row(void **state)
{
	(void)state;
	MIB_TCPROW zero;
	memset(&zero, 0, sizeof(zero));
	assert_int_equal(ERROR_INVALID_PARAMETER, SetTcpEntry(NULL));
	assert_int_equal(ERROR_INVALID_PARAMETER, SetTcpEntry(&zero));
	zero.dwState = MIB_TCP_STATE_ESTAB;
	assert_int_equal(ERROR_INVALID_PARAMETER, SetTcpEntry(&zero));
	zero.dwState = MIB_TCP_STATE_DELETE_TCB;
	assert_int_equal(ERROR_NOT_FOUND, SetTcpEntry(&zero)); /* as root: no such connection */
}

static void set_entry_delete_tcb_resets_the_connection(void **state)
{
	(void)state;
	uint16_t lport, cport;
	int c, s, l = wsock_listen("127.0.0.1", 0, &lport);
	wsock_pair(l, "127.0.0.1", lport, &c, &s, &cport);
	MIB_TCPROW r = row_of("127.0.0.1", cport, "127.0.0.1", lport, MIB_TCP_STATE_DELETE_TCB);
	assert_int_equal(NO_ERROR, SetTcpEntry(&r));
	assert_int_equal(ECONNABORTED, wsock_wait_error(c)); /* the local socket */
	assert_int_equal(ECONNRESET, wsock_wait_error(s));   /* the peer got a RST */
	assert_int_equal(ERROR_NOT_FOUND, SetTcpEntry(&r));  /* gone now */
	wsock_close(c);
	wsock_close(s);
	wsock_close(l);
}

/* A listener is not a connection: its row (remote 0.0.0.0:0) is not found, and it still
 * accepts afterwards. */
static void set_entry_leaves_a_listener_alone(void **state)
{
	(void)state;
	uint16_t lport, cport;
	int l = wsock_listen("127.0.0.1", 0, &lport);
	MIB_TCPROW r = row_of("127.0.0.1", lport, "0.0.0.0", 0, MIB_TCP_STATE_DELETE_TCB);
	assert_int_equal(ERROR_NOT_FOUND, SetTcpEntry(&r));
	int c, s;
	wsock_pair(l, "127.0.0.1", lport, &c, &s, &cport); /* fails the test if not listening */
	assert_int_equal(0, wsock_wait_error(c));
	wsock_close(c);
	wsock_close(s);
	wsock_close(l);
}

static void set_entry_without_net_admin_is_317_like_non_elevated_windows(void **state)
{
	(void)state;
	uint16_t lport, cport;
	int c, s, l = wsock_listen("127.0.0.1", 0, &lport);
	wsock_pair(l, "127.0.0.1", lport, &c, &s, &cport);
	pid_t pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		wsock_drop_net_admin();
		MIB_TCPROW r = row_of("127.0.0.1", cport, "127.0.0.1", lport,
				      MIB_TCP_STATE_DELETE_TCB);
		MIB_TCPROW none = row_of("127.0.0.9", 1, "127.0.0.9", 2, MIB_TCP_STATE_DELETE_TCB);
		_exit(SetTcpEntry(&r) == 317 && SetTcpEntry(&none) == 317 ? 0 : 1);
	}
	int status;
	assert_int_equal(pid, waitpid(pid, &status, 0));
	assert_true(WIFEXITED(status));
	assert_int_equal(0, WEXITSTATUS(status));
	assert_int_equal(0, wsock_wait_error(c)); /* still connected */
	wsock_close(c);
	wsock_close(s);
	wsock_close(l);
}

/* Wide to ASCII for comparisons (the test's names are ASCII). */
static void narrow(const WCHAR *w, char *out, size_t size)
{
	size_t i = 0;
	for (; w[i] && i + 1 < size; i++)
		out[i] = (char)w[i];
	out[i] = '\0';
}

static void owner_module_names_our_executable(void **state)
{
	(void)state;
	MIB_TCPROW_OWNER_MODULE row;
	memset(&row, 0, sizeof(row));
	row.dwOwningPid = (DWORD)getpid();
	char exe[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	assert_true(n > 0);
	exe[n] = '\0';
	const char *base = strrchr(exe, '/') + 1;
	DWORD size = 0;
	assert_int_equal(ERROR_INSUFFICIENT_BUFFER,
			 GetOwnerModuleFromTcpEntry(&row, TCPIP_OWNER_MODULE_INFO_BASIC, NULL, &size));
	DWORD want = (DWORD)(sizeof(TCPIP_OWNER_MODULE_BASIC_INFO) +
			     sizeof(WCHAR) * (strlen(base) + 1 + strlen(exe) + 1));
	assert_int_equal(want, size);
	unsigned char *buf = malloc(size + 16);
	memset(buf, 0xA5, size + 16);
	DWORD small = size - 1;
	assert_int_equal(ERROR_INSUFFICIENT_BUFFER,
			 GetOwnerModuleFromTcpEntry(&row, TCPIP_OWNER_MODULE_INFO_BASIC, buf, &small));
	assert_int_equal(0xA5, buf[0]);
	assert_int_equal(NO_ERROR,
			 GetOwnerModuleFromTcpEntry(&row, TCPIP_OWNER_MODULE_INFO_BASIC, buf, &size));
	assert_int_equal(want, size);
	assert_int_equal(0xA5, buf[size]);
	TCPIP_OWNER_MODULE_BASIC_INFO *info = (void *)buf;
	assert_true((unsigned char *)info->pModuleName >= buf + sizeof(*info));
	assert_true((unsigned char *)info->pModulePath < buf + size);
	char text[PATH_MAX];
	narrow(info->pModuleName, text, sizeof(text));
	assert_string_equal(base, text);
	narrow(info->pModulePath, text, sizeof(text));
	assert_string_equal(exe, text);
	free(buf);

	MIB_TCP6ROW_OWNER_MODULE row6;
	memset(&row6, 0, sizeof(row6));
	row6.dwOwningPid = (DWORD)getpid();
	size = 0;
	assert_int_equal(ERROR_INSUFFICIENT_BUFFER,
			 GetOwnerModuleFromTcp6Entry(&row6, TCPIP_OWNER_MODULE_INFO_BASIC, NULL, &size));
	assert_int_equal(want, size);
}

static void owner_module_rejects_bad_input(void **state)
{
	(void)state;
	MIB_TCPROW_OWNER_MODULE row;
	memset(&row, 0, sizeof(row));
	DWORD size = 0;
	assert_int_equal(ERROR_INVALID_PARAMETER,
			 GetOwnerModuleFromTcpEntry(NULL, TCPIP_OWNER_MODULE_INFO_BASIC, NULL, &size));
	assert_int_equal(ERROR_INVALID_PARAMETER,
			 GetOwnerModuleFromTcp6Entry(NULL, TCPIP_OWNER_MODULE_INFO_BASIC, NULL, &size));
	row.dwOwningPid = (DWORD)getpid();
	assert_int_equal(ERROR_INVALID_PARAMETER,
			 GetOwnerModuleFromTcpEntry(&row, TCPIP_OWNER_MODULE_INFO_BASIC, NULL, NULL));
	assert_int_equal(ERROR_INVALID_PARAMETER,
			 GetOwnerModuleFromTcpEntry(&row, (TCPIP_OWNER_MODULE_INFO_CLASS)1, NULL, &size));
	row.dwOwningPid = 0;
	assert_int_equal(ERROR_NOT_FOUND,
			 GetOwnerModuleFromTcpEntry(&row, TCPIP_OWNER_MODULE_INFO_BASIC, NULL, &size));
	row.dwOwningPid = 0x7FFFFFF0; /* above pid_max */
	assert_int_equal(ERROR_NOT_FOUND,
			 GetOwnerModuleFromTcpEntry(&row, TCPIP_OWNER_MODULE_INFO_BASIC, NULL, &size));
	assert_int_equal(0, size);
}

static void owner_module_of_a_kernel_thread_is_system(void **state)
{
	(void)state;
	MIB_TCPROW_OWNER_MODULE row;
	memset(&row, 0, sizeof(row));
	row.dwOwningPid = 2; /* kthreadd */
	unsigned char buf[256];
	DWORD size = sizeof(buf);
	if (access("/proc/2/stat", F_OK) != 0)
		skip(); /* a pid namespace without kthreadd */
	assert_int_equal(NO_ERROR,
			 GetOwnerModuleFromTcpEntry(&row, TCPIP_OWNER_MODULE_INFO_BASIC, buf, &size));
	char text[64];
	narrow(((TCPIP_OWNER_MODULE_BASIC_INFO *)buf)->pModuleName, text, sizeof(text));
	assert_string_equal("System", text);
	narrow(((TCPIP_OWNER_MODULE_BASIC_INFO *)buf)->pModulePath, text, sizeof(text));
	assert_string_equal("System", text);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(statistics_reject_null_and_bad_families, setup),
		cmocka_unit_test_setup(statistics_match_the_kernel_and_count_connections, setup),
		cmocka_unit_test_setup(set_entry_validates_the_row, setup),
		cmocka_unit_test_setup(set_entry_delete_tcb_resets_the_connection, setup),
		cmocka_unit_test_setup(set_entry_leaves_a_listener_alone, setup),
		cmocka_unit_test_setup(set_entry_without_net_admin_is_317_like_non_elevated_windows, setup),
		cmocka_unit_test_setup(owner_module_names_our_executable, setup),
		cmocka_unit_test_setup(owner_module_rejects_bad_input, setup),
		cmocka_unit_test_setup(owner_module_of_a_kernel_thread_is_system, setup),
	};
	return cmocka_run_group_tests_name("win32 functions", tests, wsock_group_setup, NULL);
}
