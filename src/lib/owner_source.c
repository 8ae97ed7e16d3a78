/* owner_source.c - which owner source serves a query, and building the index through it:
 * the BPF task_file iterator where it may load and pays, the /proc fd scan otherwise or when
 * the iterator fails for any reason. */
#include "owners.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "context.h"
#include "loader.h"

/* Below this many open files on the host the /proc scan is cheaper than loading the iterator.
 * Measured here (bench/run.py --tools '^(snap|tcptable) -p' 1000 2500 5000 10000, 2 cores,
 * kernel 6.18): libbpf's load and CO-RE relocation against the 5.5 MB vmlinux BTF costs
 * ~25-30 ms, the scan ~2.5 us per descriptor, and they meet at ~10,000 host files
 * (N=5,000 connections: equal; 2,500: /proc 20 % faster; 10,000: BPF 30 % faster). */
#define OWNERS_BPF_CROSSOVER_FILES 11000

/* Open files of the whole host (the first number of /proc/sys/fs/file-nr); 0 if unknown. */
static unsigned long host_open_files(void)
{
	int fd = open("/proc/sys/fs/file-nr", O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return 0;
	char buf[96];
	ssize_t n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return 0;
	buf[n] = '\0';
	return strtoul(buf, NULL, 10);
}

bool owners_try_bpf(enum tcpt_source source, struct tcpt_context *context)
{
	if (source == TCPT_SOURCE_BPF)
		return true;
	if (source != TCPT_SOURCE_AUTO || !bpf_source_possible())
		return false;
	/* with a context the load is paid once, and a loaded walk beats the scan at any size */
	if (context)
		return context_owners_usable(context);
	return host_open_files() >= OWNERS_BPF_CROSSOVER_FILES;
}

int owner_index_collect(bool try_bpf, struct tcpt_context *context, bool want_process,
			struct arena *strings, struct owner_index *ret,
			enum tcpt_source *ret_used)
{
	if (try_bpf) {
		struct owner_found_list found = {0};
		int r = context ? context_owners_collect(context, &found)
				: bpf_owners_collect(&found);
		if (r == 0)
			r = owner_index_build_from("/proc", &found, want_process, strings, ret);
		free(found.items);
		if (r == 0)
			*ret_used = TCPT_SOURCE_BPF;
		if (r != -ENOTSUP)
			return r;
	}
	int r = owner_index_build("/proc", want_process, strings, ret);
	if (r == 0)
		*ret_used = TCPT_SOURCE_PROC;
	return r;
}
