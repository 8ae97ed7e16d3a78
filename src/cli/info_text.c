#include "info_text.h"

#include <stdio.h>

#include "escape.h"

static size_t clamp(int n, size_t size)
{
	if (n < 0)
		return 0;
	return (size_t)n < size ? (size_t)n : size - 1;
}

size_t info_text_timer(const struct tcpt_conn *r, char *out, size_t size)
{
	if (r->timer == TCPT_TIMER_NONE)
		return clamp(snprintf(out, size, "-"), size);
	return clamp(snprintf(out, size, "%s,%ums,%u", tcpt_timer_name(r->timer),
			      (unsigned)r->timer_expires_ms, (unsigned)r->retransmits),
		     size);
}

size_t info_text_detail(const struct tcpt_tcp_info *i, char *out, size_t size)
{
	char ssthresh[16] = "-";
	if (i->snd_ssthresh < 0x7fffffff)
		snprintf(ssthresh, sizeof(ssthresh), "%u", i->snd_ssthresh);
	char cong[64];
	escape_for_terminal(i->congestion[0] ? i->congestion : "-", cong, sizeof(cong));
	return clamp(
		snprintf(out, size,
			 "%s rtt:%.3f/%.3fms rto:%.0fms mss:%u pmtu:%u cwnd:%u ssthresh:%s "
			 "retrans:%u/%u lost:%u sent:%lluB acked:%lluB received:%lluB "
			 "delivery_rate:%llubps last_send:%ums last_recv:%ums",
			 cong, i->rtt_us / 1000.0, i->rttvar_us / 1000.0, i->rto_us / 1000.0,
			 i->snd_mss, i->pmtu, i->snd_cwnd, ssthresh, i->retrans, i->total_retrans,
			 i->lost, (unsigned long long)i->bytes_sent,
			 (unsigned long long)i->bytes_acked, (unsigned long long)i->bytes_received,
			 (unsigned long long)i->delivery_rate * 8, i->last_data_sent_ms,
			 i->last_data_recv_ms),
		size);
}
