/* procnet.c - the /proc/net/{tcp,udp}{,6} source, for kernels or sandboxes without sock_diag. */
#include "procnet.h"

#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* A cursor over one line; every step checks the end, so a line need not be NUL-terminated. */
struct cursor {
	const char *p;
	const char *end;
};

static void skip_spaces(struct cursor *c)
{
	while (c->p < c->end && *c->p == ' ')
		c->p++;
}

static bool expect_char(struct cursor *c, char ch)
{
	if (c->p >= c->end || *c->p != ch)
		return false;
	c->p++;
	return true;
}

static int hex_digit(char ch)
{
	if (ch >= '0' && ch <= '9')
		return ch - '0';
	if (ch >= 'A' && ch <= 'F')
		return ch - 'A' + 10;
	if (ch >= 'a' && ch <= 'f')
		return ch - 'a' + 10;
	return -1;
}

/* Exactly WIDTH hex digits (WIDTH <= 16), or, with WIDTH 0, one to 16 of them. */
static bool parse_hex(struct cursor *c, size_t width, uint64_t *ret)
{
	uint64_t v = 0;
	size_t n = 0;
	size_t max = width ? width : 16;
	while (n < max && c->p < c->end) {
		int d = hex_digit(*c->p);
		if (d < 0)
			break;
		v = v << 4 | (uint64_t)d;
		c->p++;
		n++;
	}
	if (n == 0 || (width && n != width))
		return false;
	if (!width && c->p < c->end && hex_digit(*c->p) >= 0)
		return false; /* more than 64 bits */
	*ret = v;
	return true;
}

/* A decimal number that fits in MAX, after optional spaces. */
static bool parse_dec(struct cursor *c, uint64_t max, uint64_t *ret)
{
	skip_spaces(c);
	uint64_t v = 0;
	size_t n = 0;
	while (c->p < c->end && *c->p >= '0' && *c->p <= '9') {
		unsigned d = (unsigned)(*c->p - '0');
		if (v > (max - d) / 10)
			return false;
		v = v * 10 + d;
		c->p++;
		n++;
	}
	*ret = v;
	return n > 0;
}

/* The kernel prints each 32-bit word of the address as the host-order value of its raw bytes
 * (%08X of a __be32), so storing the parsed word back in host order restores network order. */
static bool parse_address(struct cursor *c, int family, uint8_t addr[16])
{
	size_t words = family == AF_INET ? 1 : 4;
	memset(addr, 0, 16);
	for (size_t i = 0; i < words; i++) {
		uint64_t w;
		if (!parse_hex(c, 8, &w))
			return false;
		uint32_t w32 = (uint32_t)w;
		memcpy(addr + 4 * i, &w32, sizeof(w32));
	}
	return true;
}

static bool parse_endpoint(struct cursor *c, int family, uint8_t addr[16], uint16_t *port)
{
	uint64_t p;
	skip_spaces(c);
	if (!parse_address(c, family, addr) || !expect_char(c, ':') || !parse_hex(c, 4, &p))
		return false;
	*port = (uint16_t)p;
	return true;
}

static bool is_header(const char *line, size_t len)
{
	struct cursor c = {line, line + len};
	skip_spaces(&c);
	return c.end - c.p >= 2 && c.p[0] == 's' && c.p[1] == 'l';
}

/* Netlink reports the probe count, not the retransmit count, for keepalive and persist
 * timers; /proc prints that count in the "timeout" column. */
static uint8_t retransmits_as_netlink(uint64_t timer, uint64_t retrnsmt, uint64_t probes)
{
	uint64_t v = 0;
	if (timer == TCPT_TIMER_RETRANSMIT)
		v = retrnsmt;
	else if (timer == TCPT_TIMER_KEEPALIVE || timer == TCPT_TIMER_PERSIST)
		v = probes;
	return v > UINT8_MAX ? UINT8_MAX : (uint8_t)v;
}

/* The clock_t ticks of "tm->when" in milliseconds (USER_HZ is 100 on every architecture). */
static uint32_t ticks_to_ms(uint64_t ticks)
{
	uint64_t ms = ticks * 10;
	return ticks > UINT32_MAX / 10 ? UINT32_MAX : (uint32_t)ms;
}

