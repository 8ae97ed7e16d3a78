/* watch_layout.h - where each column goes on a line of a given width, and how a cell is cut
 * to fit. Pure: the unit tests lay out 80, 120 and 200 columns without a terminal. */
#ifndef TCPT_CLI_WATCH_LAYOUT_H
#define TCPT_CLI_WATCH_LAYOUT_H

#include <stdbool.h>
#include <stddef.h>

#include "watch_columns.h"

struct watch_layout {
	int x[WCOL_COUNT];     /* first screen column of each drawn column */
	int width[WCOL_COUNT]; /* 0: not drawn (hidden, scrolled off, or no room) */
	bool more_left;        /* scrollable columns are scrolled off to the left */
	bool more_right;       /* shown columns did not fit on the right */
	int scrollable;        /* shown columns that may scroll (not pinned) */
};

/*
 * Lay out the columns SHOWN[c] says are on, each wanting WANT[c] characters (at least its
 * title; at most what its widest cell needs), on a line of COLS characters, with the first
 * HSCROLL scrollable (not pinned) shown columns scrolled off to the left. Columns keep their
 * enum order, one space apart. Pinned columns (State, Process) are always placed, Process
 * taking what is left of the line (but the 2 characters of a ">" mark when columns are
 * left out on the right). Scrolled off columns leave 2 characters for a "<" mark. A scrollable column is squeezed down to its minimum
 * (watch_column_info()->min) rather than left out; after the first one that does not fit,
 * the rest are left out (more_right).
 */
void watch_layout_plan(struct watch_layout *l, const bool shown[WCOL_COUNT],
		       const int want[WCOL_COUNT], size_t hscroll, int cols);

/*
 * Cut an endpoint ("10.1.2.3:443", "[fe80::1%eth0]:22") to WIDTH characters by taking out
 * its middle, so that the port stays: "[fe80::~]:22" with '~' where characters went. Text
 * that fits is copied as it is. OUT has room for WIDTH + 1 bytes.
 */
void watch_elide_middle(const char *in, int width, char *out);

#endif
