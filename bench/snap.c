/*
 * snap - the native API measured without any presentation: one tcpt_snapshot_take().
 *
 * usage: snap [-p] [-s] [-S auto|bpf|netlink|proc]
 *   -p  TCPT_WANT_OWNERS (the owner scan and the join)
 *   -s  TCPT_ORDER_ADDRESS (sorted rows)
 *   -S  the query's source (default auto)
 * Prints: rows=N owned=N (owned: rows with at least one owner).
 */
#include <tcptable.h>

#include <stdio.h>
#include <string.h>
#include <unistd.h>

static size_t count_owned(const struct tcpt_snapshot *snap)
{
	const struct tcpt_conn *rows = tcpt_snapshot_rows(snap);
	size_t owned = 0;
	for (size_t i = 0; i < tcpt_snapshot_count(snap); i++)
		owned += rows[i].owner_count > 0;
	return owned;
}

int main(int argc, char **argv)
{
	struct tcpt_query q = {0};
	int opt;
	static const enum tcpt_source sources[] = {TCPT_SOURCE_AUTO, TCPT_SOURCE_BPF,
						   TCPT_SOURCE_NETLINK, TCPT_SOURCE_PROC};
	while ((opt = getopt(argc, argv, "psS:")) != -1) {
		if (opt == 'p')
			q.want |= TCPT_WANT_OWNERS;
		else if (opt == 's')
			q.order = TCPT_ORDER_ADDRESS;
		else if (opt == 'S') {
			size_t i = 0;
			while (i < 4 && strcmp(optarg, tcpt_source_name(sources[i])) != 0)
				i++;
			if (i == 4)
				return fprintf(stderr, "snap: unknown source %s\n", optarg), 2;
			q.source = sources[i];
		} else
			return fprintf(stderr, "usage: snap [-p] [-s] [-S SOURCE]\n"), 2;
	}
	struct tcpt_snapshot *snap;
	int r = tcpt_snapshot_take(&q, &snap);
	if (r < 0) {
		fprintf(stderr, "snap: %s\n", tcpt_strerror(r));
		return 1;
	}
	printf("rows=%zu owned=%zu\n", tcpt_snapshot_count(snap), count_owned(snap));
	tcpt_snapshot_free(snap);
	return 0;
}
