/* sandbox.h - what the no-netlink and unprivileged tests do to themselves (in forked
 * children): deny netlink sockets with seccomp, hide /proc, become nobody, run a program.
 * No Win32 headers here (their AF_* differ), so that IP Helper tests can use it. */
#ifndef TCPT_REL_SANDBOX_H
#define TCPT_REL_SANDBOX_H

#include <stddef.h>

#include "tcptable.h"

/* Install a seccomp filter (PR_SET_NO_NEW_PRIVS, plain BPF) making socket(AF_NETLINK, ...)
 * fail with EAFNOSUPPORT, then check that it does. 0 or -1 (errno says why). */
int sandbox_deny_netlink(void);

/* In a new mount namespace, mount an empty tmpfs over /proc: /proc/net/tcp{,6} and
 * /proc/self/net vanish for this process. Root only. 0 or -1. */
int sandbox_hide_proc(void);

/* setgroups(0), setgid and setuid 65534 (nobody). 0 or -1. */
int sandbox_become_nobody(void);

/* Run ARGV (argv[0] a path) with stdin from /dev/null, capturing stdout and stderr into the
 * buffers (NUL-terminated, cut to fit). Returns the exit status, or -1 (signal, no exec). */
int sandbox_run(char *const argv[], char *out, size_t outsize, char *err, size_t errsize);

/* Compare a netlink snapshot's rows (A) with a /proc snapshot's (B), both in address order,
 * on every field /proc can fill (tcptable.h: not cookie, cgroup_id, scope_id, the wqueue of
 * LISTEN rows, the uid of SYN-RECV rows; timer expiries within 10 ms; owners not compared).
 * Prints each difference as a TAP comment; returns their number. */
size_t sandbox_compare_sources(const struct tcpt_conn *a, size_t na, const struct tcpt_conn *b,
			       size_t nb);

#endif
