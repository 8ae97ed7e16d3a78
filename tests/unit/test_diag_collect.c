/* test_diag_collect.c - diag_collect()'s receive loop, through a transport that replays the
 * recorded datagrams (fixture.h): requests, retries of interrupted dumps, the compat
 * fallback, and every protocol error, with the caller's earlier rows always preserved. */
#include <errno.h>
#include <libmnl/libmnl.h>
#include <linux/inet_diag.h>
#include <linux/netlink.h>
#include <linux/sock_diag.h>
#include <netinet/in.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include <cmocka.h>

#include "diag.h"
#include "fixture.h"

#define ALL_STATES (TCPT_STATES_ALL | TCPT_STATE_BIT(TCPT_NEW_SYN_RECV))
#define PRESET 2 /* rows in the vector before each call */

struct ctx {
	struct nl_recording compat, inet, inet6;
	struct rowvec rows;
	struct fake fake;
};

static int setup(void **state)
{
	struct ctx *c = calloc(1, sizeof(*c));
	nl_recording_load("diag-compat.nl", &c->compat);
	nl_recording_load("diag-inet.nl", &c->inet);
	nl_recording_load("diag-inet6.nl", &c->inet6);
	for (int i = 0; i < PRESET; i++) {
		struct tcpt_conn *row;
		assert_int_equal(0, rowvec_push(&c->rows, &row));
		row->family = AF_INET;
		row->state = TCPT_LISTEN;
		row->cookie = 0xc0ffee00u + (unsigned)i;
		row->local_port = (uint16_t)(1000 + i);
	}
	*state = c;
	return 0;
}

static int teardown(void **state)
{
	struct ctx *c = *state;
	nl_recording_free(&c->compat);
	nl_recording_free(&c->inet);
	nl_recording_free(&c->inet6);
	rowvec_free(&c->rows);
	free(c);
	return 0;
}

static void add_step(struct ctx *c, struct fake_step st)
{
	assert_true(c->fake.nsteps < FAKE_MAX_STEPS);
	c->fake.steps[c->fake.nsteps++] = st;
}

static int collect(struct ctx *c, unsigned families, uint32_t states)
{
	struct diag_transport t = fake_transport(&c->fake);
	int r = diag_collect(&t, families, states, &c->rows);
	assert_int_equal(c->fake.opens, c->fake.closes);
	assert_false(c->fake.open_now);
	return r;
}

/* The rows before the call are there, unchanged, and nothing else. */
static void assert_only_preset_rows(const struct ctx *c)
{
	assert_int_equal(PRESET, c->rows.count);
	for (int i = 0; i < PRESET; i++) {
		assert_int_equal(0xc0ffee00u + (unsigned)i, c->rows.rows[i].cookie);
		assert_int_equal(1000 + i, c->rows.rows[i].local_port);
	}
}

/* After the preset rows: exactly the expected rows of each SOURCE, in order. */
static void assert_rows_are(const struct ctx *c, const char *const sources[])
{
	size_t at = PRESET;
	for (const char *const *s = sources; *s; s++) {
		size_t n;
		struct expected_row *e = expected_rows(*s, &n);
		assert_true(c->rows.count >= at + n);
		for (size_t i = 0; i < n; i++) {
			char what[128];
			snprintf(what, sizeof(what), "row %zu (%s %s)", at + i, *s, e[i].id);
			assert_conn_equal(&e[i].row, &c->rows.rows[at + i], what);
		}
		at += n;
		free(e);
	}
	assert_int_equal(at, c->rows.count);
	assert_int_equal(0xc0ffee00u, c->rows.rows[0].cookie);
}

static void assert_compat_request(const struct fake *f, int i, uint32_t states)
{
	const struct nlmsghdr *nlh = (const void *)f->requests[i];
	assert_int_equal(TCPDIAG_GETSOCK, nlh->nlmsg_type);
	assert_int_equal(NLM_F_REQUEST | NLM_F_DUMP, nlh->nlmsg_flags);
	assert_true(nlh->nlmsg_len >= MNL_NLMSG_HDRLEN + sizeof(struct inet_diag_req));
	assert_int_equal(nlh->nlmsg_len, f->request_len[i]);
	const struct inet_diag_req *req = mnl_nlmsg_get_payload(nlh);
	assert_int_equal(AF_UNSPEC, req->idiag_family);
	assert_int_equal(states, req->idiag_states);
}

