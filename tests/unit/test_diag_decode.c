/* test_diag_decode.c - diag_decode_msg() on every recorded message, and on malformed ones.
 * Every message is copied into a heap buffer of exactly its length first, so that ASan
 * reports any read past it. */
#include <errno.h>
#include <libmnl/libmnl.h>
#include <linux/inet_diag.h>
#include <linux/netlink.h>
#include <linux/sock_diag.h>
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

/* Decode every answer message of recording NAME and compare with SOURCE's expected rows. */
static void check_recording(const char *name, const char *source, uint16_t answer_type)
{
	struct nl_recording rec;
	size_t nexp, seen = 0;
	nl_recording_load(name, &rec);
	struct expected_row *exp = expected_rows(source, &nexp);
	for (size_t d = 0; d < rec.count; d++) {
		const struct nlmsghdr *nlh = (const void *)rec.data[d];
		int left = (int)rec.len[d];
		for (; mnl_nlmsg_ok(nlh, left); nlh = mnl_nlmsg_next(nlh, &left)) {
			if (nlh->nlmsg_type == NLMSG_DONE)
				continue;
			assert_int_equal(answer_type, nlh->nlmsg_type);
			assert_true(seen < nexp);
			struct nlmsghdr *copy = malloc(nlh->nlmsg_len);
			memcpy(copy, nlh, nlh->nlmsg_len);
			struct tcpt_conn row;
			memset(&row, 0xa5, sizeof(row));
			row.owners = NULL;
			assert_int_equal(0, diag_decode_msg(copy, &row));
			char what[128];
			snprintf(what, sizeof(what), "%s row %zu (%s)", name, seen, exp[seen].id);
			assert_conn_equal(&exp[seen].row, &row, what);
			free(copy);
			seen++;
		}
		assert_int_equal(0, left);
	}
	assert_int_equal(nexp, seen);
	free(exp);
	nl_recording_free(&rec);
}

static void diag_decode_matches_expected_rows_compat_dump(void **state)
{
	(void)state;
	check_recording("diag-compat.nl", "diag-compat", TCPDIAG_GETSOCK);
}

static void diag_decode_matches_expected_rows_inet_dump_with_extensions(void **state)
{
	(void)state;
	check_recording("diag-inet.nl", "diag-inet", SOCK_DIAG_BY_FAMILY);
}

static void diag_decode_matches_expected_rows_inet6_dump_with_extensions(void **state)
{
	(void)state;
	check_recording("diag-inet6.nl", "diag-inet6", SOCK_DIAG_BY_FAMILY);
}

/* The test's own assumption: the fixtures hold the cases the tests below rely on. */
static void fixture_sanity_covers_every_kind_of_row(void **state)
{
	(void)state;
	size_t n;
	struct expected_row *e = expected_rows("diag-compat", &n);
	unsigned states = 0, timers = 0;
	bool v4 = false, v6 = false, mapped = false, scope = false, nouid = false, noinode = false;
	for (size_t i = 0; i < n; i++) {
		const struct tcpt_conn *r = &e[i].row;
		states |= 1u << r->state;
		timers |= 1u << r->timer;
		v4 |= r->family == AF_INET;
		v6 |= r->family == AF_INET6;
		mapped |= r->family == AF_INET6 && r->local_addr[10] == 0xff && r->local_addr[11] == 0xff;
		scope |= r->scope_id != 0;
		nouid |= r->uid != 0;
		noinode |= r->inode == 0;
		assert_true(r->cookie != 0);
	}
	assert_true(v4 && v6 && mapped && scope && nouid && noinode);
	for (unsigned s = 1; s <= 10; s++)
		if (s != 4 && s != 9) /* FIN-WAIT-1 and LAST-ACK are not stable enough to record */
			assert_true(states & (1u << s));
	assert_int_equal(0x1f, timers); /* none, retransmit, keepalive, timewait, persist */
	free(e);
}

/* ---- malformed input ----------------------------------------------------------------- */

/* A copy of the first ESTABLISHED message of diag-inet.nl (it has attributes), in a buffer
 * with room for more. */
struct msgbuf {
	union {
		struct nlmsghdr nlh;
		uint8_t bytes[8192];
	};
};

