/* IpHlpApi.h - <iphlpapi.h> as Windows code may spell it (Windows file names ignore case). */
#include "iphlpapi.h"
