/* fuzz_procnet - procnet_parse_text() on arbitrary text. The first byte picks the family
 * (even: AF_INET, odd: AF_INET6) and the protocol (bit 1: the UDP file's, else TCP's); the
 * rest is the file, in a buffer of exactly its size. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "procnet.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	int family = data[0] & 1 ? AF_INET6 : AF_INET;
	uint8_t protocol = data[0] & 2 ? TCPT_PROTO_NUMBER_UDP : TCPT_PROTO_NUMBER_TCP;
	char *text = malloc(size - 1 ? size - 1 : 1);
	if (!text)
		return 0;
	memcpy(text, data + 1, size - 1);
	struct rowvec rows = {0};
	(void)procnet_parse_text_proto(text, size - 1, protocol, family, TCPT_STATES_VALID, &rows);
	struct tcpt_conn row;
	const char *nl = memchr(text, '\n', size - 1);
	(void)procnet_parse_line_proto(text, nl ? (size_t)(nl - text) : size - 1, protocol, family,
				       &row);
	rowvec_free(&rows);
	free(text);
	return 0;
}
