#include "endpoint.h"

#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>

#include "escape.h"
#include "resolve.h"

/* The decimal port, or "*" for 0; returns the length. */
static size_t format_port(char *out, unsigned port)
{
	if (port == 0) {
		out[0] = '*';
		return 1;
	}
	char tmp[5];
	size_t n = 0;
	while (port) {
		tmp[n++] = (char)('0' + port % 10);
		port /= 10;
	}
	for (size_t i = 0; i < n; i++)
		out[i] = tmp[n - 1 - i];
	return n;
}

/* glibc's inet_ntop() formats IPv4 with sprintf(): at 100k rows that alone costs more than
 * the rest of the table. Returns the length written. */
static size_t format_ipv4(char *out, const uint8_t a[4])
{
	size_t n = 0;
	for (int i = 0; i < 4; i++) {
		unsigned v = a[i];
		if (v >= 100)
			out[n++] = (char)('0' + v / 100);
		if (v >= 10)
			out[n++] = (char)('0' + v / 10 % 10);
		out[n++] = (char)('0' + v % 10);
		if (i < 3)
			out[n++] = '.';
	}
	out[n] = '\0';
	return n;
}

size_t endpoint_address(const struct tcpt_conn *row, bool local, char *out)
{
	const uint8_t *addr = local ? row->local_addr : row->remote_addr;
	if (row->family != AF_INET6)
		return format_ipv4(out, addr);
	inet_ntop(AF_INET6, addr, out, INET6_ADDRSTRLEN);
	return strlen(out);
}

size_t endpoint_format(const struct tcpt_conn *row, bool local, struct ifname_cache *ifnames,
		       char *out)
{
	unsigned port = local ? row->local_port : row->remote_port;
	bool v6 = row->family == AF_INET6;
	size_t n = 0;
	if (v6)
		out[n++] = '[';
	n += endpoint_address(row, local, out + n);
	if (local && row->scope_id) {
		const char *name = ifnames_lookup(ifnames, row->netns, row->scope_id);
		out[n++] = '%';
		size_t len = strlen(name);
		memcpy(out + n, name, len);
		n += len;
	}
	if (v6)
		out[n++] = ']';
	out[n++] = ':';
	n += format_port(out + n, port);
	out[n] = '\0';
	return n;
}

size_t endpoint_format_named(const struct tcpt_conn *row, bool local,
			     struct ifname_cache *ifnames, struct resolver *names, char *out,
			     size_t size)
{
	char numeric[ENDPOINT_MAX];
	endpoint_format(row, local, ifnames, numeric);
	char *colon = strrchr(numeric, ':');
	*colon = '\0';
	const uint8_t *addr = local ? row->local_addr : row->remote_addr;
	unsigned port = local ? row->local_port : row->remote_port;
	const char *host = resolver_name(names, row->family, addr);
	const char *service = port ? resolver_service(names, (uint16_t)port) : NULL;
	char host_text[256], port_text[64];
	if (host)
		escape_for_terminal(host, host_text, sizeof(host_text));
	if (service)
		escape_for_terminal(service, port_text, sizeof(port_text));
	else
		snprintf(port_text, sizeof(port_text), "%s", colon + 1);
	int n = snprintf(out, size, "%s:%s", host ? host_text : numeric, port_text);
	return n < 0 ? 0 : (size_t)n < size ? (size_t)n : size - 1;
}

static size_t decimal_digits(unsigned v)
{
	return v >= 10000 ? 5 : v >= 1000 ? 4 : v >= 100 ? 3 : v >= 10 ? 2 : 1;
}

size_t endpoint_length(const struct tcpt_conn *row, bool local, struct ifname_cache *ifnames)
{
	unsigned port = local ? row->local_port : row->remote_port;
	if (row->family == AF_INET6 || (local && row->scope_id)) {
		char scratch[ENDPOINT_MAX];
		return endpoint_format(row, local, ifnames, scratch);
	}
	const uint8_t *a = local ? row->local_addr : row->remote_addr;
	size_t n = 3 + 1 + (port ? decimal_digits(port) : 1); /* dots, colon, port or '*' */
	for (int i = 0; i < 4; i++)
		n += decimal_digits(a[i]);
	return n;
}
