/* main.c - tcptable: options -> namespaces -> the chosen action. */
#include <errno.h>
#include <stdio.h>

#include "actions.h"
#include "netns.h"
#include "options.h"
#include "tcptable.h"

enum { EXIT_USAGE = 2 };

static int run(struct cli_options *o)
{
	switch (o->action) {
	case ACTION_HELP:
		cli_print_help();
		return 0;
	case ACTION_VERSION:
		printf("tcptable %s\n", tcpt_version());
		return 0;
	case ACTION_SUMMARY:
		return action_summary(o);
	case ACTION_KILL:
		return action_kill(o);
	case ACTION_WATCH:
		return action_watch(o);
	case ACTION_LIST:
	default:
		return action_list(o);
	}
}

static int enter_namespaces(struct cli_options *o, int **ret_fds, size_t *ret_count)
{
	if (o->netns) {
		int r = netns_enter(o->netns);
		if (r < 0) {
			fprintf(stderr, "tcptable: cannot enter network namespace '%s': %s\n",
				o->netns, tcpt_strerror(r));
			return -1;
		}
	}
	if (o->all_netns) {
		int r = netns_open_all(ret_fds, ret_count);
		if (r < 0) {
			fprintf(stderr, "tcptable: cannot list the network namespaces: %s\n",
				r == -EPERM ? "other users' namespaces need root"
					    : tcpt_strerror(r));
			return -1;
		}
		o->query.netns_fds = *ret_fds;
		o->query.netns_count = *ret_count;
	}
	return 0;
}

int main(int argc, char **argv)
{
	struct cli_options o;
	if (cli_parse_options(argc, argv, &o) < 0)
		return EXIT_USAGE;
	int *fds = NULL;
	size_t nfds = 0;
	int status = 1;
	if (enter_namespaces(&o, &fds, &nfds) == 0)
		status = run(&o);
	netns_close(fds, nfds);
	cli_options_free(&o);
	return status;
}
