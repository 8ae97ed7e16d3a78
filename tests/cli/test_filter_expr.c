/* ss's filter language (src/cli/filter_expr.c), without root: each expression is parsed and
 * the expression it gives is run (tcpt_filter_match) on rows whose answer the test knows. */
#include <arpa/inet.h>
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "filter_expr.h"

static struct tcpt_conn row(int family, const char *l, unsigned lp, const char *r, unsigned rp)
{
	struct tcpt_conn c = {.family = (uint8_t)family, .local_port = (uint16_t)lp,
			      .remote_port = (uint16_t)rp, .state = TCPT_ESTABLISHED};
	inet_pton(family, l, c.local_addr);
	inet_pton(family, r, c.remote_addr);
	return c;
}

/* The rows every case is run on. */
static struct tcpt_conn rows[8];

static int setup(void **state)
{
	(void)state;
	rows[0] = row(AF_INET, "127.0.0.1", 22, "10.1.2.3", 50000);
	rows[1] = row(AF_INET, "10.0.0.1", 50001, "10.0.0.2", 443);
	rows[2] = row(AF_INET, "192.168.1.1", 1024, "192.168.1.2", 1025);
	rows[3] = row(AF_INET6, "::1", 443, "::1", 40000);
	rows[4] = row(AF_INET6, "::ffff:10.0.0.5", 80, "::ffff:127.0.0.1", 1023);
	rows[5] = row(AF_INET6, "2001:db8::1", 8080, "2001:db9::2", 22);
	rows[6] = row(AF_INET, "0.0.0.0", 80, "0.0.0.0", 0);
	rows[7] = row(AF_INET6, "::", 1025, "::", 0);
	return 0;
}

/* A resolver that knows two names, for "src NAME"/"dst NAME". */
static int fake_resolve(void *ctx, const char *name, struct tcpt_prefix *out, size_t max)
{
	(void)ctx;
	assert_true(max >= 2);
	if (strcmp(name, "two.test") == 0) {
		out[0] = (struct tcpt_prefix){.family = AF_INET, .bits = 32};
		inet_pton(AF_INET, "10.0.0.2", out[0].addr);
		out[1] = (struct tcpt_prefix){.family = AF_INET6, .bits = 128};
		inet_pton(AF_INET6, "::1", out[1].addr);
		return 2;
	}
	return 0;
}

/* Split TEXT at blanks into at most 32 words (the shell's job). */
static int words(const char *text, char *buf, size_t size, char **argv)
{
	snprintf(buf, size, "%s", text);
	int n = 0;
	for (char *tok = strtok(buf, " "); tok && n < 32; tok = strtok(NULL, " "))
		argv[n++] = tok;
	return n;
}

static int parse_text(const char *text, struct filter_expr *f, struct filter_expr_error *e)
{
	char buf[1024], *argv[32];
	int argc = words(text, buf, sizeof(buf), argv);
	return filter_expr_parse(argc, argv, fake_resolve, NULL, f, e);
}

/* Which of the rows TEXT's expression passes, as a bit mask. */
static unsigned matches(const char *text)
{
	struct filter_expr f;
	struct filter_expr_error e;
	int r = parse_text(text, &f, &e);
	if (r != 0)
		fail_msg("'%s' did not parse: position %zu '%s': %s", text, e.position, e.token,
			 e.why);
	struct tcpt_filter tf = {.expr = f.nodes, .expr_count = f.count};
	unsigned mask = 0;
	for (unsigned i = 0; i < sizeof(rows) / sizeof(rows[0]); i++)
		if (tcpt_filter_match(&tf, &rows[i]))
			mask |= 1u << i;
	filter_expr_free(&f);
	return mask;
}

#define ALL_ROWS 0xffu
#define R(i) (1u << (i))

