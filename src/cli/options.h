/* options.h - the command line of tcptable, parsed into one struct. */
#ifndef TCPT_CLI_OPTIONS_H
#define TCPT_CLI_OPTIONS_H

#include <stdbool.h>

#include "filter_args.h"
#include "resolve.h"
#include "tcptable.h"

enum output_format { FORMAT_TABLE, FORMAT_JSON, FORMAT_JSONL, FORMAT_CSV };
enum color_mode { COLOR_AUTO, COLOR_ALWAYS, COLOR_NEVER };
enum cli_action { ACTION_LIST, ACTION_SUMMARY, ACTION_KILL, ACTION_WATCH, ACTION_HELP,
		  ACTION_VERSION };

struct cli_options {
	enum cli_action action;
	struct tcpt_query query;     /* query.filter points at filters.filter when any is set */
	struct filter_args filters;
	bool listening;              /* -l */
	bool all;                    /* -a: every state, whatever -l says */
	bool show_owners;            /* -p */
	bool show_extended;          /* -e: uid and user, inode, cookie, cgroup, queues, timer */
	bool show_timers;            /* -o */
	bool show_info;              /* -i */
	bool verbose;                /* -v: say which sources served */
	bool assume_yes;             /* --yes, for --kill */
	bool no_header;              /* -H: no table header line, no CSV header row */
	bool resolve;                /* -r: host and service names in the table */
	enum output_format format;
	enum color_mode color;
	const char *netns;           /* --netns NAME|PATH */
	bool all_netns;              /* --all-netns */
	unsigned watch_interval_ms;  /* -w [SECONDS] */
	struct resolver *names;      /* the host names of --src, --dst and the filter language */
};

/*
 * Parse ARGV into *ret: the options, then ss's filter language in the arguments after them
 * (filter_expr.h), which combines with the filter options by "and". On a usage error, writes
 * what is wrong (for the filter language: the token and its position) to stderr and returns
 * -1 (the caller exits with status 2); returns 0 otherwise. Release *ret with
 * cli_options_free() after a success.
 */
int cli_parse_options(int argc, char **argv, struct cli_options *ret);

/* cli_parse_options() without looking up any name: a host name in --src, --dst or the filter
 * language is a usage error (unit tests and fuzzing must not reach a resolver). */
int cli_parse_options_offline(int argc, char **argv, struct cli_options *ret);

/* Release what cli_parse_options() allocated. */
void cli_options_free(struct cli_options *o);

/* Write the --help text to stdout. */
void cli_print_help(void);

#endif
