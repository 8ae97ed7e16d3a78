/* watch_containers.c - the Container column's cache, and docker's names from its files. */
#include "watch_containers.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "escape.h"
#include "watch_container.h"

enum { CONFIG_MAX = 1 << 18 }; /* config.v2.json is a few KiB; "Name" comes early in it */

void watch_containers_init(struct watch_containers *c)
{
	memset(c, 0, sizeof(*c));
	const char *root = getenv("TCPT_DOCKER_ROOT");
	c->docker_root = root && *root ? root : "/var/lib/docker";
}

/* The name of docker container ID (full hex id) into OUT, or -1. */
static int docker_name(const char *root, const char *id, char *out, size_t size)
{
	char path[4096];
	int n = snprintf(path, sizeof(path), "%s/containers/%s/config.v2.json", root, id);
	if (n < 0 || (size_t)n >= sizeof(path))
		return -1;
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	if (fd < 0)
		return -1;
	static char buf[CONFIG_MAX + 1]; /* the worker thread is the only caller */
	size_t len = 0;
	ssize_t r;
	while (len < CONFIG_MAX && (r = read(fd, buf + len, CONFIG_MAX - len)) > 0)
		len += (size_t)r;
	close(fd);
	buf[len] = '\0';
	return watch_docker_config_name(buf, out, size);
}

static void work_out(struct watch_containers *c, const char *path, char *text, size_t size)
{
	char shown[48], id[80], name[64], raw[128];
	text[0] = '\0';
	enum watch_container_kind kind = watch_container_from_cgroup(path, shown, sizeof(shown));
	if (kind == WATCH_CONTAINER_NONE)
		return;
	watch_container_id(path, id, sizeof(id));
	if (kind == WATCH_CONTAINER_DOCKER && docker_name(c->docker_root, id, name,
							 sizeof(name)) == 0)
		snprintf(raw, sizeof(raw), "%s %s", shown, name);
	else
		snprintf(raw, sizeof(raw), "%s", shown);
	escape_for_terminal(raw, text, size); /* paths and names are whoever made them */
}

const char *watch_containers_text(struct watch_containers *c, uint64_t cgroup_id,
				  const char *path)
{
	if (!path)
		return "";
	for (size_t i = c->count; i-- > 0;) /* few cgroups hold sockets: a short scan */
		if (c->items[i].cgroup_id == cgroup_id)
			return c->items[i].text;
	if (c->count == c->cap) {
		size_t cap = c->cap ? c->cap * 2 : 16;
		struct watch_container_entry *more = realloc(c->items, cap * sizeof(*more));
		if (!more)
			return "";
		c->items = more;
		c->cap = cap;
	}
	struct watch_container_entry *e = &c->items[c->count++];
	e->cgroup_id = cgroup_id;
	work_out(c, path, e->text, sizeof(e->text));
	return e->text;
}

void watch_containers_free(struct watch_containers *c)
{
	free(c->items);
	c->items = NULL;
	c->count = c->cap = 0;
}
