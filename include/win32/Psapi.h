/* Psapi.h - <psapi.h> as Windows code may spell it (Windows file names ignore case). */
#include "psapi.h"
