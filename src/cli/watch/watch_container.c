/* watch_container.c - container names from cgroup paths, one path component at a time. */
#include "watch_container.h"

#include <ctype.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

enum { ID_SHOWN = 12, ID_MIN = 12 };

struct component {
	const char *s;
	size_t len;
};

static bool has_prefix(struct component c, const char *p)
{
	size_t n = strlen(p);
	return c.len >= n && memcmp(c.s, p, n) == 0;
}

static struct component strip_suffix(struct component c, const char *suffix)
{
	size_t n = strlen(suffix);
	if (c.len >= n && memcmp(c.s + c.len - n, suffix, n) == 0)
		c.len -= n;
	return c;
}

static bool all_hex(struct component c)
{
	if (c.len < ID_MIN)
		return false;
	for (size_t i = 0; i < c.len; i++)
		if (!isxdigit((unsigned char)c.s[i]))
			return false;
	return true;
}

/* "<prefix><hex>[.scope]": the hex part, or an empty component. */
static struct component engine_id(struct component c, const char *prefix)
{
	struct component none = {NULL, 0};
	if (!has_prefix(c, prefix))
		return none;
	size_t n = strlen(prefix);
	struct component id = strip_suffix((struct component){c.s + n, c.len - n}, ".scope");
	return all_hex(id) ? id : none;
}

/* "...pod<uid>[.slice]" in a component under kubepods: the uid, or an empty component. */
static struct component pod_uid(struct component c)
{
	struct component none = {NULL, 0};
	c = strip_suffix(c, ".slice");
	for (size_t i = 0; i + 3 < c.len; i++) {
		if (memcmp(c.s + i, "pod", 3) != 0)
			continue;
		struct component uid = {c.s + i + 3, c.len - i - 3};
		bool ok = uid.len >= 8;
		for (size_t k = 0; ok && k < uid.len; k++)
			ok = isxdigit((unsigned char)uid.s[k]) || uid.s[k] == '-' || uid.s[k] == '_';
		if (ok)
			return uid;
	}
	return none;
}

static void put(char *out, size_t size, const char *kind, struct component id, size_t max,
		bool dashes)
{
	size_t n = snprintf(out, size, "%s:", kind);
	for (size_t i = 0; i < id.len && i < max && n + 1 < size; i++)
		out[n++] = dashes && id.s[i] == '_' ? '-' : id.s[i];
	if (n < size)
		out[n] = '\0';
}

/* The container of PATH: its kind, and in *found its id or the pod's uid. */
static enum watch_container_kind parse(const char *path, struct component *ret)
{
	enum watch_container_kind kind = WATCH_CONTAINER_NONE;
	struct component found = {NULL, 0}, prev = {NULL, 0};
	bool kubepods = false;
	for (const char *p = path; p && *p;) {
		while (*p == '/')
			p++;
		struct component c = {p, strcspn(p, "/")};
		p += c.len;
		if (!c.len)
			break;
		struct component id;
		if (has_prefix(c, "kubepods"))
			kubepods = true;
		if (kubepods && (id = pod_uid(c)).len) {
			kind = WATCH_CONTAINER_POD; /* the pod names what runs inside it */
			found = id;
		} else if (kind != WATCH_CONTAINER_POD) {
			if ((id = engine_id(c, "docker-")).len ||
			    (prev.len == 6 && memcmp(prev.s, "docker", 6) == 0 && all_hex(c) &&
			     (id = c).len)) {
				kind = WATCH_CONTAINER_DOCKER;
				found = id;
			} else if (!has_prefix(c, "libpod-conmon-") &&
				   (id = engine_id(c, "libpod-")).len) {
				kind = WATCH_CONTAINER_PODMAN;
				found = id;
			}
		}
		prev = c;
	}
	*ret = found;
	return kind;
}

enum watch_container_kind watch_container_from_cgroup(const char *path, char *out,
						      size_t size)
{
	struct component found;
	enum watch_container_kind kind = parse(path, &found);
	if (size)
		out[0] = '\0';
	if (size && kind == WATCH_CONTAINER_POD)
		put(out, size, "pod", found, found.len, true);
	else if (size && kind == WATCH_CONTAINER_DOCKER)
		put(out, size, "docker", found, ID_SHOWN, false);
	else if (size && kind == WATCH_CONTAINER_PODMAN)
		put(out, size, "podman", found, ID_SHOWN, false);
	return kind;
}

enum watch_container_kind watch_container_id(const char *path, char *id, size_t size)
{
	struct component found;
	enum watch_container_kind kind = parse(path, &found);
	if (!size)
		return kind;
	size_t n = kind == WATCH_CONTAINER_POD || kind == WATCH_CONTAINER_NONE ? 0 : found.len;
	if (n >= size)
		n = size - 1;
	memcpy(id, found.s ? found.s : "", n);
	id[n] = '\0';
	return kind;
}

int watch_docker_config_name(const char *json, char *out, size_t size)
{
	static const char key[] = "\"Name\":\"/";
	const char *at = json ? strstr(json, key) : NULL;
	if (!at || !size)
		return -1;
	at += sizeof(key) - 1;
	size_t n = strcspn(at, "\"\\");
	if (at[n] != '"' || n == 0)
		return -1; /* cut short, or escaped characters docker never puts in a name */
	if (n >= size)
		n = size - 1;
	memcpy(out, at, n);
	out[n] = '\0';
	return 0;
}
