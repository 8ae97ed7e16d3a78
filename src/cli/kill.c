/* kill.c - --kill: close the selected connections with SOCK_DESTROY. Nothing is closed
 * unless everything needed is there first: the capability, a filter, a yes. */
#include <errno.h>
#include <linux/capability.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "actions.h"
#include "table.h"
#include "view.h"

static bool have_net_admin(void)
{
	struct __user_cap_header_struct head = {_LINUX_CAPABILITY_VERSION_3, 0};
	struct __user_cap_data_struct data[_LINUX_CAPABILITY_U32S_3];
	memset(data, 0, sizeof(data));
	if (syscall(SYS_capget, &head, data) < 0)
		return false;
	return data[CAP_TO_INDEX(CAP_NET_ADMIN)].effective & CAP_TO_MASK(CAP_NET_ADMIN);
}

static int show_victims(const struct cli_options *o, const struct tcpt_snapshot *snap)
{
	static struct outbuf out;
	outbuf_init(&out, STDOUT_FILENO);
	struct view v;
	view_init(&v, o, isatty(STDOUT_FILENO));
	int r = table_write(tcpt_snapshot_rows(snap), tcpt_snapshot_count(snap), &v, &out);
	view_free(&v);
	return r == 0 ? outbuf_flush(&out) : r;
}

/* "y" or "yes" on standard input, which must be a terminal. */
static bool confirmed(size_t count)
{
	if (!isatty(STDIN_FILENO)) {
		fprintf(stderr, "tcptable: not closing anything: standard input is not a terminal "
				"to ask on; add --yes\n");
		return false;
	}
	fprintf(stderr, "Close %zu connection%s? [y/N] ", count, count == 1 ? "" : "s");
	char answer[16];
	if (!fgets(answer, sizeof(answer), stdin))
		return false;
	answer[strcspn(answer, "\n")] = '\0';
	return strcmp(answer, "y") == 0 || strcmp(answer, "Y") == 0 ||
	       strcmp(answer, "yes") == 0;
}

static int close_all(const struct tcpt_snapshot *snap)
{
	const struct tcpt_conn *rows = tcpt_snapshot_rows(snap);
	size_t n = tcpt_snapshot_count(snap), closed = 0, gone = 0, failed = 0;
	for (size_t i = 0; i < n; i++) {
		int r = tcpt_conn_destroy(&rows[i]);
		if (r == 0) {
			closed++;
		} else if (r == -ENOENT) {
			gone++;
		} else {
			failed++;
			fprintf(stderr, "tcptable: could not close %s connection on local port %u: %s\n",
				tcpt_state_name(rows[i].state), rows[i].local_port, tcpt_strerror(r));
		}
	}
	printf("closed %zu of %zu connection%s", closed, n, n == 1 ? "" : "s");
	if (gone)
		printf(" (%zu had already closed)", gone);
	printf("\n");
	return failed ? 1 : 0;
}

int action_kill(const struct cli_options *o)
{
	if (!have_net_admin()) {
		fprintf(stderr, "tcptable: --kill needs CAP_NET_ADMIN (run as root); nothing "
				"was closed\n");
		return 1;
	}
	struct tcpt_snapshot *snap;
	if (take_snapshot(o, &snap) < 0)
		return 1;
	int status = 0;
	size_t n = tcpt_snapshot_count(snap);
	if (n == 0) {
		printf("no connection matches; nothing to close\n");
	} else if (show_victims(o, snap) < 0) {
		status = 1;
	} else if (o->assume_yes || confirmed(n)) {
		fflush(stdout);
		status = close_all(snap);
	} else {
		fprintf(stderr, "tcptable: nothing was closed\n");
		status = 1;
	}
	tcpt_snapshot_free(snap);
	return status;
}
