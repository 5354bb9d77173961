/*
 * check_indexer.c - charset decoding, one article from many files, and the
 * bad files a batch must survive, through the public API where a user
 * would see the difference.
 */
#include "tests.h"
#include "../indexer/indexer.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

static char tmpdir[256];
static kbs_db *db;

static void
setup(void)
{
	db = kbs_test_db_new(tmpdir, sizeof tmpdir);
}

static void
teardown(void)
{
	kbs_test_db_free(db, tmpdir);
	db = NULL;
}

static void
write_file(const char *path, const void *data, size_t len)
{
	FILE *f = fopen(path, "wb");
	ck_assert_msg(f != NULL, "%s: %s", path, strerror(errno));
	ck_assert_uint_eq(fwrite(data, 1, len, f), len);
	fclose(f);
}

/* "dir/name" under the test's directory, in a static buffer per slot. */
static const char *
tmp_path(int slot, const char *name)
{
	static char buf[8][512];
	snprintf(buf[slot], sizeof buf[slot], "%s/%s", tmpdir, name);
	return buf[slot];
}

/* Path of a bundled corpus file, in a static buffer per slot. */
static const char *
bundled(int slot, const char *rel)
{
	static char buf[8][4096];
	snprintf(buf[slot], sizeof buf[slot], "%s/%s", kbs_test_bundled_dir(),
	         rel);
	return buf[slot];
}

static kbs_index_stats
index_paths(const char *const *paths, size_t n, unsigned flags)
{
	return kbs_test_index(db, paths, n, flags);
}

typedef struct failures failures;
static int on_file(void *ud, const char *path, kbs_file_outcome outcome,
                   const char *reason, const kbs_index_stats *st);

static kbs_db_stats
stats(void)
{
	kbs_db_stats s = KBS_DB_STATS_INIT;
	ck_assert_int_eq(kbs_db_get_stats(&s, db), KBS_OK);
	return s;
}

/* Number of hits for paste whose KB id is kb_id. */
static int
hits_for(const char *paste, const char *kb_id)
{
	kbs_results *res = NULL;
	const kbs_hit *hit;
	kbs_search_options o = { .version = KBS_SEARCH_OPTIONS_VERSION,
	                         .limit = 50 };
	int n = 0;
	ck_assert_int_eq(kbs_search_text(&res, db, paste, strlen(paste), &o),
	                 KBS_OK);
	while (kbs_results_next(&hit, res) == KBS_OK)
		if (kbs_hit_get_kb_id(hit) != NULL &&
		    strcmp(kbs_hit_get_kb_id(hit), kb_id) == 0)
			n++;
	kbs_results_free(res);
	return n;
}

/* Does db's full-text index, as incremental runs left it, hold exactly
 * what a new index built from its content (the packed text that the
 * article_text view unpacks) holds? SQLite 3.40's 'integrity-check'
 * does not compare an external content table with the index, so the
 * index is built again beside it and their vocabularies compared (every
 * term, column, document and occurrence count). */
static bool
fts_consistent(kbs_db *d)
{
	sqlite3_stmt *st;
	ck_assert_int_eq(sqlite3_exec(d->sqlite,
	    "CREATE VIRTUAL TABLE chk USING fts5(title, symptoms, cause, "
	    "resolution, body, keywords, messages, content='article_text', "
	    "content_rowid='id', tokenize='porter unicode61');"
	    "INSERT INTO chk(chk) VALUES ('rebuild');"
	    "CREATE VIRTUAL TABLE chk_v USING fts5vocab(chk, 'col');"
	    "CREATE VIRTUAL TABLE main_v USING fts5vocab(article_fts, 'col');",
	    NULL, NULL, NULL), SQLITE_OK);
	ck_assert_int_eq(sqlite3_prepare_v2(d->sqlite, "SELECT (SELECT "
	    "count(*) FROM ("
	    "SELECT * FROM (SELECT * FROM chk_v EXCEPT SELECT * FROM main_v) "
	    "UNION ALL "
	    "SELECT * FROM (SELECT * FROM main_v EXCEPT SELECT * FROM chk_v))),"
	    " (SELECT count(*) FROM main_v)", -1, &st, NULL), SQLITE_OK);
	ck_assert_int_eq(sqlite3_step(st), SQLITE_ROW);
	long long diff = sqlite3_column_int64(st, 0);
	ck_assert_int_gt(sqlite3_column_int64(st, 1), 0);
	sqlite3_finalize(st);
	ck_assert_int_eq(sqlite3_exec(d->sqlite, "DROP TABLE chk_v; "
	    "DROP TABLE main_v; DROP TABLE chk", NULL, NULL, NULL), SQLITE_OK);
	return diff == 0;
}

/* ------------------------------------------------------------------ */
/* Decoding                                                            */
/* ------------------------------------------------------------------ */

static char *
decode(const char *raw, size_t len)
{
	char *out = NULL;
	size_t n = 0;
	const char *why = NULL;
	kbs_status rc = kbs__decode(&out, &n, raw, len, NULL, 0, &why);
	ck_assert_msg(rc == KBS_OK, "decode: %s", why ? why : "");
	ck_assert_uint_eq(strlen(out), n);
	return out;
}

START_TEST(test_decode_legacy_code_pages)
{
	/* An MS-DOS text: accented letters and box drawing of CP437. */
	const char cp437[] = "\xC9\xCD\xCD\xCD\xBB\nCaf\x82 r\x82sum\x82 "
	                     "\x84nderung M\x81ller\n\xC8\xCD\xCD\xCD\xBC\n";
	char *t = decode(cp437, sizeof cp437 - 1);
	ck_assert_ptr_nonnull(strstr(t, "Café résumé änderung Müller"));
	ck_assert_ptr_nonnull(strstr(t, "╔═══╗"));
	free(t);

	/* A Windows-1252 web scrape: curly apostrophe, accents, dash. */
	const char cp1252[] = "The server\x92s caf\xE9 \x96 na\xEFve "
	                      "\x93quoted\x94\r\n";
	t = decode(cp1252, sizeof cp1252 - 1);
	ck_assert_str_eq(t, "The server’s café – naïve “quoted”\n");
	free(t);

	/* UTF-16LE with BOM from a Windows tool, CRLF endings. */
	const char u16[] = "\xFF\xFE" "E\0v\0e\0n\0t\0 \0I\0D\0\r\0\n\0"
	                   "\xE9\0";
	t = decode(u16, sizeof u16 - 1);
	ck_assert_str_eq(t, "Event ID\né");
	free(t);

	/* UTF-8 with BOM stays as it is, without the BOM. */
	const char u8[] = "\xEF\xBB\xBF" "Gr\xC3\xBC\xC3\x9F" "e";
	t = decode(u8, sizeof u8 - 1);
	ck_assert_str_eq(t, "Grüße");
	free(t);
}
END_TEST

/* The bytes of tests/data/charset/NAME decoded; *cs receives the
 * charset read. Caller frees. */
