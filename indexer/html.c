/*
 * html.c - parser for HTML pages.
 *
 * Two kinds of page arrive here. The KB archive's pages carry the classic
 * article verbatim in a <pre><code> block under #main_content, wrapped in
 * site chrome; that block goes to kbs__parse_kbarchive() and nothing else
 * of the page is indexed. Any other page is read as ordinary support HTML:
 * headings open sections, paragraphs, lists, tables and <pre> become lines
 * of text that the extractors can read (a table row is one line with its
 * cells separated by tabs, so that file-version tables and event fields
 * keep their shape), and navigation, scripts and forms are dropped.
 *
 * The markup is read by libxml2's HTML parser through SAX callbacks, not
 * into a tree: no tree is built, so memory is the text kept plus a small
 * record per open element, and nothing here recurses, so 100,000 nested
 * tags cost a stack array, not a call stack. Errors are silenced on the
 * parser context itself (a no-op structured handler), never through
 * libxml2's process-wide error functions, so that parsing in several
 * threads and an embedding program's own handlers are left alone.
 */
#include "indexer.h"

#include <ctype.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <libxml/HTMLparser.h>
#include <libxml/parser.h>

#include "lazy.h"

/* What an element does to the text; one set of flags per open element. */
enum {
	E_SKIP = 1 << 0,     /* not article text: script, nav, footer... */
	E_LINE = 1 << 1,     /* starts and ends a line: div, li, tr, br */
	E_PARA = 1 << 2,     /* starts and ends a paragraph: p, table, h1 */
	E_PRE = 1 << 3,      /* white space kept */
	E_LIST = 1 << 4,     /* ul, ol, dl */
	E_OL = 1 << 5,       /* numbered list */
	E_ITEM = 1 << 6,     /* li */
	E_QUOTE = 1 << 7,    /* blockquote: lines indented */
	E_CELL = 1 << 8,     /* td, th */
	E_HEADING = 1 << 9,  /* h1-h6 */
	E_TITLE = 1 << 10,   /* the page's <title> */
	E_MAIN = 1 << 11,    /* #main_content, <main> */
	E_KBPRE = 1 << 12,   /* the outermost <pre>, its text captured */
	E_LINK = 1 << 13,    /* <a href>: its text counts as link text */
};

/* A page whose visible text is more than this share link text is a
 * navigation page (a site's table of contents, a list of articles), not
 * an article: link density, the boilerplate signal of Kohlschuetter,
 * Fankhauser and Nejdl, "Boilerplate Detection using Shallow Text
 * Features" (WSDM 2010), taken over the whole page. The KB's legal
 * disclaimer, which the archive's navigation pages carry under their
 * lists, is boilerplate too and not counted. A page that carries that
 * disclaimer but no article block, with under NAV_SITE_TEXT visible bytes
 * of its own outside links (about 150 words), is a page of a KB archive
 * site about the site: the archive's docs/id/index.html, which explains
 * its folders in two paragraphs. */
#define NAV_LINK_SHARE 0.5
#define NAV_SITE_TEXT 1000

static const struct {
	const char *name;
	unsigned flags;
} elements[] = {
	{ "script", E_SKIP }, { "style", E_SKIP }, { "nav", E_SKIP },
	{ "header", E_SKIP }, { "footer", E_SKIP }, { "noscript", E_SKIP },
	{ "form", E_SKIP }, { "iframe", E_SKIP }, { "template", E_SKIP },
	{ "svg", E_SKIP }, { "object", E_SKIP }, { "select", E_SKIP },
	{ "button", E_SKIP }, { "textarea", E_SKIP },
	{ "p", E_PARA }, { "table", E_PARA }, { "pre", E_PARA | E_PRE },
	{ "xmp", E_PARA | E_PRE }, { "listing", E_PARA | E_PRE },
	{ "plaintext", E_PARA | E_PRE },
	{ "ul", E_PARA | E_LIST }, { "ol", E_PARA | E_LIST | E_OL },
	{ "dl", E_PARA | E_LIST }, { "menu", E_PARA | E_LIST },
	{ "blockquote", E_PARA | E_QUOTE }, { "hr", E_PARA },
	{ "figure", E_PARA }, { "address", E_PARA }, { "fieldset", E_PARA },
	{ "center", E_PARA }, { "details", E_PARA },
	{ "li", E_LINE | E_ITEM }, { "dt", E_LINE }, { "dd", E_LINE | E_ITEM },
	{ "tr", E_LINE }, { "td", E_CELL }, { "th", E_CELL },
	{ "br", E_LINE }, { "div", E_LINE }, { "section", E_LINE },
	{ "article", E_LINE }, { "aside", E_LINE }, { "main", E_LINE | E_MAIN },
	{ "caption", E_LINE }, { "figcaption", E_LINE }, { "summary", E_LINE },
	{ "tbody", 0 }, { "thead", 0 }, { "tfoot", 0 }, { "body", E_LINE },
	{ "title", E_TITLE },
};

