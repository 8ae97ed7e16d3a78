/*
 * tcptable.h - libtcptable, the native API.
 *
 * One call takes a consistent snapshot of the host's TCP sockets, UDP sockets or both (IPv4
 * and IPv6) from the kernel's NETLINK_SOCK_DIAG interface, or from /proc/net/{tcp,udp}{,6}
 * when netlink is refused, optionally joined with the processes that own each socket.
 *
 * Conventions, for every function below:
 *   - Functions that can fail return 0 or a negative errno value; tcpt_strerror() names it.
 *   - Output parameters are named ret_*; they are left untouched when the call fails.
 *   - The library never prints, never exits and keeps no global mutable state: any function
 *     may be called from many threads at once, on distinct or shared const objects.
 *   - Every file descriptor the library opens is close-on-exec and closed before it returns.
 */
#ifndef TCPTABLE_H
#define TCPTABLE_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#if defined(TCPT_BUILDING_LIBRARY)
#define TCPT_EXPORT __attribute__((visibility("default")))
#else
#define TCPT_EXPORT
#endif

/* ---------------------------------------------------------------------------------------
 * Version
 *
 * The soname's number is TCPT_VERSION_MAJOR; it changes only when the ABI breaks. Until 1.0
 * the ABI may change between minor versions and the soname says so.
 * ------------------------------------------------------------------------------------- */
#define TCPT_VERSION_MAJOR 0
#define TCPT_VERSION_MINOR 2
#define TCPT_VERSION_PATCH 0
#define TCPT_VERSION_STRING "0.2.0"

/* The version of the library actually loaded, as "MAJOR.MINOR.PATCH". Never NULL. */
TCPT_EXPORT const char *tcpt_version(void);

/* ---------------------------------------------------------------------------------------
 * TCP states
 *
 * The kernel's numbering (include/net/tcp_states.h). Request sockets, which the kernel keeps
 * as NEW_SYN_RECV, are always reported as TCPT_SYN_RECV.
 * ------------------------------------------------------------------------------------- */
enum tcpt_state {
	TCPT_ESTABLISHED = 1,
	TCPT_SYN_SENT = 2,
	TCPT_SYN_RECV = 3,
	TCPT_FIN_WAIT1 = 4,
	TCPT_FIN_WAIT2 = 5,
	TCPT_TIME_WAIT = 6,
	TCPT_CLOSE = 7,
	TCPT_CLOSE_WAIT = 8,
	TCPT_LAST_ACK = 9,
	TCPT_LISTEN = 10,
	TCPT_CLOSING = 11,
	TCPT_NEW_SYN_RECV = 12, /* never in a row; accepted in masks as an alias of SYN_RECV */
	TCPT_BOUND_INACTIVE = 13, /* only in masks: asks for sockets that are bound but neither
	                             listening nor connected (kernel >= 6.8), which the kernel
	                             reports, and rows show, as TCPT_CLOSE */
	TCPT_STATE_MAX = 13,
};

#define TCPT_STATE_BIT(s) (UINT32_C(1) << (s))
/* Every state a socket table shows by default (what `ss -a` shows): all but BOUND_INACTIVE. */
#define TCPT_STATES_ALL                                                                      \
	(TCPT_STATE_BIT(TCPT_ESTABLISHED) | TCPT_STATE_BIT(TCPT_SYN_SENT) |                      \
	 TCPT_STATE_BIT(TCPT_SYN_RECV) | TCPT_STATE_BIT(TCPT_FIN_WAIT1) |                        \
	 TCPT_STATE_BIT(TCPT_FIN_WAIT2) | TCPT_STATE_BIT(TCPT_TIME_WAIT) |                       \
	 TCPT_STATE_BIT(TCPT_CLOSE) | TCPT_STATE_BIT(TCPT_CLOSE_WAIT) |                          \
	 TCPT_STATE_BIT(TCPT_LAST_ACK) | TCPT_STATE_BIT(TCPT_LISTEN) |                           \
	 TCPT_STATE_BIT(TCPT_CLOSING))
/* Every bit a state mask may carry. */
#define TCPT_STATES_VALID                                                                    \
	(TCPT_STATES_ALL | TCPT_STATE_BIT(TCPT_NEW_SYN_RECV) | TCPT_STATE_BIT(TCPT_BOUND_INACTIVE))

/* The name of a state in RFC 793 spelling ("ESTABLISHED", "SYN-SENT", "TIME-WAIT", ...,
 * "BOUND-INACTIVE"); "UNKNOWN" for a number that is not a state. Never NULL. */
TCPT_EXPORT const char *tcpt_state_name(unsigned state);

/* The state named by NAME: the spellings of tcpt_state_name(), case-insensitive, with '-' or
 * '_' alike ("time_wait"), plus "ESTAB". Returns the state, or -EINVAL for an unknown name or a
 * NULL pointer. */
TCPT_EXPORT int tcpt_state_from_name(const char *name);

