/*
 * check_html.c - the HTML parser (indexer/html.c) on the bundled KB
 * archive pages, against the classic text of the same articles, on
 * hand-made support pages and on hostile input built at test time.
 */
#include "tests.h"

#include <ctype.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <libxml/parser.h>
#include <libxml/xmlerror.h>

/* The articles of the bundled corpus present as both .html and .TXT. */
static const char *const both[] = {
	"Q93907", "Q93128", "Q88868", "Q108918", "Q141077", "Q32539",
	"Q37507", "Q94695", "Q99812", "Q89156", "Q95716", "Q103032",
	"Q142670", "Q78073", "Q139849",
};

/* Site chrome of the archive pages that no text column may hold. */
static const char *const chrome[] = {
	"View on GitHub", "KnowledgeBase Archive", "An Archive of Early",
	"GoogleAnalyticsObject", "google-analytics", "ga('send'",
	"maintained by", "GitHub Pages", "THE INFORMATION PROVIDED",
	"Copyright Microsoft", "<pre", "<code", "&quot;", "&amp;",
};

static kbs_article *
parse_html_text(const char *text, size_t len, kbs_status want)
{
	kbs_article *a = kbs__article_new();
	ck_assert_ptr_nonnull(a);
	kbs_status rc = kbs__parse_html(a, text, len);
	ck_assert_msg(rc == want, "kbs__parse_html: %s, want %s",
	              kbs_status_str(rc), kbs_status_str(want));
	return a;
}

static kbs_article *
parse_html_str(const char *text)
{
	return parse_html_text(text, strlen(text), KBS_OK);
}

static kbs_article *
parse_bundled_html(const char *id)
{
	char rel[64];
	size_t len;
	snprintf(rel, sizeof rel, "html/%s.html", id);
	char *text = kbs_test_read_bundled(rel, &len);
	kbs_article *a = parse_html_text(text, len, KBS_OK);
	ck_assert_msg(a->text != NULL && strlen(a->text) == len &&
	              memcmp(a->text, text, len) == 0,
	              "%s: a->text is not the page", id);
	free(text);
	return a;
}

/* Every text column, title and section of a. */
static void
assert_no_chrome(const kbs_article *a, const char *id)
{
	const char *cols[] = {
		a->title, a->symptoms, a->cause, a->resolution, a->body,
		a->keywords, a->messages_text,
	};
	for (size_t c = 0; c < sizeof cols / sizeof cols[0]; c++)
		for (size_t k = 0; cols[c] && k < sizeof chrome / sizeof chrome[0];
		     k++)
			ck_assert_msg(strstr(cols[c], chrome[k]) == NULL,
			              "%s: column %zu holds \"%s\"", id, c,
			              chrome[k]);
	for (size_t i = 0; i < a->nsections; i++)
		for (size_t k = 0; k < sizeof chrome / sizeof chrome[0]; k++) {
			ck_assert_msg(strstr(a->sections[i].text, chrome[k]) == NULL,
			              "%s: section %zu holds \"%s\"", id, i,
			              chrome[k]);
			ck_assert(strstr(a->sections[i].heading, chrome[k]) == NULL);
		}
}

static bool
str_eq(const char *x, const char *y)
{
	if (x == NULL || y == NULL)
		return x == y;
	return strcmp(x, y) == 0;
}

/*
 * Equal line for line once each line is trimmed: the archive renders the
 * classic text one column to the left (" - Microsoft Windows" became
 * "- Microsoft Windows"), which is the only difference allowed.
 */
static bool
lines_eq(const char *x, const char *y)
{
	if (x == NULL || y == NULL)
		return x == y;
	for (;;) {
		while (*x == ' ' || *x == '\t')
			x++;
		while (*y == ' ' || *y == '\t')
			y++;
		size_t nx = strcspn(x, "\n"), ny = strcspn(y, "\n");
		size_t tx = nx, ty = ny;
		while (tx > 0 && isspace((unsigned char)x[tx - 1]))
			tx--;
		while (ty > 0 && isspace((unsigned char)y[ty - 1]))
			ty--;
		if (tx != ty || memcmp(x, y, tx) != 0)
			return false;
		if (x[nx] == '\0' || y[ny] == '\0')
			return x[nx] == y[ny];
		x += nx + 1;
		y += ny + 1;
	}
}

