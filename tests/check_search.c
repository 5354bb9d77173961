/*
 * check_search.c - the database, the indexer run and the search, end to
 * end through the public API on the bundled corpus of real articles.
 */
#include "tests.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static char tmpdir[256];
static char dbpath[300];
static kbs_db *db;

static void
write_file(const char *path, const void *data, size_t len)
{
	FILE *f = fopen(path, "wb");
	ck_assert_ptr_nonnull(f);
	ck_assert_uint_eq(fwrite(data, 1, len, f), len);
	fclose(f);
}

/* Copy of a bundled file into dst (for tests that change or remove it). */
static void
copy_bundled(const char *rel, const char *dst)
{
	char src[4096];
	size_t len;
	snprintf(src, sizeof src, "%s/%s", kbs_test_bundled_dir(), rel);
	char *text = kbs_test_read_file(src, &len);
	ck_assert_ptr_nonnull(text);
	write_file(dst, text, len);
	free(text);
}

static kbs_index_stats
index_paths(const char *const *paths, size_t n, unsigned flags)
{
	return kbs_test_index(db, paths, n, flags);
}

/* A fresh database holding the whole bundled corpus. */
static void
setup_corpus(void)
{
	db = kbs_test_corpus_db(tmpdir, sizeof tmpdir);
	snprintf(dbpath, sizeof dbpath, "%s/kb.sqlite", tmpdir);
}

static void
teardown_corpus(void)
{
	kbs_test_db_free(db, tmpdir);
	db = NULL;
}

/* The KB id ranked first for paste, or "" when nothing matched. */
static const char *
first_hit(const char *paste, size_t len)
{
	static char id[64];
	kbs_results *res = NULL;
	const kbs_hit *hit;
	ck_assert_int_eq(kbs_search_text(&res, db, paste, len, NULL), KBS_OK);
	id[0] = '\0';
	if (kbs_results_next(&hit, res) == KBS_OK)
		snprintf(id, sizeof id, "%s", kbs_hit_get_kb_id(hit));
	kbs_results_free(res);
	return id;
}

START_TEST(test_index_counts_and_rerun)
{
	kbs_db_stats s = KBS_DB_STATS_INIT;
	ck_assert_int_eq(kbs_db_get_stats(&s, db), KBS_OK);
	ck_assert_int_ge(s.articles, 55);
	/* The text, Markdown and HTML renderings of one KB article are
	 * one article. */
	ck_assert_int_lt(s.articles, s.files);
	ck_assert_int_gt(s.events, 10);
	ck_assert_int_gt(s.codes, 5);
	/* A second run parses nothing and duplicates nothing. */
	const char *corpus = kbs_test_bundled_dir();
	kbs_index_stats st = index_paths(&corpus, 1, 0);
	ck_assert_uint_eq(st.unchanged + st.skipped, st.seen);
	ck_assert_uint_eq(st.added + st.updated + st.failed, 0);
	kbs_db_stats s2 = KBS_DB_STATS_INIT;
	ck_assert_int_eq(kbs_db_get_stats(&s2, db), KBS_OK);
	ck_assert_int_eq(s2.articles, s.articles);
	ck_assert_int_eq(s2.events, s.events);
}
END_TEST

START_TEST(test_eventviewer_termservice_first)
{
	const char *paste =
		"Log Name:      System\n"
		"Source:        TermService\n"
		"Date:          11/3/2025 9:14:02 AM\n"
		"Event ID:      1003\n"
		"Task Category: None\n"
		"Level:         Information\n"
		"Keywords:      Classic\n"
		"User:          N/A\n"
		"Computer:      SRV-TS01.contoso.local\n"
		"Description:\n"
		"The terminal service client has provided an invalid license.\n";
	ck_assert_str_eq(first_hit(paste, strlen(paste)), "Q294326");
}
END_TEST

START_TEST(test_message_first)
{
	const char *paste = "invalid key = missing module";
	ck_assert_str_eq(first_hit(paste, strlen(paste)), "Q187087");
	const char *dialog =
		"---------------------------\nMicrosoft Windows\n"
		"---------------------------\n"
		"There is not enough memory to run Word\n"
		"---------------------------\nOK\n"
		"---------------------------\n";
	ck_assert_str_eq(first_hit(dialog, strlen(dialog)), "Q100215");
}
END_TEST

