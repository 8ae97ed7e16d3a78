/* udp_stats.c - tcpt_udp_stats_read(): the "Udp:" lines of /proc/net/snmp (IPv4) and the
 * "Udp6..." lines of /proc/net/snmp6 (IPv6). */
#include <errno.h>
#include <inttypes.h>
#include <netinet/in.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "stats.h"

/* snmp6 is ~10 KB; snmp ~1.6 KB. */
#define UDP_FILE_MAX 65536

enum { U_IN, U_NO_PORTS, U_IN_ERRORS, U_OUT, U_RCVBUF, U_SNDBUF, U_CSUM, U_MULTI, U_MEM,
       U_COUNT, U_REQUIRED = U_OUT + 1 };

static const char *const udp_names[U_COUNT] = {
	"InDatagrams", "NoPorts", "InErrors", "OutDatagrams", "RcvbufErrors", "SndbufErrors",
	"InCsumErrors", "IgnoredMulti", "MemErrors",
};

struct udp_counters {
	uint64_t value[U_COUNT];
	bool seen[U_COUNT];
};

/* An unsigned decimal of N bytes at P. */
static bool parse_u64(const char *p, size_t n, uint64_t *ret)
{
	if (n == 0 || n > 20)
		return false;
	uint64_t v = 0;
	for (size_t i = 0; i < n; i++) {
		if (p[i] < '0' || p[i] > '9')
			return false;
		unsigned d = (unsigned)(p[i] - '0');
		if (v > (UINT64_MAX - d) / 10)
			return false;
		v = v * 10 + d;
	}
	*ret = v;
	return true;
}

/* Store VALUE under the counter NAME (N bytes), if it is one of ours. */
static void store_named(struct udp_counters *c, const char *name, size_t n, uint64_t value)
{
	for (int k = 0; k < U_COUNT; k++)
		if (strlen(udp_names[k]) == n && memcmp(udp_names[k], name, n) == 0) {
			c->value[k] = value;
			c->seen[k] = true;
		}
}

/* The next space- or tab-separated word of [*p, end), or false. */
static bool next_word(const char **p, const char *end, const char **ret, size_t *ret_len)
{
	while (*p < end && (**p == ' ' || **p == '\t'))
		(*p)++;
	if (*p == end)
		return false;
	const char *start = *p;
	while (*p < end && **p != ' ' && **p != '\t')
		(*p)++;
	*ret = start;
	*ret_len = (size_t)(*p - start);
	return true;
}

/* "Udp: InDatagrams NoPorts ..." then "Udp: 209 0 ...": names and values paired in order. */
static int parse_snmp(const char *text, size_t len, struct udp_counters *c)
{
	const char *head, *vals;
	size_t head_len, vals_len, pos = 0;
	if (!stats_next_line(text, len, "Udp:", &pos, &head, &head_len))
		return -ENOTSUP;
	if (!stats_next_line(text, len, "Udp:", &pos, &vals, &vals_len))
		return -EBADMSG;
	const char *hp = head, *he = head + head_len, *vp = vals, *ve = vals + vals_len;
	const char *name, *value;
	size_t nlen, vlen;
	while (next_word(&hp, he, &name, &nlen)) {
		uint64_t v;
		if (!next_word(&vp, ve, &value, &vlen) || !parse_u64(value, vlen, &v))
			return -EBADMSG;
		store_named(c, name, nlen, v);
	}
	return next_word(&vp, ve, &value, &vlen) ? -EBADMSG : 0;
}

/* "Udp6InDatagrams   0", one counter per line. */
static int parse_snmp6(const char *text, size_t len, struct udp_counters *c)
{
	const char *line;
	size_t line_len, pos = 0;
	bool any = false;
	while (stats_next_line(text, len, "Udp6", &pos, &line, &line_len)) {
		const char *p = line, *end = line + line_len, *name, *value;
		size_t nlen, vlen;
		uint64_t v;
		if (!next_word(&p, end, &name, &nlen) || !next_word(&p, end, &value, &vlen) ||
		    !parse_u64(value, vlen, &v))
			return -EBADMSG;
		store_named(c, name, nlen, v);
		any = true;
	}
	return any ? 0 : -ENOTSUP;
}

int stats_parse_udp(const char *text, size_t len, int family, struct tcpt_udp_stats *ret)
{
	struct udp_counters c = {0};
	int r = family == AF_INET6 ? parse_snmp6(text, len, &c) : parse_snmp(text, len, &c);
	if (r < 0)
		return r;
	for (int k = 0; k < U_REQUIRED; k++)
		if (!c.seen[k])
			return -EBADMSG;
	*ret = (struct tcpt_udp_stats){
		.in_datagrams = c.value[U_IN],
		.no_ports = c.value[U_NO_PORTS],
		.in_errors = c.value[U_IN_ERRORS],
		.out_datagrams = c.value[U_OUT],
		.rcvbuf_errors = c.value[U_RCVBUF],
		.sndbuf_errors = c.value[U_SNDBUF],
		.in_csum_errors = c.value[U_CSUM],
		.ignored_multi = c.value[U_MULTI],
		.mem_errors = c.value[U_MEM],
	};
	return 0;
}

TCPT_EXPORT int tcpt_udp_stats_read(int family, struct tcpt_udp_stats *ret_stats)
{
	if (!ret_stats || (family != AF_INET && family != AF_INET6))
		return -EINVAL;
	char *buf = malloc(UDP_FILE_MAX);
	if (!buf)
		return -ENOMEM;
	ssize_t len = stats_read_net_file(family == AF_INET ? "snmp" : "snmp6", buf, UDP_FILE_MAX);
	int r = len < 0 ? -ENOTSUP : 0;
	struct tcpt_udp_stats s;
	if (r == 0)
		r = stats_parse_udp(buf, (size_t)len, family, &s);
	free(buf);
	if (r == 0)
		*ret_stats = s;
	return r;
}
