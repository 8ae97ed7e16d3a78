/*
 * floor_dump - the dump floor: dump every TCP socket over netlink and count them.
 *
 * usage: floor_dump [-m compat|family] [-b BUFSIZE]
 * Prints one line: rows=N v4=N v6=N tw=N held=N held4=N (held: rows with an inode, i.e.
 * sockets some process may hold a descriptor for; TIME-WAIT and SYN-RECV rows have none;
 * held4: those of IPv4). The
 * harness also uses that line as the kernel's own count of what every tool must show.
 */
#include "nldump.h"

#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct counts {
	size_t rows, v4, v6, tw, held, held4;
};

static void count(const struct inet_diag_msg *m, void *ctx)
{
	struct counts *c = ctx;
	c->rows++;
	c->v4 += m->idiag_family == AF_INET;
	c->v6 += m->idiag_family == AF_INET6;
	c->tw += m->idiag_state == 6; /* TCP_TIME_WAIT */
	c->held += m->idiag_inode != 0;
	c->held4 += m->idiag_inode != 0 && m->idiag_family == AF_INET;
}

int main(int argc, char **argv)
{
	enum nldump_mode mode = NLDUMP_COMPAT;
	size_t bufsize = 32768;
	int opt;
	while ((opt = getopt(argc, argv, "m:b:")) != -1) {
		if (opt == 'm' && nldump_parse_mode(optarg, &mode) == 0)
			continue;
		if (opt == 'b' && (bufsize = strtoul(optarg, NULL, 0)) >= 8192)
			continue;
		fprintf(stderr, "usage: floor_dump [-m compat|family] [-b BUFSIZE>=8192]\n");
		return 2;
	}
	struct counts c = {0};
	int r = nldump_run(mode, bufsize, count, &c);
	if (r < 0) {
		fprintf(stderr, "floor_dump: %s\n", strerror(-r));
		return 1;
	}
	printf("rows=%zu v4=%zu v6=%zu tw=%zu held=%zu held4=%zu\n", c.rows, c.v4, c.v6, c.tw,
	       c.held, c.held4);
	return 0;
}
