/* aggregate.h - one snapshot's rows reduced to the counts the metrics show.
 *
 * Rows are added one at a time (from a stream or a snapshot; the aggregate keeps no row), each
 * tagged with its protocol, so that another protocol (UDP) is one more enum value, its own
 * state names and its own counters: the aggregate itself does not change. */
#ifndef TCPT_EXPORTER_AGGREGATE_H
#define TCPT_EXPORTER_AGGREGATE_H

#include "series.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <tcptable.h>

enum proto { PROTO_TCP = 0, PROTO_UDP = 1, PROTO_COUNT = 2 };

/* The protocol of ROW (its protocol number). */
enum proto aggregate_proto(const struct tcpt_conn *row);

/* Whether ROW counts as a listener: a TCP socket in LISTEN, or a UDP socket bound to a local
 * port and connected to no peer (state TCPT_CLOSE, ss's UNCONN: what `ss -uln` lists). */
bool aggregate_is_listener(enum proto proto, const struct tcpt_conn *row);

/* Per local port of one namespace and protocol. For UDP, "listeners" are the bound
 * unconnected sockets, "established" the connected ones, and the queues are summed over both
 * (the bytes charged to their receive and send buffers). */
struct port_stat {
	uint32_t listeners;    /* listening sockets on the port */
	uint32_t established;  /* ESTABLISHED connections whose local port it is */
	uint64_t recv_q;       /* their summed receive queues, bytes */
	uint64_t send_q;       /* their summed send queues, bytes */
	uint64_t accept_q;     /* the listeners' connections awaiting accept() */
	uint64_t accept_limit; /* the listeners' backlog limits */
};

struct ns_agg {
	uint64_t inode;      /* the namespace's inode (the rows' netns field) */
	char label[64];      /* its `netns` label: the name under /run/netns, else the inode */
	uint64_t conns[PROTO_COUNT][2][SERIES_VALUES]; /* protocol, family (0 v4, 1 v6), state */
	struct port_stat *ports[PROTO_COUNT]; /* 65536 entries each, allocated on first use */
	bool stats_ok;       /* the kernel counters below were read */
	struct tcpt_stats tcp_stats;
	bool udp_stats_ok[2]; /* per family (0 v4, 1 v6): the UDP counters below were read */
	struct tcpt_udp_stats udp_stats[2];
};

/* A row counted before its owners were known: what its listener and process series need. */
struct pending_row {
	uint64_t inode;
	uint32_t ns;           /* index into aggregate.ns */
	uint8_t protocol;      /* enum proto */
	uint8_t state;
	uint8_t family;
	uint8_t listener;      /* also a listener series: then the address below */
	uint16_t port;
	uint8_t addr[16];
};

struct aggregate {
	struct ns_agg *ns;
	size_t ns_count;
	size_t ns_cap;
	struct series_map listeners; /* key: ns, protocol, family, addr, port, name; values[0] */
	struct series_map processes; /* key: ns, protocol, name; values[state] */
	size_t rows;
	size_t unreadable_processes;
	struct {                       /* the process series rows last went to (a cache) */
		const char *name;
		uint32_t index;        /* + 1 into processes.items; 0: empty */
	} recent[16];
	enum tcpt_source source;       /* of the rows: netlink or proc */
	enum tcpt_source owner_source; /* of the owners: bpf or proc; AUTO when not read */
	struct pending_row *pending;   /* rows counted by aggregate_row_owners_later() */
	size_t pending_count, pending_cap;
	bool udp;            /* UDP sockets and counters were taken (--collector.udp) */
	bool netns_labels;   /* the metrics carry a netns label (--netns, --all-netns) */
	long folded_listeners, folded_processes, folded_ports; /* set by aggregate_finish() */
};

/* The namespace entry for INODE, created (with LABEL) when new. NULL when out of memory. */
struct ns_agg *aggregate_ns(struct aggregate *a, uint64_t inode, const char *label);

/* Count ROW of protocol PROTO. Returns 0 or -ENOMEM. */
int aggregate_row(struct aggregate *a, enum proto proto, const struct tcpt_conn *row);

/* Count ROW as aggregate_row() does, except the series that need its owners (listeners by
 * process, connections per process): those wait for aggregate_owners(), which finds them by
 * the row's inode. For rows streamed without owners while the owners are found on another
 * thread: the rows are still never held, only 40 bytes each of what those series need.
 * Returns 0 or -ENOMEM. */
int aggregate_row_owners_later(struct aggregate *a, enum proto proto,
			       const struct tcpt_conn *row);

/* The listener and process series of every row aggregate_row_owners_later() counted, their
 * owners looked up in MAP (NULL: none known). Returns 0 or -ENOMEM. */
int aggregate_owners(struct aggregate *a, const struct tcpt_owner_map *map);

/* Cut the listener and process series to the TOP_K largest (the rest in "other" buckets).
 * The per-port series are cut when rendered (see aggregate_ports()). Returns 0 or -ENOMEM. */
int aggregate_finish(struct aggregate *a, size_t top_k);

/* The per-port series of every namespace and protocol, ports with listeners only, cut to
 * TOP_K by established connections, as series (values: 0 listeners, 1 established,
 * 2 recv_q, 3 send_q, 4 accept_q, 5 accept_limit) into *RET (to series_free()). Sets
 * a->folded_ports. Returns 0 or -ENOMEM. */
int aggregate_ports(struct aggregate *a, size_t top_k, struct series_map *ret);

/* Release everything the aggregate holds. */
void aggregate_free(struct aggregate *a);

#endif