static void sample_message(struct msgbuf *m, struct tcpt_conn *ret_row)
{
	struct nl_recording rec;
	nl_recording_load("diag-inet.nl", &rec);
	for (size_t d = 0; d < rec.count; d++) {
		const struct nlmsghdr *nlh = (const void *)rec.data[d];
		int left = (int)rec.len[d];
		for (; mnl_nlmsg_ok(nlh, left); nlh = mnl_nlmsg_next(nlh, &left)) {
			const struct inet_diag_msg *dm = mnl_nlmsg_get_payload(nlh);
			if (nlh->nlmsg_type == SOCK_DIAG_BY_FAMILY && dm->idiag_state == TCPT_ESTABLISHED &&
			    nlh->nlmsg_len > MNL_NLMSG_HDRLEN + sizeof(*dm) + 64) {
				memcpy(m->bytes, nlh, nlh->nlmsg_len);
				nl_recording_free(&rec);
				assert_int_equal(0, diag_decode_msg(&m->nlh, ret_row));
				return;
			}
		}
	}
	fail_msg("no ESTABLISHED message with attributes in diag-inet.nl");
}

/* Decode the first LEN bytes of M from a heap buffer of exactly LEN bytes (at least 4),
 * expecting WANT; on failure the row must be untouched. */
static void expect_decode(const struct msgbuf *m, size_t len, int want)
{
	size_t alloc = len < 4 ? 4 : len;
	struct nlmsghdr *copy = malloc(alloc);
	memcpy(copy, m->bytes, alloc);
	struct tcpt_conn row, before;
	memset(&row, 0x5a, sizeof(row));
	row.owners = NULL;
	before = row;
	int r = diag_decode_msg(copy, &row);
	free(copy);
	assert_int_equal(want, r);
	if (want < 0)
		assert_memory_equal(&before, &row, sizeof(row));
}

/* Offset of the attributes in a diag message. */
static size_t attr_offset(void)
{
	return MNL_NLMSG_HDRLEN + MNL_ALIGN(sizeof(struct inet_diag_msg));
}

/* Cut M's attributes off, keeping only the header and the inet_diag_msg. */
static void strip_attributes(struct msgbuf *m)
{
	m->nlh.nlmsg_len = (uint32_t)attr_offset();
}

/* Append an attribute with a raw nla_len and PAYLOAD_LEN bytes of payload (0x11 filled),
 * then set nlmsg_len to cover exactly MSG_EXTRA more bytes than the aligned old end plus
 * the attribute header and payload actually written. */
static void append_raw_attr(struct msgbuf *m, uint16_t type, uint16_t nla_len, size_t payload_len)
{
	size_t off = MNL_ALIGN(m->nlh.nlmsg_len);
	struct nlattr *a = (struct nlattr *)(m->bytes + off);
	a->nla_type = type;
	a->nla_len = nla_len;
	memset(m->bytes + off + sizeof(*a), 0x11, payload_len);
	m->nlh.nlmsg_len = (uint32_t)(off + sizeof(*a) + payload_len);
}

static void diag_decode_short_nlmsghdr_is_ebadmsg(void **state)
{
	(void)state;
	struct msgbuf m;
	struct tcpt_conn row;
	sample_message(&m, &row);
	for (uint32_t len = 0; len < MNL_NLMSG_HDRLEN; len++) {
		m.nlh.nlmsg_len = len;
		expect_decode(&m, len, -EBADMSG);
	}
}

static void diag_decode_message_shorter_than_inet_diag_msg_is_ebadmsg(void **state)
{
	(void)state;
	struct msgbuf m;
	struct tcpt_conn row;
	sample_message(&m, &row);
	for (uint32_t len = MNL_NLMSG_HDRLEN; len < MNL_NLMSG_HDRLEN + sizeof(struct inet_diag_msg);
	     len++) {
		m.nlh.nlmsg_len = len;
		expect_decode(&m, len, -EBADMSG);
	}
}

static void diag_decode_bare_inet_diag_msg_without_attributes_decodes(void **state)
{
	(void)state;
	struct msgbuf m;
	struct tcpt_conn full, row;
	sample_message(&m, &full);
	strip_attributes(&m);
	struct nlmsghdr *copy = malloc(m.nlh.nlmsg_len);
	memcpy(copy, m.bytes, m.nlh.nlmsg_len);
	assert_int_equal(0, diag_decode_msg(copy, &row));
	free(copy);
	full.cgroup_id = 0; /* the attribute that carried it is gone */
	assert_conn_equal(&full, &row, "stripped message");
}

