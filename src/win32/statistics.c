/* statistics.c - GetTcpStatistics(Ex, Ex2) from tcpt_stats_read() plus a connection count. */
#include <iphlpapi.h>

#include "family.h"
#include "table.h"

/* Every non-LISTEN socket of both families: Linux's counters are not per family either. */
static int count_connections(DWORD *ret)
{
	struct tcpt_query q = { .states = TABLE_STATES_CONNECTIONS };
	struct tcpt_snapshot *snap;
	int r = tcpt_snapshot_take(&q, &snap);
	if (r < 0)
		return r;
	size_t n = tcpt_snapshot_count(snap);
	tcpt_snapshot_free(snap);
	*ret = n > (DWORD)-1 ? (DWORD)-1 : (DWORD)n;
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

ULONG WINAPI GetTcpStatisticsEx(PMIB_TCPSTATS Statistics, ULONG Family)
{
	struct tcpt_stats st;
	DWORD nconns = 0;
	if (!Statistics)
		return ERROR_INVALID_PARAMETER;
	DWORD err = read_all(Family, &st, &nconns);
	if (err != NO_ERROR)
		return err;
	*Statistics = (MIB_TCPSTATS){
		.dwRtoAlgorithm = st.rto_algorithm,
		.dwRtoMin = st.rto_min_ms,
		.dwRtoMax = st.rto_max_ms,
		.dwMaxConn = (DWORD)st.max_conn, /* -1 is MIB_TCP_MAXCONN_DYNAMIC */
		.dwActiveOpens = (DWORD)st.active_opens,
		.dwPassiveOpens = (DWORD)st.passive_opens,
		.dwAttemptFails = (DWORD)st.attempt_fails,
		.dwEstabResets = (DWORD)st.estab_resets,
		.dwCurrEstab = (DWORD)st.curr_estab,
		.dwInSegs = (DWORD)st.in_segs,
		.dwOutSegs = (DWORD)st.out_segs,
		.dwRetransSegs = (DWORD)st.retrans_segs,
		.dwInErrs = (DWORD)st.in_errs,
		.dwOutRsts = (DWORD)st.out_rsts,
		.dwNumConns = nconns,
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
