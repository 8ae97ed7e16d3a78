#include "options.h"

#include "escape.h"

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum {
	OPT_SOURCE = 256, OPT_SORT, OPT_JSON, OPT_JSONL, OPT_CSV, OPT_COLOR,
	OPT_NETNS, OPT_ALL_NETNS, OPT_YES, OPT_STATE, OPT_SPORT, OPT_DPORT, OPT_PORT, OPT_SRC,
	OPT_DST, OPT_PID, OPT_USER, OPT_COMM, OPT_FORMAT,
};

static const struct option long_options[] = {
	{"ipv4", no_argument, NULL, '4'},
	{"ipv6", no_argument, NULL, '6'},
	{"listening", no_argument, NULL, 'l'},
	{"processes", no_argument, NULL, 'p'},
	{"extended", no_argument, NULL, 'e'},
	{"timers", no_argument, NULL, 'o'},
	{"info", no_argument, NULL, 'i'},
	{"summary", no_argument, NULL, 's'},
	{"kill", no_argument, NULL, 'K'},
	{"yes", no_argument, NULL, OPT_YES},
	{"watch", optional_argument, NULL, 'w'},
	{"all", no_argument, NULL, 'a'},
	{"numeric", no_argument, NULL, 'n'},
	{"tcp", no_argument, NULL, 't'},
	{"udp", no_argument, NULL, 'u'},
	{"json", no_argument, NULL, OPT_JSON},
	{"jsonl", no_argument, NULL, OPT_JSONL},
	{"csv", no_argument, NULL, OPT_CSV},
	{"format", required_argument, NULL, OPT_FORMAT},
	{"color", optional_argument, NULL, OPT_COLOR},
	{"colour", optional_argument, NULL, OPT_COLOR},
	{"netns", required_argument, NULL, OPT_NETNS},
	{"all-netns", no_argument, NULL, OPT_ALL_NETNS},
	{"state", required_argument, NULL, OPT_STATE},
	{"sport", required_argument, NULL, OPT_SPORT},
	{"dport", required_argument, NULL, OPT_DPORT},
	{"port", required_argument, NULL, OPT_PORT},
	{"src", required_argument, NULL, OPT_SRC},
	{"dst", required_argument, NULL, OPT_DST},
	{"pid", required_argument, NULL, OPT_PID},
	{"user", required_argument, NULL, OPT_USER},
	{"comm", required_argument, NULL, OPT_COMM},
	{"source", required_argument, NULL, OPT_SOURCE},
	{"verbose", no_argument, NULL, 'v'},
	{"sort", no_argument, NULL, OPT_SORT},
	{"help", no_argument, NULL, 'h'},
	{"version", no_argument, NULL, 'V'},
	{"no-header", no_argument, NULL, 'H'},
	{"resolve", no_argument, NULL, 'r'},
	{NULL, 0, NULL, 0},
};

