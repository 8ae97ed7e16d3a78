/* test_procnet.c - procnet_parse_line()/procnet_parse_text() on the recorded /proc text:
 * the same rows as netlink gave for the same sockets (minus what /proc cannot know), state
 * filtering, and garbage lines. Lines are parsed from heap buffers of exactly their length,
 * without a NUL, so that ASan reports any read past them. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include <cmocka.h>

#include "fixture.h"
#include "procnet.h"

#define ALL_STATES TCPT_STATES_VALID

static int parse_exact(const char *line, size_t len, int family, struct tcpt_conn *row)
{
	char *copy = malloc(len ? len : 1);
	memcpy(copy, line, len);
	int r = procnet_parse_line(copy, len, family, row);
	free(copy);
	return r;
}

/* Line NUMBER (0 is the header) of fixture NAME, without its newline, in *ret_len bytes. */
static char *fixture_line(const char *name, int number, size_t *ret_len)
{
	size_t len;
	char *text = fixture_read(name, &len);
	char *p = text;
	for (int i = 0; i < number; i++) {
		p = strchr(p, '\n');
		assert_non_null(p);
		p++;
	}
	char *nl = strchr(p, '\n');
	size_t n = nl ? (size_t)(nl - p) : strlen(p);
	char *line = malloc(n + 1);
	memcpy(line, p, n);
	line[n] = 0;
	free(text);
	*ret_len = n;
	return line;
}

static void check_text(const char *name, int family, const char *source)
{
	size_t len, n;
	char *text = fixture_read(name, &len);
	char *exact = malloc(len);
	memcpy(exact, text, len);
	struct rowvec rows = {0};
	assert_int_equal(0, procnet_parse_text(exact, len, family, ALL_STATES, &rows));
	struct expected_row *e = expected_rows(source, &n);
	assert_int_equal(n, rows.count);
	for (size_t i = 0; i < n; i++) {
		char what[128];
		snprintf(what, sizeof(what), "%s row %zu (%s)", name, i, e[i].id);
		assert_conn_equal(&e[i].row, &rows.rows[i], what);
	}
	free(e);
	rowvec_free(&rows);
	free(exact);
	free(text);
}

static void procnet_parse_text_matches_expected_rows_tcp(void **state)
{
	(void)state;
	check_text("proc-net-tcp.txt", AF_INET, "proc-tcp");
}

static void procnet_parse_text_matches_expected_rows_tcp6(void **state)
{
	(void)state;
	check_text("proc-net-tcp6.txt", AF_INET6, "proc-tcp6");
}

/* Every /proc row is the netlink row of the same socket, except for what struct tcpt_conn
 * documents /proc cannot fill. Timer expiries were read moments apart, so they are compared
 * with the /proc expected rows above, and here only for being whole 10 ms steps. */
static void check_same_as_netlink(const char *name, int family, const char *proc_source)
{
	size_t len, nnl, nproc;
	char *text = fixture_read(name, &len);
	struct rowvec rows = {0};
	assert_int_equal(0, procnet_parse_text(text, len, family, ALL_STATES, &rows));
	struct expected_row *nl = expected_rows("diag-compat", &nnl);
	struct expected_row *pe = expected_rows(proc_source, &nproc);
	assert_int_equal(nproc, rows.count);
	size_t same_family = 0;
	for (size_t i = 0; i < nnl; i++)
		same_family += nl[i].row.family == family && nl[i].row.state != TCPT_CLOSE;
	assert_int_equal(same_family, rows.count); /* every socket but the bound-only one */
	for (size_t i = 0; i < rows.count; i++) {
		const struct expected_row *n = expected_find(nl, nnl, pe[i].id);
		assert_non_null(n);
		struct tcpt_conn want = n->row;
		want.cookie = 0;
		want.cgroup_id = 0;
		want.scope_id = 0;
		if (want.state == TCPT_LISTEN)
			want.wqueue = 0;
		if (want.state == TCPT_SYN_RECV)
			want.uid = pe[i].row.uid; /* the listener's */
		want.timer_expires_ms = rows.rows[i].timer_expires_ms;
		assert_int_equal(0, rows.rows[i].timer_expires_ms % 10);
		char what[128];
		snprintf(what, sizeof(what), "%s vs netlink (%s)", name, pe[i].id);
		assert_conn_equal(&want, &rows.rows[i], what);
	}
	free(nl);
	free(pe);
	rowvec_free(&rows);
	free(text);
}

