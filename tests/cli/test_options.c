/* The command line: what each option asks of the library, and usage errors. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "options.h"

static int parse(struct cli_options *o, int argc, char **argv)
{
	memset(o, 0xa5, sizeof(*o)); /* untouched on failure shows as this pattern */
	return cli_parse_options(argc, argv, o);
}

#define ARGV(...) ((char *[]){"tcptable", __VA_ARGS__, NULL})
#define ARGC(...) ((int)(sizeof((char *[]){"tcptable", __VA_ARGS__}) / sizeof(char *)))
#define PARSE(o, ...) parse(o, ARGC(__VA_ARGS__), ARGV(__VA_ARGS__))

static void no_options_ask_for_everything(void **state)
{
	(void)state;
	struct cli_options o;
	assert_int_equal(0, parse(&o, 1, (char *[]){"tcptable", NULL}));
	assert_int_equal(0, o.query.families);
	assert_int_equal(0, o.query.states);
	assert_int_equal(0, o.query.want);
	assert_int_equal(TCPT_SOURCE_AUTO, o.query.source);
	assert_int_equal(TCPT_ORDER_KERNEL, o.query.order);
	assert_false(o.show_owners);
}

static void family_flags_combine(void **state)
{
	(void)state;
	struct cli_options o;
	assert_int_equal(0, PARSE(&o, "-4"));
	assert_int_equal(TCPT_FAMILY_IPV4, o.query.families);
	assert_int_equal(0, PARSE(&o, "-6"));
	assert_int_equal(TCPT_FAMILY_IPV6, o.query.families);
	assert_int_equal(0, PARSE(&o, "-46"));
	assert_int_equal(TCPT_FAMILY_ALL, o.query.families);
}

static void listening_asks_the_kernel_for_listen_only(void **state)
{
	(void)state;
	struct cli_options o;
	assert_int_equal(0, PARSE(&o, "-l"));
	assert_int_equal(TCPT_STATE_BIT(TCPT_LISTEN), o.query.states);
}

static void owners_flag_asks_for_process_names(void **state)
{
	(void)state;
	struct cli_options o;
	assert_int_equal(0, PARSE(&o, "-p"));
	assert_true(o.show_owners);
	assert_int_equal(TCPT_WANT_OWNERS | TCPT_WANT_PROCESS, o.query.want);
}

static void source_values_are_checked(void **state)
{
	(void)state;
	struct cli_options o;
	assert_int_equal(0, PARSE(&o, "--source=proc"));
	assert_int_equal(TCPT_SOURCE_PROC, o.query.source);
	assert_int_equal(0, PARSE(&o, "--source", "netlink"));
	assert_int_equal(TCPT_SOURCE_NETLINK, o.query.source);
	assert_int_equal(-1, PARSE(&o, "--source=bpf"));
	assert_int_equal(-1, PARSE(&o, "--source"));
}

static void unknown_options_and_arguments_are_usage_errors(void **state)
{
	(void)state;
	struct cli_options o;
	assert_int_equal(-1, PARSE(&o, "-x"));
	assert_int_equal(-1, PARSE(&o, "--frobnicate"));
	assert_int_equal(-1, PARSE(&o, "stray"));
	assert_int_equal(-1, PARSE(&o, "--help=yes"));
}

static void netstat_habits_are_accepted(void **state)
{
	(void)state;
	struct cli_options o;
	assert_int_equal(0, PARSE(&o, "-tan"));
	assert_int_equal(0, o.query.states);
	assert_int_equal(0, PARSE(&o, "-tanp"));
	assert_true(o.show_owners);
}

static void help_version_extended_and_sort(void **state)
{
	(void)state;
	struct cli_options o;
	assert_int_equal(0, PARSE(&o, "-h"));
	assert_true(o.help);
	assert_int_equal(0, PARSE(&o, "--version"));
	assert_true(o.version);
	assert_int_equal(0, PARSE(&o, "-e", "--sort"));
	assert_true(o.show_extended);
	assert_int_equal(TCPT_ORDER_ADDRESS, o.query.order);
}

int main(void)
{
	/* usage errors print one line each on stderr; keep the TAP stream readable */
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(no_options_ask_for_everything),
		cmocka_unit_test(family_flags_combine),
		cmocka_unit_test(listening_asks_the_kernel_for_listen_only),
		cmocka_unit_test(owners_flag_asks_for_process_names),
		cmocka_unit_test(source_values_are_checked),
		cmocka_unit_test(unknown_options_and_arguments_are_usage_errors),
		cmocka_unit_test(netstat_habits_are_accepted),
		cmocka_unit_test(help_version_extended_and_sort),
	};
	return cmocka_run_group_tests_name("options", tests, NULL, NULL);
}