/* ---------------------------------------------------------------------------------------
 * Protocols
 *
 * A row's protocol is the IANA number (IPPROTO_TCP 6, IPPROTO_UDP 17). UDP sockets have two
 * states, as the kernel keeps them: TCPT_CLOSE for a socket that is bound but not connected
 * (ss's UNCONN) and TCPT_ESTABLISHED for one connected to a peer (ss's ESTAB). A state mask
 * applies to both protocols alike: TCPT_STATE_BIT(TCPT_CLOSE) selects unconnected UDP sockets.
 * ------------------------------------------------------------------------------------- */
#define TCPT_PROTO_NUMBER_TCP 6
#define TCPT_PROTO_NUMBER_UDP 17

enum tcpt_protocol_mask {
	TCPT_PROTO_TCP = 1u << 0,
	TCPT_PROTO_UDP = 1u << 1,
	TCPT_PROTO_ALL = TCPT_PROTO_TCP | TCPT_PROTO_UDP,
};

struct tcpt_conn;

/* "tcp" or "udp" for a row's protocol number; "unknown" otherwise. Never NULL. */
TCPT_EXPORT const char *tcpt_protocol_name(unsigned protocol);

/* The state of ROW as ss names it for its protocol: tcpt_state_name(row->state) for TCP;
 * "UNCONN" for an unconnected UDP socket and "ESTABLISHED" for a connected one. "UNKNOWN" for
 * a NULL row. Never NULL. */
TCPT_EXPORT const char *tcpt_conn_state_name(const struct tcpt_conn *row);

/* ---------------------------------------------------------------------------------------
 * Timers (the kernel's idiag_timer / the "tr" column of /proc/net/tcp)
 * ------------------------------------------------------------------------------------- */
enum tcpt_timer {
	TCPT_TIMER_NONE = 0,
	TCPT_TIMER_RETRANSMIT = 1, /* retransmit, loss probe or reordering timer */
	TCPT_TIMER_KEEPALIVE = 2,
	TCPT_TIMER_TIME_WAIT = 3,
	TCPT_TIMER_PERSIST = 4, /* zero-window probe */
};

/* "off", "on", "keepalive", "timewait", "persist" (ss's words); "unknown" otherwise. */
TCPT_EXPORT const char *tcpt_timer_name(unsigned timer);

/* ---------------------------------------------------------------------------------------
 * Rows
 * ------------------------------------------------------------------------------------- */

/* The kernel's tcp_info and congestion algorithm for one connection (ss -i). Fields the
 * running kernel does not report (older than 4.19) are 0. */
struct tcpt_tcp_info {
	uint32_t rtt_us;          /* smoothed round-trip time */
	uint32_t rttvar_us;
	uint32_t min_rtt_us;
	uint32_t rto_us;          /* retransmission timeout */
	uint32_t ato_us;          /* delayed-ACK timeout */
	uint32_t snd_mss;
	uint32_t rcv_mss;
	uint32_t pmtu;
	uint32_t snd_cwnd;        /* segments */
	uint32_t snd_ssthresh;    /* segments; 0x7fffffff while still in initial slow start */
	uint32_t retrans;         /* segments retransmitted and not yet acknowledged */
	uint32_t total_retrans;   /* segments retransmitted over the connection's life */
	uint32_t lost;            /* segments presumed lost */
	uint32_t last_data_sent_ms; /* time since data was last sent */
	uint32_t last_data_recv_ms; /* time since data was last received */
	uint32_t last_ack_recv_ms;
	uint64_t bytes_sent;      /* including retransmissions */
	uint64_t bytes_retrans;
	uint64_t bytes_acked;
	uint64_t bytes_received;
	uint64_t delivery_rate;   /* bytes per second */
	uint64_t pacing_rate;     /* bytes per second; UINT64_MAX when unlimited */
	uint64_t segs_out;
	uint64_t segs_in;
	uint8_t ca_state;         /* congestion-avoidance state (TCP_CA_Open = 0, ...) */
	char congestion[16];      /* "cubic", "bbr", ...; "" if the kernel did not say */
};

/* One process holding a descriptor for a socket. Strings are untrusted bytes from /proc
 * (a process names itself): escape them before showing them to a person. */
struct tcpt_owner {
	int32_t pid;
	int32_t fd;
	const char *name; /* /proc/PID/comm without its newline; NULL unless TCPT_WANT_PROCESS,
	                     or when it could not be read */
	const char *exe;  /* target of /proc/PID/exe; NULL unless TCPT_WANT_PROCESS, or when it
	                     could not be read (kernel threads, other users' processes) */
};

/*
 * One TCP or UDP socket. Every field is filled by the netlink source. The /proc source cannot
 * fill these, and documents them so:
 *   cookie, cgroup_id  always 0
 *   scope_id           always 0 (/proc/net/tcp6 has no interface index)
 *   wqueue of LISTEN   0 (netlink gives the backlog limit)
 *   uid of SYN-RECV    the listener's uid (netlink gives 0)
 *   timer_expires_ms   in steps of 10 ms (USER_HZ) instead of 1 ms
 */