/* The snippet of an article holding the pasted message shows the
 * message, its words marked, cut to about 24 words. */
START_TEST(test_snippet_shows_the_message)
{
	const char *paste = "There is not enough memory to run Word";
	kbs_results *res = NULL;
	const kbs_hit *hit;
	const kbs_span *sp;
	ck_assert_int_eq(kbs_search_text(&res, db, paste, strlen(paste),
	                                 NULL), KBS_OK);
	ck_assert_int_eq(kbs_results_next(&hit, res), KBS_OK);
	ck_assert_str_eq(kbs_hit_get_kb_id(hit), "Q100215");
	const char *snip = kbs_hit_get_snippet(hit);
	ck_assert_ptr_nonnull(snip);
	ck_assert_msg(strstr(snip, paste) != NULL, "snippet: %s", snip);
	/* the message is not where the article starts */
	ck_assert_msg(strncmp(snip, "... ", 4) == 0, "snippet: %s", snip);
	size_t words = 1;
	for (const char *p = snip; *p; p++)
		words += *p == ' ';
	ck_assert_msg(words <= 24 + 2, "%zu words: %s", words, snip);
	size_t n = kbs_hit_get_snippet_matches(hit, &sp);
	ck_assert_uint_ge(n, 4);
	char lower[64];
	for (size_t i = 0; i <= strlen(paste); i++)
		lower[i] = (char)tolower((unsigned char)paste[i]);
	for (size_t i = 0; i < n; i++) {
		char w[64];
		size_t len = sp[i].end - sp[i].start;
		ck_assert_uint_lt(len, sizeof w);
		for (size_t k = 0; k < len; k++)
			w[k] = (char)tolower((unsigned char)snip[sp[i].start + k]);
		w[len] = '\0';
		ck_assert_msg(strstr(lower, w) != NULL,
		              "marked \"%s\" is not a word of the paste", w);
	}
	kbs_results_free(res);
}
END_TEST

START_TEST(test_query_info_drops_volatile_parts)
{
	const char *paste =
		"Log Name:      System\nSource:        MSExchangeMTA\n"
		"Date:          5/4/2025 1:28:10 AM\nEvent ID:      9405\n"
		"Computer:      LAB-NT4.corp.example\nDescription:\n"
		"An unexpected error has occurred which may cause the MTA to "
		"terminate.\nError: Exception c0000005 occurred\n";
	kbs_results *res = NULL;
	const kbs_hit *hit;
	ck_assert_int_eq(kbs_search_text(&res, db, paste, strlen(paste),
	                                 NULL), KBS_OK);
	const kbs_query_info *q = kbs_results_get_query(res);
	ck_assert_ptr_nonnull(q);
	ck_assert_str_eq(q->kind, "eventviewer");
	ck_assert_int_eq(q->event_id, 9405);
	ck_assert_str_eq(q->source, "MSExchangeMTA");
	ck_assert_uint_ge(q->ncodes, 1);
	ck_assert_uint_eq(q->codes[0], 0xC0000005u);
	for (size_t i = 0; i < q->nterms; i++) {
		ck_assert_ptr_null(strstr(q->terms[i], "LAB"));
		ck_assert_ptr_null(strstr(q->terms[i], "2025"));
	}
	bool dropped_computer = false;
	for (size_t i = 0; i < q->ndropped; i++)
		if (strstr(q->dropped[i], "LAB-NT4") != NULL)
			dropped_computer = true;
	ck_assert(dropped_computer);
	ck_assert_int_eq(kbs_results_next(&hit, res), KBS_OK);
	ck_assert_str_eq(kbs_hit_get_kb_id(hit), "Q140957");
	const char *const *m;
	size_t nm = kbs_hit_get_matched(hit, &m);
	bool ev = false, src = false, code = false;
	for (size_t i = 0; i < nm; i++) {
		ev |= strcmp(m[i], "event_id") == 0;
		src |= strcmp(m[i], "source") == 0;
		code |= strcmp(m[i], "code") == 0;
	}
	ck_assert(ev && src && code);
	kbs_results_free(res);
}
END_TEST