/* Which full-text column a section feeds (as in kbtxt.c). */

typedef struct elem {
	uint16_t flags;      /* E_* */
	uint16_t number;     /* ol: number of the next item */
	uint32_t prev_list;  /* E_LIST: index + 1 of the enclosing list */
} elem;

typedef struct hparser {
	kbs_article *a;
	kbs_status rc;           /* sticky */

	elem *stack;             /* open elements, heap */
	size_t depth, cap;
	uint32_t list;           /* index + 1 of the innermost list, 0 none */
	int skip;                /* open E_SKIP elements */
	int pre;                 /* open E_PRE elements */
	int main;                /* open E_MAIN elements */
	int quotes;              /* open blockquotes */
	int lists;               /* open lists */
	int heading;             /* level of the open heading, 0 none */
	int title;               /* inside <title> */

	/* the current section's text, written lazily: breaks, spaces,
	 * indentation and bullets wait for the next text */
	kbs__buf sect;
	int brk;                 /* line breaks owed: 1 line, 2 paragraph */
	bool space;              /* a space owed */
	bool tab;                /* a cell separator owed */
	bool pre_fresh;          /* no text yet since <pre> opened */
	char bullet[16];         /* owed list bullet, "" none */

	kbs__buf heading_text;   /* the open heading's text */
	const char *sect_heading; /* heading of the current section (arena) */
	int sect_level;          /* its level, 0 before any heading */
	enum kbs__column col;    /* column of the current section */
	int col_level;           /* level of the heading that chose col */
	kbs__buf cols[KBS__NCOLUMNS]; /* indexed by enum kbs__column */

	int links;               /* open <a href> elements */
	size_t text_chars;       /* non-blank bytes of visible text */
	size_t link_chars;       /* of which inside <a href> */
	size_t legal_depth;      /* depth of the element holding the KB
	                            disclaimer, 0 outside it */
	bool legal_seen;         /* the page carries the KB disclaimer */

	kbs__buf title_text;     /* <title> */
	kbs__buf h1;             /* first <h1> */
	kbs__buf h2main;         /* first <h2> in #main_content */
	bool have_title, have_h1, have_h2main;
	char *canonical;         /* <link rel=canonical href>, heap */
	char *og_url;            /* <meta property=og:url content>, heap */

	bool capture;            /* inside the <pre> being captured */
	kbs__buf pre_text;       /* raw text of the captured <pre> */
	kbs__buf kb_block;       /* archive block found in #main_content */
	kbs__buf kb_other;       /* archive block found elsewhere */
} hparser;

/* ------------------------------------------------------------------ */
/* Content sniffing                                                    */
/* ------------------------------------------------------------------ */

static const char *
find(const char *s, size_t n, const char *w)
{
	size_t wl = strlen(w);
	for (size_t i = 0; i + wl <= n; i++)
		if (s[i] == w[0] && memcmp(s + i, w, wl) == 0)
			return s + i;
	return NULL;
}

/* Does the text open like an HTML document? White space, a BOM, comments
 * and an XML declaration may come first. */
static bool
is_html(const char *s, size_t n)
{
	static const char *const tags[] = {
		"<!doctype html", "<html", "<head", "<body",
	};
	size_t i = 0;
	if (n >= 3 && memcmp(s, "\xEF\xBB\xBF", 3) == 0)
		i = 3;
	for (;;) {
		while (i < n && isspace((unsigned char)s[i]))
			i++;
		const char *end = NULL;
		if (n - i >= 4 && memcmp(s + i, "<!--", 4) == 0)
			end = find(s + i + 4, n - i - 4, "-->");
		else if (n - i >= 5 && strncasecmp(s + i, "<?xml", 5) == 0)
			end = find(s + i + 5, n - i - 5, "?>");
		else
			break;
		if (end == NULL)
			return false;
		i = (size_t)(end - s) + (end[0] == '-' ? 3 : 2);
	}
	for (size_t k = 0; k < sizeof tags / sizeof tags[0]; k++) {
		size_t kl = strlen(tags[k]);
		if (n - i > kl && strncasecmp(s + i, tags[k], kl) == 0 &&
		    (isspace((unsigned char)s[i + kl]) || s[i + kl] == '>' ||
		     s[i + kl] == '/'))
			return true;
	}
	return false;
}

/* ------------------------------------------------------------------ */
/* Text output                                                         */
/* ------------------------------------------------------------------ */

static void
owe_break(hparser *p, int n)
{
	if (p->brk < n)
		p->brk = n;
	p->space = false;
	p->tab = false;
}

