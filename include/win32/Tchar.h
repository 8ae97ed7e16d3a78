/* Tchar.h - <tchar.h> as Windows code may spell it (Windows file names ignore case). */
#include "tchar.h"
