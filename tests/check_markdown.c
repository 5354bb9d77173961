/*
 * check_markdown.c - the Markdown parser (KB archive pages and blog posts
 * with YAML front matter), scraped web text through the plain parser, and
 * registry paths, on the bundled corpus and on hand-made hostile input.
 * The fifteen articles present as both .TXT and .md must parse to the
 * same records either way.
 */
#include "tests.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* rel parsed with kbs__parse_markdown(); ck_asserts KBS_OK. */
static kbs_article *
parse_md(const char *rel)
{
	size_t len;
	char *text = kbs_test_read_bundled(rel, &len);
	kbs_article *a = kbs__article_new();
	ck_assert_ptr_nonnull(a);
	kbs_status rc = kbs__parse_markdown(a, text, len);
	ck_assert_msg(rc == KBS_OK, "%s: %s", rel, kbs_status_str(rc));
	free(text);
	return a;
}

/* rel parsed through the dispatcher, as the indexer does. */
static kbs_article *
parse_any(const char *rel)
{
	size_t len;
	char *text = kbs_test_read_bundled(rel, &len);
	kbs_article *a = kbs__article_new();
	ck_assert_ptr_nonnull(a);
	kbs_status rc = kbs__parse(a, text, len);
	ck_assert_msg(rc == KBS_OK, "%s: %s", rel, kbs_status_str(rc));
	free(text);
	return a;
}

static kbs_status
parse_md_str(kbs_article **out, const char *text)
{
	*out = kbs__article_new();
	ck_assert_ptr_nonnull(*out);
	return kbs__parse_markdown(*out, text, strlen(text));
}

static const kbs_file *
file(const kbs_article *a, const char *name, const char *platform)
{
	for (size_t i = 0; i < a->nfiles; i++)
		if (strcmp(a->files[i].name, name) == 0 &&
		    (platform == NULL || (a->files[i].platform != NULL &&
		                          strcmp(a->files[i].platform,
		                                 platform) == 0)))
			return &a->files[i];
	return NULL;
}

static const char *
field(const kbs_article *a, const char *key)
{
	for (size_t i = 0; i < a->nfooter; i++)
		if (strcmp(a->footer[i].key, key) == 0)
			return a->footer[i].value;
	return NULL;
}

/* ---- every KB archive page of the bundled corpus -------------------- */

START_TEST(every_md_file_is_kb_md)
{
	char dir[4096];
	snprintf(dir, sizeof dir, "%s/md", kbs_test_bundled_dir());
	DIR *d = opendir(dir);
	ck_assert_msg(d != NULL, "cannot open %s", dir);
	struct dirent *e;
	int n = 0;
	while ((e = readdir(d)) != NULL) {
		size_t nl = strlen(e->d_name);
		if (nl < 4 || strcmp(e->d_name + nl - 3, ".md") != 0)
			continue;
		char rel[512], id[64];
		snprintf(rel, sizeof rel, "md/%s", e->d_name);
		snprintf(id, sizeof id, "%.*s", (int)(nl - 3), e->d_name);
		kbs_article *a = parse_md(rel);
		ck_assert_str_eq(a->format, "kb-md");
		ck_assert_msg(a->kb_id != NULL && strcmp(a->kb_id, id) == 0,
		              "%s: kb_id %s", rel, a->kb_id);
		ck_assert_msg(a->title != NULL && a->title[0] != '\0',
		              "%s: no title", rel);
		ck_assert_msg(strstr(a->title, "&quot;") == NULL &&
		              strstr(a->title, "&amp;") == NULL &&
		              strncmp(a->title, id, strlen(id)) != 0,
		              "%s: title %s", rel, a->title);
		ck_assert_msg(a->nsections > 1, "%s: %zu sections", rel,
		              a->nsections);
		ck_assert_ptr_nonnull(a->date);
		ck_assert_ptr_nonnull(a->text);
		ck_assert_ptr_nonnull(strstr(a->text, "{% raw %}"));
		kbs_article_free(a);
		/* the dispatcher picks the same parser */
		a = parse_any(rel);
		ck_assert_str_eq(a->format, "kb-md");
		ck_assert_str_eq(a->kb_id, id);
		kbs_article_free(a);
		n++;
	}
	closedir(d);
	ck_assert_int_eq(n, 25);
}
END_TEST

