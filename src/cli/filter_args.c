/* filter_args.c - every value is parsed fully or rejected: "80x", "1-", "10.0.0.0/33" and
 * empty list items are errors, never silently something else. */
#include "filter_args.h"

#include <arpa/inet.h>
#include <errno.h>
#include <limits.h>
#include <netdb.h>
#include <pwd.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

enum { MAX_ITEM = 256 };

/* --- growing the lists --------------------------------------------------------------------- */

/* Room for one more element of SIZE bytes at the end of *ITEMS; returns the slot (the count
 * is already incremented) or NULL when out of memory (nothing changed). */
static void *append_slot(const void **items, size_t *count, size_t size)
{
	if (*count >= SIZE_MAX / size - 1)
		return NULL;
	char *bigger = realloc((void *)*items, (*count + 1) * size);
	if (!bigger)
		return NULL;
	*items = bigger;
	return bigger + (*count)++ * size;
}

/* --- numbers -------------------------------------------------------------------------------- */

static bool parse_unsigned(const char *s, unsigned long max, unsigned long *ret)
{
	if (!*s)
		return false;
	unsigned long v = 0;
	for (; *s; s++) {
		if (*s < '0' || *s > '9')
			return false;
		unsigned d = (unsigned)(*s - '0');
		if (v > (max - d) / 10)
			return false;
		v = v * 10 + d;
	}
	*ret = v;
	return true;
}

/* A port number or a TCP service name. */
static bool parse_port(const char *s, uint16_t *ret)
{
	unsigned long v;
	if (parse_unsigned(s, 65535, &v)) {
		*ret = (uint16_t)v;
		return true;
	}
	struct servent se, *found = NULL;
	char buf[1024];
	if (getservbyname_r(s, "tcp", &se, buf, sizeof(buf), &found) != 0 || !found)
		return false;
	*ret = ntohs((uint16_t)found->s_port);
	return true;
}

/* --- one item of each kind ---------------------------------------------------------------- */

static int add_port_item(struct tcpt_port_range **list, size_t *count, char *item,
			 const char **why)
{
	struct tcpt_port_range r;
	char *dash = strchr(item, '-');
	/* a whole item that names a port comes first: service names may contain '-' */
	if (parse_port(item, &r.first)) {
		r.last = r.first;
	} else if (dash && dash != item) {
		*dash = '\0';
		if (!parse_port(item, &r.first) || !parse_port(dash + 1, &r.last)) {
			*why = "expected a port, a service name or a range like 8000-8100";
			return -EINVAL;
		}
		if (r.first > r.last) {
			*why = "a range must go from the lower port to the higher";
			return -EINVAL;
		}
	} else {
		*why = "expected a port, a service name or a range like 8000-8100";
		return -EINVAL;
	}
	struct tcpt_port_range *slot = append_slot((const void **)list, count, sizeof(r));
	if (!slot)
		return -ENOMEM;
	*slot = r;
	return 0;
}

static int append_prefix(struct tcpt_prefix **list, size_t *count, const struct tcpt_prefix *p)
{
	struct tcpt_prefix *slot = append_slot((const void **)list, count, sizeof(*p));
	if (!slot)
		return -ENOMEM;
	*slot = *p;
	return 0;
}

/* Every address of host NAME. */
static int add_host_item(const struct filter_args *a, struct tcpt_prefix **list, size_t *count,
			 const char *name, const char **why)
{
	struct tcpt_prefix found[FILTER_MAX_HOST_ADDRS];
	int n = a->resolve(a->resolve_ctx, name, found, FILTER_MAX_HOST_ADDRS);
	if (n == -ENOMEM)
		return n;
	if (n <= 0) {
		*why = n == -ETIMEDOUT ? "the host name did not resolve in time"
				       : "not an address, and no host of that name has one";
		return -EINVAL;
	}
	for (int i = 0; i < n; i++)
		if (append_prefix(list, count, &found[i]) < 0)
			return -ENOMEM;
	return 0;
}

