/* pids.h - the pids of the caller's pid namespace, from /proc. */
#ifndef TCPT_WIN32_PIDS_H
#define TCPT_WIN32_PIDS_H

#include <stddef.h>
#include <stdint.h>

#include <windows.h>

/* Every pid in /proc, ascending, in a malloc()ed array at *PIDS (count *N). Returns NO_ERROR,
 * ERROR_NOT_SUPPORTED (/proc cannot be read) or ERROR_NOT_ENOUGH_MEMORY. */
DWORD pids_list(int32_t **pids, size_t *n);

#endif
