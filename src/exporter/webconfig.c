/* webconfig.c - the web config file through libyaml's document API. */
#include "webconfig.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

#define PEM_MAX (1 << 20)

struct ctx {
	yaml_document_t *doc;
	const char *dir;      /* the config file's directory, "" for the current one */
	char *err;
	size_t size;
};

__attribute__((format(printf, 2, 3)))
static int fail(struct ctx *c, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(c->err, c->size, fmt, ap);
	va_end(ap);
	return -EINVAL;
}

static const char *scalar(const yaml_node_t *n)
{
	return n && n->type == YAML_SCALAR_NODE ? (const char *)n->data.scalar.value : NULL;
}

static yaml_node_t *node(struct ctx *c, int id)
{
	return yaml_document_get_node(c->doc, id);
}

static int read_pem(struct ctx *c, const char *file, char **ret)
{
	char path[4096];
	snprintf(path, sizeof(path), "%s%s", file[0] == '/' ? "" : c->dir, file);
	FILE *f = fopen(path, "re");
	if (!f)
		return fail(c, "cannot open %s", path);
	char *buf = malloc(PEM_MAX);
	size_t n = buf ? fread(buf, 1, PEM_MAX - 1, f) : 0;
	int bad = ferror(f) || n == 0 || n == PEM_MAX - 1;
	fclose(f);
	if (!buf || bad) {
		free(buf);
		return fail(c, "cannot read %s (empty, unreadable or over 1 MiB)", path);
	}
	buf[n] = '\0';
	free(*ret);
	*ret = buf;
	return 0;
}

static int min_version(struct ctx *c, const char *v, struct web_config *w)
{
	static const struct {
		const char *name;
		const char *prio;
	} versions[] = {
		{ "TLS10", "NORMAL:-VERS-ALL:+VERS-TLS1.3:+VERS-TLS1.2:+VERS-TLS1.1:+VERS-TLS1.0" },
		{ "TLS11", "NORMAL:-VERS-ALL:+VERS-TLS1.3:+VERS-TLS1.2:+VERS-TLS1.1" },
		{ "TLS12", "NORMAL:-VERS-ALL:+VERS-TLS1.3:+VERS-TLS1.2" },
		{ "TLS13", "NORMAL:-VERS-ALL:+VERS-TLS1.3" },
	};
	for (size_t i = 0; i < 4; i++)
		if (strcmp(v, versions[i].name) == 0) {
			w->priorities = versions[i].prio;
			return 0;
		}
	return fail(c, "tls_server_config: min_version '%s' is not TLS10..TLS13", v);
}

static int tls_entry(struct ctx *c, const char *key, const char *v, struct web_config *w)
{
	if (!v)
		return fail(c, "tls_server_config: %s must be a string", key);
	if (strcmp(key, "cert_file") == 0)
		return read_pem(c, v, &w->cert_pem);
	if (strcmp(key, "key_file") == 0)
		return read_pem(c, v, &w->key_pem);
	if (strcmp(key, "min_version") == 0)
		return min_version(c, v, w);
	if (strcmp(key, "client_auth_type") == 0 && strcmp(v, "NoClientCert") == 0)
		return 0;
	return fail(c, "tls_server_config: %s is not supported", key);
}

static int tls_config(struct ctx *c, yaml_node_t *map, struct web_config *w)
{
	if (map->type != YAML_MAPPING_NODE)
		return fail(c, "%s must be a mapping", "tls_server_config");
	for (yaml_node_pair_t *p = map->data.mapping.pairs.start;
	     p < map->data.mapping.pairs.top; p++) {
		const char *key = scalar(node(c, p->key));
		int r = key ? tls_entry(c, key, scalar(node(c, p->value)), w)
			    : fail(c, "%s: a key is not a string", "tls_server_config");
		if (r < 0)
			return r;
	}
	if (!w->cert_pem || !w->key_pem)
		return fail(c, "%s needs both cert_file and key_file", "tls_server_config");
	return 0;
}

