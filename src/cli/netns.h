/* netns.h - the network namespaces the command looks into. */
#ifndef TCPT_CLI_NETNS_H
#define TCPT_CLI_NETNS_H

#include <stddef.h>

/* Move this (single-threaded) process into the namespace NAME (under /run/netns) or PATH
 * (anything with a '/', such as /proc/PID/ns/net). Returns 0 or a negative errno. */
int netns_enter(const char *name_or_path);

/* Open one file for every distinct network namespace of the host: those of every process
 * in /proc and those named under /run/netns. *ret_fds must be released with netns_close().
 * Returns 0 or a negative errno (-EPERM: looking into other namespaces needs root). */
int netns_open_all(int **ret_fds, size_t *ret_count);

/* Close and free what netns_open_all() returned. */
void netns_close(int *fds, size_t count);

#endif
