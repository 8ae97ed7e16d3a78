/* watch.c - the live view (being written). */
#include <stdio.h>

#include "actions.h"

int action_watch(const struct cli_options *o)
{
	(void)o;
	fprintf(stderr, "tcptable: --watch is not available yet\n");
	return 1;
}
