/* watch_screen.h - drawing the live view with curses. The only files that paint are this one
 * and watch_panes.c; what they paint comes from the session (its frame, the keys' state and
 * a few header facts). */
#ifndef TCPT_CLI_WATCH_SCREEN_H
#define TCPT_CLI_WATCH_SCREEN_H

#include <stdbool.h>

#include "watch_session.h"

/* Take over the terminal (curses, colours, keypad, non-blocking keys). Returns 0, or -1 when
 * the terminal cannot be used (unknown TERM), having said so on stderr. */
int watch_screen_open(void);

/* Give the terminal back as it was, releasing curses' memory. */
void watch_screen_close(void);

/* Rows available for lines, below the header and above the status line (at least 1). */
size_t watch_screen_page(void);

/* Draw everything: the header, the column titles, the shown lines from the keys' window
 * with the selection highlighted, the bottom line (filter prompt, question, status or
 * keys), and the open pane (help, columns, details, processes) over the lines. Records in
 * s->ui how far the columns can scroll sideways. */
void watch_screen_draw(struct watch_session *s);

/* The next key, or -1 when none is waiting. */
int watch_screen_key(void);

#endif
