/* quiet.h - libbpf silenced while the library loads a program (see iter.c). */
#ifndef TCPT_BPF_QUIET_H
#define TCPT_BPF_QUIET_H

#include <pthread.h>
#include <stdarg.h>

#include <bpf/libbpf.h>

/* Silence libbpf's messages until bpf_quiet_end(); calls of the library are serialised in
 * between, other threads' libbpf calls are not. Always paired. */
void bpf_quiet_begin(void);
void bpf_quiet_end(void);

#endif