struct tcpt_conn {
	uint8_t family;           /* AF_INET or AF_INET6 (Linux values) */
	uint8_t state;            /* enum tcpt_state */
	uint8_t timer;            /* enum tcpt_timer */
	uint8_t retransmits;      /* retransmits (or keepalive probes) of the running timer */
	uint16_t local_port;      /* host byte order */
	uint16_t remote_port;     /* host byte order; 0 for listeners */
	uint8_t local_addr[16];   /* network byte order; IPv4 uses bytes 0-3, the rest are 0 */
	uint8_t remote_addr[16];  /* likewise; all zero for listeners */
	uint32_t scope_id;        /* interface the socket is bound to (the zone of a link-local
	                             IPv6 address); 0 when unbound */
	uint32_t uid;             /* owner uid as the kernel records it; 0 for TIME-WAIT rows */
	uint32_t rqueue;          /* bytes not yet read; for LISTEN, connections awaiting accept */
	uint32_t wqueue;          /* bytes not yet acknowledged; for LISTEN, the backlog limit */
	uint32_t timer_expires_ms;/* time until the running timer fires; 0 without a timer */
	uint32_t owner_count;     /* entries in owners; 0 unless owners were asked for */
	uint64_t inode;           /* socket inode; 0 for TIME-WAIT and SYN-RECV rows */
	uint64_t cookie;          /* the kernel's unique socket cookie (netlink only) */
	uint64_t cgroup_id;       /* cgroup v2 id of the socket's creator (netlink only) */
	uint64_t netns;           /* inode of the socket's network namespace (as in
	                             `ls -i /proc/PID/ns/net`) */
	const struct tcpt_owner *owners; /* owner_count entries, ordered by (pid, fd); NULL if 0 */
	const struct tcpt_tcp_info *info; /* NULL unless TCPT_WANT_INFO; also NULL from the /proc
	                                     source, for UDP rows and for TIME-WAIT and SYN-RECV
	                                     rows, which have none. LISTEN rows have one, as the
	                                     kernel gives it (mostly zeros, rto, mss) */
	uint8_t protocol;         /* TCPT_PROTO_NUMBER_TCP or TCPT_PROTO_NUMBER_UDP. UDP rows have
	                             no timer, retransmits or tcp_info; their rqueue and wqueue
	                             are the bytes in the receive and send buffers */
};

/* ---------------------------------------------------------------------------------------
 * Queries and snapshots
 * ------------------------------------------------------------------------------------- */
enum tcpt_family_mask {
	TCPT_FAMILY_IPV4 = 1u << 0,
	TCPT_FAMILY_IPV6 = 1u << 1,
	TCPT_FAMILY_ALL = TCPT_FAMILY_IPV4 | TCPT_FAMILY_IPV6,
};

/*
 * Where rows and owners come from. Rows: netlink sock_diag, or /proc/net/tcp{,6}. Owners
 * (TCPT_WANT_OWNERS): the BPF iter/task_file iterator (one read() for every descriptor of the
 * host), or a readlink() per descriptor under /proc/PID/fd. Both owner sources name the same
 * (pid, fd) pairs: the descriptors of each process's thread-group leader, pids as the
 * caller's pid namespace numbers them.
 */
enum tcpt_source {
	TCPT_SOURCE_AUTO = 0,    /* rows: netlink, /proc when netlink is refused or unavailable.
	                            owners: BPF where the kernel has BTF and iterators, the caller
	                            may load them (CAP_BPF and CAP_PERFMON, or CAP_SYS_ADMIN) and
	                            the host has enough open files for it to pay (loading costs
	                            about as much as scanning a few thousand descriptors);
	                            /proc otherwise */
	TCPT_SOURCE_NETLINK = 1, /* rows: netlink only; owners: /proc */
	TCPT_SOURCE_PROC = 2,    /* rows: /proc/net/tcp{,6} (and udp{,6}) only; owners: /proc */
	TCPT_SOURCE_BPF = 3,     /* owners: BPF whenever it loads, whatever the size; rows: netlink
	                            (a BPF iter/tcp walk measured no faster; see README). Where BPF
	                            cannot load, silently as TCPT_SOURCE_AUTO: the same rows from
	                            the next source, never an error */
};

/* "auto", "netlink", "proc" or "bpf"; "unknown" for any other value. Never NULL. */
TCPT_EXPORT const char *tcpt_source_name(enum tcpt_source source);

enum tcpt_want {
	TCPT_WANT_OWNERS = 1u << 0,  /* pid and fd of every process holding each socket */
	TCPT_WANT_PROCESS = 1u << 1, /* also each owner's name and executable (implies OWNERS) */
	TCPT_WANT_INFO = 1u << 2,    /* tcp_info and congestion algorithm (netlink only) */
	TCPT_WANT_ALL = TCPT_WANT_OWNERS | TCPT_WANT_PROCESS | TCPT_WANT_INFO,
};

