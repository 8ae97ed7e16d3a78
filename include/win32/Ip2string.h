/* Ip2string.h - <ip2string.h> as Windows code may spell it (Windows file names ignore case). */
#include "ip2string.h"
