/* errors.c - names, messages and Win32 codes of every error the library returns, from one
 * list so that they cannot drift apart. */
#include <errno.h>
#include <stddef.h>
#include <stdint.h>

#include "tcptable.h"

/* Win32 codes (winerror.h) the IP Helper layer reports. */
enum {
	W_NO_ERROR = 0,
	W_ACCESS_DENIED = 5,
	W_NOT_ENOUGH_MEMORY = 8,
	W_GEN_FAILURE = 31,
	W_NOT_SUPPORTED = 50,
	W_INVALID_PARAMETER = 87,
	W_INSUFFICIENT_BUFFER = 122,
	W_MR_MID_NOT_FOUND = 317, /* what a non-elevated SetTcpEntry caller gets */
	W_NOT_FOUND = 1168,
	W_STATUS_UNSUCCESSFUL = 0xC0000001u,
};

/* X(errno, message, win32) */
#define TCPT_ERROR_LIST(X)                                                                    \
	X(EINVAL, "invalid argument", W_INVALID_PARAMETER)                                    \
	X(ENOMEM, "out of memory", W_NOT_ENOUGH_MEMORY)                                       \
	/* ENOTSUP and EOPNOTSUPP are one number on Linux: one entry serves both uses. */       \
	X(ENOTSUP, "not supported here (no readable source of sockets, or a kernel feature "    \
		   "such as CONFIG_INET_DIAG_DESTROY is missing)", W_NOT_SUPPORTED)           \
	X(EPROTO, "malformed netlink answer from the kernel", W_GEN_FAILURE)                  \
	X(EBADMSG, "truncated or inconsistent data from the kernel", W_GEN_FAILURE)           \
	X(ESRCH, "netlink answer from an unexpected sender", W_GEN_FAILURE)                   \
	X(ENOBUFS, "netlink socket buffer overrun; retry", W_STATUS_UNSUCCESSFUL)             \
	X(ENOSPC, "netlink message larger than the receive buffer", W_GEN_FAILURE)            \
	X(EAGAIN, "the kernel kept interrupting the socket dump; retry", W_STATUS_UNSUCCESSFUL) \
	X(EINTR, "interrupted", W_STATUS_UNSUCCESSFUL)                                        \
	X(EPERM, "operation needs CAP_NET_ADMIN", W_MR_MID_NOT_FOUND)                         \
	X(EACCES, "permission denied", W_ACCESS_DENIED)                                       \
	X(ENOENT, "no such connection", W_NOT_FOUND)                                          \
	X(EAFNOSUPPORT, "address family not supported", W_NOT_SUPPORTED)                      \
	X(EPROTONOSUPPORT, "netlink sock_diag is not available in this kernel", W_NOT_SUPPORTED) \
	X(ENOSYS, "function not implemented", W_NOT_SUPPORTED)                                \
	X(EMFILE, "too many open files", W_GEN_FAILURE)                                       \
	X(ENFILE, "too many open files in the system", W_GEN_FAILURE)                         \
	X(EOVERFLOW, "table too large", W_INSUFFICIENT_BUFFER)                                \
	X(EBADF, "not an open file descriptor", W_INVALID_PARAMETER)

struct error_entry {
	int code;
	const char *name;
	const char *message;
	uint32_t win32;
};

#define X_ENTRY(code, message, win32) {code, #code, message, win32},
static const struct error_entry errors[] = {TCPT_ERROR_LIST(X_ENTRY)};
#undef X_ENTRY

static const struct error_entry *find_error(int err)
{
	if (err >= 0)
		return NULL;
	/* negate the table's codes, never ERR: -INT_MIN does not exist */
	for (size_t i = 0; i < sizeof(errors) / sizeof(errors[0]); i++)
		if (-errors[i].code == err)
			return &errors[i];
	return NULL;
}

TCPT_EXPORT const char *tcpt_strerror(int err)
{
	if (err == 0)
		return "success";
	const struct error_entry *e = find_error(err);
	return e ? e->message : "unknown error";
}

TCPT_EXPORT const char *tcpt_error_name(int err)
{
	if (err == 0)
		return "OK";
	const struct error_entry *e = find_error(err);
	return e ? e->name : "UNKNOWN";
}

TCPT_EXPORT uint32_t tcpt_error_win32(int err)
{
	if (err == 0)
		return W_NO_ERROR;
	const struct error_entry *e = find_error(err);
	return e ? e->win32 : W_GEN_FAILURE;
}
