/*
 * html.c - the pages of `kbsearch serve` as libxml2 HTML trees.
 *
 * Text reaches a page only through add() and set(), which make text nodes
 * and attribute values; libxml2's serializer escapes both, so a paste or
 * an article holding "<script>" shows as those characters. Text is made
 * valid UTF-8 first (bad bytes become U+FFFD) and loses control
 * characters, which HTML does not allow. Links are built from
 * percent-encoded parts (xmlURIEscapeStr()), so a key cannot leave its
 * place in the URL. The pages use no script and no inline style: the
 * Content-Security-Policy that `serve` sends forbids both.
 */
#define _GNU_SOURCE  /* asprintf */
#include "html.h"
#include "lookup.h"

#include <libxml/HTMLtree.h>
#include <stdbool.h>
#include <libxml/uri.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char html_stylesheet[] =
	":root{--fg:#1d2125;--muted:#5b6570;--line:#d5dae0;--accent:#0b5cad;"
	"--mark:#fff0a8;--bg:#fff;--panel:#f5f7f9}\n"
	"*{box-sizing:border-box}\n"
	"body{margin:0;font:16px/1.45 system-ui,-apple-system,'Segoe UI',"
	"Roboto,sans-serif;color:var(--fg);background:var(--bg)}\n"
	"header{display:flex;flex-wrap:wrap;gap:1em;align-items:baseline;"
	"padding:.6em 1em;border-bottom:1px solid var(--line);"
	"background:var(--panel)}\n"
	"header .brand{font-weight:700;font-size:1.15em;color:var(--fg);"
	"text-decoration:none}\n"
	"header nav a{margin-right:1em}\n"
	"main{max-width:60em;margin:0 auto;padding:1em}\n"
	"a{color:var(--accent)}\n"
	"h1{font-size:1.4em;margin:.4em 0}\n"
	"h2{font-size:1.15em;margin:1.2em 0 .4em;border-bottom:1px solid "
	"var(--line)}\n"
	"textarea{width:100%;min-height:14em;font:14px/1.35 ui-monospace,"
	"Consolas,monospace;padding:.5em;border:1px solid var(--line);"
	"border-radius:4px}\n"
	".options{display:flex;flex-wrap:wrap;gap:.6em 1.2em;align-items:center;"
	"margin:.6em 0}\n"
	".options input[type=text]{width:11em}\n"
	".options input[type=number]{width:5em}\n"
	"button{font:inherit;padding:.35em 1.4em;border:0;border-radius:4px;"
	"background:var(--accent);color:#fff;cursor:pointer}\n"
	".summary,.muted{color:var(--muted);font-size:.92em}\n"
	"ol.results{list-style:none;padding:0}\n"
	"ol.results li{padding:.7em 0;border-bottom:1px solid var(--line)}\n"
	".rank{display:inline-block;min-width:1.8em;color:var(--muted)}\n"
	".kbid{font-weight:700;margin-right:.5em}\n"
	".snippet{margin:.3em 0 .2em 1.8rem}\n"
	".products,.matched{margin:.1em 0 0 1.8rem;color:var(--muted);"
	"font-size:.9em}\n"
	".results pre{margin:.4em 0 0 1.8rem;font-size:.85em}\n"
	"mark{background:var(--mark);padding:0 .1em}\n"
	"pre{white-space:pre-wrap;overflow-wrap:anywhere;font:14px/1.4 "
	"ui-monospace,Consolas,monospace;background:var(--panel);padding:.6em;"
	"border-radius:4px}\n"
	"table{border-collapse:collapse;width:100%;font-size:.93em;"
	"display:block;overflow-x:auto}\n"
	"th,td{text-align:left;padding:.3em .6em .3em 0;vertical-align:top;"
	"border-bottom:1px solid var(--line)}\n"
	"dl.meta{display:grid;grid-template-columns:max-content 1fr;"
	"gap:.2em 1em}\n"
	"dl.meta dt{color:var(--muted)}dl.meta dd{margin:0;"
	"overflow-wrap:anywhere}\n"
	"ul.plain{padding-left:1.2em}\n"
	"@media (max-width:40em){main{padding:.6em}body{font-size:15px}"
	".snippet,.products,.matched{margin-left:0}}\n";

/* A page under construction: the document and its <main>. */
typedef struct page {
	htmlDocPtr doc;
	xmlNodePtr main;
} page;