void cli_print_help(void)
{
	fputs("Usage: tcptable [OPTION]... [FILTER]\n"
	      "List every TCP socket of this host (IPv4 and IPv6, all states); with -u, its UDP\n"
	      "sockets, with -tu both.\n"
	      "\n"
	      "What to show:\n"
	      "  -p, --processes     the processes holding each socket (PID/name)\n"
	      "  -e, --extended      uid and user, inode, socket cookie, cgroup, queues, timer\n"
	      "  -o, --timers        the timer of each socket (kind,expiry,retransmits)\n"
	      "  -i, --info          tcp_info: rtt, rto, mss, pmtu, cwnd, ssthresh,\n"
	      "                      retransmits, lost, bytes, delivery rate, congestion\n"
	      "                      algorithm, time since the last send and receive\n"
	      "  -s, --summary       sockets per state and family, and the kernel's TCP (and with\n"
	      "                      -u, UDP) counters\n"
	      "\n"
	      "Which sockets (lists are comma-separated and match if any item does; different\n"
	      "options must all match, except -l and --state, which add to one set of states):\n"
	      "  -t, --tcp           TCP sockets (the default when neither -t nor -u is given)\n"
	      "  -u, --udp           UDP sockets (state UNCONN: bound, not connected; ESTABLISHED:\n"
	      "                      connected); -tu both\n"
	      "  -4, --ipv4          IPv4 sockets only\n"
	      "  -6, --ipv6          IPv6 sockets only (IPv4 clients of dual-stack listeners\n"
	      "                      are IPv6 sockets with ::ffff: addresses)\n"
	      "  -l, --listening     listening sockets (the state listen; for UDP, the unconnected\n"
	      "                      ones, as ss -l)\n"
	      "  -a, --all           every state, also with -l (the default without -l)\n"
	      "      --state LIST    states: established, syn-sent, syn-recv, fin-wait-1,\n"
	      "                      fin-wait-2, time-wait, close, close-wait, last-ack, listen,\n"
	      "                      closing, bound-inactive; groups: all, connected,\n"
	      "                      synchronized, bucket, big, listening\n"
	      "      --sport LIST    local ports: 80, 8000-8100, https\n"
	      "      --dport LIST    remote ports\n"
	      "      --port LIST     local or remote ports\n"
	      "      --src LIST      local addresses or prefixes: 10.0.0.0/8, ::1\n"
	      "      --dst LIST      remote addresses or prefixes\n"
	      "      --pid LIST      sockets held by these processes\n"
	      "      --user LIST     sockets of these users (names or uids)\n"
	      "      --comm LIST     sockets held by processes of these exact names\n"
	      "      --netns NAME    the sockets of another network namespace (a name under\n"
	      "                      /run/netns, or a path such as /proc/PID/ns/net)\n"
	      "      --all-netns     every network namespace of the host, with a column for it\n"
	      "  FILTER              ss's filter language, after the options: [state STATE]...\n"
	      "                      [exclude STATE]... [EXPRESSION], where EXPRESSION joins\n"
	      "                      src/dst ADDR[/LEN][:PORT], sport/dport OP PORT (OP: = !=\n"
	      "                      < <= > >=, or eq ne lt le gt ge) with and, or, not and\n"
	      "                      ( ); e.g. state established '( dport = :443 or sport =\n"
	      "                      :443 )'. See tcptable(1)\n"
	      "\n"
	      "Output:\n"
	      "      --json          a JSON array of objects\n"
	      "      --jsonl         one JSON object per line\n"
	      "      --csv           CSV with a header row (RFC 4180)\n"
	      "      --format=FMT    table, json, jsonl or csv\n"
	      "      --color[=WHEN], --colour[=WHEN]\n"
	      "                      colour the table: auto (a terminal, default), always,\n"
	      "                      never; NO_COLOR in the environment means never\n"
	      "      --sort          order by local address, local port, remote address, port\n"
	      "\n"
	      "Acting:\n"
	      "  -K, --kill          close the selected TCP connections (SOCK_DESTROY; needs\n"
	      "                      CAP_NET_ADMIN and at least one filter). Lists them and\n"
	      "                      asks first, unless --yes. Listening sockets are closed\n"
	      "                      only when -l or --state selects them.\n"
	      "      --yes           do not ask before --kill\n"
	      "  -w, --watch[=SECS]  a live full-screen view, refreshed every SECS (default 1):\n"
	      "                      new rows green, closed red, changed yellow; rates and\n"
	      "                      queues per connection, owners when BPF serves them.\n"
	      "                      Keys: ? help, < > sort, r reverse, / filter, left/right\n"
	      "                      scroll columns, c choose columns, Enter details, P per\n"
	      "                      process, p pause, o owners, k close (asks y/n), q quit.\n"
	      "                      -e, -i, -o, -p add columns; --json, --csv, -H, -r refused\n"
	      "\n"
	      "Other:\n"
	      "      --source=SRC    where rows and owners come from: 'auto' (default: rows\n"
	      "                      from netlink, else /proc/net/tcp; owners from BPF when\n"
	      "                      it may load and the host has enough open files for it\n"
	      "                      to pay, else /proc/PID/fd), 'netlink' (sock_diag only),\n"
	      "                      'proc' (/proc only), 'bpf' (owners from BPF iterators\n"
	      "                      whenever they load; silently as auto where they cannot)\n"
	      "  -v, --verbose       say on stderr which source served rows and owners (with\n"
	      "                      --json, also in the output: {\"source\":...,\"rows\":[...]})\n"
	      "  -n, --numeric       accepted for ss and netstat habits: addresses and ports\n"
	      "                      are always numeric\n"
	      "  -r, --resolve       host names (reverse DNS, /etc/hosts) and service names\n"
	      "                      in the table; looked up concurrently, at most 2 s in all;\n"
	      "                      what does not answer in time stays numeric\n"
	      "  -H, --no-header     no header line (table) or header row (CSV)\n"
	      "  -h, --help          show this help and exit\n"
	      "  -V, --version       show the version and exit\n"
	      "\n"
	      "Exit status: 0 success, 1 failure (sockets unreadable, --kill not permitted or\n"
	      "incomplete), 2 bad usage.\n",
	      stdout);
}