static bool
at_line_start(const hparser *p)
{
	return p->sect.len == 0 || p->sect.data[p->sect.len - 1] == '\n';
}

/* Pay what is owed before the next visible character. */
static void
settle(hparser *p)
{
	kbs__buf *b = &p->sect;
	if (b->len > 0 && p->brk > 0) {
		int have = 0;
		while (have < 2 && b->len > (size_t)have &&
		       b->data[b->len - 1 - have] == '\n')
			have++;
		for (; have < p->brk; have++)
			kbs__buf_putc(b, '\n');
	}
	p->brk = 0;
	if (at_line_start(p)) {
		for (int i = 0; i < p->quotes && i < 8; i++)
			kbs__buf_puts(b, "    ");
		for (int i = 0; i < p->lists && i < 8; i++)
			kbs__buf_puts(b, "  ");
		if (p->bullet[0] != '\0') {
			kbs__buf_puts(b, p->bullet);
			p->bullet[0] = '\0';
		}
	} else if (p->tab) {
		kbs__buf_putc(b, '\t');
	} else if (p->space) {
		kbs__buf_putc(b, ' ');
	}
	p->space = false;
	p->tab = false;
}

/* Text outside <pre>: runs of white space (and no-break spaces) fold
 * into one space. */
static void
put_flow(hparser *p, kbs__buf *b, const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (isspace(c) || (c == 0xC2 && i + 1 < n &&
		                   (unsigned char)s[i + 1] == 0xA0)) {
			if (c == 0xC2)
				i++;
			if (b == &p->sect)
				p->space = true;
			else if (b->len > 0 && b->data[b->len - 1] != ' ')
				kbs__buf_putc(b, ' ');
			continue;
		}
		if (b == &p->sect)
			settle(p);
		kbs__buf_putc(b, (char)c);
	}
}

/* Text inside <pre>: line breaks kept, the first one after <pre> dropped
 * as browsers do. */
static void
put_pre(hparser *p, const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		char c = s[i];
		if (c == '\r')
			continue;
		if (p->pre_fresh) {
			p->pre_fresh = false;
			if (c == '\n')
				continue;
		}
		if (c == '\n') {
			if (p->brk > 0 || p->tab || p->space ||
			    p->bullet[0] != '\0')
				settle(p);
			kbs__buf_putc(&p->sect, '\n');
			continue;
		}
		settle(p);
		kbs__buf_putc(&p->sect, c);
	}
}

/* ------------------------------------------------------------------ */
/* Sections                                                            */
/* ------------------------------------------------------------------ */

static char *
dup_trim(hparser *p, const char *s, size_t n)
{
	while (n > 0 && isspace((unsigned char)*s)) {
		s++;
		n--;
	}
	while (n > 0 && isspace((unsigned char)s[n - 1]))
		n--;
	char *d = kbs__arena_strndup(&p->a->arena, s, n);
	if (d == NULL)
		p->rc = KBS_NOMEM;
	return d;
}

/* Close the current section: store it and add it to its column. */
static void
flush_section(hparser *p)
{
	if (p->rc == KBS_OK)
		p->rc = kbs__add_section(p->a, &p->cols[p->col],
		                         p->sect_heading, p->sect_level,
		                         kbs__buf_str(&p->sect), p->sect.len);
	p->sect.len = 0;
	if (p->sect.data != NULL)
		p->sect.data[0] = '\0';
	p->brk = 0;
	p->space = p->tab = false;
}

/* A heading closed: it opens a new section unless it has no text. */
static void
end_heading(hparser *p, int level)
{
	kbs__buf *h = &p->heading_text;
	const char *s = kbs__buf_str(h);
	size_t n = h->len;
	while (n > 0 && s[n - 1] == ' ')
		n--;
	if (n > 0 && p->rc == KBS_OK) {
		if (level == 1 && !p->have_h1) {
			kbs__buf_append(&p->h1, s, n);
			p->have_h1 = true;
		}
		if (level == 2 && p->main > 0 && !p->have_h2main) {
			kbs__buf_append(&p->h2main, s, n);
			p->have_h2main = true;
		}
		flush_section(p);
		p->sect_heading = dup_trim(p, s, n);
		p->sect_level = level;
		if (p->sect_heading != NULL) {
			enum kbs__column c = kbs__column_of(p->sect_heading);
			/* a subheading stays in its parent's column */
			if (c != KBS__COL_BODY || p->col_level == 0 ||
			    level <= p->col_level) {
				p->col = c;
				p->col_level = c != KBS__COL_BODY ? level : 0;
			}
		}
	}
	h->len = 0;
	if (h->data != NULL)
		h->data[0] = '\0';
}

/* ------------------------------------------------------------------ */
/* SAX callbacks                                                       */
/* ------------------------------------------------------------------ */

