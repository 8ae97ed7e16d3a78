/* test_process.c - Tool Help, OpenProcess, QueryFullProcessImageName, psapi and CloseHandle
 * over the native process layer (tcpt_process_read/exe), with Windows' error codes for pids
 * that are gone, absent or not accessible. */
#include <windows.h>
#include <psapi.h>
#include <tlhelp32.h>

#include <errno.h>
#include <limits.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "tcptable.h"

/* Our own executable, and its comm (the name ps and Tool Help show). */
static char self_exe[PATH_MAX], self_comm[16];

static int group_setup(void **state)
{
	(void)state;
	ssize_t n = readlink("/proc/self/exe", self_exe, sizeof(self_exe) - 1);
	if (n <= 0)
		return -1;
	self_exe[n] = '\0';
	FILE *f = fopen("/proc/self/comm", "r");
	if (!f || !fgets(self_comm, sizeof(self_comm), f))
		return -1;
	fclose(f);
	self_comm[strcspn(self_comm, "\n")] = '\0';
	return 0;
}

/* A pid that no process has: a child that has exited and been reaped. */
static DWORD gone_pid(void)
{
	pid_t pid = fork();
	assert_true(pid >= 0);
	if (pid == 0)
		_exit(0);
	assert_int_equal(pid, waitpid(pid, NULL, 0));
	return (DWORD)pid;
}

static void native_process_facts(void **state)
{
	(void)state;
	struct tcpt_process p;
	assert_int_equal(0, tcpt_process_read(getpid(), &p));
	assert_int_equal(getpid(), p.pid);
	assert_int_equal(getppid(), p.ppid);
	assert_int_equal(1, p.threads);
	assert_string_equal(self_comm, p.name);
	assert_true(p.start_time > 0);
	char exe[PATH_MAX];
	assert_int_equal((int)strlen(self_exe), tcpt_process_exe(getpid(), exe, sizeof(exe)));
	assert_string_equal(self_exe, exe);
	char small[4];
	assert_int_equal((int)strlen(self_exe), tcpt_process_exe(getpid(), small, sizeof(small)));
	assert_int_equal(3, strlen(small)); /* truncated, NUL-terminated */
	assert_int_equal(-ENOENT, tcpt_process_read((int32_t)gone_pid(), &p));
	assert_int_equal(-EINVAL, tcpt_process_read(0, &p));
	assert_int_equal(-EINVAL, tcpt_process_read(getpid(), NULL));
	assert_int_equal(-EINVAL, tcpt_process_exe(getpid(), NULL, 8));
	assert_int_equal(-ENOENT, tcpt_process_exe((int32_t)gone_pid(), exe, sizeof(exe)));
}

static void snapshot_lists_this_process(void **state)
{
	(void)state;
	HANDLE snap = CreateToolhelp32Snapshot(TH32CS_SNAPPROCESS, 0);
	assert_true(snap != INVALID_HANDLE_VALUE);
	PROCESSENTRY32 pe;
	memset(&pe, 0xA5, sizeof(pe));
	pe.dwSize = sizeof(pe);
	int found = 0, count = 0;
	DWORD last = 0;
	for (BOOL ok = Process32First(snap, &pe); ok; ok = Process32Next(snap, &pe)) {
		assert_true(pe.th32ProcessID > last); /* ascending, each once */
		last = pe.th32ProcessID;
		count++;
		if (pe.th32ProcessID == (DWORD)getpid()) {
			found = 1;
			assert_int_equal((DWORD)getppid(), pe.th32ParentProcessID);
			assert_int_equal(1, pe.cntThreads);
			assert_string_equal(self_comm, pe.szExeFile);
			assert_int_equal(8, pe.pcPriClassBase); /* nice 0: NORMAL */
			assert_int_equal(0, pe.cntUsage);
			assert_int_equal(0, pe.th32DefaultHeapID);
			assert_int_equal(0, pe.szExeFile[MAX_PATH - 1]);
		}
	}
	assert_int_equal(ERROR_NO_MORE_FILES, GetLastError());
	assert_true(found);
	assert_true(count > 1);
	/* First starts over; the W form gives the same name as wide characters */
	PROCESSENTRY32W pw;
	pw.dwSize = sizeof(pw);
	assert_true(Process32FirstW(snap, &pw));
	found = 0;
	do {
		if (pw.th32ProcessID == (DWORD)getpid()) {
			char narrow[16];
			assert_true(WideCharToMultiByte(CP_UTF8, 0, pw.szExeFile, -1, narrow,
							sizeof(narrow), NULL, NULL) > 0);
			assert_string_equal(self_comm, narrow);
			found = 1;
		}
	} while (Process32NextW(snap, &pw));
	assert_true(found);
	assert_true(CloseHandle(snap));
}

