/* test_tables.c - the IP Helper table functions against sockets the test makes in a private
 * network namespace: exact rows, the two-call contract, order, classes, families. */
#include <iphlpapi.h>

#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "table.h"
#include "wsock.h"

#define CANARY 0xA5

static DWORD port_dw(uint16_t port)
{
	return (DWORD)htons(port);
}

static DWORD addr_dw(const char *text)
{
	DWORD d;
	wsock_addr(text, (uint8_t *)&d);
	return d;
}

/* GetExtendedTcpTable, two calls, the table in a malloc'd buffer. */
static void *extended(ULONG af, TCP_TABLE_CLASS cls, BOOL order)
{
	DWORD size = 0;
	assert_int_equal(ERROR_INSUFFICIENT_BUFFER,
			 GetExtendedTcpTable(NULL, &size, order, af, cls, 0));
	void *t = malloc(size);
	assert_non_null(t);
	assert_int_equal(NO_ERROR, GetExtendedTcpTable(t, &size, order, af, cls, 0));
	return t;
}

static PMIB_TCPTABLE tcptable(BOOL order)
{
	ULONG size = 0;
	assert_int_equal(ERROR_INSUFFICIENT_BUFFER, GetTcpTable(NULL, &size, order));
	PMIB_TCPTABLE t = malloc(size);
	assert_int_equal(NO_ERROR, GetTcpTable(t, &size, order));
	assert_int_equal(offsetof(MIB_TCPTABLE, table[t->dwNumEntries]), size);
	return t;
}

static int setup(void **state)
{
	(void)state;
	wsock_fresh_netns();
	return 0;
}

static void empty_namespace_needs_four_bytes(void **state)
{
	(void)state;
	ULONG size = 0;
	assert_int_equal(ERROR_INSUFFICIENT_BUFFER, GetTcpTable(NULL, &size, TRUE));
	assert_int_equal(4, size);
	DWORD n = 0xFFFFFFFF;
	assert_int_equal(NO_ERROR, GetTcpTable((PMIB_TCPTABLE)&n, &size, TRUE));
	assert_int_equal(0, n);
	assert_int_equal(4, size);
}

static void null_size_pointer_is_invalid_parameter(void **state)
{
	(void)state;
	char buf[64];
	assert_int_equal(ERROR_INVALID_PARAMETER, GetTcpTable((void *)buf, NULL, TRUE));
	assert_int_equal(ERROR_INVALID_PARAMETER, GetTcpTable2((void *)buf, NULL, TRUE));
	assert_int_equal(ERROR_INVALID_PARAMETER, GetTcp6Table((void *)buf, NULL, TRUE));
	assert_int_equal(ERROR_INVALID_PARAMETER, GetTcp6Table2((void *)buf, NULL, TRUE));
	assert_int_equal(ERROR_INVALID_PARAMETER,
			 GetExtendedTcpTable(buf, NULL, TRUE, AF_INET, TCP_TABLE_BASIC_ALL, 0));
}

static void listener_row_has_every_field_exact(void **state)
{
	(void)state;
	uint16_t port;
	int fd = wsock_listen("127.0.0.1", 0, &port);
	PMIB_TCPTABLE t = tcptable(TRUE);
	assert_int_equal(1, t->dwNumEntries);
	assert_int_equal(MIB_TCP_STATE_LISTEN, t->table[0].dwState);
	assert_int_equal(MIB_TCP_STATE_LISTEN, t->table[0].State);
	assert_int_equal(addr_dw("127.0.0.1"), t->table[0].dwLocalAddr);
	assert_int_equal(port_dw(port), t->table[0].dwLocalPort); /* upper 16 bits zero */
	assert_int_equal(0, t->table[0].dwRemoteAddr);
	assert_int_equal(0, t->table[0].dwRemotePort);
	free(t);
	wsock_close(fd);
}

