/* stats.c - placeholder until the IP Helper work lands its implementation; not to be released. */
#include <errno.h>

#include "tcptable.h"

TCPT_EXPORT int tcpt_stats_read(struct tcpt_stats *ret_stats)
{
	(void)ret_stats;
	return -ENOSYS;
}
