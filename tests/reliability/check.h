/* check.h - soft checks for tests that try many inputs: every mismatch is printed (as a TAP
 * comment, with the expression) and counted, and the test fails at its end, so that one run
 * names every wrong answer instead of the first. */
#ifndef TCPT_REL_CHECK_H
#define TCPT_REL_CHECK_H

#include <stdio.h>

extern unsigned long check_tried;  /* inputs tried, over the whole program */
extern unsigned long check_failed; /* mismatches in the current test */

#define EXPECT_EQ(want, expr)                                                                \
	do {                                                                                 \
		long long w_ = (long long)(want), g_ = (long long)(expr);                    \
		check_tried++;                                                               \
		if (w_ != g_) {                                                              \
			check_failed++;                                                      \
			printf("# %s:%d: %s: expected %lld, got %lld\n", __FILE__, __LINE__, \
			       #expr, w_, g_);                                               \
		}                                                                            \
	} while (0)

#define EXPECT_TRUE(cond)                                                                    \
	do {                                                                                 \
		check_tried++;                                                               \
		if (!(cond)) {                                                               \
			check_failed++;                                                      \
			printf("# %s:%d: not true: %s\n", __FILE__, __LINE__, #cond);        \
		}                                                                            \
	} while (0)

/* At the end of a cmocka test: fail it if any check did, and reset. */
#define CHECKS_DONE()                                                                        \
	do {                                                                                 \
		unsigned long f_ = check_failed;                                             \
		check_failed = 0;                                                            \
		assert_int_equal(0, f_);                                                     \
	} while (0)

/* Run CHILD in a forked process, after ENTER (NULL for none; a negative return is a failed
 * check, and CHILD is not run). The child's exit status is its number of failed checks; the
 * calling cmocka test fails if that is not 0 or if the child dies of a signal. */
void check_in_child(int (*enter)(void), void (*child)(void));

#endif
