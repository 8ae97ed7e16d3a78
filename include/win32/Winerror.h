/* Winerror.h - <winerror.h> as Windows code may spell it (Windows file names ignore case). */
#include "winerror.h"
