/*
 * markdown.c - parser for Markdown with YAML front matter.
 *
 * Two kinds of page share the shape "---, YAML, ---, Markdown". The KB
 * archive's pages (a Jekyll site) carry a classic KB article indented by
 * one tab, which CommonMark reads as one code block starting with
 * "Article:"; its literal text goes to kbs__parse_kbarchive() and the page
 * becomes a "kb-md" article. Any other page is a blog post ("md"): title,
 * date, tags and categories from the front matter, one section per
 * top-level heading, the text rendered plain (no '>' or '*' marks, link
 * text without its URL) so that kbs__extract() reads it as it reads KB
 * prose, and KB references from link URLs as well.
 *
 * libyaml reads the front matter through its event API, which never
 * expands aliases, so a "billion laughs" document costs no more than its
 * own size; cmark reads the Markdown. The front matter is capped, and a
 * document that either library rejects is not Markdown: KBS_PARSE lets
 * the dispatcher fall through to the plain parser. cmark's allocator
 * aborts when memory runs out; no other failure of cmark is fatal.
 */
#include "indexer.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <cmark.h>
#include <yaml.h>

#define FRONT_MAX 65536     /* bytes of front matter read by libyaml */
#define YAML_EVENTS_MAX 20000 /* events read from the front matter */
#define LIST_MAX 64         /* tags or categories kept */
#define INDENT_MAX 16       /* columns of indentation in rendered text */

/* What the front matter says. Strings are arena copies or NULL. */
typedef struct front {
	const char *title;
	const char *date;
	const char *permalink;
	const char *author;
	const char *excerpt;
	const char *tags[LIST_MAX];   /* tags and categories, deduplicated */
	size_t ntags;
	const char *cats[LIST_MAX];
	size_t ncats;
} front;

/* The parser's working state. */
typedef struct md {
	kbs_article *a;
	kbs_status rc;       /* sticky */
	kbs__buf out;        /* rendered text of the current block(s) */
	int quote;           /* block quote depth while rendering */
	int list;            /* list depth while rendering */
	bool bol;            /* at the beginning of an output line */
} md;

static const char *
dup(md *m, const char *s, size_t n)
{
	char *d = kbs__arena_strndup(&m->a->arena, s, n);
	if (d == NULL)
		m->rc = KBS_NOMEM;
	return d;
}


/* ------------------------------------------------------------------ */
/* Front matter                                                        */
/* ------------------------------------------------------------------ */

/*
 * The front matter's bounds: text must open with a "---" line (after an
 * optional BOM); the YAML runs to the next "---" or "..." line. Sets
 * *ys and *yn to the YAML and *body to the first byte after the closing line.
 * False when there is no front matter or it is not closed.
 */
static bool
front_bounds(const char *text, size_t len, const char **ys, size_t *yn,
             size_t *body)
{
	size_t i = 0;
	if (len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0)
		i = 3;
	if (len - i < 4 || memcmp(text + i, "---", 3) != 0)
		return false;
	i += 3;
	while (i < len && (text[i] == ' ' || text[i] == '\t' || text[i] == '\r'))
		i++;
	if (i >= len || text[i] != '\n')
		return false;
	size_t start = ++i;
	while (i < len) {
		const char *nl = memchr(text + i, '\n', len - i);
		size_t end = nl ? (size_t)(nl - text) : len;
		size_t n = end - i;
		while (n > 0 && (text[i + n - 1] == ' ' || text[i + n - 1] == '\t' ||
		                 text[i + n - 1] == '\r'))
			n--;
		if (n == 3 && (memcmp(text + i, "---", 3) == 0 ||
		               memcmp(text + i, "...", 3) == 0)) {
			*ys = text + start;
			*yn = i - start;
			*body = nl ? end + 1 : len;
			return true;
		}
		i = end + 1;
	}
	return false;
}

static void
list_add(md *m, const char **list, size_t *n, const char *s, size_t sn)
{
	kbs__trim(&s, &sn);
	if (sn == 0 || *n >= LIST_MAX)
		return;
	for (size_t i = 0; i < *n; i++)
		if (strlen(list[i]) == sn && strncasecmp(list[i], s, sn) == 0)
			return;
	const char *d = dup(m, s, sn);
	if (d != NULL)
		list[(*n)++] = d;
}

