/* destroy.c - placeholder until the IP Helper work lands its implementation; not to be released. */
#include <errno.h>

#include "tcptable.h"

TCPT_EXPORT int tcpt_conn_destroy(const struct tcpt_conn *row)
{
	(void)row;
	return -ENOSYS;
}