/* ---- the same article as .TXT and as .md ----------------------------- */

/*
 * Section text as both renderings share it. The archive's Markdown drops
 * one leading space from every line of the article (" - Microsoft Word"
 * becomes "- Microsoft Word", "   Illegal Function Call" keeps two), so
 * the .TXT side loses one leading space per line; both lose the white
 * space at line ends.
 */
static char *
norm_text(const char *s, bool drop_space)
{
	size_t n = strlen(s);
	char *d = malloc(n + 1), *o = d;
	ck_assert_ptr_nonnull(d);
	while (*s != '\0') {
		const char *nl = strchr(s, '\n');
		size_t ln = nl ? (size_t)(nl - s) : strlen(s);
		const char *b = s;
		if (drop_space && ln > 0 && *b == ' ') {
			b++;
			ln--;
		}
		while (ln > 0 && (b[ln - 1] == ' ' || b[ln - 1] == '\t' ||
		                  b[ln - 1] == '\r'))
			ln--;
		memcpy(o, b, ln);
		o += ln;
		if (nl != NULL)
			*o++ = '\n';
		s = nl ? nl + 1 : s + strlen(s);
	}
	*o = '\0';
	return d;
}

static void
assert_same_str(const char *what, const char *id, const char *t,
                const char *m)
{
	ck_assert_msg((t == NULL) == (m == NULL) &&
	              (t == NULL || strcmp(t, m) == 0),
	              "%s %s: txt \"%s\" md \"%s\"", id, what,
	              t ? t : "(null)", m ? m : "(null)");
}

static void
assert_same_list(const char *what, const char *id, const char *const *t,
                 size_t nt, const char *const *m, size_t nm)
{
	ck_assert_msg(nt == nm, "%s %s: %zu in txt, %zu in md", id, what,
	              nt, nm);
	for (size_t i = 0; i < nt; i++)
		assert_same_str(what, id, t[i], m[i]);
}

static const char *const both[] = {
	"Q93907", "Q93128", "Q88868", "Q108918", "Q141077", "Q32539",
	"Q37507", "Q94695", "Q99812", "Q89156", "Q95716", "Q103032",
	"Q142670", "Q78073", "Q139849",
};

START_TEST(md_equals_txt)
{
	const char *id = both[_i];
	char rel[64];
	snprintf(rel, sizeof rel, "txt/%s.TXT", id);
	kbs_article *t = kbs_test_parse_kbtxt(rel);
	snprintf(rel, sizeof rel, "md/%s.md", id);
	kbs_article *m = parse_md(rel);

	assert_same_str("kb_id", id, t->kb_id, m->kb_id);
	ck_assert_str_eq(m->kb_id, id);
	assert_same_str("title", id, t->title, m->title);
	assert_same_str("date", id, t->date, m->date);
	assert_same_str("product line", id, t->product_line, m->product_line);

	ck_assert_msg(t->nproducts == m->nproducts, "%s products", id);
	for (size_t i = 0; i < t->nproducts; i++) {
		assert_same_str("product", id, t->products[i].name,
		                m->products[i].name);
		assert_same_str("product version", id, t->products[i].version,
		                m->products[i].version);
	}
	ck_assert_msg(t->nsections == m->nsections, "%s: %zu sections in txt, "
	              "%zu in md", id, t->nsections, m->nsections);
	for (size_t i = 0; i < t->nsections; i++) {
		const kbs_section *ts = &t->sections[i], *ms = &m->sections[i];
		assert_same_str("heading", id, ts->heading, ms->heading);
		ck_assert_int_eq(ts->level, ms->level);
		char *tt = norm_text(ts->text, true);
		char *mt = norm_text(ms->text, false);
		assert_same_str(ts->heading, id, tt, mt);
		free(tt);
		free(mt);
	}
	ck_assert_msg(t->nevents == m->nevents, "%s events", id);
	for (size_t i = 0; i < t->nevents; i++) {
		ck_assert_int_eq(t->events[i].id, m->events[i].id);
		assert_same_str("event source", id, t->events[i].source,
		                m->events[i].source);
		assert_same_str("event type", id, t->events[i].type,
		                m->events[i].type);
		assert_same_str("event description", id,
		                t->events[i].description,
		                m->events[i].description);
	}
	ck_assert_msg(t->ncodes == m->ncodes, "%s codes", id);
	for (size_t i = 0; i < t->ncodes; i++) {
		ck_assert_uint_eq(t->codes[i].value, m->codes[i].value);
		assert_same_str("code", id, t->codes[i].text, m->codes[i].text);
	}
	ck_assert_msg(t->nfiles == m->nfiles, "%s files", id);
	for (size_t i = 0; i < t->nfiles; i++) {
		const kbs_file *tf = &t->files[i], *mf = &m->files[i];
		assert_same_str("file", id, tf->name, mf->name);
		assert_same_str("file version", id, tf->version, mf->version);
		assert_same_str("file date", id, tf->date, mf->date);
		assert_same_str("file time", id, tf->time, mf->time);
		assert_same_str("file platform", id, tf->platform, mf->platform);
		ck_assert_int_eq(tf->size, mf->size);
	}
	assert_same_list("refs", id, t->refs, t->nrefs, m->refs, m->nrefs);
	assert_same_list("messages", id, t->messages, t->nmessages,
	                 m->messages, m->nmessages);
	assert_same_list("registry", id, t->registry, t->nregistry,
	                 m->registry, m->nregistry);
	kbs_article_free(t);
	kbs_article_free(m);
}
END_TEST

