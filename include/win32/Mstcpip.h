/* Mstcpip.h - <mstcpip.h> as Windows code may spell it (Windows file names ignore case). */
#include "mstcpip.h"
