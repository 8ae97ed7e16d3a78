/* fixture.c - see fixture.h. */
#include "fixture.h"

#include <arpa/inet.h>
#include <errno.h>
#include <inttypes.h>
#include <libmnl/libmnl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include <cmocka.h>

#ifndef FIXTURE_DIR
#error "FIXTURE_DIR must be defined by the build"
#endif

static void die(const char *what, const char *name)
{
	fprintf(stderr, "fixture: %s %s: %s\n", what, name, strerror(errno));
	abort();
}

char *fixture_read(const char *name, size_t *ret_len)
{
	char path[4096];
	snprintf(path, sizeof(path), "%s/%s", FIXTURE_DIR, name);
	FILE *f = fopen(path, "rb");
	if (!f)
		die("cannot open", path);
	size_t cap = 4096, len = 0;
	char *buf = malloc(cap);
	size_t n;
	while (buf && (n = fread(buf + len, 1, cap - len - 1, f)) > 0) {
		len += n;
		if (cap - len < 2) {
			cap *= 2;
			buf = realloc(buf, cap);
		}
	}
	if (!buf || ferror(f))
		die("cannot read", path);
	fclose(f);
	buf[len] = 0;
	*ret_len = len;
	return buf;
}

void nl_recording_load(const char *name, struct nl_recording *ret)
{
	size_t len;
	uint8_t *file = (uint8_t *)fixture_read(name, &len);
	memset(ret, 0, sizeof(*ret));
	for (size_t off = 0; off < len;) {
		if (len - off < 4)
			die("truncated length in", name);
		size_t n = (size_t)file[off] | (size_t)file[off + 1] << 8 |
			   (size_t)file[off + 2] << 16 | (size_t)file[off + 3] << 24;
		off += 4;
		if (n > len - off)
			die("truncated datagram in", name);
		ret->data = realloc(ret->data, (ret->count + 1) * sizeof(*ret->data));
		ret->len = realloc(ret->len, (ret->count + 1) * sizeof(*ret->len));
		if (!ret->data || !ret->len)
			die("out of memory for", name);
		ret->data[ret->count] = malloc(n);
		memcpy(ret->data[ret->count], file + off, n);
		ret->len[ret->count++] = n;
		off += n;
	}
	free(file);
}

void nl_recording_free(struct nl_recording *rec)
{
	for (size_t i = 0; i < rec->count; i++)
		free(rec->data[i]);
	free(rec->data);
	free(rec->len);
	memset(rec, 0, sizeof(*rec));
}

static int parse_expected_line(const char *line, struct expected_row *e)
{
	char fam[8], la[64], ra[64];
	unsigned state, lport, rport, scope, uid, rq, wq, timer, retrans, expires;
	unsigned long long inode, cookie, cgroup;
	memset(e, 0, sizeof(*e));
	int n = sscanf(line, "%15s %63s %7s %u %*s %63s %u %63s %u %u %u %llu %llu %llu %u %u %u %u %u",
		       e->source, e->id, fam, &state, la, &lport, ra, &rport, &scope, &uid, &inode,
		       &cookie, &cgroup, &rq, &wq, &timer, &retrans, &expires);
	if (n != 18)
		return -1;
	struct tcpt_conn *r = &e->row;
	r->family = strcmp(fam, "inet") == 0 ? AF_INET : AF_INET6;
	if (inet_pton(r->family, la, r->local_addr) != 1 ||
	    inet_pton(r->family, ra, r->remote_addr) != 1)
		return -1;
	r->state = (uint8_t)state;
	r->local_port = (uint16_t)lport;
	r->remote_port = (uint16_t)rport;
	r->scope_id = scope;
	r->uid = uid;
	r->inode = inode;
	r->cookie = cookie;
	r->cgroup_id = cgroup;
	r->rqueue = rq;
	r->wqueue = wq;
	r->timer = (uint8_t)timer;
	r->retransmits = (uint8_t)retrans;
	r->timer_expires_ms = expires;
	return 0;
}