START_TEST(test_hostile_pastes_never_fail)
{
	static const char *const nasty[] = {
		"", " ", "\"", "\"\"\"", "(", ")", "((((", "a AND", "OR OR OR",
		"NOT", "NEAR(a b, 3)", "* ^ - + : ", "title:foo", "col : \"x",
		"\"unterminated quote", "{ } [ ] ^a* -b +c", "AND OR NOT NEAR",
		"\xff\xfe\xfd", "caf\xc3\xa9 na\xc3\xafve \xe2\x80\x9cquoted\xe2\x80\x9d",
		"0x80070005 -2147024891 2147942405", "Q294326 KB 294326",
	};
	kbs_results *res;
	for (size_t i = 0; i < sizeof nasty / sizeof *nasty; i++) {
		res = NULL;
		ck_assert_msg(kbs_search_text(&res, db, nasty[i],
		              strlen(nasty[i]), NULL) == KBS_OK, "paste %zu", i);
		kbs_results_free(res);
	}
	/* Binary bytes with NULs, and generated operator soup. */
	unsigned seed = 12345;
	char buf[512];
	for (int round = 0; round < 300; round++) {
		size_t len = (size_t)(seed % sizeof buf);
		for (size_t i = 0; i < len; i++) {
			seed = seed * 1103515245u + 12345u;
			buf[i] = round % 2 ? (char)(seed >> 16)
			                   : "()\"*^-+: ANDORNTE\n\x00xQ0"[(seed >> 16) % 22];
		}
		res = NULL;
		ck_assert_int_eq(kbs_search_text(&res, db, buf, len, NULL),
		                 KBS_OK);
		kbs_results_free(res);
	}
}
END_TEST

START_TEST(test_long_paste_is_bounded)
{
	/* 1 MB of article text pasted: the query keeps a bounded number of
	 * terms and reports the rest as dropped. */
	size_t cap = 1u << 20, len = 0, n;
	char *big = malloc(cap + 1);
	char path[4096];
	snprintf(path, sizeof path, "%s/txt/Q140957.TXT", kbs_test_bundled_dir());
	char *text = kbs_test_read_file(path, &n);
	ck_assert_ptr_nonnull(big);
	ck_assert_ptr_nonnull(text);
	while (len + n <= cap) {
		memcpy(big + len, text, n);
		len += n;
	}
	kbs_results *res = NULL;
	ck_assert_int_eq(kbs_search_text(&res, db, big, len, NULL), KBS_OK);
	const kbs_query_info *q = kbs_results_get_query(res);
	/* 24 words of the paste, and at most 8 words of other names of
	 * the products it names */
	ck_assert_uint_le(q->nterms, 24 + 8);
	ck_assert_uint_gt(q->ndropped, 100);
	ck_assert_uint_gt(kbs_results_count(res), 0);
	kbs_results_free(res);
	free(big);
	free(text);
}
END_TEST

START_TEST(test_event_lookup_and_show)
{
	kbs_results *res = NULL;
	const kbs_hit *hit;
	ck_assert_int_eq(kbs_search_event(&res, db, 9405, "msexchangemta"),
	                 KBS_OK);
	ck_assert_int_eq(kbs_results_next(&hit, res), KBS_OK);
	ck_assert_str_eq(kbs_hit_get_kb_id(hit), "Q140957");
	const kbs_event *e = kbs_hit_get_event(hit);
	ck_assert_ptr_nonnull(e);
	ck_assert_str_eq(e->source, "MSExchangeMTA");
	kbs_results_free(res);

	res = NULL;
	ck_assert_int_eq(kbs_search_event(&res, db, 987654, NULL), KBS_OK);
	ck_assert_int_eq(kbs_results_next(&hit, res), KBS_DONE);
	kbs_results_free(res);

	kbs_article *a = NULL;
	ck_assert_int_eq(kbs_article_get(&a, db, "KB 140957"), KBS_OK);
	ck_assert_str_eq(kbs_article_get_kb_id(a), "Q140957");
	const kbs_event *ev;
	size_t nev = kbs_article_get_events(a, &ev);
	ck_assert_uint_ge(nev, 1);
	ck_assert_int_eq(ev[0].id, 9405);
	const kbs_section *sec;
	ck_assert_uint_gt(kbs_article_get_sections(a, &sec), 1);
	ck_assert_ptr_nonnull(strstr(kbs_article_get_path(a), "Q140957.TXT"));
	kbs_article_free(a);

	a = NULL;
	ck_assert_int_eq(kbs_article_get(&a, db, "Q999999"), KBS_NOT_FOUND);
	ck_assert_int_eq(kbs_article_get(&a, db, "not an id"), KBS_INVALID);
	ck_assert_ptr_null(a);
}
END_TEST