static void established_pair_gives_three_sorted_rows(void **state)
{
	(void)state;
	uint16_t lport, cport;
	int c, s, l = wsock_listen("127.0.0.1", 0, &lport);
	wsock_pair(l, "127.0.0.1", lport, &c, &s, &cport);
	PMIB_TCPTABLE t = tcptable(TRUE);
	assert_int_equal(3, t->dwNumEntries);
	/* Sorted by local port, then remote: the listener and the server side share a port. */
	MIB_TCPROW want[3] = {
		{ .dwState = MIB_TCP_STATE_LISTEN, .dwLocalAddr = addr_dw("127.0.0.1"),
		  .dwLocalPort = port_dw(lport) },
		{ .dwState = MIB_TCP_STATE_ESTAB, .dwLocalAddr = addr_dw("127.0.0.1"),
		  .dwLocalPort = port_dw(lport), .dwRemoteAddr = addr_dw("127.0.0.1"),
		  .dwRemotePort = port_dw(cport) },
		{ .dwState = MIB_TCP_STATE_ESTAB, .dwLocalAddr = addr_dw("127.0.0.1"),
		  .dwLocalPort = port_dw(cport), .dwRemoteAddr = addr_dw("127.0.0.1"),
		  .dwRemotePort = port_dw(lport) },
	};
	if (cport < lport) { /* the client's row comes first then */
		MIB_TCPROW tmp = want[2];
		want[2] = want[1];
		want[1] = want[0];
		want[0] = tmp;
	}
	assert_memory_equal(want, t->table, sizeof(want));
	free(t);
	wsock_close(c);
	wsock_close(s);
	wsock_close(l);
}

static void short_buffer_gets_exact_size_and_no_write(void **state)
{
	(void)state;
	uint16_t p1, p2;
	int a = wsock_listen("127.0.0.1", 0, &p1), b = wsock_listen("127.0.0.2", 0, &p2);
	unsigned char buf[256];
	memset(buf, CANARY, sizeof(buf));
	ULONG size = 20; /* needs 4 + 2 * 20 = 44 */
	assert_int_equal(ERROR_INSUFFICIENT_BUFFER, GetTcpTable((void *)buf, &size, TRUE));
	assert_int_equal(44, size);
	for (size_t i = 0; i < sizeof(buf); i++)
		assert_int_equal(CANARY, buf[i]);
	/* The exact size succeeds and not one byte after it is written. */
	assert_int_equal(NO_ERROR, GetTcpTable((void *)buf, &size, TRUE));
	assert_int_equal(44, size);
	for (size_t i = 44; i < sizeof(buf); i++)
		assert_int_equal(CANARY, buf[i]);
	wsock_close(a);
	wsock_close(b);
}

static void msdn_sample_starting_with_24_bytes_succeeds_on_second_call(void **state)
{
	(void)state;
	int fds[3];
	for (int i = 0; i < 3; i++)
		fds[i] = wsock_listen("127.0.0.1", 0, NULL);
	PMIB_TCPTABLE t = malloc(sizeof(MIB_TCPTABLE));
	ULONG size = sizeof(MIB_TCPTABLE);
	assert_int_equal(ERROR_INSUFFICIENT_BUFFER, GetTcpTable(t, &size, TRUE));
	assert_int_equal(4 + 3 * 20, size);
	free(t);
	t = malloc(size);
	assert_int_equal(NO_ERROR, GetTcpTable(t, &size, TRUE));
	assert_int_equal(3, t->dwNumEntries);
	free(t);
	for (int i = 0; i < 3; i++)
		wsock_close(fds[i]);
}

static void one_row_fits_in_sizeof_table(void **state)
{
	(void)state;
	int fd = wsock_listen("127.0.0.1", 0, NULL);
	MIB_TCPTABLE t;
	ULONG size = sizeof(t);
	assert_int_equal(NO_ERROR, GetTcpTable(&t, &size, TRUE));
	assert_int_equal(1, t.dwNumEntries);
	wsock_close(fd);
}

/* Addresses compare as numbers (127.0.0.2 < 127.0.0.10 < 200.0.0.1), ports too (1 < 256,
 * although htons(256) < htons(1) as raw DWORDs). */
static void order_true_sorts_numerically(void **state)
{
	(void)state;
	static const struct { const char *addr; uint16_t port; } in[] = {
		{ "200.0.0.1", 1 }, { "127.0.0.10", 256 }, { "127.0.0.2", 256 },
		{ "127.0.0.2", 1 }, { "127.0.0.10", 1 },
	};
	static const int order[] = { 3, 2, 4, 1, 0 };
	int fds[5];
	for (int i = 0; i < 5; i++)
		fds[i] = wsock_listen(in[i].addr, in[i].port, NULL);
	PMIB_TCPTABLE t = tcptable(TRUE);
	assert_int_equal(5, t->dwNumEntries);
	for (int i = 0; i < 5; i++) {
		assert_int_equal(addr_dw(in[order[i]].addr), t->table[i].dwLocalAddr);
		assert_int_equal(port_dw(in[order[i]].port), t->table[i].dwLocalPort);
	}
	free(t);
	PMIB_TCPTABLE u = tcptable(FALSE); /* the same rows, in some order */
	assert_int_equal(5, u->dwNumEntries);
	for (int i = 0; i < 5; i++) {
		int found = 0;
		for (int k = 0; k < 5; k++)
			found += u->table[k].dwLocalAddr == addr_dw(in[i].addr) &&
				 u->table[k].dwLocalPort == port_dw(in[i].port);
		assert_int_equal(1, found);
	}
	free(u);
	for (int i = 0; i < 5; i++)
		wsock_close(fds[i]);
}