/* s (len bytes) as valid UTF-8 without control characters other than
 * tab and newline; carriage returns are dropped. Caller frees. */
static char *
clean(const char *s, size_t len)
{
	char *out = malloc(len * 3 + 1), *o = out;
	size_t i = 0;
	if (out == NULL)
		return NULL;
	while (i < len) {
		unsigned char c = (unsigned char)s[i];
		int n = c < 0x80 ? 1 : (c & 0xE0) == 0xC0 ? 2
		      : (c & 0xF0) == 0xE0 ? 3 : (c & 0xF8) == 0xF0 ? 4 : 0;
		bool ok = n > 0 && i + (size_t)n <= len;
		for (int k = 1; ok && k < n; k++)
			ok = ((unsigned char)s[i + k] & 0xC0) == 0x80;
		if (ok && n > 1) {
			/* overlong forms, surrogates and values past U+10FFFF */
			unsigned v = c & (0x7F >> n);
			for (int k = 1; k < n; k++)
				v = v << 6 | ((unsigned char)s[i + k] & 0x3F);
			ok = !(n == 2 && v < 0x80) && !(n == 3 && v < 0x800) &&
			     !(n == 4 && v < 0x10000) && v <= 0x10FFFF &&
			     !(v >= 0xD800 && v <= 0xDFFF);
		}
		if (!ok) {
			memcpy(o, "\xEF\xBF\xBD", 3);  /* U+FFFD */
			o += 3;
			i++;
		} else if (n == 1) {
			if (c >= 0x20 && c != 0x7F)
				*o++ = (char)c;
			else if (c == '\t' || c == '\n')
				*o++ = (char)c;
			else if (c != '\r')
				*o++ = ' ';
			i++;
		} else {
			memcpy(o, s + i, (size_t)n);
			o += n;
			i += (size_t)n;
		}
	}
	*o = '\0';
	return out;
}

/* Append text (len bytes) to node as a text node. */
static void
add_text_n(xmlNodePtr node, const char *text, size_t len)
{
	char *c;
	if (node == NULL || text == NULL || (c = clean(text, len)) == NULL)
		return;
	xmlNodePtr t = xmlNewText(BAD_CAST c);
	free(c);
	if (t != NULL && xmlAddChild(node, t) == NULL)
		xmlFreeNode(t);
}

static void
add_text(xmlNodePtr node, const char *text)
{
	if (text != NULL)
		add_text_n(node, text, strlen(text));
}

/* A new element tag under parent, holding text when not NULL. */
static xmlNodePtr
add(xmlNodePtr parent, const char *tag, const char *text)
{
	if (parent == NULL)
		return NULL;
	xmlNodePtr n = xmlNewChild(parent, NULL, BAD_CAST tag, NULL);
	add_text(n, text);
	return n;
}

/* Set an attribute; libxml2 escapes the value when serializing. */
static void
set(xmlNodePtr node, const char *name, const char *value)
{
	char *c;
	if (node == NULL || value == NULL ||
	    (c = clean(value, strlen(value))) == NULL)
		return;
	xmlSetProp(node, BAD_CAST name, BAD_CAST c);
	free(c);
}

/* Percent-encode s for a path segment or a query value: everything but
 * letters, digits and -_.!~*'() is escaped. Caller frees. */
static char *
esc(const char *s)
{
	xmlChar *e = xmlURIEscapeStr(BAD_CAST s, BAD_CAST "");
	char *copy = e ? strdup((const char *)e) : NULL;
	xmlFree(e);
	return copy;
}

/* The URL prefix + seg [+ "?" key "=" val], the parts percent-encoded;
 * key is a literal of this file. Caller frees. */
static char *
url(const char *prefix, const char *seg, const char *key, const char *val)
{
	char *s = seg ? esc(seg) : NULL, *v = val ? esc(val) : NULL, *u;
	if (asprintf(&u, "%s%s%s%s%s%s", prefix, s ? s : "",
	             v ? "?" : "", v ? key : "", v ? "=" : "",
	             v ? v : "") < 0)
		u = NULL;
	free(s);
	free(v);
	return u;
}

/* A link to href (freed here) with the given text. */
static xmlNodePtr
add_link(xmlNodePtr parent, char *href, const char *text)
{
	xmlNodePtr a = add(parent, "a", text);
	set(a, "href", href);
	free(href);
	return a;
}

