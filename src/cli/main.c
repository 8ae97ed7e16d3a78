/* main.c - tcptable: options -> one snapshot -> the table. */
#include <stdio.h>
#include <unistd.h>

#include "options.h"
#include "outbuf.h"
#include "table.h"
#include "tcptable.h"

enum { EXIT_RUNTIME = 1, EXIT_USAGE = 2 };

static void explain_missing_owners(const struct tcpt_snapshot *snap)
{
	size_t n = tcpt_snapshot_unreadable_processes(snap);
	if (n)
		fprintf(stderr,
			"tcptable: %zu process%s could not be inspected; their sockets show no "
			"owner (run as root to see them)\n",
			n, n == 1 ? "" : "es");
}

static int show_table(const struct cli_options *o)
{
	struct tcpt_snapshot *snap;
	int r = tcpt_snapshot_take(&o->query, &snap);
	if (r < 0) {
		fprintf(stderr, "tcptable: cannot read the TCP sockets: %s\n", tcpt_strerror(r));
		return EXIT_RUNTIME;
	}
	static struct outbuf out;
	outbuf_init(&out, STDOUT_FILENO);
	struct table_columns cols = {.extended = o->show_extended, .owners = o->show_owners};
	r = table_write(tcpt_snapshot_rows(snap), tcpt_snapshot_count(snap), cols, &out);
	if (r == 0)
		r = outbuf_flush(&out);
	if (o->show_owners)
		explain_missing_owners(snap);
	tcpt_snapshot_free(snap);
	if (r < 0) {
		fprintf(stderr, "tcptable: cannot write the table: %s\n", tcpt_strerror(r));
		return EXIT_RUNTIME;
	}
	return 0;
}

int main(int argc, char **argv)
{
	struct cli_options o;
	if (cli_parse_options(argc, argv, &o) < 0)
		return EXIT_USAGE;
	if (o.help) {
		cli_print_help();
		return 0;
	}
	if (o.version) {
		printf("tcptable %s\n", tcpt_version());
		return 0;
	}
	return show_table(&o);
}