/* Which field a top-level key fills. */
enum fkey { K_OTHER, K_TITLE, K_DATE, K_PERMALINK, K_AUTHOR, K_EXCERPT,
            K_TAGS, K_CATS };

static enum fkey
fkey_of(const char *s, size_t n)
{
	static const struct { const char *name; enum fkey k; } keys[] = {
		{ "title", K_TITLE }, { "date", K_DATE },
		{ "permalink", K_PERMALINK }, { "author", K_AUTHOR },
		{ "excerpt", K_EXCERPT }, { "description", K_EXCERPT },
		{ "tags", K_TAGS }, { "tag", K_TAGS },
		{ "categories", K_CATS }, { "category", K_CATS },
	};
	for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++)
		if (strlen(keys[i].name) == n &&
		    strncasecmp(keys[i].name, s, n) == 0)
			return keys[i].k;
	return K_OTHER;
}

static void
set_scalar(md *m, front *fm, enum fkey k, const char *s, size_t n)
{
	const char **f = NULL;
	switch (k) {
	case K_TITLE: f = &fm->title; break;
	case K_DATE: f = &fm->date; break;
	case K_PERMALINK: f = &fm->permalink; break;
	case K_AUTHOR: f = &fm->author; break;
	case K_EXCERPT: f = &fm->excerpt; break;
	case K_TAGS: list_add(m, fm->tags, &fm->ntags, s, n); return;
	case K_CATS: list_add(m, fm->cats, &fm->ncats, s, n); return;
	default: return;
	}
	kbs__trim(&s, &n);
	if (*f == NULL && n > 0)
		*f = dup(m, s, n);
}

/*
 * Read the first YAML document of ys[0..yn) as a mapping of scalars and
 * lists of scalars; nested mappings and aliases are skipped. Returns
 * KBS_OK, KBS_PARSE (not YAML, or not a mapping) or KBS_NOMEM.
 */
static kbs_status
parse_front(md *m, front *fm, const char *ys, size_t yn)
{
	yaml_parser_t p;
	yaml_event_t ev;
	kbs_status rc = KBS_OK;
	int depth = 0;            /* open collections */
	bool want_key = true;     /* at depth 1: next scalar is a key */
	enum fkey key = K_OTHER;  /* key of the value being read */
	bool mapping = false;     /* the document is a mapping */
	long nev = 0;

	if (yn > FRONT_MAX)
		return KBS_PARSE;
	if (!yaml_parser_initialize(&p))
		return KBS_NOMEM;
	yaml_parser_set_input_string(&p, (const unsigned char *)ys, yn);
	yaml_parser_set_encoding(&p, YAML_UTF8_ENCODING);
	for (bool done = false; !done && rc == KBS_OK;) {
		if (!yaml_parser_parse(&p, &ev)) {
			rc = p.error == YAML_MEMORY_ERROR ? KBS_NOMEM : KBS_PARSE;
			break;
		}
		if (++nev > YAML_EVENTS_MAX)
			rc = KBS_PARSE;
		switch (ev.type) {
		case YAML_DOCUMENT_END_EVENT:
		case YAML_STREAM_END_EVENT:
			done = true;
			break;
		case YAML_MAPPING_START_EVENT:
		case YAML_SEQUENCE_START_EVENT:
			if (depth == 0) {
				if (ev.type != YAML_MAPPING_START_EVENT)
					rc = KBS_PARSE;
				mapping = true;
			}
			depth++;
			break;
		case YAML_MAPPING_END_EVENT:
		case YAML_SEQUENCE_END_EVENT:
			depth--;
			if (depth == 1)
				want_key = true;  /* a collection value ended */
			break;
		case YAML_SCALAR_EVENT:
		case YAML_ALIAS_EVENT: {
			const char *s = "";
			size_t n = 0;
			if (ev.type == YAML_SCALAR_EVENT) {
				s = (const char *)ev.data.scalar.value;
				n = ev.data.scalar.length;
			}
			if (depth == 0) {
				rc = KBS_PARSE;   /* a scalar document */
			} else if (depth == 1 && want_key) {
				key = fkey_of(s, n);
				want_key = false;
			} else if (depth == 1) {
				if (ev.type == YAML_SCALAR_EVENT)
					set_scalar(m, fm, key, s, n);
				want_key = true;
			} else if (depth == 2 && (key == K_TAGS || key == K_CATS) &&
			           ev.type == YAML_SCALAR_EVENT) {
				set_scalar(m, fm, key, s, n);
			}
			break;
		}
		default:
			break;
		}
		yaml_event_delete(&ev);
		if (m->rc != KBS_OK)
			rc = m->rc;
	}
	yaml_parser_delete(&p);
	if (rc == KBS_OK && !mapping && yn > 0) {
		/* only an empty (or comment-only) front matter is no mapping */
		for (size_t i = 0; i < yn && rc == KBS_OK; i++)
			if (!isspace((unsigned char)ys[i])) {
				const char *nl = memchr(ys + i, '\n', yn - i);
				if (ys[i] != '#')
					rc = KBS_PARSE;
				if (nl == NULL)
					break;
				i = (size_t)(nl - ys);
			}
	}
	return rc;
}