static bool parse_fields(struct cursor *c, int family, struct tcpt_conn *row)
{
	uint64_t slot, state, tx, rx, timer, when, retrnsmt, uid, probes, inode;
	if (!parse_dec(c, UINT64_MAX, &slot) || !expect_char(c, ':'))
		return false;
	if (!parse_endpoint(c, family, row->local_addr, &row->local_port) ||
	    !parse_endpoint(c, family, row->remote_addr, &row->remote_port))
		return false;
	skip_spaces(c);
	if (!parse_hex(c, 2, &state) || state == 0 || state > TCPT_STATE_MAX)
		return false;
	skip_spaces(c);
	if (!parse_hex(c, 8, &tx) || !expect_char(c, ':') || !parse_hex(c, 8, &rx))
		return false;
	skip_spaces(c);
	if (!parse_hex(c, 2, &timer) || timer > TCPT_TIMER_PERSIST || !expect_char(c, ':') ||
	    !parse_hex(c, 0, &when))
		return false;
	skip_spaces(c);
	if (!parse_hex(c, 0, &retrnsmt) || !parse_dec(c, UINT32_MAX, &uid) ||
	    !parse_dec(c, UINT64_MAX, &probes) || !parse_dec(c, UINT64_MAX, &inode))
		return false;
	if (c->p < c->end && *c->p != ' ')
		return false;
	row->family = (uint8_t)family;
	row->state = (uint8_t)(state == TCPT_NEW_SYN_RECV ? TCPT_SYN_RECV : state);
	row->wqueue = (uint32_t)tx;
	row->rqueue = (uint32_t)rx;
	row->timer = (uint8_t)timer;
	row->timer_expires_ms = timer ? ticks_to_ms(when) : 0;
	row->retransmits = retransmits_as_netlink(timer, retrnsmt, probes);
	row->uid = (uint32_t)uid;
	row->inode = inode;
	return true;
}

int procnet_parse_line(const char *line, size_t len, int family, struct tcpt_conn *ret_row)
{
	return procnet_parse_line_proto(line, len, TCPT_PROTO_NUMBER_TCP, family, ret_row);
}

int procnet_parse_line_proto(const char *line, size_t len, uint8_t protocol, int family,
			     struct tcpt_conn *ret_row)
{
	if ((family != AF_INET && family != AF_INET6) ||
	    (protocol != TCPT_PROTO_NUMBER_TCP && protocol != TCPT_PROTO_NUMBER_UDP))
		return -EINVAL;
	if (is_header(line, len))
		return 1;
	struct cursor c = {line, line + len};
	struct tcpt_conn row = {0};
	if (!parse_fields(&c, family, &row))
		return -EBADMSG;
	row.protocol = protocol;
	*ret_row = row;
	return 0;
}

int procnet_parse_text(const char *text, size_t len, int family, uint32_t states,
		       struct rowvec *rows)
{
	return procnet_parse_text_proto(text, len, TCPT_PROTO_NUMBER_TCP, family, states, rows);
}

int procnet_parse_text_proto(const char *text, size_t len, uint8_t protocol, int family,
			     uint32_t states, struct rowvec *rows)
{
	const char *p = text, *end = text + len;
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *eol = nl ? nl : end;
		struct tcpt_conn row;
		int r = procnet_parse_line_proto(p, (size_t)(eol - p), protocol, family, &row);
		if (r < 0)
			return r;
		if (r == 0 && (states & TCPT_STATE_BIT(row.state))) {
			struct tcpt_conn *slot;
			if (rowvec_push(rows, &slot) < 0)
				return -ENOMEM;
			*slot = row;
		}
		p = eol + 1;
	}
	return 0;
}

/* Read a whole /proc file. seq_file hands out at most a page per read(), so the loop is the
 * norm; one open keeps it one pass over the kernel's table. */
static int read_whole(const char *path, char **ret_text, size_t *ret_len)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	size_t cap = 65536, len = 0;
	char *text = malloc(cap);
	int err = text ? 0 : -ENOMEM;
	while (!err) {
		if (cap - len < 4096) {
			char *bigger = cap <= SIZE_MAX / 2 ? realloc(text, cap * 2) : NULL;
			if (!bigger) {
				err = -ENOMEM;
				break;
			}
			text = bigger;
			cap *= 2;
		}
		ssize_t n = read(fd, text + len, cap - len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			err = -errno;
		else if (n == 0)
			break;
		else
			len += (size_t)n;
	}
	close(fd);
	if (err) {
		free(text);
		return err;
	}
	*ret_text = text;
	*ret_len = len;
	return 0;
}