/* A port range, both ends included (first == last for one port). */
struct tcpt_port_range {
	uint16_t first;
	uint16_t last;
};

/* An address prefix. An IPv4 prefix also matches IPv4-mapped IPv6 addresses
 * (::ffff:a.b.c.d), as the kernel's own filter does. */
struct tcpt_prefix {
	uint8_t family;   /* AF_INET or AF_INET6 */
	uint8_t bits;     /* prefix length: 0-32 or 0-128 */
	uint8_t addr[16]; /* network byte order; IPv4 in bytes 0-3 */
};

/* ---------------------------------------------------------------------------------------
 * Filter expressions: conditions joined by and, or and not
 *
 * What ss's filter language says ("( dport = :443 or sport = :443 ) and not dst 10.0.0.0/8")
 * as a tree the library can run. An expression is an array of nodes; node 0 is the root and
 * the operands of an operator are nodes further on (a larger index), so every expression is
 * finite and acyclic. Like the port and address lists, an expression is compiled to
 * inet_diag bytecode and run by the kernel when the source is netlink, and always run again
 * in user space with the kernel's own semantics (below), so both sources keep the same rows.
 * ------------------------------------------------------------------------------------- */
enum tcpt_expr_op {
	TCPT_EXPR_AND = 1,            /* operands a and b both pass */
	TCPT_EXPR_OR = 2,             /* operand a or operand b passes */
	TCPT_EXPR_NOT = 3,            /* operand a does not pass */
	TCPT_EXPR_LOCAL = 4,          /* the local end matches addr and port (ss: src, sport =) */
	TCPT_EXPR_REMOTE = 5,         /* the remote end matches addr and port (ss: dst, dport =) */
	TCPT_EXPR_LOCAL_PORT_GE = 6,  /* local port >= port (ss: sport >=) */
	TCPT_EXPR_LOCAL_PORT_LE = 7,  /* local port <= port */
	TCPT_EXPR_REMOTE_PORT_GE = 8, /* remote port >= port */
	TCPT_EXPR_REMOTE_PORT_LE = 9, /* remote port <= port */
};

/* The most nodes an expression may have. */
#define TCPT_EXPR_MAX_NODES 4096

/*
 * One node. Fields an op does not use must be zero.
 *   AND, OR   a, b: the operands' indices, each greater than this node's own
 *   NOT       a: the operand's index, greater than this node's own
 *   LOCAL, REMOTE
 *             port: the port (0-65535), or -1 for any port;
 *             addr: a prefix, or family 0 and bits 0 for any address. As in the kernel, an
 *             IPv4 prefix also matches IPv4-mapped IPv6 addresses (::ffff:a.b.c.d); otherwise
 *             a prefix matches only rows of its own family, even with 0 bits
 *   *_PORT_GE, *_PORT_LE
 *             port: the bound, 0-65535, included
 */
struct tcpt_expr {
	uint32_t op;             /* enum tcpt_expr_op */
	uint32_t a, b;
	int32_t port;
	struct tcpt_prefix addr;
};

/*
 * Which rows to keep. Each list is "any of"; the lists and the expression combine with "and";
 * an empty list (count 0) is no condition. Ports, addresses and the expression are filtered in
 * the kernel when the source is netlink (and always again in user space, so both sources
 * agree); uids, pids and names in user space. Filtering by pid or process name joins owners, as TCPT_WANT_OWNERS would:
 * rows without an owner (TIME-WAIT, other users' processes) never match those.
 */
struct tcpt_filter {
	const struct tcpt_port_range *local_ports;  size_t local_port_count;
	const struct tcpt_port_range *remote_ports; size_t remote_port_count;
	const struct tcpt_port_range *ports;        size_t port_count;  /* either end */
	const struct tcpt_prefix *local_addrs;      size_t local_addr_count;
	const struct tcpt_prefix *remote_addrs;     size_t remote_addr_count;
	const uint32_t *uids;                       size_t uid_count;
	const int32_t *pids;                        size_t pid_count;   /* any owner */
	const char *const *names;                   size_t name_count;  /* any owner's exact
	                                                                   process name */
	const struct tcpt_expr *expr;               size_t expr_count;  /* rows must also pass
	                                                                   this expression; 0:
	                                                                   none */
};

/* 1 when ROW passes FILTER (a NULL filter passes everything), 0 otherwise, also for a NULL
 * row. Rows must carry owners for the pid and name lists to match. */
TCPT_EXPORT int tcpt_filter_match(const struct tcpt_filter *filter, const struct tcpt_conn *row);