/* ------------------------------------------------------------------ */
/* Small text helpers                                                  */
/* ------------------------------------------------------------------ */

/*
 * A copy of s[0..n) with the HTML character references of page titles
 * decoded: &quot; &amp; &lt; &gt; &apos; &nbsp; and &#39; / &#x27;.
 * Anything else is kept as written.
 */
static const char *
decode_entities(md *m, const char *s, size_t n)
{
	static const struct { const char *name; const char *utf8; } named[] = {
		{ "quot", "\"" }, { "amp", "&" }, { "lt", "<" }, { "gt", ">" },
		{ "apos", "'" }, { "nbsp", " " },
	};
	char *d = kbs__arena_alloc(&m->a->arena, n * 2 + 1);
	size_t o = 0;
	if (d == NULL) {
		m->rc = KBS_NOMEM;
		return NULL;
	}
	for (size_t i = 0; i < n;) {
		const char *semi = s[i] == '&'
			? memchr(s + i, ';', n - i < 12 ? n - i : 12) : NULL;
		if (semi != NULL) {
			const char *e = s + i + 1;
			size_t el = (size_t)(semi - e);
			unsigned long cp = 0;
			bool ok = false;
			for (size_t k = 0; k < sizeof named / sizeof named[0]; k++)
				if (strlen(named[k].name) == el &&
				    memcmp(named[k].name, e, el) == 0) {
					size_t ul = strlen(named[k].utf8);
					memcpy(d + o, named[k].utf8, ul);
					o += ul;
					ok = true;
				}
			if (!ok && el >= 2 && e[0] == '#') {
				char *end;
				bool hex = e[1] == 'x' || e[1] == 'X';
				cp = strtoul(e + (hex ? 2 : 1), &end, hex ? 16 : 10);
				if (end == semi && cp > 0 && cp < 0x80) {
					d[o++] = (char)cp;
					ok = true;
				} else if (end == semi && cp >= 0x80 && cp < 0x800) {
					d[o++] = (char)(0xC0 | (cp >> 6));
					d[o++] = (char)(0x80 | (cp & 0x3F));
					ok = true;
				}
			}
			if (ok) {
				i = (size_t)(semi - s) + 1;
				continue;
			}
		}
		d[o++] = s[i++];
	}
	d[o] = '\0';
	return d;
}

/* Length of a leading "Q123456: " (the page title's id prefix), or 0;
 * *id gets the canonical id when there is one. */
static size_t
id_prefix(char *id, size_t idsz, const char *s, size_t n)
{
	size_t i = 0;
	if (n < 3 || (s[0] != 'Q' && s[0] != 'q'))
		return 0;
	for (i = 1; i < n && isdigit((unsigned char)s[i]); i++)
		;
	if (i < 2 || i >= n || s[i] != ':' ||
	    !kbs__kbid_canon(id, idsz, s, i))
		return 0;
	for (i++; i < n && s[i] == ' '; i++)
		;
	return i;
}

/* The KB id of a KB archive permalink: "/kb/294/Q294326/",
 * "kb/238/Q238186/". */
static bool
permalink_id(char *id, size_t idsz, const char *p)
{
	for (const char *s = p; *s != '\0'; s++) {
		if ((*s != 'Q' && *s != 'q') || (s > p && s[-1] != '/'))
			continue;
		size_t k = 1;
		while (isdigit((unsigned char)s[k]))
			k++;
		if (k >= 3 && (s[k] == '/' || s[k] == '\0' || s[k] == '.') &&
		    kbs__kbid_canon(id, idsz, s, k))
			return true;
	}
	return false;
}

