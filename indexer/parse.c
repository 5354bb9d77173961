/*
 * parse.c - choosing the parser for a text.
 *
 * The format is read from the content, not the file name: each parser in
 * turn says whether the text is its format (KBS_PARSE when it is not),
 * from the most specific opening to the least. A classic KB text starts
 * with its DOCUMENT: line (kbtxt.c); an HTML page opens with a doctype or
 * an html, head or body tag (html.c); Markdown carries YAML front matter
 * (markdown.c); anything else is plain text (plain.c).
 */
#include "indexer.h"

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
