/* test_untrusted.c - a process whose name has control characters and invalid UTF-8, run from
 * an executable whose path is ~4 KiB of directories with the same: every output of the
 * command (table, JSON, CSV) shows them escaped, and GetOwnerModuleFromTcpEntry gives valid
 * wide characters (WCHAR: wchar_t) inside the caller's buffer (which ends at an unmapped
 * page), pointers inside it. */
// clang-format off
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
// clang-format on

#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <iphlpapi.h>

#include "check.h"
#include "rel.h"
#include "sandbox.h"

/* 15 bytes (TASK_COMM_LEN - 1): ESC, an OSC title sequence, BEL, a lone 0xff, a C1 CSI. */
static const char evil_name[] = "\x1b]0;pwn\x07\xff\xc2\x9b" "2J\x7f";
/* One directory level: 200 bytes with a newline, ESC, 0xff and a valid é. */
#define LEVEL_LEN 200
#define LEVELS 19
static const char evil_file[] = "e\x1b[31m\xff\n\xc3\xa9vil";

static bool have_netns;
static int listener = -1, release = -1;
static pid_t holder = -1;
static char top[64];
static char exe_path[8192]; /* what /proc/PID/exe must say */

static void make_level(char *name, int i)
{
	memset(name, 'd', LEVEL_LEN);
	memcpy(name, "\n\x1b\xff\xc3\xa9", 5);
	name[5] = (char)('a' + i % 26);
	name[LEVEL_LEN] = '\0';
}

static int copy_file(const char *from, int dirfd, const char *name)
{
	int in = open(from, O_RDONLY | O_CLOEXEC);
	int out = openat(dirfd, name, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0755);
	char buf[65536];
	ssize_t n;
	while (in >= 0 && out >= 0 && (n = read(in, buf, sizeof(buf))) > 0)
		if (write(out, buf, (size_t)n) != n)
			break;
	int ok = in >= 0 && out >= 0;
	close(in);
	close(out);
	return ok ? 0 : -1;
}

/* The deep directory, the hostile executable in it, the holder running from it. */
static int start_holder(void)
{
	strcpy(top, "/tmp/tcpt-untrusted-XXXXXX");
	if (!mkdtemp(top))
		return -1;
	int dir = open(top, O_DIRECTORY | O_CLOEXEC);
	size_t len = (size_t)snprintf(exe_path, sizeof(exe_path), "%s", top);
	for (int i = 0; i < LEVELS && dir >= 0; i++) {
		char name[LEVEL_LEN + 1];
		make_level(name, i);
		mkdirat(dir, name, 0755);
		int next = openat(dir, name, O_DIRECTORY | O_CLOEXEC);
		close(dir);
		dir = next;
		len += (size_t)snprintf(exe_path + len, sizeof(exe_path) - len, "/%s", name);
	}
	snprintf(exe_path + len, sizeof(exe_path) - len, "/%s", evil_file);
	if (dir < 0 || copy_file(rel_build_path("tests/reliability/reliability_holder"), dir,
				 evil_file) < 0)
		return -1;
	int ready[2], hold[2];
	if (pipe2(ready, O_CLOEXEC) < 0 || pipe2(hold, O_CLOEXEC) < 0)
		return -1;
	listener = rel_listen(2, "127.0.0.1", 0);
	holder = fork();
	if (holder == 0) {
		dup2(hold[0], 0);
		dup2(ready[1], 3);
		fcntl(listener, F_SETFD, 0); /* the holder keeps it */
		if (fchdir(dir) == 0)
			execl(evil_file, evil_file, evil_name, (char *)NULL);
		_exit(127);
	}
	close(dir);
	close(ready[1]);
	close(hold[0]);
	release = hold[1];
	char c;
	int ok = read(ready[0], &c, 1) == 1;
	close(ready[0]);
	return ok ? 0 : -1;
}

