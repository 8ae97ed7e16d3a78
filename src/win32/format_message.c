/* format_message.c - FormatMessageA for system messages and plain strings. */
#include <stdlib.h>
#include <string.h>

#include <windows.h>

#include "messages.h"

#define SUPPORTED_FLAGS                                                                       \
	(FORMAT_MESSAGE_ALLOCATE_BUFFER | FORMAT_MESSAGE_IGNORE_INSERTS |                     \
	 FORMAT_MESSAGE_FROM_STRING | FORMAT_MESSAGE_FROM_SYSTEM | FORMAT_MESSAGE_MAX_WIDTH_MASK)

static DWORD fail(DWORD err)
{
	SetLastError(err);
	return 0;
}

/* Only English texts exist: neutral/default, or any English sublanguage. */
static int language_known(DWORD lang)
{
	return lang == 0 || PRIMARYLANGID(lang) == LANG_NEUTRAL ||
	       PRIMARYLANGID(lang) == LANG_ENGLISH;
}

/* Whether TEXT has an insert ("%1".."%99") that would need ARGUMENTS. */
static int has_inserts(const char *text)
{
	for (const char *p = strchr(text, '%'); p; p = strchr(p + 2, '%')) {
		if (p[1] >= '1' && p[1] <= '9')
			return 1;
		if (p[1] == '\0')
			break;
	}
	return 0;
}

/* Copy TEXT out per the flags: into a new LocalAlloc() block stored at *(char **)BUFFER, or
 * into BUFFER itself when it has room. Returns the length, or 0 with the last error. */
static DWORD deliver(const char *text, DWORD flags, LPSTR buffer, DWORD size)
{
	size_t len = strlen(text);
	if (flags & FORMAT_MESSAGE_ALLOCATE_BUFFER) {
		size_t cap = len + 1 > size ? len + 1 : size; /* nSize is a minimum here */
		char *p = LocalAlloc(LMEM_FIXED, cap);
		if (!p)
			return fail(ERROR_NOT_ENOUGH_MEMORY);
		memcpy(p, text, len + 1);
		memcpy(buffer, &p, sizeof(p));
		return (DWORD)len;
	}
	if (len + 1 > size)
		return fail(ERROR_INSUFFICIENT_BUFFER);
	memcpy(buffer, text, len + 1);
	return (DWORD)len;
}

DWORD WINAPI FormatMessageA(DWORD dwFlags, LPCVOID lpSource, DWORD dwMessageId,
			    DWORD dwLanguageId, LPSTR lpBuffer, DWORD nSize, va_list *Arguments)
{
	(void)Arguments;
	const DWORD from = dwFlags & (FORMAT_MESSAGE_FROM_STRING | FORMAT_MESSAGE_FROM_SYSTEM);
	if (!lpBuffer || (dwFlags & ~(DWORD)SUPPORTED_FLAGS) ||
	    (from != FORMAT_MESSAGE_FROM_STRING && from != FORMAT_MESSAGE_FROM_SYSTEM))
		return fail(ERROR_INVALID_PARAMETER);

	const char *text;
	if (from == FORMAT_MESSAGE_FROM_STRING) {
		text = lpSource;
		if (!text)
			return fail(ERROR_INVALID_PARAMETER);
	} else {
		if (!language_known(dwLanguageId))
			return fail(ERROR_RESOURCE_LANG_NOT_FOUND);
		text = messages_lookup(dwMessageId);
		if (!text)
			return fail(ERROR_MR_MID_NOT_FOUND);
	}
	if (!(dwFlags & FORMAT_MESSAGE_IGNORE_INSERTS) && has_inserts(text))
		return fail(ERROR_INVALID_PARAMETER);
	return deliver(text, dwFlags, lpBuffer, nSize);
}