static char *
decode_fixture(const char *name, char *cs, size_t cssz)
{
	char path[4096];
	size_t len, n;
	const char *why = NULL;
	char *out = NULL;
	snprintf(path, sizeof path, "%s/tests/data/charset/%s",
	         KBS_TOP_SRCDIR, name);
	char *raw = kbs_test_read_file(path, &len);
	ck_assert_ptr_nonnull(raw);
	ck_assert_int_eq(kbs__decode(&out, &n, raw, len, cs, cssz, &why),
	                 KBS_OK);
	free(raw);
	return out;
}

START_TEST(test_decode_archive_legacy_files)
{
	char cs[32];
	/* Windows-1252 no-break spaces: never CP437's "á" */
	char *t = decode_fixture("Q279217.TXT", cs, sizeof cs);
	ck_assert_str_eq(cs, "WINDOWS-1252");
	ck_assert_ptr_null(strstr(t, "á"));
	ck_assert_ptr_nonnull(strstr(t, "\u00A0\u00A0\u00A0\u00A0Q 274256"));
	free(t);
	/* a German message from an MS-DOS tool: code page 437 */
	t = decode_fixture("Q229148.TXT", cs, sizeof cs);
	ck_assert_str_eq(cs, "CP437");
	ck_assert_ptr_nonnull(strstr(t, "übermittelt"));
	free(t);
	/* pilcrows, not CP437 box drawing; not Central European either */
	t = decode_fixture("Q197198.TXT", cs, sizeof cs);
	ck_assert_str_eq(cs, "WINDOWS-1252");
	ck_assert_ptr_nonnull(strstr(t, "¶"));
	ck_assert_ptr_null(strstr(t, "╢"));
	free(t);
}
END_TEST

START_TEST(test_legacy_article_indexed_right)
{
	/* Indexed, the no-break spaces are separators, not letters: read as
	 * CP437 "\xA0\xA0\xA0\xA0Q" was the word "ááááq", indexed
	 * "aaaaq" (unicode61 folds diacritics); the charset is recorded. */
	char dir[4096];
	snprintf(dir, sizeof dir, "%s/tests/data/charset", KBS_TOP_SRCDIR);
	const char *d = dir;
	kbs_index_stats st = index_paths(&d, 1, 0);
	ck_assert_uint_eq(st.failed, 0);
	ck_assert_uint_eq(st.added, 3);
	kbs_article *a = NULL;
	ck_assert_int_eq(kbs_article_get(&a, db, "Q279217"), KBS_OK);
	ck_assert_ptr_null(strstr(kbs_article_get_text(a), "á"));
	kbs_article_free(a);
	long long n = -1;
	ck_assert_int_eq(kbs__db_count(db, "SELECT count(*) FROM article_vocab "
	                 "WHERE term IN ('aaaaq', 'ááááq')", &n), KBS_OK);
	ck_assert_int_eq(n, 0);
	ck_assert_int_eq(kbs__db_count(db, "SELECT count(*) FROM article_vocab "
	                 "WHERE term = '274256'", &n), KBS_OK);
	ck_assert_int_eq(n, 1);
	ck_assert_int_eq(kbs__db_count(db, "SELECT count(*) FROM source_file "
	                 "WHERE charset = 'CP437' AND path GLOB '*Q229148.TXT'",
	                 &n), KBS_OK);
	ck_assert_int_eq(n, 1);
	ck_assert_int_eq(hits_for("Nachricht wurde an folgenden Empfaenger "
	                          "übermittelt", "Q229148"), 1);
}
END_TEST

START_TEST(test_decode_refuses_binary_and_empty)
{
	char *out = (char *)1;
	size_t n;
	const char *why = NULL;
	ck_assert_int_eq(kbs__decode(&out, &n, "\x7F" "ELF\0\1\2", 7, NULL, 0, &why),
	                 KBS_PARSE);
	ck_assert_ptr_null(out);
	ck_assert_ptr_nonnull(strstr(why, "binary"));
	ck_assert_int_eq(kbs__decode(&out, &n, " \n\t\r\n", 5, NULL, 0, &why),
	                 KBS_PARSE);
	ck_assert_ptr_nonnull(strstr(why, "empty"));
}
END_TEST

START_TEST(test_cp437_article_searchable)
{
	const char text[] = "Sauvegarde impossible\n\nLe lecteur r\x82seau "
	                    "signale une erreur de donn\x82" "es \x82tranges "
	                    "sur le volume.\n";
	write_file(tmp_path(0, "dos.txt"), text, sizeof text - 1);
	const char *p = tmp_path(0, "dos.txt");
	kbs_index_stats st = index_paths(&p, 1, 0);
	ck_assert_uint_eq(st.added, 1);
	kbs_results *res = NULL;
	const kbs_hit *hit;
	const char *q = "erreur de données étranges";
	ck_assert_int_eq(kbs_search_text(&res, db, q, strlen(q), NULL),
	                 KBS_OK);
	ck_assert_int_eq(kbs_results_next(&hit, res), KBS_OK);
	ck_assert_ptr_nonnull(strstr(kbs_hit_get_path(hit), "dos.txt"));
	kbs_results_free(res);
}
END_TEST

/* ------------------------------------------------------------------ */
/* One article, many files                                             */
/* ------------------------------------------------------------------ */

/* What a user sees of an article: compared between two databases. */
typedef struct seen {
	char title[512], date[32], format[32], path[1024];
	size_t nsections, nevents, ncodes, nfiles, nproducts, nrefs;
	char sect1[256];
} seen;

static seen
see(kbs_db *d, const char *kb_id)
{
	seen s;
	kbs_article *a = NULL;
	memset(&s, 0, sizeof s);
	ck_assert_int_eq(kbs_article_get(&a, d, kb_id), KBS_OK);
	snprintf(s.title, sizeof s.title, "%s", kbs_article_get_title(a));
	snprintf(s.date, sizeof s.date, "%s",
	         kbs_article_get_date(a) ? kbs_article_get_date(a) : "");
	snprintf(s.format, sizeof s.format, "%s", kbs_article_get_format(a));
	snprintf(s.path, sizeof s.path, "%s", kbs_article_get_path(a));
	const kbs_section *sec;
	const kbs_event *ev;
	const kbs_code *co;
	const kbs_file *fi;
	const kbs_product *pr;
	const char *const *refs;
	s.nsections = kbs_article_get_sections(a, &sec);
	if (s.nsections > 0)
		snprintf(s.sect1, sizeof s.sect1, "%s", sec[0].heading);
	s.nevents = kbs_article_get_events(a, &ev);
	s.ncodes = kbs_article_get_codes(a, &co);
	s.nfiles = kbs_article_get_files(a, &fi);
	s.nproducts = kbs_article_get_products(a, &pr);
	s.nrefs = kbs_article_get_refs(a, &refs);
	kbs_article_free(a);
	return s;
}

static const char *const triple[] = {
	"Q103032", "Q93907", "Q139849", "Q78073",
};

/* The classic text, Markdown and HTML files of the triple articles in
 * the given order of renderings ("tmh": txt, md, html). */
static size_t
triple_paths(const char **paths, const char *order)
{
	static char buf[16][4096];
	size_t n = 0;
	for (const char *o = order; *o; o++)
		for (size_t i = 0; i < sizeof triple / sizeof *triple; i++) {
			const char *fmt = *o == 't' ? "txt/%s.TXT"
			                : *o == 'm' ? "md/%s.md" : "html/%s.html";
			char rel[64];
			snprintf(rel, sizeof rel, fmt, triple[i]);
			snprintf(buf[n], sizeof buf[n], "%s/%s",
			         kbs_test_bundled_dir(), rel);
			paths[n] = buf[n];
			n++;
		}
	return n;
}

