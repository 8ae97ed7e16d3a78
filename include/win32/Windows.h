/* Windows.h - <windows.h> as Windows code may spell it (Windows file names ignore case). */
#include "windows.h"