struct expected_row *expected_rows(const char *source, size_t *ret_n)
{
	size_t len;
	char *text = fixture_read("expected-rows.txt", &len);
	struct expected_row *rows = NULL;
	size_t n = 0;
	char *save = NULL;
	for (char *line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		if (line[0] == '#' || line[0] == 0)
			continue;
		struct expected_row e;
		if (parse_expected_line(line, &e) < 0)
			die("bad line in expected-rows.txt:", line);
		if (strcmp(e.source, source) != 0)
			continue;
		rows = realloc(rows, (n + 1) * sizeof(*rows));
		if (!rows)
			die("out of memory", "");
		rows[n++] = e;
	}
	free(text);
	if (n == 0) {
		errno = ENOENT;
		die("no expected rows for", source);
	}
	*ret_n = n;
	return rows;
}

const struct expected_row *expected_find(const struct expected_row *rows, size_t n,
					 const char *id)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(rows[i].id, id) == 0)
			return &rows[i];
	return NULL;
}

static void addr_text(const struct tcpt_conn *c, const uint8_t *a, char *out, size_t len)
{
	if (c->family == AF_INET || c->family == AF_INET6)
		inet_ntop(c->family, a, out, (socklen_t)len);
	else
		snprintf(out, len, "(family %u)", c->family);
}

void assert_conn_equal(const struct tcpt_conn *want, const struct tcpt_conn *got,
		       const char *what)
{
	int bad = 0;
#define FIELD(f)                                                                         \
	do {                                                                             \
		if ((uint64_t)want->f != (uint64_t)got->f) {                             \
			print_error("%s: " #f ": expected %" PRIu64 ", got %" PRIu64 "\n", what, \
				    (uint64_t)want->f, (uint64_t)got->f);               \
			bad++;                                                           \
		}                                                                        \
	} while (0)
	FIELD(family);
	FIELD(state);
	FIELD(timer);
	FIELD(retransmits);
	FIELD(local_port);
	FIELD(remote_port);
	FIELD(scope_id);
	FIELD(uid);
	FIELD(rqueue);
	FIELD(wqueue);
	FIELD(timer_expires_ms);
	FIELD(owner_count);
	FIELD(inode);
	FIELD(cookie);
	FIELD(cgroup_id);
#undef FIELD
	char a[64], b[64];
	if (memcmp(want->local_addr, got->local_addr, 16) != 0) {
		addr_text(want, want->local_addr, a, sizeof(a));
		addr_text(got, got->local_addr, b, sizeof(b));
		print_error("%s: local_addr: expected %s, got %s\n", what, a, b);
		bad++;
	}
	if (memcmp(want->remote_addr, got->remote_addr, 16) != 0) {
		addr_text(want, want->remote_addr, a, sizeof(a));
		addr_text(got, got->remote_addr, b, sizeof(b));
		print_error("%s: remote_addr: expected %s, got %s\n", what, a, b);
		bad++;
	}
	if (got->owners != NULL) {
		print_error("%s: owners: expected NULL\n", what);
		bad++;
	}
	if (bad)
		fail_msg("%s: %d fields differ", what, bad);
}

/* ---- the replaying transport ----------------------------------------------------------- */

static struct fake_step *current(struct fake *f)
{
	int i = f->step < f->nsteps ? f->step : f->nsteps - 1;
	return &f->steps[i];
}

static int fake_open(void *ctx, uint32_t *portid)
{
	struct fake *f = ctx;
	if (f->open_now)
		fail_msg("open() while a channel is open");
	if (f->nsteps == 0)
		fail_msg("fake transport has no steps");
	f->step = f->opens++;
	f->open_now = true;
	f->pos = 0;
	f->error_sent = false;
	*portid = f->portid;
	return 0;
}