static void procnet_rows_equal_netlink_rows_tcp(void **state)
{
	(void)state;
	check_same_as_netlink("proc-net-tcp.txt", AF_INET, "proc-tcp");
}

static void procnet_rows_equal_netlink_rows_tcp6(void **state)
{
	(void)state;
	check_same_as_netlink("proc-net-tcp6.txt", AF_INET6, "proc-tcp6");
}

static void procnet_syn_recv_uid_is_the_listeners(void **state)
{
	(void)state;
	size_t n;
	struct expected_row *pe = expected_rows("proc-tcp", &n);
	const struct expected_row *r = expected_find(pe, n, "server4-syn-recv");
	assert_non_null(r);
	assert_int_equal(65534, r->row.uid); /* the fixture's listener runs as nobody */
	free(pe);
	check_text("proc-net-tcp.txt", AF_INET, "proc-tcp");
}

static void procnet_header_line_returns_1_and_fills_nothing(void **state)
{
	(void)state;
	static const struct {
		const char *name;
		int family;
	} files[] = {{"proc-net-tcp.txt", AF_INET}, {"proc-net-tcp6.txt", AF_INET6}};
	for (size_t i = 0; i < 2; i++) {
		size_t len;
		char *line = fixture_line(files[i].name, 0, &len);
		struct tcpt_conn row, before;
		memset(&row, 0x77, sizeof(row));
		before = row;
		assert_int_equal(1, parse_exact(line, len, files[i].family, &row));
		assert_memory_equal(&before, &row, sizeof(row));
		free(line);
	}
}

static void procnet_parse_line_decodes_one_recorded_line(void **state)
{
	(void)state;
	size_t len, n;
	char *line = fixture_line("proc-net-tcp.txt", 1, &len);
	struct expected_row *pe = expected_rows("proc-tcp", &n);
	struct tcpt_conn row;
	memset(&row, 0x77, sizeof(row));
	assert_int_equal(0, parse_exact(line, len, AF_INET, &row));
	row.owners = NULL; /* not a field the parser fills; zeroed by contract */
	assert_conn_equal(&pe[0].row, &row, "first line");
	free(pe);
	free(line);
}

static void procnet_bad_family_is_einval(void **state)
{
	(void)state;
	size_t len;
	char *line = fixture_line("proc-net-tcp.txt", 1, &len);
	struct tcpt_conn row;
	assert_int_equal(-EINVAL, parse_exact(line, len, AF_UNIX, &row));
	assert_int_equal(-EINVAL, parse_exact(line, len, 0, &row));
	free(line);
}

static void procnet_tcp6_line_read_as_ipv4_is_ebadmsg(void **state)
{
	(void)state;
	size_t len;
	char *line = fixture_line("proc-net-tcp6.txt", 1, &len);
	struct tcpt_conn row;
	assert_int_equal(-EBADMSG, parse_exact(line, len, AF_INET, &row));
	free(line);
	line = fixture_line("proc-net-tcp.txt", 1, &len);
	assert_int_equal(-EBADMSG, parse_exact(line, len, AF_INET6, &row));
	free(line);
}

/* ---- state mask ---------------------------------------------------------------------- */

static size_t count_state(const char *source, uint32_t mask)
{
	size_t n, k = 0;
	struct expected_row *e = expected_rows(source, &n);
	for (size_t i = 0; i < n; i++)
		k += (mask & TCPT_STATE_BIT(e[i].row.state)) != 0;
	free(e);
	return k;
}

