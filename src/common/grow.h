/* grow.h - the one way arrays grow, in the library, the command and the exporter alike:
 * geometric, overflow-checked. */
#ifndef TCPT_GROW_H
#define TCPT_GROW_H

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>

/*
 * Make *ITEMS (capacity *CAP elements of SIZE bytes) hold at least NEED elements, doubling
 * from 256. Returns 0, or -ENOMEM with *ITEMS and *CAP unchanged.
 */
static inline int grow_array(void **items, size_t *cap, size_t need, size_t size)
{
	if (need <= *cap)
		return 0;
	size_t n = *cap ? *cap : 256;
	while (n < need) {
		if (n > SIZE_MAX / 2)
			return -ENOMEM;
		n *= 2;
	}
	if (n > SIZE_MAX / size)
		return -ENOMEM;
	void *bigger = realloc(*items, n * size);
	if (!bigger)
		return -ENOMEM;
	*items = bigger;
	*cap = n;
	return 0;
}

#endif
