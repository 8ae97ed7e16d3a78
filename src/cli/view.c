#include "view.h"

#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>

/* NO_COLOR (no-color.org): present and not empty disables colour unless asked explicitly. */
static bool color_wanted(enum color_mode mode, bool is_tty)
{
	if (mode == COLOR_ALWAYS)
		return true;
	if (mode == COLOR_NEVER)
		return false;
	const char *no_color = getenv("NO_COLOR");
	return is_tty && !(no_color && *no_color);
}

void view_init(struct view *v, const struct cli_options *opts, bool is_tty)
{
	memset(v, 0, sizeof(*v));
	v->opts = opts;
	v->color = opts->format == FORMAT_TABLE && color_wanted(opts->color, is_tty);
	v->show_netns = opts->all_netns || opts->netns;
	v->escape_csv = is_tty;
	ifnames_set_namespaces(&v->ifnames, opts->query.netns_paths, opts->query.netns_path_count);
}

void view_free(struct view *v)
{
	names_free(&v->users);
	names_free(&v->cgroups);
	names_free(&v->netns_names);
	ifnames_free(&v->ifnames);
}

const char *view_proto_name(const struct tcpt_conn *r)
{
	bool v6 = r->family == AF_INET6;
	if (r->protocol == TCPT_PROTO_NUMBER_UDP)
		return v6 ? "udp6" : "udp";
	return v6 ? "tcp6" : "tcp";
}

const char *view_family_name(const struct tcpt_conn *r)
{
	return r->family == AF_INET6 ? "ipv6" : "ipv4";
}

void view_address(const struct tcpt_conn *r, bool local, char *out)
{
	endpoint_address(r, local, out);
}