/* "2000-07-23T19:44:07+02:00", "2000-07-23" -> "2000-07-23" */
static const char *
iso_date(md *m, const char *s)
{
	if (s == NULL || strlen(s) < 10)
		return NULL;
	for (int i = 0; i < 10; i++)
		if ((i == 4 || i == 7) ? s[i] != '-' : !isdigit((unsigned char)s[i]))
			return NULL;
	if (s[10] != '\0' && s[10] != 'T' && s[10] != ' ')
		return NULL;
	return dup(m, s, 10);
}

/* ------------------------------------------------------------------ */
/* Rendering Markdown as plain text                                    */
/* ------------------------------------------------------------------ */

/* First case-insensitive occurrence of w in s, or NULL. */
static const char *
find_ci(const char *s, const char *w)
{
	size_t wl = strlen(w);
	for (; *s != '\0'; s++)
		if (strncasecmp(s, w, wl) == 0)
			return s;
	return NULL;
}

static void
add_ref(md *m, const char *id)
{
	if (m->rc == KBS_OK)
		m->rc = kbs__add_ref(m->a, id);
}

/*
 * The KB article a link points at: "http://support.microsoft.com/kb/232520",
 * ".../kb/q232520/", "...?kbid=232520", "...?scid=kb;en-us;Q232520", and
 * the archive's own "/kb/294/Q294326/".
 */
static void
link_ref(md *m, const char *url)
{
	char id[32];
	const char *p;
	size_t k;
	if (url == NULL)
		return;
	bool ms = find_ci(url, "microsoft.com") != NULL;
	if ((p = find_ci(url, "/kb/")) != NULL) {
		p += 4;
		if (permalink_id(id, sizeof id, p - 1)) {
			add_ref(m, id);
			return;
		}
		k = (*p == 'q' || *p == 'Q') ? 1 : 0;
		while (isdigit((unsigned char)p[k]))
			k++;
		if (ms && k >= 3 && !isalnum((unsigned char)p[k]) &&
		    kbs__kbid_canon(id, sizeof id, p, k))
			add_ref(m, id);
	} else if (ms && ((p = find_ci(url, "kbid=")) != NULL ||
	                  (p = find_ci(url, "scid=kb;")) != NULL)) {
		p = strchr(p, '=') + 1;
		if (strncasecmp(p, "kb;", 3) == 0) {
			p += 3;
			const char *semi = strchr(p, ';');
			if (semi == NULL)
				return;
			p = semi + 1;
		}
		k = (*p == 'q' || *p == 'Q') ? 1 : 0;
		while (isdigit((unsigned char)p[k]))
			k++;
		if (k >= 3 && kbs__kbid_canon(id, sizeof id, p, k))
			add_ref(m, id);
	}
}

/* Start a new output line (unless at one). */
static void
newline(md *m)
{
	if (!m->bol) {
		kbs__buf_putc(&m->out, '\n');
		m->bol = true;
	}
}

/* End a block: a blank line after it, except between the paragraphs
 * of a tight list. */
static void
end_block(md *m, bool tight)
{
	newline(m);
	if (!tight && !(m->out.len >= 2 && m->out.data[m->out.len - 2] == '\n'))
		kbs__buf_putc(&m->out, '\n');
}

/* Append text, indenting each new line: two columns per block quote
 * level (so that an error quoted in a block quote reads as the indented
 * message of a KB article) and per list level. */
static void
emit(md *m, const char *s, size_t n, int extra)
{
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '\n') {
			m->bol = false;
			newline(m);
			continue;
		}
		if (m->bol) {
			int ind = 2 * (m->quote + m->list) + extra;
			/* capped, or a deep quote of lazy lines would grow the
			 * text by its depth on every line */
			for (int k = 0; k < ind && k < INDENT_MAX; k++)
				kbs__buf_putc(&m->out, ' ');
			m->bol = false;
		}
		kbs__buf_putc(&m->out, s[i]);
	}
}

static bool
in_tight_list(cmark_node *n)
{
	cmark_node *item = cmark_node_parent(n);
	if (item == NULL || cmark_node_get_type(item) != CMARK_NODE_ITEM)
		return false;
	cmark_node *list = cmark_node_parent(item);
	return list != NULL && cmark_node_get_list_tight(list);
}