static void conditions_select_their_rows(void **state)
{
	(void)state;
	assert_int_equal(R(0) | R(5), matches("sport = :22 or dport = :22"));
	assert_int_equal(R(1) | R(3), matches("( dport = :443 or sport = :443 )"));
	assert_int_equal(R(1) | R(4), matches("src 10.0.0.0/8"));
	assert_int_equal(R(0) | R(1), matches("dst 10.0.0.0/8"));
	assert_int_equal(R(3), matches("src [::1]"));
	assert_int_equal(R(3), matches("src ::1"));
	assert_int_equal(R(5), matches("src [2001:db8::]/32"));
	assert_int_equal(R(5), matches("src [2001:db8::/32]"));
	assert_int_equal(R(5), matches("dst [2001:db9::2]:22"));
	assert_int_equal(R(1), matches("dst 10.0.0.2:443"));
	assert_int_equal(R(1), matches("dst 10.0.0.0/8:443"));
	assert_int_equal(R(1) | R(3), matches("dst *:443 or src *:443"));
	assert_int_equal(R(4) | R(6), matches("src :80"));
	assert_int_equal(ALL_ROWS, matches("dst *"));
	assert_int_equal(ALL_ROWS, matches("sport = *"));
	assert_int_equal(R(4) | R(6), matches("sport = :http"));
	assert_int_equal(R(0), matches("sport = :0x16"));
	assert_int_equal(R(2), matches("src 192.168.1.1:1024"));
	/* as in ss, an unbracketed IPv6 address is cut at its last ':' when that gives an
	 * address and a port */
	assert_int_equal(R(3), matches("src ::1:443"));
	assert_int_equal(0, matches("src ::1:444"));
	assert_int_equal(R(5), matches("src 2001:db8::1"));
	assert_int_equal(R(4), matches("src ::ffff:10.0.0.5"));
}

static void comparisons_have_every_spelling(void **state)
{
	(void)state;
	static const char *const groups[][4] = {
		{"=", "==", "eq", NULL}, {"!=", "ne", "neq", NULL}, {">", "gt", NULL, NULL},
		{"<", "lt", NULL, NULL}, {">=", "ge", "geq", NULL}, {"<=", "le", "leq", NULL},
	};
	for (size_t g = 0; g < sizeof(groups) / sizeof(groups[0]); g++) {
		char text[64];
		snprintf(text, sizeof(text), "sport %s :1024", groups[g][0]);
		unsigned want = matches(text);
		for (size_t k = 1; k < 4 && groups[g][k]; k++) {
			snprintf(text, sizeof(text), "sport %s :1024", groups[g][k]);
			assert_int_equal(want, matches(text));
		}
	}
	assert_int_equal(R(1) | R(5) | R(7), matches("sport > :1024"));
	assert_int_equal(R(1) | R(2) | R(5) | R(7), matches("sport >= :1024"));
	assert_int_equal(R(0) | R(3) | R(4) | R(6), matches("sport < :1024"));
	assert_int_equal(R(0) | R(2) | R(3) | R(4) | R(6), matches("sport <= 1024"));
	assert_int_equal(ALL_ROWS & ~R(5), matches("dport != :22"));
	assert_int_equal(R(1) | R(4) | R(5) | R(6) | R(7), matches("dport lt :1024"));
	assert_int_equal(R(1) | R(3), matches("sport = 443 or dport eq 443"));
	assert_int_equal(ALL_ROWS & ~R(3), matches("src != [::1]"));
}