static bool
is_kb_id(const char *id)
{
	if (id == NULL || id[0] != 'Q' || id[1] == '\0')
		return false;
	for (const char *p = id + 1; *p; p++)
		if (*p < '0' || *p > '9')
			return false;
	return true;
}

/* The page of an article: /article/ID, by its KB id or, for an article
 * without one, by the article id its results carry (A1B2C3D4E5F). */
static char *
article_url(const char *kb_id)
{
	return url("/article/", kb_id ? kb_id : "", NULL, NULL);
}

/* What a link to an article says: its id. */
static const char *
id_text(const char *kb_id)
{
	return kb_id;
}

static const char *
js(json_t *o, const char *key)
{
	return json_string_value(json_object_get(o, key));
}

static page
page_new(const char *title)
{
	page p = { NULL, NULL };
	xmlNodePtr html, head, body, n;

	p.doc = htmlNewDocNoDtD(NULL, NULL);
	if (p.doc == NULL)
		return p;
	/* <!DOCTYPE html>: standards mode. */
	xmlCreateIntSubset(p.doc, BAD_CAST "html", NULL, NULL);
	html = xmlNewNode(NULL, BAD_CAST "html");
	if (html == NULL)
		return p;
	xmlDocSetRootElement(p.doc, html);
	set(html, "lang", "en");
	head = add(html, "head", NULL);
	set(add(head, "meta", NULL), "charset", "utf-8");
	n = add(head, "meta", NULL);
	set(n, "name", "viewport");
	set(n, "content", "width=device-width, initial-scale=1");
	add(head, "title", title);
	n = add(head, "link", NULL);
	set(n, "rel", "stylesheet");
	set(n, "href", "/style.css");
	body = add(html, "body", NULL);
	xmlNodePtr header = add(body, "header", NULL);
	n = add_link(header, strdup("/"), "kbsearch");
	set(n, "class", "brand");
	xmlNodePtr nav = add(header, "nav", NULL);
	add_link(nav, strdup("/"), "Search");
	add_link(nav, strdup("/stats"), "Stats");
	p.main = add(body, "main", NULL);
	return p;
}

/* Serialize and free the page. */
static char *
page_done(page *p, size_t *len)
{
	xmlChar *mem = NULL;
	int size = 0;
	char *out = NULL;
	if (p->doc != NULL && p->main != NULL)
		htmlDocDumpMemoryFormat(p->doc, &mem, &size, 0);
	if (mem != NULL && (out = malloc((size_t)size + 1)) != NULL) {
		memcpy(out, mem, (size_t)size);
		out[size] = '\0';
		*len = (size_t)size;
	}
	xmlFree(mem);
	xmlFreeDoc(p->doc);
	return out;
}

/* A line of "label: a, b, c" from a JSON array of strings; nothing when
 * the array is empty. */
static void
add_list_line(xmlNodePtr parent, const char *cls, const char *label,
              json_t *arr)
{
	size_t i;
	json_t *v;
	if (json_array_size(arr) == 0)
		return;
	xmlNodePtr p = add(parent, "p", label);
	set(p, "class", cls);
	json_array_foreach(arr, i, v) {
		add_text(p, i ? ", " : "");
		if (json_is_object(v)) {    /* a product record */
			add_text(p, js(v, "product"));
			if (js(v, "version") != NULL) {
				add_text(p, " ");
				add_text(p, js(v, "version"));
			}
		} else {
			add_text(p, json_string_value(v));
		}
	}
}

/* A hit's explain object as the lines the library wrote:
 * "name=score (detail)", then the notes. */
static void
add_explain(xmlNodePtr parent, json_t *ex)
{
	json_t *scores = json_object_get(ex, "scores"), *v;
	json_t *details = json_object_get(ex, "details");
	const char *key;
	size_t i;
	char line[512];
	xmlNodePtr pre = add(parent, "pre", NULL);
	json_object_foreach(scores, key, v) {
		const char *d = js(details, key);
		snprintf(line, sizeof line, "%s=%.3f%s%s%s\n", key,
		         json_real_value(v), d ? " (" : "", d ? d : "",
		         d ? ")" : "");
		add_text(pre, line);
	}
	json_array_foreach(json_object_get(ex, "notes"), i, v) {
		add_text(pre, json_string_value(v));
		add_text(pre, "\n");
	}
}

/* The snippet with its matched words (snippet_matches: byte ranges) as
 * <mark>. */
