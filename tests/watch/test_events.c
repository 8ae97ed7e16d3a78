/* The destroy-notification decoder: messages built byte by byte as the kernel lays them out
 * (nlmsghdr, inet_diag_msg, attributes), valid and broken. */
#include <arpa/inet.h>
#include <errno.h>
#include <linux/inet_diag.h>
#include <linux/netlink.h>
#include <linux/sock_diag.h>
#include <netinet/in.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "watch_events.h"

struct msgbuf {
	_Alignas(struct nlmsghdr) unsigned char data[1024];
	size_t len;
};

/* Append a notification: FAMILY, 127.0.0.1:SPORT -> 127.0.0.1:DPORT (or ::1), state CLOSE,
 * cookie COOKIE, with an INET_DIAG_PROTOCOL attribute PROTO (none when 0). Returns the
 * message's offset. */
static size_t put_msg(struct msgbuf *b, uint16_t type, uint8_t family, uint16_t sport,
		      uint16_t dport, uint64_t cookie, uint8_t proto)
{
	size_t start = b->len;
	struct nlmsghdr h = {.nlmsg_type = type};
	struct inet_diag_msg m;
	memset(&m, 0, sizeof(m));
	m.idiag_family = family;
	m.idiag_state = TCPT_CLOSE;
	m.id.idiag_sport = htons(sport);
	m.id.idiag_dport = htons(dport);
	if (family == AF_INET6) {
		m.id.idiag_src[3] = htonl(1);
		m.id.idiag_dst[3] = htonl(1);
	} else {
		m.id.idiag_src[0] = htonl(INADDR_LOOPBACK);
		m.id.idiag_dst[0] = htonl(INADDR_LOOPBACK);
	}
	m.id.idiag_if = 3;
	m.id.idiag_cookie[0] = (uint32_t)cookie;
	m.id.idiag_cookie[1] = (uint32_t)(cookie >> 32);
	size_t len = NLMSG_HDRLEN + sizeof(m);
	memcpy(b->data + start + NLMSG_HDRLEN, &m, sizeof(m));
	if (proto) {
		struct nlattr a = {.nla_len = NLA_HDRLEN + 1, .nla_type = INET_DIAG_PROTOCOL};
		memcpy(b->data + start + len, &a, sizeof(a));
		b->data[start + len + NLA_HDRLEN] = proto;
		len += NLA_ALIGN(a.nla_len);
	}
	h.nlmsg_len = (uint32_t)len;
	memcpy(b->data + start, &h, sizeof(h));
	b->len = start + NLMSG_ALIGN(len);
	return start;
}

static void set_len(struct msgbuf *b, size_t at, uint32_t len)
{
	memcpy(b->data + at + offsetof(struct nlmsghdr, nlmsg_len), &len, sizeof(len));
}

static void valid_ipv4_message_is_decoded(void **state)
{
	(void)state;
	struct msgbuf b = {.len = 0};
	put_msg(&b, SOCK_DIAG_BY_FAMILY, AF_INET, 5555, 40000, 0x1234567890ull, IPPROTO_TCP);
	struct tcpt_conn row;
	assert_int_equal(1, watch_event_decode(b.data, b.len, &row));
	assert_int_equal(AF_INET, row.family);
	assert_int_equal(TCPT_CLOSE, row.state);
	assert_int_equal(5555, row.local_port);
	assert_int_equal(40000, row.remote_port);
	assert_memory_equal("\x7f\0\0\x01\0\0\0\0\0\0\0\0\0\0\0\0", row.local_addr, 16);
	assert_memory_equal("\x7f\0\0\x01\0\0\0\0\0\0\0\0\0\0\0\0", row.remote_addr, 16);
	assert_int_equal(3, row.scope_id);
	assert_true(row.cookie == 0x1234567890ull);
	assert_null(row.owners);
	assert_null(row.info);
}

static void valid_ipv6_message_without_protocol_is_decoded(void **state)
{
	(void)state;
	struct msgbuf b = {.len = 0};
	put_msg(&b, SOCK_DIAG_BY_FAMILY, AF_INET6, 443, 50000, 7, 0);
	struct tcpt_conn row;
	assert_int_equal(1, watch_event_decode(b.data, b.len, &row));
	assert_int_equal(AF_INET6, row.family);
	assert_int_equal(443, row.local_port);
	assert_memory_equal("\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\x01", row.local_addr, 16);
	assert_true(row.cookie == 7);
}

static void short_message_is_rejected(void **state)
{
	(void)state;
	struct msgbuf b = {.len = 0};
	put_msg(&b, SOCK_DIAG_BY_FAMILY, AF_INET, 1, 2, 3, 0);
	set_len(&b, 0, NLMSG_HDRLEN + sizeof(struct inet_diag_msg) - 1);
	struct tcpt_conn row = {.local_port = 4242};
	assert_int_equal(-EBADMSG, watch_event_decode(b.data, b.len, &row));
	assert_int_equal(4242, row.local_port); /* untouched */
	/* shorter than a netlink header */
	assert_int_equal(-EBADMSG, watch_event_decode(b.data, NLMSG_HDRLEN - 1, &row));
	/* the datagram itself cut short of the message's declared length */
	put_msg(&b, SOCK_DIAG_BY_FAMILY, AF_INET, 1, 2, 3, 0);
	assert_int_equal(-EBADMSG, watch_event_decode(b.data, 40, &row));
	assert_int_equal(0, watch_events_parse(b.data, 40, NULL, NULL));
}