static void check_mask(uint32_t mask)
{
	size_t len;
	char *text = fixture_read("proc-net-tcp.txt", &len);
	struct rowvec rows = {0};
	assert_int_equal(0, procnet_parse_text(text, len, AF_INET, mask, &rows));
	assert_int_equal(count_state("proc-tcp", mask), rows.count);
	for (size_t i = 0; i < rows.count; i++)
		assert_true(mask & TCPT_STATE_BIT(rows.rows[i].state));
	rowvec_free(&rows);
	free(text);
}

static void procnet_state_mask_keeps_only_listeners(void **state)
{
	(void)state;
	assert_int_equal(5, count_state("proc-tcp", TCPT_STATE_BIT(TCPT_LISTEN)));
	check_mask(TCPT_STATE_BIT(TCPT_LISTEN));
}

static void procnet_state_mask_keeps_time_wait_and_fin_wait2(void **state)
{
	(void)state;
	check_mask(TCPT_STATE_BIT(TCPT_TIME_WAIT) | TCPT_STATE_BIT(TCPT_FIN_WAIT2));
	check_mask(TCPT_STATE_BIT(TCPT_SYN_RECV) | TCPT_STATE_BIT(TCPT_SYN_SENT));
}

static void procnet_empty_state_mask_keeps_nothing(void **state)
{
	(void)state;
	check_mask(0);
}

/* ---- text framing ---------------------------------------------------------------------- */

static void procnet_final_line_without_newline_counts(void **state)
{
	(void)state;
	size_t len;
	char *text = fixture_read("proc-net-tcp.txt", &len);
	assert_int_equal('\n', text[len - 1]);
	struct rowvec rows = {0};
	assert_int_equal(0, procnet_parse_text(text, len - 1, AF_INET, ALL_STATES, &rows));
	assert_int_equal(count_state("proc-tcp", ALL_STATES), rows.count);
	rowvec_free(&rows);
	free(text);
}

static void procnet_garbage_line_is_ebadmsg_keeping_earlier_rows(void **state)
{
	(void)state;
	size_t len;
	char *text = fixture_read("proc-net-tcp.txt", &len);
	/* header, two rows, then garbage, then the rest */
	char *third = text;
	for (int i = 0; i < 3; i++)
		third = strchr(third, '\n') + 1;
	size_t head = (size_t)(third - text);
	static const char junk[] = "   7: this is not a socket\n";
	size_t total = head + sizeof(junk) - 1 + (len - head);
	char *bad = malloc(total);
	memcpy(bad, text, head);
	memcpy(bad + head, junk, sizeof(junk) - 1);
	memcpy(bad + head + sizeof(junk) - 1, third, len - head);
	struct rowvec rows = {0};
	struct tcpt_conn *pre;
	assert_int_equal(0, rowvec_push(&rows, &pre));
	pre->cookie = 99;
	assert_int_equal(-EBADMSG, procnet_parse_text(bad, total, AF_INET, ALL_STATES, &rows));
	assert_int_equal(1 + 2, rows.count);
	assert_int_equal(99, rows.rows[0].cookie);
	rowvec_free(&rows);
	free(bad);
	free(text);
}

/* Offset just past the first NFIELDS space-separated fields of LINE. */
static size_t fields_end(const char *line, int nfields)
{
	const char *p = line;
	for (int field = 0; field < nfields; field++) {
		while (*p == ' ')
			p++;
		while (*p && *p != ' ')
			p++;
	}
	return (size_t)(p - line);
}

/* ---- garbage lines --------------------------------------------------------------------- */

/* Parse a variant of a recorded line; must give -EBADMSG and leave the row alone. */
static void expect_bad(const char *line, size_t len, int family)
{
	struct tcpt_conn row, before;
	memset(&row, 0x77, sizeof(row));
	before = row;
	int r = parse_exact(line, len, family, &row);
	if (r != -EBADMSG)
		fail_msg("expected -EBADMSG, got %d for line \"%.*s\"", r, (int)len, line);
	assert_memory_equal(&before, &row, sizeof(row));
}

