/* Inaddr.h - <inaddr.h> as Windows code may spell it (Windows file names ignore case). */
#include "inaddr.h"
