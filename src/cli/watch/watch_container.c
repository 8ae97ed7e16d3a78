/* watch_container.c - container names from cgroup paths, one path component at a time. */
#include "watch_container.h"

#include <ctype.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
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


/* The string value starting at AT (just past its opening quote) into OUT: 0, or -1 when it
 * is empty, cut short or holds escapes (which engines never put in a name or an id). */
static int copy_plain_string(const char *at, char *out, size_t size)
{
	size_t n = strcspn(at, "\"\\");
	if (at[n] != '"' || n == 0 || !size)
		return -1;
	if (n >= size)
		n = size - 1;
	memcpy(out, at, n);
	out[n] = '\0';
	return 0;
}

int watch_docker_config_name(const char *json, char *out, size_t size)
{
	static const char key[] = "\"Name\":\"/";
	const char *at = json ? strstr(json, key) : NULL;
	return at ? copy_plain_string(at + sizeof(key) - 1, out, size) : -1;
}

long watch_cgroup_user(const char *path)
{
	static const char key[] = "/user-";
	for (const char *at = path ? strstr(path, key) : NULL; at; at = strstr(at + 1, key)) {
		const char *digits = at + sizeof(key) - 1;
		char *end;
		long uid = strtol(digits, &end, 10);
		if (end != digits && *digits != '-' && *digits != '+' &&
		    strncmp(end, ".slice", 6) == 0 && uid >= 0)
			return uid;
	}
	return -1;
}

int watch_podman_containers_name(const char *json, const char *id, char *out, size_t size)
{
	static const char id_key[] = "\"id\":\"", names_key[] = "\"names\":[\"";
	size_t id_len = id ? strlen(id) : 0;
	if (!json || !id_len)
		return -1;
	for (const char *at = strstr(json, id_key); at; at = strstr(at + 1, id_key)) {
		const char *value = at + sizeof(id_key) - 1;
		if (strncmp(value, id, id_len) != 0 || value[id_len] != '"')
			continue;
		/* the names of this object: before the next object's id */
		const char *names = strstr(value, names_key);
		const char *next = strstr(value, id_key);
		if (!names || (next && next < names))
			return -1;
		return copy_plain_string(names + sizeof(names_key) - 1, out, size);
	}
	return -1;
}
