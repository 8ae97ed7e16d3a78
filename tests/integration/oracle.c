/* oracle.c - parse `ss` output; canonical endpoint text. */
#include "oracle.h"

#include <arpa/inet.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "itest.h"
#include "netns.h"

int oracle_endpoint(const char *text, char *out, size_t size)
{
	char buf[128];
	if (strlen(text) >= sizeof buf)
		return -1;
	strcpy(buf, text);
	char *colon = strrchr(buf, ':');
	if (!colon)
		return -1;
	*colon = '\0';
	const char *port_text = colon + 1;
	char *end;
	unsigned long port = strtoul(port_text, &end, 10);
	if (strcmp(port_text, "*") == 0)
		port = 0;
	else if (!*port_text || *end || port > 65535)
		return -1;
	char *pct = strchr(buf, '%'); /* a zone: "[::1%lo]" (tcptable) or "[::1]%lo" (ss) */
	if (pct) {
		char *close = strchr(pct, ']');
		memmove(pct, close ? close : pct + strlen(pct), strlen(close ? close : pct) + 1);
	}
	char *addr = buf;
	size_t len = strlen(addr);
	if (len >= 2 && addr[0] == '[' && addr[len - 1] == ']') {
		addr[len - 1] = '\0';
		addr++;
	}
	if (strcmp(addr, "*") == 0)
		addr = "::";
	uint8_t bin[16];
	char canon[INET6_ADDRSTRLEN];
	int family = inet_pton(AF_INET, addr, bin) == 1 ? AF_INET
		     : inet_pton(AF_INET6, addr, bin) == 1 ? AF_INET6
							    : -1;
	if (family < 0 || !inet_ntop(family, bin, canon, sizeof canon))
		return -1;
	snprintf(out, size, family == AF_INET ? "%s:%lu" : "[%s]:%lu", canon, port);
	return family;
}

void oracle_endpoint_of(const struct tcpt_conn *c, bool remote, char *out, size_t size)
{
	char canon[INET6_ADDRSTRLEN] = "?";
	int family = c->family == AF_INET ? AF_INET : AF_INET6;
	inet_ntop(family, remote ? c->remote_addr : c->local_addr, canon, sizeof canon);
	snprintf(out, size, family == AF_INET ? "%s:%u" : "[%s]:%u", canon,
		 remote ? c->remote_port : c->local_port);
}

bool oracle_have_ss(void)
{
	char *out, *err;
	const char *argv[] = {"ss", "-V", NULL};
	return itest_run(argv, &out, &err) == 0;
}

void oracle_require_ss(void)
{
	if (oracle_have_ss())
		return;
	if (test_in_ci())
		fail_msg("ss (iproute2) cannot be run; under CI=true that is a failure");
	fprintf(stderr, "\n*** ss (iproute2) cannot be run: this test is SKIPPED.\n\n");
	skip();
}

static const char *ss_state(const char *s)
{
	if (strcmp(s, "ESTAB") == 0)
		return "ESTABLISHED";
	if (strcmp(s, "UNCONN") == 0)
		return "CLOSE";
	return s;
}

static int owner_order(const void *a, const void *b)
{
	const struct oracle_owner *x = a, *y = b;
	if (x->pid != y->pid)
		return (x->pid > y->pid) - (x->pid < y->pid);
	return (x->fd > y->fd) - (x->fd < y->fd);
}

/* users:(("name",pid=1,fd=3),("name",pid=2,fd=4)) */
static void parse_users(const char *tok, struct oracle_row *r)
{
	const char *p = tok;
	while ((p = strstr(p, "(\"")) && r->nowners < ORACLE_MAX_OWNERS) {
		p += 2;
		const char *q = strstr(p, "\",pid=");
		if (!q)
			break;
		struct oracle_owner *o = &r->owners[r->nowners];
		snprintf(o->name, sizeof o->name, "%.*s", (int)(q - p), p);
		if (sscanf(q, "\",pid=%d,fd=%d)", &o->pid, &o->fd) == 2)
			r->nowners++;
		p = q;
	}
	qsort(r->owners, r->nowners, sizeof r->owners[0], owner_order);
}

static bool parse_line(char *line, struct oracle_row *r)
{
	char *save = NULL, *tok[5];
	memset(r, 0, sizeof *r);
	for (int i = 0; i < 5; i++)
		if (!(tok[i] = strtok_r(i ? NULL : line, " \t", &save)))
			return false;
	snprintf(r->state, sizeof r->state, "%s", ss_state(tok[0]));
	r->rqueue = (uint32_t)strtoul(tok[1], NULL, 10);
	r->wqueue = (uint32_t)strtoul(tok[2], NULL, 10);
	if (oracle_endpoint(tok[3], r->local, sizeof r->local) < 0 ||
	    oracle_endpoint(tok[4], r->remote, sizeof r->remote) < 0)
		return false;
	char *t;
	while ((t = strtok_r(NULL, " \t", &save))) {
		if (strncmp(t, "ino:", 4) == 0) {
			r->inode = strtoull(t + 4, NULL, 10);
			r->has_details = true;
		} else if (strncmp(t, "sk:", 3) == 0)
			r->cookie = strtoull(t + 3, NULL, 16);
		else if (strncmp(t, "uid:", 4) == 0)
			r->uid = (uint32_t)strtoul(t + 4, NULL, 10);
		else if (strncmp(t, "users:(", 7) == 0)
			parse_users(t, r);
	}
	return true;
}

size_t oracle_ss(struct oracle_row **ret_rows, const char *arg, ...)
{
	const char *argv[16] = {"ss"};
	size_t argc = 1;
	va_list ap;
	va_start(ap, arg);
	for (const char *a = arg; a && argc < 15; a = va_arg(ap, const char *))
		argv[argc++] = a;
	va_end(ap);
	argv[argc] = NULL;
	char *out, *err;
	int status = itest_run(argv, &out, &err);
	if (status != 0)
		fail_msg("ss exited with %d: %s", status, err);
	size_t cap = 64, n = 0;
	struct oracle_row *rows = itest_keep(calloc(cap, sizeof *rows));
	char *save = NULL;
	bool header = true;
	for (char *line = strtok_r(out, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		if (header) { /* "State Recv-Q Send-Q Local Address:Port ..." */
			header = false;
			continue;
		}
		if (n == cap)
			fail_msg("ss printed more than %zu sockets", cap);
		char copy[4096];
		snprintf(copy, sizeof copy, "%s", line);
		if (!parse_line(copy, &rows[n]))
			fail_msg("cannot parse this line of ss: %s", line);
		n++;
	}
	*ret_rows = rows;
	return n;
}
