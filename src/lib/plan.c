/* plan.c - a query, checked and turned into what the sources need. */
#include "plan.h"

#include <errno.h>
#include <sys/stat.h>

#include "filter.h"
#include "owners.h"
#include "procnet.h"

bool plan_query_is_valid(const struct tcpt_query *q)
{
	if ((q->families & ~(unsigned)TCPT_FAMILY_ALL) || (q->states & ~TCPT_STATES_VALID) ||
	    (q->want & ~(unsigned)TCPT_WANT_ALL) || (q->protocols & ~(uint32_t)TCPT_PROTO_ALL))
		return false;
	if (q->source != TCPT_SOURCE_AUTO && q->source != TCPT_SOURCE_NETLINK &&
	    q->source != TCPT_SOURCE_PROC && q->source != TCPT_SOURCE_BPF)
		return false;
	if (q->order != TCPT_ORDER_KERNEL && q->order != TCPT_ORDER_ADDRESS)
		return false;
	if ((q->netns_count && !q->netns_fds) || (q->netns_path_count && !q->netns_paths))
		return false;
	for (size_t i = 0; i < q->netns_path_count; i++)
		if (!q->netns_paths[i])
			return false;
	for (size_t i = 0; i < sizeof(q->reserved) / sizeof(q->reserved[0]); i++)
		if (q->reserved[i])
			return false;
	return filter_validate(q->filter) == 0;
}

/* Request sockets are NEW_SYN_RECV inside the kernel and SYN-RECV in rows: either bit asks
 * for them. */
static uint32_t normalised_states(uint32_t states)
{
	if (!states)
		states = TCPT_STATES_ALL;
	if (states & (TCPT_STATE_BIT(TCPT_SYN_RECV) | TCPT_STATE_BIT(TCPT_NEW_SYN_RECV)))
		states |= TCPT_STATE_BIT(TCPT_SYN_RECV) | TCPT_STATE_BIT(TCPT_NEW_SYN_RECV);
	return states;
}

void plan_init(struct plan *p, const struct tcpt_query *q)
{
	p->source = q->source;
	p->filter = q->filter;
	p->want = q->want;
	if (q->want & TCPT_WANT_PROCESS)
		p->want |= TCPT_WANT_OWNERS;
	if (filter_needs_owners(q->filter))
		p->want |= TCPT_WANT_OWNERS | TCPT_WANT_PROCESS;
	p->request.protocols = q->protocols ? q->protocols : TCPT_PROTO_TCP;
	p->context = q->context;
	p->owners_try_bpf = (p->want & TCPT_WANT_OWNERS) &&
			    owners_try_bpf(q->source, q->context);
	p->request.families = q->families ? q->families : TCPT_FAMILY_ALL;
	p->request.states = normalised_states(q->states);
	size_t len;
	/* a program too large for the kernel only costs speed: user space filters anyway */
	if (filter_has_kernel_part(q->filter) &&
	    bytecode_compile(q->filter, p->bytecode, sizeof(p->bytecode), &len) == 0) {
		p->request.bytecode = p->bytecode;
		p->request.bytecode_len = len;
	}
}

bool plan_worth_falling_back(int r)
{
	return r != -ENOMEM;
}

int plan_netlink_error(int r)
{
	bool refused = r == -EPROTONOSUPPORT || r == -EAFNOSUPPORT || r == -EPERM || r == -EACCES;
	return refused ? -ENOTSUP : r;
}

static int collect_rows(const struct plan *p, struct rowvec *rows, struct infovec *infos,
			enum tcpt_source *ret_used)
{
	int r = -ENOTSUP;
	if (p->source != TCPT_SOURCE_PROC) {
		struct diag_request req = p->request;
		req.infos = (p->want & TCPT_WANT_INFO) ? infos : NULL;
		r = diag_collect_kernel(&req, rows);
		if (r == 0) {
			*ret_used = TCPT_SOURCE_NETLINK;
			return 0;
		}
		if (p->source == TCPT_SOURCE_NETLINK || !plan_worth_falling_back(r))
			return plan_netlink_error(r);
	}
	r = procnet_collect(p->request.protocols, p->request.families, p->request.states, rows);
	if (r == 0)
		*ret_used = TCPT_SOURCE_PROC;
	return r;
}

uint64_t plan_current_netns(void)
{
	struct stat st;
	if (stat("/proc/thread-self/ns/net", &st) < 0 && stat("/proc/self/ns/net", &st) < 0)
		return 0;
	return st.st_ino;
}

int plan_collect_here(const struct plan *p, struct rowvec *rows, struct infovec *infos,
		      enum tcpt_source *ret_used)
{
	size_t start = rows->count;
	int r = collect_rows(p, rows, infos, ret_used);
	if (r < 0)
		return r;
	uint64_t netns = plan_current_netns();
	for (size_t i = start; i < rows->count; i++)
		rows->rows[i].netns = netns;
	return 0;
}