static void
add_snippet(xmlNodePtr parent, const char *snip, json_t *marks)
{
	xmlNodePtr p = add(parent, "p", NULL);
	size_t len = strlen(snip), at = 0, i;
	json_t *m;
	set(p, "class", "snippet");
	json_array_foreach(marks, i, m) {
		json_int_t s = json_integer_value(json_array_get(m, 0));
		json_int_t e = json_integer_value(json_array_get(m, 1));
		if (s < (json_int_t)at || e < s || e > (json_int_t)len)
			break;
		add_text_n(p, snip + at, (size_t)s - at);
		xmlNodePtr mk = add(p, "mark", NULL);
		add_text_n(mk, snip + s, (size_t)(e - s));
		at = (size_t)e;
	}
	add_text(p, snip + at);
}

/* "Read as an Event Viewer entry: event 1003, source TermService". */
static void
add_query(xmlNodePtr parent, json_t *q, size_t nresults)
{
	char buf[128];
	xmlNodePtr p = add(parent, "p", NULL);
	set(p, "class", "summary");
	snprintf(buf, sizeof buf, "%zu article%s. Paste read as %s", nresults,
	         nresults == 1 ? "" : "s",
	         js(q, "kind") ? js(q, "kind") : "text");
	add_text(p, buf);
	json_t *ev = json_object_get(q, "event_id");
	if (json_is_integer(ev)) {
		snprintf(buf, sizeof buf, "; event %" JSON_INTEGER_FORMAT,
		         json_integer_value(ev));
		add_text(p, buf);
	}
	if (js(q, "source")) {
		add_text(p, " from ");
		add_text(p, js(q, "source"));
	}
	static const char *const lists[][2] = {
		{ "codes", "codes" }, { "files", "files" },
		{ "kb_ids", "KB ids" }, { "corrected", "corrected" },
		{ "aliases", "also searched" }, { "dropped", "left out" },
	};
	for (size_t l = 0; l < sizeof lists / sizeof *lists; l++) {
		json_t *a = json_object_get(q, lists[l][0]), *v;
		size_t i;
		if (json_array_size(a) == 0)
			continue;
		add_text(p, "; ");
		add_text(p, lists[l][1]);
		add_text(p, ": ");
		json_array_foreach(a, i, v) {
			add_text(p, i ? ", " : "");
			add_text(p, json_string_value(v));
		}
	}
	add_text(p, ".");
}

char *
html_search(size_t *len, const html_form *f, json_t *search)
{
	page p = page_new("kbsearch");
	char num[16];
	xmlNodePtr form = add(p.main, "form", NULL), n, opt;

	set(form, "method", "post");
	set(form, "action", "/");
	n = add(form, "label", "Paste the error (Event Viewer entry, message "
	                      "box, STOP screen, log lines):");
	set(n, "for", "q");
	n = add(form, "textarea", NULL);
	set(n, "id", "q");
	set(n, "name", "q");
	set(n, "rows", "14");
	set(n, "spellcheck", "false");
	set(n, "autofocus", "autofocus");
	if (f->paste != NULL && f->paste_len > 0) {
		/* An HTML parser drops one newline right after <textarea>. */
		if (f->paste[0] == '\n' || f->paste[0] == '\r')
			add_text(n, "\n");
		add_text_n(n, f->paste, f->paste_len);
	}
	opt = add(form, "div", NULL);
	set(opt, "class", "options");
	n = add(opt, "label", "Results ");
	xmlNodePtr in = add(n, "input", NULL);
	set(in, "type", "number");
	set(in, "name", "n");
	set(in, "min", "1");
	set(in, "max", "1000");
	snprintf(num, sizeof num, "%u", f->n ? f->n : 10);
	set(in, "value", num);
	n = add(opt, "label", "Product ");
	in = add(n, "input", NULL);
	set(in, "type", "text");
	set(in, "name", "product");
	set(in, "placeholder", "Windows NT");
	set(in, "value", f->product ? f->product : "");
	n = add(opt, "label", "Version ");
	in = add(n, "input", NULL);
	set(in, "type", "text");
	set(in, "name", "version");
	set(in, "placeholder", "4.0 SP4");
	set(in, "value", f->version ? f->version : "");
	n = add(opt, "label", NULL);
	in = add(n, "input", NULL);
	set(in, "type", "checkbox");
	set(in, "name", "explain");
	set(in, "value", "1");
	if (f->explain)
		set(in, "checked", "checked");
	add_text(n, " explain scores");
	n = add(opt, "button", "Search");
	set(n, "type", "submit");

	if (search != NULL) {
		json_t *results = json_object_get(search, "results"), *h;
		size_t i;
		add_query(p.main, json_object_get(search, "query"),
		          json_array_size(results));
		if (json_array_size(results) == 0)
			add(p.main, "p", "No matching article.");
		xmlNodePtr ol = add(p.main, "ol", NULL);
		set(ol, "class", "results");
		json_array_foreach(results, i, h) {
			xmlNodePtr li = add(ol, "li", NULL), head;
			const char *id = js(h, "kb_id");
			head = add(li, "div", NULL);
			snprintf(num, sizeof num, "%" JSON_INTEGER_FORMAT,
			         json_integer_value(json_object_get(h, "rank")));
			set(add(head, "span", num), "class", "rank");
			n = add_link(head, article_url(id),
			             id_text(id));
			set(n, "class", "kbid");
			set(add(head, "span", js(h, "title")), "class", "title");
			if (js(h, "snippet"))
				add_snippet(li, js(h, "snippet"),
				            json_object_get(h, "snippet_matches"));
			add_list_line(li, "products", "Products: ",
			              json_object_get(h, "products"));
			add_list_line(li, "matched", "Matched: ",
			              json_object_get(h, "matched"));
			if (json_is_object(json_object_get(h, "explain")))
				add_explain(li, json_object_get(h, "explain"));
		}
	}
	return page_done(&p, len);
}

