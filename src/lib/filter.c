/* filter.c - the user-space half of filtering: the reference semantics, used for every
 * source; the kernel's bytecode (bytecode.c) only removes rows earlier. */
#include "filter.h"

#include "expr.h"

#include <errno.h>
#include <netinet/in.h>
#include <string.h>

static bool ranges_valid(const struct tcpt_port_range *r, size_t n)
{
	if (n && !r)
		return false;
	for (size_t i = 0; i < n; i++)
		if (r[i].first > r[i].last)
			return false;
	return true;
}

static bool prefixes_valid(const struct tcpt_prefix *p, size_t n)
{
	if (n && !p)
		return false;
	for (size_t i = 0; i < n; i++) {
		if (p[i].family == AF_INET && p[i].bits <= 32)
			continue;
		if (p[i].family == AF_INET6 && p[i].bits <= 128)
			continue;
		return false;
	}
	return true;
}

static bool names_valid(const char *const *names, size_t n)
{
	if (n && !names)
		return false;
	for (size_t i = 0; i < n; i++)
		if (!names[i])
			return false;
	return true;
}

int filter_validate(const struct tcpt_filter *f)
{
	if (!f)
		return 0;
	bool ok = ranges_valid(f->local_ports, f->local_port_count) &&
		  ranges_valid(f->remote_ports, f->remote_port_count) &&
		  ranges_valid(f->ports, f->port_count) &&
		  prefixes_valid(f->local_addrs, f->local_addr_count) &&
		  prefixes_valid(f->remote_addrs, f->remote_addr_count) &&
		  (!f->uid_count || f->uids) && (!f->pid_count || f->pids) &&
		  names_valid(f->names, f->name_count) &&
		  expr_validate(f->expr, f->expr_count) == 0;
	return ok ? 0 : -EINVAL;
}

bool filter_needs_owners(const struct tcpt_filter *f)
{
	return f && (f->pid_count || f->name_count);
}

bool filter_has_kernel_part(const struct tcpt_filter *f)
{
	return f && (f->local_port_count || f->remote_port_count || f->port_count ||
		     f->local_addr_count || f->remote_addr_count || f->expr_count);
}

static bool port_in(const struct tcpt_port_range *r, size_t n, uint16_t port)
{
	if (!n)
		return true;
	for (size_t i = 0; i < n; i++)
		if (port >= r[i].first && port <= r[i].last)
			return true;
	return false;
}

static bool addr_in(const struct tcpt_prefix *p, size_t n, int family, const uint8_t addr[16])
{
	if (!n)
		return true;
	for (size_t i = 0; i < n; i++)
		/* as the kernel's host condition (v4-mapped addresses too); a family-0 prefix,
		 * an expression's "any address", is no member of a valid address list */
		if (p[i].family && expr_prefix_matches(&p[i], family, addr))
			return true;
	return false;
}

static bool uid_in(const uint32_t *uids, size_t n, uint32_t uid)
{
	if (!n)
		return true;
	for (size_t i = 0; i < n; i++)
		if (uids[i] == uid)
			return true;
	return false;
}

static bool owner_pid_in(const int32_t *pids, size_t n, const struct tcpt_conn *r)
{
	if (!n)
		return true;
	for (uint32_t o = 0; o < r->owner_count; o++)
		for (size_t i = 0; i < n; i++)
			if (r->owners[o].pid == pids[i])
				return true;
	return false;
}

static bool owner_name_in(const char *const *names, size_t n, const struct tcpt_conn *r)
{
	if (!n)
		return true;
	for (uint32_t o = 0; o < r->owner_count; o++)
		for (size_t i = 0; i < n; i++)
			if (r->owners[o].name && strcmp(r->owners[o].name, names[i]) == 0)
				return true;
	return false;
}

TCPT_EXPORT int tcpt_filter_match(const struct tcpt_filter *f, const struct tcpt_conn *r)
{
	if (!r)
		return 0;
	if (!f)
		return 1;
	bool either_port = !f->port_count || port_in(f->ports, f->port_count, r->local_port) ||
			   port_in(f->ports, f->port_count, r->remote_port);
	return port_in(f->local_ports, f->local_port_count, r->local_port) &&
	       port_in(f->remote_ports, f->remote_port_count, r->remote_port) && either_port &&
	       addr_in(f->local_addrs, f->local_addr_count, r->family, r->local_addr) &&
	       addr_in(f->remote_addrs, f->remote_addr_count, r->family, r->remote_addr) &&
	       uid_in(f->uids, f->uid_count, r->uid) &&
	       owner_pid_in(f->pids, f->pid_count, r) && owner_name_in(f->names, f->name_count, r) &&
	       (!f->expr_count || expr_match(f->expr, f->expr_count, r));
}
