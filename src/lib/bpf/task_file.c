/* task_file.c - socket owners from the iter/task_file program (owners.bpf.c): load and
 * attach it, read its records into the owner list (as often as wanted), tear it down. Every failure before the first
 * record is "not available here" (-ENOTSUP). */
#include "loader.h"

#include <errno.h>
#include <string.h>

#include <bpf/libbpf.h>

#include "owners.skel.h"
#include "quiet.h"
#include "record.h"

int bpf_owners_load(struct bpf_owners_program *ret)
{
	/* libbpf finds the kernel's own BTF, once for relocations and the attach point alike; a
	 * path of our own would be parsed a second time */
	LIBBPF_OPTS(bpf_object_open_opts, opts, .btf_custom_path = bpf_btf_custom_path());
	bpf_quiet_begin();
	struct tcpt_owners_bpf *skel = tcpt_owners_bpf__open_opts(&opts);
	struct bpf_link *link = NULL;
	if (skel && tcpt_owners_bpf__load(skel) == 0)
		link = bpf_program__attach_iter(skel->progs.socket_owners, NULL);
	bpf_quiet_end();
	if (!link) {
		tcpt_owners_bpf__destroy(skel);
		return -ENOTSUP;
	}
	ret->skel = skel;
	ret->link = link;
	return 0;
}

void bpf_owners_unload(struct bpf_owners_program *p)
{
	bpf_link__destroy(p->link);
	tcpt_owners_bpf__destroy(p->skel);
	*p = (struct bpf_owners_program){0};
}

static int add_record(void *ctx, const void *rec)
{
	struct tcpt_bpf_owner o;
	memcpy(&o, rec, sizeof(o));
	return owner_found_add(ctx, o.inode, o.pid, o.fd);
}

int bpf_owners_read(const struct bpf_owners_program *p, struct owner_found_list *found)
{
	size_t start = found->count;
	int r = bpf_iter_read_records(bpf_link__fd(p->link), sizeof(struct tcpt_bpf_owner),
				      add_record, found);
	if (r < 0)
		found->count = start;
	return r;
}

int bpf_owners_collect(struct owner_found_list *found)
{
	if (!bpf_source_possible())
		return -ENOTSUP;
	struct bpf_owners_program p;
	int r = bpf_owners_load(&p);
	if (r < 0)
		return r;
	r = bpf_owners_read(&p, found);
	bpf_owners_unload(&p);
	return r;
}
