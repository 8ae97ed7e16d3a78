/* Tlhelp32.h - <tlhelp32.h> as Windows code may spell it (Windows file names ignore case). */
#include "tlhelp32.h"