#define CK_STR(id, what, t, h)                                              \
	ck_assert_msg(str_eq((t), (h)), "%s: %s \"%s\" (txt) vs \"%s\" (html)", \
	              (id), (what), (t) ? (t) : "(null)", (h) ? (h) : "(null)")

static void
compare_articles(const char *id, const kbs_article *t, const kbs_article *h)
{
	CK_STR(id, "kb_id", t->kb_id, h->kb_id);
	CK_STR(id, "title", t->title, h->title);
	CK_STR(id, "date", t->date, h->date);
	CK_STR(id, "product line", t->product_line, h->product_line);

	ck_assert_msg(t->nproducts == h->nproducts, "%s: %zu vs %zu products",
	              id, t->nproducts, h->nproducts);
	for (size_t i = 0; i < t->nproducts; i++) {
		CK_STR(id, "product", t->products[i].name, h->products[i].name);
		CK_STR(id, "version", t->products[i].version,
		       h->products[i].version);
	}

	ck_assert_msg(t->nsections == h->nsections, "%s: %zu vs %zu sections",
	              id, t->nsections, h->nsections);
	for (size_t i = 0; i < t->nsections; i++) {
		CK_STR(id, "heading", t->sections[i].heading,
		       h->sections[i].heading);
		ck_assert_int_eq(t->sections[i].level, h->sections[i].level);
		ck_assert_msg(lines_eq(t->sections[i].text, h->sections[i].text),
		              "%s: section %s differs:\n%s\n----\n%s", id,
		              t->sections[i].heading, t->sections[i].text,
		              h->sections[i].text);
	}
	ck_assert_msg(lines_eq(t->symptoms, h->symptoms), "%s: symptoms", id);
	ck_assert_msg(lines_eq(t->cause, h->cause), "%s: cause", id);
	ck_assert_msg(lines_eq(t->resolution, h->resolution), "%s: resolution",
	              id);
	ck_assert_msg(lines_eq(t->body, h->body), "%s: body", id);

	ck_assert_msg(t->nevents == h->nevents, "%s: %zu vs %zu events", id,
	              t->nevents, h->nevents);
	for (size_t i = 0; i < t->nevents; i++) {
		ck_assert_int_eq(t->events[i].id, h->events[i].id);
		CK_STR(id, "event source", t->events[i].source,
		       h->events[i].source);
		CK_STR(id, "event type", t->events[i].type, h->events[i].type);
		CK_STR(id, "event category", t->events[i].category,
		       h->events[i].category);
		CK_STR(id, "event description", t->events[i].description,
		       h->events[i].description);
	}
	ck_assert_msg(t->ncodes == h->ncodes, "%s: %zu vs %zu codes", id,
	              t->ncodes, h->ncodes);
	for (size_t i = 0; i < t->ncodes; i++) {
		ck_assert_uint_eq(t->codes[i].value, h->codes[i].value);
		CK_STR(id, "code", t->codes[i].text, h->codes[i].text);
	}
	ck_assert_msg(t->nfiles == h->nfiles, "%s: %zu vs %zu files", id,
	              t->nfiles, h->nfiles);
	for (size_t i = 0; i < t->nfiles; i++) {
		const kbs_file *x = &t->files[i], *y = &h->files[i];
		CK_STR(id, "file", x->name, y->name);
		CK_STR(id, "file version", x->version, y->version);
		CK_STR(id, "file date", x->date, y->date);
		CK_STR(id, "file time", x->time, y->time);
		CK_STR(id, "file platform", x->platform, y->platform);
		ck_assert(x->size == y->size);
	}
	ck_assert_msg(t->nrefs == h->nrefs, "%s: %zu vs %zu refs", id,
	              t->nrefs, h->nrefs);
	for (size_t i = 0; i < t->nrefs; i++)
		CK_STR(id, "ref", t->refs[i], h->refs[i]);
	ck_assert_msg(t->nmessages == h->nmessages, "%s: %zu vs %zu messages",
	              id, t->nmessages, h->nmessages);
	for (size_t i = 0; i < t->nmessages; i++)
		CK_STR(id, "message", t->messages[i], h->messages[i]);
	CK_STR(id, "messages text", t->messages_text, h->messages_text);
	ck_assert_msg(t->nregistry == h->nregistry, "%s: %zu vs %zu registry",
	              id, t->nregistry, h->nregistry);
	for (size_t i = 0; i < t->nregistry; i++)
		CK_STR(id, "registry", t->registry[i], h->registry[i]);
}