START_TEST(test_renderings_are_one_article)
{
	const char *paths[16];
	size_t n = triple_paths(paths, "hmt");
	/* One run per file, HTML first: the order a user's tree may give. */
	for (size_t i = 0; i < n; i++) {
		kbs_index_stats st = index_paths(&paths[i], 1, 0);
		ck_assert_uint_eq(st.failed, 0);
	}
	kbs_db_stats s = stats();
	ck_assert_int_eq(s.files, (long long)n);
	ck_assert_int_eq(s.articles, (long long)(n / 3));

	/* The same articles indexed the other way round, in one run. */
	kbs_db *db2 = NULL;
	char path2[320];
	snprintf(path2, sizeof path2, "%s/other.sqlite", tmpdir);
	ck_assert_int_eq(kbs_db_open(&db2, path2, KBS_OPEN_CREATE), KBS_OK);
	n = triple_paths(paths, "tmh");
	kbs_index_stats st2 = KBS_INDEX_STATS_INIT;
	ck_assert_int_eq(kbs_db_index(&st2, db2, paths, n, 0, NULL, NULL),
	                 KBS_OK);

	for (size_t i = 0; i < sizeof triple / sizeof *triple; i++) {
		seen a = see(db, triple[i]), b = see(db2, triple[i]);
		ck_assert_str_eq(a.title, b.title);
		ck_assert_str_eq(a.date, b.date);
		ck_assert_str_eq(a.format, b.format);
		/* the classic text is the best structured rendering */
		ck_assert_str_eq(a.format, "kb-txt");
		ck_assert_str_eq(a.path, b.path);
		ck_assert_ptr_nonnull(strstr(a.path, ".TXT"));
		ck_assert_uint_gt(a.nsections, 1);
		ck_assert_uint_eq(a.nsections, b.nsections);
		ck_assert_str_eq(a.sect1, b.sect1);
		ck_assert_uint_eq(a.nevents, b.nevents);
		ck_assert_uint_eq(a.ncodes, b.ncodes);
		ck_assert_uint_eq(a.nfiles, b.nfiles);
		ck_assert_uint_eq(a.nproducts, b.nproducts);
		ck_assert_uint_eq(a.nrefs, b.nrefs);
	}
	/* Each HTML article was replaced twice: the delete trigger took
	 * out exactly the postings that were put in. */
	ck_assert(fts_consistent(db));
	ck_assert(fts_consistent(db2));
	kbs_db_close(db2);

	/* A search finds each article once, not once per rendering. */
	ck_assert_int_eq(hits_for("RUN/! command failed FoxPro", "Q103032"), 1);
}
END_TEST

START_TEST(test_supplier_goes_and_comes_back)
{
	const char *txt = tmp_path(0, "Q103032.TXT");
	const char *md = tmp_path(1, "Q103032.md");
	char *t;
	size_t len;
	ck_assert_ptr_nonnull(t = kbs_test_read_file(bundled(0,
	                              "txt/Q103032.TXT"), &len));
	write_file(txt, t, len);
	free(t);
	ck_assert_ptr_nonnull(t = kbs_test_read_file(bundled(1,
	                              "md/Q103032.md"), &len));
	write_file(md, t, len);
	free(t);

	const char *dir = tmpdir;
	index_paths(&dir, 1, 0);
	ck_assert_int_eq(stats().articles, 1);
	ck_assert_str_eq(see(db, "Q103032").format, "kb-txt");

	/* The classic text goes: the Markdown supplies the article now. */
	ck_assert_int_eq(unlink(txt), 0);
	kbs_index_stats st = index_paths(NULL, 0, KBS_INDEX_PRUNE);
	ck_assert_uint_eq(st.pruned, 0);
	ck_assert_int_eq(stats().articles, 1);
	ck_assert_int_eq(stats().files, 1);
	seen s = see(db, "Q103032");
	ck_assert_ptr_nonnull(strstr(s.path, "Q103032.md"));
	ck_assert_int_eq(hits_for("RUN/! command failed FoxPro", "Q103032"), 1);

	/* The Markdown file now names another article: Q103032 is gone,
	 * the other one is there. */
	ck_assert_ptr_nonnull(t = kbs_test_read_file(bundled(0,
	                              "md/Q93907.md"), &len));
	write_file(md, t, len);
	free(t);
	st = index_paths(&dir, 1, 0);
	ck_assert_uint_eq(st.updated, 1);
	kbs_article *a = NULL;
	ck_assert_int_eq(kbs_article_get(&a, db, "Q103032"), KBS_NOT_FOUND);
	ck_assert_int_eq(kbs_article_get(&a, db, "Q93907"), KBS_OK);
	kbs_article_free(a);
	ck_assert_int_eq(stats().articles, 1);

	/* Its last file goes: --prune removes the article. */
	ck_assert_int_eq(unlink(md), 0);
	st = index_paths(NULL, 0, KBS_INDEX_PRUNE);
	ck_assert_uint_eq(st.pruned, 1);
	ck_assert_int_eq(stats().articles, 0);
}
END_TEST

/* ------------------------------------------------------------------ */
/* Bad files                                                           */
/* ------------------------------------------------------------------ */

struct failures {
	int n;
	char lines[16][600];
	const char *remove_after_first;   /* unlink this on the first call */
};

static int
on_file(void *ud, const char *path, kbs_file_outcome outcome,
        const char *reason, const kbs_index_stats *st)
{
	failures *f = ud;
	(void)st;
	if (f->remove_after_first != NULL) {
		unlink(f->remove_after_first);
		f->remove_after_first = NULL;
	}
	if (outcome != KBS_FILE_FAILED)
		return 0;
	ck_assert_ptr_nonnull(reason);
	ck_assert_ptr_null(strchr(reason, '\n'));
	if (f->n < 16)
		snprintf(f->lines[f->n], sizeof f->lines[0], "%s: %s", path,
		         reason);
	f->n++;
	return 0;
}

/* The failure line naming file, or NULL. */
static const char *
failure_for(const failures *f, const char *file)
{
	for (int i = 0; i < f->n && i < 16; i++)
		if (strstr(f->lines[i], file) != NULL)
			return f->lines[i];
	return NULL;
}

