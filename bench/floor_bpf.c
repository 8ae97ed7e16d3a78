/*
 * floor_bpf - the BPF floors: load one minimal iterator program, attach it, read it to its
 * end, count its records. What a BPF source of ours cannot beat.
 *
 * usage: floor_bpf files|tcp
 *   files  iter/task_file, 16 bytes per socket descriptor (floor_files.bpf.c)
 *   tcp    iter/tcp, 72 bytes per socket (floor_tcp.bpf.c)
 * Prints: sockets=N (files) or rows=N (tcp), then load_us=N read_us=N.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "floor_files.skel.h"
#include "floor_tcp.skel.h"

static long long now_us(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec * 1000000LL + t.tv_nsec / 1000;
}

/* libbpf's warnings only (its default also prints its progress) */
static int warnings(enum libbpf_print_level level, const char *fmt, va_list args)
{
	return level == LIBBPF_WARN ? vfprintf(stderr, fmt, args) : 0;
}

/* Read the iterator of LINK to its end; the number of SIZE-byte records, or -1. */
static long long read_all(struct bpf_link *link, size_t size)
{
	enum { BUF = 1 << 20 };
	static char buf[BUF];
	int fd = bpf_iter_create(bpf_link__fd(link));
	if (fd < 0)
		return -1;
	long long bytes = 0;
	ssize_t n;
	while ((n = read(fd, buf, BUF)) > 0)
		bytes += n;
	close(fd);
	return n < 0 ? -1 : bytes / (long long)size;
}

static int run_files(void)
{
	long long t0 = now_us();
	struct floor_files *s = floor_files__open_and_load();
	struct bpf_link *l = s ? bpf_program__attach_iter(s->progs.floor_files, NULL) : NULL;
	if (!l)
		return fprintf(stderr, "floor_bpf: cannot load the task_file program\n"), 1;
	long long t1 = now_us();
	long long n = read_all(l, 16);
	long long t2 = now_us();
	bpf_link__destroy(l);
	floor_files__destroy(s);
	if (n < 0)
		return fprintf(stderr, "floor_bpf: read failed\n"), 1;
	printf("sockets=%lld load_us=%lld read_us=%lld\n", n, t1 - t0, t2 - t1);
	return 0;
}

static int run_tcp(void)
{
	long long t0 = now_us();
	struct floor_tcp *s = floor_tcp__open_and_load();
	struct bpf_link *l = s ? bpf_program__attach_iter(s->progs.floor_tcp, NULL) : NULL;
	if (!l)
		return fprintf(stderr, "floor_bpf: cannot load the tcp program\n"), 1;
	long long t1 = now_us();
	long long n = read_all(l, 72);
	long long t2 = now_us();
	bpf_link__destroy(l);
	floor_tcp__destroy(s);
	if (n < 0)
		return fprintf(stderr, "floor_bpf: read failed\n"), 1;
	printf("rows=%lld load_us=%lld read_us=%lld\n", n, t1 - t0, t2 - t1);
	return 0;
}

int main(int argc, char **argv)
{
	libbpf_set_print(warnings);
	if (argc == 2 && strcmp(argv[1], "files") == 0)
		return run_files();
	if (argc == 2 && strcmp(argv[1], "tcp") == 0)
		return run_tcp();
	fprintf(stderr, "usage: floor_bpf files|tcp\n");
	return 2;
}
