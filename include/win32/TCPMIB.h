/* TCPMIB.h - <tcpmib.h> as Windows code may spell it (Windows file names ignore case). */
#include "tcpmib.h"