/* Render node and its children into m->out as plain text. Link URLs are
 * read for KB references; link titles and raw HTML are left out (a link
 * title names another article's events). */
static void
render(md *m, cmark_node *root)
{
	cmark_iter *it = cmark_iter_new(root);
	cmark_event_type ev;
	if (it == NULL) {
		m->rc = KBS_NOMEM;
		return;
	}
	while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
		cmark_node *n = cmark_iter_get_node(it);
		bool enter = ev == CMARK_EVENT_ENTER;
		const char *lit;
		switch (cmark_node_get_type(n)) {
		case CMARK_NODE_TEXT:
		case CMARK_NODE_CODE:
			lit = cmark_node_get_literal(n);
			if (lit != NULL)
				emit(m, lit, strlen(lit), 0);
			break;
		case CMARK_NODE_SOFTBREAK:
		case CMARK_NODE_LINEBREAK:
			newline(m);
			break;
		case CMARK_NODE_CODE_BLOCK:
			lit = cmark_node_get_literal(n);
			newline(m);
			if (lit != NULL)
				emit(m, lit, strlen(lit), 4);
			end_block(m, false);
			break;
		case CMARK_NODE_PARAGRAPH:
		case CMARK_NODE_HEADING:
			if (!enter)
				end_block(m, in_tight_list(n));
			break;
		case CMARK_NODE_THEMATIC_BREAK:
			end_block(m, false);
			break;
		case CMARK_NODE_BLOCK_QUOTE:
			if (enter) {
				newline(m);
				m->quote++;
			} else {
				m->quote--;
			}
			break;
		case CMARK_NODE_LIST:
			if (enter)
				m->list++;
			else
				m->list--;
			if (!enter && m->list == 0)
				end_block(m, false);
			break;
		case CMARK_NODE_ITEM:
			if (enter) {
				newline(m);
				m->list--;
				if (cmark_node_get_list_type(cmark_node_parent(n)) ==
				    CMARK_ORDERED_LIST)
					emit(m, "1. ", 3, 0);
				else
					emit(m, "- ", 2, 0);
				m->list++;
			}
			break;
		case CMARK_NODE_LINK:
			if (enter)
				link_ref(m, cmark_node_get_url(n));
			break;
		default:
			break;  /* emphasis, images: their children; HTML: left out */
		}
	}
	cmark_iter_free(it);
	if (m->out.oom)
		m->rc = KBS_NOMEM;
}

/*
 * The rendered text, cleaned, as an arena string (NULL when empty): each
 * line loses its trailing white space and the '*' of an emphasis that
 * CommonMark left unmatched because it spans paragraphs ("*Event ID:
 * 7024" ... "80090016.'*"); leading blank lines go.
 */
static const char *
take_text(md *m)
{
	const char *s = kbs__buf_str(&m->out);
	size_t n = m->out.len;
	char *d = kbs__arena_alloc(&m->a->arena, n + 1);
	size_t o = 0;
	if (d == NULL) {
		m->rc = KBS_NOMEM;
		return NULL;
	}
	for (size_t i = 0; i < n;) {
		const char *nl = memchr(s + i, '\n', n - i);
		size_t le = nl ? (size_t)(nl - s) : n, e = le, b = i;
		while (e > b && isspace((unsigned char)s[e - 1]))
			e--;
		while (b < e && s[b] == ' ')
			d[o++] = s[b++];
		size_t st = b;
		while (st < e && s[st] == '*')
			st++;
		if (st < e && isalnum((unsigned char)s[st]))
			b = st;
		size_t en = e;
		while (en > b && s[en - 1] == '*')
			en--;
		if (en > b && !isspace((unsigned char)s[en - 1]))
			e = en;
		memcpy(d + o, s + b, e - b);
		o += e - b;
		if (o > 0 || nl == NULL)
			d[o++] = '\n';
		i = le + 1;
	}
	while (o > 0 && isspace((unsigned char)d[o - 1]))
		o--;
	d[o] = '\0';
	m->out.len = 0;
	if (m->out.data != NULL)
		m->out.data[0] = '\0';
	m->bol = true;
	return o > 0 ? d : NULL;
}

/* ------------------------------------------------------------------ */
/* KB archive pages                                                    */
/* ------------------------------------------------------------------ */

