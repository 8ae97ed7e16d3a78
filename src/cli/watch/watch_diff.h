/* watch_diff.h - what changed between two refreshes of the live view: a pure function of the
 * rows shown last time, the rows just taken and the sockets the kernel reported destroyed in
 * between. No I/O, no curses: the unit tests call it directly. */
#ifndef TCPT_CLI_WATCH_DIFF_H
#define TCPT_CLI_WATCH_DIFF_H

#include <stdbool.h>
#include <stddef.h>

#include "tcptable.h"

enum watch_mark {
	WATCH_SAME,    /* in both snapshots, same state */
	WATCH_NEW,     /* only in the current snapshot */
	WATCH_CHANGED, /* in both, state changed */
	WATCH_CLOSED,  /* in the previous snapshot only, or only in destroy events */
};

struct watch_item {
	const struct tcpt_conn *row; /* points into the input's cur, prev or events */
	const struct tcpt_conn *old; /* SAME and CHANGED: the same connection in prev (for
	                                rates); NULL otherwise and on the first refresh */
	enum watch_mark mark;
};

struct watch_diff_input {
	const struct tcpt_conn *prev;   /* the rows of the previous refresh */
	size_t prev_count;
	const struct tcpt_conn *cur;    /* the rows just taken */
	size_t cur_count;
	const struct tcpt_conn *events; /* sockets the kernel reported destroyed since prev */
	size_t event_count;
	bool first;                     /* no previous refresh: everything is SAME and events
	                                   are ignored (nothing is "new" on the first screen) */
};

/*
 * Order two rows by identity: the socket cookie when both have one (the netlink source);
 * rows without one (the /proc source) by family, addresses, ports, inode and namespace.
 * A row with a cookie never equals one without. Returns <0, 0 or >0.
 */
int watch_key_compare(const struct tcpt_conn *a, const struct tcpt_conn *b);

/*
 * Classify the rows of IN: each current row is NEW, CHANGED or SAME; each previous row whose
 * key is gone is CLOSED; each event whose key is in neither snapshot is CLOSED too (a
 * connection that opened and closed between refreshes), once however often it is reported.
 * Events whose key, or whose family, addresses and ports, are in either snapshot add
 * nothing: the socket was seen, or it became a TIME-WAIT row (which keeps its cookie when
 * the kernel had made one, and gets another when it had not).
 *
 * An event that is news but no longer knows its peer (remote port 0: the socket was reset
 * before it was freed, and the kernel had already zeroed what the notification copies) is
 * not an item: its addresses are not the connection's, and no snapshot saw the real ones.
 * Such events are counted in *ret_unseen instead (RET_UNSEEN may be NULL).
 *
 * Items come out in this order: current rows as given, then closed previous rows as given,
 * then closed events as given. *ret_items (free() it) holds *ret_count items.
 * Returns 0, or -ENOMEM (outputs untouched).
 */
int watch_diff(const struct watch_diff_input *in, struct watch_item **ret_items,
	       size_t *ret_count, size_t *ret_unseen);

#endif