static void diag_decode_attribute_len_below_4_is_ebadmsg(void **state)
{
	(void)state;
	for (uint16_t nla_len = 0; nla_len < 4; nla_len++) {
		struct msgbuf m;
		struct tcpt_conn row;
		sample_message(&m, &row);
		strip_attributes(&m);
		append_raw_attr(&m, INET_DIAG_SHUTDOWN, nla_len, 4);
		expect_decode(&m, m.nlh.nlmsg_len, -EBADMSG);
	}
}

static void diag_decode_attribute_past_message_end_is_ebadmsg(void **state)
{
	(void)state;
	struct msgbuf m;
	struct tcpt_conn row;
	sample_message(&m, &row);
	strip_attributes(&m);
	append_raw_attr(&m, INET_DIAG_SHUTDOWN, 100, 4); /* claims 100, has 8 */
	expect_decode(&m, m.nlh.nlmsg_len, -EBADMSG);
}

static void diag_decode_trailing_bytes_shorter_than_attribute_header_are_ebadmsg(void **state)
{
	(void)state;
	struct msgbuf m;
	struct tcpt_conn row;
	sample_message(&m, &row);
	strip_attributes(&m);
	m.bytes[m.nlh.nlmsg_len] = 0x01;
	m.bytes[m.nlh.nlmsg_len + 1] = 0x02;
	m.nlh.nlmsg_len += 2;
	expect_decode(&m, m.nlh.nlmsg_len, -EBADMSG);
}

/* A real attribute followed by a broken one: the walk must not stop at the first. */
static void diag_decode_bad_attribute_after_good_ones_is_ebadmsg(void **state)
{
	(void)state;
	struct msgbuf m;
	struct tcpt_conn row;
	sample_message(&m, &row); /* keeps all its recorded attributes */
	append_raw_attr(&m, 250, 2, 0);
	expect_decode(&m, m.nlh.nlmsg_len, -EBADMSG);
}

static void diag_decode_cgroup_id_shorter_than_8_bytes_is_ebadmsg(void **state)
{
	(void)state;
	for (uint16_t payload = 0; payload < 8; payload++) {
		struct msgbuf m;
		struct tcpt_conn row;
		sample_message(&m, &row);
		strip_attributes(&m);
		append_raw_attr(&m, INET_DIAG_CGROUP_ID, (uint16_t)(4 + payload), payload);
		m.nlh.nlmsg_len = (uint32_t)MNL_ALIGN(m.nlh.nlmsg_len);
		expect_decode(&m, m.nlh.nlmsg_len, -EBADMSG);
	}
}

/* nlmsg_len need not be a multiple of 4; an attribute that reaches into the padding the
 * message does not have is past its end (the buffer holds exactly nlmsg_len bytes). */
static void diag_decode_attribute_past_unaligned_message_end_is_ebadmsg(void **state)
{
	(void)state;
	struct msgbuf m;
	struct tcpt_conn row;
	sample_message(&m, &row);
	strip_attributes(&m);
	append_raw_attr(&m, INET_DIAG_CGROUP_ID, 12, 8);
	m.nlh.nlmsg_len -= 2; /* the message ends 2 bytes into the u64 */
	expect_decode(&m, m.nlh.nlmsg_len, -EBADMSG);
}

static void diag_decode_cgroup_id_attribute_sets_cgroup_id(void **state)
{
	(void)state;
	struct msgbuf m;
	struct tcpt_conn want, row;
	sample_message(&m, &want);
	strip_attributes(&m);
	uint64_t id = UINT64_C(0x0123456789abcdef);
	size_t off = m.nlh.nlmsg_len;
	struct nlattr *a = (struct nlattr *)(m.bytes + off);
	a->nla_type = INET_DIAG_CGROUP_ID;
	a->nla_len = 12;
	memcpy(m.bytes + off + 4, &id, 8);
	m.nlh.nlmsg_len += 12;
	struct nlmsghdr *copy = malloc(m.nlh.nlmsg_len);
	memcpy(copy, m.bytes, m.nlh.nlmsg_len);
	assert_int_equal(0, diag_decode_msg(copy, &row));
	free(copy);
	want.cgroup_id = id;
	assert_conn_equal(&want, &row, "with cgroup id");
}