/* A recorded line with [from, from+cut) replaced by REPL. */
static void expect_bad_edit(const char *name, int lineno, int family, const char *find,
			    size_t skip, const char *repl)
{
	size_t len;
	char *line = fixture_line(name, lineno, &len);
	char *at = strstr(line, find);
	assert_non_null(at);
	at += strlen(find);
	size_t pre = (size_t)(at - line);
	assert_true(pre + skip <= len);
	size_t rl = strlen(repl);
	size_t n = pre + rl + (len - pre - skip);
	char *edited = malloc(n + 1);
	memcpy(edited, line, pre);
	memcpy(edited + pre, repl, rl);
	memcpy(edited + pre + rl, at + skip, len - pre - skip);
	edited[n] = 0;
	expect_bad(edited, n, family);
	free(edited);
	free(line);
}

static void procnet_every_truncation_before_the_inode_is_ebadmsg(void **state)
{
	(void)state;
	static const struct {
		const char *name;
		int family;
	} files[] = {{"proc-net-tcp.txt", AF_INET}, {"proc-net-tcp6.txt", AF_INET6}};
	for (size_t f = 0; f < 2; f++) {
		size_t len;
		char *line = fixture_line(files[f].name, 1, &len);
		/* fields: sl local rem st tx:rx tr:when retr uid timeout inode ... */
		size_t inode_at = fields_end(line, 9);
		while (line[inode_at] == ' ')
			inode_at++;
		for (size_t k = 0; k < inode_at; k++)
			expect_bad(line, k, files[f].family);
		/* beyond that, every prefix parses or fails cleanly (ASan checks the reads) */
		for (size_t k = inode_at; k <= len; k++) {
			struct tcpt_conn row;
			int r = parse_exact(line, k, files[f].family, &row);
			assert_true(r == 0 || r == -EBADMSG);
		}
		free(line);
	}
}

static void procnet_non_hex_digit_is_ebadmsg(void **state)
{
	(void)state;
	expect_bad_edit("proc-net-tcp.txt", 1, AF_INET, ": ", 1, "G");          /* address */
	expect_bad_edit("proc-net-tcp.txt", 1, AF_INET, ":", 8 + 1 + 1, "0100007F:Z"); /* port */
	expect_bad_edit("proc-net-tcp6.txt", 1, AF_INET6, ": ", 3, "xyz");
}

static void procnet_overlong_fields_are_ebadmsg(void **state)
{
	(void)state;
	/* a 9-digit IPv4 address, a 5-digit port */
	expect_bad_edit("proc-net-tcp.txt", 1, AF_INET, ": ", 0, "0");
	expect_bad_edit("proc-net-tcp.txt", 1, AF_INET, ": 0100007F:", 0, "0");
	/* an IPv6 address of 33 digits */
	expect_bad_edit("proc-net-tcp6.txt", 1, AF_INET6, ": ", 0, "0");
	/* a 3-digit state */
	expect_bad_edit("proc-net-tcp.txt", 1, AF_INET, " 0A", 0, "0");
	/* a 9-digit tx_queue */
	expect_bad_edit("proc-net-tcp.txt", 1, AF_INET, " 0A ", 0, "0");
}

static void procnet_long_line_of_spaces_is_ebadmsg(void **state)
{
	(void)state;
	size_t n = 1 << 20;
	char *spaces = malloc(n);
	memset(spaces, ' ', n);
	expect_bad(spaces, n, AF_INET);
	free(spaces);
}

