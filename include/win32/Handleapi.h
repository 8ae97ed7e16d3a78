/* Handleapi.h - <handleapi.h> as Windows code may spell it (Windows file names ignore case). */
#include "handleapi.h"
