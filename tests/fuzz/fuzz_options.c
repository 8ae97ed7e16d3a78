/* fuzz_options - cli_parse_options_offline() (no name is looked up) on an argv cut from
 * arbitrary bytes (arguments separated by NUL bytes, at most 64; those after the options are
 * the filter language), with a check of the query it builds: only valid bits, reserved fields
 * zero, the filter pointing at the parsed lists. Usage errors go to /dev/null. */
#include <getopt.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "options.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv);

#define CHECK(c)                                                                             \
	do {                                                                                 \
		if (!(c))                                                                    \
			__builtin_trap();                                                    \
	} while (0)

#define MAX_ARGS 64

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	/* Only the stdio stream: libFuzzer keeps its own copy of the old one for its report. */
	FILE *null = fopen("/dev/null", "we");
	if (null && getenv("FUZZ_OPTIONS_STDERR") == NULL)
		stderr = null;
	return 0;
}

/* glibc keeps a pointer into the previous argv between getopt calls (a cluster like -4x
 * stopped half-way); only optind = 0 forgets it. tcptable parses once per process. */
static void reset_getopt(void)
{
	char *dummy[] = {(char *)"x", NULL};
	optind = 0;
	opterr = 0;
	(void)getopt(1, dummy, "");
}

static void check(const struct cli_options *o)
{
	const struct tcpt_query *q = &o->query;
	CHECK((q->families & ~(unsigned)TCPT_FAMILY_ALL) == 0);
	CHECK((q->states & ~(uint32_t)TCPT_STATES_VALID) == 0);
	CHECK((q->want & ~(unsigned)TCPT_WANT_ALL) == 0);
	CHECK(q->source <= TCPT_SOURCE_PROC && q->order <= TCPT_ORDER_ADDRESS);
	CHECK(q->reserved[0] == 0 && !(q->protocols & ~(uint32_t)TCPT_PROTO_ALL));
	CHECK(!q->filter || q->filter == &o->filters.filter);
	CHECK(o->action <= ACTION_VERSION && o->format <= FORMAT_CSV);
	CHECK(!(o->netns && o->all_netns));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size > 4096)
		return 0;
	char *text = malloc(size + 1);
	if (!text)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	char *argv[MAX_ARGS + 2] = {(char *)"tcptable"};
	int argc = 1;
	for (char *v = text; v < text + size && argc <= MAX_ARGS; v += strlen(v) + 1)
		argv[argc++] = v;
	argv[argc] = NULL;
	reset_getopt();
	struct cli_options o;
	if (cli_parse_options_offline(argc, argv, &o) == 0) {
		check(&o);
		cli_options_free(&o);
	}
	free(text);
	return 0;
}