/* Values are echoed escaped: a usage error must not replay escape sequences. */
static int usage_error(const char *option, const char *value, const char *why)
{
	char safe[256];
	escape_for_terminal(value, safe, sizeof(safe));
	fprintf(stderr, "tcptable: invalid %s '%s': %s\n", option, safe, why);
	return -1;
}

static int parse_source(const char *arg, enum tcpt_source *ret)
{
	static const enum tcpt_source sources[] = {TCPT_SOURCE_AUTO, TCPT_SOURCE_NETLINK,
						   TCPT_SOURCE_PROC, TCPT_SOURCE_BPF};
	for (size_t i = 0; i < sizeof(sources) / sizeof(sources[0]); i++)
		if (strcmp(arg, tcpt_source_name(sources[i])) == 0) {
			*ret = sources[i];
			return 0;
		}
	return usage_error("--source", arg, "expected auto, bpf, netlink or proc");
}

static int parse_format(const char *arg, enum output_format *ret)
{
	static const char *const names[] = {"table", "json", "jsonl", "csv"};
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (strcmp(arg, names[i]) == 0) {
			*ret = (enum output_format)i;
			return 0;
		}
	return usage_error("--format", arg, "expected table, json, jsonl or csv");
}

static int parse_color(const char *arg, enum color_mode *ret)
{
	if (!arg || strcmp(arg, "always") == 0)
		*ret = COLOR_ALWAYS;
	else if (strcmp(arg, "auto") == 0)
		*ret = COLOR_AUTO;
	else if (strcmp(arg, "never") == 0)
		*ret = COLOR_NEVER;
	else
		return usage_error("--color", arg, "expected auto, always or never");
	return 0;
}

/* Seconds with up to three decimals, 0.1 to 3600. */
static int parse_interval(const char *arg, unsigned *ret_ms)
{
	char *end;
	errno = 0;
	double secs = strtod(arg, &end);
	if (errno || end == arg || *end || !(secs >= 0.1 && secs <= 3600))
		return usage_error("--watch", arg, "expected seconds between 0.1 and 3600");
	*ret_ms = (unsigned)(secs * 1000 + 0.5);
	return 0;
}

static int add_filter(struct cli_options *o, const char *option, enum filter_list list,
		      const char *value)
{
	const char *why = "out of memory";
	if (filter_args_add(&o->filters, list, value, &why) < 0)
		return usage_error(option, value, why);
	return 0;
}

static int set_action(struct cli_options *o, enum cli_action a)
{
	if (o->action != ACTION_LIST && o->action != a) {
		fprintf(stderr, "tcptable: --summary, --kill and --watch exclude each other\n");
		return -1;
	}
	o->action = a;
	return 0;
}

static const struct {
	int opt;
	const char *name;
	enum filter_list list;
} filter_options[] = {
	{OPT_STATE, "--state", FILTER_STATES}, {OPT_SPORT, "--sport", FILTER_LOCAL_PORTS},
	{OPT_DPORT, "--dport", FILTER_REMOTE_PORTS}, {OPT_PORT, "--port", FILTER_PORTS},
	{OPT_SRC, "--src", FILTER_LOCAL_ADDRS}, {OPT_DST, "--dst", FILTER_REMOTE_ADDRS},
	{OPT_PID, "--pid", FILTER_PIDS}, {OPT_USER, "--user", FILTER_UIDS},
	{OPT_COMM, "--comm", FILTER_NAMES},
};

static int apply_filter_option(int c, const char *arg, struct cli_options *o)
{
	for (size_t i = 0; i < sizeof(filter_options) / sizeof(filter_options[0]); i++)
		if (filter_options[i].opt == c)
			return add_filter(o, filter_options[i].name, filter_options[i].list, arg);
	return 1; /* not a filter option */
}