static void table2_reports_our_pid_and_host_offload(void **state)
{
	(void)state;
	uint16_t port;
	int fd = wsock_listen("127.0.0.1", 0, &port);
	ULONG size = 0;
	assert_int_equal(ERROR_INSUFFICIENT_BUFFER, GetTcpTable2(NULL, &size, TRUE));
	assert_int_equal(4 + 28, size);
	PMIB_TCPTABLE2 t = malloc(size);
	assert_int_equal(NO_ERROR, GetTcpTable2(t, &size, TRUE));
	MIB_TCPROW2 want = { .dwState = MIB_TCP_STATE_LISTEN, .dwLocalAddr = addr_dw("127.0.0.1"),
			     .dwLocalPort = port_dw(port), .dwOwningPid = (DWORD)getpid(),
			     .dwOffloadState = TcpConnectionOffloadStateInHost };
	assert_memory_equal(&want, &t->table[0], sizeof(want));
	free(t);
	wsock_close(fd);
}

/* Count rows of an OWNER_PID table in STATE; *pid gets the last one's pid. */
static int count_state(const MIB_TCPTABLE_OWNER_PID *t, DWORD state, DWORD *pid)
{
	int n = 0;
	for (DWORD i = 0; i < t->dwNumEntries; i++) {
		if (t->table[i].dwState == state) {
			n++;
			if (pid)
				*pid = t->table[i].dwOwningPid;
		}
	}
	return n;
}

static void classes_split_listeners_from_every_other_state(void **state)
{
	(void)state;
	uint16_t lport;
	int c1, s1, c2, s2, l = wsock_listen("127.0.0.1", 0, &lport);
	wsock_pair(l, "127.0.0.1", lport, &c1, &s1, NULL);
	wsock_pair(l, "127.0.0.1", lport, &c2, &s2, NULL);
	wsock_close(c1);          /* c1 -> TIME-WAIT after s1 closes; s1 -> CLOSE-WAIT */
	wsock_close(s2);          /* s2 closed: c2 -> CLOSE-WAIT */
	wsock_close(s1);
	usleep(100 * 1000);
	MIB_TCPTABLE_OWNER_PID *all = extended(AF_INET, TCP_TABLE_OWNER_PID_ALL, TRUE);
	MIB_TCPTABLE_OWNER_PID *lis = extended(AF_INET, TCP_TABLE_OWNER_PID_LISTENER, TRUE);
	MIB_TCPTABLE_OWNER_PID *con = extended(AF_INET, TCP_TABLE_OWNER_PID_CONNECTIONS, TRUE);
	DWORD tw_pid = 1, cw_pid = 0;
	assert_int_equal(1, count_state(all, MIB_TCP_STATE_TIME_WAIT, &tw_pid));
	assert_int_equal(0, tw_pid); /* TIME-WAIT rows have no process */
	assert_int_equal(1, count_state(all, MIB_TCP_STATE_CLOSE_WAIT, &cw_pid));
	assert_int_equal(getpid(), cw_pid);
	assert_int_equal(1, lis->dwNumEntries);
	assert_int_equal(MIB_TCP_STATE_LISTEN, lis->table[0].dwState);
	assert_int_equal(all->dwNumEntries - 1, con->dwNumEntries);
	assert_int_equal(0, count_state(con, MIB_TCP_STATE_LISTEN, NULL));
	assert_int_equal(1, count_state(con, MIB_TCP_STATE_TIME_WAIT, NULL));
	assert_int_equal(1, count_state(con, MIB_TCP_STATE_CLOSE_WAIT, NULL));
	free(all);
	free(lis);
	free(con);
	wsock_close(c2);
	wsock_close(l);
}

