/* format_message.c - FormatMessageA/W for system messages and plain strings. */
#include <stdlib.h>
#include <string.h>

#include <windows.h>

#include "messages.h"
#include "wide.h"

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

/* The text FormatMessage gives for these arguments, SOURCE already as UTF-8; NULL with the
 * last error set when there is none. */
static const char *message_text(DWORD flags, const char *source, DWORD id, DWORD lang)
{
	const DWORD from = flags & (FORMAT_MESSAGE_FROM_STRING | FORMAT_MESSAGE_FROM_SYSTEM);
	if ((flags & ~(DWORD)SUPPORTED_FLAGS) ||
	    (from != FORMAT_MESSAGE_FROM_STRING && from != FORMAT_MESSAGE_FROM_SYSTEM))
		return fail(ERROR_INVALID_PARAMETER), NULL;
	const char *text;
	if (from == FORMAT_MESSAGE_FROM_STRING) {
		text = source;
		if (!text)
			return fail(ERROR_INVALID_PARAMETER), NULL;
	} else {
		if (!language_known(lang))
			return fail(ERROR_RESOURCE_LANG_NOT_FOUND), NULL;
		text = messages_lookup(id);
		if (!text)
			return fail(ERROR_MR_MID_NOT_FOUND), NULL;
	}
	if (!(flags & FORMAT_MESSAGE_IGNORE_INSERTS) && has_inserts(text))
		return fail(ERROR_INVALID_PARAMETER), NULL;
	return text;
}

DWORD WINAPI FormatMessageA(DWORD dwFlags, LPCVOID lpSource, DWORD dwMessageId,
			    DWORD dwLanguageId, LPSTR lpBuffer, DWORD nSize, va_list *Arguments)
{
	(void)Arguments;
	if (!lpBuffer)
		return fail(ERROR_INVALID_PARAMETER);
	const char *text = message_text(dwFlags, lpSource, dwMessageId, dwLanguageId);
	if (!text)
		return 0;
	return deliver(text, dwFlags, lpBuffer, nSize);
}

/* deliver() for wide characters: TEXT (UTF-8) converted, SIZE in WCHARs. */
static DWORD deliver_wide(const char *text, DWORD flags, LPWSTR buffer, DWORD size)
{
	size_t bytes = strlen(text);
	size_t len = utf8_to_wide(text, bytes, NULL);
	WCHAR *out = buffer;
	if (flags & FORMAT_MESSAGE_ALLOCATE_BUFFER) {
		size_t cap = len + 1 > size ? len + 1 : size;
		out = LocalAlloc(LMEM_FIXED, cap * sizeof(WCHAR));
		if (!out)
			return fail(ERROR_NOT_ENOUGH_MEMORY);
		memcpy(buffer, &out, sizeof(out));
	} else if (len + 1 > size) {
		return fail(ERROR_INSUFFICIENT_BUFFER);
	}
	utf8_to_wide(text, bytes, out);
	out[len] = 0;
	return (DWORD)len;
}

DWORD WINAPI FormatMessageW(DWORD dwFlags, LPCVOID lpSource, DWORD dwMessageId,
			    DWORD dwLanguageId, LPWSTR lpBuffer, DWORD nSize, va_list *Arguments)
{
	(void)Arguments;
	if (!lpBuffer)
		return fail(ERROR_INVALID_PARAMETER);
	char *source = NULL;
	if ((dwFlags & FORMAT_MESSAGE_FROM_STRING) && lpSource) {
		source = wide_to_utf8_dup(lpSource);
		if (!source)
			return fail(ERROR_NOT_ENOUGH_MEMORY);
	}
	DWORD r = 0;
	const char *text = message_text(dwFlags, source, dwMessageId, dwLanguageId);
	if (text)
		r = deliver_wide(text, dwFlags, lpBuffer, nSize);
	free(source);
	return r;
}