static int apply_option(int c, const char *arg, struct cli_options *o)
{
	int r = apply_filter_option(c, arg, o);
	if (r <= 0)
		return r;
	switch (c) {
	case '4': o->query.families |= TCPT_FAMILY_IPV4; return 0;
	case '6': o->query.families |= TCPT_FAMILY_IPV6; return 0;
	case 'l': o->listening = true; return 0;
	case 'a': o->all = true; return 0;
	case 't': o->query.protocols |= TCPT_PROTO_TCP; return 0;
	case 'u': o->query.protocols |= TCPT_PROTO_UDP; return 0;
	case 'p': o->show_owners = true; return 0;
	case 'e': o->show_extended = true; return 0;
	case 'o': o->show_timers = true; return 0;
	case 'i': o->show_info = true; return 0;
	case 'v': o->verbose = true; return 0;
	case 's': return set_action(o, ACTION_SUMMARY);
	case 'K': return set_action(o, ACTION_KILL);
	case 'w':
		o->watch_interval_ms = 1000;
		return set_action(o, ACTION_WATCH) < 0 ? -1
		       : arg ? parse_interval(arg, &o->watch_interval_ms) : 0;
	case OPT_YES: o->assume_yes = true; return 0;
	case 'n': return 0;
	case OPT_JSON: o->format = FORMAT_JSON; return 0;
	case OPT_JSONL: o->format = FORMAT_JSONL; return 0;
	case OPT_CSV: o->format = FORMAT_CSV; return 0;
	case OPT_FORMAT: return parse_format(arg, &o->format);
	case OPT_COLOR: return parse_color(arg, &o->color);
	case OPT_NETNS: o->netns = arg; return 0;
	case OPT_ALL_NETNS: o->all_netns = true; return 0;
	case OPT_SORT: o->query.order = TCPT_ORDER_ADDRESS; return 0;
	case OPT_SOURCE: return parse_source(arg, &o->query.source);
	case 'h': o->action = ACTION_HELP; return 0;
	case 'V': o->action = ACTION_VERSION; return 0;
	case 'H': o->no_header = true; return 0;
	case 'r': o->resolve = true; return 0;
	default: return -1;
	}
}

/* getopt's own messages start with the full argv[0]; ours all start with "tcptable:". */
static void report_bad_option(int c, char **argv)
{
	char arg[256];
	escape_for_terminal(argv[optind - 1], arg, sizeof(arg));
	if (c == ':')
		fprintf(stderr, "tcptable: option '%s' needs a value\n", arg);
	else if (optopt && strncmp(arg, "--", 2) != 0) {
		char raw[3] = {'-', (char)optopt, '\0'};
		escape_for_terminal(raw, arg, sizeof(arg));
		fprintf(stderr, "tcptable: unknown option '%s' (see tcptable --help)\n", arg);
	}
	else
		fprintf(stderr, "tcptable: unknown option '%s' (see tcptable --help)\n", arg);
}

/* "-w 2": getopt gives short options with optional values only when attached ("-w2"). */
static int take_detached_interval(int argc, char **argv, struct cli_options *o)
{
	if (optind < argc && argv[optind][0] >= '0' && argv[optind][0] <= '9')
		return parse_interval(argv[optind++], &o->watch_interval_ms);
	return 0;
}

/* -w draws its own table: options that shape another output cannot apply to it, and are
 * refused rather than silently ignored. */
static int check_watch(const struct cli_options *o)
{
	static const char *const formats[] = {"--format=table", "--json", "--jsonl", "--csv"};
	const char *what = o->format != FORMAT_TABLE ? formats[o->format]
			 : o->no_header ? "--no-header"
			 : o->assume_yes ? "--yes"
			 : o->resolve ? "--resolve" : NULL;
	if (o->action != ACTION_WATCH || !what)
		return 0;
	fprintf(stderr, "tcptable: %s cannot apply to --watch (the live view draws its own "
			"table; see ? in it)\n", what);
	return -1;
}

static int check_combinations(struct cli_options *o)
{
	if (check_watch(o) < 0)
		return -1;
	if (o->action == ACTION_SUMMARY && o->format == FORMAT_CSV) {
		fprintf(stderr, "tcptable: --summary is a table or --json, not --csv\n");
		return -1;
	}
	if (o->netns && o->all_netns) {
		fprintf(stderr, "tcptable: --netns and --all-netns exclude each other\n");
		return -1;
	}
	if (o->action == ACTION_KILL && o->all_netns) {
		fprintf(stderr, "tcptable: --kill works in one namespace at a time; use --netns "
				"instead of --all-netns\n");
		return -1;
	}
	if (o->action == ACTION_KILL && o->query.protocols == TCPT_PROTO_UDP) {
		fprintf(stderr, "tcptable: --kill closes TCP connections only; it cannot close "
				"UDP sockets\n");
		return -1;
	}
	if (o->action == ACTION_KILL && (o->query.protocols & TCPT_PROTO_UDP)) {
		fprintf(stderr, "tcptable: --kill closes TCP connections only; UDP sockets are "
				"left alone\n");
		o->query.protocols = TCPT_PROTO_TCP;
	}
	/* a family alone is not a selection: "-K -4" would close every IPv4 connection */
	if (o->action == ACTION_KILL && !filter_args_any(&o->filters) && !o->listening) {
		fprintf(stderr, "tcptable: --kill needs a filter (--state, --port, --dst, ...);"
				" it will not close every connection\n");
		return -1;
	}
	return 0;
}

