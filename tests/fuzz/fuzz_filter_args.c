/* fuzz_filter_args - filter_args_add() (the values of --sport, --dst, --user, --pid, --comm,
 * --state, ...) on arbitrary text, then the filter it built checked for what the library
 * requires of a filter (ranges in order, prefix lengths within their family, states valid)
 * and run on a row. Input: one byte picking the list, then values separated by NUL bytes. */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "filter_args.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(c)                                                                             \
	do {                                                                                 \
		if (!(c))                                                                    \
			__builtin_trap();                                                    \
	} while (0)

static void check_ranges(const struct tcpt_port_range *r, size_t n)
{
	CHECK(!n || r);
	for (size_t i = 0; i < n; i++)
		CHECK(r[i].first <= r[i].last);
}

static void check_prefixes(const struct tcpt_prefix *p, size_t n)
{
	CHECK(!n || p);
	for (size_t i = 0; i < n; i++)
		CHECK((p[i].family == AF_INET && p[i].bits <= 32) ||
		      (p[i].family == AF_INET6 && p[i].bits <= 128));
}

static void check(const struct filter_args *a)
{
	const struct tcpt_filter *f = &a->filter;
	check_ranges(f->local_ports, f->local_port_count);
	check_ranges(f->remote_ports, f->remote_port_count);
	check_ranges(f->ports, f->port_count);
	check_prefixes(f->local_addrs, f->local_addr_count);
	check_prefixes(f->remote_addrs, f->remote_addr_count);
	CHECK(!f->uid_count || f->uids);
	CHECK(!f->pid_count || f->pids);
	for (size_t i = 0; i < f->pid_count; i++)
		CHECK(f->pids[i] > 0);
	CHECK(!f->name_count || f->names);
	for (size_t i = 0; i < f->name_count; i++)
		CHECK(f->names[i] && strlen(f->names[i]) <= 15);
	CHECK((a->states & ~(uint32_t)TCPT_STATES_VALID) == 0);
	struct tcpt_conn row = {.family = AF_INET, .state = TCPT_ESTABLISHED};
	(void)tcpt_filter_match(f, &row);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1 || size > 4096)
		return 0;
	enum filter_list list = (enum filter_list)(data[0] % (FILTER_STATES + 1));
	char *text = malloc(size);
	if (!text)
		return 0;
	memcpy(text, data + 1, size - 1);
	text[size - 1] = '\0';
	struct filter_args a = {0};
	for (char *v = text; v < text + size;) {
		const char *why = NULL;
		int r = filter_args_add(&a, list, v, &why);
		CHECK(r == 0 || r == -ENOMEM || (r == -EINVAL && why && *why));
		check(&a);
		v += strlen(v) + 1;
	}
	filter_args_free(&a);
	CHECK(!filter_args_any(&a));
	free(text);
	return 0;
}
