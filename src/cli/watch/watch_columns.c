/* watch_columns.c - the column table. */
#include "watch_columns.h"

#include <stdio.h>
#include <string.h>

static const struct watch_column_info columns[WCOL_COUNT] = {
	[WCOL_PROTO] = {"proto", "Proto", 5, 4, false, false, WNEED_NOTHING},
	[WCOL_LOCAL] = {"local_address", "Local Address", 21, 12, false, true, WNEED_NOTHING},
	[WCOL_REMOTE] = {"remote_address", "Remote Address", 21, 12, false, true, WNEED_NOTHING},
	[WCOL_STATE] = {"state", "State", 11, 11, false, false, WNEED_NOTHING},
	[WCOL_NETNS] = {"netns", "Netns", 12, 6, false, true, WNEED_NOTHING},
	[WCOL_CONTAINER] = {"container", "Container", 40, 10, false, false, WNEED_NOTHING},
	[WCOL_RECV_RATE] = {"recv_rate", "Recv/s", 6, 6, true, true, WNEED_INFO},
	[WCOL_SEND_RATE] = {"send_rate", "Send/s", 6, 6, true, true, WNEED_INFO},
	[WCOL_RECV_Q] = {"recv_q", "Recv-Q", 6, 6, true, true, WNEED_NOTHING},
	[WCOL_SEND_Q] = {"send_q", "Send-Q", 6, 6, true, true, WNEED_NOTHING},
	[WCOL_UID] = {"uid", "UID", 6, 5, true, true, WNEED_NOTHING},
	[WCOL_USER] = {"user", "User", 10, 6, false, true, WNEED_NOTHING},
	[WCOL_INODE] = {"inode", "Inode", 9, 6, true, true, WNEED_NOTHING},
	[WCOL_COOKIE] = {"cookie", "Cookie", 9, 6, true, true, WNEED_NOTHING},
	[WCOL_CGROUP] = {"cgroup", "Cgroup", 24, 8, false, true, WNEED_NOTHING},
	[WCOL_TIMER] = {"timer", "Timer", 16, 8, false, true, WNEED_NOTHING},
	[WCOL_RTT] = {"rtt_us", "RTT us", 8, 6, true, true, WNEED_INFO},
	[WCOL_CWND] = {"snd_cwnd", "Cwnd", 5, 4, true, true, WNEED_INFO},
	[WCOL_TOTAL_RETRANS] = {"total_retrans", "Retrans", 7, 5, true, true, WNEED_INFO},
	[WCOL_BYTES_RECEIVED] = {"bytes_received", "Received", 8, 6, true, true, WNEED_INFO},
	[WCOL_BYTES_ACKED] = {"bytes_acked", "Acked", 8, 6, true, true, WNEED_INFO},
	[WCOL_DELIVERY_RATE] = {"delivery_rate", "Deliv/s", 7, 6, true, true, WNEED_INFO},
	[WCOL_PROCESS] = {"owners", "PID/Program", 20, 13, false, false, WNEED_OWNERS},
};

const struct watch_column_info *watch_column_info(enum watch_column c)
{
	static const struct watch_column_info none = {"", "", 0, 0, false, false, 0};
	return (unsigned)c < WCOL_COUNT ? &columns[c] : &none;
}

int watch_column_by_name(const char *name)
{
	for (int c = 0; c < WCOL_COUNT; c++)
		if (strcmp(columns[c].name, name) == 0)
			return c;
	return -1;
}

bool watch_column_pinned(enum watch_column c)
{
	return c == WCOL_STATE || c == WCOL_PROCESS;
}

void watch_format_rate(unsigned long long v, char *out, unsigned size)
{
	static const char units[] = "KMGTP";
	if (v < 1000) {
		snprintf(out, size, "%llu", v);
		return;
	}
	double x = (double)v;
	int u = -1;
	while (x >= 999.95 && u < 4) {
		x /= 1000.0;
		u++;
	}
	snprintf(out, size, x < 99.95 ? "%.1f%c" : "%.0f%c", x, units[u]);
}