/* ------------------------------------------------------------------ */
/* The KB archive pages                                                */
/* ------------------------------------------------------------------ */

START_TEST(archive_pages_all)
{
	char dir[4096];
	snprintf(dir, sizeof dir, "%s/html", kbs_test_bundled_dir());
	DIR *d = opendir(dir);
	ck_assert_msg(d != NULL, "cannot open %s", dir);
	struct dirent *de;
	int pages = 0;
	while ((de = readdir(d)) != NULL) {
		size_t n = strlen(de->d_name);
		if (n < 6 || strcmp(de->d_name + n - 5, ".html") != 0)
			continue;
		char id[64];
		snprintf(id, sizeof id, "%.*s", (int)(n - 5), de->d_name);
		kbs_article *a = parse_bundled_html(id);
		ck_assert_str_eq(a->format, "kb-html");
		ck_assert_msg(str_eq(a->kb_id, id), "%s: kb_id %s", id,
		              a->kb_id ? a->kb_id : "(null)");
		ck_assert_msg(a->title != NULL && a->title[0] != '\0' &&
		              strncmp(a->title, id, strlen(id)) != 0,
		              "%s: title \"%s\"", id, a->title ? a->title : "");
		ck_assert_ptr_nonnull(a->date);
		ck_assert_msg(a->nsections > 0, "%s: no sections", id);
		ck_assert_msg(a->nproducts > 0 || a->product_line != NULL,
		              "%s: no products", id);
		assert_no_chrome(a, id);
		kbs_article_free(a);
		pages++;
	}
	closedir(d);
	ck_assert_int_eq(pages, 25);
}
END_TEST

/* The dispatcher sends the pages here, and `show` re-parses a->text. */
START_TEST(archive_page_dispatch_and_reparse)
{
	size_t len;
	char *text = kbs_test_read_bundled("html/Q95716.html", &len);
	kbs_article *a = kbs__article_new();
	ck_assert_int_eq(kbs__parse(a, text, len), KBS_OK);
	ck_assert_str_eq(a->format, "kb-html");
	ck_assert_str_eq(a->kb_id, "Q95716");
	kbs_article *b = kbs__article_new();
	ck_assert_int_eq(kbs__parse(b, a->text, strlen(a->text)), KBS_OK);
	compare_articles("Q95716 reparsed", a, b);
	ck_assert_str_eq(b->format, "kb-html");
	kbs_article_free(b);
	kbs_article_free(a);
	free(text);
}
END_TEST

START_TEST(archive_pages_match_txt)
{
	const char *id = both[_i];
	char rel[64];
	snprintf(rel, sizeof rel, "txt/%s.TXT", id);
	kbs_article *t = kbs_test_parse_kbtxt(rel);
	kbs_article *h = parse_bundled_html(id);
	ck_assert_str_eq(h->format, "kb-html");
	compare_articles(id, t, h);
	kbs_article_free(t);
	kbs_article_free(h);
}
END_TEST

/* The title's "..." came through the site's typography as U+2026. */
START_TEST(archive_title_ellipsis)
{
	kbs_article *h = parse_bundled_html("Q93128");
	ck_assert_str_eq(h->title,
	                 "Err Msg: \"WinPrint Manager Printer Error...\" (WinJet)");
	kbs_article_free(h);
	h = parse_bundled_html("Q157106");
	ck_assert_str_eq(h->title, "WD97: ErrMsg: Word Could Not Open "
	                 "<File Name.doc> as a Data ...");
	kbs_article_free(h);
}
END_TEST

/* ------------------------------------------------------------------ */
/* Ordinary support pages                                              */
/* ------------------------------------------------------------------ */