enum tcpt_order {
	TCPT_ORDER_KERNEL = 0,  /* as the source delivered them: TCP rows, then UDP rows */
	TCPT_ORDER_ADDRESS = 1, /* TCP before UDP, IPv4 before IPv6, then local address, local
	                           port, remote address, remote port, all compared as numbers */
};

/* What to take. A zeroed struct asks for every TCP socket of both families, no owners,
 * netlink with the /proc fallback, kernel order. */
struct tcpt_query {
	unsigned families;      /* TCPT_FAMILY_* mask; 0 means TCPT_FAMILY_ALL */
	uint32_t states;        /* TCPT_STATE_BIT() mask; 0 means TCPT_STATES_ALL. The kernel
	                           filters: sockets outside the mask are never copied out */
	unsigned want;          /* TCPT_WANT_* mask; owners are looked for only if asked */
	enum tcpt_source source;
	enum tcpt_order order;
	const struct tcpt_filter *filter; /* NULL: no filter. Ports and addresses are compiled
	                                     to inet_diag bytecode and run by the kernel */
	const int *netns_fds;   /* netns_count open network-namespace files (/run/netns/NAME,
	                           /proc/PID/ns/net) to take the snapshot in, all in one; NULL
	                           and 0: the calling thread's namespace */
	size_t netns_count;
	uint32_t protocols;     /* TCPT_PROTO_* mask; 0 means TCPT_PROTO_TCP (as before 0.2) */
	uint32_t reserved[1];   /* must be zero: room to grow without breaking the ABI */
	const char *const *netns_paths; /* netns_path_count paths of network-namespace files,
	                           read after those of netns_fds. Each is opened only while its
	                           sockets are read, so a host with thousands of namespaces costs
	                           one descriptor, not one per namespace. A path that no longer
	                           exists (/proc/PID/ns/net of a process that has exited) is a
	                           namespace that ended meanwhile: skipped, and counted by
	                           tcpt_snapshot_netns_gone() */
	size_t netns_path_count;
	struct tcpt_context *context; /* NULL, or what earlier calls loaded, to be used again
	                           (see tcpt_context_new()) */
};

/*
 * What a long-running caller keeps between snapshots so that each one does not pay again for
 * what the last one set up: today the BPF owner iterator, loaded and attached once (loading
 * costs ~20 ms of CPU, libbpf parsing the kernel's BTF) and then read by every snapshot and
 * stream whose query names the context. With a context, TCPT_SOURCE_AUTO takes owners from
 * BPF whenever the caller may load it, whatever the host's size, the load being paid once.
 *
 * The program is loaded at the first query that wants owners from it, in that caller's
 * privileges; a load that fails is not tried again by this context (the queries fall back to
 * /proc as without one). Every query still checks the calling thread's capabilities first:
 * a process that has dropped CAP_BPF/CAP_PERFMON (or CAP_SYS_ADMIN) since gets owners from
 * /proc, not through the program it loaded before. A context may be shared by threads; it
 * holds a few descriptors (the program, its map and link) until tcpt_context_free().
 *
 * Returns 0 and *ret_context, -EINVAL for NULL, or -ENOMEM.
 */
struct tcpt_context; /* opaque */
TCPT_EXPORT int tcpt_context_new(struct tcpt_context **ret_context);

/* Release a context and everything it loaded; no query may be using it. NULL is ignored. */
TCPT_EXPORT void tcpt_context_free(struct tcpt_context *context);

struct tcpt_snapshot; /* opaque */

/*
 * Take a snapshot of the TCP and/or UDP sockets QUERY selects, in the calling thread's network
 * namespace, or in each namespace of query->netns_fds (the calling thread's own namespace is
 * never changed: each is entered by a short-lived thread).
 *
 * Rows are deduplicated (a socket appears once even if the kernel's table changes during
 * the walk). With owners asked for, every process's descriptors are read once, by the BPF
 * task_file iterator or by a scan of /proc/<pid>/fd (see enum tcpt_source and
 * tcpt_snapshot_owner_source()); with the scan, a process that exits mid-scan or whose fds the
 * caller may not read is skipped (see tcpt_snapshot_unreadable_processes()). A BPF load that
 * fails for any reason falls back to the scan, never to an error. While it loads, libbpf's
 * process-wide message printer is replaced by a silent one and restored afterwards. The
 * environment variable TCPT_BPF_BTF, when set, names the kernel BTF to load against (a
 * test hook: a missing file makes the BPF source unavailable).
 *
 * query     what to take; must not be NULL.
 * ret_snap  receives the snapshot, to be released with tcpt_snapshot_free().
 *
 * Returns 0, or:
 *   -EINVAL      NULL pointer, unknown bit in families/states/want/protocols, unknown source
 *                or order,
 *                a non-zero reserved field, a filter with a NULL list of non-zero count, a
 *                port range with first > last, a prefix longer than its family allows, an
 *                expression that is malformed (see tcpt_expr) or has more than
 *                TCPT_EXPR_MAX_NODES nodes, a netns fd or path that is not a network
 *                namespace
 *   -EBADF       a netns fd that is not open
 *   -EPERM       entering a namespace of netns_fds or netns_paths needs CAP_SYS_ADMIN
 *   -EACCES, -EMFILE, ...
 *                a path of netns_paths could not be opened (open(2)'s error: not
 *                readable, no descriptor left; a path that is gone is skipped instead)
 *   -ENOMEM      out of memory
 *   -ENOTSUP     no source could be read (netlink refused or missing and /proc/net/tcp
 *                (or udp) unreadable; with TCPT_SOURCE_NETLINK, netlink alone was refused)
 *   -EPROTO, -EBADMSG, -ESRCH, -ENOBUFS
 *                the kernel's netlink answer was malformed (-EPROTO: wrong type or
 *                sequence), truncated or inconsistent (-EBADMSG), from the wrong sender
 *                (-ESRCH), or overran the socket buffer (-ENOBUFS)
 *   -EAGAIN      the kernel kept reporting the dump as interrupted, even after retries
 *   other negative errno values from socket(2), recvmsg(2) or open(2)
 * On failure *ret_snap is untouched and nothing is leaked.
 */
