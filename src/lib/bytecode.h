/* bytecode.h - a filter's port and address conditions as inet_diag bytecode. */
#ifndef TCPT_BYTECODE_H
#define TCPT_BYTECODE_H

#include <stddef.h>
#include <stdint.h>

#include "tcptable.h"

/* Terms per clause (port ranges, or prefixes, of one list; "either end" ranges count twice). */
#define TCPT_BYTECODE_MAX_TERMS 64
/* Room for the largest program: every list full of the largest terms. */
#define TCPT_BYTECODE_MAX_SIZE 16384

/*
 * Compile the port and address lists and the expression of FILTER (validated, non-NULL) into
 * BUF (CAP bytes), a program for INET_DIAG_REQ_BYTECODE that accepts exactly the sockets
 * tcpt_filter_match() would accept on those lists and that expression. An empty program
 * accepts everything.
 * Returns 0 and the length in *ret_len, or -E2BIG when a list has more than
 * TCPT_BYTECODE_MAX_TERMS terms or the program would not fit.
 */
int bytecode_compile(const struct tcpt_filter *filter, uint8_t *buf, size_t cap,
		     size_t *ret_len);

#endif