static int fake_send(void *ctx, const void *buf, size_t len)
{
	struct fake *f = ctx;
	if (!f->open_now)
		fail_msg("send() without open()");
	if (f->sends < FAKE_MAX_REQUESTS) {
		size_t n = len < sizeof(f->requests[0]) ? len : sizeof(f->requests[0]);
		memcpy(f->requests[f->sends], buf, n);
		f->request_len[f->sends] = len;
	}
	f->sends++;
	return 0;
}

static const struct nlmsghdr *last_request(const struct fake *f)
{
	int i = f->sends - 1 < FAKE_MAX_REQUESTS ? f->sends - 1 : FAKE_MAX_REQUESTS - 1;
	if (i < 0)
		fail_msg("recv() before any send()");
	return (const struct nlmsghdr *)f->requests[i];
}

static void patch(const struct fake *f, const struct fake_step *st, void *buf, size_t n,
		  bool intr)
{
	const struct nlmsghdr *req = last_request(f);
	char *p = buf;
	size_t left = n;
	/* lengths compared unsigned: a test may plant an absurd nlmsg_len, which libmnl's
	 * int comparison would follow out of the buffer */
	while (left >= sizeof(struct nlmsghdr)) {
		struct nlmsghdr *nlh = (void *)p;
		nlh->nlmsg_seq = req->nlmsg_seq + (uint32_t)st->seq_delta;
		nlh->nlmsg_pid = st->pid_override ? st->pid_override : f->portid;
		if (intr)
			nlh->nlmsg_flags |= NLM_F_DUMP_INTR;
		size_t step = NLMSG_ALIGN(nlh->nlmsg_len);
		if (nlh->nlmsg_len < sizeof(*nlh) || step >= left)
			break;
		p += step;
		left -= step;
	}
}

static ssize_t fake_recv(void *ctx, void *buf, size_t len)
{
	struct fake *f = ctx;
	struct fake_step *st = current(f);
	if (!f->open_now)
		fail_msg("recv() without open()");
	f->recvs++;
	size_t ndg = st->rec ? (st->error ? st->datagrams_before_error : st->rec->count) : 0;
	if (st->recv_error_at >= 0 && f->pos == (size_t)st->recv_error_at) {
		f->pos++;
		return st->recv_error;
	}
	if (f->pos < ndg) {
		size_t n = st->rec->len[f->pos];
		if (n > len)
			return -ENOSPC;
		memcpy(buf, st->rec->data[f->pos], n);
		patch(f, st, buf, n, st->intr_datagram >= 0 && f->pos == (size_t)st->intr_datagram);
		f->pos++;
		return (ssize_t)n;
	}
	if (st->error && !f->error_sent) {
		const struct nlmsghdr *req = last_request(f);
		struct nlmsghdr *nlh = buf;
		size_t n = MNL_NLMSG_HDRLEN + sizeof(struct nlmsgerr);
		if (n > len)
			return -ENOSPC;
		memset(buf, 0, n);
		nlh->nlmsg_len = (uint32_t)n;
		nlh->nlmsg_type = NLMSG_ERROR;
		struct nlmsgerr *e = mnl_nlmsg_get_payload(nlh);
		e->error = st->error;
		memcpy(&e->msg, req, sizeof(e->msg));
		patch(f, st, buf, n, false);
		f->error_sent = true;
		f->pos++;
		return (ssize_t)n;
	}
	fail_msg("recv() after the end of the replay (step %d, datagram %zu)", f->step, f->pos);
	return -EIO;
}

static void fake_close(void *ctx)
{
	struct fake *f = ctx;
	if (!f->open_now)
		fail_msg("close() without open()");
	f->open_now = false;
	f->closes++;
}

struct diag_transport fake_transport(struct fake *f)
{
	if (!f->portid)
		f->portid = 4242;
	return (struct diag_transport){
		.ctx = f, .open = fake_open, .send = fake_send, .recv = fake_recv, .close = fake_close,
	};
}

struct fake_step fake_clean(const struct nl_recording *rec)
{
	return (struct fake_step){.rec = rec, .intr_datagram = -1, .recv_error_at = -1};
}