TCPT_EXPORT int tcpt_snapshot_take(const struct tcpt_query *query,
				   struct tcpt_snapshot **ret_snap);

/* Number of rows. 0 for a NULL snapshot. */
TCPT_EXPORT size_t tcpt_snapshot_count(const struct tcpt_snapshot *snap);

/* The rows, a contiguous array of tcpt_snapshot_count() entries, valid until
 * tcpt_snapshot_free(). NULL for a NULL or empty snapshot. */
TCPT_EXPORT const struct tcpt_conn *tcpt_snapshot_rows(const struct tcpt_snapshot *snap);

/* The source that filled the snapshot: TCPT_SOURCE_NETLINK or TCPT_SOURCE_PROC (never AUTO).
 * TCPT_SOURCE_AUTO for a NULL snapshot. */
TCPT_EXPORT enum tcpt_source tcpt_snapshot_source(const struct tcpt_snapshot *snap);

/* The source that found the owners: TCPT_SOURCE_BPF or TCPT_SOURCE_PROC. TCPT_SOURCE_AUTO
 * when owners were not asked for, and for a NULL snapshot. */
TCPT_EXPORT enum tcpt_source tcpt_snapshot_owner_source(const struct tcpt_snapshot *snap);

/* How many processes the owner scan could not inspect (permission denied), so that a caller
 * can say why some rows have no owner. 0 when owners were not asked for. */
TCPT_EXPORT size_t tcpt_snapshot_unreadable_processes(const struct tcpt_snapshot *snap);

/* Why owners may be missing beyond the processes counted as unreadable: */
enum {
	TCPT_OWNERS_HIDDEN = 1 << 0,  /* /proc is mounted with hidepid=invisible (2) or
	                                 ptraceable (4): other users' processes are not even
	                                 listed, so they can be neither read nor counted */
	TCPT_OWNERS_NO_PROC = 1 << 1, /* no procfs at /proc: no owner can be known */
};

/* How many paths of the query's netns_paths had vanished when SNAP was taken (their
 * namespaces ended after the caller listed them); 0 for NULL. */
TCPT_EXPORT size_t tcpt_snapshot_netns_gone(const struct tcpt_snapshot *snap);

/* The TCPT_OWNERS_* gaps of SNAP's owners (0: every process was looked at, or owners were
 * not asked for); 0 for NULL. */
TCPT_EXPORT unsigned tcpt_snapshot_owner_gaps(const struct tcpt_snapshot *snap);

/* Release a snapshot and everything its rows point to. NULL is accepted and ignored. */
TCPT_EXPORT void tcpt_snapshot_free(struct tcpt_snapshot *snap);

/* ---------------------------------------------------------------------------------------
 * Owners alone: who holds which socket, to be joined to rows by their inode
 * ------------------------------------------------------------------------------------- */

/*
 * Find the owners of every socket of the host now, as a snapshot with TCPT_WANT_OWNERS would
 * (the same sources, chosen by query->source and query->context; process names and
 * executables with TCPT_WANT_PROCESS in query->want; the other fields are not used), into a
 * map from socket inode to owners. For a caller that reads rows another way at the same
 * time, e.g. a stream without owners on another thread, and joins them by tcpt_conn.inode:
 * both walks then run at once instead of one after the other. A socket opened or closed
 * between the two walks may lack an owner, as in a snapshot.
 *
 * Returns 0 and *ret_map (release it with tcpt_owner_map_free()), -EINVAL for a NULL or
 * malformed query (as tcpt_snapshot_take()), or -ENOMEM; *ret_map untouched on failure.
 */
struct tcpt_owner_map; /* opaque */
TCPT_EXPORT int tcpt_owner_map_take(const struct tcpt_query *query,
				    struct tcpt_owner_map **ret_map);