/* ---- KB archive pages with their fields ------------------------------ */

START_TEST(md_q93128_entities_products_message)
{
	kbs_article *a = parse_md("md/Q93128.md");
	ck_assert_str_eq(a->title,
		"Err Msg: \"WinPrint Manager Printer Error...\" (WinJet)");
	ck_assert_str_eq(a->date, "2001-05-27");
	ck_assert_str_eq(a->product_line, "Microsoft Windows Printing Issues");
	ck_assert_uint_eq(a->nproducts, 5);
	ck_assert_str_eq(a->products[0].name, "Microsoft Windows");
	ck_assert_str_eq(a->products[0].version, "3.0");
	ck_assert_str_eq(a->products[4].name, "MS-DOS");
	ck_assert_ptr_nonnull(kbs_test_section(a, "SYMPTOMS"));
	ck_assert_int_eq(kbs_test_section(a, "WinJet 300")->level, 2);
	ck_assert(kbs_test_in_list(a->messages, a->nmessages,
		"WinPrint Manager Printer Error: VPD cannot register frame buffer"));
	ck_assert_str_eq(a->format, "kb-md");
	kbs_article_free(a);
}
END_TEST

START_TEST(md_q99812_amp_q89156_code_q139849_ref)
{
	kbs_article *a = parse_md("md/Q99812.md");
	ck_assert_str_eq(a->title,
		"BUG: GP Fault with Visual Basic DDE Sample & Word for Windows");
	ck_assert_ptr_nonnull(kbs_test_section(a, "Steps to Reproduce Problem"));
	kbs_article_free(a);
	a = parse_md("md/Q89156.md");
	ck_assert_str_eq(kbs_test_code(a, 1705)->text, "1705");
	kbs_article_free(a);
	a = parse_md("md/Q139849.md");
	ck_assert(kbs_test_in_list(a->refs, a->nrefs, "Q133217"));
	ck_assert(!kbs_test_in_list(a->refs, a->nrefs, "Q139849"));
	kbs_article_free(a);
}
END_TEST

START_TEST(md_only_pages)
{
	kbs_article *a = parse_md("md/Q146922.md");
	ck_assert_str_eq(a->title,
		"WD97: Selecting Multiple File Names Gives Run-time Error 5174");
	ck_assert_str_eq(a->date, "2002-07-08");
	ck_assert_str_eq(kbs_test_code(a, 5174)->text, "5174");
	ck_assert(kbs_test_in_list(a->messages, a->nmessages, "Run-time error '5174'"));
	ck_assert_str_eq(a->products[0].name, "Microsoft Word 97 for Windows");
	kbs_article_free(a);
	a = parse_md("md/Q122379.md");
	ck_assert_str_eq(a->title, "WD97: Error Saving Document: "
		"\"Network or File Permission Error\"");
	ck_assert(kbs_test_in_list(a->refs, a->nrefs, "Q171406"));
	ck_assert(kbs_test_in_list(a->refs, a->nrefs, "Q151261"));
	kbs_article_free(a);
	a = parse_md("md/Q32816.md");
	ck_assert_str_eq(a->title, "PRB: Causes of R6000 \"Stack Overflow\" Error");
	ck_assert_uint_eq(a->nproducts, 12);
	ck_assert(kbs_test_in_list(a->messages, a->nmessages, "R6000 Stack Overflow"));
	kbs_article_free(a);
}
END_TEST

