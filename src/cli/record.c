#include "record.h"

#include <arpa/inet.h>

const struct tcpt_conn record_example_row = {.family = AF_INET, .state = TCPT_LISTEN,
					     .protocol = TCPT_PROTO_NUMBER_TCP};

void record_emit(struct view *v, const struct tcpt_conn *r, const struct record_sink *s)
{
	const struct cli_options *o = v->opts;
	char local[INET6_ADDRSTRLEN], remote[INET6_ADDRSTRLEN];
	view_address(r, true, local);
	view_address(r, false, remote);
	s->number(s->ctx, "netns", r->netns);
	s->string(s->ctx, "proto", tcpt_protocol_name(r->protocol));
	s->string(s->ctx, "family", view_family_name(r));
	s->string(s->ctx, "state", tcpt_conn_state_name(r));
	s->string(s->ctx, "local_address", local);
	s->number(s->ctx, "local_port", r->local_port);
	s->string(s->ctx, "remote_address", remote);
	s->number(s->ctx, "remote_port", r->remote_port);
	s->number(s->ctx, "interface", r->scope_id);
	s->number(s->ctx, "uid", r->uid);
	s->number(s->ctx, "inode", r->inode);
	s->number(s->ctx, "cookie", r->cookie);
	s->number(s->ctx, "cgroup_id", r->cgroup_id);
	s->number(s->ctx, "recv_q", r->rqueue);
	s->number(s->ctx, "send_q", r->wqueue);
	s->string(s->ctx, "timer", tcpt_timer_name(r->timer));
	s->number(s->ctx, "timer_expires_ms", r->timer_expires_ms);
	s->number(s->ctx, "retransmits", r->retransmits);
	if (o->show_extended) {
		s->string(s->ctx, "user", names_user(&v->users, r->uid));
		s->string(s->ctx, "cgroup",
			  r->cgroup_id ? names_cgroup(&v->cgroups, r->cgroup_id) : NULL);
	}
	if (o->show_owners)
		s->owners(s->ctx, "owners", r);
	if (o->show_info)
		s->info(s->ctx, "info", r->info);
}

void record_info_fields(const struct tcpt_tcp_info *i, const struct record_sink *s)
{
	static const struct tcpt_tcp_info zero;
	if (!i)
		i = &zero;
	s->number(s->ctx, "rtt_us", i->rtt_us);
	s->number(s->ctx, "rttvar_us", i->rttvar_us);
	s->number(s->ctx, "min_rtt_us", i->min_rtt_us);
	s->number(s->ctx, "rto_us", i->rto_us);
	s->number(s->ctx, "ato_us", i->ato_us);
	s->number(s->ctx, "snd_mss", i->snd_mss);
	s->number(s->ctx, "rcv_mss", i->rcv_mss);
	s->number(s->ctx, "pmtu", i->pmtu);
	s->number(s->ctx, "snd_cwnd", i->snd_cwnd);
	s->number(s->ctx, "snd_ssthresh", i->snd_ssthresh);
	s->number(s->ctx, "retrans", i->retrans);
	s->number(s->ctx, "total_retrans", i->total_retrans);
	s->number(s->ctx, "lost", i->lost);
	s->number(s->ctx, "last_data_sent_ms", i->last_data_sent_ms);
	s->number(s->ctx, "last_data_recv_ms", i->last_data_recv_ms);
	s->number(s->ctx, "last_ack_recv_ms", i->last_ack_recv_ms);
	s->number(s->ctx, "bytes_sent", i->bytes_sent);
	s->number(s->ctx, "bytes_retrans", i->bytes_retrans);
	s->number(s->ctx, "bytes_acked", i->bytes_acked);
	s->number(s->ctx, "bytes_received", i->bytes_received);
	s->number(s->ctx, "delivery_rate", i->delivery_rate);
	if (i->pacing_rate == UINT64_MAX) /* unlimited: null, not a number jq 1.6 misreads */
		s->string(s->ctx, "pacing_rate", NULL);
	else
		s->number(s->ctx, "pacing_rate", i->pacing_rate);
	s->number(s->ctx, "segs_out", i->segs_out);
	s->number(s->ctx, "segs_in", i->segs_in);
	s->number(s->ctx, "ca_state", i->ca_state);
	s->string(s->ctx, "congestion", i->congestion);
}