/* A <dt>/<dd> pair of the article's metadata. */
static xmlNodePtr
add_meta(xmlNodePtr dl, const char *term, const char *value)
{
	add(dl, "dt", term);
	return add(dl, "dd", value);
}

/* A table with a header row of the given column names. */
static xmlNodePtr
add_table(xmlNodePtr parent, const char *const *cols, size_t n)
{
	xmlNodePtr t = add(parent, "table", NULL);
	xmlNodePtr tr = add(add(t, "thead", NULL), "tr", NULL);
	for (size_t i = 0; i < n; i++)
		add(tr, "th", cols[i]);
	return add(t, "tbody", NULL);
}

/* A cell with the string member key of o, "-" when null. */
static xmlNodePtr
add_cell(xmlNodePtr tr, json_t *o, const char *key)
{
	const char *s = js(o, key);
	return add(tr, "td", s ? s : "-");
}

/* A section of the article page: heading and a list of the strings in
 * arr, each a link to its article when link is set (KB ids). Nothing
 * when arr is empty. */
static void
add_strings(xmlNodePtr parent, const char *heading, json_t *arr, bool link)
{
	json_t *v;
	size_t i;
	if (json_array_size(arr) == 0)
		return;
	add(parent, "h2", heading);
	xmlNodePtr ul = add(parent, "ul", NULL);
	set(ul, "class", "plain");
	json_array_foreach(arr, i, v) {
		const char *s = json_string_value(v);
		if (link)
			add_link(add(ul, "li", NULL), article_url(s), s);
		else
			add(ul, "li", s);
	}
}