static void assert_family_request(const struct fake *f, int i, int family, uint32_t states)
{
	const struct nlmsghdr *nlh = (const void *)f->requests[i];
	assert_int_equal(SOCK_DIAG_BY_FAMILY, nlh->nlmsg_type);
	assert_int_equal(NLM_F_REQUEST | NLM_F_DUMP, nlh->nlmsg_flags);
	assert_true(nlh->nlmsg_len >= MNL_NLMSG_HDRLEN + sizeof(struct inet_diag_req_v2));
	assert_int_equal(nlh->nlmsg_len, f->request_len[i]);
	const struct inet_diag_req_v2 *req = mnl_nlmsg_get_payload(nlh);
	assert_int_equal(family, req->sdiag_family);
	assert_int_equal(IPPROTO_TCP, req->sdiag_protocol);
	assert_int_equal(states, req->idiag_states);
}

/* A deep copy of SRC, to be altered. */
static void copy_recording(struct nl_recording *dst, const struct nl_recording *src)
{
	dst->count = src->count;
	dst->data = calloc(src->count, sizeof(*dst->data));
	dst->len = calloc(src->count, sizeof(*dst->len));
	for (size_t i = 0; i < src->count; i++) {
		dst->data[i] = malloc(src->len[i]);
		memcpy(dst->data[i], src->data[i], src->len[i]);
		dst->len[i] = src->len[i];
	}
}

/* ---- success ----------------------------------------------------------------------------- */

static void diag_collect_both_families_is_one_compat_walk_with_all_rows(void **state)
{
	struct ctx *c = *state;
	add_step(c, fake_clean(&c->compat));
	assert_int_equal(0, collect(c, TCPT_FAMILY_ALL, ALL_STATES));
	assert_int_equal(1, c->fake.opens);
	assert_int_equal(1, c->fake.sends);
	assert_compat_request(&c->fake, 0, ALL_STATES);
	assert_rows_are(c, (const char *const[]){"diag-compat", NULL});
}

static void diag_collect_ipv4_only_is_one_inet_request(void **state)
{
	struct ctx *c = *state;
	add_step(c, fake_clean(&c->inet));
	assert_int_equal(0, collect(c, TCPT_FAMILY_IPV4, ALL_STATES));
	assert_int_equal(1, c->fake.sends);
	assert_family_request(&c->fake, 0, AF_INET, ALL_STATES);
	assert_rows_are(c, (const char *const[]){"diag-inet", NULL});
}

static void diag_collect_ipv6_only_is_one_inet6_request(void **state)
{
	struct ctx *c = *state;
	add_step(c, fake_clean(&c->inet6));
	assert_int_equal(0, collect(c, TCPT_FAMILY_IPV6, ALL_STATES));
	assert_int_equal(1, c->fake.sends);
	assert_family_request(&c->fake, 0, AF_INET6, ALL_STATES);
	assert_rows_are(c, (const char *const[]){"diag-inet6", NULL});
}

static void diag_collect_state_mask_goes_to_the_kernel_unchanged(void **state)
{
	struct ctx *c = *state;
	uint32_t mask = TCPT_STATE_BIT(TCPT_LISTEN) | TCPT_STATE_BIT(TCPT_TIME_WAIT);
	add_step(c, fake_clean(&c->inet)); /* the fake does not filter; only the request counts */
	assert_int_equal(0, collect(c, TCPT_FAMILY_IPV4, mask));
	assert_family_request(&c->fake, 0, AF_INET, mask);
}

static void diag_collect_empty_dump_adds_no_rows(void **state)
{
	struct ctx *c = *state;
	/* The compat recording's last datagram is its lone NLMSG_DONE. */
	struct nl_recording done = {1, &c->compat.data[c->compat.count - 1],
				    &c->compat.len[c->compat.count - 1]};
	assert_int_equal(NLMSG_DONE, ((struct nlmsghdr *)done.data[0])->nlmsg_type);
	add_step(c, fake_clean(&done));
	assert_int_equal(0, collect(c, TCPT_FAMILY_ALL, ALL_STATES));
	assert_only_preset_rows(c);
}

