/*
 * kbtxt.c - parser for the classic Microsoft KB text format.
 *
 * An article is a header of "KEY:value" lines (DOCUMENT, TITLE, PRODUCT,
 * PROD/VER, OPER/SYS, KEYWORDS), a "======" rule, an "applies to" list
 * between two "-----" rules, sections whose headings are underlined with
 * '=' (level 1) or '-' (level 2), an "Additional query words:" line, a
 * footer of "Key : value" lines between '=' rules and the disclaimer. The
 * parser walks the text once, line by line, and never trusts that any of
 * these parts is present, complete or in order: truncated files, files
 * with two footers and sections after the disclaimer all occur. The
 * disclaimer goes to a->legal only, so that no full-text column ranks it.
 */
#include "indexer.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>


typedef struct line {
	const char *s;   /* first byte */
	size_t n;        /* length without the line break */
} line;

/* The parser's working state: the lines, and one buffer per column. */
typedef struct parser {
	kbs_article *a;
	line *lines;             /* heap */
	size_t nlines;
	kbs__buf cols[KBS__NCOLUMNS]; /* indexed by enum kbs__column */
	kbs__buf keywords;       /* keyword text */
	kbs__buf legal;          /* disclaimer and copyright */
	kbs__buf sect;           /* text of the current section */
	const char *heading;     /* current section's heading (arena) */
	int level;               /* its level, 0 before any heading */
	enum kbs__column col;    /* column of the current level-1 section */
	kbs_status rc;           /* sticky */
} parser;

static bool
is_blank(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!isspace((unsigned char)s[i]))
			return false;
	return true;
}


/* Length of the rule when the line is only c characters (at least three)
 * with optional trailing spaces, else 0. */
static size_t
rule_len(const line *l, char c)
{
	size_t i = 0, n = l->n;
	while (n > 0 && isspace((unsigned char)l->s[n - 1]))
		n--;
	while (i < n && l->s[i] == c)
		i++;
	return (i == n && n >= 3) ? n : 0;
}

static bool
starts_with_ci(const char *s, size_t n, const char *prefix)
{
	size_t k = strlen(prefix);
	return n >= k && strncasecmp(s, prefix, k) == 0;
}

/* s, an arena string just made, or NULL with p->rc set to KBS_NOMEM
 * when the arena could not make it. */
static const char *
arena_made(parser *p, const char *s)
{
	if (s == NULL)
		p->rc = KBS_NOMEM;
	return s;
}

/* Arena copy of s[0..n) trimmed, or NULL with p->rc set on failure. */
static const char *
dup_trim(parser *p, const char *s, size_t n)
{
	kbs__trim(&s, &n);
	return arena_made(p, kbs__arena_strndup(&p->a->arena, s, n));
}

static bool
split_lines(parser *p, const char *text, size_t len)
{
	size_t cap = 64;
	p->lines = malloc(cap * sizeof *p->lines);
	if (p->lines == NULL)
		return false;
	size_t i = 0;
	while (i < len) {
		const char *nl = memchr(text + i, '\n', len - i);
		size_t end = nl ? (size_t)(nl - text) : len;
		size_t n = end - i;
		if (n > 0 && text[i + n - 1] == '\r')
			n--;
		if (p->nlines == cap) {
			line *nlz = realloc(p->lines, cap * 2 * sizeof *p->lines);
			if (nlz == NULL)
				return false;
			p->lines = nlz;
			cap *= 2;
		}
		p->lines[p->nlines].s = text + i;
		p->lines[p->nlines].n = n;
		p->nlines++;
		i = end + 1;
	}
	return true;
}

/* "19-FEB-2002" -> "2002-02-19" */
static const char *
iso_date(parser *p, const char *s, size_t n)
{
	static const char months[] = "JANFEBMARAPRMAYJUNJULAUGSEPOCTNOVDEC";
	int d = 0, y = 0, m = 0;
	size_t i = 0, k;
	for (k = 0; i < n && isdigit((unsigned char)s[i]) && k < 2; i++, k++)
		d = d * 10 + (s[i] - '0');
	if (k == 0 || i >= n || s[i] != '-' || i + 4 >= n)
		return NULL;
	i++;
	for (int j = 0; j < 12; j++)
		if (strncasecmp(s + i, months + 3 * j, 3) == 0)
			m = j + 1;
	i += 3;
	if (m == 0 || i >= n || s[i] != '-')
		return NULL;
	i++;
	for (k = 0; i < n && isdigit((unsigned char)s[i]) && k < 4; i++, k++)
		y = y * 10 + (s[i] - '0');
	if (k == 2)
		y += y < 70 ? 2000 : 1900;
	else if (k != 4)
		return NULL;
	if (d < 1 || d > 31)
		return NULL;
	return arena_made(p, kbs__arena_printf(&p->a->arena, "%04d-%02d-%02d",
	                                       y, m, d));
}