static void snapshot_errors(void **state)
{
	(void)state;
	assert_ptr_equal(INVALID_HANDLE_VALUE, CreateToolhelp32Snapshot(TH32CS_SNAPTHREAD, 0));
	assert_int_equal(ERROR_INVALID_PARAMETER, GetLastError());
	HANDLE snap = CreateToolhelp32Snapshot(TH32CS_SNAPPROCESS | TH32CS_SNAPTHREAD, 0);
	assert_true(snap != INVALID_HANDLE_VALUE);
	PROCESSENTRY32 pe;
	pe.dwSize = sizeof(pe) - 1;
	assert_false(Process32First(snap, &pe));
	assert_int_equal(ERROR_BAD_LENGTH, GetLastError());
	assert_false(Process32First(snap, NULL));
	assert_int_equal(ERROR_INVALID_PARAMETER, GetLastError());
	assert_false(Process32First(INVALID_HANDLE_VALUE, &pe));
	assert_int_equal(ERROR_INVALID_HANDLE, GetLastError());
	assert_false(Process32First(NULL, &pe));
	assert_int_equal(ERROR_INVALID_HANDLE, GetLastError());
	/* a process handle is not a snapshot */
	HANDLE h = OpenProcess(PROCESS_QUERY_LIMITED_INFORMATION, FALSE, GetCurrentProcessId());
	assert_non_null(h);
	pe.dwSize = sizeof(pe);
	assert_false(Process32First(h, &pe));
	assert_int_equal(ERROR_INVALID_HANDLE, GetLastError());
	assert_true(CloseHandle(h));
	assert_true(CloseHandle(snap));
	assert_false(CloseHandle(NULL));
	assert_int_equal(ERROR_INVALID_HANDLE, GetLastError());
	assert_false(CloseHandle(INVALID_HANDLE_VALUE));
	assert_int_equal(ERROR_INVALID_HANDLE, GetLastError());
}

