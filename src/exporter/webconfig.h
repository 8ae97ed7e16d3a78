/* webconfig.h - --web.config.file, in the format of Prometheus's exporter-toolkit:
 *
 *   tls_server_config:
 *     cert_file: server.crt      # PEM; relative paths are relative to the file's directory
 *     key_file: server.key
 *     min_version: TLS12         # TLS10..TLS13; TLS12 when absent
 *     client_auth_type: NoClientCert   # the only value supported
 *   basic_auth_users:
 *     alice: $2y$10$...          # bcrypt hashes, checked with crypt(3) (libxcrypt)
 *
 * Other keys of exporter-toolkit (client certificates, cipher suites, http_server_config)
 * are refused by name rather than silently ignored. */
#ifndef TCPT_EXPORTER_WEBCONFIG_H
#define TCPT_EXPORTER_WEBCONFIG_H

#include <stddef.h>

struct web_user {
	char *name;
	char *hash;
};

struct web_config {
	char *cert_pem;          /* NULL: plain HTTP */
	char *key_pem;
	const char *priorities;  /* GnuTLS priority string for min_version */
	struct web_user *users;  /* empty: no authentication */
	size_t user_count;
};

/*
 * Read PATH into *ret (zeroed first; web_config_free() it, also after a failure).
 * Returns 0, or -EINVAL with one line in ERR (SIZE bytes) naming the problem.
 */
int web_config_load(const char *path, struct web_config *ret, char *err, size_t size);

/* The hash of USER, or NULL when there is no such user. */
const char *web_config_hash(const struct web_config *c, const char *user);

void web_config_free(struct web_config *c);

#endif
