#include "options.h"

#include <getopt.h>
#include <stdio.h>
#include <string.h>

enum { OPT_SOURCE = 256, OPT_VERSION, OPT_SORT };

static const struct option long_options[] = {
	{"ipv4", no_argument, NULL, '4'},
	{"ipv6", no_argument, NULL, '6'},
	{"listening", no_argument, NULL, 'l'},
	{"processes", no_argument, NULL, 'p'},
	{"extended", no_argument, NULL, 'e'},
	{"all", no_argument, NULL, 'a'},
	{"numeric", no_argument, NULL, 'n'},
	{"tcp", no_argument, NULL, 't'},
	{"source", required_argument, NULL, OPT_SOURCE},
	{"sort", no_argument, NULL, OPT_SORT},
	{"help", no_argument, NULL, 'h'},
	{"version", no_argument, NULL, OPT_VERSION},
	{NULL, 0, NULL, 0},
};

void cli_print_help(void)
{
	fputs("Usage: tcptable [OPTION]...\n"
	      "List every TCP socket of this host (IPv4 and IPv6, all states).\n"
	      "\n"
	      "  -4, --ipv4          IPv4 sockets only\n"
	      "  -6, --ipv6          IPv6 sockets only (IPv4 clients of dual-stack listeners\n"
	      "                      are IPv6 sockets with ::ffff: addresses)\n"
	      "  -l, --listening     listening sockets only\n"
	      "  -p, --processes     show the processes holding each socket (PID/name)\n"
	      "  -e, --extended      show uid, inode, socket cookie, queues and timer\n"
	      "      --sort          order by local address, local port, remote address, port\n"
	      "      --source=SRC    read sockets from 'netlink' (sock_diag) or 'proc'\n"
	      "                      (/proc/net/tcp); default: netlink, falling back to proc\n"
	      "  -a, -n, -t          accepted for netstat habits: all sockets, numeric and\n"
	      "                      TCP are what tcptable always shows\n"
	      "  -h, --help          show this help and exit\n"
	      "      --version       show the version and exit\n"
	      "\n"
	      "Exit status: 0 success, 1 the sockets could not be read, 2 bad usage.\n",
	      stdout);
}

static int parse_source(const char *arg, enum tcpt_source *ret)
{
	if (strcmp(arg, "netlink") == 0)
		*ret = TCPT_SOURCE_NETLINK;
	else if (strcmp(arg, "proc") == 0)
		*ret = TCPT_SOURCE_PROC;
	else
		return -1;
	return 0;
}

static int apply_option(int c, const char *arg, struct cli_options *o)
{
	switch (c) {
	case '4':
		o->query.families |= TCPT_FAMILY_IPV4;
		return 0;
	case '6':
		o->query.families |= TCPT_FAMILY_IPV6;
		return 0;
	case 'l':
		o->query.states = TCPT_STATE_BIT(TCPT_LISTEN);
		return 0;
	case 'p':
		o->show_owners = true;
		o->query.want = TCPT_WANT_OWNERS | TCPT_WANT_PROCESS;
		return 0;
	case 'e':
		o->show_extended = true;
		return 0;
	case 'a':
	case 'n':
	case 't':
		return 0;
	case OPT_SORT:
		o->query.order = TCPT_ORDER_ADDRESS;
		return 0;
	case OPT_SOURCE:
		if (parse_source(arg, &o->query.source) == 0)
			return 0;
		fprintf(stderr, "tcptable: invalid --source '%s' (expected netlink or proc)\n",
			arg);
		return -1;
	case 'h':
		o->help = true;
		return 0;
	case OPT_VERSION:
		o->version = true;
		return 0;
	default:
		return -1;
	}
}

/* getopt's own messages start with the full argv[0]; ours all start with "tcptable:". */
static void report_bad_option(int c, char **argv)
{
	const char *arg = argv[optind - 1];
	if (c == ':')
		fprintf(stderr, "tcptable: option '%s' needs a value\n", arg);
	else if (optopt && strncmp(arg, "--", 2) != 0)
		fprintf(stderr, "tcptable: unknown option '-%c' (see tcptable --help)\n", optopt);
	else
		fprintf(stderr, "tcptable: unknown option '%s' (see tcptable --help)\n", arg);
}

int cli_parse_options(int argc, char **argv, struct cli_options *ret)
{
	struct cli_options o = {0};
	opterr = 0;
	optind = 1;
	int c;
	while ((c = getopt_long(argc, argv, ":46lpeanth", long_options, NULL)) != -1) {
		if (c == '?' || c == ':') {
			report_bad_option(c, argv);
			return -1;
		}
		if (apply_option(c, optarg, &o) < 0)
			return -1;
	}
	if (optind < argc) {
		fprintf(stderr, "tcptable: unexpected argument '%s'\n", argv[optind]);
		return -1;
	}
	*ret = o;
	return 0;
}
