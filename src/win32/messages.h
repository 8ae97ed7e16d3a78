/* messages.h - the English system message of each Win32 code this library can return. */
#ifndef TCPT_WIN32_MESSAGES_H
#define TCPT_WIN32_MESSAGES_H

#include <stdint.h>

/* Windows' text for CODE, with its "\r\n" ending; NULL for a code without one here. */
const char *messages_lookup(uint32_t code);

#endif