static void diag_decode_unknown_attributes_are_skipped(void **state)
{
	(void)state;
	struct msgbuf m;
	struct tcpt_conn want, row;
	sample_message(&m, &want);
	/* after the recorded ones: an unknown type, an empty one, an odd-sized one */
	append_raw_attr(&m, 0x3fff, 4 + 16, 16);
	append_raw_attr(&m, 200, 4, 0);
	append_raw_attr(&m, 201, 4 + 3, 3);
	m.nlh.nlmsg_len = (uint32_t)MNL_ALIGN(m.nlh.nlmsg_len);
	struct nlmsghdr *copy = malloc(m.nlh.nlmsg_len);
	memcpy(copy, m.bytes, m.nlh.nlmsg_len);
	assert_int_equal(0, diag_decode_msg(copy, &row));
	free(copy);
	assert_conn_equal(&want, &row, "with unknown attributes");
}

static void diag_decode_unknown_family_is_eproto(void **state)
{
	(void)state;
	static const uint8_t families[] = {AF_UNSPEC, AF_UNIX, AF_INET6 + 1, AF_NETLINK, 255};
	for (size_t i = 0; i < sizeof(families); i++) {
		struct msgbuf m;
		struct tcpt_conn row;
		sample_message(&m, &row);
		struct inet_diag_msg *dm = mnl_nlmsg_get_payload(&m.nlh);
		dm->idiag_family = families[i];
		expect_decode(&m, m.nlh.nlmsg_len, -EPROTO);
	}
}

/* An IPv4 row has zeros after its 4 address bytes, whatever the kernel left there. */
static void diag_decode_ipv4_address_uses_first_4_bytes_only(void **state)
{
	(void)state;
	struct msgbuf m;
	struct tcpt_conn want, row;
	sample_message(&m, &want);
	assert_int_equal(AF_INET, want.family);
	struct inet_diag_msg *dm = mnl_nlmsg_get_payload(&m.nlh);
	memset(&dm->id.idiag_src[1], 0xee, 12);
	memset(&dm->id.idiag_dst[1], 0xee, 12);
	assert_int_equal(0, diag_decode_msg(&m.nlh, &row));
	assert_conn_equal(&want, &row, "IPv4 with junk after the address");
}

static void diag_decode_no_timer_means_zero_expiry(void **state)
{
	(void)state;
	struct msgbuf m;
	struct tcpt_conn want, row;
	sample_message(&m, &want);
	struct inet_diag_msg *dm = mnl_nlmsg_get_payload(&m.nlh);
	dm->idiag_timer = 0;
	dm->idiag_expires = 12345;
	assert_int_equal(0, diag_decode_msg(&m.nlh, &row));
	assert_int_equal(0, row.timer);
	assert_int_equal(0, row.timer_expires_ms);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(fixture_sanity_covers_every_kind_of_row),
		cmocka_unit_test(diag_decode_matches_expected_rows_compat_dump),
		cmocka_unit_test(diag_decode_matches_expected_rows_inet_dump_with_extensions),
		cmocka_unit_test(diag_decode_matches_expected_rows_inet6_dump_with_extensions),
		cmocka_unit_test(diag_decode_short_nlmsghdr_is_ebadmsg),
		cmocka_unit_test(diag_decode_message_shorter_than_inet_diag_msg_is_ebadmsg),
		cmocka_unit_test(diag_decode_bare_inet_diag_msg_without_attributes_decodes),
		cmocka_unit_test(diag_decode_attribute_len_below_4_is_ebadmsg),
		cmocka_unit_test(diag_decode_attribute_past_message_end_is_ebadmsg),
		cmocka_unit_test(diag_decode_trailing_bytes_shorter_than_attribute_header_are_ebadmsg),
		cmocka_unit_test(diag_decode_bad_attribute_after_good_ones_is_ebadmsg),
		cmocka_unit_test(diag_decode_cgroup_id_shorter_than_8_bytes_is_ebadmsg),
		cmocka_unit_test(diag_decode_attribute_past_unaligned_message_end_is_ebadmsg),
		cmocka_unit_test(diag_decode_cgroup_id_attribute_sets_cgroup_id),
		cmocka_unit_test(diag_decode_unknown_attributes_are_skipped),
		cmocka_unit_test(diag_decode_unknown_family_is_eproto),
		cmocka_unit_test(diag_decode_ipv4_address_uses_first_4_bytes_only),
		cmocka_unit_test(diag_decode_no_timer_means_zero_expiry),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