START_TEST(md_text_reparses)
{
	/* `kbsearch show` parses the stored text again */
	kbs_article *a = parse_md("md/Q93907.md");
	kbs_article *b = kbs__article_new();
	ck_assert_int_eq(kbs__parse(b, a->text, strlen(a->text)), KBS_OK);
	ck_assert_str_eq(b->format, "kb-md");
	ck_assert_str_eq(b->kb_id, "Q93907");
	ck_assert_str_eq(b->title, a->title);
	ck_assert_uint_eq(b->nsections, a->nsections);
	kbs_article_free(a);
	kbs_article_free(b);
}
END_TEST

/* ---- the seeds ------------------------------------------------------- */

START_TEST(seed000_kb_md)
{
	kbs_article *a = parse_any("seeds/000_76cfab0fea077458.txt");
	ck_assert_str_eq(a->format, "kb-md");
	ck_assert_str_eq(a->kb_id, "Q294326");
	ck_assert_str_eq(a->title,
		"Event ID 1003: Terminal Service Client Has Provided an...");
	ck_assert_str_eq(a->date, "2002-05-08");
	const kbs_event *e = kbs_test_event(a, 1003);
	ck_assert_ptr_nonnull(e);
	ck_assert_str_eq(e->source, "TermService");
	ck_assert_str_eq(e->type, "Information");
	const kbs_file *f = file(a, "Icaapi.dll", NULL);
	ck_assert_ptr_nonnull(f);
	ck_assert_str_eq(f->date, "2001-04-26");
	ck_assert_str_eq(f->time, "16:45");
	ck_assert_int_eq(f->size, 62224);
	ck_assert_str_eq(f->platform, "Intel");
	ck_assert_ptr_nonnull(kbs_test_section(a, "RESOLUTION"));
	ck_assert_ptr_nonnull(a->resolution);
	kbs_article_free(a);
}
END_TEST

START_TEST(seed001_blog)
{
	kbs_article *a = parse_any("seeds/001_8487d562379b08c3.txt");
	ck_assert_str_eq(a->format, "md");
	ck_assert_ptr_null(a->kb_id);  /* links name other articles */
	ck_assert_str_eq(a->title, "Terminal Services Licensing");
	ck_assert_str_eq(a->date, "2000-07-23");
	ck_assert_str_eq(field(a, "Author"), "Snakefoot");
	ck_assert_str_eq(field(a, "Permalink"),
		"/article/winnt-services-termservlicensing.html");
	ck_assert_str_eq(field(a, "Categories"), "Services Guide");
	ck_assert_str_eq(field(a, "Tags"), "terminal-services");
	ck_assert_ptr_nonnull(strstr(a->keywords, "terminal-services"));

	static const char *const heads[] = {
		"Description", "Recommended State", "Default State",
		"Process Name", "Supports", "Depends",
	};
	ck_assert_uint_eq(a->nsections, 6);
	for (size_t i = 0; i < 6; i++)
		ck_assert_str_eq(a->sections[i].heading, heads[i]);
	ck_assert_str_eq(kbs_test_section(a, "Recommended State")->text, "- Disabled.");
	ck_assert_ptr_nonnull(strstr(kbs_test_section(a, "Process Name")->text,
	                             "LServer.exe"));
	ck_assert_ptr_nonnull(file(a, "LServer.exe", NULL));
	ck_assert_int_eq(file(a, "LServer.exe", NULL)->size, -1);
	/* the body is plain text: no Markdown marks, no URLs */
	ck_assert_ptr_nonnull(strstr(a->body, "Description\n\nThe Terminal"));
	ck_assert_ptr_null(strstr(a->body, "> "));
	ck_assert_ptr_null(strstr(a->body, "*Event"));
	ck_assert_ptr_null(strstr(a->body, "http:"));

	const kbs_event *e = kbs_test_event(a, 7024);
	ck_assert_ptr_nonnull(e);
	ck_assert_str_eq(e->description, "The Terminal Services Licensing "
		"service terminated with service-specific error 3221291009.");
	ck_assert_ptr_nonnull(kbs_test_event(a, 37));
	/* events in link titles belong to the linked articles */
	ck_assert_ptr_null(kbs_test_event(a, 43));
	ck_assert_ptr_null(kbs_test_event(a, 17));
	ck_assert_str_eq(kbs_test_code(a, 0xC0010001u)->text, "3221291009");
	ck_assert_str_eq(kbs_test_code(a, 0x80090016u)->text, "80090016");
	ck_assert_uint_eq(a->nrefs, 13);
	ck_assert(kbs_test_in_list(a->refs, a->nrefs, "Q232520"));
	ck_assert(kbs_test_in_list(a->refs, a->nrefs, "Q887443"));
	ck_assert(kbs_test_in_list(a->messages, a->nmessages, "Can't start Terminal "
		"Services Licensing because of error 'Can't initialize "
		"Cryptographic - error code 80090016.'"));
	kbs_article_free(a);
}
END_TEST

