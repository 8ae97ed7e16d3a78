/* fixture.h - recorded kernel output for the unit tests: loading it, the expected rows, and
 * a diag_transport that replays recorded datagrams. See tests/fixtures/README.md. */
#ifndef TCPT_TEST_FIXTURE_H
#define TCPT_TEST_FIXTURE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "diag.h"
#include "tcptable.h"

/* Read tests/fixtures/NAME whole (NUL-terminated, the NUL not counted). Aborts on failure. */
char *fixture_read(const char *name, size_t *ret_len);

/* A recorded netlink answer: its datagrams, in order. */
struct nl_recording {
	size_t count;
	uint8_t **data;
	size_t *len;
};
void nl_recording_load(const char *name, struct nl_recording *ret);
void nl_recording_free(struct nl_recording *rec);

/* Rows of expected-rows.txt. */
struct expected_row {
	char source[16];
	char id[64];
	struct tcpt_conn row;
};
/* All rows of SOURCE ("diag-compat", "proc-tcp", ...), in order; *ret_n rows, free() it. */
struct expected_row *expected_rows(const char *source, size_t *ret_n);
/* The row named ID in SOURCE, or NULL. */
const struct expected_row *expected_find(const struct expected_row *rows, size_t n,
					 const char *id);

/* Compare every field; on a difference print "WHAT: field: expected X, got Y" and fail. */
void assert_conn_equal(const struct tcpt_conn *want, const struct tcpt_conn *got,
		       const char *what);

/* One answer the fake transport gives, per open(). */
struct fake_step {
	const struct nl_recording *rec; /* datagrams to replay (NULL: only ERROR) */
	int error;        /* != 0: answer with one NLMSG_ERROR carrying this (negative) errno
			     after DATAGRAMS_BEFORE_ERROR datagrams of rec */
	size_t datagrams_before_error;
	int intr_datagram;   /* >= 0: set NLM_F_DUMP_INTR on every message of that datagram */
	int recv_error_at;   /* >= 0: recv of that datagram index returns recv_error instead */
	ssize_t recv_error;
	int seq_delta;       /* added to the answer's sequence number */
	uint32_t pid_override; /* != 0: answers carry this port id instead of the portid */
};

#define FAKE_MAX_STEPS 16
#define FAKE_MAX_REQUESTS 16

struct fake {
	struct fake_step steps[FAKE_MAX_STEPS]; /* step i serves open() number i; the last
						   step repeats for later opens */
	int nsteps;
	uint32_t portid;
	/* what happened */
	int opens, closes, sends, recvs;
	bool open_now;
	_Alignas(8) uint8_t requests[FAKE_MAX_REQUESTS][256]; /* whole nlmsghdr, aligned */
	size_t request_len[FAKE_MAX_REQUESTS];
	/* replay position */
	int step;
	size_t pos;
	bool error_sent;
};

/* A transport whose ctx is F. */
struct diag_transport fake_transport(struct fake *f);
/* A step replaying REC cleanly. */
struct fake_step fake_clean(const struct nl_recording *rec);

#endif