START_TEST(test_bad_files_batch_goes_on)
{
	/* Something indexed before the bad batch. */
	const char *good = bundled(0, "txt/Q103032.TXT");
	index_paths(&good, 1, 0);
	kbs_db_stats before = stats();

	char dir[400];
	snprintf(dir, sizeof dir, "%s/bad", tmpdir);
	ck_assert_int_eq(mkdir(dir, 0755), 0);
	char p[600];
#define BAD(name) (snprintf(p, sizeof p, "%s/%s", dir, (name)), p)
	write_file(BAD("empty.txt"), "", 0);
	static const char mz[] = "MZ\x90\0\3\0\0\0\4\0\0\0\xFF\xFF";
	write_file(BAD("binary.dat"), mz, sizeof mz);  /* its NUL too */
	/* A 50 MB file, sparse so that the test stays fast. */
	int fd = open(BAD("huge.txt"), O_WRONLY | O_CREAT | O_TRUNC, 0644);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(write(fd, "Huge\n", 5), 5);
	ck_assert_int_eq(ftruncate(fd, 50L << 20), 0);
	close(fd);
	/* A truncated classic article and an invalid UTF-8 one still hold
	 * searchable text: they are indexed. */
	const char trunc[] = "DOCUMENT:Q999001  11-DEC-2001  [winnt]\n"
	                     "TITLE   :Zorblax Service Fails to Sta";
	write_file(BAD("Q999001.TXT"), trunc, sizeof trunc - 1);
	const char latin[] = "Quaggle driver error\n\nThe quaggle driver "
	                     "\xE9" "chou\xE9 with \xFF\xFE bytes.\n";
	write_file(BAD("latin.txt"), latin, sizeof latin - 1);
	/* A file removed while the run goes: the reader gets to it after
	 * the first file is stored. */
	for (int i = 0; i < 100; i++) {
		char name[32], text[64];
		snprintf(name, sizeof name, "z%03d.txt", i);
		snprintf(text, sizeof text, "Filler %d\n\nwombat %d\n", i, i);
		write_file(BAD(name), text, strlen(text));
	}
	char gone[600];
	snprintf(gone, sizeof gone, "%s/z099.txt", dir);

	failures f = { .remove_after_first = gone };
	kbs_index_stats st = KBS_INDEX_STATS_INIT;
	const char *d = dir;
	ck_assert_int_eq(kbs_db_index(&st, db, &d, 1, 0, on_file, &f), KBS_OK);
	ck_assert_ptr_nonnull(failure_for(&f, "empty.txt"));
	ck_assert_ptr_nonnull(strstr(failure_for(&f, "empty.txt"), "empty"));
	ck_assert_ptr_nonnull(failure_for(&f, "binary.dat"));
	ck_assert_ptr_nonnull(strstr(failure_for(&f, "huge.txt"), "large"));
	ck_assert_ptr_nonnull(failure_for(&f, "z099.txt"));
	ck_assert_int_eq(f.n, 4);
	ck_assert_uint_eq(st.failed, 4);
	ck_assert_uint_eq(st.added, 101);

	kbs_db_stats after = stats();
	ck_assert_int_eq(after.articles, before.articles + 101);
	ck_assert_int_eq(hits_for("RUN/! command failed FoxPro", "Q103032"), 1);
	ck_assert_int_eq(hits_for("Zorblax service", "Q999001"), 1);
	kbs_results *res = NULL;
	const kbs_hit *hit;
	const char *q = "quaggle driver échoué";
	ck_assert_int_eq(kbs_search_text(&res, db, q, strlen(q), NULL),
	                 KBS_OK);
	ck_assert_int_eq(kbs_results_next(&hit, res), KBS_OK);
	ck_assert_ptr_nonnull(strstr(kbs_hit_get_path(hit), "latin.txt"));
	kbs_results_free(res);
#undef BAD
}
END_TEST

START_TEST(test_unreadable_directory)
{
	char dir[400], sub[450], p[600];
	snprintf(dir, sizeof dir, "%s/tree", tmpdir);
	snprintf(sub, sizeof sub, "%s/locked", dir);
	ck_assert_int_eq(mkdir(dir, 0777), 0);
	ck_assert_int_eq(mkdir(sub, 0777), 0);
	snprintf(p, sizeof p, "%s/locked/inside.txt", dir);
	write_file(p, "Hidden\n\nsecret words\n", 21);
	snprintf(p, sizeof p, "%s/open.txt", dir);
	write_file(p, "Visible\n\nnarwhal words\n", 22);
	ck_assert_int_eq(chmod(sub, 0), 0);

	/* Root reads everything: the run goes in a child that drops to an
	 * unprivileged user, into a database of its own. */
	ck_assert_int_eq(chmod(tmpdir, 0777), 0);
	int pfd[2];
	ck_assert_int_eq(pipe(pfd), 0);
	pid_t pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		failures f = {0};
		kbs_index_stats st = KBS_INDEX_STATS_INIT;
		kbs_db *d2 = NULL;
		char path2[400], out[700];
		const char *dp = dir;
		close(pfd[0]);
		if (geteuid() == 0 && (setgid(65534) != 0 ||
		                       setuid(65534) != 0))
			_exit(3);
		snprintf(path2, sizeof path2, "%s/nobody.sqlite", tmpdir);
		if (kbs_db_open(&d2, path2, KBS_OPEN_CREATE) != KBS_OK ||
		    kbs_db_index(&st, d2, &dp, 1, 0, on_file, &f) != KBS_OK)
			_exit(4);
		kbs_db_close(d2);
		snprintf(out, sizeof out, "%d %lu %s", f.n,
		         (unsigned long)st.added, f.n > 0 ? f.lines[0] : "");
		if (write(pfd[1], out, strlen(out)) < 0)
			_exit(5);
		_exit(0);
	}
	close(pfd[1]);
	char got[700] = "";
	ssize_t r = read(pfd[0], got, sizeof got - 1);
	close(pfd[0]);
	int status = 0;
	ck_assert_int_eq(waitpid(pid, &status, 0), pid);
	ck_assert_msg(WIFEXITED(status) && WEXITSTATUS(status) == 0,
	              "child failed: status %d", status);
	ck_assert_int_gt(r, 0);
	got[r] = '\0';
	/* one failure, naming the directory and the reason; the readable
	 * file indexed */
	ck_assert_msg(strncmp(got, "1 1 ", 4) == 0, "got: %s", got);
	ck_assert_ptr_nonnull(strstr(got, "locked"));
	ck_assert_ptr_nonnull(strstr(got, "ermission denied"));
}
END_TEST

/* Distinct KB ids among the file names of the bundled txt/, md/ and
 * html/ directories ("Q103032.TXT", "Q103032.md" are one). */
static long long
distinct_ids(void)
{
	static const char *const dirs[] = { "txt", "md", "html" };
	char seen[1024][16];
	long long n = 0;
	for (size_t d = 0; d < 3; d++) {
		DIR *dir = opendir(bundled(0, dirs[d]));
		struct dirent *de;
		ck_assert_ptr_nonnull(dir);
		while ((de = readdir(dir)) != NULL) {
			char id[16];
			size_t len = strcspn(de->d_name, ".");
			if (de->d_name[0] != 'Q' || len >= sizeof id)
				continue;
			memcpy(id, de->d_name, len);
			id[len] = '\0';
			bool dup = false;
			for (long long i = 0; i < n && !dup; i++)
				dup = strcmp(seen[i], id) == 0;
			if (!dup && n < 1024)
				strcpy(seen[n++], id);
		}
		closedir(dir);
	}
	return n;
}

