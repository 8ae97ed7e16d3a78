/* options.h - the command line of tcptable, parsed into one struct. */
#ifndef TCPT_CLI_OPTIONS_H
#define TCPT_CLI_OPTIONS_H

#include <stdbool.h>

#include "tcptable.h"

struct cli_options {
	struct tcpt_query query;
	bool show_owners;   /* -p */
	bool show_extended; /* -e */
	bool help;
	bool version;
};

/*
 * Parse ARGV into *ret. On a usage error, writes one line naming the problem to stderr and
 * returns -1 (the caller exits with status 2); returns 0 otherwise.
 */
int cli_parse_options(int argc, char **argv, struct cli_options *ret);

/* Write the --help text to stdout. */
void cli_print_help(void);

#endif
