/* auth.h - HTTP basic auth against bcrypt hashes, with the system's crypt (libxcrypt). */
#ifndef TCPT_EXPORTER_AUTH_H
#define TCPT_EXPORTER_AUTH_H

#include "webconfig.h"

#include <stdbool.h>

/* true when USER and PASSWORD (either may be NULL: no credentials sent) match a user of C.
 * An unknown user costs one bcrypt as a known one does, so timing does not tell users
 * apart. Thread-safe. */
bool auth_check(const struct web_config *c, const char *user, const char *password);

#endif
