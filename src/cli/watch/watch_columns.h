/* watch_columns.h - the live view's columns: their names (the field names of -e, -i and JSON,
 * record.h, plus the view's own: container, recv_rate, send_rate), titles, widths and what
 * each needs from the kernel. Pure. */
#ifndef TCPT_CLI_WATCH_COLUMNS_H
#define TCPT_CLI_WATCH_COLUMNS_H

#include <stdbool.h>

/* In the order they are drawn. State and Process are pinned (always on screen); the others
 * scroll sideways when the terminal is too narrow. */
enum watch_column {
	WCOL_PROTO,
	WCOL_LOCAL,
	WCOL_REMOTE,
	WCOL_STATE,
	WCOL_NETNS,         /* shown with --netns and --all-netns */
	WCOL_CONTAINER,     /* from the socket's cgroup path (watch_container.h) */
	WCOL_RECV_RATE,     /* bytes/s received, from tcp_info deltas */
	WCOL_SEND_RATE,     /* bytes/s sent and acknowledged */
	WCOL_RECV_Q,
	WCOL_SEND_Q,
	WCOL_UID,
	WCOL_USER,
	WCOL_INODE,
	WCOL_COOKIE,
	WCOL_CGROUP,
	WCOL_TIMER,
	WCOL_RTT,
	WCOL_CWND,
	WCOL_TOTAL_RETRANS,
	WCOL_BYTES_RECEIVED,
	WCOL_BYTES_ACKED,
	WCOL_DELIVERY_RATE,
	WCOL_PROCESS,       /* shown while owners are (-p, 'o') */
	WCOL_COUNT,
};

enum watch_column_need {
	WNEED_NOTHING = 0,
	WNEED_INFO = 1,   /* tcp_info in the snapshot */
	WNEED_OWNERS = 2, /* owners and their names */
};

struct watch_column_info {
	const char *name;  /* "local_address", as -e/-i/JSON name the field */
	const char *title; /* "Local Address" */
	int width;         /* the usual width; cells are cut to it */
	int min;           /* the narrowest it may be squeezed to (addresses are elided) */
	bool right;        /* numbers: aligned right */
	bool numeric;      /* sorted as numbers */
	unsigned need;     /* WNEED_* */
};

/* The description of C; never NULL (an unknown C gives an empty description). */
const struct watch_column_info *watch_column_info(enum watch_column c);

/* The column named NAME (as watch_column_info()->name), or -1. */
int watch_column_by_name(const char *name);

/* Whether C is always drawn, whatever the width (State, Process). */
bool watch_column_pinned(enum watch_column c);

/* A rate in bytes per second as the table shows it: "0", "950", "12.5K", "1.9M", "3.1G"
 * (K = 1000), into OUT of SIZE bytes. */
void watch_format_rate(unsigned long long bytes_per_s, char *out, unsigned size);

#endif