START_TEST(test_bundled_corpus_counts)
{
	/* Every rendering of a KB id is one article; the five seeds are
	 * three KB articles found nowhere else and two articles without a
	 * KB id; the corpus README is not an article. */
	const char *dir = kbs_test_bundled_dir();
	kbs_index_stats st = index_paths(&dir, 1, 0);
	ck_assert_uint_eq(st.failed, 0);
	ck_assert_int_eq(stats().articles, distinct_ids() + 5);
	kbs_article *a = NULL;
	ck_assert_int_eq(kbs_article_get(&a, db, "Q103032"), KBS_OK);
	const char *const *src;
	ck_assert_uint_eq(kbs_article_get_sources(a, &src), 3);
	ck_assert_ptr_nonnull(strstr(src[0], "Q103032.TXT"));
	kbs_article_free(a);
}
END_TEST

START_TEST(test_non_articles_skipped)
{
	char p[600], dir[400];
	const char *files[] = { "README.md", "MANIFEST.tsv", "logo.png",
	                        "LICENSE", "Q999002.txt" };
	snprintf(dir, sizeof dir, "%s/kb", tmpdir);
	ck_assert_int_eq(mkdir(dir, 0755), 0);
	for (size_t i = 0; i < 5; i++) {
		snprintf(p, sizeof p, "%s/%s", dir, files[i]);
		write_file(p, "Gadget setup fails\n\nThe gadget wizard stops "
		           "with error 0x80070002.\n", 58);
	}
	failures f = {0};
	kbs_index_stats st = KBS_INDEX_STATS_INIT;
	const char *d = dir;
	ck_assert_int_eq(kbs_db_index(&st, db, &d, 1, 0, on_file, &f), KBS_OK);
	ck_assert_uint_eq(st.added, 1);
	/* README.md and LICENSE are read: no KB format claims them */
	ck_assert_uint_eq(st.skipped, 2);
	ck_assert_uint_eq(st.empty_paths, 0);
	ck_assert_int_eq(f.n, 0);
	/* Named on the command line, a README is read like any file. */
	snprintf(p, sizeof p, "%s/README.md", dir);
	const char *one = p;
	st = index_paths(&one, 1, 0);
	ck_assert_uint_eq(st.added, 1);
	ck_assert_int_eq(stats().articles, 2);
}
END_TEST

/* What an index run reported besides failures. */
typedef struct outcomes {
	int skipped;                 /* KBS_FILE_SKIPPED calls */
	int empty;                   /* KBS_PATH_EMPTY calls */
	char empty_line[600];        /* the last "path: reason" of those */
	char skip_reason[16][200];   /* reasons of the skipped files */
} outcomes;

static int
on_outcome(void *ud, const char *path, kbs_file_outcome outcome,
           const char *reason, const kbs_index_stats *st)
{
	outcomes *o = ud;
	(void)st;
	if (outcome == KBS_FILE_SKIPPED) {
		ck_assert_ptr_nonnull(reason);
		if (o->skipped < 16)
			snprintf(o->skip_reason[o->skipped],
			         sizeof o->skip_reason[0], "%s", reason);
		o->skipped++;
	} else if (outcome == KBS_PATH_EMPTY) {
		ck_assert_ptr_nonnull(reason);
		ck_assert_ptr_null(strchr(reason, '\n'));
		snprintf(o->empty_line, sizeof o->empty_line, "%s: %s", path,
		         reason);
		o->empty++;
	}
	return 0;
}

START_TEST(test_archive_layout_by_content)
{
	/* tests/data/layout holds files of the KB archive in its published
	 * layout: a Markdown page named kb/101/Q101009/README.md, the same
	 * article's HTML page, two pages of docs/id/ (a list of links to
	 * articles, and the folder's explanation in two paragraphs) and the
	 * site's own README.md. */
	char dir[4096];
	snprintf(dir, sizeof dir, "%s/tests/data/layout", KBS_TOP_SRCDIR);
	const char *d = dir;
	outcomes o = {0};
	kbs_index_stats st = KBS_INDEX_STATS_INIT;
	ck_assert_int_eq(kbs_db_index(&st, db, &d, 1, 0, on_outcome, &o),
	                 KBS_OK);
	ck_assert_uint_eq(st.failed, 0);
	ck_assert_uint_eq(st.added, 2);
	ck_assert_uint_eq(st.skipped, 3);
	ck_assert_int_eq(o.skipped, 3);
	ck_assert_int_eq(o.empty, 0);
	ck_assert_int_eq(stats().articles, 1);
	kbs_article *a = NULL;
	ck_assert_int_eq(kbs_article_get(&a, db, "Q101009"), KBS_OK);
	ck_assert_str_eq(kbs_article_get_format(a), "kb-md");
	kbs_article_free(a);
	/* the navigation page's links did not make it an article */
	ck_assert_int_eq(hits_for("FoxPro DDEPOKE Word for Windows",
	                          "Q101009"), 1);
	int nav = 0;
	for (int i = 0; i < o.skipped; i++)
		nav += strstr(o.skip_reason[i], "navigation page") != NULL;
	ck_assert_int_eq(nav, 2);
}
END_TEST

START_TEST(test_path_without_article_reported)
{
	/* docs/id of the archive holds only navigation pages */
	char dir[4096];
	snprintf(dir, sizeof dir, "%s/tests/data/layout/docs/id",
	         KBS_TOP_SRCDIR);
	const char *paths[] = { dir, tmp_path(0, "empty") };
	ck_assert_int_eq(mkdir(paths[1], 0755), 0);
	outcomes o = {0};
	kbs_index_stats st = KBS_INDEX_STATS_INIT;
	ck_assert_int_eq(kbs_db_index(&st, db, paths, 1, 0, on_outcome, &o),
	                 KBS_OK);
	ck_assert_uint_eq(st.empty_paths, 1);
	ck_assert_int_eq(o.empty, 1);
	ck_assert_ptr_nonnull(strstr(o.empty_line, dir));
	ck_assert_ptr_nonnull(strstr(o.empty_line, "2 navigation pages"));
	ck_assert_int_eq(stats().articles, 0);

	/* an empty directory, next to one that holds an article */
	char kbdir[4096];
	snprintf(kbdir, sizeof kbdir, "%s/tests/data/layout/kb",
	         KBS_TOP_SRCDIR);
	const char *two[] = { kbdir, paths[1] };
	memset(&o, 0, sizeof o);
	ck_assert_int_eq(kbs_db_index(&st, db, two, 2, 0, on_outcome, &o),
	                 KBS_OK);
	ck_assert_uint_eq(st.empty_paths, 1);
	ck_assert_ptr_nonnull(strstr(o.empty_line, paths[1]));
	ck_assert_ptr_nonnull(strstr(o.empty_line, "no files"));
	/* an unchanged re-run still holds its article */
	memset(&o, 0, sizeof o);
	ck_assert_int_eq(kbs_db_index(&st, db, two, 1, 0, on_outcome, &o),
	                 KBS_OK);
	ck_assert_uint_eq(st.unchanged, 1);
	ck_assert_uint_eq(st.empty_paths, 0);
}
END_TEST