/* ---- NLM_F_DUMP_INTR ------------------------------------------------------------------- */

static void diag_collect_interrupted_dump_is_retried_without_duplicates(void **state)
{
	struct ctx *c = *state;
	struct fake_step intr = fake_clean(&c->compat);
	intr.intr_datagram = 1; /* after all 30 rows were delivered */
	add_step(c, intr);
	add_step(c, fake_clean(&c->compat));
	assert_int_equal(0, collect(c, TCPT_FAMILY_ALL, ALL_STATES));
	assert_int_equal(2, c->fake.opens);
	assert_compat_request(&c->fake, 1, ALL_STATES);
	assert_rows_are(c, (const char *const[]){"diag-compat", NULL});
}

static void diag_collect_interrupted_per_family_dump_is_retried(void **state)
{
	struct ctx *c = *state;
	struct fake_step intr = fake_clean(&c->inet);
	intr.intr_datagram = 1; /* the first datagram's rows are already in */
	add_step(c, intr);
	add_step(c, fake_clean(&c->inet));
	assert_int_equal(0, collect(c, TCPT_FAMILY_IPV4, ALL_STATES));
	assert_int_equal(2, c->fake.opens);
	assert_rows_are(c, (const char *const[]){"diag-inet", NULL});
}

static void diag_collect_always_interrupted_is_eagain_with_no_rows_added(void **state)
{
	struct ctx *c = *state;
	struct fake_step intr = fake_clean(&c->compat);
	intr.intr_datagram = 1;
	add_step(c, intr); /* repeats for every open */
	assert_int_equal(-EAGAIN, collect(c, TCPT_FAMILY_ALL, ALL_STATES));
	assert_true(c->fake.opens >= 2);   /* it did retry */
	assert_true(c->fake.opens <= 100); /* a bounded number of times */
	assert_only_preset_rows(c);
}

/* ---- errors ---------------------------------------------------------------------------- */

static void diag_collect_nlmsg_error_gives_its_errno(void **state)
{
	struct ctx *c = *state;
	struct fake_step st = fake_clean(NULL);
	st.error = -EPERM;
	add_step(c, st);
	assert_int_equal(-EPERM, collect(c, TCPT_FAMILY_IPV4, ALL_STATES));
	assert_only_preset_rows(c);
}

static void diag_collect_nlmsg_error_mid_dump_gives_its_errno_and_no_rows(void **state)
{
	struct ctx *c = *state;
	struct fake_step st = fake_clean(&c->inet);
	st.error = -ENOBUFS;
	st.datagrams_before_error = 1;
	add_step(c, st);
	assert_int_equal(-ENOBUFS, collect(c, TCPT_FAMILY_IPV4, ALL_STATES));
	assert_only_preset_rows(c);
}

static void diag_collect_compat_error_other_than_refusal_is_not_masked(void **state)
{
	struct ctx *c = *state;
	struct fake_step st = fake_clean(NULL);
	st.error = -EPERM;
	add_step(c, st);
	add_step(c, fake_clean(&c->inet)); /* must not be asked for */
	assert_int_equal(-EPERM, collect(c, TCPT_FAMILY_ALL, ALL_STATES));
	assert_int_equal(1, c->fake.opens);
	assert_only_preset_rows(c);
}

static void diag_collect_truncated_datagram_is_an_error_never_partial_success(void **state)
{
	struct ctx *c = *state;
	struct fake_step st = fake_clean(&c->inet);
	st.recv_error_at = 1;
	st.recv_error = -ENOSPC;
	add_step(c, st);
	int r = collect(c, TCPT_FAMILY_IPV4, ALL_STATES);
	assert_true(r < 0);
	assert_only_preset_rows(c);
}

/* tcpt_snapshot_take() documents a truncated answer as -EBADMSG. */
static void diag_collect_truncated_datagram_is_ebadmsg(void **state)
{
	struct ctx *c = *state;
	struct fake_step st = fake_clean(&c->inet);
	st.recv_error_at = 1;
	st.recv_error = -ENOSPC;
	add_step(c, st);
	assert_int_equal(-EBADMSG, collect(c, TCPT_FAMILY_IPV4, ALL_STATES));
	assert_only_preset_rows(c);
}

