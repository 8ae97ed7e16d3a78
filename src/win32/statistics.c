/* statistics.c - GetTcpStatistics(Ex, Ex2) from tcpt_stats_read() plus a connection count. */
#include <iphlpapi.h>

#include "family.h"
#include "table.h"

static int count_row(const struct tcpt_conn *row, void *ctx)
{
	(void)row;
	(void)ctx;
	return 0;
}

/* Every non-LISTEN socket of both families (Linux's counters are not per family either),
 * counted as the kernel streams them: no rows are kept just to be counted. */
static int count_connections(DWORD *ret)
{
	struct tcpt_query q = { .states = TABLE_STATES_CONNECTIONS };
	struct tcpt_stream_result res;
	int r = tcpt_snapshot_stream(&q, count_row, NULL, &res);
	if (r < 0)
		return r;
	*ret = res.rows > (DWORD)-1 ? (DWORD)-1 : (DWORD)res.rows;
	return 0;
}

/* The kernel's counters and the connection count, or the Win32 error. */
static DWORD read_all(ULONG family, struct tcpt_stats *st, DWORD *nconns)
{
	if (family_classify(family) == FAMILY_BAD)
		return ERROR_INVALID_PARAMETER;
	int r = tcpt_stats_read(st);
	if (r == 0)
		r = count_connections(nconns);
	return r == 0 ? NO_ERROR : (DWORD)tcpt_error_win32(r);
}

/* MIB_TCPSTATS is MIB_TCPSTATS2 with 32-bit segment counters: one filling serves both. */
ULONG WINAPI GetTcpStatisticsEx(PMIB_TCPSTATS Statistics, ULONG Family)
{
	MIB_TCPSTATS2 st2;
	if (!Statistics)
		return ERROR_INVALID_PARAMETER;
	ULONG err = GetTcpStatisticsEx2(&st2, Family);
	if (err != NO_ERROR)
		return err;
	*Statistics = (MIB_TCPSTATS){
		.dwRtoAlgorithm = (DWORD)st2.RtoAlgorithm,
		.dwRtoMin = st2.dwRtoMin,
		.dwRtoMax = st2.dwRtoMax,
		.dwMaxConn = st2.dwMaxConn, /* -1 is MIB_TCP_MAXCONN_DYNAMIC */
		.dwActiveOpens = st2.dwActiveOpens,
		.dwPassiveOpens = st2.dwPassiveOpens,
		.dwAttemptFails = st2.dwAttemptFails,
		.dwEstabResets = st2.dwEstabResets,
		.dwCurrEstab = st2.dwCurrEstab,
		.dwInSegs = (DWORD)st2.dw64InSegs,
		.dwOutSegs = (DWORD)st2.dw64OutSegs,
		.dwRetransSegs = st2.dwRetransSegs,
		.dwInErrs = st2.dwInErrs,
		.dwOutRsts = st2.dwOutRsts,
		.dwNumConns = st2.dwNumConns,
	};
	return NO_ERROR;
}

ULONG WINAPI GetTcpStatistics(PMIB_TCPSTATS Statistics)
{
	return GetTcpStatisticsEx(Statistics, LINUX_AF_INET);
}

ULONG WINAPI GetTcpStatisticsEx2(PMIB_TCPSTATS2 Statistics, ULONG Family)
{
	struct tcpt_stats st;
	DWORD nconns = 0;
	if (!Statistics)
		return ERROR_INVALID_PARAMETER;
	DWORD err = read_all(Family, &st, &nconns);
	if (err != NO_ERROR)
		return err;
	*Statistics = (MIB_TCPSTATS2){
		.RtoAlgorithm = (TCP_RTO_ALGORITHM)st.rto_algorithm,
		.dwRtoMin = st.rto_min_ms,
		.dwRtoMax = st.rto_max_ms,
		.dwMaxConn = (DWORD)st.max_conn,
		.dwActiveOpens = (DWORD)st.active_opens,
		.dwPassiveOpens = (DWORD)st.passive_opens,
		.dwAttemptFails = (DWORD)st.attempt_fails,
		.dwEstabResets = (DWORD)st.estab_resets,
		.dwCurrEstab = (DWORD)st.curr_estab,
		.dw64InSegs = st.in_segs,
		.dw64OutSegs = st.out_segs,
		.dwRetransSegs = (DWORD)st.retrans_segs,
		.dwInErrs = (DWORD)st.in_errs,
		.dwOutRsts = (DWORD)st.out_rsts,
		.dwNumConns = nconns,
	};
	return NO_ERROR;
}