START_TEST(test_stored_text_packed_once)
{
	/* The bundled corpus: the articles' text is stored compressed, with
	 * a dictionary trained on them, and comes back whole. */
	const char *dir = kbs_test_bundled_dir();
	index_paths(&dir, 1, 0);
	long long ndict = 0, packed = 0, raw = 0;
	sqlite3_stmt *st;
	ck_assert_int_eq(sqlite3_prepare_v2(db->sqlite, "SELECT (SELECT "
	    "count(*) FROM zdict), sum(length(packed)), sum(length(CAST("
	    "kbs_unpack(packed, 0) AS BLOB))) FROM article", -1, &st, NULL),
	    SQLITE_OK);
	ck_assert_int_eq(sqlite3_step(st), SQLITE_ROW);
	ndict = sqlite3_column_int64(st, 0);
	packed = sqlite3_column_int64(st, 1);
	raw = sqlite3_column_int64(st, 2);
	sqlite3_finalize(st);
	ck_assert_int_eq(ndict, 1);
	ck_assert_int_lt(packed * 3, raw);
	ck_assert(fts_consistent(db));

	/* show's text is the file's text */
	size_t len;
	char *t = kbs_test_read_file(bundled(0, "txt/Q103032.TXT"), &len);
	ck_assert_ptr_nonnull(t);
	kbs_article *a = NULL;
	ck_assert_int_eq(kbs_article_get(&a, db, "Q103032"), KBS_OK);
	char *crlf = strstr(t, "\r\n");
	if (crlf == NULL)
		ck_assert_str_eq(kbs_article_get_text(a), t);
	else
		ck_assert_uint_gt(strlen(kbs_article_get_text(a)), len / 2);
	kbs_article_free(a);
	free(t);

	/* The check can fail: two articles' packed text swapped is content
	 * the index does not hold. */
	ck_assert_int_eq(sqlite3_exec(db->sqlite, "UPDATE article SET packed = "
	    "(SELECT packed FROM article WHERE id = (SELECT max(id) FROM "
	    "article)) WHERE id = (SELECT min(id) FROM article)", NULL, NULL,
	    NULL), SQLITE_OK);
	ck_assert(!fts_consistent(db));
}
END_TEST

START_TEST(test_old_schema_refused)
{
	/* Databases of schema 4 (text stored whole) and 5 (codes and KB ids
	 * read before the one recogniser) are refused, naming the file and
	 * telling to re-index. */
	static const char *const olds[] = { "4", "5" };
	for (size_t i = 0; i < sizeof olds / sizeof olds[0]; i++) {
		char path[400], sql[300];
		sqlite3 *raw;
		snprintf(path, sizeof path, "%s/v%s.sqlite", tmpdir, olds[i]);
		snprintf(sql, sizeof sql, "CREATE TABLE meta(key TEXT "
		         "PRIMARY KEY, value TEXT); INSERT INTO meta VALUES "
		         "('schema_version', '%s'); CREATE TABLE article(id "
		         "INTEGER PRIMARY KEY, text TEXT)", olds[i]);
		ck_assert_int_eq(sqlite3_open(path, &raw), SQLITE_OK);
		ck_assert_int_eq(sqlite3_exec(raw, sql, NULL, NULL, NULL),
		                 SQLITE_OK);
		sqlite3_close(raw);
		kbs_db *old = NULL;
		ck_assert_int_eq(kbs_db_open(&old, path, KBS_OPEN_CREATE),
		                 KBS_SCHEMA);
		const char *msg = kbs_db_errmsg(old);
		ck_assert_ptr_nonnull(strstr(msg, path));
		ck_assert_ptr_nonnull(strstr(msg, "older"));
		ck_assert_ptr_nonnull(strstr(msg, "index"));
		kbs_db_close(old);
		old = NULL;
		ck_assert_int_eq(kbs_db_open(&old, path, KBS_OPEN_READONLY),
		                 KBS_SCHEMA);
		kbs_db_close(old);
	}
}
END_TEST

/* A file named on the command line and found again in a directory also
 * given is indexed once, and the run does not fail on it. */
START_TEST(test_same_file_named_twice)
{
	const char *paths[] = { bundled(0, "txt/Q100215.TXT"),
	                        bundled(1, "txt") };
	kbs_index_stats st = index_paths(paths, 2, 0);
	ck_assert_uint_eq(st.failed, 0);
	ck_assert_uint_eq(st.total, st.added);
	ck_assert_int_eq(stats().files, (long long)st.added);
	ck_assert_int_eq(stats().articles, (long long)st.added);
}
END_TEST

/* The same, the directory first: the file found in it is listed before
 * its name on the command line, whose second path is dropped. */
START_TEST(test_same_file_found_then_named)
{
	const char *paths[] = { bundled(0, "txt"),
	                        bundled(1, "txt/Q100215.TXT") };
	kbs_index_stats st = index_paths(paths, 2, 0);
	ck_assert_uint_eq(st.failed, 0);
	ck_assert_uint_eq(st.total, st.added);
	ck_assert_int_eq(stats().files, (long long)st.added);
	ck_assert_int_eq(stats().articles, (long long)st.added);
	const char *dir = bundled(0, "txt");
	kbs_index_stats one = index_paths(&dir, 1, 0);
	ck_assert_uint_eq(one.total, st.total);
}
END_TEST

/* ------------------------------------------------------------------ */
/* Cancelling, removing a path, versioned structs, paging              */
/* ------------------------------------------------------------------ */

/* Returns non-zero once *(int *)ud files have been reported. */
static int
stop_after(void *ud, const char *path, kbs_file_outcome outcome,
           const char *reason, const kbs_index_stats *st)
{
	(void)path; (void)outcome; (void)reason;
	return st->seen >= (unsigned long)*(int *)ud;
}

/* The callback's non-zero return stops the run after that file; the
 * files handled are kept and a later run indexes the rest. */
START_TEST(test_cancel_keeps_what_was_done)
{
	const char *dir = bundled(0, "txt");
	kbs_index_stats st = KBS_INDEX_STATS_INIT;
	int stop = 5;
	ck_assert_int_eq(kbs_db_index(&st, db, &dir, 1, 0, stop_after, &stop),
	                 KBS_CANCELLED);
	ck_assert_uint_eq(st.seen, 5);
	ck_assert_uint_gt(st.total, 5);
	kbs_db_stats s = stats();
	ck_assert_int_eq(s.articles, 5);
	/* the database is usable and the next run adds the others */
	st = index_paths(&dir, 1, 0);
	ck_assert_uint_eq(st.unchanged, 5);
	ck_assert_uint_eq(st.added, st.total - 5);
}
END_TEST

/* Removing a file takes its article; removing a directory every
 * article read only from it; an article with another rendering stays. */
START_TEST(test_remove_path)
{
	const char *paths[] = { bundled(0, "txt"), bundled(1, "md") };
	kbs_index_stats st = index_paths(paths, 1, 0);   /* txt: st.total */
	ck_assert_uint_eq(st.failed, 0);
	ck_assert_uint_eq(index_paths(paths + 1, 1, 0).failed, 0);
	kbs_db_stats s0 = stats();
	kbs_article *a = NULL;
	unsigned long removed = 99;

	ck_assert_int_eq(kbs_db_remove_path(&removed, db,
	                 bundled(2, "txt/Q100215.TXT")), KBS_OK);
	ck_assert_uint_eq(removed, 1);
	ck_assert_int_eq(kbs_article_get(&a, db, "Q100215"), KBS_NOT_FOUND);
	ck_assert_int_eq(stats().articles, s0.articles - 1);
	ck_assert_int_eq(kbs_db_remove_path(&removed, db, "/no/such/file"),
	                 KBS_OK);
	ck_assert_uint_eq(removed, 0);

	/* Q103032 has a Markdown rendering: it stays, supplied by it */
	char dir[4200];
	snprintf(dir, sizeof dir, "%s/", bundled(3, "txt"));
	ck_assert_int_eq(kbs_db_remove_path(&removed, db, dir), KBS_OK);
	ck_assert_uint_gt(removed, 10);
	ck_assert_int_eq(kbs_article_get(&a, db, "Q103032"), KBS_OK);
	ck_assert_str_eq(kbs_article_get_format(a), "kb-md");
	kbs_article_free(a);
	kbs_db_stats s1 = stats();
	ck_assert_int_eq(s1.files, s0.files - (long long)st.total);
}
END_TEST