static void extended_checks_arguments_in_windows_order(void **state)
{
	(void)state;
	DWORD size = 0;
	char buf[16];
	assert_int_equal(ERROR_INVALID_PARAMETER,
			 GetExtendedTcpTable(NULL, NULL, TRUE, AF_INET, TCP_TABLE_BASIC_ALL, 0));
	assert_int_equal(ERROR_INVALID_PARAMETER,
			 GetExtendedTcpTable(buf, &size, TRUE, 0, TCP_TABLE_BASIC_ALL, 0));
	assert_int_equal(ERROR_INVALID_PARAMETER,
			 GetExtendedTcpTable(buf, &size, TRUE, 7, TCP_TABLE_BASIC_ALL, 0));
	assert_int_equal(ERROR_INVALID_PARAMETER,
			 GetExtendedTcpTable(buf, &size, TRUE, AF_INET, (TCP_TABLE_CLASS)9, 0));
	for (int c = TCP_TABLE_BASIC_LISTENER; c <= TCP_TABLE_BASIC_ALL; c++) {
		assert_int_equal(ERROR_NOT_SUPPORTED,
				 GetExtendedTcpTable(buf, &size, TRUE, 23, (TCP_TABLE_CLASS)c, 0));
		assert_int_equal(ERROR_NOT_SUPPORTED,
				 GetExtendedTcpTable(buf, &size, TRUE, 10, (TCP_TABLE_CLASS)c, 0));
	}
	assert_int_equal(0, size); /* untouched by every refusal */
	/* Reserved is ignored. */
	assert_int_equal(ERROR_INSUFFICIENT_BUFFER,
			 GetExtendedTcpTable(NULL, &size, TRUE, AF_INET, TCP_TABLE_BASIC_ALL, 99));
	assert_int_equal(4, size);
}

static void every_class_and_family_has_its_row_size(void **state)
{
	(void)state;
	static const size_t v4[9] = { 20, 20, 20, 24, 24, 24, 160, 160, 160 };
	static const size_t v6[9] = { 0, 0, 0, 56, 56, 56, 192, 192, 192 };
	int a = wsock_listen("127.0.0.1", 0, NULL), b = wsock_listen("::1", 0, NULL);
	for (int c = 0; c < 9; c++) {
		int listener = c % 3 != 1;
		DWORD size = 0;
		assert_int_equal(ERROR_INSUFFICIENT_BUFFER,
				 GetExtendedTcpTable(NULL, &size, TRUE, AF_INET, (TCP_TABLE_CLASS)c, 0));
		assert_int_equal((c >= 6 ? 8 : 4) + listener * v4[c], size);
		if (c < 3)
			continue;
		for (ULONG af = 10; af <= 23; af += 13) {
			size = 0;
			assert_int_equal(ERROR_INSUFFICIENT_BUFFER,
					 GetExtendedTcpTable(NULL, &size, TRUE, af, (TCP_TABLE_CLASS)c, 0));
			assert_int_equal((c >= 6 ? 8 : 4) + listener * v6[c], size);
		}
	}
	wsock_close(a);
	wsock_close(b);
}

static void owner_module_table_is_padded_and_zeroed(void **state)
{
	(void)state;
	uint16_t port;
	int fd = wsock_listen("127.0.0.1", 0, &port);
	unsigned char *t = extended(AF_INET, TCP_TABLE_OWNER_MODULE_ALL, TRUE);
	MIB_TCPTABLE_OWNER_MODULE *m = (void *)t;
	assert_int_equal(1, m->dwNumEntries);
	for (int i = 4; i < 8; i++)
		assert_int_equal(0, t[i]);
	MIB_TCPROW_OWNER_MODULE want;
	memset(&want, 0, sizeof(want));
	want.dwState = MIB_TCP_STATE_LISTEN;
	want.dwLocalAddr = addr_dw("127.0.0.1");
	want.dwLocalPort = port_dw(port);
	want.dwOwningPid = (DWORD)getpid();
	assert_memory_equal(&want, t + 8, sizeof(want));
	free(t);
	wsock_close(fd);
}

