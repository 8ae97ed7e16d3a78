/* hygiene_wraps.h - ld --wrap wrappers of the calls with which the library creates
 * descriptors (open64, openat64, fcntl64 F_DUPFD*, mnl_socket_open2): each checks FD_CLOEXEC
 * on the descriptor the real call returned. No Win32 headers here. */
#ifndef TCPT_REL_HYGIENE_WRAPS_H
#define TCPT_REL_HYGIENE_WRAPS_H

/* Start counting afresh. */
void wraps_reset(void);
/* Descriptors the library created since, and how many lacked FD_CLOEXEC. */
unsigned long wraps_seen(void);
unsigned long wraps_leaky(void);

#endif
