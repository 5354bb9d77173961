/*
 * fuzz_paste.c - libFuzzer target for paste analysis.
 *
 * kbs__paste_analyse() takes any bytes (it is what a user pastes, or an
 * HTTP request body): the input goes in as it is, without a NUL.
 */
#include "paste.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	kbs__paste p = {0};
	(void)kbs__paste_analyse(&p, (const char *)data, size);
	kbs__paste_free(&p);
	return 0;
}