static int users(struct ctx *c, yaml_node_t *map, struct web_config *w)
{
	if (map->type != YAML_MAPPING_NODE)
		return fail(c, "%s must be a mapping", "basic_auth_users");
	size_t n = (size_t)(map->data.mapping.pairs.top - map->data.mapping.pairs.start);
	w->users = calloc(n ? n : 1, sizeof(*w->users));
	if (!w->users)
		return fail(c, "%s", "out of memory");
	for (yaml_node_pair_t *p = map->data.mapping.pairs.start;
	     p < map->data.mapping.pairs.top; p++) {
		const char *name = scalar(node(c, p->key));
		const char *hash = scalar(node(c, p->value));
		if (!name || !hash || !*name)
			return fail(c, "%s: each entry must be user: bcrypt-hash", "basic_auth_users");
		if (strncmp(hash, "$2", 2) != 0)
			return fail(c, "basic_auth_users: the hash of %s is not bcrypt", name);
		struct web_user *u = &w->users[w->user_count++];
		u->name = strdup(name);
		u->hash = strdup(hash);
		if (!u->name || !u->hash)
			return fail(c, "%s", "out of memory");
	}
	return 0;
}

static int top_level(struct ctx *c, struct web_config *w)
{
	yaml_node_t *root = yaml_document_get_root_node(c->doc);
	if (!root) /* an empty file: no TLS, no users */
		return 0;
	if (root->type != YAML_MAPPING_NODE)
		return fail(c, "%s", "the file must be a mapping");
	for (yaml_node_pair_t *p = root->data.mapping.pairs.start;
	     p < root->data.mapping.pairs.top; p++) {
		const char *key = scalar(node(c, p->key));
		yaml_node_t *v = node(c, p->value);
		int r;
		if (!key || !v)
			r = fail(c, "%s", "a top-level key is not a string");
		else if (strcmp(key, "tls_server_config") == 0)
			r = tls_config(c, v, w);
		else if (strcmp(key, "basic_auth_users") == 0)
			r = users(c, v, w);
		else
			r = fail(c, "%s is not supported", key);
		if (r < 0)
			return r;
	}
	return 0;
}

static void directory_of(const char *path, char *dir, size_t size)
{
	const char *slash = strrchr(path, '/');
	size_t len = slash ? (size_t)(slash - path) + 1 : 0;
	snprintf(dir, size, "%.*s", (int)len, path);
}

int web_config_load(const char *path, struct web_config *ret, char *err, size_t size)
{
	*ret = (struct web_config){ .priorities = "NORMAL:-VERS-ALL:+VERS-TLS1.3:+VERS-TLS1.2" };
	FILE *f = fopen(path, "re");
	if (!f) {
		snprintf(err, size, "cannot open %s: %s", path, strerror(errno));
		return -EINVAL;
	}
	char dir[4096];
	directory_of(path, dir, sizeof(dir));
	yaml_parser_t parser;
	yaml_document_t doc;
	int r = -EINVAL;
	if (!yaml_parser_initialize(&parser)) {
		fclose(f);
		snprintf(err, size, "out of memory");
		return -EINVAL;
	}
	yaml_parser_set_input_file(&parser, f);
	if (!yaml_parser_load(&parser, &doc)) {
		snprintf(err, size, "%s: line %zu: %s", path, parser.problem_mark.line + 1,
			 parser.problem ? parser.problem : "not YAML");
	} else {
		struct ctx c = { .doc = &doc, .dir = dir, .err = err, .size = size };
		r = top_level(&c, ret);
		yaml_document_delete(&doc);
	}
	yaml_parser_delete(&parser);
	fclose(f);
	return r;
}

const char *web_config_hash(const struct web_config *c, const char *user)
{
	for (size_t i = 0; i < c->user_count; i++)
		if (strcmp(c->users[i].name, user) == 0)
			return c->users[i].hash;
	return NULL;
}

void web_config_free(struct web_config *c)
{
	free(c->cert_pem);
	free(c->key_pem);
	for (size_t i = 0; i < c->user_count; i++) {
		free(c->users[i].name);
		free(c->users[i].hash);
	}
	free(c->users);
	*c = (struct web_config){0};
}
