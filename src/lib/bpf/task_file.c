/* task_file.c - socket owners from the iter/task_file program (owners.bpf.c): load, attach,
 * read the records into the owner list, tear everything down. Every failure before the first
 * record is "not available here" (-ENOTSUP). */
#include "loader.h"

#include <errno.h>
#include <string.h>

#include <bpf/libbpf.h>

#include "owners.skel.h"
#include "quiet.h"
#include "record.h"

/* Open and load the program, attached as an iterator: 0, or -ENOTSUP. */
static int load(struct tcpt_owners_bpf **ret_skel, struct bpf_link **ret_link)
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
	*ret_skel = skel;
	*ret_link = link;
	return 0;
}

static int add_record(void *ctx, const void *rec)
{
	struct tcpt_bpf_owner o;
	memcpy(&o, rec, sizeof(o));
	return owner_found_add(ctx, o.inode, o.pid, o.fd);
}

int bpf_owners_collect(struct owner_found_list *found)
{
	if (!bpf_source_possible())
		return -ENOTSUP;
	struct tcpt_owners_bpf *skel;
	struct bpf_link *link;
	int r = load(&skel, &link);
	if (r < 0)
		return r;
	size_t start = found->count;
	r = bpf_iter_read_records(bpf_link__fd(link), sizeof(struct tcpt_bpf_owner), add_record,
				  found);
	if (r < 0)
		found->count = start;
	bpf_link__destroy(link);
	tcpt_owners_bpf__destroy(skel);
	return r;
}
