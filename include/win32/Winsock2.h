/* Winsock2.h - <winsock2.h> as Windows code may spell it (Windows file names ignore case). */
#include "winsock2.h"
