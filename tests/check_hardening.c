/*
 * check_hardening.c - issue 11 through the library: names in messages,
 * records capped per article, HTML tags with too many attributes, and a
 * damaged database found, refused and rebuilt.
 */
#include "tests.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

START_TEST(path_escape_controls_and_bad_utf8)
{
	char out[256];
	ck_assert_str_eq(kbs_path_escape(out, sizeof out,
	                 "/kb/new\nline.txt"), "/kb/new\\x0aline.txt");
	ck_assert_str_eq(kbs_path_escape(out, sizeof out,
	                 "a\033[2Jb\x7f"), "a\\x1b[2Jb\\x7f");
	/* valid UTF-8 kept, a lone byte and a C1 control escaped */
	ck_assert_str_eq(kbs_path_escape(out, sizeof out,
	                 "caf\xc3\xa9 \xff \xc2\x9b"),
	                 "caf\xc3\xa9 \\xff \\xc2\\x9b");
	/* overlong form and a surrogate are not UTF-8 */
	ck_assert_str_eq(kbs_path_escape(out, sizeof out, "\xc0\xaf\xed\xa0\x80"),
	                 "\\xc0\\xaf\\xed\\xa0\\x80");
	ck_assert_str_eq(kbs_path_escape(out, sizeof out, "C:\\WINNT"),
	                 "C:\\\\WINNT");
	ck_assert_str_eq(kbs_path_escape(out, sizeof out, NULL), "");
	/* cut between characters, with "..." */
	ck_assert_str_eq(kbs_path_escape(out, 10, "abcdefghijkl"), "abcdef...");
	ck_assert_str_eq(kbs_path_escape(out, 10, "ab\ncdefgh"), "ab\\x0a...");
	ck_assert_str_eq(kbs_path_escape(out, 10, "abcdefghi"), "abcdefghi");
}
END_TEST

static kbs_article *
parse(const char *text)
{
	kbs_article *a = kbs__article_new();
	ck_assert_ptr_nonnull(a);
	ck_assert_int_eq(kbs__parse(a, text, strlen(text)), KBS_OK);
	return a;
}

START_TEST(records_capped_first_kept)
{
	/* 6,000 distinct codes, each written twice: 5,000 kept in order,
	 * the duplicates dropped, the other 1,000 counted */
	kbs__buf b = {0};
	kbs__buf_puts(&b, "Error codes of the frobnicator\n\n");
	for (int r = 0; r < 2; r++)
		for (int i = 0; i < 6000; i++)
			kbs__buf_printf(&b, "0x%08X\n", 0x80070000u + (unsigned)i);
	ck_assert(!b.oom);
	kbs_article *a = parse(b.data);
	ck_assert_uint_eq(a->ncodes, KBS__MAX_RECORDS);
	ck_assert_uint_eq(a->codes[0].value, 0x80070000u);
	ck_assert_uint_eq(a->codes[KBS__MAX_RECORDS - 1].value,
	                  0x80070000u + KBS__MAX_RECORDS - 1);
	ck_assert_uint_eq(a->capped, 6000 - KBS__MAX_RECORDS);
	kbs_article_free(a);
	kbs__buf_free(&b);

	/* KB references: duplicates once, the article's own id never */
	kbs__buf_puts(&b, "Q100215: Refs\n\nSee Q100215, Q123456, Q123456, "
	                  "KB 123456 and Q654321.\n");
	a = parse(b.data);
	ck_assert_uint_eq(a->nrefs, 2);
	ck_assert_str_eq(a->refs[0], "Q123456");
	ck_assert_str_eq(a->refs[1], "Q654321");
	kbs_article_free(a);
	kbs__buf_free(&b);

	/* events: a sourceless mention gets the source named later, the
	 * same event in another case is one */
	kbs__buf_puts(&b, "Events\n\nEvent ID 2013 is logged.\n\n"
	                  "   Event ID: 2013\n   Source: Srv\n\n"
	                  "   Event ID: 2013\n   Source: SRV\n\n"
	                  "   Event ID: 2013\n   Source: Rdr\n");
	a = parse(b.data);
	ck_assert_uint_eq(a->nevents, 2);
	ck_assert_str_eq(a->events[0].source, "Srv");
	ck_assert_str_eq(a->events[1].source, "Rdr");
	kbs_article_free(a);
	kbs__buf_free(&b);
}
END_TEST

