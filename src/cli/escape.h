/* escape.h - untrusted bytes (process names, paths) made safe for a terminal. */
#ifndef TCPT_CLI_ESCAPE_H
#define TCPT_CLI_ESCAPE_H

#include <stddef.h>

/*
 * Copy the NUL-terminated S into OUT (SIZE bytes, SIZE >= 1), NUL-terminated, so that no byte
 * can act on a terminal: C0 controls, DEL, the C1 controls (U+0080-U+009F) and bytes that are
 * not valid UTF-8 become \xNN, a backslash becomes \\; valid printable UTF-8 is kept.
 * Output that would not fit is cut at a whole escape or character.
 * Returns the length written (excluding the NUL).
 */
size_t escape_for_terminal(const char *s, char *out, size_t size);

/* Length of the valid UTF-8 sequence at S (1-4; 1 for any ASCII byte, NUL included), or 0
 * when the bytes there are invalid, overlong, a surrogate, beyond U+10FFFF or a C1 control
 * (U+0080-U+009F). Reads no further than the first byte that ends the sequence. */
size_t utf8_length(const unsigned char *s);

#endif