/* Bad files are reported one by one; the good ones and everything
 * indexed before stay. */
START_TEST(test_bad_files_do_not_stop_the_run)
{
	char dir[400], path[500];
	kbs_db_stats before = KBS_DB_STATS_INIT, after = KBS_DB_STATS_INIT;
	snprintf(dir, sizeof dir, "%s/bad", tmpdir);
	ck_assert_int_eq(mkdir(dir, 0755), 0);
	snprintf(path, sizeof path, "%s/empty.txt", dir);
	write_file(path, "", 0);
	snprintf(path, sizeof path, "%s/binary.bin", dir);
	write_file(path, "MZ\0\0\x90\0\x03\0\0\0\x04\0", 12);
	snprintf(path, sizeof path, "%s/blank.txt", dir);
	write_file(path, "\n \n\t\n", 5);
	snprintf(path, sizeof path, "%s/good.txt", dir);
	const char *good = "Frobnicator widget fails\n\nThe zyzzyva "
	                   "frobnicator reports error 0x8007000E.\n";
	write_file(path, good, strlen(good));

	ck_assert_int_eq(kbs_db_get_stats(&before, db), KBS_OK);
	const char *p = dir;
	kbs_index_stats st = index_paths(&p, 1, 0);
	ck_assert_uint_eq(st.failed, 3);
	ck_assert_uint_eq(st.added, 1);
	ck_assert_int_eq(kbs_db_get_stats(&after, db), KBS_OK);
	ck_assert_int_eq(after.articles, before.articles + 1);

	/* The plain-text article is searchable, by its words and its code
	 * in another notation (E_OUTOFMEMORY = Win32 error 14). */
	const char *q = "zyzzyva frobnicator";
	kbs_article *a = NULL;
	ck_assert_int_eq(kbs_article_get(&a, db, first_hit(q, strlen(q))),
	                 KBS_OK);
	ck_assert_ptr_nonnull(strstr(kbs_article_get_path(a), "good.txt"));
	kbs_article_free(a);

	/* A missing path is one failure, not a stop. */
	const char *missing = "/nonexistent/kbsearch/path";
	st = index_paths(&missing, 1, 0);
	ck_assert_uint_eq(st.failed, 1);
}
END_TEST

/* A service named in an event message is out of the message (articles
 * quote the template with other names) but still searched: the article
 * about that service comes before one that only quotes the template. */
START_TEST(test_service_name_still_searched)
{
	char dir[400], path[500];
	snprintf(dir, sizeof dir, "%s/svc", tmpdir);
	ck_assert_int_eq(mkdir(dir, 0755), 0);
	const char *generic =
		"Services fail to start with access denied\n\n"
		"The service failed to start due to the following error: "
		"Access is denied. Check the rights of the service account.\n";
	const char *named =
		"Zorblax Relay stops at startup\n\n"
		"After a password change the Zorblax Relay service does not "
		"start: its account lost the right to log on as a service, "
		"and the system log says that the service failed to start "
		"due to the following error: Access is denied.\n";
	snprintf(path, sizeof path, "%s/generic.txt", dir);
	write_file(path, generic, strlen(generic));
	snprintf(path, sizeof path, "%s/named.txt", dir);
	write_file(path, named, strlen(named));
	const char *p = dir;
	ck_assert_uint_eq(index_paths(&p, 1, 0).added, 2);

	const char *q = "The Zorblax Relay service failed to start due to the "
	                "following error:\nAccess is denied.";
	kbs_article *a = NULL;
	ck_assert_int_eq(kbs_article_get(&a, db, first_hit(q, strlen(q))),
	                 KBS_OK);
	ck_assert_ptr_nonnull(strstr(kbs_article_get_path(a), "named.txt"));
	kbs_article_free(a);
}
END_TEST

