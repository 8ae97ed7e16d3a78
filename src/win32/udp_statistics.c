/* udp_statistics.c - GetUdpStatistics(Ex, Ex2) from tcpt_udp_stats_read() plus a count of
 * the family's UDP sockets. */
#include <iphlpapi.h>

#include "family.h"
#include "table.h"

static int count_row(const struct tcpt_conn *row, void *ctx)
{
	(void)row;
	(void)ctx;
	return 0;
}

/* The family's UDP sockets (the rows of its UDP table), counted as the kernel streams them. */
static int count_endpoints(unsigned family, DWORD *ret)
{
	struct tcpt_query q = { .protocols = TCPT_PROTO_UDP, .families = family };
	struct tcpt_stream_result res;
	int r = tcpt_snapshot_stream(&q, count_row, NULL, &res);
	if (r < 0)
		return r;
	*ret = res.rows > (DWORD)-1 ? (DWORD)-1 : (DWORD)res.rows;
	return 0;
}

static DWORD win32_error(int r)
{
	/* no counters to read (no snmp6 without IPv6) is "not supported", as for TCP */
	return (DWORD)tcpt_error_win32(r);
}

ULONG WINAPI GetUdpStatisticsEx2(PMIB_UDPSTATS2 Statistics, ULONG Family)
{
	enum family_kind fam = family_classify(Family);
	if (!Statistics || fam == FAMILY_BAD)
		return ERROR_INVALID_PARAMETER;
	struct tcpt_udp_stats st;
	DWORD naddrs = 0;
	int r = tcpt_udp_stats_read(fam == FAMILY_V6 ? LINUX_AF_INET6 : LINUX_AF_INET, &st);
	if (r == 0)
		r = count_endpoints(fam == FAMILY_V6 ? TCPT_FAMILY_IPV6 : TCPT_FAMILY_IPV4, &naddrs);
	if (r < 0)
		return win32_error(r);
	*Statistics = (MIB_UDPSTATS2){
		.dw64InDatagrams = st.in_datagrams,
		.dwNoPorts = (DWORD)st.no_ports,
		.dwInErrors = (DWORD)st.in_errors,
		.dw64OutDatagrams = st.out_datagrams,
		.dwNumAddrs = naddrs,
	};
	return NO_ERROR;
}

/* MIB_UDPSTATS is MIB_UDPSTATS2 with 32-bit datagram counters: one filling serves both. */
ULONG WINAPI GetUdpStatisticsEx(PMIB_UDPSTATS Statistics, ULONG Family)
{
	MIB_UDPSTATS2 st2;
	if (!Statistics)
		return ERROR_INVALID_PARAMETER;
	ULONG err = GetUdpStatisticsEx2(&st2, Family);
	if (err != NO_ERROR)
		return err;
	*Statistics = (MIB_UDPSTATS){
		.dwInDatagrams = (DWORD)st2.dw64InDatagrams,
		.dwNoPorts = st2.dwNoPorts,
		.dwInErrors = st2.dwInErrors,
		.dwOutDatagrams = (DWORD)st2.dw64OutDatagrams,
		.dwNumAddrs = st2.dwNumAddrs,
	};
	return NO_ERROR;
}

ULONG WINAPI GetUdpStatistics(PMIB_UDPSTATS Stats)
{
	return GetUdpStatisticsEx(Stats, LINUX_AF_INET);
}