static void open_process_names_the_executable(void **state)
{
	(void)state;
	HANDLE h = OpenProcess(PROCESS_QUERY_INFORMATION | PROCESS_VM_READ, FALSE,
			       GetCurrentProcessId());
	assert_non_null(h);
	char path[PATH_MAX];
	DWORD n = sizeof(path);
	assert_true(QueryFullProcessImageNameA(h, 0, path, &n));
	assert_string_equal(self_exe, path);
	assert_int_equal(strlen(self_exe), n);
	WCHAR wpath[PATH_MAX];
	n = PATH_MAX;
	assert_true(QueryFullProcessImageNameW(h, PROCESS_NAME_NATIVE, wpath, &n));
	assert_int_equal(strlen(self_exe), n); /* ASCII path: one WCHAR per byte */
	assert_int_equal((WCHAR)self_exe[0], wpath[0]);
	n = 4;
	assert_false(QueryFullProcessImageNameA(h, 0, path, &n));
	assert_int_equal(ERROR_INSUFFICIENT_BUFFER, GetLastError());
	assert_int_equal(4, n);
	n = sizeof(path);
	assert_false(QueryFullProcessImageNameA(h, 2, path, &n));
	assert_int_equal(ERROR_INVALID_PARAMETER, GetLastError());

	const char *base = strrchr(self_exe, '/') + 1;
	char name[MAX_PATH];
	assert_int_equal(strlen(base), GetModuleBaseNameA(h, NULL, name, sizeof(name)));
	assert_string_equal(base, name);
	assert_int_equal(3, GetModuleBaseNameA(h, NULL, name, 4)); /* truncated */
	assert_int_equal(3, strlen(name));
	assert_int_equal(0, GetModuleBaseNameA(h, (HMODULE)h, name, sizeof(name)));
	assert_int_equal(ERROR_INVALID_HANDLE, GetLastError());
	WCHAR wname[MAX_PATH];
	assert_int_equal(strlen(base), GetModuleBaseNameW(h, NULL, wname, MAX_PATH));
	assert_int_equal(strlen(self_exe), GetModuleFileNameExA(h, NULL, path, sizeof(path)));
	assert_string_equal(self_exe, path);
	assert_int_equal(strlen(self_exe), GetProcessImageFileNameA(h, path, sizeof(path)));
	assert_string_equal(self_exe, path);
	assert_int_equal(0, GetProcessImageFileNameA(h, path, 4));
	assert_int_equal(ERROR_INSUFFICIENT_BUFFER, GetLastError());
	assert_int_equal(strlen(self_exe), GetProcessImageFileNameW(h, wpath, PATH_MAX));
	assert_true(CloseHandle(h));

	/* the limited right suffices for the image, not for the module functions */
	h = OpenProcess(PROCESS_QUERY_LIMITED_INFORMATION, FALSE, GetCurrentProcessId());
	assert_non_null(h);
	assert_int_equal(strlen(self_exe), GetProcessImageFileNameA(h, path, sizeof(path)));
	assert_int_equal(0, GetModuleBaseNameA(h, NULL, name, sizeof(name)));
	assert_int_equal(ERROR_ACCESS_DENIED, GetLastError());
	assert_true(CloseHandle(h));
	h = OpenProcess(SYNCHRONIZE, FALSE, GetCurrentProcessId());
	assert_non_null(h);
	n = sizeof(path);
	assert_false(QueryFullProcessImageNameA(h, 0, path, &n));
	assert_int_equal(ERROR_ACCESS_DENIED, GetLastError());
	assert_true(CloseHandle(h));
}

static void enum_processes_lists_pids(void **state)
{
	(void)state;
	DWORD pids[8192], cb = 0;
	assert_true(EnumProcesses(pids, sizeof(pids), &cb));
	assert_int_equal(0, cb % sizeof(DWORD));
	int found = 0;
	for (DWORD i = 0; i < cb / sizeof(DWORD); i++)
		found |= pids[i] == (DWORD)getpid();
	assert_true(found);
	DWORD two[2];
	assert_true(EnumProcesses(two, sizeof(two), &cb));
	assert_int_equal(sizeof(two), cb); /* full: maybe more */
	assert_false(EnumProcesses(NULL, 8, &cb));
	assert_int_equal(ERROR_INVALID_PARAMETER, GetLastError());
	assert_false(EnumProcesses(pids, sizeof(pids), NULL));
	assert_int_equal(ERROR_INVALID_PARAMETER, GetLastError());
}

/* Windows: OpenProcess of pid 0 or of a pid no process has is ERROR_INVALID_PARAMETER. */
static void open_process_of_no_process_is_87(void **state)
{
	(void)state;
	assert_null(OpenProcess(PROCESS_QUERY_LIMITED_INFORMATION, FALSE, 0));
	assert_int_equal(ERROR_INVALID_PARAMETER, GetLastError());
	assert_null(OpenProcess(PROCESS_QUERY_LIMITED_INFORMATION, FALSE, gone_pid()));
	assert_int_equal(ERROR_INVALID_PARAMETER, GetLastError());
	assert_null(OpenProcess(PROCESS_ALL_ACCESS, FALSE, 0xFFFFFFF0u));
	assert_int_equal(ERROR_INVALID_PARAMETER, GetLastError());
}

