/* gen_udp.c - the benchmark's UDP sockets: N bound sockets, one in ten connected.
 *
 * IPv4 ones bind 127.3.x.y with 1,000 ports per address (as the TCP clients do, so that no
 * ephemeral port range limits N); 1 % are IPv6 over ::1. Every tenth socket is connected to
 * the discard port of 127.0.0.1 (or ::1): `ss -uan` and `tcptable -uan` show both states. */
#include "gen_conn.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#define UDP_PORT4 10000
#define UDP_PORT6 40000
#define UDP_PER_ADDR 1000
#define UDP_BASE4 0x7f030000u /* 127.3.0.0 */
#define UDP_PEER_PORT 9

void gen_udp_plan(struct gen_plan *plan, size_t udp)
{
	plan->udp = udp;
	plan->udp6 = udp / 100 < GEN_MAX_UDP6 ? udp / 100 : GEN_MAX_UDP6;
}

/* Socket I of the plan: its family, address and port. */
static socklen_t udp_addr(const struct gen_plan *plan, size_t i, struct sockaddr_storage *ss,
			  bool peer)
{
	memset(ss, 0, sizeof(*ss));
	size_t v4 = plan->udp - plan->udp6;
	if (i < v4) {
		struct sockaddr_in *a = (struct sockaddr_in *)ss;
		a->sin_family = AF_INET;
		a->sin_addr.s_addr = htonl(peer ? INADDR_LOOPBACK
						: UDP_BASE4 + 1 + (uint32_t)(i / UDP_PER_ADDR));
		a->sin_port = htons(peer ? UDP_PEER_PORT : UDP_PORT4 + (uint16_t)(i % UDP_PER_ADDR));
		return sizeof(*a);
	}
	struct sockaddr_in6 *a = (struct sockaddr_in6 *)ss;
	a->sin6_family = AF_INET6;
	a->sin6_addr = in6addr_loopback;
	a->sin6_port = htons(peer ? UDP_PEER_PORT : UDP_PORT6 + (uint16_t)(i - v4));
	return sizeof(*a);
}

int gen_udp_range(const struct gen_plan *plan, size_t first, size_t count)
{
	for (size_t i = first; i < first + count; i++) {
		struct sockaddr_storage ss;
		socklen_t len = udp_addr(plan, i, &ss, false);
		int fd = socket(ss.ss_family, SOCK_DGRAM | SOCK_CLOEXEC, 0);
		if (fd < 0)
			return -errno;
		int one = 1;
		if (ss.ss_family == AF_INET6)
			setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof(one));
		if (bind(fd, (struct sockaddr *)&ss, len) < 0)
			return -errno;
		if (i % 10 == 0) {
			len = udp_addr(plan, i, &ss, true);
			if (connect(fd, (struct sockaddr *)&ss, len) < 0)
				return -errno;
		}
	}
	return 0;
}