static bool
starts_article(const char *lit)
{
	while (lit != NULL && isspace((unsigned char)*lit))
		lit++;
	return lit != NULL && strncmp(lit, "Article:", 8) == 0;
}

/* The page's title without its "Q123: " prefix, entities decoded; the
 * front matter's, else the first heading's. */
static const char *
page_title(md *m, const front *fm, cmark_node *doc, char *id, size_t idsz)
{
	const char *t = fm->title;
	id[0] = '\0';
	if (t == NULL) {
		for (cmark_node *n = cmark_node_first_child(doc); n != NULL;
		     n = cmark_node_next(n))
			if (cmark_node_get_type(n) == CMARK_NODE_HEADING) {
				render(m, n);
				t = take_text(m);
				break;
			}
		if (t == NULL)
			return NULL;
	}
	size_t n = strlen(t), p = id_prefix(id, idsz, t, n);
	return decode_entities(m, t + p, n - p);
}

/*
 * The archive's article: the code block that starts with "Article:" and
 * any code blocks right after it, joined (a line that lost its tab would
 * split the block in two).
 */
static kbs_status
parse_kb_page(md *m, const front *fm, cmark_node *doc, cmark_node *block,
              const char *text, size_t len)
{
	kbs_article *a = m->a;
	kbs__buf b = { 0 };
	char tid[32], pid[32];
	kbs_status rc;

	for (cmark_node *n = block; n != NULL; n = cmark_node_next(n)) {
		cmark_node_type t = cmark_node_get_type(n);
		const char *lit;
		if (t == CMARK_NODE_CODE_BLOCK) {
			lit = cmark_node_get_literal(n);
			if (lit != NULL)
				kbs__buf_puts(&b, lit);
		} else if (t == CMARK_NODE_PARAGRAPH) {
			render(m, n);
			lit = take_text(m);
			if (lit == NULL || strstr(lit, "{% endraw %}") != NULL)
				break;
			kbs__buf_puts(&b, lit);
			kbs__buf_putc(&b, '\n');
		} else {
			break;
		}
	}
	if (b.oom || m->rc != KBS_OK) {
		kbs__buf_free(&b);
		return KBS_NOMEM;
	}
	const char *title = page_title(m, fm, doc, tid, sizeof tid);
	if (m->rc != KBS_OK) {
		kbs__buf_free(&b);
		return m->rc;
	}
	rc = kbs__parse_kbarchive(a, kbs__buf_str(&b), b.len, title);
	kbs__buf_free(&b);
	if (rc != KBS_OK)
		return rc;
	a->format = "kb-md";
	a->text = kbs__arena_strndup(&a->arena, text, len);
	if (a->text == NULL)
		return KBS_NOMEM;
	/* no "Article:" id: the permalink's, else the title's */
	const char *own = NULL;
	if (fm->permalink != NULL && permalink_id(pid, sizeof pid, fm->permalink))
		own = pid;
	else if (tid[0] != '\0')
		own = tid;
	if (a->kb_id == NULL && own != NULL &&
	    (a->kb_id = kbs__arena_strdup(&a->arena, own)) == NULL)
		return KBS_NOMEM;
	return KBS_OK;
}

/* ------------------------------------------------------------------ */
/* Blog pages                                                          */
/* ------------------------------------------------------------------ */

/* "Description:" -> "Description" */
static const char *
heading_text(md *m, cmark_node *h)
{
	render(m, h);
	const char *t = take_text(m);
	if (t == NULL)
		return "";
	size_t n = strlen(t);
	while (n > 0 && (t[n - 1] == ':' || isspace((unsigned char)t[n - 1])))
		n--;
	return dup(m, t, n);
}

static void
push_section(md *m, const char *heading, int level, kbs__buf *body)
{
	kbs_article *a = m->a;
	const char *text = take_text(m);
	if (m->rc != KBS_OK || (text == NULL && heading == NULL))
		return;
	kbs_section *sec = KBS__PUSH(&a->arena, a->sections, a->nsections,
	                             a->capsections);
	if (sec == NULL) {
		m->rc = KBS_NOMEM;
		return;
	}
	sec->heading = heading != NULL ? heading : "";
	sec->level = level;
	sec->text = text != NULL ? text : "";
	if (body->len > 0)
		kbs__buf_putc(body, '\n');
	if (heading != NULL && heading[0] != '\0') {
		kbs__buf_puts(body, heading);
		kbs__buf_puts(body, "\n\n");
	}
	kbs__buf_puts(body, sec->text);
	kbs__buf_putc(body, '\n');
}