START_TEST(test_update_and_prune)
{
	char dir[400], path[500];
	snprintf(dir, sizeof dir, "%s/mut", tmpdir);
	ck_assert_int_eq(mkdir(dir, 0755), 0);
	snprintf(path, sizeof path, "%s/Q187087.TXT", dir);
	/* Same KB id as a bundled file: one id stays one article. */
	copy_bundled("seeds/004_8b6a572fc5bb9841.txt", path);
	kbs_db_stats s0 = KBS_DB_STATS_INIT, s1 = KBS_DB_STATS_INIT;
	ck_assert_int_eq(kbs_db_get_stats(&s0, db), KBS_OK);
	const char *p = dir;
	kbs_index_stats st = index_paths(&p, 1, 0);
	ck_assert_uint_eq(st.added, 1);
	ck_assert_int_eq(kbs_db_get_stats(&s1, db), KBS_OK);
	ck_assert_int_eq(s1.articles, s0.articles);

	/* A changed file replaces its article's data. (A second file of the
	 * bundled article would only supply it if it sorted first: the best
	 * structured file of an article supplies it, then the first path.) */
	char path2[500];
	snprintf(path2, sizeof path2, "%s/Q999187.TXT", dir);
	const char *text = "DOCUMENT:Q999187  11-DEC-2001  [winnt]\n"
	                   "TITLE   :Quuxotic Dongle Refuses Terminal Server\n"
	                   "\nSYMPTOMS\n========\n\nThe quuxotic dongle "
	                   "blinks.\n";
	write_file(path2, text, strlen(text));
	st = index_paths(&p, 1, 0);
	ck_assert_uint_eq(st.added, 1);
	const char *q = "quuxotic dongle blinks";
	ck_assert_str_eq(first_hit(q, strlen(q)), "Q999187");
	text = "DOCUMENT:Q999187  12-DEC-2001  [winnt]\n"
	       "TITLE   :Flibbertigibbet Gateway Drops Sessions\n"
	       "\nSYMPTOMS\n========\n\nThe flibbertigibbet gateway "
	       "drops every session.\n";
	write_file(path2, text, strlen(text));
	st = index_paths(&p, 1, 0);
	ck_assert_uint_eq(st.updated, 1);
	ck_assert_uint_eq(st.unchanged, 1);
	ck_assert_str_ne(first_hit(q, strlen(q)), "Q999187");
	q = "flibbertigibbet gateway drops sessions";
	ck_assert_str_eq(first_hit(q, strlen(q)), "Q999187");

	/* Removed files: --prune drops the article whose only file went;
	 * the bundled article keeps its own file. */
	ck_assert_int_eq(unlink(path), 0);
	ck_assert_int_eq(unlink(path2), 0);
	st = index_paths(NULL, 0, KBS_INDEX_PRUNE);
	ck_assert_uint_eq(st.pruned, 1);
	ck_assert_str_ne(first_hit(q, strlen(q)), "Q999187");
	q = "invalid key = missing module";
	ck_assert_str_eq(first_hit(q, strlen(q)), "Q187087");
	kbs_db_stats s2 = KBS_DB_STATS_INIT;
	ck_assert_int_eq(kbs_db_get_stats(&s2, db), KBS_OK);
	ck_assert_int_eq(s2.articles, s0.articles);
}
END_TEST

START_TEST(test_schema_version_mismatch)
{
	char path[400];
	kbs_db *other = NULL;
	sqlite3 *raw;
	snprintf(path, sizeof path, "%s/old.sqlite", tmpdir);
	ck_assert_int_eq(kbs_db_open(&other, path, KBS_OPEN_CREATE), KBS_OK);
	kbs_db_close(other);
	ck_assert_int_eq(sqlite3_open(path, &raw), SQLITE_OK);
	ck_assert_int_eq(sqlite3_exec(raw, "UPDATE meta SET value = '999' "
	                 "WHERE key = 'schema_version'", NULL, NULL, NULL),
	                 SQLITE_OK);
	sqlite3_close(raw);
	other = NULL;
	ck_assert_int_eq(kbs_db_open(&other, path, KBS_OPEN_READONLY),
	                 KBS_SCHEMA);
	ck_assert_ptr_nonnull(strstr(kbs_db_errmsg(other), "999"));
	kbs_db_close(other);

	/* Some other SQLite file is refused, not converted. */
	snprintf(path, sizeof path, "%s/foreign.sqlite", tmpdir);
	ck_assert_int_eq(sqlite3_open(path, &raw), SQLITE_OK);
	ck_assert_int_eq(sqlite3_exec(raw, "CREATE TABLE t(x)", NULL, NULL,
	                 NULL), SQLITE_OK);
	sqlite3_close(raw);
	other = NULL;
	ck_assert_int_eq(kbs_db_open(&other, path, KBS_OPEN_CREATE),
	                 KBS_SCHEMA);
	kbs_db_close(other);

	other = NULL;
	ck_assert_int_eq(kbs_db_open(&other, "/nonexistent/kb.sqlite",
	                 KBS_OPEN_READONLY), KBS_IO);
	kbs_db_close(other);
	kbs_db_close(NULL);
	kbs_results_free(NULL);
	kbs_article_free(NULL);
}
END_TEST