static const char *
attr(const xmlChar **atts, const char *name)
{
	for (size_t i = 0; atts != NULL && atts[i] != NULL; i += 2)
		if (strcasecmp((const char *)atts[i], name) == 0)
			return atts[i + 1] ? (const char *)atts[i + 1] : "";
	return NULL;
}

/* Is word one of the space-separated tokens of list? */
static bool
has_token(const char *list, const char *word)
{
	size_t wl = strlen(word);
	for (const char *s = list; s != NULL && *s != '\0';) {
		while (isspace((unsigned char)*s))
			s++;
		size_t n = 0;
		while (s[n] != '\0' && !isspace((unsigned char)s[n]))
			n++;
		if (n == wl && strncasecmp(s, word, n) == 0)
			return true;
		s += n;
	}
	return false;
}

static char *
heap_dup(hparser *p, const char *s)
{
	char *d = strdup(s);
	if (d == NULL)
		p->rc = KBS_NOMEM;
	return d;
}

/* Flags of an element from its name and attributes. */
static unsigned
classify(hparser *p, const char *name, const xmlChar **atts)
{
	unsigned f = 0;
	for (size_t k = 0; k < sizeof elements / sizeof elements[0]; k++)
		if (strcasecmp(name, elements[k].name) == 0) {
			f = elements[k].flags;
			break;
		}
	if ((name[0] == 'h' || name[0] == 'H') && name[1] >= '1' &&
	    name[1] <= '6' && name[2] == '\0')
		f = E_PARA | E_HEADING;

	const char *v;
	if ((v = attr(atts, "id")) != NULL &&
	    (strcmp(v, "main_content") == 0 || strcmp(v, "main-content") == 0))
		f |= E_MAIN;
	if (attr(atts, "hidden") != NULL)
		f |= E_SKIP;
	if ((v = attr(atts, "role")) != NULL &&
	    (has_token(v, "navigation") || has_token(v, "banner") ||
	     has_token(v, "contentinfo") || has_token(v, "search")))
		f |= E_SKIP;
	if (strcasecmp(name, "link") == 0 && p->canonical == NULL &&
	    has_token(attr(atts, "rel"), "canonical") &&
	    (v = attr(atts, "href")) != NULL)
		p->canonical = heap_dup(p, v);
	if (strcasecmp(name, "meta") == 0 && p->og_url == NULL &&
	    (v = attr(atts, "property")) != NULL &&
	    strcasecmp(v, "og:url") == 0 && (v = attr(atts, "content")) != NULL)
		p->og_url = heap_dup(p, v);
	return f;
}

static void
on_start(void *ctx, const xmlChar *xname, const xmlChar **atts)
{
	hparser *p = ((htmlParserCtxtPtr)ctx)->_private;
	const char *name = (const char *)xname;
	if (p->rc != KBS_OK)
		return;
	if (p->depth == p->cap) {
		size_t cap = p->cap ? p->cap * 2 : 64;
		elem *s = realloc(p->stack, cap * sizeof *s);
		if (s == NULL) {
			p->rc = KBS_NOMEM;
			return;
		}
		p->stack = s;
		p->cap = cap;
	}
	elem *e = &p->stack[p->depth++];
	memset(e, 0, sizeof *e);
	if (p->skip > 0)
		return;   /* nothing inside skipped content counts */
	unsigned f = classify(p, name, atts);
	/* a heading inside a heading, a title in the body: plain text */
	if ((f & E_HEADING) && p->heading > 0)
		f &= ~(unsigned)E_HEADING;
	if ((f & E_TITLE) && (p->have_title || p->title > 0))
		f &= ~(unsigned)E_TITLE;
	e->flags = (uint16_t)f;

	if (f & E_SKIP) {
		p->skip++;
		return;
	}
	if (f & E_MAIN)
		p->main++;
	if (f & E_TITLE)
		p->title++;
	/* a list inside a list item continues its lines */
	if ((f & E_PARA) && !((f & E_LIST) && p->lists > 0))
		owe_break(p, 2);
	else if (f & (E_LINE | E_PARA))
		owe_break(p, 1);
	if (f & E_HEADING)
		p->heading = name[1] - '0';
	if (f & E_PRE) {
		if (p->pre++ == 0) {
			p->pre_fresh = true;
			/* the archive's article block */
			if (!(p->kb_block.len > 0) && p->heading == 0) {
				e->flags |= E_KBPRE;
				p->capture = true;
				p->pre_text.len = 0;
			}
		}
	}
	if (f & E_QUOTE)
		p->quotes++;
	if (strcasecmp(name, "a") == 0 && attr(atts, "href") != NULL) {
		e->flags |= E_LINK;
		p->links++;
	}
	if (f & E_LIST) {
		e->prev_list = p->list;
		e->number = 1;
		p->list = (uint32_t)p->depth;
		p->lists++;
	}
	if (f & E_ITEM) {
		p->bullet[0] = '\0';
		if (p->list > 0 && (p->stack[p->list - 1].flags & E_OL)) {
			elem *l = &p->stack[p->list - 1];
			snprintf(p->bullet, sizeof p->bullet, "%u. ",
			         (unsigned)l->number);
			if (l->number < UINT16_MAX)
				l->number++;
		} else if (strcasecmp(name, "li") == 0) {
			strcpy(p->bullet, "- ");
		}
	}
	/* cells after the first in a row: a tab, not a space */
	if ((f & E_CELL) && !at_line_start(p) && p->brk == 0)
		p->tab = true;
}

