/*
 * parse.c - the input formats, and choosing the parser for a text.
 *
 * The format is read from the content, not the file name: each parser in
 * turn says whether the text is its format (KBS_PARSE when it is not),
 * in the order of the table below, from the most specific opening to the
 * least. A classic KB text starts with its DOCUMENT: line (kbtxt.c); an
 * HTML page opens with a doctype or an html, head or body tag (html.c);
 * Markdown carries YAML front matter (markdown.c); anything else is plain
 * text (plain.c). A parser may yield more than one format (an archive
 * page of the KB or an ordinary page): each is a row.
 *
 * Adding a format: its parser file (kbs__parse_NAME() in private.h,
 * returning KBS_PARSE for a text that is not its format, and setting
 * a->format to the row's name), one row here, and the file in
 * Makefile.am.
 */
#include "indexer.h"

#include <string.h>

/* One input format. */
typedef struct input_format {
	const char *name;      /* kbs_article.format */
	int precedence;        /* 1 first: which of an article's files
	                          supplies its fields (dbwrite.c) */
	bool article;          /* an article whatever the file's name (a KB
	                          page named README.md); false: a file named
	                          like a collection's README is its own */
	kbs_status (*parse)(kbs_article *, const char *, size_t);
} input_format;

/*
 * Rows in the order the parsers are tried. Precedence: the classic text
 * is the original; the archive's Markdown and HTML pages carry the same
 * article, re-indented and with entities to decode; then come formats
 * with less structure.
 */
static const input_format formats[] = {
	{ "kb-txt",  1, true,  kbs__parse_kbtxt },
	{ "kb-html", 3, true,  kbs__parse_html },
	{ "html",    5, false, kbs__parse_html },
	{ "kb-md",   2, true,  kbs__parse_markdown },
	{ "md",      4, true,  kbs__parse_markdown },
	{ "plain",   6, false, kbs__parse_plain },
};
#define NFORMATS (sizeof formats / sizeof *formats)

static const input_format *
find_format(const char *name)
{
	for (size_t i = 0; name != NULL && i < NFORMATS; i++)
		if (strcmp(name, formats[i].name) == 0)
			return &formats[i];
	return NULL;
}

int
kbs__format_precedence(const char *name)
{
	const input_format *f = find_format(name);
	return f != NULL ? f->precedence : (int)NFORMATS + 1;
}

bool
kbs__format_is_article(const char *name)
{
	const input_format *f = find_format(name);
	return f != NULL && f->article;
}

kbs_status
kbs__parse(kbs_article *a, const char *text, size_t len)
{
	kbs_status rc = KBS_PARSE;
	for (size_t i = 0; rc == KBS_PARSE && i < NFORMATS; i++) {
		if (i > 0 && formats[i].parse == formats[i - 1].parse)
			continue;       /* tried already: another of its rows */
		if (i > 0) {
			kbs__arena_free(&a->arena);
			memset(a, 0, sizeof *a);
		}
		rc = formats[i].parse(a, text, len);
	}
	return rc;
}
