/* main.c - tcptable: options -> namespaces -> the chosen action. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

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

static int enter_namespaces(struct cli_options *o, struct netns_list *all)
{
	if (o->netns) {
		struct netns_error err;
		if (netns_enter(o->netns, &err) < 0) {
			fprintf(stderr, "tcptable: --netns %s: %s\n", o->netns, err.text);
			return err.usage ? EXIT_USAGE : 1;
		}
	}
	if (o->all_netns) {
		int r = netns_list_all(all, stderr);
		if (r < 0) {
			fprintf(stderr, "tcptable: cannot list the network namespaces: %s\n",
				strerror(-r));
			return 1;
		}
		if (all->denied && geteuid() != 0) {
			fprintf(stderr, "tcptable: --all-netns: other users' network namespaces "
					"need root\n");
			return 1;
		}
		o->query.netns_paths = (const char *const *)all->paths;
		o->query.netns_path_count = all->count;
	}
	return 0;
}

int main(int argc, char **argv)
{
	struct cli_options o;
	if (cli_parse_options(argc, argv, &o) < 0)
		return EXIT_USAGE;
	struct netns_list all = {0};
	int status = enter_namespaces(&o, &all);
	if (status == 0)
		status = run(&o);
	if (status == 0 && all.unusable) {
		fprintf(stderr, "tcptable: the answer is incomplete: %zu network namespace%s could "
				"not be read (above)\n", all.unusable, all.unusable == 1 ? "" : "s");
		status = 1;
	}
	netns_list_free(&all);
	cli_options_free(&o);
	return status;
}
