/* IPRTRMIB.h - <iprtrmib.h> as Windows code may spell it (Windows file names ignore case). */
#include "iprtrmib.h"
