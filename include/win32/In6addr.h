/* In6addr.h - <in6addr.h> as Windows code may spell it (Windows file names ignore case). */
#include "in6addr.h"
