/* names.c - the library's version and the names of states, protocols and timers. */
#include <errno.h>
#include <stddef.h>
#include <strings.h>

#include "tcptable.h"

static const char *const state_names[TCPT_STATE_MAX + 1] = {
	[TCPT_ESTABLISHED] = "ESTABLISHED", [TCPT_SYN_SENT] = "SYN-SENT",
	[TCPT_SYN_RECV] = "SYN-RECV",       [TCPT_FIN_WAIT1] = "FIN-WAIT-1",
	[TCPT_FIN_WAIT2] = "FIN-WAIT-2",    [TCPT_TIME_WAIT] = "TIME-WAIT",
	[TCPT_CLOSE] = "CLOSE",             [TCPT_CLOSE_WAIT] = "CLOSE-WAIT",
	[TCPT_LAST_ACK] = "LAST-ACK",       [TCPT_LISTEN] = "LISTEN",
	[TCPT_CLOSING] = "CLOSING",         [TCPT_NEW_SYN_RECV] = "NEW-SYN-RECV",
	[TCPT_BOUND_INACTIVE] = "BOUND-INACTIVE",
};

static const char *const timer_names[] = {
	[TCPT_TIMER_NONE] = "off",           [TCPT_TIMER_RETRANSMIT] = "on",
	[TCPT_TIMER_KEEPALIVE] = "keepalive", [TCPT_TIMER_TIME_WAIT] = "timewait",
	[TCPT_TIMER_PERSIST] = "persist",
};

TCPT_EXPORT const char *tcpt_version(void)
{
	return TCPT_VERSION_STRING;
}

TCPT_EXPORT const char *tcpt_state_name(unsigned state)
{
	if (state > TCPT_STATE_MAX || !state_names[state])
		return "UNKNOWN";
	return state_names[state];
}

/* Equal ignoring case, with '-' and '_' the same character. */
static int same_state_spelling(const char *a, const char *b)
{
	for (; *a && *b; a++, b++) {
		char ca = *a == '_' ? '-' : *a;
		char cb = *b == '_' ? '-' : *b;
		if (strncasecmp(&ca, &cb, 1) != 0)
			return 0;
	}
	return *a == *b;
}

TCPT_EXPORT int tcpt_state_from_name(const char *name)
{
	if (!name)
		return -EINVAL;
	for (unsigned s = 1; s <= TCPT_STATE_MAX; s++)
		if (same_state_spelling(name, state_names[s]))
			return (int)s;
	if (same_state_spelling(name, "ESTAB"))
		return TCPT_ESTABLISHED;
	return -EINVAL;
}

TCPT_EXPORT const char *tcpt_timer_name(unsigned timer)
{
	if (timer >= sizeof(timer_names) / sizeof(timer_names[0]))
		return "unknown";
	return timer_names[timer];
}

TCPT_EXPORT const char *tcpt_protocol_name(unsigned protocol)
{
	switch (protocol) {
	case TCPT_PROTO_NUMBER_TCP: return "tcp";
	case TCPT_PROTO_NUMBER_UDP: return "udp";
	default: return "unknown";
	}
}

TCPT_EXPORT const char *tcpt_conn_state_name(const struct tcpt_conn *row)
{
	if (!row)
		return "UNKNOWN";
	if (row->protocol == TCPT_PROTO_NUMBER_UDP && row->state == TCPT_CLOSE)
		return "UNCONN";
	return tcpt_state_name(row->state);
}

TCPT_EXPORT const char *tcpt_source_name(enum tcpt_source source)
{
	switch (source) {
	case TCPT_SOURCE_AUTO: return "auto";
	case TCPT_SOURCE_NETLINK: return "netlink";
	case TCPT_SOURCE_PROC: return "proc";
	case TCPT_SOURCE_BPF: return "bpf";
	}
	return "unknown";
}