static bool
program_name(const char *s, size_t n)
{
	static const char *const exts[] = {
		".exe", ".dll", ".sys", ".com", ".cpl", ".ocx", ".drv", ".scr",
	};
	if (n < 5 || n > 64 || !isalnum((unsigned char)s[0]))
		return false;
	for (size_t i = 0; i < n; i++)
		if (!isalnum((unsigned char)s[i]) && s[i] != '.' && s[i] != '_' &&
		    s[i] != '-')
			return false;
	for (size_t k = 0; k < sizeof exts / sizeof exts[0]; k++)
		if (strncasecmp(s + n - 4, exts[k], 4) == 0)
			return true;
	return false;
}

/* A services guide's "Process Name: LServer.exe (termservlicensing)":
 * each program named becomes a file row without date or size, so that
 * a lookup by file name finds the page. */
static void
process_files(md *m, const kbs_section *sec)
{
	kbs_article *a = m->a;
	if (strncasecmp(sec->heading, "process name", 12) != 0 &&
	    strncasecmp(sec->heading, "executable", 10) != 0)
		return;
	const char *s = sec->text;
	while (*s != '\0' && m->rc == KBS_OK) {
		while (*s != '\0' && strchr(" \t\n-*,;()[]\"'", *s) != NULL)
			s++;
		size_t n = strcspn(s, " \t\n,;()[]\"'");
		while (n > 0 && s[n - 1] == '.')
			n--;
		if (program_name(s, n)) {
			bool seen = false;
			for (size_t i = 0; i < a->nfiles; i++)
				if (strlen(a->files[i].name) == n &&
				    strncasecmp(a->files[i].name, s, n) == 0)
					seen = true;
			kbs_file *f = seen ? NULL : KBS__PUSH(&a->arena, a->files,
			                                      a->nfiles, a->capfiles);
			if (!seen && f == NULL) {
				m->rc = KBS_NOMEM;
				return;
			}
			if (f != NULL) {
				f->name = dup(m, s, n);
				f->size = -1;
			}
		}
		s += strcspn(s, " \t\n,;()[]\"'");
	}
}

static void
add_field(md *m, const char *key, const char *value)
{
	kbs_article *a = m->a;
	if (value == NULL || m->rc != KBS_OK)
		return;
	kbs__field *f = KBS__PUSH(&a->arena, a->footer, a->nfooter, a->capfooter);
	if (f == NULL) {
		m->rc = KBS_NOMEM;
		return;
	}
	f->key = key;
	f->value = value;
}

/* Tags and categories, joined by sep, as an arena string or NULL. */
static const char *
join(md *m, const char *const *l1, size_t n1, const char *const *l2,
     size_t n2, const char *sep)
{
	kbs__buf b = { 0 };
	for (size_t i = 0; i < n1 + n2; i++) {
		if (b.len > 0)
			kbs__buf_puts(&b, sep);
		kbs__buf_puts(&b, i < n1 ? l1[i] : l2[i - n1]);
	}
	const char *r = NULL;
	if (b.oom)
		m->rc = KBS_NOMEM;
	else if (b.len > 0)
		r = dup(m, b.data, b.len);
	kbs__buf_free(&b);
	return r;
}

