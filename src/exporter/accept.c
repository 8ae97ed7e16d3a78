/* accept.c - media ranges and their q-values (RFC 9110, section 12.5.1). */
#include "accept.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* The q-value of one media range's parameters ("; version=1.0.0; q=0.5"), 1 without one. */
static double q_of(const char *params, size_t len)
{
	const char *p = params;
	const char *end = params + len;
	while (p < end) {
		const char *semi = memchr(p, ';', (size_t)(end - p));
		const char *stop = semi ? semi : end;
		while (p < stop && (*p == ' ' || *p == '\t'))
			p++;
		if (stop - p >= 2 && (p[0] == 'q' || p[0] == 'Q') && p[1] == '=') {
			char tmp[16];
			size_t n = (size_t)(stop - p - 2) < sizeof(tmp) - 1 ? (size_t)(stop - p - 2)
									    : sizeof(tmp) - 1;
			memcpy(tmp, p + 2, n);
			tmp[n] = '\0';
			return strtod(tmp, NULL);
		}
		p = semi ? semi + 1 : end;
	}
	return 1.0;
}

static int type_is(const char *s, size_t len, const char *type)
{
	size_t n = strlen(type);
	while (len && (*s == ' ' || *s == '\t')) {
		s++;
		len--;
	}
	while (len && (s[len - 1] == ' ' || s[len - 1] == '\t'))
		len--;
	return len == n && strncasecmp(s, type, n) == 0;
}

enum expo_format accept_format(const char *accept)
{
	double om = 0, text = 0;
	for (const char *p = accept; p && *p;) {
		const char *comma = strchr(p, ',');
		size_t len = comma ? (size_t)(comma - p) : strlen(p);
		const char *semi = memchr(p, ';', len);
		size_t tlen = semi ? (size_t)(semi - p) : len;
		double q = semi ? q_of(semi + 1, len - tlen - 1) : 1.0;
		if (type_is(p, tlen, "application/openmetrics-text"))
			om = q > om ? q : om;
		else if (type_is(p, tlen, "text/plain") || type_is(p, tlen, "*/*") ||
			 type_is(p, tlen, "text/*"))
			text = q > text ? q : text;
		p = comma ? comma + 1 : NULL;
	}
	return om > 0 && om >= text ? EXPO_OPENMETRICS : EXPO_TEXT;
}
