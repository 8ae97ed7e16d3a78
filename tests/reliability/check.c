/* check.c - the counters of check.h. */
#include "check.h"

unsigned long check_tried;
unsigned long check_failed;
