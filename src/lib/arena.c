/* arena.c - strings that live as long as the snapshot that holds them. */
#include "arena.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

enum { ARENA_BLOCK_SIZE = 16384 };

struct arena_block {
	struct arena_block *next;
	size_t used;
	size_t size;
	char data[];
};

static struct arena_block *block_new(size_t at_least)
{
	size_t size = at_least > ARENA_BLOCK_SIZE ? at_least : ARENA_BLOCK_SIZE;
	if (size > SIZE_MAX - sizeof(struct arena_block))
		return NULL;
	struct arena_block *b = malloc(sizeof(*b) + size);
	if (b) {
		b->next = NULL;
		b->used = 0;
		b->size = size;
	}
	return b;
}

const char *arena_strndup(struct arena *a, const char *s, size_t len)
{
	if (len == SIZE_MAX)
		return NULL;
	size_t need = len + 1;
	struct arena_block *b = a->head;
	if (!b || b->size - b->used < need) {
		b = block_new(need);
		if (!b)
			return NULL;
		b->next = a->head;
		a->head = b;
	}
	char *copy = b->data + b->used;
	memcpy(copy, s, len);
	copy[len] = '\0';
	b->used += need;
	return copy;
}

void arena_adopt(struct arena *into, struct arena *from)
{
	struct arena_block *last = from->head;
	if (!last)
		return;
	while (last->next)
		last = last->next;
	/* behind INTO's blocks: INTO's newest block stays the one strings are added to */
	last->next = NULL;
	struct arena_block **tail = &into->head;
	while (*tail)
		tail = &(*tail)->next;
	*tail = from->head;
	from->head = NULL;
}

void arena_free(struct arena *a)
{
	struct arena_block *b = a->head;
	while (b) {
		struct arena_block *next = b->next;
		free(b);
		b = next;
	}
	a->head = NULL;
}