static void ipv6_rows_have_addresses_and_scope_ids(void **state)
{
	(void)state;
	uint16_t p1, p2;
	int a = wsock_listen("::1", 0, &p1), b = wsock_listen_dev("::1", "lo", &p2);
	ULONG size = 0;
	assert_int_equal(ERROR_INSUFFICIENT_BUFFER, GetTcp6Table(NULL, &size, TRUE));
	assert_int_equal(4 + 2 * 52, size);
	PMIB_TCP6TABLE t = malloc(size);
	assert_int_equal(NO_ERROR, GetTcp6Table(t, &size, TRUE));
	uint8_t lo[16];
	wsock_addr("::1", lo);
	for (int i = 0; i < 2; i++) {
		MIB_TCP6ROW *r = &t->table[i];
		int bound = r->dwLocalPort == port_dw(p2);
		/* Sorted by scope id before port: unbound (0) first. */
		assert_int_equal(i == 1, bound);
		assert_int_equal(MIB_TCP_STATE_LISTEN, r->State);
		assert_memory_equal(lo, r->LocalAddr.u.Byte, 16);
		assert_int_equal(bound ? 1 : 0, r->dwLocalScopeId); /* lo is interface 1 */
		assert_int_equal(bound ? 1 : 0, r->dwRemoteScopeId);
		assert_int_equal(port_dw(bound ? p2 : p1), r->dwLocalPort);
		assert_int_equal(0, r->dwRemotePort);
	}
	free(t);
	size = 0;
	assert_int_equal(ERROR_INSUFFICIENT_BUFFER, GetTcp6Table2(NULL, &size, TRUE));
	PMIB_TCP6TABLE2 t2 = malloc(size);
	assert_int_equal(NO_ERROR, GetTcp6Table2(t2, &size, TRUE));
	assert_int_equal(2, t2->dwNumEntries);
	assert_int_equal(getpid(), t2->table[0].dwOwningPid);
	assert_int_equal(MIB_TCP_STATE_LISTEN, t2->table[0].State);
	free(t2);
	/* The IPv4 table does not show them. */
	ULONG s4 = 0;
	assert_int_equal(ERROR_INSUFFICIENT_BUFFER, GetTcpTable(NULL, &s4, TRUE));
	assert_int_equal(4, s4);
	wsock_close(a);
	wsock_close(b);
}

static void af_inet6_as_23_and_10_give_the_same_table(void **state)
{
	(void)state;
	int a = wsock_listen("::1", 0, NULL), b = wsock_listen("::2", 0, NULL);
	void *x = extended(23, TCP_TABLE_OWNER_PID_ALL, TRUE);
	void *y = extended(10, TCP_TABLE_OWNER_PID_ALL, TRUE);
	assert_memory_equal(x, y, offsetof(MIB_TCP6TABLE_OWNER_PID, table[2]));
	free(x);
	free(y);
	wsock_close(a);
	wsock_close(b);
}

static void size_query_then_fill_returns_the_measured_table(void **state)
{
	(void)state;
	int a = wsock_listen("127.0.0.1", 0, NULL);
	ULONG size = 0;
	assert_int_equal(ERROR_INSUFFICIENT_BUFFER, GetTcpTable(NULL, &size, TRUE));
	assert_int_equal(24, size);
	int b = wsock_listen("127.0.0.2", 0, NULL); /* churn between the two calls */
	unsigned char buf[64];
	assert_int_equal(NO_ERROR, GetTcpTable((void *)buf, &size, TRUE));
	assert_int_equal(1, ((MIB_TCPTABLE *)buf)->dwNumEntries);
	/* The kept table was used once: the next call sees both. */
	size = sizeof(buf);
	assert_int_equal(NO_ERROR, GetTcpTable((void *)buf, &size, TRUE));
	assert_int_equal(2, ((MIB_TCPTABLE *)buf)->dwNumEntries);
	wsock_close(a);
	wsock_close(b);
}

static void kept_table_expires_and_is_per_shape(void **state)
{
	(void)state;
	int a = wsock_listen("127.0.0.1", 0, NULL);
	ULONG size = 0;
	assert_int_equal(ERROR_INSUFFICIENT_BUFFER, GetTcpTable(NULL, &size, TRUE));
	int b = wsock_listen("127.0.0.2", 0, NULL);
	usleep(1100 * 1000);
	unsigned char buf[128];
	size = sizeof(buf);
	assert_int_equal(NO_ERROR, GetTcpTable((void *)buf, &size, TRUE));
	assert_int_equal(2, ((MIB_TCPTABLE *)buf)->dwNumEntries);
	/* Another shape (order FALSE) does not use what was kept for order TRUE. */
	size = 0;
	assert_int_equal(ERROR_INSUFFICIENT_BUFFER, GetTcpTable(NULL, &size, TRUE));
	int c = wsock_listen("127.0.0.3", 0, NULL);
	size = sizeof(buf);
	assert_int_equal(NO_ERROR, GetTcpTable((void *)buf, &size, FALSE));
	assert_int_equal(3, ((MIB_TCPTABLE *)buf)->dwNumEntries);
	wsock_close(a);
	wsock_close(b);
	wsock_close(c);
}

