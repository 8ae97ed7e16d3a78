/* process.h - facts about one process from /proc: its name and executable path. */
#ifndef TCPT_PROCESS_H
#define TCPT_PROCESS_H

#include <stddef.h>
#include <sys/types.h>

/* Read /proc/PID/comm (relative to the open directory PROC_DIRFD, which is /proc or a stand-in)
 * into BUF without the trailing newline, NUL-terminated, truncated to SIZE-1 bytes.
 * Returns the length, or a negative errno (-ENOENT when the process is gone, -EACCES). */
int process_read_name(int proc_dirfd, pid_t pid, char *buf, size_t size);

/* Read the target of /proc/PID/exe likewise. Returns the length (a path longer than SIZE-1 is
 * truncated), or a negative errno (-ENOENT for kernel threads and vanished processes, -EACCES
 * for other users' processes without privilege). */
int process_read_exe(int proc_dirfd, pid_t pid, char *buf, size_t size);

#endif