/* The owners of the socket INODE: their number, *ret_owners pointing at the first of them,
 * ordered by (pid, fd), valid until tcpt_owner_map_free(); 0 and NULL for an inode no
 * process holds, for inode 0 (TIME-WAIT, SYN-RECV) and for a NULL map. RET_OWNERS must not
 * be NULL. */
TCPT_EXPORT uint32_t tcpt_owner_map_find(const struct tcpt_owner_map *map, uint64_t inode,
					 const struct tcpt_owner **ret_owners);

/* Which source found them (TCPT_SOURCE_BPF or TCPT_SOURCE_PROC), the processes that could
 * not be inspected and the TCPT_OWNERS_* gaps, as the tcpt_snapshot_owner_*() functions
 * say for a snapshot. TCPT_SOURCE_AUTO and 0 for NULL. */
TCPT_EXPORT enum tcpt_source tcpt_owner_map_source(const struct tcpt_owner_map *map);
TCPT_EXPORT size_t tcpt_owner_map_unreadable_processes(const struct tcpt_owner_map *map);
TCPT_EXPORT unsigned tcpt_owner_map_gaps(const struct tcpt_owner_map *map);

/* Release a map and the owners it holds. NULL is ignored. */
TCPT_EXPORT void tcpt_owner_map_free(struct tcpt_owner_map *map);

/* ---------------------------------------------------------------------------------------
 * Streaming: the same rows without holding them all
 * ------------------------------------------------------------------------------------- */

/* Called once per row by tcpt_snapshot_stream(). ROW and everything it points to are valid
 * only during the call. Return 0 to go on, or a negative errno to stop. */
typedef int (*tcpt_row_fn)(const struct tcpt_conn *row, void *ctx);

struct tcpt_stream_result {
	size_t rows;                 /* rows handed to the callback */
	size_t unreadable_processes; /* as tcpt_snapshot_unreadable_processes() */
	enum tcpt_source source;     /* as tcpt_snapshot_source() */
	unsigned owner_gaps;         /* as tcpt_snapshot_owner_gaps() */
	size_t netns_gone;           /* as tcpt_snapshot_netns_gone() */
	enum tcpt_source owner_source; /* as tcpt_snapshot_owner_source() */
};

/*
 * Hand the rows tcpt_snapshot_take() would return for QUERY to FN, one at a time, as the
 * kernel delivers them: memory stays small however many sockets there are (the socket cookies
 * seen, and with owners the fd scan's index, are all that is kept).
 *
 * Differences from a snapshot:
 *   - with owners asked for, the owner scan runs before the dump, so a socket opened in
 *     between has no owner (a snapshot has the opposite race: one closed in between has none);
 *   - each socket is handed over once, even when a walk retried after an interrupted dump
 *     meets it again, but such a retry may hand over a socket that has closed since;
 *   - with TCPT_ORDER_ADDRESS, with netns_fds, or from the /proc source, the rows are
 *     collected first and handed over afterwards, which costs a snapshot's memory.
 * FN is always called from the calling thread.
 *
 * query       what to take, as for tcpt_snapshot_take(); fn must not be NULL.
 * ret_result  receives the counts and source (may be NULL; untouched on failure).
 * Returns 0, the errors of tcpt_snapshot_take(), or the first negative value FN returned
 * (after which FN is not called again).
 */
TCPT_EXPORT int tcpt_snapshot_stream(const struct tcpt_query *query, tcpt_row_fn fn, void *ctx,
				     struct tcpt_stream_result *ret_result);

/* ---------------------------------------------------------------------------------------
 * Statistics
 * ------------------------------------------------------------------------------------- */

/* The kernel's TCP counters (the "Tcp:" lines of /proc/net/snmp), for the calling thread's
 * network namespace. Linux counts IPv4 and IPv6 together. */
struct tcpt_stats {
	uint32_t rto_algorithm;   /* 1 = other (Linux reports 1) */
	uint32_t rto_min_ms;
	uint32_t rto_max_ms;
	int32_t max_conn;         /* -1: no fixed limit */
	uint64_t active_opens;
	uint64_t passive_opens;
	uint64_t attempt_fails;
	uint64_t estab_resets;
	uint64_t curr_estab;      /* ESTABLISHED + CLOSE-WAIT right now */
	uint64_t in_segs;
	uint64_t out_segs;
	uint64_t retrans_segs;
	uint64_t in_errs;
	uint64_t out_rsts;
	uint64_t in_csum_errors;
};

/*
 * Read the TCP counters into *ret_stats.
 * Returns 0; -EINVAL for a NULL pointer; -ENOTSUP when /proc/net/snmp cannot be read or has
 * no Tcp lines; -EBADMSG when the lines cannot be parsed. *ret_stats is untouched on failure.
 */
TCPT_EXPORT int tcpt_stats_read(struct tcpt_stats *ret_stats);

