/* loader.h - the BPF iterator source: whether it can run here, and what its programs find.
 *
 * Every failure of this source (no BTF, no privilege, bpf() refused or missing, a kernel
 * without the iterator, a program the verifier rejects) is reported as -ENOTSUP, "not
 * available here", so that callers fall back to the next source; only a lack of memory is
 * -ENOMEM. Nothing is printed: libbpf's messages are silenced while it loads. */
#ifndef TCPT_BPF_LOADER_H
#define TCPT_BPF_LOADER_H

#include <stdbool.h>
#include <stddef.h>

#include "owners.h"

/* The kernel BTF the programs are relocated against: /sys/kernel/btf/vmlinux, or the file
 * named by the environment variable TCPT_BPF_BTF (a test hook: pointing it at a missing file
 * simulates a kernel without BTF; ignored in set-id programs). Never NULL. */
const char *bpf_btf_path(void);

/* The file TCPT_BPF_BTF names, or NULL when it is unset (libbpf then finds the kernel's). */
const char *bpf_btf_custom_path(void);

/* Whether the BPF source may be tried: the kernel BTF is readable and the calling thread has
 * CAP_BPF and CAP_PERFMON, or CAP_SYS_ADMIN. Cheap (one access(), one capget()); a true
 * answer does not promise that loading succeeds. */
bool bpf_source_possible(void);

/* Read the iterator whose link is LINK_FD to its end, handing each record of SIZE bytes to
 * FN. Returns 0, FN's first negative value, or -ENOTSUP (the kernel's read failed). */
int bpf_iter_read_records(int link_fd, size_t size, int (*fn)(void *ctx, const void *rec),
			  void *ctx);

struct tcpt_owners_bpf;
struct bpf_link;

/* The iter/task_file program, loaded and attached: read it with bpf_owners_read(). */
struct bpf_owners_program {
	struct tcpt_owners_bpf *skel;
	struct bpf_link *link;
};

/* Load and attach the program into *RET. Returns 0, or -ENOTSUP (*ret untouched). */
int bpf_owners_load(struct bpf_owners_program *ret);

/* Release what bpf_owners_load() set up; P is zeroed. */
void bpf_owners_unload(struct bpf_owners_program *p);

/* One walk of every task's descriptors through the loaded program P (threads may read one
 * program at the same time: each read has an iterator of its own), appended to FOUND as
 * bpf_owners_collect() says. Returns 0, -ENOTSUP (FOUND unchanged) or -ENOMEM. */
int bpf_owners_read(const struct bpf_owners_program *p, struct owner_found_list *found);

/* Load, read once, unload: every socket descriptor of every process of the caller's pid
 * namespace, from the iter/task_file program, appended to FOUND grouped by pid, pids as the
 * caller's pid namespace numbers them. Returns 0, -ENOTSUP (see above; FOUND unchanged) or -ENOMEM. */
int bpf_owners_collect(struct owner_found_list *found);

#endif
