/* owner_map.c - the owner index on its own, for callers that read the rows another way at
 * the same time and join them by inode (the command's table: a stream beside this). */
#include <errno.h>
#include <stdlib.h>

#include "arena.h"
#include "owners.h"
#include "plan.h"

struct tcpt_owner_map {
	struct owner_index index;
	struct arena strings; /* names and executables the owners point at */
	enum tcpt_source source;
};

TCPT_EXPORT int tcpt_owner_map_take(const struct tcpt_query *query,
				    struct tcpt_owner_map **ret_map)
{
	if (!query || !ret_map || !plan_query_is_valid(query))
		return -EINVAL;
	struct tcpt_owner_map *m = calloc(1, sizeof(*m));
	if (!m)
		return -ENOMEM;
	bool try_bpf = owners_try_bpf(query->source, query->context);
	int r = owner_index_collect(try_bpf, query->context, query->want & TCPT_WANT_PROCESS,
				    &m->strings, &m->index, &m->source);
	if (r < 0) {
		tcpt_owner_map_free(m);
		return r;
	}
	*ret_map = m;
	return 0;
}

TCPT_EXPORT uint32_t tcpt_owner_map_find(const struct tcpt_owner_map *map, uint64_t inode,
					 const struct tcpt_owner **ret_owners)
{
	if (!map) {
		*ret_owners = NULL;
		return 0;
	}
	return owner_index_find(&map->index, inode, ret_owners);
}

TCPT_EXPORT enum tcpt_source tcpt_owner_map_source(const struct tcpt_owner_map *map)
{
	return map ? map->source : TCPT_SOURCE_AUTO;
}

TCPT_EXPORT size_t tcpt_owner_map_unreadable_processes(const struct tcpt_owner_map *map)
{
	return map ? map->index.unreadable : 0;
}

TCPT_EXPORT unsigned tcpt_owner_map_gaps(const struct tcpt_owner_map *map)
{
	return map ? map->index.gaps : 0;
}

TCPT_EXPORT void tcpt_owner_map_free(struct tcpt_owner_map *map)
{
	if (!map)
		return;
	owner_index_free(&map->index);
	arena_free(&map->strings);
	free(map);
}