/* "Q100215  19-FEB-2002  [winnt]" */
static void
parse_document(parser *p, const char *s, size_t n)
{
	size_t i = 0;
	char id[32];
	while (i < n && isspace((unsigned char)s[i]))
		i++;
	size_t st = i;
	while (i < n && !isspace((unsigned char)s[i]))
		i++;
	if (kbs__kbid_canon(id, sizeof id, s + st, i - st))
		p->a->kb_id = dup_trim(p, id, strlen(id));
	while (i < n && isspace((unsigned char)s[i]))
		i++;
	st = i;
	while (i < n && !isspace((unsigned char)s[i]))
		i++;
	if (i > st)
		p->a->date = iso_date(p, s + st, i - st);
	const char *lb = memchr(s + i, '[', n - i);
	if (lb != NULL) {
		const char *rb = memchr(lb, ']', (size_t)(s + n - lb));
		if (rb != NULL && rb > lb + 1)
			p->a->category = dup_trim(p, lb + 1, (size_t)(rb - lb - 1));
	}
}

static void
add_keywords(parser *p, const char *s, size_t n)
{
	kbs__trim(&s, &n);
	if (n == 0)
		return;
	if (p->keywords.len > 0)
		kbs__buf_putc(&p->keywords, '\n');
	kbs__buf_append(&p->keywords, s, n);
}

/* Header lines; returns the index of the first line after the header.
 * The classic keys (DOCUMENT, TITLE, PRODUCT, ...) and the KB archive's
 * (Article, Product(s), Version(s), ...) map to the same fields. */
static size_t
parse_header(parser *p, size_t i)
{
	enum { H_DOCUMENT, H_ARTICLE, H_DATE, H_FIELD };
	static const struct { const char *key; int kind; size_t off; } keys[] = {
		{ "DOCUMENT", H_DOCUMENT, 0 },
		{ "Article", H_ARTICLE, 0 },
		{ "Last Modified", H_DATE, 0 },
		{ "TITLE", H_FIELD, offsetof(kbs_article, title) },
		{ "PRODUCT", H_FIELD, offsetof(kbs_article, product_line) },
		{ "Product(s)", H_FIELD, offsetof(kbs_article, product_line) },
		{ "PROD/VER", H_FIELD, offsetof(kbs_article, prod_ver) },
		{ "Version(s)", H_FIELD, offsetof(kbs_article, prod_ver) },
		{ "OPER/SYS", H_FIELD, offsetof(kbs_article, oper_sys) },
		{ "Operating System(s)", H_FIELD, offsetof(kbs_article, oper_sys) },
		{ "KEYWORDS", H_FIELD, offsetof(kbs_article, keywords_line) },
		{ "Keyword(s)", H_FIELD, offsetof(kbs_article, keywords_line) },
	};
	for (; i < p->nlines && p->rc == KBS_OK; i++) {
		const line *l = &p->lines[i];
		const char *colon = memchr(l->s, ':', l->n < 24 ? l->n : 24);
		if (colon == NULL)
			break;
		const char *k = l->s;
		size_t kn = (size_t)(colon - l->s);
		kbs__trim(&k, &kn);
		size_t j;
		for (j = 0; j < sizeof keys / sizeof keys[0]; j++)
			if (kn == strlen(keys[j].key) &&
			    strncasecmp(k, keys[j].key, kn) == 0)
				break;
		if (j == sizeof keys / sizeof keys[0])
			break;
		const char *v = colon + 1;
		size_t vn = l->n - (size_t)(v - l->s);
		const char **field = (const char **)((char *)p->a + keys[j].off);
		char id[32];
		switch (keys[j].kind) {
		case H_DOCUMENT:
			parse_document(p, v, vn);
			break;
		case H_ARTICLE:
			kbs__trim(&v, &vn);
			if (kbs__kbid_canon(id, sizeof id, v, vn))
				p->a->kb_id = dup_trim(p, id, strlen(id));
			break;
		case H_DATE:
			kbs__trim(&v, &vn);
			if (vn > 0)
				p->a->date = iso_date(p, v, vn);
			break;
		default:
			/* a title given by the caller wins over the header */
			if (*field == NULL)
				*field = dup_trim(p, v, vn);
			if (keys[j].off == offsetof(kbs_article, keywords_line))
				add_keywords(p, v, vn);
			break;
		}
	}
	return i;
}

