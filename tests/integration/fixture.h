/*
 * fixture.h - the known sockets every integration test starts from.
 *
 * fixture_build() creates, in the calling thread's (private) network namespace, one socket in
 * each interesting situation and records the row each must produce: every field of struct
 * tcpt_conn, computed from what the test did (fixed addresses and ports, fstat() inodes,
 * SO_COOKIE cookies, bytes written and left unread), never from the library under test.
 */
#ifndef TCPT_ITEST_FIXTURE_H
#define TCPT_ITEST_FIXTURE_H

#include <limits.h>
#include <stdbool.h>
#include <stdint.h>
#include <time.h>

#include "tcptable.h"

/* Fixed ports (>= 1024 so that an unprivileged child may bind one too). */
#define FX_PORT_LISTEN4 2001
#define FX_PORT_LISTEN6 2002
#define FX_PORT_V6ONLY 2003
#define FX_PORT_DUAL 2004
#define FX_PORT_DEV 2005
#define FX_PORT_FULL 2010
#define FX_PORT_OTHER_UID 2011

/* The uid FX_LISTEN4_OTHER_UID was created with. */
#define FX_OTHER_UID 65534

/* Bytes left unread in the established pairs. */
#define FX_EST4_UNREAD 5
#define FX_EST6_UNREAD 3

enum fx_id {
	FX_LISTEN4,        /* 0.0.0.0:2001, backlog 7 */
	FX_LISTEN4_FULL,   /* 127.0.0.1:2010, backlog 0, its accept queue full (one waiting) */
	FX_LISTEN6,        /* [::1]:2002, backlog 5 */
	FX_LISTEN6_V6ONLY, /* [::]:2003, backlog 3, IPV6_V6ONLY */
	FX_LISTEN6_DUAL,   /* [::]:2004, backlog 4, dual-stack */
	FX_LISTEN6_DEV,    /* [::1]:2005, backlog 2, SO_BINDTODEVICE "lo": scope_id = lo */
	FX_EST4_CLIENT,    /* 127.0.0.1:e -> 127.0.0.1:2001; wrote 5 bytes, all acknowledged */
	FX_EST4_SERVER,    /* its accepted peer, 5 bytes unread */
	FX_EST6_CLIENT,    /* [::1]:e -> [::1]:2002; 3 bytes unread */
	FX_EST6_SERVER,    /* its accepted peer, wrote the 3 bytes */
	FX_MAPPED_CLIENT,  /* AF_INET 127.0.0.1:e -> 127.0.0.1:2004 */
	FX_MAPPED_SERVER,  /* AF_INET6 [::ffff:127.0.0.1]:2004 -> [::ffff:127.0.0.1]:e */
	FX_FIN_WAIT2,      /* 127.0.0.1:e -> :2001 after shutdown(SHUT_WR), FIN acknowledged */
	FX_CLOSE_WAIT,     /* its peer: FIN received and not read */
	FX_TIME_WAIT,      /* 127.0.0.1:e -> :2001, closed first; no descriptor */
	FX_QUEUED_CLIENT,  /* 127.0.0.1:e -> 127.0.0.1:2010, established */
	FX_QUEUED_SERVER,  /* its peer, never accepted: no descriptor, inode 0 */
	FX_SYN_SENT,       /* nonblocking connect to the full :2010, whose SYNs are dropped */
	FX_LISTEN4_OTHER_UID, /* 127.0.0.1:2011, backlog 6, created with fsuid 65534 */
	FX_SYN_RECV,       /* a request on :2011 whose SYN-ACKs its client never sees */
	FX_DEAF_CLIENT,    /* that client: SYN-SENT, a socket filter drops all it receives */
	FX_COUNT
};

#define FX_MAX_ROWS 32
#define FX_MAX_OWNERS 4

/* A set of fixture rows, one bit per index. */
typedef uint64_t fx_set;
#define FX_BIT(i) (UINT64_C(1) << (i))

struct fx_row {
	const char *name;         /* for messages: "FX_LISTEN4" */
	struct tcpt_conn want;    /* every field; owners/owner_count unused (see below) */
	int fd;                   /* our descriptor, -1 when the socket has none */
	bool cookie_unknown;      /* no descriptor to ask: netlink must give a non-zero cookie */
	bool cgroup_unknown;      /* cgroup id not determined here: not compared */
	uint32_t expires_max_ms;  /* 0: timer_expires_ms must be 0; else in (0, max] */
	bool backs_off;           /* a SYN or SYN-ACK timer: after ~1 s, retransmits grow and
	                             the timeout doubles */
	struct timespec timer_started; /* CLOCK_MONOTONIC, for backs_off */
	bool proc_uid_differs;    /* SYN-RECV: /proc shows the listener's uid (proc_uid) */
	uint32_t proc_uid;
	struct tcpt_owner owners[FX_MAX_OWNERS]; /* ordered by (pid, fd) */
	uint32_t nowners;
};

struct fixture {
	struct fx_row row[FX_MAX_ROWS];
	unsigned nrows;
	char comm[64];               /* /proc/self/comm without its newline */
	char exe[PATH_MAX];          /* readlink(/proc/self/exe) */
	uint32_t lo_ifindex;
	uint64_t cgroup_id;          /* ours on the cgroup v2 hierarchy; 0 if unknown */
	char cgroup_path[PATH_MAX];  /* ours, from the "0::" line of /proc/self/cgroup */
	uint64_t netns;              /* inode of /proc/self/ns/net: every row's netns */
	int extra_fd[8];             /* descriptors a test added (fx_keep_fd) */
	unsigned nextra;
};

/* Build every FX_* socket in the current network namespace (which must be fresh: the
 * fixed ports must be free). Returns 0, or -1 after printing what failed. */
int fixture_build(struct fixture *f);

/* Close every descriptor the fixture holds. */
void fixture_close(struct fixture *f);

/* Every row of the fixture. */
fx_set fx_all(const struct fixture *f);
/* The rows whose state is in STATES (TCPT_STATE_BIT mask), among SET. */
fx_set fx_with_states(const struct fixture *f, fx_set set, uint32_t states);
/* The rows of FAMILIES (TCPT_FAMILY_* mask), among SET. */
fx_set fx_with_families(const struct fixture *f, fx_set set, unsigned families);

/* Append a row (for sockets a test creates besides the fixture), a TCP one until the test
 * says otherwise. Returns its index. */
unsigned fx_add_row(struct fixture *f, const char *name);

/* Record one more owner of row ID, keeping (pid, fd) order. NAME and EXE are copied
 * pointers: they must outlive the fixture. */
void fx_add_owner(struct fixture *f, unsigned id, int32_t pid, int32_t fd, const char *name,
		  const char *exe);

/* Close FD with the fixture. Returns FD. */
int fx_keep_fd(struct fixture *f, int fd);

/* Helpers the fixture uses, for tests that build sockets of their own. */
int fx_listen(int family, const char *addr, uint16_t port, int backlog, int v6only);
uint16_t fx_local_port(int fd);
uint64_t fx_inode(int fd);
uint64_t fx_cookie(int fd);
void fx_set_addr(uint8_t out[16], int family, const char *text);
/* Milliseconds elapsed since *T (CLOCK_MONOTONIC). */
double fx_ms_since(const struct timespec *t);

#endif
