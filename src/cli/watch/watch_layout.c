/* watch_layout.c - column placement and elision. */
#include "watch_layout.h"

#include <string.h>

/* What the pinned columns after column FROM need at least, with their separators. */
static int pinned_after(const bool shown[WCOL_COUNT], const int want[WCOL_COUNT], int from)
{
	int need = 0;
	for (int c = from + 1; c < WCOL_COUNT; c++) {
		if (!shown[c] || !watch_column_pinned((enum watch_column)c))
			continue;
		int min = watch_column_info((enum watch_column)c)->min;
		need += 1 + (c == WCOL_PROCESS ? min + 2 : (want[c] > min ? want[c] : min));
	}
	return need;
}

static int place(struct watch_layout *l, int c, int x, int w)
{
	l->x[c] = x;
	l->width[c] = w;
	return x + w + 1;
}

void watch_layout_plan(struct watch_layout *l, const bool shown[WCOL_COUNT],
		       const int want[WCOL_COUNT], size_t hscroll, int cols)
{
	memset(l, 0, sizeof(*l));
	int x = 0;
	size_t skipped = 0;
	bool full = false; /* a scrollable column did not fit: none after it goes in */
	for (int c = 0; c < WCOL_COUNT; c++) {
		if (!shown[c])
			continue;
		const struct watch_column_info *info = watch_column_info((enum watch_column)c);
		bool pinned = watch_column_pinned((enum watch_column)c);
		int room = cols - x - pinned_after(shown, want, c);
		if (!pinned) {
			l->scrollable++;
			if (skipped < hscroll) {
				skipped++;
				l->more_left = true;
				if (x == 0)
					x = 2; /* room for the "<" mark */
				continue;
			}
			if (full || room < info->min) {
				full = true;
				l->more_right = true;
				continue;
			}
			int w = want[c] < room ? want[c] : room;
			if (c == WCOL_LOCAL && shown[WCOL_REMOTE] && want[c] + 1 + want[WCOL_REMOTE] > room) {
				/* both ends squeezed: the remote one keeps up to half the room */
				int other = want[WCOL_REMOTE] < (room - 1) / 2 ? want[WCOL_REMOTE]
									   : (room - 1) / 2;
				w = room - 1 - other;
				w = w > want[c] ? want[c] : w < info->min ? info->min : w;
			}
			x = place(l, c, x, w);
			continue;
		}
		if (x >= cols)
			continue;
		/* the last column leaves room for the ">" mark */
		int w = c == WCOL_PROCESS ? cols - x - (l->more_right ? 2 : 0) : want[c];
		if (w <= 0)
			w = 1;
		if (w > cols - x)
			w = cols - x;
		x = place(l, c, x, w);
	}
}

void watch_elide_middle(const char *in, int width, char *out)
{
	int len = (int)strlen(in);
	if (width <= 0) {
		out[0] = '\0';
		return;
	}
	if (len <= width) {
		memcpy(out, in, (size_t)len + 1);
		return;
	}
	const char *colon = strrchr(in, ':');
	int tail = colon ? len - (int)(colon - in) : 0; /* ":443" */
	if (in[0] == '[' && colon && colon > in && colon[-1] == ']')
		tail++; /* keep "]" with the port */
	if (tail + 2 > width) { /* not even one character of the address: keep the end */
		out[0] = '~';
		memcpy(out + 1, in + len - (width - 1), (size_t)width - 1);
		out[width] = '\0';
		return;
	}
	int head = width - tail - 1;
	memcpy(out, in, (size_t)head);
	out[head] = '~';
	memcpy(out + head + 1, in + len - tail, (size_t)tail + 1);
}
