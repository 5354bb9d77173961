/*
 * plain.c - parser for text with no known structure.
 *
 * Anything the other parsers do not recognise is still indexed: the whole
 * text is the body, the first line with a letter or digit is the title.
 * The KB id is taken only when the text names its own near the top (a
 * leading "Q123456:" on the first line, or a "DOCUMENT:Q123456" or
 * "Article: Q123456" line among the first lines), never from a mention
 * further down, which is usually a link to another article. Scraped web
 * pages end their title line with decoration (" \u25CE", " \u00BB", " |"),
 * which is dropped; kbs__extract() also takes their inline quoted error
 * messages, as the format is "plain".
 */
#include "indexer.h"

#include <ctype.h>
#include <string.h>

#define TITLE_MAX 200   /* bytes; longer first lines are cut */
#define ID_LINES 15     /* lines searched for an "Article:" id line */

static bool
has_alnum(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (isalnum((unsigned char)s[i]) || (unsigned char)s[i] >= 0x80)
			return true;
	return false;
}

/* The canonical id at s (e.g. "Q123456" followed by a non-alnum), or
 * false. */
static bool
id_at(char *out, size_t outsz, const char *s, size_t n)
{
	size_t i = 0;
	if (n == 0 || (s[0] != 'Q' && s[0] != 'q'))
		return false;
	i = 1;
	while (i < n && isdigit((unsigned char)s[i]))
		i++;
	if (i < 2 || (i < n && isalnum((unsigned char)s[i])))
		return false;
	return kbs__kbid_canon(out, outsz, s, i);
}

/* "Article: Q123", "Article ID: Q123", "Article-ID: Q123",
 * "DOCUMENT:Q123" at the start of a (trimmed) line. */
static bool
id_line(char *out, size_t outsz, const char *s, size_t n)
{
	static const char *const keys[] = {
		"article:", "article id:", "article-id:", "document:",
		"article number:", "kb article:",
	};
	while (n > 0 && (isspace((unsigned char)*s) || *s == '#' || *s == '*' ||
	                 *s == '>')) {
		s++;
		n--;
	}
	for (size_t k = 0; k < sizeof keys / sizeof keys[0]; k++) {
		size_t kl = strlen(keys[k]);
		if (n > kl && strncasecmp(s, keys[k], kl) == 0) {
			size_t i = kl;
			while (i < n && (s[i] == ' ' || s[i] == '\t'))
				i++;
			return id_at(out, outsz, s + i, n - i);
		}
	}
	return false;
}

/*
 * Length of the title without the decoration scraped pages put after it:
 * "Rds Cal License Registry Key \u25CE", "Title \u00BB", "Title |". Symbols
 * (U+00A0..U+00BF, U+2010..U+2BFF but quotes and the ellipsis,
 * U+3000..U+303F, emoji), ASCII marks such as '|', '#', '*', '-' and
 * spaces go; letters, digits and closing punctuation stay.
 */
static size_t
strip_decoration(const char *s, size_t n)
{
	while (n > 0) {
		unsigned char c = (unsigned char)s[n - 1];
		if (c < 0x80) {
			if (!isspace(c) && strchr("|#*-=~>:;,/\\", c) == NULL)
				break;
			n--;
			continue;
		}
		/* the code point of the last UTF-8 sequence */
		size_t b = n - 1;
		while (b > 0 && n - b < 4 && ((unsigned char)s[b] & 0xC0) == 0x80)
			b--;
		unsigned char l = (unsigned char)s[b];
		unsigned long cp;
		size_t k = n - b;
		if (k == 2 && (l & 0xE0) == 0xC0)
			cp = l & 0x1Fu;
		else if (k == 3 && (l & 0xF0) == 0xE0)
			cp = l & 0x0Fu;
		else if (k == 4 && (l & 0xF8) == 0xF0)
			cp = l & 0x07u;
		else
			break;
		for (size_t i = b + 1; i < n; i++)
			cp = (cp << 6) | ((unsigned char)s[i] & 0x3Fu);
		if (!((cp >= 0xA0 && cp <= 0xBF) || (cp >= 0x2010 && cp <= 0x2BFF) ||
		      (cp >= 0x3000 && cp <= 0x303F) || (cp >= 0xFE00 && cp <= 0xFE0F) ||
		      cp >= 0x1F000) ||
		    (cp >= 0x2018 && cp <= 0x201F) || cp == 0x2026)
			break;   /* quotes and the ellipsis are the title's */
		n = b;
	}
	return n;
}

kbs_status
kbs__parse_plain(kbs_article *a, const char *text, size_t len)
{
	char id[32];
	const char *title = NULL;
	size_t titlelen = 0, nline = 0, i = 0;
	bool have_id = false;

	while (i < len && nline < ID_LINES) {
		const char *nl = memchr(text + i, '\n', len - i);
		size_t end = nl ? (size_t)(nl - text) : len;
		const char *s = text + i;
		size_t n = end - i;
		if (nline == 0 && n >= 3 && memcmp(s, "\xEF\xBB\xBF", 3) == 0) {
			s += 3;
			n -= 3;
		}
		while (n > 0 && isspace((unsigned char)s[n - 1]))
			n--;
		/* "Q123456: Title" as the first line */
		if (nline == 0 && !have_id) {
			const char *t = s;
			size_t tn = n;
			while (tn > 0 && isspace((unsigned char)*t)) {
				t++;
				tn--;
			}
			const char *c = memchr(t, ':', tn < 12 ? tn : 12);
			if (c != NULL && id_at(id, sizeof id, t, (size_t)(c - t)))
				have_id = true;
		}
		if (!have_id && id_line(id, sizeof id, s, n))
			have_id = true;
		if (title == NULL && has_alnum(s, n)) {
			while (n > 0 && isspace((unsigned char)*s)) {
				s++;
				n--;
			}
			title = s;
			titlelen = n;
		}
		i = end + 1;
		nline++;
	}
	if (title == NULL) {
		/* any non-space content further down still makes a title */
		for (; i < len; i++)
			if (!isspace((unsigned char)text[i]))
				break;
		if (i >= len)
			return KBS_PARSE;
		const char *nl = memchr(text + i, '\n', len - i);
		title = text + i;
		titlelen = nl ? (size_t)(nl - title) : len - i;
		while (titlelen > 0 && isspace((unsigned char)title[titlelen - 1]))
			titlelen--;
	}
	size_t bare = strip_decoration(title, titlelen);
	if (bare > 0)
		titlelen = bare;
	if (titlelen > TITLE_MAX) {
		titlelen = TITLE_MAX;
		/* do not cut a UTF-8 sequence */
		while (titlelen > 0 &&
		       ((unsigned char)title[titlelen] & 0xC0) == 0x80)
			titlelen--;
	}

	a->format = "plain";
	a->text = kbs__arena_strndup(&a->arena, text, len);
	a->title = kbs__arena_strndup(&a->arena, title, titlelen);
	if (a->text == NULL || a->title == NULL)
		return KBS_NOMEM;
	a->body = a->text;
	if (have_id) {
		a->kb_id = kbs__arena_strdup(&a->arena, id);
		if (a->kb_id == NULL)
			return KBS_NOMEM;
	}
	return kbs__extract(a);
}