char *
html_article(size_t *len, json_t *a)
{
	const char *id = js(a, "kb_id"), *title = js(a, "title");
	page p = page_new(title ? title : id);
	json_t *arr, *v;
	size_t i;
	char buf[64];

	xmlNodePtr h1 = add(p.main, "h1", NULL);
	if (is_kb_id(id)) {
		add_text(h1, id);
		add_text(h1, ": ");
	}
	add_text(h1, title ? title : "(untitled)");

	xmlNodePtr dl = add(p.main, "dl", NULL);
	set(dl, "class", "meta");
	if (js(a, "date"))
		add_meta(dl, "Date", js(a, "date"));
	add_meta(dl, "Format", js(a, "format"));
	arr = json_object_get(a, "products");
	if (json_array_size(arr) > 0) {
		xmlNodePtr dd = add_meta(dl, "Products", NULL);
		json_array_foreach(arr, i, v) {
			if (i)
				add(dd, "br", NULL);
			add_text(dd, js(v, "product"));
			if (js(v, "version")) {
				add_text(dd, " ");
				add_text(dd, js(v, "version"));
			}
		}
	}
	arr = json_object_get(a, "sources");
	if (json_array_size(arr) > 0) {
		xmlNodePtr dd = add_meta(dl, "Files", NULL);
		json_array_foreach(arr, i, v) {
			if (i)
				add(dd, "br", NULL);
			add_text(dd, json_string_value(v));
		}
	}
	if (is_kb_id(id)) {
		xmlNodePtr dd = add_meta(dl, "References", NULL);
		add_link(dd, url("/refs/", id, NULL, NULL),
		         "cited and citing articles");
	}

	arr = json_object_get(a, "events");
	if (json_array_size(arr) > 0) {
		static const char *const cols[] = { "Event ID", "Source", "Type",
		                                    "Category", "Description" };
		add(p.main, "h2", "Events");
		xmlNodePtr tb = add_table(p.main, cols, 5);
		json_array_foreach(arr, i, v) {
			xmlNodePtr tr = add(tb, "tr", NULL);
			snprintf(buf, sizeof buf, "%" JSON_INTEGER_FORMAT,
			         json_integer_value(json_object_get(v, "event_id")));
			add_link(add(tr, "td", NULL),
			         url("/event/", buf, "source", js(v, "source")),
			         buf);
			add_cell(tr, v, "source");
			add_cell(tr, v, "type");
			add_cell(tr, v, "category");
			add_cell(tr, v, "description");
		}
	}
	arr = json_object_get(a, "codes");
	if (json_array_size(arr) > 0) {
		add(p.main, "h2", "Error codes");
		xmlNodePtr ul = add(p.main, "ul", NULL);
		set(ul, "class", "plain");
		json_array_foreach(arr, i, v) {
			xmlNodePtr li = add(ul, "li", NULL);
			add_link(li, url("/code/", js(v, "code"), NULL, NULL),
			         js(v, "code"));
			add_text(li, " written ");
			add_text(li, js(v, "notation"));
		}
	}
	arr = json_object_get(a, "files");
	if (json_array_size(arr) > 0) {
		static const char *const cols[] = { "File", "Version", "Size",
		                                    "Date", "Time", "Platform" };
		add(p.main, "h2", "Files");
		xmlNodePtr tb = add_table(p.main, cols, 6);
		json_array_foreach(arr, i, v) {
			xmlNodePtr tr = add(tb, "tr", NULL);
			add_link(add(tr, "td", NULL),
			         url("/file/", js(v, "name"), "version",
			             js(v, "version")), js(v, "name"));
			add_cell(tr, v, "version");
			json_t *size = json_object_get(v, "size");
			if (json_is_integer(size)) {
				snprintf(buf, sizeof buf, "%" JSON_INTEGER_FORMAT,
				         json_integer_value(size));
				add(tr, "td", buf);
			} else {
				add(tr, "td", "-");
			}
			add_cell(tr, v, "date");
			add_cell(tr, v, "time");
			add_cell(tr, v, "platform");
		}
	}
	add_strings(p.main, "Error messages", json_object_get(a, "messages"),
	            false);
	add_strings(p.main, "Registry", json_object_get(a, "registry"), false);
	add_strings(p.main, "KB references", json_object_get(a, "refs"), true);

	arr = json_object_get(a, "sections");
	if (json_array_size(arr) == 0) {
		add(p.main, "h2", "Text");
		add(p.main, "pre", js(a, "text"));
	}
	json_array_foreach(arr, i, v) {
		const char *h = js(v, "heading");
		if (h != NULL && *h != '\0')
			add(p.main, "h2", h);
		add(p.main, "pre", js(v, "text"));
	}
	return page_done(&p, len);
}

/* The first cells of a lookup row: the article link and its title. */
static xmlNodePtr
lookup_row(xmlNodePtr tb, json_t *h)
{
	xmlNodePtr tr = add(tb, "tr", NULL);
	const char *id = js(h, "kb_id"), *title = js(h, "title");
	xmlNodePtr td = add(tr, "td", NULL);
	if (js(h, "path") != NULL)
		add_link(td, article_url(id), id_text(id));
	else
		add_text(td, id);  /* cited, not in the database */
	add(tr, "td", title ? title : js(h, "path") ? ""
	                                : "(not in the database)");
	return tr;
}

/* The cells a lookup's hit adds after the article and its title. */
static void
event_cells(xmlNodePtr tr, json_t *h)
{
	json_t *e = json_object_get(h, "event");
	add_cell(tr, e, "source");
	add_cell(tr, e, "type");
	add_cell(tr, e, "description");
}

static void
code_cells(xmlNodePtr tr, json_t *h)
{
	json_t *c = json_object_get(h, "code");
	add_link(add(tr, "td", NULL),
	         url("/code/", js(c, "code"), NULL, NULL), js(c, "code"));
	add_cell(tr, c, "notation");
}