static const char support_page[] =
	"<!DOCTYPE html>\n"
	"<html><head>\n"
	"<title>Terminal Server licensing &amp; &quot;grace&quot; periods</title>\n"
	"<style>body { color: red } .Symptoms { }</style>\n"
	"<script>var s = \"<h2>Injected</h2> Event ID: 999 0x80004005\";</script>\n"
	"</head><body>\n"
	"<nav><a href=\"/\">Home</a> <a href=\"/kb/Q111111\">Q111111</a></nav>\n"
	"<header><h1>Support site</h1></header>\n"
	"<h1>Licensing &#8217;grace&#8217; period expired</h1>\n"
	"<p>This   article\n  applies to\tTerminal Server. See\n"
	"<a href=\"https://support.example.com/kb/Q187614\">Q187614</a>.</p>\n"
	"<h2>Symptoms</h2>\n"
	"<p>Clients are refused and the following event is logged:</p>\n"
	"<table>\n"
	"<tr><td>Event ID:</td><td>1011</td></tr>\n"
	"<tr><td>Source:</td><td>TermService</td></tr>\n"
	"<tr><td>Type:</td><td>Warning</td></tr>\n"
	"<tr><td>Description:</td><td>The terminal services licensing grace "
	"period is about to expire.</td></tr>\n"
	"</table>\n"
	"<h3>Clients</h3>\n"
	"<ul><li>Windows 2000 clients</li><li>Windows <b>NT 4.0</b> clients"
	"<ol><li>with SP6</li><li>without</li></ol></li></ul>\n"
	"<h2>Cause</h2>\n"
	"<p>The license server cannot be found (error 0x80070005).</p>\n"
	"<h2>Resolution</h2>\n"
	"<p>Install the update. It contains these files:</p>\n"
	"<table><tr><th>Date</th><th>Time</th><th>Version</th><th>Size</th>"
	"<th>File name</th></tr>\n"
	"<tr><td>06/05/2001</td><td>14:56</td><td>5.0.2195.3649</td>"
	"<td>60,176</td><td>Lserver.exe</td></tr></table>\n"
	"<p>Then set HKEY_LOCAL_MACHINE\\SYSTEM\\CurrentControlSet\\Services"
	"\\TermService.</p>\n"
	"<pre>\nC:\\&gt; net stop termservice\n    indented  twice\n</pre>\n"
	"<form><input name=q><button>Search</button> form text</form>\n"
	"<noscript>enable scripts</noscript>\n"
	"<footer>Contact us | Privacy</footer>\n"
	"<script>ga('send', 'pageview');</script>\n"
	"</body></html>\n";

static const kbs_section *
section(const kbs_article *a, const char *heading)
{
	const kbs_section *sec = kbs_test_section(a, heading);
	ck_assert_msg(sec != NULL, "no section \"%s\"", heading);
	return sec;
}

START_TEST(ordinary_structure)
{
	kbs_article *a = parse_html_str(support_page);
	ck_assert_str_eq(a->format, "html");
	ck_assert_str_eq(a->title,
	                 "Terminal Server licensing & \"grace\" periods");
	ck_assert_ptr_null(a->kb_id);   /* links to others are not its id */
	ck_assert_ptr_eq(a->text, strstr(a->text, "<!DOCTYPE html>"));

	ck_assert_uint_eq(a->nsections, 5);
	ck_assert_str_eq(a->sections[0].heading,
	                 "Licensing \xE2\x80\x99grace\xE2\x80\x99 period expired");
	ck_assert_int_eq(a->sections[0].level, 1);
	ck_assert_str_eq(a->sections[0].text, "This article applies to "
	                 "Terminal Server. See Q187614.");
	ck_assert_int_eq(section(a, "Clients")->level, 3);
	ck_assert_str_eq(section(a, "Clients")->text,
	                 "  - Windows 2000 clients\n"
	                 "  - Windows NT 4.0 clients\n"
	                 "    1. with SP6\n"
	                 "    2. without");
	ck_assert_str_eq(section(a, "Cause")->text,
	                 "The license server cannot be found (error "
	                 "0x80070005).");
	const char *res = section(a, "Resolution")->text;
	ck_assert_msg(strstr(res, "Date\tTime\tVersion\tSize\tFile name\n"
	                     "06/05/2001\t14:56\t5.0.2195.3649\t60,176\t"
	                     "Lserver.exe\n") != NULL, "table: %s", res);
	ck_assert_msg(strstr(res, "\n\nC:\\> net stop termservice\n"
	                     "    indented  twice") != NULL, "pre: %s", res);

	/* columns as in kbtxt.c; the subsection stays under Symptoms */
	ck_assert_ptr_nonnull(strstr(a->symptoms, "Windows 2000 clients"));
	ck_assert_ptr_nonnull(strstr(a->cause, "license server"));
	ck_assert_ptr_nonnull(strstr(a->resolution, "Lserver.exe"));
	ck_assert_ptr_nonnull(strstr(a->body, "applies to Terminal Server"));
	ck_assert_ptr_null(strstr(a->body, "Lserver.exe"));
	kbs_article_free(a);
}
END_TEST

