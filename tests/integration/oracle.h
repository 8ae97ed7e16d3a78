/*
 * oracle.h - `ss` (iproute2) as an independent witness, and the endpoint text both it and
 * tcptable print, reduced to one canonical spelling.
 */
#ifndef TCPT_ITEST_ORACLE_H
#define TCPT_ITEST_ORACLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "tcptable.h"

#define ORACLE_MAX_OWNERS 8

struct oracle_owner {
	int32_t pid, fd;
	char name[64];
};

/* One socket line of `ss`, endpoints canonical (see oracle_endpoint()). */
struct oracle_row {
	char state[24]; /* tcpt_state_name() spelling: ss's ESTAB and UNCONN are translated */
	char local[80], remote[80];
	uint32_t rqueue, wqueue;
	/* with -e */
	uint64_t inode, cookie;
	uint32_t uid;
	bool has_details;
	/* with -p, sorted by (pid, fd) */
	struct oracle_owner owners[ORACLE_MAX_OWNERS];
	unsigned nowners;
};

/*
 * Canonical text of an endpoint as ss or tcptable print it: "127.0.0.1:80", "[::1]:80",
 * "[::ffff:127.0.0.1]:80"; a wildcard port ("*") becomes 0, ss's "*" address (a dual-stack
 * IPv6 wildcard) becomes "[::]", a zone ("[::1]%lo:80", "[::1%lo]:80") is dropped.
 * Returns the address family, or -1 when TEXT is not an endpoint.
 */
int oracle_endpoint(const char *text, char *out, size_t size);

/* The canonical text of one end of a row. */
void oracle_endpoint_of(const struct tcpt_conn *c, bool remote, char *out, size_t size);

/* Whether `ss` can be run. */
bool oracle_have_ss(void);
/* Skip the test loudly when `ss` cannot be run (fail it under CI=true). */
void oracle_require_ss(void);

/* Run `ss ARGS...` (NULL-terminated) and parse its lines. Returns the number of rows (a
 * malloc'd array in *ret_rows, kept until tear-down), or fails the test. */
size_t oracle_ss(struct oracle_row **ret_rows, const char *arg, ...);

#endif