static void *fill_in_thread(void *arg)
{
	unsigned char buf[128];
	ULONG size = sizeof(buf);
	*(DWORD *)arg = GetTcpTable((void *)buf, &size, TRUE) == NO_ERROR
				? ((MIB_TCPTABLE *)buf)->dwNumEntries : 99;
	return NULL;
}

static void kept_table_belongs_to_its_thread(void **state)
{
	(void)state;
	int a = wsock_listen("127.0.0.1", 0, NULL);
	ULONG size = 0;
	assert_int_equal(ERROR_INSUFFICIENT_BUFFER, GetTcpTable(NULL, &size, TRUE));
	int b = wsock_listen("127.0.0.2", 0, NULL);
	DWORD n = 0;
	pthread_t th;
	assert_int_equal(0, pthread_create(&th, NULL, fill_in_thread, &n));
	pthread_join(th, NULL);
	assert_int_equal(2, n); /* fresh: the other thread's kept table is not shared */
	unsigned char buf[128];
	size = sizeof(buf);
	assert_int_equal(NO_ERROR, GetTcpTable((void *)buf, &size, TRUE));
	assert_int_equal(1, ((MIB_TCPTABLE *)buf)->dwNumEntries); /* ours still was */
	wsock_close(a);
	wsock_close(b);
}

/* A table a DWORD cannot size is answered 122 with *size 0xFFFFFFFF (table_negotiate());
 * the size computation that decides it must not wrap. */
static void table_larger_than_a_dword_cannot_be_sized(void **state)
{
	(void)state;
	const struct table_shape *shapes[] = {&shape_tcptable, &shape_tcptable2, &shape_tcp6table,
					      &shape_tcp6table2, shape_extended[0][8],
					      shape_extended[1][8]};
	for (size_t i = 0; i < sizeof(shapes) / sizeof(shapes[0]); i++) {
		const struct table_shape *s = shapes[i];
		size_t fits = (UINT32_MAX - s->header) / s->row_size;
		assert_int_equal(s->header + fits * s->row_size, table_bytes_needed(s, fits));
		assert_true(table_bytes_needed(s, fits) <= UINT32_MAX);
		assert_int_equal(0, table_bytes_needed(s, fits + 1));
		assert_int_equal(0, table_bytes_needed(s, SIZE_MAX / 2));
		assert_int_equal(s->header, table_bytes_needed(s, 0));
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(table_larger_than_a_dword_cannot_be_sized),
		cmocka_unit_test_setup(empty_namespace_needs_four_bytes, setup),
		cmocka_unit_test_setup(null_size_pointer_is_invalid_parameter, setup),
		cmocka_unit_test_setup(listener_row_has_every_field_exact, setup),
		cmocka_unit_test_setup(established_pair_gives_three_sorted_rows, setup),
		cmocka_unit_test_setup(short_buffer_gets_exact_size_and_no_write, setup),
		cmocka_unit_test_setup(msdn_sample_starting_with_24_bytes_succeeds_on_second_call, setup),
		cmocka_unit_test_setup(one_row_fits_in_sizeof_table, setup),
		cmocka_unit_test_setup(order_true_sorts_numerically, setup),
		cmocka_unit_test_setup(table2_reports_our_pid_and_host_offload, setup),
		cmocka_unit_test_setup(classes_split_listeners_from_every_other_state, setup),
		cmocka_unit_test_setup(extended_checks_arguments_in_windows_order, setup),
		cmocka_unit_test_setup(every_class_and_family_has_its_row_size, setup),
		cmocka_unit_test_setup(owner_module_table_is_padded_and_zeroed, setup),
		cmocka_unit_test_setup(ipv6_rows_have_addresses_and_scope_ids, setup),
		cmocka_unit_test_setup(af_inet6_as_23_and_10_give_the_same_table, setup),
		cmocka_unit_test_setup(size_query_then_fill_returns_the_measured_table, setup),
		cmocka_unit_test_setup(kept_table_expires_and_is_per_shape, setup),
		cmocka_unit_test_setup(kept_table_belongs_to_its_thread, setup),
	};
	return cmocka_run_group_tests_name("win32 tables", tests, wsock_group_setup, NULL);
}