START_TEST(ordinary_skipped_content)
{
	static const char *const gone[] = {
		"color: red", "Injected", "999", "80004005", "Home", "Support site",
		"Q111111", "form text", "Search", "enable scripts", "Privacy",
		"pageview",
	};
	kbs_article *a = parse_html_str(support_page);
	for (size_t k = 0; k < sizeof gone / sizeof gone[0]; k++) {
		const char *cols[] = { a->title, a->symptoms, a->cause,
		                       a->resolution, a->body, a->messages_text };
		for (size_t c = 0; c < sizeof cols / sizeof cols[0]; c++)
			ck_assert_msg(cols[c] == NULL || strstr(cols[c], gone[k]) == NULL,
			              "column %zu holds \"%s\"", c, gone[k]);
		for (size_t i = 0; i < a->nsections; i++)
			ck_assert_msg(strstr(a->sections[i].heading, gone[k]) == NULL &&
			              strstr(a->sections[i].text, gone[k]) == NULL,
			              "section %zu holds \"%s\"", i, gone[k]);
	}
	ck_assert_uint_eq(a->ncodes, 1);
	ck_assert_uint_eq(a->codes[0].value, 0x80070005u);
	for (size_t i = 0; i < a->nevents; i++)
		ck_assert_int_ne(a->events[i].id, 999);
	kbs_article_free(a);
}
END_TEST

START_TEST(ordinary_records)
{
	kbs_article *a = parse_html_str(support_page);
	/* the event block in a table */
	ck_assert_uint_eq(a->nevents, 1);
	ck_assert_int_eq(a->events[0].id, 1011);
	ck_assert_str_eq(a->events[0].source, "TermService");
	ck_assert_str_eq(a->events[0].type, "Warning");
	ck_assert_str_eq(a->events[0].description, "The terminal services "
	                 "licensing grace period is about to expire.");
	/* the file-version table */
	ck_assert_uint_eq(a->nfiles, 1);
	ck_assert_str_eq(a->files[0].name, "Lserver.exe");
	ck_assert_str_eq(a->files[0].version, "5.0.2195.3649");
	ck_assert_str_eq(a->files[0].date, "2001-06-05");
	ck_assert(a->files[0].size == 60176);
	ck_assert_uint_eq(a->nrefs, 1);
	ck_assert_str_eq(a->refs[0], "Q187614");
	ck_assert_uint_eq(a->nregistry, 1);
	ck_assert_ptr_nonnull(strstr(a->registry[0], "TermService"));
	kbs_article_free(a);
}
END_TEST

START_TEST(ordinary_message_in_blockquote)
{
	kbs_article *a = parse_html_str(
		"<html><body><h2>Symptoms</h2>"
		"<p>When you connect, you receive the following error message:</p>"
		"<blockquote>The remote computer disconnected the session because "
		"of an error in the licensing protocol.</blockquote>"
		"<p>More text.</p></body></html>");
	ck_assert_uint_eq(a->nmessages, 1);
	ck_assert_str_eq(a->messages[0], "The remote computer disconnected the "
	                 "session because of an error in the licensing "
	                 "protocol.");
	ck_assert_ptr_null(a->title);
	kbs_article_free(a);
}
END_TEST