/* Does the block start with the archive's "Article:" line? */
static bool
is_kb_block(const kbs__buf *b)
{
	const char *s = kbs__buf_str(b);
	while (isspace((unsigned char)*s))
		s++;
	return strncasecmp(s, "Article:", 8) == 0;
}

static void
on_end(void *ctx, const xmlChar *name)
{
	hparser *p = ((htmlParserCtxtPtr)ctx)->_private;
	(void)name;
	if (p->rc != KBS_OK || p->depth == 0)
		return;
	elem *e = &p->stack[--p->depth];
	if (p->legal_depth > p->depth)
		p->legal_depth = 0;
	unsigned f = e->flags;
	if (f & E_SKIP) {
		p->skip--;
		return;
	}
	if (p->skip > 0)
		return;
	if (f & E_MAIN)
		p->main--;
	if (f & E_TITLE) {
		p->title--;
		p->have_title = p->title_text.len > 0;
	}
	if (f & E_HEADING) {
		end_heading(p, p->heading);
		p->heading = 0;
	}
	if (f & E_KBPRE) {
		p->capture = false;
		kbs__buf *dst = p->main > 0 || (f & E_MAIN) ? &p->kb_block
		                                            : &p->kb_other;
		if (dst->len == 0 && is_kb_block(&p->pre_text)) {
			kbs__buf t = *dst;
			*dst = p->pre_text;
			p->pre_text = t;
		}
		p->pre_text.len = 0;
		if (p->pre_text.data != NULL)
			p->pre_text.data[0] = '\0';
	}
	if (f & E_PRE)
		p->pre--;
	if (f & E_QUOTE)
		p->quotes--;
	if (f & E_LINK)
		p->links--;
	if (f & E_LIST) {
		p->list = e->prev_list;
		p->lists--;
	}
	if (f & E_ITEM)
		p->bullet[0] = '\0';
	if ((f & E_PARA) && !((f & E_LIST) && p->lists > 0))
		owe_break(p, 2);
	else if (f & (E_LINE | E_PARA))
		owe_break(p, 1);
}

static void
on_text(void *ctx, const xmlChar *xs, int len)
{
	hparser *p = ((htmlParserCtxtPtr)ctx)->_private;
	const char *s = (const char *)xs;
	size_t n = len > 0 ? (size_t)len : 0;
	if (p->rc != KBS_OK || p->skip > 0 || n == 0)
		return;
	if (p->legal_depth == 0) {
		size_t k = 0;
		while (k < n && isspace((unsigned char)s[k]))
			k++;
		if (n - k >= 41 && strncasecmp(s + k, "THE INFORMATION PROVIDED "
		                               "IN THE MICROSOFT", 41) == 0) {
			p->legal_depth = p->depth;
			p->legal_seen = true;
		}
	}
	if (p->title == 0 && p->legal_depth == 0) {
		size_t vis = 0;
		for (size_t i = 0; i < n; i++)
			vis += !isspace((unsigned char)s[i]);
		p->text_chars += vis;
		if (p->links > 0)
			p->link_chars += vis;
	}
	if (p->title > 0) {
		put_flow(p, &p->title_text, s, n);
	} else if (p->heading > 0) {
		put_flow(p, &p->heading_text, s, n);
	} else if (p->pre > 0) {
		if (p->capture)
			kbs__buf_append(&p->pre_text, s, n);
		put_pre(p, s, n);
	} else {
		put_flow(p, &p->sect, s, n);
	}
}

static void
no_error(void *ctx, xmlErrorPtr err)
{
	(void)ctx;
	(void)err;
}

/* ------------------------------------------------------------------ */
/* Titles and ids                                                      */
/* ------------------------------------------------------------------ */

/* Length of a leading "Q123456:" (with the spaces after it), or 0; the
 * canonical id goes to id. */
