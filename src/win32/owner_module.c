/* owner_module.c - GetOwnerModuleFromTcp(6)Entry, GetOwnerModuleFromUdp(6)Entry: a pid's
 * executable as wide strings in the caller's buffer. */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <iphlpapi.h>

#include "wide.h"

/* The module of a process: its executable's path and the file name within it. */
struct module {
	char path[PATH_MAX];
	size_t path_len;
	size_t name_off; /* where the file name starts in path */
};

/* What Windows reports for endpoints owned by the kernel. */
static const char system_name[] = "System";

/* Find PID's executable. Returns NO_ERROR (empty for an executable the caller may not read,
 * "System" for a process without one), or ERROR_NOT_FOUND for no such process. */
static DWORD find_module(DWORD pid, struct module *m)
{
	char link[64];
	struct stat st;

	snprintf(link, sizeof(link), "/proc/%u", (unsigned)pid);
	if (pid == 0 || pid > INT_MAX || stat(link, &st) != 0)
		return ERROR_NOT_FOUND;
	snprintf(link, sizeof(link), "/proc/%u/exe", (unsigned)pid);
	ssize_t n = readlink(link, m->path, sizeof(m->path) - 1);
	if (n < 0) {
		const char *s = errno == ENOENT ? system_name : "";
		n = (ssize_t)strlen(s);
		memcpy(m->path, s, (size_t)n);
	}
	m->path[n] = '\0';
	m->path_len = (size_t)n;
	const char *slash = strrchr(m->path, '/');
	m->name_off = slash ? (size_t)(slash - m->path) + 1 : 0;
	return NO_ERROR;
}

/* Convert LEN bytes at S to wide characters with a NUL at DEST (any alignment: the caller's
 * buffer may end anywhere). Returns DEST past the NUL. */
static unsigned char *put_wide(unsigned char *dest, const char *s, size_t len)
{
	for (size_t i = 0; i < len;) {
		size_t step = len - i < 64 ? len - i : 64;
		/* never split a UTF-8 sequence: back off to a lead byte */
		while (i + step < len && step > 1 && ((unsigned char)s[i + step] & 0xC0) == 0x80)
			step--;
		wchar_t chunk[64];
		size_t n = utf8_to_wide(s + i, step, chunk);
		memcpy(dest, chunk, n * sizeof(wchar_t));
		dest += n * sizeof(wchar_t);
		i += step;
	}
	const wchar_t nul = 0;
	memcpy(dest, &nul, sizeof(nul));
	return dest + sizeof(nul);
}

/* Lay out [info][name\0][path\0] in BUF: both strings wide, pointers into BUF. */
static void write_module(const struct module *m, unsigned char *buf)
{
	unsigned char *name = buf + sizeof(TCPIP_OWNER_MODULE_BASIC_INFO);
	unsigned char *path = put_wide(name, m->path + m->name_off, m->path_len - m->name_off);
	put_wide(path, m->path, m->path_len);
	TCPIP_OWNER_MODULE_BASIC_INFO info = { .pModuleName = (PWCHAR)(void *)name,
					       .pModulePath = (PWCHAR)(void *)path };
	memcpy(buf, &info, sizeof(info));
}

static DWORD owner_module(DWORD pid, TCPIP_OWNER_MODULE_INFO_CLASS cls, PVOID buf,
			  PDWORD size)
{
	struct module m; /* filled by find_module() */

	if (!size || cls != TCPIP_OWNER_MODULE_INFO_BASIC)
		return ERROR_INVALID_PARAMETER;
	DWORD err = find_module(pid, &m);
	if (err != NO_ERROR)
		return err;
	size_t name_units = utf8_to_wide(m.path + m.name_off, m.path_len - m.name_off, NULL);
	size_t path_units = utf8_to_wide(m.path, m.path_len, NULL);
	size_t needed = sizeof(TCPIP_OWNER_MODULE_BASIC_INFO) +
			(name_units + 1 + path_units + 1) * sizeof(WCHAR);
	if (!buf || *size < needed) {
		*size = (DWORD)needed;
		return ERROR_INSUFFICIENT_BUFFER;
	}
	write_module(&m, buf);
	*size = (DWORD)needed;
	return NO_ERROR;
}

DWORD WINAPI GetOwnerModuleFromTcpEntry(PMIB_TCPROW_OWNER_MODULE pTcpEntry,
					TCPIP_OWNER_MODULE_INFO_CLASS Class, PVOID pBuffer,
					PDWORD pdwSize)
{
	if (!pTcpEntry)
		return ERROR_INVALID_PARAMETER;
	return owner_module(pTcpEntry->dwOwningPid, Class, pBuffer, pdwSize);
}

DWORD WINAPI GetOwnerModuleFromTcp6Entry(PMIB_TCP6ROW_OWNER_MODULE pTcpEntry,
					 TCPIP_OWNER_MODULE_INFO_CLASS Class, PVOID pBuffer,
					 PDWORD pdwSize)
{
	if (!pTcpEntry)
		return ERROR_INVALID_PARAMETER;
	return owner_module(pTcpEntry->dwOwningPid, Class, pBuffer, pdwSize);
}

DWORD WINAPI GetOwnerModuleFromUdpEntry(PMIB_UDPROW_OWNER_MODULE pUdpEntry,
					TCPIP_OWNER_MODULE_INFO_CLASS Class, PVOID pBuffer,
					PDWORD pdwSize)
{
	if (!pUdpEntry)
		return ERROR_INVALID_PARAMETER;
	return owner_module(pUdpEntry->dwOwningPid, Class, pBuffer, pdwSize);
}

DWORD WINAPI GetOwnerModuleFromUdp6Entry(PMIB_UDP6ROW_OWNER_MODULE pUdpEntry,
					 TCPIP_OWNER_MODULE_INFO_CLASS Class, PVOID pBuffer,
					 PDWORD pdwSize)
{
	if (!pUdpEntry)
		return ERROR_INVALID_PARAMETER;
	return owner_module(pUdpEntry->dwOwningPid, Class, pBuffer, pdwSize);
}