/* The filter language's error, in one line as every usage error: where, what, and why. */
static void report_filter_error(const struct filter_expr_error *e)
{
	char token[256];
	escape_for_terminal(e->token, token, sizeof(token));
	if (e->token[0])
		fprintf(stderr, "tcptable: bad filter at position %zu, '%s': %s\n", e->position,
			token, e->why);
	else
		fprintf(stderr, "tcptable: bad filter at position %zu (its end): %s\n",
			e->position, e->why);
}

static int parse_filter_language(struct cli_options *o, int argc, char **argv)
{
	struct filter_expr_error err;
	int r = filter_expr_parse(argc, argv, o->filters.resolve, o->names, &o->filters.expr,
				  &err);
	if (r == -EINVAL)
		report_filter_error(&err);
	else if (r < 0)
		fprintf(stderr, "tcptable: %s\n", tcpt_strerror(r));
	return r < 0 ? -1 : 0;
}

/* The expression of a set of states that is empty ("state listening exclude listening"),
 * since an empty state mask in a query means every state: "not any local end". */
static const struct tcpt_expr nothing[2] = {
	{.op = TCPT_EXPR_NOT, .a = 1},
	{.op = TCPT_EXPR_LOCAL, .port = -1},
};

/* The query the options describe; -l and --state combine into one set, which the filter
 * language's states then narrow. */
static void finish_query(struct cli_options *o)
{
	struct tcpt_query *q = &o->query;
	const struct filter_expr *x = &o->filters.expr;
	q->states = o->filters.states;
	if (o->listening && !o->all)
		q->states |= TCPT_STATE_BIT(TCPT_LISTEN);
	if (o->listening && !o->all && (q->protocols & TCPT_PROTO_UDP))
		q->states |= TCPT_STATE_BIT(TCPT_CLOSE);
	bool none = false;
	if (x->has_states) {
		q->states = (q->states ? q->states : TCPT_STATES_VALID) & x->states;
		none = !q->states;
	}
	o->filters.filter.expr = none ? nothing : x->nodes;
	o->filters.filter.expr_count = none ? 2 : x->count;
	if (o->action == ACTION_KILL && !q->states)
		q->states = TCPT_STATES_ALL & ~TCPT_STATE_BIT(TCPT_LISTEN);
	if (o->show_owners)
		q->want |= TCPT_WANT_OWNERS | TCPT_WANT_PROCESS;
	if (o->show_info)
		q->want |= TCPT_WANT_INFO;
	struct filter_args *f = &o->filters;
	f->states = 0; /* carried by the query's mask, which the kernel applies */
	q->filter = filter_args_any(f) ? &f->filter : NULL;
}

static int parse_options(int argc, char **argv, bool online, struct cli_options *ret)
{
	struct cli_options o = {0};
	if (online && resolver_new(RESOLVE_BUDGET_MS, &o.names) < 0) {
		fprintf(stderr, "tcptable: out of memory\n");
		return -1;
	}
	o.filters.resolve = online ? resolver_host_addresses : NULL;
	o.filters.resolve_ctx = o.names;
	opterr = 0;
	optind = 1;
	int c;
	while ((c = getopt_long(argc, argv, ":46lpeoivsKw::antuhHVr", long_options, NULL)) != -1) {
		if (c == '?' || c == ':') {
			report_bad_option(c, argv);
			goto fail;
		}
		if (apply_option(c, optarg, &o) < 0)
			goto fail;
		if (c == 'w' && !optarg && take_detached_interval(argc, argv, &o) < 0)
			goto fail;
	}
	if (optind < argc && parse_filter_language(&o, argc - optind, argv + optind) < 0)
		goto fail;
	if (check_combinations(&o) < 0)
		goto fail;
	*ret = o;
	finish_query(ret); /* after the copy: the query points into ret->filters */
	return 0;
fail:
	filter_args_free(&o.filters);
	resolver_free(o.names);
	return -1;
}

int cli_parse_options(int argc, char **argv, struct cli_options *ret)
{
	return parse_options(argc, argv, true, ret);
}

int cli_parse_options_offline(int argc, char **argv, struct cli_options *ret)
{
	return parse_options(argc, argv, false, ret);
}

void cli_options_free(struct cli_options *o)
{
	filter_args_free(&o->filters);
	resolver_free(o->names);
	o->names = NULL;
	o->query.filter = NULL;
}