/* Its own id from the permalink or the title; never from a link. */
START_TEST(ordinary_kb_ids)
{
	static const struct { const char *page, *id, *title; } cases[] = {
		{ "<html><head><title>About licensing</title><link rel=\"canonical\" "
		  "href=\"http://jeffpar.github.io/kbarchive/kb/294/Q294326/\">"
		  "</head><body><p>x</p></body></html>", "Q294326", "About licensing" },
		{ "<html><head><meta property=\"og:url\" content=\"https://support."
		  "microsoft.com/kb/187614\"></head><body><h1>Title from h1</h1>"
		  "</body></html>", "Q187614", "Title from h1" },
		{ "<html><head><title>Q140957: XADM: Event 9405</title></head>"
		  "<body><p>y</p></body></html>", "Q140957", "XADM: Event 9405" },
		{ "<html><head><link rel=\"stylesheet canonical\" "
		  "href=\"/help/KB250000.html\"></head><body><p>z</p></body></html>",
		  "Q250000", NULL },
		{ "<html><head><link rel=\"canonical\" href=\"https://example.com/"
		  "blog/2001/05/printing\"><title>Printing</title></head><body>"
		  "<p>See <a href=\"/kb/Q123456/\">Q123456</a> and "
		  "<a rel=\"canonical\" href=\"/kb/Q654321\">it</a>.</p>"
		  "</body></html>", NULL, "Printing" },
	};
	for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
		kbs_article *a = parse_html_str(cases[k].page);
		ck_assert_msg(str_eq(a->kb_id, cases[k].id), "case %zu: %s", k,
		              a->kb_id ? a->kb_id : "(null)");
		ck_assert_msg(str_eq(a->title, cases[k].title), "case %zu: %s", k,
		              a->title ? a->title : "(null)");
		kbs_article_free(a);
	}
}
END_TEST

START_TEST(sniffing)
{
	static const char *const no[] = {
		"", "   ", "Q123456: plain text <html>", "# Markdown <body>",
		"---\ntitle: x\n---\n<html>", "<htmlish>", "<!-- unclosed <html>",
		"DOCUMENT:Q1  01-JAN-2001\n", "<div>fragment</div>",
		"<?xml version=\"1.0\"?><root/>",
	};
	static const char *const yes[] = {
		"<!DOCTYPE html><p>x", "<!doctype HTML PUBLIC \"-//W3C//DTD HTML"
		" 4.01//EN\"><p>x", "\xEF\xBB\xBF \n<HTML>x", "<head><title>t",
		"<!-- generated --> <!-- twice -->\n<body>x", "<html\n lang=en>x",
		"<?xml version=\"1.0\"?>\n<html>x",
	};
	for (size_t k = 0; k < sizeof no / sizeof no[0]; k++) {
		kbs_article *a = parse_html_text(no[k], strlen(no[k]), KBS_PARSE);
		ck_assert_ptr_null(a->format);
		kbs_article_free(a);
	}
	for (size_t k = 0; k < sizeof yes / sizeof yes[0]; k++) {
		kbs_article *a = parse_html_text(yes[k], strlen(yes[k]), KBS_OK);
		ck_assert_str_eq(a->format, "html");
		kbs_article_free(a);
	}
	/* the dispatcher: HTML before plain text */
	kbs_article *a = kbs__article_new();
	ck_assert_int_eq(kbs__parse(a, support_page, strlen(support_page)),
	                 KBS_OK);
	ck_assert_str_eq(a->format, "html");
	kbs_article_free(a);
}
END_TEST

/* ------------------------------------------------------------------ */
/* Hostile input                                                       */
/* ------------------------------------------------------------------ */

static char *
repeat(const char *head, const char *unit, size_t times, const char *tail,
       size_t *len)
{
	size_t hl = strlen(head), ul = strlen(unit), tl = strlen(tail);
	char *s = malloc(hl + ul * times + tl + 1);
	ck_assert_ptr_nonnull(s);
	memcpy(s, head, hl);
	for (size_t i = 0; i < times; i++)
		memcpy(s + hl + i * ul, unit, ul);
	memcpy(s + hl + ul * times, tail, tl + 1);
	*len = hl + ul * times + tl;
	return s;
}