static kbs_status
parse_blog(md *m, const front *fm, cmark_node *doc, const char *text,
           size_t len)
{
	kbs_article *a = m->a;
	kbs__buf body = { 0 };
	char id[32];
	int minlevel = 7;

	a->format = "md";
	a->text = dup(m, text, len);
	/* the page's own id: a KB archive permalink or a "Q123: " title */
	if (fm->permalink != NULL && strstr(fm->permalink, "kb/") != NULL &&
	    permalink_id(id, sizeof id, fm->permalink))
		a->kb_id = dup(m, id, strlen(id));
	if (fm->title != NULL) {
		size_t n = strlen(fm->title), p = id_prefix(id, sizeof id,
		                                            fm->title, n);
		if (p > 0 && a->kb_id == NULL)
			a->kb_id = dup(m, id, strlen(id));
		a->title = decode_entities(m, fm->title + p, n - p);
	}
	a->date = iso_date(m, fm->date);
	if (fm->ncats > 0)
		a->category = fm->cats[0];

	for (cmark_node *n = cmark_node_first_child(doc); n != NULL;
	     n = cmark_node_next(n))
		if (cmark_node_get_type(n) == CMARK_NODE_HEADING &&
		    cmark_node_get_heading_level(n) < minlevel)
			minlevel = cmark_node_get_heading_level(n);
	const char *heading = NULL;
	int level = 0;
	m->bol = true;
	for (cmark_node *n = cmark_node_first_child(doc);
	     n != NULL && m->rc == KBS_OK; n = cmark_node_next(n)) {
		if (cmark_node_get_type(n) != CMARK_NODE_HEADING) {
			render(m, n);
			continue;
		}
		kbs__buf pending = m->out;   /* the text under the last heading */
		m->out = (kbs__buf){ 0 };
		const char *h = heading_text(m, n);
		kbs__buf_free(&m->out);
		m->out = pending;
		m->bol = true;
		push_section(m, heading, level, &body);
		heading = h;
		level = cmark_node_get_heading_level(n) == minlevel ? 1 : 2;
	}
	push_section(m, heading, level, &body);
	if (m->rc == KBS_OK && a->title == NULL) {
		/* no title in the front matter: the first heading, else the
		 * first line of text */
		for (size_t i = 0; i < a->nsections && a->title == NULL; i++)
			if (a->sections[i].heading[0] != '\0')
				a->title = a->sections[i].heading;
		for (size_t i = 0; i < a->nsections && a->title == NULL; i++) {
			const char *t = a->sections[i].text;
			t += strspn(t, " -");
			if (*t != '\0')
				a->title = dup(m, t, strcspn(t, "\n"));
		}
	}
	if (m->rc == KBS_OK && body.oom)
		m->rc = KBS_NOMEM;
	if (m->rc == KBS_OK && a->title == NULL)
		m->rc = KBS_PARSE;   /* nothing to index */
	if (m->rc == KBS_OK && body.len > 0)
		a->body = dup(m, body.data, body.len);
	kbs__buf_free(&body);
	if (m->rc != KBS_OK)
		return m->rc;

	a->keywords = join(m, fm->tags, fm->ntags, fm->cats, fm->ncats, " ");
	add_field(m, "Author", fm->author);
	add_field(m, "Permalink", fm->permalink);
	add_field(m, "Excerpt", fm->excerpt);
	add_field(m, "Categories", join(m, fm->cats, fm->ncats, NULL, 0, ", "));
	add_field(m, "Tags", join(m, fm->tags, fm->ntags, NULL, 0, ", "));
	if (m->rc != KBS_OK)
		return m->rc;
	kbs_status rc = kbs__extract(a);
	for (size_t i = 0; rc == KBS_OK && i < a->nsections; i++) {
		process_files(m, &a->sections[i]);
		rc = m->rc;
	}
	return rc;
}

/* ------------------------------------------------------------------ */

kbs_status
kbs__parse_markdown(kbs_article *a, const char *text, size_t len)
{
	md m = { .a = a, .rc = KBS_OK, .bol = true };
	front fm;
	const char *ys;
	size_t yn, body;
	kbs_status rc;

	memset(&fm, 0, sizeof fm);
	if (!front_bounds(text, len, &ys, &yn, &body))
		return KBS_PARSE;
	rc = parse_front(&m, &fm, ys, yn);
	if (rc != KBS_OK)
		return rc;
	cmark_node *doc = cmark_parse_document(text + body, len - body,
	                                       CMARK_OPT_DEFAULT);
	if (doc == NULL)
		return KBS_NOMEM;
	cmark_node *block = NULL;
	for (cmark_node *n = cmark_node_first_child(doc); n != NULL;
	     n = cmark_node_next(n))
		if (cmark_node_get_type(n) == CMARK_NODE_CODE_BLOCK &&
		    starts_article(cmark_node_get_literal(n))) {
			block = n;
			break;
		}
	if (block != NULL)
		rc = parse_kb_page(&m, &fm, doc, block, text, len);
	else
		rc = parse_blog(&m, &fm, doc, text, len);
	cmark_node_free(doc);
	kbs__buf_free(&m.out);
	return rc;
}