static void length_past_the_buffer_is_rejected(void **state)
{
	(void)state;
	struct msgbuf b = {.len = 0};
	put_msg(&b, SOCK_DIAG_BY_FAMILY, AF_INET, 1, 2, 3, 0);
	set_len(&b, 0, (uint32_t)b.len + 4);
	struct tcpt_conn row;
	assert_int_equal(-EBADMSG, watch_event_decode(b.data, b.len, &row));
}

static void wrong_message_type_is_ignored(void **state)
{
	(void)state;
	struct msgbuf b = {.len = 0};
	put_msg(&b, NLMSG_ERROR, AF_INET, 1, 2, 3, 0);
	struct tcpt_conn row = {.local_port = 4242};
	assert_int_equal(0, watch_event_decode(b.data, b.len, &row));
	assert_int_equal(4242, row.local_port);
	b.len = 0;
	put_msg(&b, TCPDIAG_GETSOCK, AF_INET, 1, 2, 3, 0);
	assert_int_equal(0, watch_event_decode(b.data, b.len, &row));
}

static void other_protocol_or_family_is_ignored(void **state)
{
	(void)state;
	struct msgbuf b = {.len = 0};
	put_msg(&b, SOCK_DIAG_BY_FAMILY, AF_INET, 53, 2, 3, IPPROTO_UDP);
	struct tcpt_conn row;
	assert_int_equal(0, watch_event_decode(b.data, b.len, &row));
	b.len = 0;
	put_msg(&b, SOCK_DIAG_BY_FAMILY, AF_UNIX, 1, 2, 3, 0);
	assert_int_equal(0, watch_event_decode(b.data, b.len, &row));
}

static void malformed_attribute_is_rejected(void **state)
{
	(void)state;
	struct msgbuf b = {.len = 0};
	put_msg(&b, SOCK_DIAG_BY_FAMILY, AF_INET, 1, 2, 3, IPPROTO_TCP);
	size_t attr = NLMSG_HDRLEN + sizeof(struct inet_diag_msg);
	uint16_t too_long = 64; /* past the message's end */
	memcpy(b.data + attr, &too_long, sizeof(too_long));
	struct tcpt_conn row;
	assert_int_equal(-EBADMSG, watch_event_decode(b.data, b.len, &row));
	uint16_t too_short = 2; /* shorter than an attribute header: would loop forever */
	memcpy(b.data + attr, &too_short, sizeof(too_short));
	assert_int_equal(-EBADMSG, watch_event_decode(b.data, b.len, &row));
}

struct collected {
	struct tcpt_conn rows[4];
	size_t count;
};

static void collect(void *ctx, const struct tcpt_conn *row)
{
	struct collected *c = ctx;
	if (c->count < 4)
		c->rows[c->count++] = *row;
}

static void datagram_walk_skips_other_messages(void **state)
{
	(void)state;
	struct msgbuf b = {.len = 0};
	put_msg(&b, SOCK_DIAG_BY_FAMILY, AF_INET, 1000, 1, 11, IPPROTO_TCP);
	put_msg(&b, NLMSG_NOOP, AF_INET, 2000, 1, 22, 0);
	put_msg(&b, SOCK_DIAG_BY_FAMILY, AF_INET, 53, 1, 33, IPPROTO_UDP);
	put_msg(&b, SOCK_DIAG_BY_FAMILY, AF_INET6, 3000, 1, 44, IPPROTO_TCP);
	struct collected c = {.count = 0};
	assert_int_equal(2, watch_events_parse(b.data, b.len, collect, &c));
	assert_int_equal(2, c.count);
	assert_int_equal(1000, c.rows[0].local_port);
	assert_int_equal(3000, c.rows[1].local_port);
}

static void datagram_walk_stops_at_a_malformed_message(void **state)
{
	(void)state;
	struct msgbuf b = {.len = 0};
	put_msg(&b, SOCK_DIAG_BY_FAMILY, AF_INET, 1000, 1, 11, 0);
	size_t bad = put_msg(&b, SOCK_DIAG_BY_FAMILY, AF_INET, 2000, 1, 22, 0);
	put_msg(&b, SOCK_DIAG_BY_FAMILY, AF_INET, 3000, 1, 33, 0);
	set_len(&b, bad, NLMSG_HDRLEN + 4);
	struct collected c = {.count = 0};
	assert_int_equal(1, watch_events_parse(b.data, b.len, collect, &c));
	assert_int_equal(1000, c.rows[0].local_port);
}

static void request_socket_state_is_syn_recv(void **state)
{
	(void)state;
	struct msgbuf b = {.len = 0};
	put_msg(&b, SOCK_DIAG_BY_FAMILY, AF_INET, 1, 2, 3, 0);
	b.data[NLMSG_HDRLEN + offsetof(struct inet_diag_msg, idiag_state)] = TCPT_NEW_SYN_RECV;
	struct tcpt_conn row;
	assert_int_equal(1, watch_event_decode(b.data, b.len, &row));
	assert_int_equal(TCPT_SYN_RECV, row.state);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(valid_ipv4_message_is_decoded),
		cmocka_unit_test(valid_ipv6_message_without_protocol_is_decoded),
		cmocka_unit_test(short_message_is_rejected),
		cmocka_unit_test(length_past_the_buffer_is_rejected),
		cmocka_unit_test(wrong_message_type_is_ignored),
		cmocka_unit_test(other_protocol_or_family_is_ignored),
		cmocka_unit_test(malformed_attribute_is_rejected),
		cmocka_unit_test(datagram_walk_skips_other_messages),
		cmocka_unit_test(datagram_walk_stops_at_a_malformed_message),
		cmocka_unit_test(request_socket_state_is_syn_recv),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