START_TEST(hostile_deep_nesting)
{
	static const char *const units[] = {
		"<div>", "<ul><li>", "<blockquote>", "<ol><li><p>",
		"<table><tr><td>", "<h2><span>", "<pre><b>",
	};
	for (size_t k = 0; k < sizeof units / sizeof units[0]; k++) {
		size_t len;
		char *s = repeat("<html><body><title>Deep</title>", units[k],
		                 100000, "deep text Event ID: 4321</body></html>",
		                 &len);
		kbs_article *a = parse_html_text(s, len, KBS_OK);
		ck_assert_str_eq(a->format, "html");
		bool found = false;
		for (size_t i = 0; i < a->nsections; i++)
			if (strstr(a->sections[i].text, "deep text") ||
			    strstr(a->sections[i].heading, "deep text"))
				found = true;
		ck_assert_msg(found, "unit %s: text lost", units[k]);
		kbs_article_free(a);
		free(s);
	}
}
END_TEST

START_TEST(hostile_tag_soup)
{
	static const char *const bits[] = {
		"<p>", "<b>", "<i>", "</div>", "<table>", "<td>", "</span>", "<li>",
		"word ", "<a href='x", ">", "</p>", "<h1>", "&amp", "&#", "<pre>",
		"</h1>", "<script>", "</tr>", "<ol>", "\"", "<!DOCTYPE", "</",
		"<title>", "<blockquote>", "</pre>", "<br/>", "Event ID: 7",
	};
	char *s = malloc(1 << 20);
	ck_assert_ptr_nonnull(s);
	size_t n = 0;
	memcpy(s, "<html><body>", 12);
	n = 12;
	unsigned seed = 12345;
	while (n < (1 << 20) - 32) {
		seed = seed * 1103515245u + 12345u;
		const char *b = bits[(seed >> 16) % (sizeof bits / sizeof bits[0])];
		memcpy(s + n, b, strlen(b));
		n += strlen(b);
	}
	s[n] = '\0';
	kbs_article *a = parse_html_text(s, n, KBS_OK);
	ck_assert_str_eq(a->format, "html");
	kbs_article_free(a);
	free(s);
}
END_TEST

START_TEST(hostile_minimal_pages)
{
	static const char *const pages[] = {
		"<html>", "<html></html>", "<html><body></body></html>",
		"<!DOCTYPE html>", "<html><head><title></title></head>",
		"<html><body><h1></h1><h2>  </h2><table><tr><td></table>",
		"<html><body><pre></pre><pre>\n</pre>",
	};
	for (size_t k = 0; k < sizeof pages / sizeof pages[0]; k++) {
		kbs_article *a = parse_html_text(pages[k], strlen(pages[k]), KBS_OK);
		ck_assert_str_eq(a->format, "html");
		ck_assert_ptr_null(a->title);
		ck_assert_ptr_null(a->kb_id);
		ck_assert_uint_eq(a->nsections, 0);
		ck_assert_ptr_null(a->body);
		kbs_article_free(a);
	}
}
END_TEST

START_TEST(hostile_binary)
{
	char s[4096];
	size_t n = 0;
	const char *head = "<html><body><p>before the junk</p><p>";
	memcpy(s, head, strlen(head));
	n = strlen(head);
	unsigned seed = 7;
	for (int i = 0; i < 2000; i++) {
		seed = seed * 1103515245u + 12345u;
		s[n++] = (char)(seed >> 16);
	}
	s[n++] = '\0';
	s[n++] = '\xff';
	const char *tail = "</p><p>after the junk</p></body></html>";
	memcpy(s + n, tail, strlen(tail) + 1);
	n += strlen(tail);
	kbs_article *a = parse_html_text(s, n, KBS_OK);
	ck_assert_str_eq(a->format, "html");
	ck_assert_ptr_nonnull(a->body);
	ck_assert_ptr_nonnull(strstr(a->body, "before the junk"));
	ck_assert_uint_eq(strlen(a->text), strlen(s));   /* up to the NUL */
	kbs_article_free(a);

	/* a NUL right in the markup does not end the page */
	static const char nul[] = "<html><body><div>a</span>b</div>\0<p>after "
	                          "the NUL</p></body></html>";
	a = parse_html_text(nul, sizeof nul - 1, KBS_OK);
	ck_assert_ptr_nonnull(strstr(a->body, "after the NUL"));
	kbs_article_free(a);
}
END_TEST

