/* ws2ipdef.h - IPv6 address and socket address types (IN6_ADDR, SOCKADDR_IN6): declared by
 * <winsock2.h> and <in6addr.h>, which it includes. */
#include "in6addr.h"
#include "winsock2.h"
