/* arena.h - a string store whose pointers stay valid until it is freed. */
#ifndef TCPT_ARENA_H
#define TCPT_ARENA_H

#include <stddef.h>

struct arena_block;

struct arena {
	struct arena_block *head;
};

/* Copy LEN bytes of S plus a terminating NUL into the arena. Returns the copy, or NULL when
 * out of memory (the arena is unchanged). */
const char *arena_strndup(struct arena *a, const char *s, size_t len);

/* Move every string of FROM into INTO (pointers to them stay valid); FROM is left empty. */
void arena_adopt(struct arena *into, struct arena *from);

/* Release every string. The arena is empty afterwards and may be reused. */
void arena_free(struct arena *a);

#endif
