/* watch_paint.h - what watch_screen.c and watch_panes.c share: the styles and the rows the
 * header and the bottom line take. Curses only; included by those two files. */
#ifndef TCPT_CLI_WATCH_PAINT_H
#define TCPT_CLI_WATCH_PAINT_H

#include <curses.h>

#include "watch_session.h"

enum { HEADER_LINES = 3, FOOTER_LINES = 1 };

enum watch_style {
	STYLE_TITLES,   /* the column titles and pane headings: black on cyan, bold */
	STYLE_SELECTED, /* the selected line: reversed (the mark's colour as background) */
	STYLE_NEW,      /* green, bold */
	STYLE_CLOSED,   /* red */
	STYLE_CHANGED,  /* yellow, bold */
	STYLE_ERROR,    /* red, bold */
	STYLE_NOTE,     /* a standing remark: yellow */
};

/* The attributes of STYLE; without colours, bold, underline and reverse stand in. */
attr_t watch_style(enum watch_style style);

/* The process pane, the detail pane, the column chooser and the help over the lines. */
void watch_draw_procs(struct watch_session *s);
void watch_draw_detail(struct watch_session *s);
void watch_draw_chooser(const struct watch_session *s);
void watch_draw_help(void);

#endif