START_TEST(hostile_large_page)
{
	size_t len;
	/* 16 MB of paragraphs, then one 2 MB <pre> */
	char *s = repeat("<!DOCTYPE html><html><head><title>Big</title></head>"
	                 "<body><h1>Big</h1>",
	                 "<p>The quick brown fox jumps over the lazy dog.</p>\n",
	                 16u * 1024 * 1024 / 50, "<h2>End</h2><p>last words</p>"
	                 "</body></html>", &len);
	kbs_article *a = parse_html_text(s, len, KBS_OK);
	ck_assert_str_eq(a->title, "Big");
	ck_assert_str_eq(section(a, "End")->text, "last words");
	ck_assert_uint_gt(strlen(section(a, "Big")->text), 14u * 1024 * 1024);
	kbs_article_free(a);
	free(s);

	s = repeat("<html><body><pre>", "0123456789abcdef\n", 16u * 1024 * 1024 / 17,
	           "last line</pre></body></html>", &len);
	a = parse_html_text(s, len, KBS_OK);
	ck_assert_uint_eq(a->nsections, 1);
	const char *t = a->sections[0].text;
	ck_assert_uint_gt(strlen(t), 15u * 1024 * 1024);
	ck_assert_str_eq(t + strlen(t) - 9, "last line");
	kbs_article_free(a);
	free(s);
}
END_TEST

/* libxml2's complaints reach neither stderr nor a handler the embedding
 * program set for its own use of libxml2. */
static int global_errors;

static void
count_error(void *ctx, xmlErrorPtr err)
{
	(void)ctx;
	(void)err;
	global_errors++;
}

START_TEST(silent_errors)
{
	static const char soup[] = "<html><body><p>a<b>b</p></i><table><td>x"
	                           "</span><a href='x>y&bogus;<\x01></body>"
	                           "<p>\xff\xfe</p>";
	char path[] = "/tmp/kbs_html_stderr_XXXXXX";
	int fd = mkstemp(path);
	ck_assert_int_ge(fd, 0);
	fflush(stderr);
	int saved = dup(2);
	dup2(fd, 2);
	xmlSetStructuredErrorFunc(NULL, count_error);
	kbs_article *a = parse_html_text(soup, sizeof soup - 1, KBS_OK);
	xmlSetStructuredErrorFunc(NULL, NULL);
	fflush(stderr);
	dup2(saved, 2);
	close(saved);
	off_t size = lseek(fd, 0, SEEK_END);
	close(fd);
	unlink(path);
	ck_assert_int_eq(size, 0);
	ck_assert_int_eq(global_errors, 0);
	kbs_article_free(a);
}
END_TEST

Suite *
suite_html(void)
{
	Suite *s = suite_create("html");
	TCase *tc = tcase_create("archive");
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, archive_pages_all);
	tcase_add_test(tc, archive_page_dispatch_and_reparse);
	tcase_add_loop_test(tc, archive_pages_match_txt, 0,
	                    sizeof both / sizeof both[0]);
	tcase_add_test(tc, archive_title_ellipsis);
	suite_add_tcase(s, tc);

	tc = tcase_create("ordinary");
	tcase_add_test(tc, ordinary_structure);
	tcase_add_test(tc, ordinary_skipped_content);
	tcase_add_test(tc, ordinary_records);
	tcase_add_test(tc, ordinary_message_in_blockquote);
	tcase_add_test(tc, ordinary_kb_ids);
	tcase_add_test(tc, sniffing);
	suite_add_tcase(s, tc);

	tc = tcase_create("hostile");
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, hostile_deep_nesting);
	tcase_add_test(tc, hostile_tag_soup);
	tcase_add_test(tc, hostile_minimal_pages);
	tcase_add_test(tc, hostile_binary);
	tcase_add_test(tc, hostile_large_page);
	tcase_add_test(tc, silent_errors);
	suite_add_tcase(s, tc);
	return s;
}