static int add_addr_item(const struct filter_args *a, struct tcpt_prefix **list, size_t *count,
			 char *item, const char **why)
{
	*why = "expected an IPv4 or IPv6 address, optionally /prefix-length";
	struct tcpt_prefix p = {0};
	if (a->resolve && !strpbrk(item, "/:[]") && inet_pton(AF_INET, item, p.addr) != 1)
		return add_host_item(a, list, count, item, why);
	char *slash = strchr(item, '/');
	if (slash)
		*slash = '\0';
	size_t len = strlen(item);
	if (len >= 2 && item[0] == '[' && item[len - 1] == ']') {
		item[len - 1] = '\0';
		item++;
	}
	if (inet_pton(AF_INET, item, p.addr) == 1)
		p.family = AF_INET;
	else if (inet_pton(AF_INET6, item, p.addr) == 1)
		p.family = AF_INET6;
	else
		return -EINVAL;
	unsigned long bits = p.family == AF_INET ? 32 : 128;
	if (slash && !parse_unsigned(slash + 1, p.family == AF_INET ? 32 : 128, &bits)) {
		*why = "prefix length out of range (0-32 for IPv4, 0-128 for IPv6)";
		return -EINVAL;
	}
	p.bits = (uint8_t)bits;
	return append_prefix(list, count, &p);
}

static int add_uid_item(struct filter_args *a, const char *item, const char **why)
{
	unsigned long v;
	if (!parse_unsigned(item, UINT32_MAX - 1, &v)) {
		struct passwd pw, *found = NULL;
		char buf[4096];
		if (getpwnam_r(item, &pw, buf, sizeof(buf), &found) != 0 || !found) {
			*why = "no such user";
			return -EINVAL;
		}
		v = found->pw_uid;
	}
	uint32_t *slot = append_slot((const void **)&a->filter.uids, &a->filter.uid_count,
				     sizeof(*slot));
	if (!slot)
		return -ENOMEM;
	*slot = (uint32_t)v;
	return 0;
}

static int add_pid_item(struct filter_args *a, const char *item, const char **why)
{
	unsigned long v;
	if (!parse_unsigned(item, INT32_MAX, &v) || v == 0) {
		*why = "expected a process id";
		return -EINVAL;
	}
	int32_t *slot = append_slot((const void **)&a->filter.pids, &a->filter.pid_count,
				    sizeof(*slot));
	if (!slot)
		return -ENOMEM;
	*slot = (int32_t)v;
	return 0;
}

/* Names are copied into one buffer; the pointers are rebuilt after each append because the
 * buffer may move. */
static int add_name_item(struct filter_args *a, const char *item, const char **why)
{
	size_t len = strlen(item);
	if (len > 15) {
		*why = "process names (comm) are at most 15 bytes";
		return -EINVAL;
	}
	if (a->names_len + len + 1 > a->names_cap) {
		size_t cap = (a->names_cap + len + 1) * 2;
		char *bigger = realloc(a->names_storage, cap);
		if (!bigger)
			return -ENOMEM;
		a->names_storage = bigger;
		a->names_cap = cap;
	}
	memcpy(a->names_storage + a->names_len, item, len + 1);
	a->names_len += len + 1;
	if (!append_slot((const void **)&a->filter.names, &a->filter.name_count,
			 sizeof(const char *)))
		return -ENOMEM;
	const char **names = (const char **)a->filter.names;
	const char *p = a->names_storage;
	for (size_t i = 0; i < a->filter.name_count; i++, p += strlen(p) + 1)
		names[i] = p;
	return 0;
}

/* --- states ---------------------------------------------------------------------------------- */

#define BIT(s) TCPT_STATE_BIT(TCPT_##s)

