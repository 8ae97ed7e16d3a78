/* TcpEStats.h - <tcpestats.h> as Windows code may spell it (Windows file names ignore case). */
#include "tcpestats.h"