/* The kernel's UDP counters for one family: the "Udp:" lines of /proc/net/snmp (IPv4) or the
 * Udp6 lines of /proc/net/snmp6 (IPv6), for the calling thread's network namespace. Counters
 * a kernel lacks are 0 (in_csum_errors before 3.10, ignored_multi before 3.19, mem_errors
 * before 5.0). */
struct tcpt_udp_stats {
	uint64_t in_datagrams;
	uint64_t no_ports;        /* datagrams to a port nobody listens on */
	uint64_t in_errors;
	uint64_t out_datagrams;
	uint64_t rcvbuf_errors;
	uint64_t sndbuf_errors;
	uint64_t in_csum_errors;
	uint64_t ignored_multi;
	uint64_t mem_errors;
};

/*
 * Read the UDP counters of FAMILY (AF_INET or AF_INET6) into *ret_stats.
 * Returns 0; -EINVAL for a NULL pointer or another family; -ENOTSUP when the file cannot be
 * read or has no UDP counters (IPv6 disabled: no /proc/net/snmp6); -EBADMSG when they cannot
 * be parsed. *ret_stats is untouched on failure.
 */
TCPT_EXPORT int tcpt_udp_stats_read(int family, struct tcpt_udp_stats *ret_stats);

/* ---------------------------------------------------------------------------------------
 * Acting on a connection
 * ------------------------------------------------------------------------------------- */

/*
 * Close the TCP connection ROW describes, as if the kernel had aborted it: the local socket
 * gets ECONNABORTED and the peer a reset (netlink SOCK_DESTROY, the mechanism of `ss -K`).
 * The socket is found by family, addresses, ports, interface and, when non-zero, cookie.
 *
 * Returns 0 when the kernel closed it, or:
 *   -EINVAL      NULL row, a family other than AF_INET/AF_INET6, or a protocol other than
 *                TCP (a protocol of 0, from a row built by hand, is taken as TCP)
 *   -EPERM       the caller lacks CAP_NET_ADMIN in the socket's network namespace
 *   -ENOENT      no such socket (it may have closed meanwhile)
 *   -EOPNOTSUPP  the kernel was built without CONFIG_INET_DIAG_DESTROY
 *   other negative errno values from the netlink socket
 */
TCPT_EXPORT int tcpt_conn_destroy(const struct tcpt_conn *row);

/* ---------------------------------------------------------------------------------------
 * Errors
 *
 * Every error the library returns is a negative errno value. These functions describe them
 * and map them to the Win32 error the IP Helper layer reports. They accept any int.
 * ------------------------------------------------------------------------------------- */

/* A short English description, "success" for 0; "unknown error" for an unknown code. */
TCPT_EXPORT const char *tcpt_strerror(int err);

/* The errno name without its sign ("ENOMEM"); "OK" for 0, "UNKNOWN" otherwise. */
TCPT_EXPORT const char *tcpt_error_name(int err);

/* The Win32 error code for ERR (NO_ERROR for 0, ERROR_NOT_ENOUGH_MEMORY for -ENOMEM, ...);
 * ERROR_GEN_FAILURE (31) for a code without a closer match. */
TCPT_EXPORT uint32_t tcpt_error_win32(int err);


/* ---------------------------------------------------------------------------------------
 * Processes
 *
 * Facts about one process of the caller's pid namespace, read from /proc at the moment of
 * the call (the same layer the owner scan uses). What they say is untrusted (a process
 * names itself). Callers that hold a pid across calls compare start_time to tell a reused
 * pid from the process they first saw.
 * ------------------------------------------------------------------------------------- */

struct tcpt_process {
	int32_t pid;
	int32_t ppid;                  /* parent; 0 for init and kthreadd */
	unsigned threads;              /* number of threads */
	int nice;                      /* -20..19 */
	unsigned long long start_time; /* clock ticks after boot when it started */
	char name[16];                 /* as /proc/PID/comm: at most 15 bytes, NUL-terminated */
};

/* Read PID's facts from /proc/PID/stat (readable for every process) into *OUT.
 * Returns 0; -EINVAL for a NULL OUT or a pid <= 0; -ENOENT when there is no such process
 * (or it is gone); -EIO when the kernel's text cannot be parsed; another -errno. */
TCPT_EXPORT int tcpt_process_read(int32_t pid, struct tcpt_process *out);

/* Write the path of PID's executable (/proc/PID/exe) into BUF of SIZE bytes, NUL-terminated
 * and truncated to SIZE-1 bytes. Returns the full length of the path (so a return >= SIZE
 * means it was truncated: call again with more room), or -EINVAL (NULL BUF, SIZE 0, pid <= 0),
 * -ENOENT (no such process, or a kernel thread: no executable), -EACCES (another user's
 * process without privilege), another -errno. */
TCPT_EXPORT int tcpt_process_exe(int32_t pid, char *buf, size_t size);

#ifdef __cplusplus
}
#endif

#endif /* TCPTABLE_H */
