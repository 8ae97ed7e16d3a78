/*
 * floor_fmt - the format floor: the dump floor plus one text line per socket on stdout
 * (state, receive queue, send queue, local and remote address:port, as `ss -tan` shows).
 *
 * usage: floor_fmt [-m compat|family]
 * Digits and IPv4 addresses are formatted by hand into one large buffer written with few
 * write() calls: the least a text-producing tool can do. IPv6 goes through inet_ntop (its
 * zero compression is not worth re-writing for a floor; the benchmark's v6 rows are 1 %).
 */
#include "nldump.h"

#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#define OUT_SIZE (1u << 20)
#define LINE_MAX_LEN 160 /* longest line: two bracketed IPv6 addresses and ports */

struct out {
	size_t len;
	size_t rows;
	int error;
	char buf[OUT_SIZE];
};

static void flush(struct out *o)
{
	for (size_t off = 0; off < o->len;) {
		ssize_t n = write(STDOUT_FILENO, o->buf + off, o->len - off);
		if (n <= 0) {
			o->error = 1;
			break;
		}
		off += (size_t)n;
	}
	o->len = 0;
}

static char *put_u32(char *p, uint32_t v)
{
	char tmp[10];
	int n = 0;
	do
		tmp[n++] = (char)('0' + v % 10);
	while ((v /= 10) != 0);
	while (n)
		*p++ = tmp[--n];
	return p;
}

static char *put_str(char *p, const char *s)
{
	size_t n = strlen(s);
	memcpy(p, s, n);
	return p + n;
}

static char *put_endpoint(char *p, uint8_t family, const __be32 *addr, __be16 port)
{
	if (family == AF_INET) {
		const uint8_t *b = (const uint8_t *)addr;
		for (int i = 0; i < 4; i++) {
			p = put_u32(p, b[i]);
			*p++ = i < 3 ? '.' : ':';
		}
	} else {
		*p++ = '[';
		inet_ntop(AF_INET6, addr, p, INET6_ADDRSTRLEN);
		p += strlen(p);
		p = put_str(p, "]:");
	}
	return put_u32(p, ntohs(port));
}

static const char *state_name(uint8_t s)
{
	static const char *const names[] = {
		"UNKNOWN   ", "ESTAB     ", "SYN-SENT  ", "SYN-RECV  ", "FIN-WAIT-1",
		"FIN-WAIT-2", "TIME-WAIT ", "UNCONN    ", "CLOSE-WAIT", "LAST-ACK  ",
		"LISTEN    ", "CLOSING   ",
	};
	return s < sizeof(names) / sizeof(names[0]) ? names[s] : names[0];
}

static void format_row(const struct inet_diag_msg *m, void *ctx)
{
	struct out *o = ctx;
	if (OUT_SIZE - o->len < LINE_MAX_LEN)
		flush(o);
	char *p = o->buf + o->len;
	p = put_str(p, state_name(m->idiag_state));
	*p++ = ' ';
	p = put_u32(p, m->idiag_rqueue);
	*p++ = ' ';
	p = put_u32(p, m->idiag_wqueue);
	*p++ = ' ';
	p = put_endpoint(p, m->idiag_family, m->id.idiag_src, m->id.idiag_sport);
	*p++ = ' ';
	p = put_endpoint(p, m->idiag_family, m->id.idiag_dst, m->id.idiag_dport);
	*p++ = '\n';
	o->len = (size_t)(p - o->buf);
	o->rows++;
}

static struct out out; /* 1 MiB: static rather than on the stack */

int main(int argc, char **argv)
{
	enum nldump_mode mode = NLDUMP_COMPAT;
	int opt;
	while ((opt = getopt(argc, argv, "m:")) != -1) {
		if (opt == 'm' && nldump_parse_mode(optarg, &mode) == 0)
			continue;
		fprintf(stderr, "usage: floor_fmt [-m compat|family]\n");
		return 2;
	}
	int r = nldump_run(mode, 32768, format_row, &out);
	flush(&out);
	if (r < 0 || out.error) {
		fprintf(stderr, "floor_fmt: %s\n", r < 0 ? strerror(-r) : "write error");
		return 1;
	}
	return 0;
}