/* A process that exits after OpenProcess has no image left: ERROR_GEN_FAILURE. */
static void a_process_gone_since_open_has_no_image(void **state)
{
	(void)state;
	int fds[2];
	assert_int_equal(0, pipe(fds));
	pid_t pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		char c;
		close(fds[1]);
		(void)read(fds[0], &c, 1);
		_exit(0);
	}
	close(fds[0]);
	HANDLE h = OpenProcess(PROCESS_QUERY_INFORMATION | PROCESS_VM_READ, FALSE, (DWORD)pid);
	assert_non_null(h);
	char path[PATH_MAX];
	DWORD n = sizeof(path);
	assert_true(QueryFullProcessImageNameA(h, 0, path, &n));
	close(fds[1]); /* the child exits */
	assert_int_equal(pid, waitpid(pid, NULL, 0));
	n = sizeof(path);
	assert_false(QueryFullProcessImageNameA(h, 0, path, &n));
	assert_int_equal(ERROR_GEN_FAILURE, GetLastError());
	assert_int_equal(0, GetModuleBaseNameA(h, NULL, path, sizeof(path)));
	assert_int_equal(ERROR_GEN_FAILURE, GetLastError());
	assert_true(CloseHandle(h));
}

/* kthreadd has no executable, as Windows' System has no image file. */
static void a_kernel_thread_has_no_image(void **state)
{
	(void)state;
	if (access("/proc/2/stat", F_OK) != 0)
		skip(); /* a pid namespace without kthreadd */
	HANDLE h = OpenProcess(PROCESS_QUERY_LIMITED_INFORMATION, FALSE, 2);
	assert_non_null(h);
	char path[64];
	DWORD n = sizeof(path);
	assert_false(QueryFullProcessImageNameA(h, 0, path, &n));
	assert_int_equal(ERROR_GEN_FAILURE, GetLastError());
	assert_true(CloseHandle(h));
}

/* As nobody: another user's process opens for the limited query only (Windows grants that to
 * a non-elevated caller); more rights are ERROR_ACCESS_DENIED, and its path cannot be read. */
static void another_users_process_as_nobody(void **state)
{
	(void)state;
	if (geteuid() != 0)
		skip(); /* needs root to become nobody and to own the target */
	DWORD target = GetCurrentProcessId(); /* root's */
	pid_t pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		if (setgid(65534) != 0 || setuid(65534) != 0)
			_exit(10);
		int fail = 0;
		HANDLE h = OpenProcess(PROCESS_QUERY_INFORMATION | PROCESS_VM_READ, FALSE, target);
		fail |= (h != NULL || GetLastError() != ERROR_ACCESS_DENIED) << 0;
		h = OpenProcess(PROCESS_QUERY_LIMITED_INFORMATION, FALSE, target);
		fail |= (h == NULL) << 1;
		char path[PATH_MAX];
		DWORD n = sizeof(path);
		fail |= (QueryFullProcessImageNameA(h, 0, path, &n) ||
			 GetLastError() != ERROR_ACCESS_DENIED) << 2;
		fail |= (GetProcessImageFileNameA(h, path, sizeof(path)) != 0 ||
			 GetLastError() != ERROR_ACCESS_DENIED) << 3;
		CloseHandle(h);
		/* the snapshot still lists the process with its name */
		HANDLE snap = CreateToolhelp32Snapshot(TH32CS_SNAPPROCESS, 0);
		PROCESSENTRY32 pe;
		pe.dwSize = sizeof(pe);
		int seen = 0;
		for (BOOL ok = Process32First(snap, &pe); ok; ok = Process32Next(snap, &pe))
			seen |= pe.th32ProcessID == target && strcmp(pe.szExeFile, self_comm) == 0;
		CloseHandle(snap);
		fail |= !seen << 4;
		_exit(fail);
	}
	int status;
	assert_int_equal(pid, waitpid(pid, &status, 0));
	assert_true(WIFEXITED(status));
	assert_int_equal(0, WEXITSTATUS(status));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(native_process_facts),
		cmocka_unit_test(snapshot_lists_this_process),
		cmocka_unit_test(snapshot_errors),
		cmocka_unit_test(open_process_names_the_executable),
		cmocka_unit_test(enum_processes_lists_pids),
		cmocka_unit_test(open_process_of_no_process_is_87),
		cmocka_unit_test(a_process_gone_since_open_has_no_image),
		cmocka_unit_test(a_kernel_thread_has_no_image),
		cmocka_unit_test(another_users_process_as_nobody),
	};
	return cmocka_run_group_tests_name("win32 processes", tests, group_setup, NULL);
}