static size_t
title_id(char *id, size_t idsz, const char *s)
{
	size_t i = 0;
	if (s[0] != 'Q' && s[0] != 'q')
		return 0;
	for (i = 1; isdigit((unsigned char)s[i]); i++)
		;
	if (i < 2 || s[i] != ':' || !kbs__kbid_canon(id, idsz, s, i))
		return 0;
	for (i++; s[i] == ' '; i++)
		;
	return i;
}

/* The page's own KB id from its permalink: the last path segment that
 * reads Q123456 or KB123456, else a number right after a /kb/ or /help/
 * segment. "http://.../kb/294/Q294326/" gives Q294326. */
static bool
url_id(char *id, size_t idsz, const char *url)
{
	if (url == NULL)
		return false;
	size_t n = strcspn(url, "?#");
	const char *segs[64];
	size_t lens[64], nseg = 0;
	for (size_t i = 0; i < n && nseg < 64;) {
		while (i < n && url[i] == '/')
			i++;
		size_t st = i;
		while (i < n && url[i] != '/')
			i++;
		if (i > st) {
			size_t l = i - st;
			const char *dot = memchr(url + st, '.', l);
			if (dot != NULL && nseg > 0)   /* "Q123.html", not a host */
				l = (size_t)(dot - (url + st));
			segs[nseg] = url + st;
			lens[nseg++] = l;
		}
	}
	for (size_t k = nseg; k-- > 1;) {
		const char *s = segs[k];
		size_t l = lens[k], d = 0;
		if (l > 1 && (s[0] == 'Q' || s[0] == 'q'))
			d = 1;
		else if (l > 2 && strncasecmp(s, "kb", 2) == 0)
			d = 2;
		if (d == 0)
			continue;
		size_t j = d;
		while (j < l && isdigit((unsigned char)s[j]))
			j++;
		if (j == l && kbs__kbid_canon(id, idsz, s, l))
			return true;
	}
	for (size_t k = nseg; k-- > 2;) {
		const char *prev = segs[k - 1];
		size_t pl = lens[k - 1], j = 0;
		if (!((pl == 2 && strncasecmp(prev, "kb", 2) == 0) ||
		      (pl == 4 && strncasecmp(prev, "help", 4) == 0)))
			continue;
		while (j < lens[k] && isdigit((unsigned char)segs[k][j]))
			j++;
		if (j == lens[k] && kbs__kbid_canon(id, idsz, segs[k], j))
			return true;
	}
	return false;
}

/*
 * The archive's site generator set its titles with typographic
 * punctuation ("Error..." became "Error\u2026", "--" an en dash) while the
 * article block kept the original ASCII. Undo it in place so that the
 * title reads as the original's TITLE line.
 */
static void
untypeset(kbs__buf *b)
{
	static const struct { const char *from, *to; } map[] = {
		{ "\xE2\x80\xA6", "..." },   /* U+2026 horizontal ellipsis */
		{ "\xE2\x80\x94", "---" },   /* U+2014 em dash */
		{ "\xE2\x80\x93", "--" },    /* U+2013 en dash */
	};
	size_t o = 0;
	for (size_t i = 0; i < b->len;) {
		size_t k;
		for (k = 0; k < sizeof map / sizeof map[0]; k++)
			if (b->len - i >= 3 && memcmp(b->data + i, map[k].from, 3) == 0)
				break;
		if (k < sizeof map / sizeof map[0]) {
			/* every replacement is at most as long as its source */
			size_t tl = strlen(map[k].to);
			memcpy(b->data + o, map[k].to, tl);
			o += tl;
			i += 3;
		} else {
			b->data[o++] = b->data[i++];
		}
	}
	b->len = o;
	if (b->data != NULL)
		b->data[o] = '\0';
}

/* A title from a capture: " | KnowledgeBase Archive" and a "Q123: "
 * prefix removed. NULL when empty. */
static const char *
clean_title(hparser *p, const kbs__buf *b, char *id, size_t idsz)
{
	static const char suffix[] = " | KnowledgeBase Archive";
	const char *s = kbs__buf_str(b);
	while (*s == ' ')
		s++;
	size_t n = strlen(s);
	while (n > 0 && s[n - 1] == ' ')
		n--;
	if (n >= sizeof suffix - 1 &&
	    strncasecmp(s + n - (sizeof suffix - 1), suffix,
	                sizeof suffix - 1) == 0)
		n -= sizeof suffix - 1;
	size_t k = title_id(id, idsz, s);
	if (k > n)
		k = n;
	s += k;
	n -= k;
	return n > 0 ? dup_trim(p, s, n) : NULL;
}

/* ------------------------------------------------------------------ */