/* Entries excluded by kbs_db_add_exclude() or a .kbsearchignore file
 * (in the directory or above it) are passed over and reported. */
static int
count_skips(void *ud, const char *path, kbs_file_outcome outcome,
            const char *reason, const kbs_index_stats *st)
{
	(void)path; (void)st;
	if (outcome == KBS_FILE_SKIPPED) {
		ck_assert_ptr_nonnull(reason);
		(*(int *)ud)++;
	}
	return 0;
}

START_TEST(test_exclude_and_ignore_file)
{
	char dir[600], sub[700], p[800];
	snprintf(dir, sizeof dir, "%s/in", tmpdir);
	snprintf(sub, sizeof sub, "%s/sub", dir);
	ck_assert_int_eq(mkdir(dir, 0755), 0);
	ck_assert_int_eq(mkdir(sub, 0755), 0);
	const char *text = "Frobnicator widget fails\n\nThe frobnicator "
	                   "reports error 0x8007000E.\n";
	const char *names[] = { "a.txt", "b.txt", "sub/c.txt", "sub/d.old" };
	for (int i = 0; i < 4; i++) {
		snprintf(p, sizeof p, "%s/%s", dir, names[i]);
		write_file(p, text, strlen(text));
	}
	snprintf(p, sizeof p, "%s/.kbsearchignore", dir);
	const char *ignore = "# old copies\n*.old\nsub/c.txt\n";
	write_file(p, ignore, strlen(ignore));
	ck_assert_int_eq(kbs_db_add_exclude(db, "b.*"), KBS_OK);
	ck_assert_int_eq(kbs_db_add_exclude(db, ""), KBS_INVALID);
	int skips = 0;
	kbs_index_stats st = KBS_INDEX_STATS_INIT;
	const char *d = dir;
	ck_assert_int_eq(kbs_db_index(&st, db, &d, 1, 0, count_skips, &skips),
	                 KBS_OK);
	ck_assert_uint_eq(st.added, 1);          /* a.txt only */
	ck_assert_uint_eq(st.total, 1);
	ck_assert_uint_eq(st.passed_over, 4);    /* b, c, d.old, the file */
	ck_assert_int_eq(skips, 4);
}
END_TEST

/* ------------------------------------------------------------------ */
/* A walk on two threads                                               */
/* ------------------------------------------------------------------ */

/* Every report of a run, one line each, in order. */
static int
log_report(void *ud, const char *path, kbs_file_outcome outcome,
           const char *reason, const kbs_index_stats *st)
{
	fprintf(ud, "%d %s: %s (%lu/%lu)\n", (int)outcome, path,
	        reason ? reason : "-", (unsigned long)st->seen,
	        (unsigned long)st->total);
	return 0;
}

/* Index dir into a new database with threads walk threads; the reports
 * into a heap string, caller frees. */
static char *
walk_reports(const char *dir, int threads, kbs_index_stats *st)
{
	char dbdir[256], *buf = NULL;
	size_t len = 0;
	kbs_db *d = kbs_test_db_new(dbdir, sizeof dbdir);
	ck_assert_int_eq(kbs_db_add_exclude(d, "*.old"), KBS_OK);
	FILE *f = open_memstream(&buf, &len);
	ck_assert_ptr_nonnull(f);
	kbs__walk_threads = threads;
	*st = (kbs_index_stats)KBS_INDEX_STATS_INIT;
	kbs_status rc = kbs_db_index(st, d, &dir, 1, 0, log_report, f);
	kbs__walk_threads = 2;
	fclose(f);
	ck_assert_int_eq(rc, KBS_OK);
	kbs_test_db_free(d, dbdir);
	return buf;
}

static void
make_link(const char *target, const char *dir, const char *name)
{
	char p[800];
	snprintf(p, sizeof p, "%s/%s", dir, name);
	ck_assert_msg(symlink(target, p) == 0, "%s: %s", p, strerror(errno));
}

/* A directory of 40 directories is walked on two threads; the result is
 * that of one thread: the same files, in the
 * same order, the same reports in the same order, whether links lead
 * nowhere across the halves (kind 0), from a directory of the second
 * to one of the first (1) or of the first to one of the second (2),
 * from the first to a file of the second (4), or a file has hard links
 * in both (3). */
START_TEST(test_walk_two_threads_as_one)
{
	for (int kind = 0; kind < 5; kind++) {
		char dir[600], sub[700], p[800];
		snprintf(dir, sizeof dir, "%s/two%d", tmpdir, kind);
		ck_assert_int_eq(mkdir(dir, 0755), 0);
		for (int i = 0; i < 40; i++) {
			snprintf(sub, sizeof sub, "%s/d%02d", dir, i);
			ck_assert_int_eq(mkdir(sub, 0755), 0);
			for (int j = 0; j < 2; j++) {
				char text[200];
				int n = snprintf(text, sizeof text, "Widget %d-%d "
				                 "fails\n\nThe widget %d-%d reports "
				                 "error 0x8007000E.\n", i, j, i, j);
				snprintf(p, sizeof p, "%s/%c.txt", sub, 'x' + j);
				write_file(p, text, (size_t)n);
			}
		}
		/* in the second half: passed-over names, an ignore file, a
		 * loop to the top, a broken link, a link to a file of the
		 * first half (dropped by the walk's end) */
		snprintf(sub, sizeof sub, "%s/d25", dir);
		snprintf(p, sizeof p, "%s/.hidden.txt", sub);
		write_file(p, "x\n", 2);
		snprintf(p, sizeof p, "%s/data.json", sub);
		write_file(p, "{}\n", 3);
		snprintf(p, sizeof p, "%s/copy.old", sub);
		write_file(p, "x\n", 2);
		snprintf(p, sizeof p, "%s/.kbsearchignore", sub);
		write_file(p, "y.txt\n", 6);
		make_link("..", sub, "top");
		make_link("nowhere", sub, "broken.txt");
		make_link("../d04/x.txt", sub, "first.txt");
		snprintf(sub, sizeof sub, "%s/d31", dir);
		make_link("../d33", sub, "later");
		if (kind == 1)
			make_link("../d02", sub, "back");
		snprintf(sub, sizeof sub, "%s/d05", dir);
		if (kind == 2)
			make_link("../d30", sub, "ahead");
		if (kind == 4)
			make_link("../d38/x.txt", sub, "ahead.txt");
		if (kind == 3) {
			char q[800];
			snprintf(p, sizeof p, "%s/d07/x.txt", dir);
			snprintf(q, sizeof q, "%s/d36/hard.txt", dir);
			ck_assert_int_eq(link(p, q), 0);
		}

		/* two threads as they come, and dealing the directories
		 * in turn (d00 to the first, d01 to the second...), so
		 * that each link leads from one thread's to the other's */
		kbs_index_stats st1, st2;
		char *one = walk_reports(dir, 1, &st1);
		for (int threads = 2; threads >= -2; threads -= 4) {
			char *two = walk_reports(dir, threads, &st2);
			size_t at = 0, line = 0;   /* the first line that differs */
			while (one[at] != '\0' && one[at] == two[at])
				if (one[at++] == '\n')
					line = at;
			ck_assert_msg(one[at] == two[at], "kind %d, %d threads: "
			              "one thread: %.200s\ntwo: %.200s", kind,
			              threads, one + line, two + line);
			ck_assert_uint_eq(st2.added, st1.added);
			ck_assert_uint_eq(st2.failed, st1.failed);
			ck_assert_uint_eq(st2.passed_over, st1.passed_over);
			free(two);
		}
		/* and it is right: 80 files, less d25/y.txt, each once */
		ck_assert_uint_eq(st1.added, 79);
		ck_assert_uint_eq(st1.passed_over, 5);  /* and the ignore file */
		ck_assert_ptr_nonnull(strstr(one, "/d25/top: directory already"));
		ck_assert_ptr_nonnull(strstr(one, "/d33: directory already"));
		ck_assert_ptr_null(strstr(one, "first.txt"));
		if (kind == 1)
			ck_assert_ptr_nonnull(strstr(one, "/d31/back: directory"));
		if (kind == 2)
			ck_assert_ptr_nonnull(strstr(one, "/d30: directory"));
		if (kind == 4) {
			ck_assert_ptr_nonnull(strstr(one, "/d05/ahead.txt"));
			ck_assert_ptr_null(strstr(one, "/d38/x.txt"));
		}
		if (kind == 3)
			ck_assert_ptr_null(strstr(one, "hard.txt"));
		free(one);
	}
}
END_TEST