/* /proc/net follows the process's main thread; thread-self/net follows the calling thread,
 * which is the namespace the caller means (it may have called setns()). */
static int read_table(const char *name, char **ret_text, size_t *ret_len)
{
	char path[64];
	strcpy(path, "/proc/thread-self/net/");
	strcat(path, name);
	int r = read_whole(path, ret_text, ret_len);
	if (r == -ENOENT) {
		strcpy(path, "/proc/net/");
		strcat(path, name);
		r = read_whole(path, ret_text, ret_len);
	}
	return r;
}

static int collect_one(const char *name, uint8_t protocol, int family, uint32_t states,
		       struct rowvec *rows)
{
	char *text;
	size_t len;
	int r = read_table(name, &text, &len);
	if (r < 0)
		return r;
	r = procnet_parse_text_proto(text, len, protocol, family, states, rows);
	free(text);
	return r;
}

/* One protocol's two files: NAME ("tcp", "udp") and NAME6. */
static int collect_protocol(const char *name, uint8_t protocol, unsigned families,
			    uint32_t states, struct rowvec *rows)
{
	char file[32];
	int r = 0;
	if (families & TCPT_FAMILY_IPV4) {
		r = collect_one(name, protocol, AF_INET, states, rows);
		if (r < 0 && r != -ENOMEM && r != -EBADMSG)
			r = -ENOTSUP;
	}
	if (r == 0 && (families & TCPT_FAMILY_IPV6)) {
		snprintf(file, sizeof(file), "%s6", name);
		r = collect_one(file, protocol, AF_INET6, states, rows);
		snprintf(file, sizeof(file), "/proc/net/%s", name);
		if (r == -ENOENT && access(file, R_OK) == 0)
			r = 0; /* IPv6 disabled: no IPv6 sockets */
		else if (r < 0 && r != -ENOMEM && r != -EBADMSG)
			r = -ENOTSUP;
	}
	return r;
}

int procnet_collect(unsigned protocols, unsigned families, uint32_t states, struct rowvec *rows)
{
	size_t start = rows->count;
	if (!protocols)
		protocols = TCPT_PROTO_TCP;
	int r = 0;
	if (protocols & TCPT_PROTO_TCP)
		r = collect_protocol("tcp", TCPT_PROTO_NUMBER_TCP, families, states, rows);
	if (r == 0 && (protocols & TCPT_PROTO_UDP))
		r = collect_protocol("udp", TCPT_PROTO_NUMBER_UDP, families, states, rows);
	if (r < 0)
		rows->count = start;
	return r;
}

/* "TCP: inuse 200018 orphan 0 tw 1000 alloc 200020 mem 3": the value after KEY. */
static bool sockstat_value(const char *line, const char *key, size_t *ret)
{
	const char *p = strstr(line, key);
	if (!p)
		return false;
	struct cursor c = {p + strlen(key), line + strlen(line)};
	uint64_t v;
	if (!parse_dec(&c, SIZE_MAX, &v))
		return false;
	*ret = (size_t)v;
	return true;
}

/* The "UDP: inuse N" sockets of the same file (IPv4 ones: sockstat6 counts IPv6). */
static size_t sockstat_udp(const char *text)
{
	const char *udp = strstr(text, "\nUDP: ");
	size_t inuse;
	return udp && sockstat_value(udp, " inuse ", &inuse) ? inuse : 0;
}

int procnet_count_sockets(unsigned protocols, size_t *ret_count)
{
	char *text;
	size_t len;
	int r = read_table("sockstat", &text, &len);
	if (r < 0)
		return r;
	text[len < 65535 ? len : 65535] = '\0';
	const char *tcp = strstr(text, "\nTCP: ");
	size_t inuse, tw;
	r = tcp && sockstat_value(tcp, " inuse ", &inuse) && sockstat_value(tcp, " tw ", &tw)
		    ? 0
		    : -EBADMSG;
	size_t count = 0;
	if (r == 0 && (!protocols || (protocols & TCPT_PROTO_TCP)))
		count += inuse + tw;
	if (r == 0 && (protocols & TCPT_PROTO_UDP))
		count += sockstat_udp(text);
	free(text);
	if (r == 0)
		*ret_count = count;
	return r;
}
