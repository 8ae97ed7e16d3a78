/* rel.h - what the reliability tests share: a private network namespace with known sockets,
 * a row sanity check, descriptor listings and guard-page buffers. Plain C (no cmocka), so
 * forked children and TAP programs can use it too. */
#ifndef TCPT_REL_H
#define TCPT_REL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "tcptable.h"

/* Enter a fresh private network namespace (lo up). 0, or -1 after saying why on stderr;
 * *ret_skip: true when the caller should skip (no root), false when it should fail (CI). */
int rel_netns(const char *who, bool *ret_skip);

/* A listener on ADDR:PORT (PORT 0: any), backlog 4096. Returns the fd or -1. */
int rel_listen(int family, const char *addr, uint16_t port);
/* Connect to the listener LFD and accept: *ret_client and *ret_server. 0 or -1. */
int rel_pair(int lfd, int *ret_client, int *ret_server);
/* A client connected to the listener LFD (not accepted). Returns the fd or -1. */
int rel_connect(int lfd);
/* The local port of FD (host order). */
uint16_t rel_port(int fd);

/* Known sockets in the current namespace: a listener and two established pairs per family
 * (10 rows). Returns how many descriptors went into FDS (at most MAX), -1 on failure. */
int rel_open_sockets(int *fds, int max);
/* Known UDP sockets: one bound and one connected to it per family (4 rows). Returns how many
 * descriptors went into FDS (at most MAX; close them even on failure), -1 on failure. */
int rel_open_udp_sockets(int *fds, int max);
void rel_close_all(int *fds, int n);

/* Whether ROW is well formed: valid family and state (never NEW_SYN_RECV or BOUND_INACTIVE),
 * IPv4 address bytes 4-15 zero, LISTEN rows with zero remote address and port, owners
 * consistent with their count. On failure,
 * *WHY names the first problem. */
bool rel_row_ok(const struct tcpt_conn *row, const char **why);

/* Number of open descriptors of this process and a listing "3 4 7 ..." into BUF. */
int rel_fd_list(char *buf, size_t size);

/* SIZE bytes ending exactly where an unmapped (PROT_NONE) page begins: a write one byte past
 * them faults. Filled with FILL. Release with rel_guard_free(). */
void *rel_guard_alloc(size_t size, unsigned char fill);
void rel_guard_free(void *p, size_t size);
/* Whether the N bytes at P all equal FILL. */
bool rel_all_bytes(const void *p, size_t n, unsigned char fill);

/* Path of a built program: $TCPT_BUILD_ROOT/REL (e.g. "src/cli/tcptable"). Static buffer. */
const char *rel_build_path(const char *rel);

#endif
