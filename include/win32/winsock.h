/* winsock.h - Windows Sockets 1 names: here the same set as <winsock2.h>, which it includes
 * (on Windows the two conflict; here there is one set). */
#include "winsock2.h"
