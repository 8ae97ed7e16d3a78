/* watch_containers.c - the Container column's cache, and docker's and podman's names from
 * their files. */
#include "watch_containers.h"

#include <fcntl.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "escape.h"
#include "grow.h"
#include "watch_container.h"

/* config.v2.json is a few KiB ("Name" comes early in it); containers.json ~0.5 KiB per
 * container of the host */
enum { CONFIG_MAX = 1 << 22 };

void watch_containers_init(struct watch_containers *c)
{
	memset(c, 0, sizeof(*c));
	const char *root = getenv("TCPT_DOCKER_ROOT");
	c->docker_root = root && *root ? root : "/var/lib/docker";
	root = getenv("TCPT_PODMAN_ROOT");
	c->podman_root = root && *root ? root : "/var/lib/containers/storage";
}

/* The text of file PATH (up to CONFIG_MAX bytes, NUL-terminated) in a buffer of the worker
 * thread, the only caller; NULL if it cannot be read. */
static const char *read_small_file(const char *path)
{
	static char buf[CONFIG_MAX + 1];
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	if (fd < 0)
		return NULL;
	size_t len = 0;
	ssize_t r;
	while (len < CONFIG_MAX && (r = read(fd, buf + len, CONFIG_MAX - len)) > 0)
		len += (size_t)r;
	close(fd);
	buf[len] = '\0';
	return buf;
}

/* The name of docker container ID (full hex id) into OUT, or -1. */
static int docker_name(const char *root, const char *id, char *out, size_t size)
{
	char path[4096];
	int n = snprintf(path, sizeof(path), "%s/containers/%s/config.v2.json", root, id);
	if (n < 0 || (size_t)n >= sizeof(path))
		return -1;
	return watch_docker_config_name(read_small_file(path), out, size);
}

/* The name of podman container ID of cgroup PATH into OUT, or -1: from the storage of the
 * user whose slice the cgroup lies in (rootless), else the system's. */
static int podman_name(const struct watch_containers *c, const char *cgroup, const char *id,
		       char *out, size_t size)
{
	char root[4096], path[4096];
	long uid = watch_cgroup_user(cgroup);
	struct passwd pw, *found = NULL;
	char pwbuf[4096];
	if (uid >= 0 && getpwuid_r((uid_t)uid, &pw, pwbuf, sizeof(pwbuf), &found) == 0 && found)
		snprintf(root, sizeof(root), "%s/.local/share/containers/storage", pw.pw_dir);
	else
		snprintf(root, sizeof(root), "%s", c->podman_root);
	int n = snprintf(path, sizeof(path), "%s/overlay-containers/containers.json", root);
	if (n < 0 || (size_t)n >= sizeof(path))
		return -1;
	return watch_podman_containers_name(read_small_file(path), id, out, size);
}

static void work_out(struct watch_containers *c, const char *path, char *text, size_t size)
{
	char shown[48], id[80], name[64], raw[128];
	text[0] = '\0';
	enum watch_container_kind kind = watch_container_from_cgroup(path, shown, sizeof(shown));
	if (kind == WATCH_CONTAINER_NONE)
		return;
	watch_container_id(path, id, sizeof(id));
	if ((kind == WATCH_CONTAINER_DOCKER &&
	     docker_name(c->docker_root, id, name, sizeof(name)) == 0) ||
	    (kind == WATCH_CONTAINER_PODMAN && podman_name(c, path, id, name, sizeof(name)) == 0))
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
	if (grow_array((void **)&c->items, &c->cap, c->count + 1, sizeof(*c->items)) < 0)
		return "";
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
