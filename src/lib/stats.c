/* stats.c - tcpt_stats_read(): the "Tcp:" lines of /proc/net/snmp; the reading and line
 * matching that udp_stats.c shares. */
#include "stats.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Comfortably more than the ~1.6 KB the file has. */
#define SNMP_MAX 65536
#define MAX_FIELDS 32

struct line {
	const char *p;
	size_t len;
};

bool stats_next_line(const char *text, size_t len, const char *prefix, size_t *pos,
		     const char **ret_line, size_t *ret_len)
{
	size_t plen = strlen(prefix);
	while (*pos < len) {
		const char *s = text + *pos;
		const char *nl = memchr(s, '\n', len - *pos);
		size_t l = nl ? (size_t)(nl - s) : len - *pos;
		*pos += l + (nl ? 1 : 0);
		if (l >= plen && memcmp(s, prefix, plen) == 0) {
			*ret_line = s + plen;
			*ret_len = l - plen;
			return true;
		}
	}
	return false;
}

/* The next line starting with "Tcp:" at or after *pos; false when none is left. */
static bool next_tcp_line(const char *text, size_t len, size_t *pos, struct line *ret)
{
	return stats_next_line(text, len, "Tcp:", pos, &ret->p, &ret->len);
}

/* Split a line into space-separated words. Returns the count, or -1 for too many. */
static int split_words(struct line l, struct line *words, int max)
{
	int n = 0;
	size_t i = 0;
	while (i < l.len) {
		while (i < l.len && l.p[i] == ' ')
			i++;
		if (i == l.len)
			break;
		size_t start = i;
		while (i < l.len && l.p[i] != ' ')
			i++;
		if (n == max)
			return -1;
		words[n++] = (struct line){ l.p + start, i - start };
	}
	return n;
}

/* A decimal value, optionally negative (MaxConn is -1), into *ret. */
static bool parse_value(struct line w, int64_t *ret)
{
	char buf[32];
	if (w.len == 0 || w.len >= sizeof(buf))
		return false;
	memcpy(buf, w.p, w.len);
	buf[w.len] = '\0';
	char *end;
	errno = 0;
	long long v = strtoll(buf, &end, 10);
	if (errno || *end)
		return false;
	*ret = v;
	return true;
}

static bool word_is(struct line w, const char *name)
{
	return w.len == strlen(name) && memcmp(w.p, name, w.len) == 0;
}

/* Where each counter goes: the name in /proc/net/snmp, and whether RFC 4022 requires it. */
struct counter {
	const char *name;
	bool required;
	int64_t value;
	bool seen;
};

enum {
	C_RTO_ALG, C_RTO_MIN, C_RTO_MAX, C_MAX_CONN, C_ACTIVE, C_PASSIVE, C_FAILS, C_RESETS,
	C_ESTAB, C_IN, C_OUT, C_RETRANS, C_IN_ERRS, C_OUT_RSTS, C_CSUM, C_COUNT
};

static void init_counters(struct counter *c)
{
	static const char *const names[C_COUNT] = {
		"RtoAlgorithm", "RtoMin", "RtoMax", "MaxConn", "ActiveOpens", "PassiveOpens",
		"AttemptFails", "EstabResets", "CurrEstab", "InSegs", "OutSegs", "RetransSegs",
		"InErrs", "OutRsts", "InCsumErrors",
	};
	for (int i = 0; i < C_COUNT; i++)
		c[i] = (struct counter){ .name = names[i], .required = i != C_CSUM };
}

static int match_counters(const struct line *names, const struct line *values, int n,
			  struct counter *c)
{
	for (int i = 0; i < n; i++) {
		int64_t v;
		if (!parse_value(values[i], &v))
			return -EBADMSG;
		for (int k = 0; k < C_COUNT; k++) {
			if (word_is(names[i], c[k].name)) {
				c[k].value = v;
				c[k].seen = true;
			}
		}
	}
	for (int k = 0; k < C_COUNT; k++)
		if (c[k].required && !c[k].seen)
			return -EBADMSG;
	return 0;
}

static void store(const struct counter *c, struct tcpt_stats *ret)
{
	*ret = (struct tcpt_stats){
		.rto_algorithm = (uint32_t)c[C_RTO_ALG].value,
		.rto_min_ms = (uint32_t)c[C_RTO_MIN].value,
		.rto_max_ms = (uint32_t)c[C_RTO_MAX].value,
		.max_conn = (int32_t)c[C_MAX_CONN].value,
		.active_opens = (uint64_t)c[C_ACTIVE].value,
		.passive_opens = (uint64_t)c[C_PASSIVE].value,
		.attempt_fails = (uint64_t)c[C_FAILS].value,
		.estab_resets = (uint64_t)c[C_RESETS].value,
		.curr_estab = (uint64_t)c[C_ESTAB].value,
		.in_segs = (uint64_t)c[C_IN].value,
		.out_segs = (uint64_t)c[C_OUT].value,
		.retrans_segs = (uint64_t)c[C_RETRANS].value,
		.in_errs = (uint64_t)c[C_IN_ERRS].value,
		.out_rsts = (uint64_t)c[C_OUT_RSTS].value,
		.in_csum_errors = (uint64_t)c[C_CSUM].value,
	};
}

int stats_parse_snmp(const char *text, size_t len, struct tcpt_stats *ret)
{
	struct line head, vals, names[MAX_FIELDS], values[MAX_FIELDS];
	struct counter c[C_COUNT];
	size_t pos = 0;

	if (!next_tcp_line(text, len, &pos, &head))
		return -ENOTSUP;
	if (!next_tcp_line(text, len, &pos, &vals))
		return -EBADMSG;
	int n = split_words(head, names, MAX_FIELDS);
	int m = split_words(vals, values, MAX_FIELDS);
	if (n <= 0 || n != m)
		return -EBADMSG;
	init_counters(c);
	int r = match_counters(names, values, n, c);
	if (r < 0)
		return r;
	store(c, ret);
	return 0;
}

/* Read all of PATH into BUF (at most SIZE bytes). Returns the length or -errno. */
static ssize_t read_file(const char *path, char *buf, size_t size)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	size_t len = 0;
	while (len < size) {
		ssize_t r = read(fd, buf + len, size - len);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0) {
			int err = r < 0 ? -errno : 0;
			close(fd);
			return err < 0 ? err : (ssize_t)len;
		}
		len += (size_t)r;
	}
	close(fd);
	return (ssize_t)len;
}

ssize_t stats_read_net_file(const char *name, char *buf, size_t size)
{
	char path[64];
	/* thread-self: the calling thread's namespace, as the header promises (a thread may
	 * have entered another namespace with setns()); /proc/net before Linux 3.17. */
	snprintf(path, sizeof(path), "/proc/thread-self/net/%s", name);
	ssize_t len = read_file(path, buf, size);
	if (len == -ENOENT) {
		snprintf(path, sizeof(path), "/proc/net/%s", name);
		len = read_file(path, buf, size);
	}
	return len;
}

TCPT_EXPORT int tcpt_stats_read(struct tcpt_stats *ret_stats)
{
	if (!ret_stats)
		return -EINVAL;
	char *buf = malloc(SNMP_MAX);
	if (!buf)
		return -ENOMEM;
	ssize_t len = stats_read_net_file("snmp", buf, SNMP_MAX);
	int r = len < 0 ? -ENOTSUP : 0;
	struct tcpt_stats s;
	if (r == 0)
		r = stats_parse_snmp(buf, (size_t)len, &s);
	free(buf);
	if (r == 0)
		*ret_stats = s;
	return r;
}