static void
file_cells(xmlNodePtr tr, json_t *h)
{
	json_t *f = json_object_get(h, "file");
	add_cell(tr, f, "version");
	add_cell(tr, f, "platform");
	add_cell(tr, f, "date");
	add_cell(tr, h, "build");
}

static void
refs_cells(xmlNodePtr tr, json_t *h)
{
	const char *rel = js(h, "relation");
	add(tr, "td", rel && strcmp(rel, "cites") == 0 ? "cited by it"
	                                                : "cites it");
}

/* The page of each list lookup (lookup.h), by its kind. */
static const struct lookup_page {
	const char *title;      /* the heading, before the key */
	const char *joint;      /* between the key and the second key */
	const char *cols[7];    /* column names, NULL after the last */
	void (*cells)(xmlNodePtr, json_t *);
} lookup_pages[] = {
	[CLI_LOOKUP_EVENT] = { "Event ", " from ", { "Article", "Title",
	    "Source", "Type", "Description" }, event_cells },
	[CLI_LOOKUP_CODE] = { "Error code ", NULL, { "Article", "Title",
	    "Code", "Written" }, code_cells },
	[CLI_LOOKUP_FILE] = { "File ", " ", { "Article", "Title", "Version",
	    "Platform", "Date", "Build" }, file_cells },
	[CLI_LOOKUP_REFS] = { "References of ", NULL, { "Article", "Title",
	    "Relation" }, refs_cells },
};

char *
html_lookup(size_t *len, json_t *lookup, cli_lookup_kind kind)
{
	const struct lookup_page *lp = &lookup_pages[kind];
	const cli_lookup *l = &cli_lookups[kind];
	json_t *results = json_object_get(lookup, "results"), *h;
	size_t i, ncols = 0, n = json_array_size(results);
	char head[512], key[32], count[64];

	/* the heading: title, key[, joint, second key] */
	json_t *k = json_object_get(lookup, l->key);
	const char *ks = json_string_value(k);
	if (json_is_integer(k)) {
		snprintf(key, sizeof key, "%" JSON_INTEGER_FORMAT,
		         json_integer_value(k));
		ks = key;
	}
	const char *extra = l->extra ? js(lookup, l->extra) : NULL;
	snprintf(head, sizeof head, "%s%.200s%s%.200s", lp->title,
	         ks ? ks : "", extra ? lp->joint : "", extra ? extra : "");
	page p = page_new(head);
	add(p.main, "h1", head);
	snprintf(count, sizeof count, "%zu article%s.", n, n == 1 ? "" : "s");
	set(add(p.main, "p", count), "class", "summary");
	if (n == 0)
		return page_done(&p, len);

	while (ncols < 7 && lp->cols[ncols] != NULL)
		ncols++;
	xmlNodePtr tb = add_table(p.main, lp->cols, ncols);
	json_array_foreach(results, i, h)
		lp->cells(lookup_row(tb, h), h);
	return page_done(&p, len);
}

char *
html_stats(size_t *len, json_t *stats)
{
	static const char *const rows[][2] = {
		{ "articles", "Articles" }, { "files", "Source files" },
		{ "events", "Events" }, { "codes", "Error codes" },
		{ "file_rows", "File rows" }, { "refs", "KB references" },
		{ "terms", "Distinct terms" },
		{ "schema_version", "Schema version" },
	};
	char buf[32];
	page p = page_new("kbsearch: database");
	add(p.main, "h1", "Database");
	xmlNodePtr dl = add(p.main, "dl", NULL);
	set(dl, "class", "meta");
	for (size_t i = 0; i < sizeof rows / sizeof *rows; i++) {
		snprintf(buf, sizeof buf, "%" JSON_INTEGER_FORMAT,
		         json_integer_value(json_object_get(stats, rows[i][0])));
		xmlNodePtr dd = add_meta(dl, rows[i][1], buf);
		set(dd, "id", rows[i][0]);
	}
	return page_done(&p, len);
}

char *
html_error(size_t *len, unsigned status, const char *message)
{
	char head[32];
	snprintf(head, sizeof head, "Error %u", status);
	page p = page_new(head);
	add(p.main, "h1", head);
	add(p.main, "p", message);
	add_link(add(p.main, "p", NULL), strdup("/"), "Back to the search");
	return page_done(&p, len);
}
