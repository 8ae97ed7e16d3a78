/* accept.h - which exposition format an Accept header asks for. */
#ifndef TCPT_EXPORTER_ACCEPT_H
#define TCPT_EXPORTER_ACCEPT_H

#include "expo.h"

/* EXPO_OPENMETRICS when ACCEPT (may be NULL) lists application/openmetrics-text with a
 * q-value above 0 and at least that of any text/plain or wildcard range it also lists;
 * EXPO_TEXT otherwise (the format every scraper understands). */
enum expo_format accept_format(const char *accept);

#endif