static int group_setup(void **state)
{
	(void)state;
	bool skip;
	have_netns = rel_netns("reliability untrusted", &skip) == 0;
	if (have_netns && start_holder() < 0) {
		printf("# could not start the holder from the deep directory\n");
		return -1;
	}
	return 0;
}

static int group_teardown(void **state)
{
	(void)state;
	if (holder > 0) {
		close(release);
		waitpid(holder, NULL, 0);
	}
	if (top[0]) {
		char cmd[128];
		snprintf(cmd, sizeof(cmd), "rm -rf '%s'", top);
		(void)!system(cmd);
	}
	return 0;
}

/* No C0 control but LF (and TAB), no DEL, and valid UTF-8 without C1 controls. */
static bool inert(const char *s, size_t n, const char *what)
{
	for (size_t i = 0; i < n;) {
		unsigned char c = (unsigned char)s[i];
		size_t len = c < 0x80 ? 1 : (c & 0xe0) == 0xc0 ? 2 : (c & 0xf0) == 0xe0 ? 3
			   : (c & 0xf8) == 0xf0 ? 4 : 0;
		bool bad = (c < 0x20 && c != '\n' && c != '\t') || c == 0x7f || len == 0 ||
			   i + len > n || (c == 0xc2 && (unsigned char)s[i + 1] < 0xa0) ||
			   (c >= 0x80 && c < 0xc2);
		for (size_t k = 1; !bad && k < len; k++)
			bad = ((unsigned char)s[i + k] & 0xc0) != 0x80;
		if (bad) {
			printf("# %s: byte 0x%02x at offset %zu acts on a terminal or is not UTF-8\n",
			       what, c, i);
			return false;
		}
		i += len;
	}
	return true;
}

/* Run tcptable A1 A2; its output must contain MUST_CONTAIN and, unless EXACT (CSV into a
 * pipe keeps bytes exactly, csv.h), act on no terminal. */
static void run_cli(const char *what, const char *a1, const char *a2, const char *must_contain,
		    bool exact)
{
	static char out[1 << 20], err[8192];
	char *argv[] = {(char *)rel_build_path("src/cli/tcptable"), (char *)a1, (char *)a2, NULL};
	EXPECT_EQ(0, sandbox_run(argv, out, sizeof(out), err, sizeof(err)));
	size_t n = strlen(out);
	if (!exact)
		EXPECT_TRUE(inert(out, n, what));
	EXPECT_TRUE(inert(err, strlen(err), what));
	if (!strstr(out, must_contain)) {
		check_failed++;
		printf("# %s: the escaped name is missing from:\n%.1000s\n", what, out);
	}
}

static void every_output_of_the_command_escapes_hostile_names_and_paths(void **state)
{
	(void)state;
	if (!have_netns)
		skip();
	run_cli("table -p", "-p", NULL, "\\x1b]0;pwn\\x07\\xff\\xc2\\x9b", false);
	run_cli("table -pe", "-p", "-e", "\\x1b]0;pwn\\x07", false);
	run_cli("--json -p", "--json", "-p", "\\u001b]0;pwn\\u0007\\udcff\\u009b2J\\u007f",
		false);
	run_cli("--jsonl -p", "--jsonl", "-p", "\\u001b[31m\\udcff\\n\xc3\xa9vil", false);
	/* exact bytes, but ';' inside a value of an owner list is written "\;" (csv.h) */
	run_cli("--csv -p", "--csv", "-p", "\x1b]0\\;pwn\x07\xff\xc2\x9b" "2J\x7f", true);
	CHECKS_DONE();
}

/* Valid wide characters (Unicode scalar values: no surrogate, none past U+10FFFF),
 * NUL-terminated before END; the length, or -1. */