START_TEST(seed002_kb_md_without_raw)
{
	kbs_article *a = parse_any("seeds/002_51f93d724b128164.txt");
	ck_assert_str_eq(a->format, "kb-md");
	ck_assert_str_eq(a->kb_id, "Q238186");
	ck_assert_str_eq(a->title,
		"Simultaneous Terminal Server Client Logons May Not Connect");
	ck_assert_ptr_nonnull(kbs_test_event(a, 22));
	const kbs_file *f = file(a, "Termsrv.exe", "x86");
	ck_assert_ptr_nonnull(f);
	ck_assert_int_eq(f->size, 134928);
	ck_assert_str_eq(f->date, "1999-07-22");
	f = file(a, "Termsrv.exe", "Alpha");
	ck_assert_ptr_nonnull(f);
	ck_assert_int_eq(f->size, 242448);
	ck_assert_str_eq(f->time, "16:58");
	kbs_article_free(a);
}
END_TEST

START_TEST(seed003_scraped_web_text)
{
	kbs_article *a = parse_any("seeds/003_496a30f8ffb9ceb0.txt");
	ck_assert_str_eq(a->format, "plain");
	ck_assert_ptr_null(a->kb_id);
	ck_assert_str_eq(a->title, "Rds Cal License Registry Key");
	ck_assert_ptr_nonnull(kbs_test_event(a, 1003));
	ck_assert_uint_eq(a->nregistry, 1);
	ck_assert_str_eq(a->registry[0], "HKLM\\SYSTEM\\CurrentControlSet"
		"\\Control\\Terminal Server\\RCM\\SpecifiedLicenseServers");
	ck_assert(kbs_test_in_list(a->messages, a->nmessages,
		"The remote desktop client has provided an invalid license"));
	ck_assert(kbs_test_in_list(a->messages, a->nmessages,
		"License Server Not Available"));
	ck_assert_ptr_nonnull(strstr(a->messages_text, "invalid license"));
	kbs_article_free(a);
}
END_TEST

START_TEST(seed004_through_dispatcher)
{
	kbs_article *a = parse_any("seeds/004_8b6a572fc5bb9841.txt");
	ck_assert_str_eq(a->format, "kb-txt");
	ck_assert_str_eq(a->kb_id, "Q187087");
	ck_assert(kbs_test_in_list(a->messages, a->nmessages,
		"invalid key = missing module"));
	kbs_article_free(a);
}
END_TEST

/* ---- hand-made pages ------------------------------------------------- */

