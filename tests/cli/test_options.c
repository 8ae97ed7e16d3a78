/* The command line: what each option asks of the library, and usage errors. */
#include <arpa/inet.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "options.h"

/* The options of the last successful parse; each parse releases the previous ones. */
static struct cli_options current;
static bool have_current;

static void release_current(void)
{
	if (have_current)
		cli_options_free(&current);
	have_current = false;
}

static const struct cli_options *parse(int argc, char **argv)
{
	release_current();
	if (cli_parse_options_offline(argc, argv, &current) < 0)
		return NULL;
	have_current = true;
	return &current;
}

static int teardown(void **state)
{
	(void)state;
	release_current();
	return 0;
}

#define ARGV(...) ((char *[]){"tcptable", __VA_ARGS__, NULL})
#define ARGC(...) ((int)(sizeof((char *[]){"tcptable", __VA_ARGS__}) / sizeof(char *)))
#define PARSE(...) parse(ARGC(__VA_ARGS__), ARGV(__VA_ARGS__))
/* A parse that must succeed: a failure is reported, not a crash on a NULL result. */
#define PARSED(...) parsed_ok(PARSE(__VA_ARGS__))

static const struct cli_options *parsed_ok(const struct cli_options *o)
{
	assert_non_null(o);
	return o;
}

static void no_options_ask_for_everything(void **state)
{
	(void)state;
	const struct cli_options *o = parse(1, (char *[]){"tcptable", NULL});
	assert_non_null(o);
	assert_int_equal(ACTION_LIST, o->action);
	assert_int_equal(0, o->query.families);
	assert_int_equal(0, o->query.states);
	assert_int_equal(0, o->query.want);
	assert_null(o->query.filter);
	assert_int_equal(TCPT_SOURCE_AUTO, o->query.source);
	assert_int_equal(TCPT_ORDER_KERNEL, o->query.order);
	assert_int_equal(FORMAT_TABLE, o->format);
	assert_int_equal(COLOR_AUTO, o->color);
}

static void family_flags_combine(void **state)
{
	(void)state;
	assert_int_equal(TCPT_FAMILY_IPV4, PARSED("-4")->query.families);
	assert_int_equal(TCPT_FAMILY_IPV6, PARSED("-6")->query.families);
	assert_int_equal(TCPT_FAMILY_ALL, PARSED("-46")->query.families);
}

static void listening_and_state_lists_combine_in_the_kernel_mask(void **state)
{
	(void)state;
	assert_int_equal(TCPT_STATE_BIT(TCPT_LISTEN), PARSED("-l")->query.states);
	const struct cli_options *o = PARSED("-l", "--state", "time-wait,ESTABLISHED");
	assert_int_equal(TCPT_STATE_BIT(TCPT_LISTEN) | TCPT_STATE_BIT(TCPT_TIME_WAIT) |
				 TCPT_STATE_BIT(TCPT_ESTABLISHED),
			 o->query.states);
	assert_null(o->query.filter); /* states alone need no user-space filter */
}

static void state_groups_name_sets_of_states(void **state)
{
	(void)state;
	uint32_t connected = PARSED("--state=connected")->query.states;
	assert_false(connected & TCPT_STATE_BIT(TCPT_LISTEN));
	assert_false(connected & TCPT_STATE_BIT(TCPT_CLOSE));
	assert_true(connected & TCPT_STATE_BIT(TCPT_TIME_WAIT));
	assert_true(connected & TCPT_STATE_BIT(TCPT_SYN_SENT));
	uint32_t synced = PARSED("--state=synchronized")->query.states;
	assert_int_equal(connected & ~TCPT_STATE_BIT(TCPT_SYN_SENT), synced);
	assert_int_equal(TCPT_STATE_BIT(TCPT_SYN_RECV) | TCPT_STATE_BIT(TCPT_TIME_WAIT),
			 PARSED("--state=bucket")->query.states);
	assert_int_equal(TCPT_STATES_ALL & ~(TCPT_STATE_BIT(TCPT_SYN_RECV) |
					     TCPT_STATE_BIT(TCPT_TIME_WAIT)),
			 PARSED("--state=big")->query.states);
	assert_int_equal(TCPT_STATES_ALL, PARSED("--state=all")->query.states);
	assert_null(PARSE("--state=establishd"));
}

