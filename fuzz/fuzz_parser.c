/*
 * fuzz_parser.c - libFuzzer target for one article parser.
 *
 * Built once per parser with -DPARSER=kbs__parse_kbtxt (or _markdown,
 * _html, _plain, or kbs__parse for the format dispatch): the input bytes
 * go through kbs__decode() first, as the indexer's do, so that the parser
 * sees what it would see from a file (UTF-8, NUL-terminated), then the
 * parser runs on a new article, which is freed. Any crash, leak, sanitizer
 * report or timeout is a finding (fuzz/README.md).
 */
#include "private.h"
#include "indexer.h"

#include <stdlib.h>

#ifndef PARSER
#error "build with -DPARSER=kbs__parse_kbtxt (or another parser)"
#endif

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = NULL;
	size_t len = 0;
	const char *why = NULL;
	char charset[32];

	if (kbs__decode(&text, &len, (const char *)data, size, charset,
	                sizeof charset, &why) != KBS_OK)
		return 0;
	kbs_article *a = kbs__article_new();
	if (a != NULL)
		(void)PARSER(a, text, len);
	kbs_article_free(a);
	free(text);
	return 0;
}