/* A struct not made with its _INIT macro is refused, not misread. */
START_TEST(test_struct_versions)
{
	kbs_search_options o = KBS_SEARCH_OPTIONS_INIT;
	kbs_results *res = NULL;
	ck_assert_int_eq(kbs_search_text(&res, db, "x", 1, &o), KBS_OK);
	kbs_results_free(res);
	o.version = 0;
	ck_assert_int_eq(kbs_search_text(&res, db, "x", 1, &o), KBS_INVALID);
	ck_assert_ptr_null(res);
	o.version = KBS_SEARCH_OPTIONS_VERSION + 1;
	ck_assert_int_eq(kbs_search_text(&res, db, "x", 1, &o), KBS_INVALID);
	ck_assert_ptr_nonnull(strstr(kbs_db_errmsg(db), "INIT"));

	kbs_db_stats ds = { 0 };
	ck_assert_int_eq(kbs_db_get_stats(&ds, db), KBS_INVALID);
	ds.version = KBS_DB_STATS_VERSION;
	ck_assert_int_eq(kbs_db_get_stats(&ds, db), KBS_OK);
	ck_assert_uint_eq(ds.version, KBS_DB_STATS_VERSION);

	kbs_index_stats is = { 0 };
	const char *dir = bundled(0, "seeds");
	ck_assert_int_eq(kbs_db_index(&is, db, &dir, 1, 0, NULL, NULL),
	                 KBS_INVALID);
	ck_assert_int_eq(stats().articles, 0);
	ck_assert_int_eq(kbs_db_index(NULL, db, &dir, 1, 0, NULL, NULL),
	                 KBS_OK);
}
END_TEST

/* offset pages through one ranking: hits 3..5 of a search are the
 * third to fifth of the same search without offset, ranks included. */
START_TEST(test_search_offset)
{
	const char *dir = bundled(0, "txt");
	index_paths(&dir, 1, 0);
	const char *q = "error message when you start the server";
	kbs_search_options all = KBS_SEARCH_OPTIONS_INIT, page = all;
	kbs_results *r1 = NULL, *r2 = NULL;
	const kbs_hit *h1, *h2;
	all.limit = 5;
	page.limit = 3;
	page.offset = 2;
	ck_assert_int_eq(kbs_search_text(&r1, db, q, strlen(q), &all), KBS_OK);
	ck_assert_int_eq(kbs_search_text(&r2, db, q, strlen(q), &page),
	                 KBS_OK);
	ck_assert_uint_eq(kbs_results_count(r1), 5);
	ck_assert_uint_eq(kbs_results_count(r2), 3);
	for (int i = 0; i < 2; i++)
		ck_assert_int_eq(kbs_results_next(&h1, r1), KBS_OK);
	while (kbs_results_next(&h2, r2) == KBS_OK) {
		ck_assert_int_eq(kbs_results_next(&h1, r1), KBS_OK);
		ck_assert_str_eq(kbs_hit_get_kb_id(h1), kbs_hit_get_kb_id(h2));
		ck_assert_int_eq(kbs_hit_get_rank(h1), kbs_hit_get_rank(h2));
	}
	kbs_results_free(r1);
	kbs_results_free(r2);
	page.offset = 100000;
	ck_assert_int_eq(kbs_search_text(&r2, db, q, strlen(q), &page),
	                 KBS_OK);
	ck_assert_uint_eq(kbs_results_count(r2), 0);
	kbs_results_free(r2);
}
END_TEST

Suite *
suite_indexer(void)
{
	Suite *s = suite_create("indexer");
	TCase *tc = tcase_create("decode");
	tcase_add_test(tc, test_decode_legacy_code_pages);
	tcase_add_test(tc, test_decode_refuses_binary_and_empty);
	tcase_add_test(tc, test_decode_archive_legacy_files);
	suite_add_tcase(s, tc);

	tc = tcase_create("runs");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_cp437_article_searchable);
	tcase_add_test(tc, test_legacy_article_indexed_right);
	tcase_add_test(tc, test_renderings_are_one_article);
	tcase_add_test(tc, test_supplier_goes_and_comes_back);
	tcase_add_test(tc, test_bundled_corpus_counts);
	tcase_add_test(tc, test_non_articles_skipped);
	tcase_add_test(tc, test_archive_layout_by_content);
	tcase_add_test(tc, test_stored_text_packed_once);
	tcase_add_test(tc, test_old_schema_refused);
	tcase_add_test(tc, test_path_without_article_reported);
	tcase_add_test(tc, test_bad_files_batch_goes_on);
	tcase_add_test(tc, test_unreadable_directory);
	tcase_add_test(tc, test_same_file_named_twice);
	tcase_add_test(tc, test_same_file_found_then_named);
	tcase_add_test(tc, test_cancel_keeps_what_was_done);
	tcase_add_test(tc, test_remove_path);
	tcase_add_test(tc, test_struct_versions);
	tcase_add_test(tc, test_exclude_and_ignore_file);
	tcase_add_test(tc, test_walk_two_threads_as_one);
	tcase_add_test(tc, test_search_offset);
	suite_add_tcase(s, tc);
	return s;
}
