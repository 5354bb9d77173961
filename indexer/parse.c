/*
 * parse.c - choosing the parser for a text.
 *
 * The format is read from the content, not the file name: a classic KB
 * text starts with its DOCUMENT: line; anything else is read as plain text
 * until the parsers for Markdown and HTML arrive.
 */
#include "private.h"

#include <string.h>

kbs_status
kbs__parse(kbs_article *a, const char *text, size_t len)
{
	kbs_status rc = kbs__parse_kbtxt(a, text, len);
	if (rc == KBS_PARSE) {
		kbs__arena_free(&a->arena);
		memset(a, 0, sizeof *a);
		rc = kbs__parse_html(a, text, len);
	}
	if (rc == KBS_PARSE) {
		kbs__arena_free(&a->arena);
		memset(a, 0, sizeof *a);
		rc = kbs__parse_markdown(a, text, len);
	}
	if (rc == KBS_PARSE) {
		kbs__arena_free(&a->arena);
		memset(a, 0, sizeof *a);
		rc = kbs__parse_plain(a, text, len);
	}
	return rc;
}
