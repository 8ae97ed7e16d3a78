/* auth.c - crypt_rn() and a comparison whose time does not depend on where bytes differ. */
#include "auth.h"

#include <crypt.h>
#include <stdlib.h>
#include <string.h>

/* A valid bcrypt hash no password is known for: what unknown users are checked against. */
static const char dummy_hash[] = "$2y$10$QOauhQNbBCuQDKes6eFzPeMqBSjb7Mr5DUmpZ/VcEd00UAV/LDeSi";

static bool same(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);
	unsigned char diff = la != lb;
	for (size_t i = 0; i < la && i < lb; i++)
		diff |= (unsigned char)(a[i] ^ b[i]);
	return diff == 0;
}

bool auth_check(const struct web_config *c, const char *user, const char *password)
{
	if (!user || !password)
		return false;
	const char *hash = web_config_hash(c, user);
	struct crypt_data *data = calloc(1, sizeof(*data));
	if (!data)
		return false;
	const char *got = crypt_rn(password, hash ? hash : dummy_hash, data, sizeof(*data));
	bool ok = hash && got && got[0] != '*' && same(got, hash);
	free(data);
	return ok;
}
