/*
 * itest.h - what the integration tests share: cmocka set-up (a fresh private network
 * namespace and the fixture for every test), taking snapshots, comparing rows with the
 * fixture field by field, and running helper processes.
 */
#ifndef TCPT_ITEST_H
#define TCPT_ITEST_H

// clang-format off
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
// clang-format on

#include <stdbool.h>
#include <sys/types.h>

#include "fixture.h"
#include "tcptable.h"

/* Owners with their names and executables, without tcp_info. */
#define ITEST_WANT_NAMES (TCPT_WANT_OWNERS | TCPT_WANT_PROCESS)

/* ---- cmocka glue ----------------------------------------------------------------------- */

/* Group set-up: decide once whether namespaces are available (test_netns_require: loud skip
 * without root, failure under CI=true). Always returns 0; the tests skip or fail. */
int itest_group_setup(void **state);
/* Per-test set-up: a fresh network namespace and a freshly built fixture in *state. */
int itest_setup(void **state);
/* Per-test tear-down: close the fixture, free snapshots taken, reap helper processes. */
int itest_teardown(void **state);
/* The fixture of this test; skips (or fails under CI) when there is no namespace. */
struct fixture *itest_fixture(void **state);

/* ---- snapshots ------------------------------------------------------------------------- */

/* Take a snapshot (freed at tear-down); fails the test unless tcpt_snapshot_take() returns 0. */
struct tcpt_snapshot *itest_take(enum tcpt_source source, unsigned families, uint32_t states,
				 unsigned want, enum tcpt_order order);
/* Take a snapshot of any query (freed at tear-down); fails the test unless it succeeds. */
struct tcpt_snapshot *itest_take_query(const struct tcpt_query *q);
/* The same without cmocka (for forked children): returns 0 or the error, *ret_snap owned by
 * the caller. */
int itest_take_raw(enum tcpt_source source, unsigned want, struct tcpt_snapshot **ret_snap);

/* The row sources the known-socket tests run with: netlink, /proc and BPF (owners from the
 * task_file iterator, rows as netlink gives them). */
#define ITEST_NSOURCES 3
extern const enum tcpt_source itest_sources[ITEST_NSOURCES];

/* Whether the BPF owner source must serve here (root and a readable kernel BTF). When it
 * cannot, says so once on stdout as a TAP comment, and under CI=true fails the test. */
bool itest_bpf_expected(void);

/* ---- comparisons ----------------------------------------------------------------------- */

/* Compare ROWS with the fixture rows SET, as SOURCE must give them with WANT (TCPT_WANT_*):
 * every selected row exactly once, no other row, every field as documented in tcptable.h.
 * Prints every difference on stderr (prefixed by LABEL) and returns how many there were.
 * Plain C: usable in forked children. */
size_t itest_compare(const struct fixture *f, fx_set set, const struct tcpt_conn *rows,
		     size_t n, enum tcpt_source source, unsigned want, const char *label);

/* itest_compare() on a snapshot, failing the test on any difference. */
void itest_assert_rows(const struct fixture *f, fx_set set, const struct tcpt_snapshot *snap,
		       enum tcpt_source source, unsigned want);

/* Compare a netlink snapshot's rows (A) with a /proc snapshot's (B): the same sockets, and
 * the same fields except those the header says /proc cannot fill. Timer expiries may differ
 * by TOLERANCE_MS. Prints differences; returns their number. */
size_t itest_compare_sources(const struct tcpt_conn *a, size_t na, const struct tcpt_conn *b,
			     size_t nb, uint32_t tolerance_ms, unsigned want);

/* Compare the owners of every socket in A with those of the same socket (by cookie, else
 * addresses and inode) in B: count, pid, fd, and with WANT_PROCESS name and executable. Both
 * must list the same sockets. Prints differences (prefixed by LABEL); returns their number. */
size_t itest_compare_owners(const struct tcpt_conn *a, size_t na, const struct tcpt_conn *b,
			    size_t nb, unsigned want, const char *label);

/* The row of SNAP with the same family, addresses and ports as KEY, or NULL. */
const struct tcpt_conn *itest_find(const struct tcpt_snapshot *snap, const struct tcpt_conn *key);

/* "tcp6 [::1]:2002 -> [::]:0 LISTEN" */
void itest_format_row(const struct tcpt_conn *c, char *buf, size_t size);

/* ---- processes ------------------------------------------------------------------------- */

/* Fork a child named NAME (prctl PR_SET_NAME) that holds socket FD as descriptor NEWFD and
 * nothing else, until tear-down. Returns its pid once it is ready. */
pid_t itest_spawn_holder(int fd, int newfd, const char *name);

/* Have tear-down reap PID after closing RELEASE_FD (the child waits for its EOF). */
void itest_register_child(pid_t pid, int release_fd);

/* Run ARGV (argv[0] searched in PATH unless it has a '/') with stdin from /dev/null; capture
 * stdout and stderr (NUL-terminated, malloc'd, freed at tear-down). Returns the exit status,
 * or -1 when it was killed by a signal or could not be run. */
int itest_run(const char *const argv[], char **ret_out, char **ret_err);

/* A malloc'd copy freed at tear-down. */
void *itest_keep(void *p);

#endif
