/* context.h - what a tcpt_context keeps between queries: the BPF owner program, loaded once. */
#ifndef TCPT_CONTEXT_H
#define TCPT_CONTEXT_H

#include <stdbool.h>

#include "owners.h"
#include "tcptable.h"

/* Whether owners may be asked of C's program: it is loaded, or not tried yet. */
bool context_owners_usable(struct tcpt_context *c);

/* The owners of every process through C's program, loading it first if this is its first
 * use (threads may call this at once: one loads, the others wait for it). Returns 0,
 * -ENOTSUP when the calling thread may not use BPF or the program does not load (then never
 * tried again by C), or -ENOMEM; FOUND unchanged on failure. */
int context_owners_collect(struct tcpt_context *c, struct owner_found_list *found);

#endif