/* Find " version " or " versions " (or after a comma), last occurrence. */
/* The comma-separated item that starts at t (before end), trimmed, in
 * *ts and *tn; returns where the next item starts. */
static const char *
next_item(const char *t, const char *end, const char **ts, size_t *tn)
{
	const char *c = memchr(t, ',', (size_t)(end - t));
	*ts = t;
	*tn = (size_t)((c ? c : end) - t);
	kbs__trim(ts, tn);
	return c ? c + 1 : end;
}

static const char *
find_version_word(const char *s, size_t n, size_t *wlen)
{
	const char *best = NULL;
	for (size_t i = 1; i + 7 <= n; i++) {
		if (s[i - 1] != ' ' && s[i - 1] != ',')
			continue;
		if (strncasecmp(s + i, "version", 7) != 0)
			continue;
		size_t k = 7;
		if (i + k < n && (s[i + k] == 's' || s[i + k] == 'S'))
			k++;
		if (i + k < n && s[i + k] != ' ')
			continue;
		best = s + i;
		*wlen = k;
	}
	return best;
}

static void
push_product(parser *p, const char *name, size_t nn, const char *ver,
             size_t vn)
{
	kbs_article *a = p->a;
	kbs__trim(&name, &nn);
	while (nn > 0 && (name[nn - 1] == ',' || name[nn - 1] == ':' ||
	                  name[nn - 1] == ' '))
		nn--;
	if (nn == 0 || p->rc != KBS_OK)
		return;
	kbs_product *pr = KBS__PUSH(&a->arena, a->products, a->nproducts,
	                            a->capproducts);
	if (pr == NULL) {
		p->rc = KBS_NOMEM;
		return;
	}
	pr->name = dup_trim(p, name, nn);
	pr->version = ver != NULL ? dup_trim(p, ver, vn) : NULL;
}

/*
 * One "applies to" line: " - Microsoft Windows NT Server versions 4.0,
 * 4.0 SP4, Terminal Server Edition" gives one product per version; words
 * after the versions that are not versions ("Terminal Server Edition")
 * belong to the name.
 */
static void
parse_product(parser *p, const char *s, size_t n)
{
	kbs__trim(&s, &n);
	if (n < 2 || s[0] != '-')
		return;
	s++;
	n--;
	kbs__trim(&s, &n);
	/* "the operating system: MS-DOS, version 5.0" */
	if (starts_with_ci(s, n, "the ")) {
		const char *c = memchr(s, ':', n < 40 ? n : 40);
		if (c != NULL) {
			n -= (size_t)(c + 1 - s);
			s = c + 1;
			kbs__trim(&s, &n);
		}
	}
	while (n > 0 && (s[n - 1] == '.' || s[n - 1] == ':'))
		n--;
	size_t wl = 0;
	const char *vw = find_version_word(s, n, &wl);
	if (vw == NULL) {
		const char *c = NULL;
		if (n > 15 && strncasecmp(s + n - 15, ", on platform(s", 15) == 0)
			c = s + n - 15;
		push_product(p, s, c ? (size_t)(c - s) : n, NULL, 0);
		return;
	}
	size_t nn = (size_t)(vw - s);
	const char *r = vw + wl, *end = s + n;
	char name[512];
	size_t namelen = nn < sizeof name - 1 ? nn : sizeof name - 1;
	memcpy(name, s, namelen);
	/* Suffixes first, so that every row gets the full name. */
	for (const char *t = r; t < end;) {
		const char *ts;
		size_t tn;
		t = next_item(t, end, &ts, &tn);
		if (tn > 0 && !isdigit((unsigned char)ts[0]) &&
		    !starts_with_ci(ts, tn, "on platform") &&
		    namelen + tn + 2 < sizeof name) {
			while (namelen > 0 && (name[namelen - 1] == ' ' ||
			                       name[namelen - 1] == ','))
				namelen--;
			memcpy(name + namelen, ", ", 2);
			memcpy(name + namelen + 2, ts, tn);
			namelen += tn + 2;
		}
	}
	bool any = false;
	for (const char *t = r; t < end;) {
		const char *ts;
		size_t tn;
		t = next_item(t, end, &ts, &tn);
		if (tn > 0 && isdigit((unsigned char)ts[0])) {
			push_product(p, name, namelen, ts, tn);
			any = true;
		}
	}
	if (!any)
		push_product(p, name, namelen, NULL, 0);
}