static void procnet_missing_fields_are_ebadmsg(void **state)
{
	(void)state;
	size_t len;
	char *line = fixture_line("proc-net-tcp.txt", 1, &len);
	/* cut just after the uid column: no timeout, no inode */
	expect_bad(line, fields_end(line, 8), AF_INET);
	free(line);
	/* the remote address missing altogether */
	expect_bad_edit("proc-net-tcp.txt", 1, AF_INET, ": 0100007F:9C41 ", 14, "");
	/* no colon between tx and rx queue */
	expect_bad_edit("proc-net-tcp.txt", 1, AF_INET, " 0A 00000000", 1, " ");
}

static void procnet_embedded_nul_is_ebadmsg(void **state)
{
	(void)state;
	size_t len;
	char *line = fixture_line("proc-net-tcp.txt", 1, &len);
	/* a NUL at every position up to the end of the inode column */
	size_t end = fields_end(line, 10);
	assert_true(end > 80);
	for (size_t k = 0; k < end; k++) {
		if (line[k] == ' ')
			continue; /* a NUL for a separator space is a different test */
		char *copy = malloc(len);
		memcpy(copy, line, len);
		copy[k] = '\0';
		expect_bad(copy, len, AF_INET);
		free(copy);
	}
	free(line);
}

static void procnet_huge_numbers_are_ebadmsg(void **state)
{
	(void)state;
	/* uid over 32 bits */
	expect_bad_edit("proc-net-tcp.txt", 1, AF_INET, "00000000     ", 1, "4294967296");
	/* inode over 64 bits */
	expect_bad_edit("proc-net-tcp.txt", 1, AF_INET, "0        0 ", 0,
			"99999999999999999999999");
	/* state 0 and states past the last */
	expect_bad_edit("proc-net-tcp.txt", 1, AF_INET, "00000000:0000 ", 2, "00");
	expect_bad_edit("proc-net-tcp.txt", 1, AF_INET, "00000000:0000 ", 2, "0E");
	expect_bad_edit("proc-net-tcp.txt", 1, AF_INET, "00000000:0000 ", 2, "FF");
}

static void procnet_empty_and_blank_lines_are_ebadmsg(void **state)
{
	(void)state;
	expect_bad("", 0, AF_INET);
	expect_bad("   ", 3, AF_INET);
	expect_bad("\t", 1, AF_INET6);
	expect_bad("0:", 2, AF_INET);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(procnet_parse_text_matches_expected_rows_tcp),
		cmocka_unit_test(procnet_parse_text_matches_expected_rows_tcp6),
		cmocka_unit_test(procnet_rows_equal_netlink_rows_tcp),
		cmocka_unit_test(procnet_rows_equal_netlink_rows_tcp6),
		cmocka_unit_test(procnet_syn_recv_uid_is_the_listeners),
		cmocka_unit_test(procnet_header_line_returns_1_and_fills_nothing),
		cmocka_unit_test(procnet_parse_line_decodes_one_recorded_line),
		cmocka_unit_test(procnet_bad_family_is_einval),
		cmocka_unit_test(procnet_tcp6_line_read_as_ipv4_is_ebadmsg),
		cmocka_unit_test(procnet_state_mask_keeps_only_listeners),
		cmocka_unit_test(procnet_state_mask_keeps_time_wait_and_fin_wait2),
		cmocka_unit_test(procnet_empty_state_mask_keeps_nothing),
		cmocka_unit_test(procnet_final_line_without_newline_counts),
		cmocka_unit_test(procnet_garbage_line_is_ebadmsg_keeping_earlier_rows),
		cmocka_unit_test(procnet_every_truncation_before_the_inode_is_ebadmsg),
		cmocka_unit_test(procnet_non_hex_digit_is_ebadmsg),
		cmocka_unit_test(procnet_overlong_fields_are_ebadmsg),
		cmocka_unit_test(procnet_long_line_of_spaces_is_ebadmsg),
		cmocka_unit_test(procnet_missing_fields_are_ebadmsg),
		cmocka_unit_test(procnet_embedded_nul_is_ebadmsg),
		cmocka_unit_test(procnet_huge_numbers_are_ebadmsg),
		cmocka_unit_test(procnet_empty_and_blank_lines_are_ebadmsg),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