static void port_lists_accept_numbers_ranges_and_services(void **state)
{
	(void)state;
	const struct cli_options *o = PARSED("--sport", "80,8000-8100", "--dport=https");
	const struct tcpt_filter *f = o->query.filter;
	assert_non_null(f);
	assert_int_equal(2, f->local_port_count);
	assert_int_equal(80, f->local_ports[0].first);
	assert_int_equal(80, f->local_ports[0].last);
	assert_int_equal(8000, f->local_ports[1].first);
	assert_int_equal(8100, f->local_ports[1].last);
	assert_int_equal(1, f->remote_port_count);
	assert_int_equal(443, f->remote_ports[0].first);
	assert_int_equal(3, PARSED("--port", "1,2,3")->query.filter->port_count);
}

static void bad_ports_are_usage_errors(void **state)
{
	(void)state;
	assert_null(PARSE("--sport", "65536"));
	assert_null(PARSE("--sport", "80x"));
	assert_null(PARSE("--sport", "9000-8000"));
	assert_null(PARSE("--sport", "80,,81"));
	assert_null(PARSE("--sport", ""));
	assert_null(PARSE("--dport", "1-"));
	assert_null(PARSE("--port", "no-such-service-xyz"));
}

static void address_lists_accept_prefixes_and_brackets(void **state)
{
	(void)state;
	const struct cli_options *o = PARSED("--src", "10.0.0.0/8,[::1],2001:db8::/32",
					    "--dst=127.0.0.1");
	const struct tcpt_filter *f = o->query.filter;
	assert_int_equal(3, f->local_addr_count);
	assert_int_equal(AF_INET, f->local_addrs[0].family);
	assert_int_equal(8, f->local_addrs[0].bits);
	assert_int_equal(10, f->local_addrs[0].addr[0]);
	assert_int_equal(AF_INET6, f->local_addrs[1].family);
	assert_int_equal(128, f->local_addrs[1].bits);
	assert_int_equal(1, f->local_addrs[1].addr[15]);
	assert_int_equal(32, f->local_addrs[2].bits);
	assert_int_equal(1, f->remote_addr_count);
	assert_int_equal(32, f->remote_addrs[0].bits);
	assert_null(PARSE("--src", "10.0.0.0/33"));
	assert_null(PARSE("--src", "::1/129"));
	assert_null(PARSE("--dst", "example.com"));
	assert_null(PARSE("--dst", "10.0.0.1/"));
}

static void owner_filters_name_pids_users_and_processes(void **state)
{
	(void)state;
	const struct cli_options *o = PARSED("--pid", "1,42", "--user", "root,1000", "--comm",
					    "nginx,sshd");
	const struct tcpt_filter *f = o->query.filter;
	assert_int_equal(2, f->pid_count);
	assert_int_equal(42, f->pids[1]);
	assert_int_equal(2, f->uid_count);
	assert_int_equal(0, f->uids[0]);
	assert_int_equal(1000, f->uids[1]);
	assert_int_equal(2, f->name_count);
	assert_string_equal("nginx", f->names[0]);
	assert_string_equal("sshd", f->names[1]);
	assert_null(PARSE("--pid", "0"));
	assert_null(PARSE("--pid", "-3"));
	assert_null(PARSE("--user", "no-such-user-xyz"));
	assert_null(PARSE("--comm", "a-name-longer-than-15"));
}

static void owners_info_and_extended_columns(void **state)
{
	(void)state;
	const struct cli_options *o = PARSED("-p", "-i", "-e", "-o");
	assert_true(o->show_owners && o->show_info && o->show_extended && o->show_timers);
	assert_int_equal(TCPT_WANT_OWNERS | TCPT_WANT_PROCESS | TCPT_WANT_INFO, o->query.want);
}

static void formats_and_colours(void **state)
{
	(void)state;
	assert_int_equal(FORMAT_JSON, PARSED("--json")->format);
	assert_int_equal(FORMAT_JSONL, PARSED("--jsonl")->format);
	assert_int_equal(FORMAT_CSV, PARSED("--csv")->format);
	assert_int_equal(FORMAT_CSV, PARSED("--format=csv")->format);
	assert_null(PARSE("--format=xml"));
	assert_int_equal(COLOR_ALWAYS, PARSED("--color")->color);
	assert_int_equal(COLOR_NEVER, PARSED("--color=never")->color);
	assert_int_equal(COLOR_AUTO, PARSED("--colour=auto")->color);
	assert_null(PARSE("--color=sometimes"));
}