/* Close the current section: store it and add it to its column. */
static void
flush_section(parser *p)
{
	if (p->rc == KBS_OK)
		p->rc = kbs__add_section(p->a, &p->cols[p->col], p->heading,
		                         p->level, kbs__buf_str(&p->sect),
		                         p->sect.len);
	p->sect.len = 0;
	if (p->sect.data != NULL)
		p->sect.data[0] = '\0';
}

static void
add_text_line(parser *p, const line *l)
{
	kbs__buf_append(&p->sect, l->s, l->n);
	kbs__buf_putc(&p->sect, '\n');
}

/* A footer line "Technology        : kbWinNTsearch ...". */
static bool
footer_line(const line *l, size_t *keylen, const char **val)
{
	static const char *const keys[] = {
		"Keywords", "Technology", "Version", "Hardware", "Issue type",
		"Solution Type", "Component", "Products", "Operating Systems",
		"Platform", "Category",
	};
	const char *c = memchr(l->s, ':', l->n < 40 ? l->n : 40);
	if (c == NULL)
		return false;
	const char *k = l->s;
	size_t kn = (size_t)(c - l->s);
	if (kn == 0 || isspace((unsigned char)k[0]))
		return false;
	kbs__trim(&k, &kn);
	for (size_t j = 0; j < sizeof keys / sizeof keys[0]; j++) {
		if (kn == strlen(keys[j]) && strncasecmp(k, keys[j], kn) == 0) {
			*keylen = kn;
			*val = c + 1;
			return true;
		}
	}
	return false;
}

static void
add_footer(parser *p, const line *l, size_t kn, const char *v)
{
	kbs_article *a = p->a;
	size_t vn = l->n - (size_t)(v - l->s);
	kbs__field *f = KBS__PUSH(&a->arena, a->footer, a->nfooter, a->capfooter);
	if (f == NULL) {
		p->rc = KBS_NOMEM;
		return;
	}
	f->key = dup_trim(p, l->s, kn);
	f->value = dup_trim(p, v, vn);
	if (strncasecmp(l->s, "Keywords", kn) == 0 ||
	    strncasecmp(l->s, "Technology", kn) == 0)
		add_keywords(p, v, vn);
}

static bool
legal_start(const line *l)
{
	const char *s = l->s;
	size_t n = l->n;
	kbs__trim(&s, &n);
	return starts_with_ci(s, n, "THE INFORMATION PROVIDED IN THE MICROSOFT");
}

static bool
copyright_line(const line *l)
{
	const char *s = l->s;
	size_t n = l->n;
	kbs__trim(&s, &n);
	return starts_with_ci(s, n, "Copyright Microsoft Corporation") ||
	       starts_with_ci(s, n, "Copyright (c) Microsoft Corporation");
}

static void
add_legal(parser *p, const line *l)
{
	kbs__buf_append(&p->legal, l->s, l->n);
	kbs__buf_putc(&p->legal, '\n');
}

/* Is line i a heading, underlined by line i+1? Returns its level. */
static int
heading_level(const parser *p, size_t i)
{
	if (i + 1 >= p->nlines)
		return 0;
	const line *l = &p->lines[i], *u = &p->lines[i + 1];
	const char *s = l->s;
	size_t n = l->n;
	while (n > 0 && isspace((unsigned char)s[n - 1]))
		n--;
	if (n < 2 || n > 120 || rule_len(l, '=') || rule_len(l, '-'))
		return 0;
	size_t tn = n;
	const char *ts = s;
	kbs__trim(&ts, &tn);
	if (tn == 0 || (ts[0] == '-' && tn > 1 && ts[1] == ' '))
		return 0;
	for (int lv = 1; lv <= 2; lv++) {
		size_t r = rule_len(u, lv == 1 ? '=' : '-');
		if (r > 0 && r + 4 >= n && r <= n + 4)
			return lv;
	}
	return 0;
}

static bool
applies_to_line(const line *l)
{
	const char *s = l->s;
	size_t n = l->n;
	kbs__trim(&s, &n);
	return n >= 11 && n < 100 &&
	       strncasecmp(s + n - 11, "applies to:", 11) == 0;
}