/* Data attached to a handle (src/db.c): replaced, detached and freed at
 * close by its own destructor; a read-only handle's first search
 * registers the ranking function on its connection. */
static int destroyed;
static void
count_destroy(void *p)
{
	destroyed += *(int *)p;
}

START_TEST(test_attached_data)
{
	static const char k1, k2;
	int one = 1, ten = 10, hundred = 100;
	kbs_db *ro = NULL;
	kbs_results *res = NULL;
	const kbs_hit *hit;
	static const char paste[] = "The RPC server is unavailable";

	destroyed = 0;
	ck_assert_int_eq(kbs_db_open(&ro, dbpath, KBS_OPEN_READONLY), KBS_OK);
	ck_assert_ptr_null(kbs__db_attached(ro, &k1));
	ck_assert_int_eq(kbs__db_attach(ro, &k1, &one, count_destroy), KBS_OK);
	ck_assert_ptr_eq(kbs__db_attached(ro, &k1), &one);
	ck_assert_int_eq(kbs__db_attach(ro, &k1, &ten, count_destroy), KBS_OK);
	ck_assert_int_eq(destroyed, 1);
	ck_assert_ptr_eq(kbs__db_attached(ro, &k1), &ten);
	ck_assert_int_eq(kbs__db_attach(ro, &k1, NULL, NULL), KBS_OK);
	ck_assert_int_eq(destroyed, 11);
	ck_assert_ptr_null(kbs__db_attached(ro, &k1));
	ck_assert_int_eq(kbs__db_attach(ro, &k2, &hundred, count_destroy),
	                 KBS_OK);
	for (int i = 0; i < 2; i++) {
		ck_assert_int_eq(kbs_search_text(&res, ro, paste,
		                                 sizeof paste - 1, NULL), KBS_OK);
		ck_assert_int_eq(kbs_results_next(&hit, res), KBS_OK);
		kbs_results_free(res);
	}
	kbs_db_close(ro);
	ck_assert_int_eq(destroyed, 111);
}
END_TEST

START_TEST(test_status_strings)
{
	for (int s = KBS_OK; s <= KBS_READONLY; s++)
		ck_assert_str_ne(kbs_status_str((kbs_status)s), "unknown status");
	ck_assert_str_eq(kbs_status_str((kbs_status)9999), "unknown status");
	ck_assert_str_eq(kbs_version(), KBS_VERSION_STRING);
}
END_TEST

Suite *
suite_search(void)
{
	Suite *s = suite_create("search");
	TCase *tc = tcase_create("corpus");
	tcase_set_timeout(tc, 60);
	tcase_add_checked_fixture(tc, setup_corpus, teardown_corpus);
	tcase_add_test(tc, test_index_counts_and_rerun);
	tcase_add_test(tc, test_eventviewer_termservice_first);
	tcase_add_test(tc, test_message_first);
	tcase_add_test(tc, test_snippet_shows_the_message);
	tcase_add_test(tc, test_query_info_drops_volatile_parts);
	tcase_add_test(tc, test_hostile_pastes_never_fail);
	tcase_add_test(tc, test_long_paste_is_bounded);
	tcase_add_test(tc, test_event_lookup_and_show);
	tcase_add_test(tc, test_bad_files_do_not_stop_the_run);
	tcase_add_test(tc, test_service_name_still_searched);
	tcase_add_test(tc, test_update_and_prune);
	tcase_add_test(tc, test_schema_version_mismatch);
	tcase_add_test(tc, test_attached_data);
	tcase_add_test(tc, test_status_strings);
	suite_add_tcase(s, tc);
	return s;
}