/* What an index run tells of records past the caps: the count in the
 * stats, the file and how many through the callback; a caller built
 * against the first version of kbs_index_stats gets that much of it. */
typedef struct capped_seen {
	int files;
	char reason[256];
} capped_seen;

static int
on_capped(void *ud, const char *path, kbs_file_outcome outcome,
          const char *reason, const kbs_index_stats *st)
{
	capped_seen *c = ud;
	(void)path;
	(void)st;
	if ((outcome == KBS_FILE_ADDED || outcome == KBS_FILE_UPDATED) &&
	    reason != NULL) {
		c->files++;
		snprintf(c->reason, sizeof c->reason, "%s", reason);
	}
	return 0;
}

START_TEST(records_capped_reported)
{
	char dir[256], path[300];
	kbs_db *db = kbs_test_db_new(dir, sizeof dir);
	snprintf(path, sizeof path, "%s/codes.txt", dir);
	FILE *f = fopen(path, "w");
	ck_assert_ptr_nonnull(f);
	fputs("Error codes of the frobnicator\n\n", f);
	for (int i = 0; i < 6000; i++)
		fprintf(f, "0x%08X\n", 0x80070000u + (unsigned)i);
	ck_assert_int_eq(fclose(f), 0);
	const char *paths[] = { path };

	capped_seen seen = {0};
	kbs_index_stats st = KBS_INDEX_STATS_INIT;
	ck_assert_int_eq(kbs_db_index(&st, db, paths, 1, 0, on_capped, &seen),
	                 KBS_OK);
	ck_assert_uint_eq(st.added, 1);
	ck_assert_uint_eq(st.capped, 6000 - KBS__MAX_RECORDS);
	ck_assert_uint_eq(st.capped_files, 1);
	ck_assert_int_eq(seen.files, 1);
	ck_assert_ptr_nonnull(strstr(seen.reason, "1000 records not kept"));

	/* a version 1 struct: filled up to passed_over, nothing after */
	struct { kbs_index_stats v1; unsigned long after[4]; } old;
	memset(&old, 0xAB, sizeof old);
	old.v1.version = 1;
	size_t v1size = offsetof(kbs_index_stats, capped);
	ck_assert_int_eq(kbs_db_index(&old.v1, db, paths, 1, KBS_INDEX_PRUNE,
	                              NULL, NULL), KBS_OK);
	ck_assert_uint_eq(old.v1.version, 1);
	ck_assert_uint_eq(old.v1.unchanged, 1);
	const unsigned char *tail = (const unsigned char *)&old + v1size;
	for (size_t i = 0; i < sizeof old - v1size; i++)
		ck_assert_uint_eq(tail[i], 0xAB);
	kbs_test_db_free(db, dir);
}
END_TEST

START_TEST(html_tag_with_too_many_attributes)
{
	/* the text after a tag of 100,000 attributes is still read */
	kbs__buf b = {0};
	kbs__buf_puts(&b, "<!DOCTYPE html>\n<html><head><title>Attribute "
	                  "storm</title></head><body><p");
	for (int i = 0; i < 100000; i++)
		kbs__buf_printf(&b, " a%d=\"x>y\"", i);
	kbs__buf_puts(&b, ">Event ID 1003 from TermService.</p>"
	                  "<p class=\"k\" id='z'>Second paragraph.</p>"
	                  "</body></html>\n");
	ck_assert(!b.oom);
	kbs_article *a = parse(b.data);
	ck_assert_str_eq(a->format, "html");
	ck_assert_str_eq(a->title, "Attribute storm");
	ck_assert_ptr_nonnull(kbs_test_event(a, 1003));
	ck_assert_ptr_nonnull(strstr(a->body, "Second paragraph."));
	ck_assert_ptr_null(strstr(a->body, "x>y"));
	kbs_article_free(a);
	kbs__buf_free(&b);
}
END_TEST

/* Write 4 KB of bytes into the middle of the file at path, at the start
 * of a page (64 KB is a multiple of any page size), so that the damage
 * hits a page header, which every check reads. */
static void
damage(const char *path)
{
	struct stat sb;
	ck_assert_int_eq(stat(path, &sb), 0);
	FILE *f = fopen(path, "r+b");
	ck_assert_ptr_nonnull(f);
	ck_assert_int_eq(fseek(f, sb.st_size / 2 / 65536 * 65536, SEEK_SET), 0);
	unsigned x = 12345;
	for (int i = 0; i < 4096; i++) {
		x = x * 1103515245u + 12345u;
		fputc((int)(x >> 16) & 0xff, f);
	}
	ck_assert_int_eq(fclose(f), 0);
}

