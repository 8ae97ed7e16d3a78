/* The terminal escaper: nothing a process chooses as its name may act on a terminal. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "escape.h"

static void assert_escaped(const char *input, const char *expected)
{
	char out[256];
	size_t n = escape_for_terminal(input, out, sizeof(out));
	assert_string_equal(expected, out);
	assert_int_equal(strlen(expected), n);
}

static void plain_ascii_is_kept(void **state)
{
	(void)state;
	assert_escaped("nginx: worker", "nginx: worker");
}

static void control_characters_become_hex(void **state)
{
	(void)state;
	assert_escaped("evil\x1b[31m\n\r\t\x07", "evil\\x1b[31m\\x0a\\x0d\\x09\\x07");
	assert_escaped("del\x7f", "del\\x7f");
}

static void backslash_is_doubled(void **state)
{
	(void)state;
	assert_escaped("a\\x1b", "a\\\\x1b");
}

static void valid_utf8_is_kept(void **state)
{
	(void)state;
	assert_escaped("caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80", "caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80");
}

static void invalid_utf8_becomes_hex(void **state)
{
	(void)state;
	assert_escaped("\xff\xfe", "\\xff\\xfe");
	assert_escaped("\xc3", "\\xc3");           /* truncated sequence */
	assert_escaped("\xc0\xaf", "\\xc0\\xaf");  /* overlong '/' */
	assert_escaped("\xed\xa0\x80", "\\xed\\xa0\\x80"); /* surrogate */
	assert_escaped("\xf4\x90\x80\x80", "\\xf4\\x90\\x80\\x80"); /* > U+10FFFF */
}

static void c1_controls_become_hex(void **state)
{
	(void)state;
	/* U+009B is CSI for terminals that honour 8-bit controls */
	assert_escaped("a\xc2\x9b" "31m", "a\\xc2\\x9b31m");
}

static void output_is_cut_at_a_whole_escape(void **state)
{
	(void)state;
	char out[6];
	size_t n = escape_for_terminal("ab\x1b" "cd", out, sizeof(out));
	assert_string_equal("ab", out); /* "\x1b" would need 4 more bytes than the 3 left */
	assert_int_equal(2, n);
	char one[1];
	assert_int_equal(0, escape_for_terminal("abc", one, sizeof(one)));
	assert_string_equal("", one);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(plain_ascii_is_kept),
		cmocka_unit_test(control_characters_become_hex),
		cmocka_unit_test(backslash_is_doubled),
		cmocka_unit_test(valid_utf8_is_kept),
		cmocka_unit_test(invalid_utf8_becomes_hex),
		cmocka_unit_test(c1_controls_become_hex),
		cmocka_unit_test(output_is_cut_at_a_whole_escape),
	};
	return cmocka_run_group_tests_name("escape", tests, NULL, NULL);
}