static long wide_valid(const WCHAR *s, const unsigned char *end)
{
	for (long n = 0; (const unsigned char *)(s + n + 1) <= end; n++) {
		if (s[n] == 0)
			return n;
		if ((s[n] >= 0xd800 && s[n] <= 0xdfff) || (unsigned long)s[n] > 0x10ffff)
			return -1;
	}
	return -1;
}

/* The wide characters an invalid-bytes-become-U+FFFD decoder gives for the bytes of S (only
 * bytes 0xff are invalid in our names; valid sequences are 1 or 2 bytes here). */
static size_t expected_wide(const char *s, WCHAR *out)
{
	size_t n = 0;
	for (const unsigned char *p = (const unsigned char *)s; *p;) {
		if (*p < 0x80) {
			out[n++] = *p++;
		} else if ((*p & 0xe0) == 0xc0 && (p[1] & 0xc0) == 0x80) {
			out[n++] = (WCHAR)((*p & 0x1f) << 6 | (p[1] & 0x3f));
			p += 2;
		} else {
			out[n++] = 0xfffd;
			p++;
		}
	}
	out[n] = 0;
	return n;
}

static void owner_module_gives_valid_wide_strings_inside_the_callers_buffer(void **state)
{
	(void)state;
	if (!have_netns)
		skip();
	printf("# executable path: %zu bytes\n", strlen(exe_path));
	MIB_TCPROW_OWNER_MODULE row = {.dwOwningPid = (DWORD)holder};
	DWORD need = 0;
	EXPECT_EQ(ERROR_INSUFFICIENT_BUFFER,
		  GetOwnerModuleFromTcpEntry(&row, TCPIP_OWNER_MODULE_INFO_BASIC, NULL, &need));
	unsigned char *buf = rel_guard_alloc(need, 0xa5);
	DWORD size = need;
	EXPECT_EQ(NO_ERROR, GetOwnerModuleFromTcpEntry(&row, TCPIP_OWNER_MODULE_INFO_BASIC, buf,
						       &size));
	TCPIP_OWNER_MODULE_BASIC_INFO info; /* the buffer ends at the guard page: unaligned */
	memcpy(&info, buf, sizeof(info));
	const unsigned char *end = buf + need;
	EXPECT_TRUE((unsigned char *)info.pModuleName >= buf + sizeof(info) &&
		    (unsigned char *)info.pModuleName < end);
	EXPECT_TRUE((unsigned char *)info.pModulePath >= buf + sizeof(info) &&
		    (unsigned char *)info.pModulePath < end);
	/* the strings are WCHAR-aligned only if the buffer is; copy them out to read */
	static WCHAR got[8192];
	memcpy(got, buf, need < sizeof(got) ? need : sizeof(got));
	const WCHAR *name = (const WCHAR *)((unsigned char *)got +
					    ((unsigned char *)info.pModuleName - buf));
	const WCHAR *path = (const WCHAR *)((unsigned char *)got +
					    ((unsigned char *)info.pModulePath - buf));
	const unsigned char *gend = (unsigned char *)got + (need < sizeof(got) ? need : sizeof(got));
	long name_len = wide_valid(name, gend);
	long path_len = wide_valid(path, gend);
	EXPECT_TRUE(name_len > 0 && path_len > 0);
	static WCHAR want_path[8192], want_name[256];
	size_t wp = expected_wide(exe_path, want_path);
	size_t wn = expected_wide(evil_file, want_name);
	EXPECT_EQ(wp, path_len);
	EXPECT_EQ(wn, name_len);
	if (path_len == (long)wp)
		EXPECT_EQ(0, memcmp(want_path, path, wp * sizeof(WCHAR)));
	if (name_len == (long)wn)
		EXPECT_EQ(0, memcmp(want_name, name, wn * sizeof(WCHAR)));
	rel_guard_free(buf, need);
	CHECKS_DONE();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(every_output_of_the_command_escapes_hostile_names_and_paths),
		cmocka_unit_test(owner_module_gives_valid_wide_strings_inside_the_callers_buffer),
	};
	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
