/* sandbox.c - see sandbox.h. */
#include "sandbox.h"

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/netlink.h>
#include <linux/seccomp.h>
#include <poll.h>
#include <stdbool.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

int sandbox_deny_netlink(void)
{
	struct sock_filter code[] = {
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, arch)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, AUDIT_ARCH_X86_64, 1, 0),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW), /* another ABI: not filtered */
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, __NR_socket, 0, 3),
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, args[0])),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, AF_NETLINK, 0, 1),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | EAFNOSUPPORT),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
	};
	struct sock_fprog prog = {.len = sizeof(code) / sizeof(*code), .filter = code};
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0 ||
	    prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog) < 0)
		return -1;
	int fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_SOCK_DIAG);
	if (fd >= 0) { /* the filter does not work: the test would prove nothing */
		close(fd);
		errno = ENOTRECOVERABLE;
		return -1;
	}
	return errno == EAFNOSUPPORT ? 0 : -1;
}

int sandbox_hide_proc(void)
{
	if (unshare(CLONE_NEWNS) < 0 || mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0 ||
	    mount("none", "/proc", "tmpfs", MS_NOSUID | MS_NODEV | MS_NOEXEC, "size=4k") < 0)
		return -1;
	if (access("/proc/net/tcp", F_OK) == 0 || access("/proc/self/net/tcp6", F_OK) == 0) {
		errno = ENOTRECOVERABLE;
		return -1;
	}
	return 0;
}

int sandbox_become_nobody(void)
{
	if (setgroups(0, NULL) < 0 || setgid(65534) < 0 || setuid(65534) < 0)
		return -1;
	return getuid() == 65534 && geteuid() == 65534 ? 0 : -1;
}

/* Read once from FD into BUF (capped); false at end of file. */
static bool drain(int fd, char *buf, size_t size, size_t *len)
{
	char tmp[4096];
	ssize_t n = read(fd, tmp, sizeof(tmp));
	if (n <= 0)
		return false;
	size_t take = (size_t)n < size - 1 - *len ? (size_t)n : size - 1 - *len;
	memcpy(buf + *len, tmp, take);
	*len += take;
	buf[*len] = '\0';
	return true;
}

int sandbox_run(char *const argv[], char *out, size_t outsize, char *err, size_t errsize)
{
	int po[2], pe[2];
	if (pipe2(po, O_CLOEXEC) < 0 || pipe2(pe, O_CLOEXEC) < 0)
		return -1;
	pid_t pid = fork();
	if (pid == 0) {
		int null = open("/dev/null", O_RDONLY);
		dup2(null, 0);
		dup2(po[1], 1);
		dup2(pe[1], 2);
		execv(argv[0], argv);
		_exit(127);
	}
	close(po[1]);
	close(pe[1]);
	size_t lo = 0, le = 0;
	out[0] = err[0] = '\0';
	struct pollfd p[2] = {{po[0], POLLIN, 0}, {pe[0], POLLIN, 0}};
	while ((p[0].fd >= 0 || p[1].fd >= 0) && poll(p, 2, 30000) > 0)
		for (int i = 0; i < 2; i++)
			if (p[i].revents && !drain(p[i].fd, i ? err : out, i ? errsize : outsize,
						   i ? &le : &lo)) {
				close(p[i].fd);
				p[i].fd = -1;
			}
	int status;
	if (waitpid(pid, &status, 0) < 0 || !WIFEXITED(status))
		return -1;
	return WEXITSTATUS(status);
}

static int diff(const char *what, size_t i, unsigned long long a, unsigned long long b)
{
	if (a == b)
		return 0;
	printf("# row %zu: %s: netlink %llu, /proc %llu\n", i, what, a, b);
	return 1;
}

size_t sandbox_compare_sources(const struct tcpt_conn *a, size_t na, const struct tcpt_conn *b,
			       size_t nb)
{
	size_t d = diff("row count", 0, na, nb);
	for (size_t i = 0; i < na && i < nb; i++) {
		const struct tcpt_conn *x = &a[i], *y = &b[i];
		d += diff("family", i, x->family, y->family) + diff("state", i, x->state, y->state) +
		     diff("local port", i, x->local_port, y->local_port) +
		     diff("remote port", i, x->remote_port, y->remote_port) +
		     diff("addresses", i, 0,
			  (unsigned long long)(memcmp(x->local_addr, y->local_addr, 16) != 0 ||
					       memcmp(x->remote_addr, y->remote_addr, 16) != 0)) +
		     diff("inode", i, x->inode, y->inode) + diff("netns", i, x->netns, y->netns) +
		     diff("rqueue", i, x->rqueue, y->rqueue) + diff("timer", i, x->timer, y->timer);
		if (x->state != TCPT_SYN_RECV)
			d += diff("uid", i, x->uid, y->uid);
		if (x->state != TCPT_LISTEN)
			d += diff("wqueue", i, x->wqueue, y->wqueue);
		long long t = (long long)x->timer_expires_ms - (long long)y->timer_expires_ms;
		if (t > 10 || t < -10)
			d += diff("timer_expires_ms", i, x->timer_expires_ms, y->timer_expires_ms);
	}
	return d;
}