START_TEST(blog_ids_links_headings)
{
	kbs_article *a;
	/* an own id from a "Q123: " title; links are references only */
	ck_assert_int_eq(parse_md_str(&a,
		"---\ntitle: \"Q123456: Error &#39;x&#39; &lt;y&gt;\"\n"
		"date: 2003-01-02\ntags: [one, two]\n---\n"
		"# Symptoms\n\nSee [this](https://support.microsoft.com/"
		"default.aspx?scid=kb;en-us;Q234567) and\n"
		"[that](http://support.microsoft.com/?kbid=345678), "
		"[old](/kb/294/Q294326/).\n\n## Details\n\n"
		"    code block HKEY_CURRENT_USER\\Software\\Foo\n"), KBS_OK);
	ck_assert_str_eq(a->format, "md");
	ck_assert_str_eq(a->kb_id, "Q123456");
	ck_assert_str_eq(a->title, "Error 'x' <y>");
	ck_assert_str_eq(a->date, "2003-01-02");
	ck_assert_str_eq(a->keywords, "one two");
	ck_assert(kbs_test_in_list(a->refs, a->nrefs, "Q234567"));
	ck_assert(kbs_test_in_list(a->refs, a->nrefs, "Q345678"));
	ck_assert(kbs_test_in_list(a->refs, a->nrefs, "Q294326"));
	ck_assert(!kbs_test_in_list(a->refs, a->nrefs, "Q123456"));
	ck_assert_uint_eq(a->nsections, 2);
	ck_assert_str_eq(a->sections[0].heading, "Symptoms");
	ck_assert_int_eq(a->sections[0].level, 1);
	ck_assert_int_eq(a->sections[1].level, 2);
	ck_assert(kbs_test_in_list(a->registry, a->nregistry, "HKCU\\Software\\Foo"));
	kbs_article_free(a);

	/* no title in the front matter: the first heading; a permalink
	 * to a KB page gives the id */
	ck_assert_int_eq(parse_md_str(&a,
		"---\npermalink: /kb/238/Q238186/\nauthor: x\n---\n"
		"Intro text.\n\n### Heading *one*\n\ntext\n"), KBS_OK);
	ck_assert_str_eq(a->kb_id, "Q238186");
	ck_assert_str_eq(a->title, "Heading one");
	ck_assert_str_eq(a->sections[0].heading, "");
	ck_assert_str_eq(a->sections[0].text, "Intro text.");
	kbs_article_free(a);
}
END_TEST

START_TEST(hostile_front_matter)
{
	static const char *const bad[] = {
		"",
		"---",
		"---\n",
		"# Just Markdown\n\ntext\n",
		"---\ntitle: no closing line\n\n# Heading\n",
		"---\ntitle: [unclosed\n---\n# Heading\n",
		"---\n: : :\n  - ]\n---\ntext\n",
		"---\njust a scalar\n---\ntext\n",
		"---\n- a\n- b\n---\ntext\n",
		"---\ntitle: \"\xff\xfe bad utf-8\"\n---\ntext\n",
		"-----\ntitle: x\n-----\ntext\n",
		"---\ntitle: x\n---\n",   /* nothing to index but a title? */
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		kbs_article *a;
		kbs_status rc = parse_md_str(&a, bad[i]);
		if (i == sizeof bad / sizeof bad[0] - 1)
			ck_assert_int_eq(rc, KBS_OK);  /* a title is enough */
		else
			ck_assert_msg(rc == KBS_PARSE, "case %zu: %s", i,
			              kbs_status_str(rc));
		kbs_article_free(a);
		/* the dispatcher still indexes it, as plain text */
		a = kbs__article_new();
		rc = kbs__parse(a, bad[i], strlen(bad[i]));
		ck_assert(rc == KBS_OK || rc == KBS_PARSE);
		if (rc == KBS_OK && i > 0 && i < sizeof bad / sizeof bad[0] - 1)
			ck_assert_str_eq(a->format, "plain");
		kbs_article_free(a);
	}
}
END_TEST