static kbs_status
parse_archive(hparser *p, kbs__buf *block, const char *text, size_t len)
{
	kbs_article *a = p->a;
	char id[32];
	/* The title goes through the arena, which is about to be emptied:
	 * take a heap copy first. */
	kbs__buf *tb = p->have_h2main ? &p->h2main : &p->title_text;
	untypeset(tb);
	const char *t = clean_title(p, tb, id, sizeof id);
	char *title = t != NULL ? strdup(t) : NULL;
	if (t != NULL && title == NULL)
		return KBS_NOMEM;
	kbs__arena_free(&a->arena);
	memset(a, 0, sizeof *a);
	kbs_status rc = kbs__parse_kbarchive(a, block->data, block->len, title);
	free(title);
	if (rc != KBS_OK)
		return rc;
	a->format = "kb-html";
	a->text = kbs__arena_strndup(&a->arena, text, len);
	return a->text != NULL ? KBS_OK : KBS_NOMEM;
}

static const char *
column_text(hparser *p, kbs__buf *b)
{
	if (b->len == 0)
		return NULL;
	return dup_trim(p, b->data, b->len);
}

static kbs_status
finish_ordinary(hparser *p, const char *text, size_t len)
{
	kbs_article *a = p->a;
	char id[32] = "";
	flush_section(p);
	a->format = "html";
	a->text = kbs__arena_strndup(&a->arena, text, len);
	if (a->text == NULL)
		return KBS_NOMEM;
	a->title = clean_title(p, &p->title_text, id, sizeof id);
	if (a->title == NULL)
		a->title = clean_title(p, &p->h1, id, sizeof id);
	if (url_id(id, sizeof id, p->canonical) ||
	    url_id(id, sizeof id, p->og_url) || id[0] != '\0')
		a->kb_id = kbs__arena_strdup(&a->arena, id);
	if (id[0] != '\0' && a->kb_id == NULL)
		return KBS_NOMEM;
	a->body = column_text(p, &p->cols[KBS__COL_BODY]);
	a->symptoms = column_text(p, &p->cols[KBS__COL_SYMPTOMS]);
	a->cause = column_text(p, &p->cols[KBS__COL_CAUSE]);
	a->resolution = column_text(p, &p->cols[KBS__COL_RESOLUTION]);
	for (int c = 0; c < KBS__NCOLUMNS; c++)
		if (p->cols[c].oom)
			p->rc = KBS_NOMEM;
	if (p->rc != KBS_OK)
		return p->rc;
	if (p->text_chars > 0 &&
	    (double)p->link_chars > NAV_LINK_SHARE * (double)p->text_chars)
		a->not_article = "navigation page (mostly links)";
	else if (p->legal_seen && a->kb_id == NULL &&
	         p->text_chars - p->link_chars < NAV_SITE_TEXT)
		a->not_article = "navigation page (a KB site's page, "
		                 "no article)";
	/* a page that is no article needs no records: the archive's lists
	 * name thousands of KB ids each */
	return a->not_article != NULL ? KBS_OK : kbs__extract(a);
}

static bool
any_oom(const hparser *p)
{
	return p->sect.oom || p->heading_text.oom || p->title_text.oom ||
	       p->h1.oom || p->h2main.oom || p->pre_text.oom ||
	       p->kb_block.oom || p->kb_other.oom;
}

/* Attributes kept on one tag: libxml2 checks each new attribute against
 * every earlier one of its tag, so a tag with a million of them takes
 * hours; no page needs more than a few dozen. */
#define MAX_ATTRS 64

/*
 * Copy of s[0..n) in which every start tag keeps its first MAX_ATTRS
 * attributes, the rest up to the tag's '>' dropped; *out is NULL when no
 * tag has that many (nothing is copied). One pass, linear in n. A tag is
 * '<' and a letter; an attribute a name and an optional '=' value, quoted
 * or not, as the HTML tokenizer reads them.
 */
static kbs_status
bound_attrs(char **out, size_t *outlen, const char *s, size_t n)
{
	char *o = NULL;
	size_t on = 0, copied = 0;   /* s[0..copied) is in o[0..on) */

	*out = NULL;
	for (size_t i = 0; i + 1 < n; i++) {
		if (s[i] != '<' || !isalpha((unsigned char)s[i + 1]))
			continue;
		size_t j = i + 1;
		while (j < n && !isspace((unsigned char)s[j]) && s[j] != '>' &&
		       s[j] != '/')
			j++;
		int nattrs = 0;
		size_t cut = 0;      /* where the attributes over the cap start */
		while (j < n && s[j] != '>') {
			if (isspace((unsigned char)s[j]) || s[j] == '/') {
				j++;
				continue;
			}
			if (++nattrs == MAX_ATTRS + 1)
				cut = j;
			while (j < n && !isspace((unsigned char)s[j]) &&
			       s[j] != '>' && s[j] != '=' && s[j] != '/')
				j++;
			while (j < n && isspace((unsigned char)s[j]))
				j++;
			if (j >= n || s[j] != '=')
				continue;
			j++;
			while (j < n && isspace((unsigned char)s[j]))
				j++;
			if (j < n && (s[j] == '"' || s[j] == '\'')) {
				const char *q = memchr(s + j + 1, s[j], n - j - 1);
				j = q != NULL ? (size_t)(q - s) + 1 : n;
			} else {
				while (j < n && !isspace((unsigned char)s[j]) &&
				       s[j] != '>')
					j++;
			}
		}
		if (cut != 0) {
			if (o == NULL && (o = malloc(n + 1)) == NULL)
				return KBS_NOMEM;
			memcpy(o + on, s + copied, cut - copied);
			on += cut - copied;
			copied = j;   /* resume at the '>' (or the end) */
		}
		i = j > i ? j - 1 : i;
	}
	if (o != NULL) {
		memcpy(o + on, s + copied, n - copied);
		on += n - copied;
		o[on] = '\0';
		*out = o;
		*outlen = on;
	}
	return KBS_OK;
}

