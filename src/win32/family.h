/* family.h - address family numbers: Windows' and Linux's, and which one a caller meant. */
#ifndef TCPT_WIN32_FAMILY_H
#define TCPT_WIN32_FAMILY_H

#include <stdint.h>

/* Linux's values, which struct tcpt_conn uses. Spelled out because the Windows headers this
 * layer includes define AF_INET6 as 23, and <sys/socket.h> cannot be included with them. */
#define LINUX_AF_INET 2
#define LINUX_AF_INET6 10
#define WINDOWS_AF_INET6 23

enum family_kind { FAMILY_BAD = 0, FAMILY_V4, FAMILY_V6 };

/* Which family a caller's number means: 2 -> IPv4; 23 or 10 -> IPv6; anything else bad. */
static inline enum family_kind family_classify(uint32_t af)
{
	if (af == LINUX_AF_INET)
		return FAMILY_V4;
	if (af == WINDOWS_AF_INET6 || af == LINUX_AF_INET6)
		return FAMILY_V6;
	return FAMILY_BAD;
}

#endif
