/* WS2tcpip.h - <ws2tcpip.h> as Windows code may spell it (Windows file names ignore case). */
#include "ws2tcpip.h"
