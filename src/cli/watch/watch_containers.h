/* watch_containers.h - the Container column's text per cgroup, each worked out once: the
 * engine and id from the cgroup path (watch_container.h) and, for docker, the container's
 * name from its config.v2.json. */
#ifndef TCPT_CLI_WATCH_CONTAINERS_H
#define TCPT_CLI_WATCH_CONTAINERS_H

#include <stddef.h>
#include <stdint.h>

struct watch_container_entry {
	uint64_t cgroup_id;
	char text[48]; /* "docker:<12 hex> <name>", "podman:<12 hex>", "pod:<uid>" or "" */
};

struct watch_containers {
	struct watch_container_entry *items;
	size_t count;
	size_t cap;
	const char *docker_root; /* docker's data root: $TCPT_DOCKER_ROOT (a test hook), or
	                            /var/lib/docker */
	const char *podman_root; /* rootful podman's storage: $TCPT_PODMAN_ROOT (a test hook),
	                            or /var/lib/containers/storage; a rootless container's is
	                            its user's ~/.local/share/containers/storage */
};

/* An empty cache reading docker's and podman's names where they keep them. */
void watch_containers_init(struct watch_containers *c);

/*
 * The Container text of cgroup CGROUP_ID whose path is PATH (NULL: unknown, so ""),
 * escaped for the terminal; worked out on the first call for each id. Valid until
 * watch_containers_free(). Never NULL ("" when out of memory).
 */
const char *watch_containers_text(struct watch_containers *c, uint64_t cgroup_id,
				  const char *path);

/* Forget every entry (cgroups were made or removed; names may have changed). */
void watch_containers_free(struct watch_containers *c);

#endif
