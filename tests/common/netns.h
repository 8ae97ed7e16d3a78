/* netns.h - shared set-up for tests that need real sockets. */
#ifndef TCPT_TEST_NETNS_H
#define TCPT_TEST_NETNS_H

#include <stdbool.h>

/*
 * Move the calling process into a private network namespace with `lo` up, so that the test
 * knows every socket that exists. Returns 0, or a negative errno (not root, no namespaces).
 * Call it before creating threads.
 */
int test_netns_enter(void);

/*
 * For a cmocka group setup: enter a private namespace, or decide what a failure to do so
 * means. Without root (or without namespaces) the group is skipped with a loud reason on
 * stderr, except under CI=true, where it fails. Returns 0 when the namespace is ready,
 * -1 otherwise; *ret_skip tells the caller whether to skip (true) or fail (false).
 */
int test_netns_require(const char *who, bool *ret_skip);

/*
 * What this root lacks for mount-namespace tricks (unshare(CLONE_NEWNS) + making "/" private,
 * `ip netns add`), or NULL when nothing: in a chroot whose directory is not a mount point
 * (not bind-mounted onto itself), "/" has no mount of its own and those fail with EINVAL.
 */
const char *test_mount_namespace_lack(void);

/* True when running under CI (CI=true in the environment): skips become failures. */
bool test_in_ci(void);

#endif