static void
parse_body(parser *p, size_t i)
{
	bool in_products = false;
	while (i < p->nlines && p->rc == KBS_OK) {
		const line *l = &p->lines[i];
		size_t kn;
		const char *v;

		if (legal_start(l)) {
			/* the disclaimer paragraph */
			while (i < p->nlines && !is_blank(p->lines[i].s,
			                                  p->lines[i].n))
				add_legal(p, &p->lines[i++]);
			continue;
		}
		if (copyright_line(l)) {
			add_legal(p, l);
			i++;
			continue;
		}
		if (starts_with_ci(l->s, l->n, "Additional query words:")) {
			add_keywords(p, l->s + 23, l->n - 23);
			for (i++; i < p->nlines; i++) {
				const line *c = &p->lines[i];
				if (is_blank(c->s, c->n) || rule_len(c, '=') ||
				    heading_level(p, i))
					break;
				add_keywords(p, c->s, c->n);
			}
			continue;
		}
		if (rule_len(l, '=') && (i + 1 >= p->nlines ||
		                         footer_line(&p->lines[i + 1], &kn, &v))) {
			/* footer block */
			for (i++; i < p->nlines && p->rc == KBS_OK; i++) {
				const line *f = &p->lines[i];
				if (footer_line(f, &kn, &v))
					add_footer(p, f, kn, v);
				else if (!is_blank(f->s, f->n) &&
				         isspace((unsigned char)f->s[0]) &&
				         p->a->nfooter > 0)
					continue; /* wrapped value */
				else
					break;
			}
			continue;
		}
		int lv = heading_level(p, i);
		if (lv > 0) {
			flush_section(p);
			in_products = false;
			p->heading = dup_trim(p, l->s, l->n);
			p->level = lv;
			if (lv == 1 && p->heading != NULL)
				p->col = kbs__column_of(p->heading);
			i += 2;
			continue;
		}
		if (rule_len(l, '=') || rule_len(l, '-')) {
			/* separators around the header and the applies-to list */
			in_products = false;
			i++;
			continue;
		}
		if (applies_to_line(l))
			in_products = true;
		else if (in_products && !is_blank(l->s, l->n))
			parse_product(p, l->s, l->n);
		add_text_line(p, l);
		i++;
	}
	flush_section(p);
}

/* A column's text, or NULL when empty. */
static const char *
column_text(parser *p, kbs__buf *b)
{
	const char *s = kbs__buf_str(b);
	size_t n = b->len;
	kbs__trim(&s, &n);
	return n == 0 ? NULL : dup_trim(p, s, n);
}

/* Parse text whose first non-blank line starts with magic ("DOCUMENT:"
 * or "Article:"); title, when not NULL, is the article's title. */
static kbs_status
parse_kb(kbs_article *a, const char *text, size_t len, const char *magic,
         const char *format, const char *title)
{
	parser p;
	size_t i = 0, mlen = strlen(magic);

	memset(&p, 0, sizeof p);
	p.a = a;
	if (len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0)
		i = 3;
	while (i < len && isspace((unsigned char)text[i]))
		i++;
	if (len - i < mlen || strncasecmp(text + i, magic, mlen) != 0)
		return KBS_PARSE;

	a->format = format;
	a->text = kbs__arena_strndup(&a->arena, text, len);
	if (a->text == NULL)
		return KBS_NOMEM;
	if (title != NULL && (a->title = kbs__arena_strdup(&a->arena, title))
	                     == NULL)
		return KBS_NOMEM;
	if (!split_lines(&p, text + i, len - i)) {
		p.rc = KBS_NOMEM;
		goto done;
	}
	size_t body = parse_header(&p, 0);
	if (p.rc == KBS_OK)
		parse_body(&p, body);
	if (p.rc == KBS_OK) {
		a->body = column_text(&p, &p.cols[KBS__COL_BODY]);
		a->symptoms = column_text(&p, &p.cols[KBS__COL_SYMPTOMS]);
		a->cause = column_text(&p, &p.cols[KBS__COL_CAUSE]);
		a->resolution = column_text(&p, &p.cols[KBS__COL_RESOLUTION]);
		a->keywords = column_text(&p, &p.keywords);
		a->legal = column_text(&p, &p.legal);
	}
	for (int c = 0; c < KBS__NCOLUMNS; c++)
		if (p.cols[c].oom)
			p.rc = KBS_NOMEM;
	if (p.keywords.oom || p.legal.oom || p.sect.oom)
		p.rc = KBS_NOMEM;
	if (p.rc == KBS_OK)
		p.rc = kbs__extract(a);
done:
	free(p.lines);
	for (int c = 0; c < KBS__NCOLUMNS; c++)
		kbs__buf_free(&p.cols[c]);
	kbs__buf_free(&p.keywords);
	kbs__buf_free(&p.legal);
	kbs__buf_free(&p.sect);
	return p.rc;
}

kbs_status
kbs__parse_kbtxt(kbs_article *a, const char *text, size_t len)
{
	return parse_kb(a, text, len, "DOCUMENT:", "kb-txt", NULL);
}

kbs_status
kbs__parse_kbarchive(kbs_article *a, const char *text, size_t len,
                     const char *title)
{
	return parse_kb(a, text, len, "Article:", "kb-archive", title);
}