int64_t state_mask_from_name(const char *name)
{
	static const struct {
		const char *name;
		uint32_t mask;
	} groups[] = {
		{"all", TCPT_STATES_ALL},
		{"connected", TCPT_STATES_ALL & ~(BIT(LISTEN) | BIT(CLOSE))},
		{"synchronized", TCPT_STATES_ALL & ~(BIT(LISTEN) | BIT(CLOSE) | BIT(SYN_SENT))},
		{"bucket", BIT(SYN_RECV) | BIT(TIME_WAIT)},
		{"big", TCPT_STATES_ALL & ~(BIT(SYN_RECV) | BIT(TIME_WAIT))},
		{"listening", BIT(LISTEN)},
		/* ss's other spellings of single states */
		{"closed", BIT(CLOSE)},
		{"unconnected", BIT(CLOSE)},
		{"syn-rcv", BIT(SYN_RECV)},
	};
	for (size_t i = 0; i < sizeof(groups) / sizeof(groups[0]); i++)
		if (strcasecmp(name, groups[i].name) == 0)
			return groups[i].mask;
	int s = tcpt_state_from_name(name);
	if (s < 0)
		return -EINVAL;
	return TCPT_STATE_BIT((unsigned)s);
}

static int add_state_item(struct filter_args *a, const char *item, const char **why)
{
	int64_t mask = state_mask_from_name(item);
	if (mask < 0) {
		*why = "unknown state (see tcptable --help)";
		return -EINVAL;
	}
	a->states |= (uint32_t)mask;
	return 0;
}

/* --- the list ---------------------------------------------------------------------------- */

static int add_item(struct filter_args *a, enum filter_list list, char *item, const char **why)
{
	struct tcpt_filter *f = &a->filter;
	switch (list) {
	case FILTER_LOCAL_PORTS:
		return add_port_item((struct tcpt_port_range **)&f->local_ports,
				     &f->local_port_count, item, why);
	case FILTER_REMOTE_PORTS:
		return add_port_item((struct tcpt_port_range **)&f->remote_ports,
				     &f->remote_port_count, item, why);
	case FILTER_PORTS:
		return add_port_item((struct tcpt_port_range **)&f->ports, &f->port_count, item,
				     why);
	case FILTER_LOCAL_ADDRS:
		return add_addr_item(a, (struct tcpt_prefix **)&f->local_addrs,
				     &f->local_addr_count, item, why);
	case FILTER_REMOTE_ADDRS:
		return add_addr_item(a, (struct tcpt_prefix **)&f->remote_addrs,
				     &f->remote_addr_count, item, why);
	case FILTER_UIDS:
		return add_uid_item(a, item, why);
	case FILTER_PIDS:
		return add_pid_item(a, item, why);
	case FILTER_NAMES:
		return add_name_item(a, item, why);
	case FILTER_STATES:
		return add_state_item(a, item, why);
	}
	*why = "unknown list";
	return -EINVAL;
}

int filter_args_add(struct filter_args *a, enum filter_list list, const char *value,
		    const char **ret_reason)
{
	const char *p = value;
	do {
		const char *comma = strchr(p, ',');
		size_t len = comma ? (size_t)(comma - p) : strlen(p);
		if (len == 0 || len >= MAX_ITEM) {
			*ret_reason = len ? "item too long" : "empty item in the list";
			return -EINVAL;
		}
		char item[MAX_ITEM];
		memcpy(item, p, len);
		item[len] = '\0';
		int r = add_item(a, list, item, ret_reason);
		if (r < 0)
			return r;
		p = comma ? comma + 1 : NULL;
	} while (p);
	return 0;
}

int filter_args_any(const struct filter_args *a)
{
	const struct tcpt_filter *f = &a->filter;
	return a->states || a->expr.has_states || a->expr.count || f->local_port_count || f->remote_port_count || f->port_count ||
	       f->local_addr_count || f->remote_addr_count || f->uid_count || f->pid_count ||
	       f->name_count;
}

void filter_args_free(struct filter_args *a)
{
	free((void *)a->filter.local_ports);
	free((void *)a->filter.remote_ports);
	free((void *)a->filter.ports);
	free((void *)a->filter.local_addrs);
	free((void *)a->filter.remote_addrs);
	free((void *)a->filter.uids);
	free((void *)a->filter.pids);
	free((void *)a->filter.names);
	free(a->names_storage);
	filter_expr_free(&a->expr);
	*a = (struct filter_args){0};
}