static void actions_exclude_each_other(void **state)
{
	(void)state;
	assert_int_equal(ACTION_SUMMARY, PARSED("-s")->action);
	assert_int_equal(ACTION_WATCH, PARSED("-w")->action);
	assert_null(PARSE("-s", "-w"));
	assert_null(PARSE("--netns", "x", "--all-netns"));
}

static void watch_interval_attached_or_detached(void **state)
{
	(void)state;
	assert_int_equal(1000, PARSED("-w")->watch_interval_ms);
	assert_int_equal(2500, PARSED("-w2.5")->watch_interval_ms);
	assert_int_equal(3000, PARSED("-w", "3")->watch_interval_ms);
	assert_int_equal(500, PARSED("--watch=0.5")->watch_interval_ms);
	assert_null(PARSE("--watch=0"));
	assert_null(PARSE("--watch=soon"));
}

static void kill_needs_a_filter_and_spares_listeners(void **state)
{
	(void)state;
	assert_null(PARSE("-K"));
	const struct cli_options *o = PARSED("-K", "--dport", "80");
	assert_int_equal(ACTION_KILL, o->action);
	assert_int_equal(TCPT_STATES_ALL & ~TCPT_STATE_BIT(TCPT_LISTEN), o->query.states);
	assert_int_equal(TCPT_STATE_BIT(TCPT_LISTEN), PARSED("-K", "-l")->query.states);
	assert_true(PARSED("-K", "--yes", "--state=established")->assume_yes);
}

static void source_values_are_checked(void **state)
{
	(void)state;
	assert_int_equal(TCPT_SOURCE_PROC, PARSED("--source=proc")->query.source);
	assert_int_equal(TCPT_SOURCE_NETLINK, PARSED("--source", "netlink")->query.source);
	assert_int_equal(TCPT_SOURCE_BPF, PARSED("--source=bpf")->query.source);
	assert_int_equal(TCPT_SOURCE_AUTO, PARSED("--source=auto")->query.source);
	assert_true(PARSED("-v")->verbose);
	assert_true(PARSED("--verbose")->verbose);
	assert_null(PARSE("--source=ebpf"));
	assert_null(PARSE("--source"));
}

static void unknown_options_and_arguments_are_usage_errors(void **state)
{
	(void)state;
	assert_null(PARSE("-x"));
	assert_null(PARSE("--frobnicate"));
	assert_null(PARSE("stray"));
	assert_null(PARSE("--help=yes"));
}

static void netstat_habits_are_accepted(void **state)
{
	(void)state;
	assert_int_equal(0, PARSED("-tan")->query.states);
	assert_true(PARSED("-tanp")->show_owners);
}

static void help_version_and_sort(void **state)
{
	(void)state;
	assert_int_equal(ACTION_HELP, PARSED("-h")->action);
	assert_int_equal(ACTION_VERSION, PARSED("--version")->action);
	assert_int_equal(TCPT_ORDER_ADDRESS, PARSED("--sort")->query.order);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(no_options_ask_for_everything),
		cmocka_unit_test(family_flags_combine),
		cmocka_unit_test(listening_and_state_lists_combine_in_the_kernel_mask),
		cmocka_unit_test(state_groups_name_sets_of_states),
		cmocka_unit_test(port_lists_accept_numbers_ranges_and_services),
		cmocka_unit_test(bad_ports_are_usage_errors),
		cmocka_unit_test(address_lists_accept_prefixes_and_brackets),
		cmocka_unit_test(owner_filters_name_pids_users_and_processes),
		cmocka_unit_test(owners_info_and_extended_columns),
		cmocka_unit_test(formats_and_colours),
		cmocka_unit_test(actions_exclude_each_other),
		cmocka_unit_test(watch_interval_attached_or_detached),
		cmocka_unit_test(kill_needs_a_filter_and_spares_listeners),
		cmocka_unit_test(source_values_are_checked),
		cmocka_unit_test(unknown_options_and_arguments_are_usage_errors),
		cmocka_unit_test(netstat_habits_are_accepted),
		cmocka_unit_test(help_version_and_sort),
	};
	return cmocka_run_group_tests_name("options", tests, NULL, teardown);
}
