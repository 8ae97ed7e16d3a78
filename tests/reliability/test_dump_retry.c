/* test_dump_retry.c - NLM_F_DUMP_INTR, forced through the replaying transport of the unit
 * tests, in the cases tests/unit/test_diag_collect.c leaves out: an interruption flagged on
 * the very first datagram, the exact retry bound (success on the last attempt, -EAGAIN one
 * later), and the tcp_info records of an interrupted walk rolled back with its rows. */
// clang-format off
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
// clang-format on

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "fixture.h"
#include "rowvec.h"

/* The attempts diag.c allows (DIAG_MAX_ATTEMPTS): the dump is walked at most this often. */
#define ATTEMPTS 5

struct ctx {
	struct nl_recording inet, compat;
	struct fake fake;
	struct rowvec rows;
	struct infovec infos;
};

static int setup(void **state)
{
	struct ctx *c = calloc(1, sizeof(*c));
	nl_recording_load("diag-inet.nl", &c->inet);
	nl_recording_load("diag-compat.nl", &c->compat);
	*state = c;
	return 0;
}

static int teardown(void **state)
{
	struct ctx *c = *state;
	nl_recording_free(&c->inet);
	nl_recording_free(&c->compat);
	rowvec_free(&c->rows);
	infovec_free(&c->infos);
	free(c);
	return 0;
}

static void add_step(struct ctx *c, struct fake_step st)
{
	assert_true(c->fake.nsteps < FAKE_MAX_STEPS);
	c->fake.steps[c->fake.nsteps++] = st;
}

static struct fake_step interrupted(const struct nl_recording *rec, int datagram)
{
	struct fake_step st = fake_clean(rec);
	st.intr_datagram = datagram;
	return st;
}

static int collect(struct ctx *c, unsigned families, bool infos)
{
	struct diag_transport t = fake_transport(&c->fake);
	struct diag_request req = {.families = families, .states = TCPT_STATES_VALID,
				   .infos = infos ? &c->infos : NULL};
	int r = diag_collect_request(&t, &req, &c->rows);
	assert_int_equal(c->fake.opens, c->fake.closes);
	return r;
}

/* Rows (and infos) of one clean walk of REC for FAMILIES. */
static void clean_counts(const struct nl_recording *rec, unsigned families, size_t *rows,
			 size_t *infos)
{
	struct ctx c = {0};
	add_step(&c, fake_clean(rec));
	assert_int_equal(0, collect(&c, families, true));
	*rows = c.rows.count;
	*infos = c.infos.count;
	rowvec_free(&c.rows);
	infovec_free(&c.infos);
}

static void dump_interrupted_on_its_first_datagram_is_retried(void **state)
{
	struct ctx *c = *state;
	size_t rows, infos;
	clean_counts(&c->compat, TCPT_FAMILY_ALL, &rows, &infos);
	add_step(c, interrupted(&c->compat, 0));
	add_step(c, fake_clean(&c->compat));
	assert_int_equal(0, collect(c, TCPT_FAMILY_ALL, false));
	assert_int_equal(2, c->fake.opens);
	assert_int_equal(rows, c->rows.count);
}

static void dump_interrupted_until_the_last_attempt_succeeds_on_it(void **state)
{
	struct ctx *c = *state;
	size_t rows, infos;
	clean_counts(&c->inet, TCPT_FAMILY_IPV4, &rows, &infos);
	for (int i = 0; i < ATTEMPTS - 1; i++)
		add_step(c, interrupted(&c->inet, i % 2));
	add_step(c, fake_clean(&c->inet));
	assert_int_equal(0, collect(c, TCPT_FAMILY_IPV4, false));
	assert_int_equal(ATTEMPTS, c->fake.opens);
	assert_int_equal(rows, c->rows.count);
	rowvec_dedupe(&c->rows);
	assert_int_equal(rows, c->rows.count); /* no row of an abandoned walk stayed */
}

static void dump_interrupted_on_every_attempt_is_eagain_after_exactly_the_bound(void **state)
{
	struct ctx *c = *state;
	for (int i = 0; i < ATTEMPTS; i++)
		add_step(c, interrupted(&c->inet, 1));
	add_step(c, fake_clean(&c->inet)); /* would succeed: must not be reached */
	assert_int_equal(-EAGAIN, collect(c, TCPT_FAMILY_IPV4, true));
	assert_int_equal(ATTEMPTS, c->fake.opens);
	assert_int_equal(0, c->rows.count);
	assert_int_equal(0, c->infos.count);
}

static void interrupted_walk_rolls_back_its_tcp_info_with_its_rows(void **state)
{
	struct ctx *c = *state;
	size_t rows, infos;
	clean_counts(&c->inet, TCPT_FAMILY_IPV4, &rows, &infos);
	assert_true(infos > 0); /* the recording carries tcp_info: the case means something */
	add_step(c, interrupted(&c->inet, 1));
	add_step(c, fake_clean(&c->inet));
	assert_int_equal(0, collect(c, TCPT_FAMILY_IPV4, true));
	assert_int_equal(rows, c->rows.count);
	assert_int_equal(infos, c->infos.count);
}

int main(void)
{
#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
	const struct CMUnitTest tests[] = {
		T(dump_interrupted_on_its_first_datagram_is_retried),
		T(dump_interrupted_until_the_last_attempt_succeeds_on_it),
		T(dump_interrupted_on_every_attempt_is_eagain_after_exactly_the_bound),
		T(interrupted_walk_rolls_back_its_tcp_info_with_its_rows),
	};
#undef T
	return cmocka_run_group_tests(tests, NULL, NULL);
}
