/* owners_beside.h - the owners of a query found on a second thread (tcpt_owner_map_take())
 * while the caller streams the rows without them, to be joined by inode afterwards: the owner
 * walk and the kernel's dump then overlap instead of adding up. Used by the table of
 * `tcptable -p` and by the exporter. */
#ifndef TCPT_CLI_OWNERS_BESIDE_H
#define TCPT_CLI_OWNERS_BESIDE_H

#include <pthread.h>
#include <stdbool.h>

#include "tcptable.h"

struct owners_beside {
	const struct tcpt_query *query;
	struct tcpt_owner_map *map;
	int result;
	pthread_t thread;
	bool threaded;
};

/* Start finding the owners QUERY asks for (its source, context and TCPT_WANT_PROCESS); QUERY
 * must stay valid until owners_beside_end(). Without a thread to spare, they are found here
 * and now. */
void owners_beside_begin(struct owners_beside *b, const struct tcpt_query *query);

/* Wait for them: 0 and *ret_map (the caller frees it with tcpt_owner_map_free()), or the
 * error of tcpt_owner_map_take() and *ret_map NULL. */
int owners_beside_end(struct owners_beside *b, struct tcpt_owner_map **ret_map);

/* QUERY without owners: what the rows beside them are streamed with. */
struct tcpt_query owners_beside_rows_query(const struct tcpt_query *query);

#endif