static void and_or_share_one_precedence_from_the_left_as_in_ss(void **state)
{
	(void)state;
	/* ss: exprlist: exprlist '|' expr | exprlist '&' expr | exprlist expr */
	assert_int_equal(0, matches("sport = :22 or sport = :443 and sport = :80"));
	assert_int_equal(R(3), matches("sport = :22 or sport = :443 and src ::1"));
	assert_int_equal(R(0) | R(3), matches("sport = :22 or ( sport = :443 and src ::1 )"));
	assert_int_equal(R(0) | R(1), matches("dst 10.0.0.0/8 sport != :50000"));
	assert_int_equal(matches("dst 10.0.0.0/8 and sport != :50000"),
			 matches("dst 10.0.0.0/8 && sport != :50000"));
	assert_int_equal(matches("sport = :22 or sport = :80"), matches("sport = :22 || sport = :80"));
	assert_int_equal(matches("sport = :22 or sport = :80"), matches("sport = :22 | sport = :80"));
	assert_int_equal(matches("sport = :22 or sport = :80"), matches("sport = :22 , sport = :80"));
	assert_int_equal(matches("sport = :22 and dport = :50000"),
			 matches("sport = :22 & dport = :50000"));
	/* not takes one condition or group */
	assert_int_equal(ALL_ROWS, matches("not sport = :22 or sport = :22"));
	assert_int_equal(ALL_ROWS & ~(R(0) | R(5)), matches("not ( sport = :22 or dport = :22 )"));
	assert_int_equal(ALL_ROWS & ~(R(0) | R(5)), matches("! ( sport = :22 or dport = :22 )"));
	assert_int_equal(R(0) | R(5), matches("not not ( sport = :22 or dport = :22 )"));
	/* brackets and ! need no blanks, and nest */
	assert_int_equal(ALL_ROWS & ~(R(0) | R(5)), matches("!(sport = :22 or (dport = :22))"));
	assert_int_equal(R(1), matches("((( dst 10.0.0.0/8 ))) and (not (sport = :22))"));
}

static void host_names_stand_for_all_their_addresses(void **state)
{
	(void)state;
	assert_int_equal(R(1) | R(3), matches("dst two.test"));
	assert_int_equal(R(1), matches("dst two.test:443"));
	assert_int_equal(ALL_ROWS & ~(R(1) | R(3)), matches("dst != two.test"));
	struct filter_expr f;
	struct filter_expr_error e;
	assert_int_equal(-EINVAL, parse_text("src nowhere.test", &f, &e));
	assert_int_equal(5, e.position);
	char *argv[] = {"dst", "two.test"};
	assert_int_equal(-EINVAL, filter_expr_parse(2, argv, NULL, NULL, &f, &e));
	assert_int_equal(5, e.position);
	assert_string_equal("two.test", e.token);
}

static uint32_t states_of(const char *text)
{
	struct filter_expr f;
	struct filter_expr_error e;
	int r = parse_text(text, &f, &e);
	if (r != 0)
		fail_msg("'%s' did not parse: position %zu '%s': %s", text, e.position, e.token,
			 e.why);
	assert_true(f.has_states);
	uint32_t s = f.states;
	filter_expr_free(&f);
	return s;
}

#define B(s) TCPT_STATE_BIT(TCPT_##s)

static void states_and_groups_come_first(void **state)
{
	(void)state;
	uint32_t all = TCPT_STATES_ALL;
	uint32_t connected = all & ~(B(LISTEN) | B(CLOSE));
	assert_int_equal(B(ESTABLISHED), states_of("state established"));
	assert_int_equal(B(ESTABLISHED) | B(TIME_WAIT), states_of("state established state time-wait"));
	assert_int_equal(B(ESTABLISHED) | B(TIME_WAIT), states_of("state established,time-wait"));
	assert_int_equal(all, states_of("state all"));
	assert_int_equal(connected, states_of("state connected"));
	assert_int_equal(connected & ~B(SYN_SENT), states_of("state synchronized"));
	assert_int_equal(B(SYN_RECV) | B(TIME_WAIT), states_of("state bucket"));
	assert_int_equal(all & ~(B(SYN_RECV) | B(TIME_WAIT)), states_of("state big"));
	assert_int_equal(all & ~B(LISTEN), states_of("exclude listening"));
	assert_int_equal(all & ~B(LISTEN), states_of("excl listening"));
	assert_int_equal(connected & ~B(ESTABLISHED), states_of("state connected exclude established"));
	assert_int_equal(B(TIME_WAIT), states_of("exclude all state time-wait"));
	assert_int_equal(0, states_of("state listening exclude listening"));
	assert_int_equal(B(CLOSE), states_of("state closed"));
	assert_int_equal(B(CLOSE), states_of("state unconnected"));
	assert_int_equal(B(SYN_RECV), states_of("state syn-rcv"));
	assert_int_equal(B(FIN_WAIT1) | B(FIN_WAIT2), states_of("state fin-wait-1 state FIN-WAIT-2"));
	/* states then an expression */
	struct filter_expr f;
	struct filter_expr_error e;
	assert_int_equal(0, parse_text("state established ( dport = :443 or sport = :443 )", &f, &e));
	assert_int_equal(B(ESTABLISHED), f.states);
	assert_true(f.count > 0);
	filter_expr_free(&f);
	assert_int_equal(0, parse_text("", &f, &e));
	assert_false(f.has_states);
	assert_int_equal(0, f.count);
	assert_null(f.nodes);
}

