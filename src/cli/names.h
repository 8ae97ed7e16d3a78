/* names.h - numbers made readable, each looked up once: user names, cgroup paths and
 * network-namespace names. */
#ifndef TCPT_CLI_NAMES_H
#define TCPT_CLI_NAMES_H

#include <stddef.h>
#include <stdint.h>

struct id_name {
	uint64_t id;
	char *name; /* NULL: looked up, unknown */
};

/* A small map from ids to names; lookups cache misses too. */
struct name_cache {
	struct id_name *items;
	size_t count;
	size_t cap;
	int loaded;  /* for maps filled in one go (cgroups, namespaces) */
};

/* The user name of UID ("root"), or NULL when there is none. Valid until names_free(). */
const char *names_user(struct name_cache *c, uint32_t uid);

/* The cgroup v2 path of cgroup ID ("/system.slice/ssh.service"), or NULL when unknown. The
 * first call walks /sys/fs/cgroup once (cgroup ids are directory inode numbers). */
const char *names_cgroup(struct name_cache *c, uint64_t id);

/* The name under /run/netns of the network namespace with inode INO, or NULL. */
const char *names_netns(struct name_cache *c, uint64_t ino);

/* Release every name. */
void names_free(struct name_cache *c);

#endif
