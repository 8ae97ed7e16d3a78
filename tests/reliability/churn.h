/* churn.h - helper threads that open and close connections as fast as they can, over IPv4
 * and IPv6 loopback, in the calling thread's network namespace. No Win32 headers here, so
 * that IP Helper tests can use it. */
#ifndef TCPT_REL_CHURN_H
#define TCPT_REL_CHURN_H

/* Start acceptors and CLIENTS client threads (the namespace's local port range widened and
 * TIME-WAIT reuse on, so that ports never run out). 0 or -1. */
int churn_start(int clients);

/* Stop them; *RET_CONNECTIONS opened and closed in *RET_SECONDS. */
void churn_stop(unsigned long *ret_connections, double *ret_seconds);

#endif