START_TEST(hostile_yaml_bomb_and_nesting)
{
	/* a "billion laughs": the event API never expands aliases */
	kbs__buf b = { 0 };
	kbs__buf_puts(&b, "---\na: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n");
	for (int i = 0; i < 30; i++)
		kbs__buf_printf(&b, "%c: &%c [*%c,*%c,*%c,*%c,*%c,*%c,*%c,*%c]\n",
		                'b' + i % 24, 'b' + i % 24, 'a' + i % 24,
		                'a' + i % 24, 'a' + i % 24, 'a' + i % 24,
		                'a' + i % 24, 'a' + i % 24, 'a' + i % 24,
		                'a' + i % 24);
	kbs__buf_puts(&b, "title: *z\ntags: *y\n---\n# Boom\n\ntext\n");
	ck_assert(!b.oom);
	kbs_article *a;
	kbs_status rc = parse_md_str(&a, b.data);
	ck_assert(rc == KBS_OK || rc == KBS_PARSE);
	if (rc == KBS_OK)
		ck_assert_str_eq(a->title, "Boom");  /* the alias is no title */
	kbs_article_free(a);
	kbs__buf_free(&b);

	/* deep nesting and a front matter over the cap */
	kbs__buf_puts(&b, "---\nx: ");
	for (int i = 0; i < 50000; i++)
		kbs__buf_putc(&b, '[');
	kbs__buf_puts(&b, "\n---\ntext\n");
	ck_assert(!b.oom);
	rc = parse_md_str(&a, b.data);
	ck_assert_int_eq(rc, KBS_PARSE);
	kbs_article_free(a);
	kbs__buf_free(&b);

	/* many keys: the event cap stops the walk */
	kbs__buf_puts(&b, "---\n");
	for (int i = 0; i < 12000; i++)
		kbs__buf_printf(&b, "k%d: v\n", i);
	kbs__buf_puts(&b, "---\ntext\n");
	rc = parse_md_str(&a, b.data);
	ck_assert_int_eq(rc, KBS_PARSE);
	kbs_article_free(a);
	kbs__buf_free(&b);
}
END_TEST

START_TEST(hostile_markdown_body)
{
	/* unbalanced marks, an unclosed fence, raw HTML, a lone Article:
	 * block with no header after it */
	static const char *const odd[] = {
		"---\ntitle: t\n---\n```\nunclosed fence\n> > > *** ___ [x](\n",
		"---\ntitle: t\n---\n<div>raw <b>html</b></div>\n\n<!-- c -->\n",
		"---\ntitle: t\n---\n\tArticle: Q1\n",
		"---\ntitle: t\n---\n\tArticle:\n\n\tSYMPTOMS\n\t========\n",
		"---\ntitle: t\n---\n" "- a\n  - b\n    - c\n      > d\n",
	};
	for (size_t i = 0; i < sizeof odd / sizeof odd[0]; i++) {
		kbs_article *a;
		kbs_status rc = parse_md_str(&a, odd[i]);
		ck_assert_msg(rc == KBS_OK, "case %zu: %s", i,
		              kbs_status_str(rc));
		ck_assert_ptr_nonnull(a->title);
		kbs_article_free(a);
	}
}
END_TEST

/* ---- registry paths -------------------------------------------------- */

static kbs_article *
plain(const char *text)
{
	kbs_article *a = kbs__article_new();
	ck_assert_ptr_nonnull(a);
	ck_assert_int_eq(kbs__parse_plain(a, text, strlen(text)), KBS_OK);
	return a;
}