/* TEXT must fail at POSITION, naming TOKEN. */
static void assert_error(const char *text, size_t position, const char *token)
{
	struct filter_expr f;
	struct filter_expr_error e;
	int r = parse_text(text, &f, &e);
	if (r == 0) {
		filter_expr_free(&f);
		fail_msg("'%s' parsed", text);
	}
	assert_int_equal(-EINVAL, r);
	if (e.position != position || strcmp(e.token, token) != 0)
		fail_msg("'%s': expected position %zu '%s', got %zu '%s' (%s)", text, position,
			 token, e.position, e.token, e.why);
	assert_non_null(e.why);
}

static void errors_name_the_token_and_its_position(void **state)
{
	(void)state;
	assert_error("( sport = :1", 13, "");
	assert_error("sport = :1 )", 12, ")");
	assert_error("sport >", 8, "");
	assert_error("sport > )", 9, ")");
	assert_error("src > 1.2.3.4", 5, ">");
	assert_error("dev lo", 1, "dev");
	assert_error("autobound", 1, "autobound");
	assert_error("sport = :99999", 9, ":99999");
	assert_error("sport = :nosuchservice", 9, ":nosuchservice");
	assert_error("sport > *", 9, "*");
	assert_error("src 1.2.3.4/33", 5, "1.2.3.4/33");
	assert_error("dst [::1", 5, "[::1");
	assert_error("dst [::1]x", 5, "[::1]x");
	assert_error("state bogus", 7, "bogus");
	assert_error("state", 6, "");
	assert_error("and sport = :1", 1, "and");
	assert_error("( )", 3, ")");
	assert_error("sport = :1 or or sport = :2", 15, "or");
	assert_error("sport = :22 state established", 13, "state");
	assert_error("not", 4, "");
	assert_error("sport = :1 bogus", 12, "bogus");
	/* positions count across arguments joined by one blank */
	char *argv[] = {"state", "established", "( dport = :443 or sport = : )"};
	struct filter_expr f;
	struct filter_expr_error e;
	assert_int_equal(-EINVAL, filter_expr_parse(3, argv, NULL, NULL, &f, &e));
	assert_int_equal(45, e.position);
	assert_string_equal("state established ( dport = :443 or sport = : )", e.text);
}

static void deep_nesting_is_an_error_not_a_crash(void **state)
{
	(void)state;
	static char text[4000];
	size_t n = 0;
	for (int i = 0; i < 1000; i++)
		text[n++] = '(';
	memcpy(text + n, "sport = :1", 11);
	char *argv[] = {text};
	struct filter_expr f;
	struct filter_expr_error e;
	assert_int_equal(-EINVAL, filter_expr_parse(1, argv, NULL, NULL, &f, &e));
	assert_true(e.position > 100);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(conditions_select_their_rows),
		cmocka_unit_test(comparisons_have_every_spelling),
		cmocka_unit_test(and_or_share_one_precedence_from_the_left_as_in_ss),
		cmocka_unit_test(host_names_stand_for_all_their_addresses),
		cmocka_unit_test(states_and_groups_come_first),
		cmocka_unit_test(errors_name_the_token_and_its_position),
		cmocka_unit_test(deep_nesting_is_an_error_not_a_crash),
	};
	return cmocka_run_group_tests_name("filter_expr", tests, setup, NULL);
}
