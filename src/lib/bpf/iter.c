/* iter.c - what every BPF iterator of the library needs: may it be tried, libbpf kept quiet,
 * an iterator read to its end in records. */
#include "loader.h"

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <bpf/bpf.h>
#include <linux/capability.h>

#include "quiet.h"

#ifndef CAP_PERFMON
#define CAP_PERFMON 38
#endif
#ifndef CAP_BPF
#define CAP_BPF 39
#endif

const char *bpf_btf_custom_path(void)
{
	const char *path = secure_getenv("TCPT_BPF_BTF");
	return path && *path ? path : NULL;
}

const char *bpf_btf_path(void)
{
	const char *path = bpf_btf_custom_path();
	return path ? path : "/sys/kernel/btf/vmlinux";
}

static bool has_cap(const struct __user_cap_data_struct *data, unsigned cap)
{
	return data[cap / 32].effective & (UINT32_C(1) << (cap % 32));
}

static bool may_load_tracing_programs(void)
{
	struct __user_cap_header_struct head = {.version = _LINUX_CAPABILITY_VERSION_3};
	struct __user_cap_data_struct data[_LINUX_CAPABILITY_U32S_3];
	memset(data, 0, sizeof(data));
	if (syscall(SYS_capget, &head, data) < 0)
		return false;
	return has_cap(data, CAP_SYS_ADMIN) || (has_cap(data, CAP_BPF) && has_cap(data, CAP_PERFMON));
}

bool bpf_source_possible(void)
{
	return access(bpf_btf_path(), R_OK) == 0 && may_load_tracing_programs();
}

/* --- libbpf's messages ------------------------------------------------------------------- */

/* libbpf prints through one process-wide function; the library must never print. While one of
 * our programs loads, libbpf's printer is a silent one, and the previous printer is put back
 * afterwards. The lock keeps two loads of ours from saving each other's silence as "the
 * previous printer". */
static pthread_mutex_t quiet_lock = PTHREAD_MUTEX_INITIALIZER;
static libbpf_print_fn_t quiet_saved;

static int print_nothing(enum libbpf_print_level level, const char *fmt, va_list args)
{
	(void)level;
	(void)fmt;
	(void)args;
	return 0;
}

void bpf_quiet_begin(void)
{
	pthread_mutex_lock(&quiet_lock);
	quiet_saved = libbpf_set_print(print_nothing);
}

void bpf_quiet_end(void)
{
	libbpf_set_print(quiet_saved);
	pthread_mutex_unlock(&quiet_lock);
}

/* --- reading ------------------------------------------------------------------------------- */

enum { READ_SIZE = 256 * 1024 };

int bpf_iter_read_records(int link_fd, size_t size, int (*fn)(void *ctx, const void *rec),
			  void *ctx)
{
	int fd = bpf_iter_create(link_fd);
	if (fd < 0)
		return -ENOTSUP;
	unsigned char *buf = malloc(READ_SIZE);
	if (!buf) {
		close(fd);
		return -ENOMEM;
	}
	size_t have = 0; /* bytes of a record cut at the end of the last read */
	int r = 0;
	for (;;) {
		ssize_t n = read(fd, buf + have, READ_SIZE - have);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			r = errno == ENOMEM ? -ENOMEM : -ENOTSUP;
			break;
		}
		if (n == 0) {
			r = have ? -ENOTSUP : 0; /* a torn record: not what the program writes */
			break;
		}
		have += (size_t)n;
		size_t used = 0;
		for (; r == 0 && have - used >= size; used += size)
			r = fn(ctx, buf + used);
		if (r < 0)
			break;
		memmove(buf, buf + used, have - used);
		have -= used;
	}
	free(buf);
	close(fd);
	return r;
}