static void diag_collect_datagram_ending_inside_a_message_is_ebadmsg(void **state)
{
	struct ctx *c = *state;
	struct nl_recording cut;
	copy_recording(&cut, &c->inet);
	cut.len[1] -= 8; /* the last message of datagram 1 now overruns it */
	add_step(c, fake_clean(&cut));
	assert_int_equal(-EBADMSG, collect(c, TCPT_FAMILY_IPV4, ALL_STATES));
	assert_only_preset_rows(c);
	nl_recording_free(&cut);
}

static void diag_collect_wrong_sequence_number_is_eproto(void **state)
{
	struct ctx *c = *state;
	struct fake_step st = fake_clean(&c->compat);
	st.seq_delta = 1;
	add_step(c, st);
	assert_int_equal(-EPROTO, collect(c, TCPT_FAMILY_ALL, ALL_STATES));
	assert_only_preset_rows(c);
}

static void diag_collect_wrong_port_id_is_esrch(void **state)
{
	struct ctx *c = *state;
	struct fake_step st = fake_clean(&c->compat);
	st.pid_override = 777;
	add_step(c, st);
	assert_int_equal(-ESRCH, collect(c, TCPT_FAMILY_ALL, ALL_STATES));
	assert_only_preset_rows(c);
}

static void diag_collect_answer_of_another_request_type_is_eproto(void **state)
{
	struct ctx *c = *state;
	add_step(c, fake_clean(&c->compat)); /* type TCPDIAG_GETSOCK answers to a v2 request */
	assert_int_equal(-EPROTO, collect(c, TCPT_FAMILY_IPV4, ALL_STATES));
	assert_only_preset_rows(c);
}

static void diag_collect_undecodable_message_fails_the_whole_dump(void **state)
{
	struct ctx *c = *state;
	struct nl_recording bad;
	copy_recording(&bad, &c->inet);
	/* the second message of datagram 1 claims family AF_UNIX */
	struct nlmsghdr *nlh = (void *)bad.data[1];
	int left = (int)bad.len[1];
	nlh = mnl_nlmsg_next(nlh, &left);
	struct inet_diag_msg *dm = mnl_nlmsg_get_payload(nlh);
	dm->idiag_family = AF_UNIX;
	add_step(c, fake_clean(&bad));
	assert_int_equal(-EPROTO, collect(c, TCPT_FAMILY_IPV4, ALL_STATES));
	assert_only_preset_rows(c);
	nl_recording_free(&bad);
}

/* ---- the compat fallback --------------------------------------------------------------- */

static void diag_collect_compat_refused_falls_back_to_one_request_per_family(void **state)
{
	struct ctx *c = *state;
	struct fake_step refuse = fake_clean(NULL);
	refuse.error = -EINVAL;
	add_step(c, refuse);
	add_step(c, fake_clean(&c->inet));
	add_step(c, fake_clean(&c->inet6));
	assert_int_equal(0, collect(c, TCPT_FAMILY_ALL, ALL_STATES));
	assert_int_equal(3, c->fake.opens);
	assert_int_equal(3, c->fake.sends);
	assert_compat_request(&c->fake, 0, ALL_STATES);
	assert_family_request(&c->fake, 1, AF_INET, ALL_STATES);
	assert_family_request(&c->fake, 2, AF_INET6, ALL_STATES);
	assert_rows_are(c, (const char *const[]){"diag-inet", "diag-inet6", NULL});
}

static void diag_collect_compat_refused_after_some_rows_leaves_no_duplicates(void **state)
{
	struct ctx *c = *state;
	struct fake_step refuse = fake_clean(&c->compat);
	refuse.error = -EINVAL;
	refuse.datagrams_before_error = 1; /* 30 rows, then the error */
	add_step(c, refuse);
	add_step(c, fake_clean(&c->inet));
	add_step(c, fake_clean(&c->inet6));
	assert_int_equal(0, collect(c, TCPT_FAMILY_ALL, ALL_STATES));
	assert_rows_are(c, (const char *const[]){"diag-inet", "diag-inet6", NULL});
}

