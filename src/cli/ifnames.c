/* ifnames.c - names of the caller's own interfaces come from if_indextoname(); those of
 * another namespace from if_nameindex() run by a thread that has entered it, all at once,
 * since a namespace that has one scoped socket usually has more. */
#include "ifnames.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "netns.h"
#include "grow.h"

void ifnames_set_namespaces(struct ifname_cache *c, const char *const *paths, size_t count)
{
	c->ns_paths = paths;
	c->ns_count = count;
}

static uint64_t own_namespace(struct ifname_cache *c)
{
	struct stat st;
	if (!c->self && stat("/proc/thread-self/ns/net", &st) == 0)
		c->self = st.st_ino;
	return c->self;
}

static struct ifname_entry *find(struct ifname_cache *c, uint64_t netns, unsigned index)
{
	for (size_t i = 0; i < c->count; i++)
		if (c->items[i].netns == netns && c->items[i].index == index)
			return &c->items[i];
	return NULL;
}

/* A new entry, its name the number until something better is known; NULL without memory. */
static struct ifname_entry *add(struct ifname_cache *c, uint64_t netns, unsigned index)
{
	if (grow_array((void **)&c->items, &c->cap, c->count + 1, sizeof(*c->items)) < 0)
		return NULL;
	struct ifname_entry *e = &c->items[c->count++];
	e->netns = netns;
	e->index = index;
	snprintf(e->name, sizeof(e->name), "%u", index);
	return e;
}

/* --- another namespace ------------------------------------------------------------------- */

static void list_interfaces(void *arg)
{
	struct if_nameindex **list = arg;
	*list = if_nameindex();
}

static const char *path_of(struct ifname_cache *c, uint64_t netns)
{
	if (!c->ns_inodes && c->ns_count) {
		c->ns_inodes = calloc(c->ns_count, sizeof(*c->ns_inodes));
		for (size_t i = 0; c->ns_inodes && i < c->ns_count; i++) {
			struct stat st;
			if (stat(c->ns_paths[i], &st) == 0)
				c->ns_inodes[i] = st.st_ino;
		}
	}
	for (size_t i = 0; c->ns_inodes && i < c->ns_count; i++)
		if (c->ns_inodes[i] == netns)
			return c->ns_paths[i];
	return NULL;
}

static bool was_loaded(const struct ifname_cache *c, uint64_t netns)
{
	for (size_t i = 0; i < c->loaded_count; i++)
		if (c->loaded[i] == netns)
			return true;
	return false;
}

/* Every interface of NETNS into the cache, once (also when it cannot be entered: then its
 * interfaces keep their numbers). */
static void load_namespace(struct ifname_cache *c, uint64_t netns)
{
	uint64_t *loaded = realloc(c->loaded, (c->loaded_count + 1) * sizeof(*loaded));
	if (!loaded)
		return;
	c->loaded = loaded;
	c->loaded[c->loaded_count++] = netns;
	const char *path = path_of(c, netns);
	struct if_nameindex *list = NULL;
	if (!path || netns_run_in(path, list_interfaces, &list) < 0)
		return;
	for (struct if_nameindex *i = list; i && i->if_index; i++) {
		struct ifname_entry *e = find(c, netns, i->if_index);
		if (!e)
			e = add(c, netns, i->if_index);
		if (e)
			snprintf(e->name, sizeof(e->name), "%s", i->if_name);
	}
	if (list)
		if_freenameindex(list);
}

const char *ifnames_lookup(struct ifname_cache *c, uint64_t netns, unsigned index)
{
	static __thread char fallback[16];
	uint64_t self = own_namespace(c);
	if (netns == 0)
		netns = self;
	struct ifname_entry *e = find(c, netns, index);
	if (e)
		return e->name;
	if (netns != self && !was_loaded(c, netns)) {
		load_namespace(c, netns);
		if ((e = find(c, netns, index)))
			return e->name;
	}
	if (!(e = add(c, netns, index))) {
		snprintf(fallback, sizeof(fallback), "%u", index);
		return fallback;
	}
	if (netns == self) {
		char name[IF_NAMESIZE + 1];
		if (if_indextoname(index, name))
			snprintf(e->name, sizeof(e->name), "%s", name);
	}
	return e->name;
}

void ifnames_free(struct ifname_cache *c)
{
	free(c->items);
	free(c->ns_inodes);
	free(c->loaded);
	*c = (struct ifname_cache){0};
}
