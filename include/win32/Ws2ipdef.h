/* Ws2ipdef.h - <ws2ipdef.h> as Windows code may spell it (Windows file names ignore case). */
#include "ws2ipdef.h"
