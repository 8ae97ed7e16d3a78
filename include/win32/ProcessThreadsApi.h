/* ProcessThreadsApi.h - <processthreadsapi.h> as Windows code may spell it (Windows file names ignore case). */
#include "processthreadsapi.h"