kbs_status
kbs__parse_html(kbs_article *a, const char *text, size_t len)
{
	hparser p;
	char *copy = NULL;
	htmlParserCtxtPtr ctxt = NULL;
	const char *src = text;

	if (!is_html(text, len))
		return KBS_PARSE;
	if (len > INT_MAX)
		return KBS_PARSE;   /* libxml2 takes an int length */
	if (!kbs__libxml2_load())
		return KBS_IO;      /* the reader says why: kbs__lazy_why() */
	memset(&p, 0, sizeof p);
	p.a = a;

	/* libxml2 stops at a NUL byte; binary junk should not hide the
	 * text after it */
	if (memchr(text, '\0', len) != NULL) {
		if ((copy = malloc(len + 1)) == NULL)
			return KBS_NOMEM;
		for (size_t i = 0; i < len; i++)
			copy[i] = text[i] != '\0' ? text[i] : ' ';
		copy[len] = '\0';
		src = copy;
	}
	char *bounded = NULL;
	size_t blen = 0;
	if (bound_attrs(&bounded, &blen, src, len) != KBS_OK) {
		free(copy);
		return KBS_NOMEM;
	}
	if (bounded != NULL) {
		free(copy);
		src = copy = bounded;
	}
	size_t srclen = bounded != NULL ? blen : len;

	if ((ctxt = htmlNewParserCtxt()) == NULL) {
		p.rc = KBS_NOMEM;
		goto done;
	}
	/* Our handlers only: no tree is built. The structured handler on
	 * the context (honoured only with the SAX2 magic) keeps errors
	 * away from stderr and from any process-wide handler. */
	memset(ctxt->sax, 0, sizeof *ctxt->sax);
	ctxt->sax->initialized = XML_SAX2_MAGIC;
	ctxt->sax->startElement = on_start;
	ctxt->sax->endElement = on_end;
	ctxt->sax->characters = on_text;
	ctxt->sax->cdataBlock = on_text;
	ctxt->sax->ignorableWhitespace = on_text;
	ctxt->sax->serror = no_error;
	ctxt->_private = &p;
	htmlCtxtReadMemory(ctxt, src, (int)srclen, NULL, "UTF-8",
	                   HTML_PARSE_NONET | HTML_PARSE_NOERROR |
	                   HTML_PARSE_NOWARNING | HTML_PARSE_RECOVER |
	                   HTML_PARSE_IGNORE_ENC);
	if (ctxt->errNo == XML_ERR_NO_MEMORY && p.rc == KBS_OK)
		p.rc = KBS_NOMEM;
	if (p.rc == KBS_OK && any_oom(&p))
		p.rc = KBS_NOMEM;
	if (p.rc != KBS_OK)
		goto done;

	if (p.kb_block.len > 0)
		p.rc = parse_archive(&p, &p.kb_block, text, len);
	else if (p.kb_other.len > 0)
		p.rc = parse_archive(&p, &p.kb_other, text, len);
	else
		p.rc = finish_ordinary(&p, text, len);
done:
	if (ctxt != NULL)
		htmlFreeParserCtxt(ctxt);
	free(copy);
	free(p.stack);
	free(p.canonical);
	free(p.og_url);
	kbs__buf_free(&p.sect);
	kbs__buf_free(&p.heading_text);
	for (int c = 0; c < KBS__NCOLUMNS; c++)
		kbs__buf_free(&p.cols[c]);
	kbs__buf_free(&p.title_text);
	kbs__buf_free(&p.h1);
	kbs__buf_free(&p.h2main);
	kbs__buf_free(&p.pre_text);
	kbs__buf_free(&p.kb_block);
	kbs__buf_free(&p.kb_other);
	return p.rc;
}