START_TEST(damaged_database_checked_refused_rebuilt)
{
	char dir[512], path[600];
	kbs_db *db = kbs_test_db_new(dir, sizeof dir);
	snprintf(path, sizeof path, "%s/kb.sqlite", dir);
	char txt[4200];
	snprintf(txt, sizeof txt, "%s/txt", kbs_test_bundled_dir());
	const char *paths[] = { txt };
	kbs_index_stats st = kbs_test_index(db, paths, 1, 0);
	ck_assert_uint_gt(st.added, 0);
	ck_assert_int_eq(kbs_db_check(db), KBS_OK);
	ck_assert_ptr_nonnull(strstr(kbs_db_errmsg(db), ": ok"));
	kbs_db_close(db);

	damage(path);
	ck_assert_int_eq(kbs_db_open(&db, path, KBS_OPEN_CREATE), KBS_OK);
	ck_assert_int_eq(kbs_db_check(db), KBS_CORRUPT);
	const char *msg = kbs_db_errmsg(db);
	ck_assert_ptr_nonnull(strstr(msg, path));
	ck_assert_ptr_nonnull(strstr(msg, "kbsearch index --rebuild"));
	/* nothing is written into it: a run with files to store checks
	 * the file first */
	char md[4200];
	snprintf(md, sizeof md, "%s/md", kbs_test_bundled_dir());
	const char *more[] = { md };
	unsigned long indexed = st.total;   /* the files stored before */
	ck_assert_int_eq(kbs_db_index(&st, db, more, 1, 0, NULL, NULL),
	                 KBS_CORRUPT);
	ck_assert_uint_eq(st.added, 0);
	kbs_db_close(db);

	char **sources = NULL;
	size_t n = 0;
	ck_assert_int_eq(kbs_db_rebuild(&db, &sources, &n, path), KBS_OK);
	ck_assert_uint_eq(n, indexed);
	ck_assert_ptr_null(sources[n]);
	char aside[700];
	snprintf(aside, sizeof aside, "%s.damaged", path);
	ck_assert_int_eq(access(aside, F_OK), 0);
	kbs_index_stats st2 = kbs_test_index(db, (const char *const *)sources,
	                                     n, 0);
	ck_assert_uint_eq(st2.added, n);
	ck_assert_uint_eq(st2.failed, 0);
	ck_assert_int_eq(kbs_db_check(db), KBS_OK);
	free(sources);
	kbs_test_db_free(db, dir);
}
END_TEST

START_TEST(foreign_file_as_database)
{
	char dir[512], path[600];
	kbs_db *db = kbs_test_db_new(dir, sizeof dir);
	kbs_db_close(db);
	snprintf(path, sizeof path, "%s/notes.txt", dir);
	FILE *f = fopen(path, "w");
	ck_assert_ptr_nonnull(f);
	for (int i = 0; i < 300; i++)
		fputs("Shopping list: milk, bread\n", f);
	fclose(f);
	ck_assert_int_eq(kbs_db_open(&db, path, KBS_OPEN_READONLY),
	                 KBS_CORRUPT);
	ck_assert_ptr_nonnull(strstr(kbs_db_errmsg(db), "notes.txt: not a "
	                                                "database file"));
	kbs_db_close(db);
	/* opening it to write changes nothing either */
	ck_assert_int_eq(kbs_db_open(&db, path, KBS_OPEN_CREATE), KBS_CORRUPT);
	kbs_db_close(db);
	struct stat sb;
	ck_assert_int_eq(stat(path, &sb), 0);
	ck_assert_int_eq(sb.st_size, 300 * 27);
	kbs_test_db_free(NULL, dir);
}
END_TEST

Suite *
suite_hardening(void)
{
	Suite *s = suite_create("hardening");
	TCase *tc = tcase_create("core");
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, path_escape_controls_and_bad_utf8);
	tcase_add_test(tc, records_capped_first_kept);
	tcase_add_test(tc, records_capped_reported);
	tcase_add_test(tc, html_tag_with_too_many_attributes);
	tcase_add_test(tc, damaged_database_checked_refused_rebuilt);
	tcase_add_test(tc, foreign_file_as_database);
	suite_add_tcase(s, tc);
	return s;
}
