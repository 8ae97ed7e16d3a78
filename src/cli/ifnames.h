/* ifnames.h - interface names by (network namespace, index): an index means nothing outside
 * its namespace (ifindex 3 is veth0 in one and ifb1 in another). */
#ifndef TCPT_CLI_IFNAMES_H
#define TCPT_CLI_IFNAMES_H

#include <net/if.h>
#include <stddef.h>
#include <stdint.h>

struct ifname_entry {
	uint64_t netns;
	unsigned index;
	char name[IF_NAMESIZE + 1];
};

/* Names looked up once each. A zeroed cache knows only the caller's own namespace; with
 * ifnames_set_namespaces() it can also name interfaces of those namespaces. */
struct ifname_cache {
	struct ifname_entry *items;
	size_t count, cap;
	uint64_t self;                 /* inode of the calling thread's namespace (0: unknown) */
	const char *const *ns_paths;   /* namespaces other than the caller's, by path */
	size_t ns_count;
	uint64_t *ns_inodes;           /* of ns_paths, found on first need */
	uint64_t *loaded;              /* namespaces whose every interface is in items */
	size_t loaded_count;
};

/* Let C name interfaces of the COUNT namespaces at PATHS (kept, not copied: they must
 * outlive C), entered by a short-lived thread only when a row of theirs needs a name. */
void ifnames_set_namespaces(struct ifname_cache *c, const char *const *paths, size_t count);

/* The name of interface INDEX of namespace NETNS (a row's netns field; 0 means the caller's),
 * or its number in decimal when the interface or namespace cannot be found. Valid until
 * ifnames_free(). */
const char *ifnames_lookup(struct ifname_cache *c, uint64_t netns, unsigned index);

/* Release what C holds (not the paths). */
void ifnames_free(struct ifname_cache *c);

#endif
