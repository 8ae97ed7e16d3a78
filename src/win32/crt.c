/* crt.c - the MSVC "secure" string functions samples use: strcpy_s, strcat_s, sprintf_s. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <windows.h>

errno_t strcpy_s(char *dest, rsize_t destsz, const char *src)
{
	if (!dest || destsz == 0)
		return EINVAL;
	if (!src) {
		dest[0] = '\0';
		return EINVAL;
	}
	size_t n = strnlen(src, destsz);
	if (n == destsz) {
		dest[0] = '\0';
		return ERANGE;
	}
	memcpy(dest, src, n + 1);
	return 0;
}

errno_t strcat_s(char *dest, rsize_t destsz, const char *src)
{
	if (!dest || destsz == 0)
		return EINVAL;
	size_t have = strnlen(dest, destsz);
	if (!src || have == destsz) {
		dest[0] = '\0';
		return EINVAL;
	}
	size_t n = strnlen(src, destsz - have);
	if (have + n == destsz) {
		dest[0] = '\0';
		return ERANGE;
	}
	memcpy(dest + have, src, n + 1);
	return 0;
}

int sprintf_s(char *buffer, size_t sizeOfBuffer, const char *format, ...)
{
	if (!buffer || sizeOfBuffer == 0)
		return -1;
	if (!format) {
		buffer[0] = '\0';
		return -1;
	}
	va_list ap;
	va_start(ap, format);
	int n = vsnprintf(buffer, sizeOfBuffer, format, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= sizeOfBuffer) {
		buffer[0] = '\0';
		return -1;
	}
	return n;
}