static void diag_collect_fallback_failing_on_inet6_keeps_no_rows(void **state)
{
	struct ctx *c = *state;
	struct fake_step refuse = fake_clean(NULL);
	refuse.error = -EINVAL;
	add_step(c, refuse);
	add_step(c, fake_clean(&c->inet));
	struct fake_step fail6 = fake_clean(&c->inet6);
	fail6.error = -ENOMEM;
	fail6.datagrams_before_error = 1;
	add_step(c, fail6);
	assert_int_equal(-ENOMEM, collect(c, TCPT_FAMILY_ALL, ALL_STATES));
	assert_only_preset_rows(c);
}

static void diag_collect_fallback_retries_an_interrupted_family(void **state)
{
	struct ctx *c = *state;
	struct fake_step refuse = fake_clean(NULL);
	refuse.error = -EINVAL;
	add_step(c, refuse);
	add_step(c, fake_clean(&c->inet));
	struct fake_step intr6 = fake_clean(&c->inet6);
	intr6.intr_datagram = 1;
	add_step(c, intr6);
	add_step(c, fake_clean(&c->inet6));
	assert_int_equal(0, collect(c, TCPT_FAMILY_ALL, ALL_STATES));
	assert_int_equal(4, c->fake.opens);
	assert_rows_are(c, (const char *const[]){"diag-inet", "diag-inet6", NULL});
}

/* libmnl's mnl_nlmsg_ok() compares (int)nlmsg_len with the bytes left, so a length above
 * INT_MAX passes as negative and mnl_nlmsg_next() jumps ~4 GiB ahead. The receive loop must
 * reject it itself (found by fuzz_diag_collect). Last: with the bug, this test crashes. */
static void diag_collect_message_length_over_int_max_is_ebadmsg(void **state)
{
	struct ctx *c = *state;
	struct nl_recording bad;
	copy_recording(&bad, &c->inet);
	struct nlmsghdr *nlh = (void *)bad.data[0];
	int left = (int)bad.len[0];
	nlh = mnl_nlmsg_next(nlh, &left); /* the second message */
	nlh->nlmsg_len = 0xffcb0000u;
	add_step(c, fake_clean(&bad));
	assert_int_equal(-EBADMSG, collect(c, TCPT_FAMILY_IPV4, ALL_STATES));
	assert_only_preset_rows(c);
	nl_recording_free(&bad);
}

int main(void)
{
#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
	const struct CMUnitTest tests[] = {
		T(diag_collect_both_families_is_one_compat_walk_with_all_rows),
		T(diag_collect_ipv4_only_is_one_inet_request),
		T(diag_collect_ipv6_only_is_one_inet6_request),
		T(diag_collect_state_mask_goes_to_the_kernel_unchanged),
		T(diag_collect_empty_dump_adds_no_rows),
		T(diag_collect_interrupted_dump_is_retried_without_duplicates),
		T(diag_collect_interrupted_per_family_dump_is_retried),
		T(diag_collect_always_interrupted_is_eagain_with_no_rows_added),
		T(diag_collect_nlmsg_error_gives_its_errno),
		T(diag_collect_nlmsg_error_mid_dump_gives_its_errno_and_no_rows),
		T(diag_collect_compat_error_other_than_refusal_is_not_masked),
		T(diag_collect_truncated_datagram_is_an_error_never_partial_success),
		T(diag_collect_truncated_datagram_is_ebadmsg),
		T(diag_collect_datagram_ending_inside_a_message_is_ebadmsg),
		T(diag_collect_wrong_sequence_number_is_eproto),
		T(diag_collect_wrong_port_id_is_esrch),
		T(diag_collect_answer_of_another_request_type_is_eproto),
		T(diag_collect_undecodable_message_fails_the_whole_dump),
		T(diag_collect_compat_refused_falls_back_to_one_request_per_family),
		T(diag_collect_compat_refused_after_some_rows_leaves_no_duplicates),
		T(diag_collect_fallback_failing_on_inet6_keeps_no_rows),
		T(diag_collect_fallback_retries_an_interrupted_family),
		T(diag_collect_message_length_over_int_max_is_ebadmsg),
	};
#undef T
	return cmocka_run_group_tests(tests, NULL, NULL);
}