START_TEST(registry_roots_and_ends)
{
	static const struct { const char *text, *path; } cases[] = {
		{ "Open HKEY_LOCAL_MACHINE\\SYSTEM\\CurrentControlSet\\Control"
		  "\\Terminal Server key and set it.",
		  "HKLM\\SYSTEM\\CurrentControlSet\\Control\\Terminal Server" },
		{ "It is under HKLM\\SYSTEM\\CurrentControlSet\\Control\\Terminal "
		  "Server. Restart.",
		  "HKLM\\SYSTEM\\CurrentControlSet\\Control\\Terminal Server" },
		{ "Under HKLM\\SYSTEM\\CurrentControlSet\\Services\\Tcpip"
		  "\\Parameters Windows creates a value.",
		  "HKLM\\SYSTEM\\CurrentControlSet\\Services\\Tcpip\\Parameters" },
		{ "Set HKEY_CURRENT_USER\\Software\\Microsoft\\Windows NT"
		  "\\CurrentVersion\\Winlogon to 1.",
		  "HKCU\\Software\\Microsoft\\Windows NT\\CurrentVersion"
		  "\\Winlogon" },
		{ "Path: HKLM\\SYSTEM\\CurrentControlSet\\Control\\Terminal Server"
		  "\\RCM\\SpecifiedLicenseServers Value: \"LS1\"",
		  "HKLM\\SYSTEM\\CurrentControlSet\\Control\\Terminal Server\\RCM"
		  "\\SpecifiedLicenseServers" },
		{ "In HKEY_CLASSES_ROOT\\CLSID, find it.", "HKCR\\CLSID" },
		{ "HKEY_USERS\\.DEFAULT\\Keyboard Layout is there.",
		  "HKU\\.DEFAULT\\Keyboard Layout" },
		{ "See HKEY_CURRENT_CONFIG\\System\\CurrentControlSet",
		  "HKCC\\System\\CurrentControlSet" },
		{ "   HKEY_LOCAL_MACHINE SYSTEM\\CurrentControlSet\\Services"
		  "\\LanmanServer\\Parameters\n",
		  "HKLM\\SYSTEM\\CurrentControlSet\\Services\\LanmanServer"
		  "\\Parameters" },
		{ "   Hkey_local_machine\n     \\System\n       \\CurrentControlSet\n"
		  "         \\Services\n           \\SnaBase\n"
		  "             \\Parameters\n               \\TcpIp\n"
		  "                 \\HardClse\n",
		  "HKLM\\System\\CurrentControlSet\\Services\\SnaBase\\Parameters"
		  "\\TcpIp\\HardClse" },
		{ "HKEY_LOCAL_MACHINE/SOFTWARE/Microsoft/Foo",
		  "HKLM\\SOFTWARE\\Microsoft\\Foo" },
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		char text[1024];
		snprintf(text, sizeof text, "Title\n%s\n", cases[i].text);
		kbs_article *a = plain(text);
		ck_assert_msg(a->nregistry == 1 &&
		              strcmp(a->registry[0], cases[i].path) == 0,
		              "case %zu: %zu paths, first \"%s\"", i, a->nregistry,
		              a->nregistry > 0 ? a->registry[0] : "");
		kbs_article_free(a);
	}
	/* the root alone is no path */
	kbs_article *a = plain("Title\nThe HKEY_LOCAL_MACHINE hive is big.\n");
	ck_assert_uint_eq(a->nregistry, 0);
	kbs_article_free(a);
}
END_TEST

START_TEST(plain_title_decoration)
{
	kbs_article *a = plain("Some Page Title \xE2\x97\x8E\nbody\n");
	ck_assert_str_eq(a->title, "Some Page Title");
	kbs_article_free(a);
	a = plain("Title \xC2\xBB | \nbody\n");
	ck_assert_str_eq(a->title, "Title");
	kbs_article_free(a);
	a = plain("\xE2\x80\x9CQuoted\xE2\x80\x9D\nbody\n");
	ck_assert_str_eq(a->title, "\xE2\x80\x9CQuoted\xE2\x80\x9D");
	kbs_article_free(a);
	a = plain("\xE2\x97\x8E\nbody\n");   /* only decoration: kept */
	ck_assert_str_eq(a->title, "\xE2\x97\x8E");
	kbs_article_free(a);
}
END_TEST

Suite *
suite_markdown(void)
{
	Suite *s = suite_create("markdown");
	TCase *tc = tcase_create("corpus");
	tcase_add_test(tc, every_md_file_is_kb_md);
	tcase_add_loop_test(tc, md_equals_txt, 0,
	                    (int)(sizeof both / sizeof both[0]));
	tcase_add_test(tc, md_q93128_entities_products_message);
	tcase_add_test(tc, md_q99812_amp_q89156_code_q139849_ref);
	tcase_add_test(tc, md_only_pages);
	tcase_add_test(tc, md_text_reparses);
	tcase_add_test(tc, seed000_kb_md);
	tcase_add_test(tc, seed001_blog);
	tcase_add_test(tc, seed002_kb_md_without_raw);
	tcase_add_test(tc, seed003_scraped_web_text);
	tcase_add_test(tc, seed004_through_dispatcher);
	suite_add_tcase(s, tc);
	tc = tcase_create("edge");
	/* the hostile inputs take ~1 s, several under a sanitizer or load */
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, blog_ids_links_headings);
	tcase_add_test(tc, hostile_front_matter);
	tcase_add_test(tc, hostile_yaml_bomb_and_nesting);
	tcase_add_test(tc, hostile_markdown_body);
	tcase_add_test(tc, registry_roots_and_ends);
	tcase_add_test(tc, plain_title_decoration);
	suite_add_tcase(s, tc);
	return s;
}
