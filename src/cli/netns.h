/* netns.h - the network namespaces the command looks into, checked before they are used. */
#ifndef TCPT_CLI_NETNS_H
#define TCPT_CLI_NETNS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* Why a namespace argument cannot be used: the cause in words, and whether it is the
 * argument that is wrong (bad usage, exit 2) or the system that refused (exit 1). */
struct netns_error {
	bool usage;
	char text[512];
};

/* The path a --netns argument names: NAME under /run/netns, or PATH as given (anything with
 * a '/'). Writes at most SIZE bytes; returns 0, or -1 when it does not fit. */
int netns_path_of(const char *name_or_path, char *out, size_t size);

/* Move this (single-threaded) process into the network namespace NAME or PATH. Never blocks
 * (a FIFO is refused, not opened for reading); anything that is not a network namespace --
 * no such file, an empty name, a directory, a device, a plain file, another kind of
 * namespace -- is refused with what it is. Returns 0, or -1 with *err filled. */
int netns_enter(const char *name_or_path, struct netns_error *err);

/* Run FN(ARG) on a short-lived thread that has entered the network namespace at PATH, so
 * that the caller's thread never moves. Returns 0 once FN has run, or a negative errno when
 * PATH could not be opened or entered (FN has then not run). */
int netns_run_in(const char *path, void (*fn)(void *arg), void *arg);

/* Every distinct network namespace of the host, by path, without holding any of them open:
 * the caller's own, those of every process in /proc, and those named under /run/netns
 * (a name is preferred to a /proc path for the same namespace). */
struct netns_list {
	char **paths;
	uint64_t *inodes;
	size_t count;
	size_t cap;
	size_t denied;      /* /proc/PID/ns/net entries the caller may not look at */
	size_t unusable;    /* entries that could not be checked (and so are missing) */
};

/* Fill *ret. Entries of /run/netns that are not network namespaces (a leftover file, a
 * directory) are skipped and named on WARN; entries that could not be checked for another
 * reason (no descriptor left, ...) are named on WARN and counted in ret->unusable, since the
 * answer then misses them. WARN may be NULL: nothing is said. Returns 0, or -ENOMEM (*ret is then empty). Free with
 * netns_list_free(). */
int netns_list_all(struct netns_list *ret, FILE *warn);

/* Release what netns_list_all() filled. */
void netns_list_free(struct netns_list *l);

#endif
