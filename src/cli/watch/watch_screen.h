/* watch_screen.h - drawing the live view with curses. The only file that paints; what it
 * paints comes from the table, the keys' state and a few header facts. */
#ifndef TCPT_CLI_WATCH_SCREEN_H
#define TCPT_CLI_WATCH_SCREEN_H

#include <stdbool.h>

#include "watch_table.h"
#include "watch_ui.h"

/* Facts for the header besides the rows. */
struct watch_header {
	unsigned interval_ms;
	bool events;       /* subscribed to destroy notifications */
	bool events_lost;  /* some notifications were dropped since the last refresh */
	size_t unseen;     /* closes reported with wiped endpoints, so not shown as rows */
	const char *error; /* the last refresh failed: why (NULL when it worked) */
};

/* Take over the terminal (curses, colours, keypad, non-blocking keys). Returns 0, or -1 when
 * the terminal cannot be used (unknown TERM), having said so on stderr. */
int watch_screen_open(void);

/* Give the terminal back as it was, releasing curses' memory. */
void watch_screen_close(void);

/* Rows available for lines, below the header and above the status line (at least 1). */
size_t watch_screen_page(void);

/* Draw everything: header H, column titles, T's shown lines from UI's window with the
 * selection highlighted, and the bottom line (filter prompt, question, status or keys). */
void watch_screen_draw(const struct watch_table *t, const struct watch_ui *ui,
		       const struct watch_header *h);

/* The next key, or -1 when none is waiting. */
int watch_screen_key(void);

#endif
