/* view.h - what every output format needs besides the rows: the options and the caches that
 * turn numbers into names. */
#ifndef TCPT_CLI_VIEW_H
#define TCPT_CLI_VIEW_H

#include <stdbool.h>

#include "endpoint.h"
#include "names.h"
#include "options.h"

struct view {
	const struct cli_options *opts;
	bool color;       /* ANSI colours in the table */
	bool show_netns;  /* a namespace column (--all-netns, --netns) */
	bool escape_csv;  /* CSV to a terminal: control characters as \xNN */
	struct name_cache users;
	struct name_cache cgroups;
	struct name_cache netns_names;
	struct ifname_cache ifnames;
	struct resolver *names; /* -r: host and service names of the endpoints; NULL: numbers */
	bool owners_later;      /* the table keeps rows without owners, then looks them up: */
	const struct tcpt_owner_map *owner_map; /* found beside the rows (set before writing) */
};

/* Set up a view of OPTS writing to a terminal or not (IS_TTY). */
void view_init(struct view *v, const struct cli_options *opts, bool is_tty);

/* Release the caches. */
void view_free(struct view *v);

/* The Proto column: "tcp", "tcp6", "udp" or "udp6". */
const char *view_proto_name(const struct tcpt_conn *r);

/* The family's name in structured output: "ipv4" or "ipv6". */
const char *view_family_name(const struct tcpt_conn *r);

/* The address of one end without port or brackets ("::1", "127.0.0.1") into OUT
 * (INET6_ADDRSTRLEN bytes). */
void view_address(const struct tcpt_conn *r, bool local, char *out);

#endif
