/* Winsock.h - <winsock.h> as Windows code may spell it (Windows file names ignore case). */
#include "winsock.h"
