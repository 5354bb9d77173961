/*
 * check_ranking.c - what widens or narrows a search: product aliases,
 * misspelt words, product and version filters; on the bundled corpus,
 * through the public API.
 */
#include "tests.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

static char tmpdir[256];
static kbs_db *db;

static void
setup(void)
{
	db = kbs_test_corpus_db(tmpdir, sizeof tmpdir);
}

static void
teardown(void)
{
	kbs_test_db_free(db, tmpdir);
	db = NULL;
}

static kbs_results *
search(const char *paste, const kbs_search_options *o)
{
	kbs_results *res = NULL;
	kbs_status rc = kbs_search_text(&res, db, paste, strlen(paste), o);
	ck_assert_msg(rc == KBS_OK, "%s: %s", kbs_status_str(rc),
	              kbs_db_errmsg(db));
	return res;
}

/* 1-based rank of the first hit whose KB id (or path, for articles
 * without one) contains want, or 0. */
static int
rank_of(const char *paste, const char *want, const kbs_search_options *o)
{
	kbs_results *res = search(paste, o);
	const kbs_hit *h;
	int rank = 0;
	while (rank == 0 && kbs_results_next(&h, res) == KBS_OK) {
		const char *id = kbs_hit_get_kb_id(h);
		const char *path = kbs_hit_get_path(h);
		if ((id != NULL && strcmp(id, want) == 0) ||
		    (path != NULL && strstr(path, want) != NULL))
			rank = kbs_hit_get_rank(h);
	}
	kbs_results_free(res);
	return rank;
}

START_TEST(test_modern_wording_finds_old_article)
{
	/* Q294326 says "terminal service client"; seed 003 says "remote
	 * desktop client". */
	const char *paste = "The remote desktop client has provided an "
	                    "invalid license.";
	int q = rank_of(paste, "Q294326", NULL);
	int seed = rank_of(paste, "003_496a30f8ffb9ceb0", NULL);
	ck_assert_msg(q >= 1 && q <= 3, "Q294326 at %d", q);
	ck_assert_msg(seed >= 1 && seed <= 3, "seed 003 at %d", seed);

	/* The JSON's query says which other names were tried, and the hit
	 * says it matched through one. */
	kbs_results *res = search(paste, NULL);
	const kbs_query_info *qi = kbs_results_get_query(res);
	bool named = false;
	for (size_t i = 0; i < qi->naliases; i++)
		if (strcasecmp(qi->aliases[i], "Terminal Services Client") == 0)
			named = true;
	ck_assert(named);
	const kbs_hit *h;
	bool via = false;
	while (kbs_results_next(&h, res) == KBS_OK) {
		if (strcmp(kbs_hit_get_kb_id(h), "Q294326") != 0)
			continue;
		const char *const *m;
		size_t n = kbs_hit_get_matched(h, &m);
		for (size_t i = 0; i < n; i++)
			via |= strcmp(m[i], "alias") == 0;
	}
	ck_assert(via);
	kbs_results_free(res);

	/* Without aliases in the paste, no variant is searched. */
	res = search("invalid license", NULL);
	ck_assert_uint_eq(kbs_results_get_query(res)->naliases, 0);
	kbs_results_free(res);
}
END_TEST

START_TEST(test_renamed_product_both_ways)
{
	/* Q238186 is about "Terminal Server clients"; paste the modern
	 * names. */
	const char *paste = "Simultaneous Remote Desktop Connection logons "
	                    "may not connect";
	int r = rank_of(paste, "Q238186", NULL);
	ck_assert_msg(r == 1, "Q238186 at %d", r);
}
END_TEST

START_TEST(test_user_alias_file)
{
	char path[400];
	snprintf(path, sizeof path, "%s/aliases.txt", tmpdir);
	FILE *f = fopen(path, "w");
	ck_assert_ptr_nonnull(f);
	fputs("# ours\n\nFrobozz Gateway | terminal service client\n", f);
	fclose(f);
	const char *paste = "The frobozz gateway has provided an invalid "
	                    "license";
	kbs_results *res = search(paste, NULL);
	ck_assert_uint_eq(kbs_results_get_query(res)->naliases, 0);
	kbs_results_free(res);
	ck_assert_int_eq(kbs_db_load_aliases(db, path), KBS_OK);
	res = search(paste, NULL);
	const kbs_query_info *q = kbs_results_get_query(res);
	ck_assert_uint_eq(q->naliases, 1);
	ck_assert_str_eq(q->aliases[0], "terminal service client");
	const kbs_hit *h;
	ck_assert_int_eq(kbs_results_next(&h, res), KBS_OK);
	ck_assert_str_eq(kbs_hit_get_kb_id(h), "Q294326");
	const char *const *m;
	size_t n = kbs_hit_get_matched(h, &m);
	bool via = false;
	for (size_t i = 0; i < n; i++)
		via |= strcmp(m[i], "alias") == 0;
	ck_assert(via);
	kbs_results_free(res);

	/* Bad files: a clear status and message naming the file. */
	ck_assert_int_eq(kbs_db_load_aliases(db, "/nonexistent/aliases"),
	                 KBS_IO);
	ck_assert_ptr_nonnull(strstr(kbs_db_errmsg(db), "/nonexistent"));
	f = fopen(path, "w");
	fputs("a | b\nlonely name\n", f);
	fclose(f);
	ck_assert_int_eq(kbs_db_load_aliases(db, path), KBS_PARSE);
	ck_assert_ptr_nonnull(strstr(kbs_db_errmsg(db), "aliases.txt:2:"));
	ck_assert_int_eq(kbs_db_load_aliases(db, NULL), KBS_INVALID);
}
END_TEST

START_TEST(test_misspelt_words_still_match)
{
	/* Two words misspelt by one edit each: a swap and a deletion. */
	const char *right = "The terminal service client has provided an "
	                    "invalid license. Release the license.";
	const char *paste = "The terminal service client has provided an "
	                    "invalid licnese. Relase the licence.";
	int want = rank_of(right, "Q294326", NULL);
	ck_assert_int_ge(want, 1);
	ck_assert_int_le(want, 3);
	ck_assert_int_eq(rank_of(paste, "Q294326", NULL), want);
	kbs_results *res = search(paste, NULL);
	const kbs_query_info *q = kbs_results_get_query(res);
	bool fixed = false;
	for (size_t i = 0; i < q->ncorrected; i++)
		fixed |= strncmp(q->corrected[i], "licnese -> licens", 17) == 0;
	ck_assert_msg(fixed, "%zu corrections", q->ncorrected);
	kbs_results_free(res);

	/* Words the index holds are never corrected, and short unknown
	 * words are left alone. */
	res = search("invalid license provided xyzw", NULL);
	ck_assert_uint_eq(kbs_results_get_query(res)->ncorrected, 0);
	kbs_results_free(res);

	/* Nor is a name made a word under four letters: "dllqs" (stem
	 * "dllq") is not a misspelt "dll". */
	res = search("Error loading dllqs", NULL);
	ck_assert_uint_eq(kbs_results_get_query(res)->ncorrected, 0);
	kbs_results_free(res);

	/* "Simultanous" (one letter dropped) finds the article that has
	 * "Simultaneous" in its title. */
	ck_assert_int_eq(rank_of("Simultanous Terminal Server client "
	                         "logons", "Q238186", NULL), 1);
}
END_TEST

/* Does the search for paste report a correction starting with fix? */
static bool
corrected(const char *paste, const char *fix)
{
	kbs_results *res = search(paste, NULL);
	const kbs_query_info *q = kbs_results_get_query(res);
	bool found = false;
	for (size_t i = 0; i < q->ncorrected; i++)
		found |= strncmp(q->corrected[i], fix, strlen(fix)) == 0;
	kbs_results_free(res);
	return found;
}

/* The number of distinct terms kbs_db_get_stats() reports, and the one
 * counted from the full-text index itself. */
static long long
terms_reported(void)
{
	kbs_db_stats st = KBS_DB_STATS_INIT;
	ck_assert_int_eq(kbs_db_get_stats(&st, db), KBS_OK);
	return st.terms;
}

static long long
terms_indexed(void)
{
	long long n = -1;
	ck_assert_int_eq(kbs__db_count(db, "SELECT count(*) FROM "
	                               "article_vocab", &n), KBS_OK);
	return n;
}

START_TEST(test_spelling_follows_index_runs)
{
	char path[600];
	sqlite3 *raw = NULL;

	/* A file made before the spelling table existed still gets its
	 * words corrected (from the full-text index's vocabulary). */
	snprintf(path, sizeof path, "%s/kb.sqlite", tmpdir);
	ck_assert_int_eq(sqlite3_open(path, &raw), SQLITE_OK);
	ck_assert_int_eq(sqlite3_exec(raw, "DROP TABLE spelling", NULL, NULL,
	                              NULL), SQLITE_OK);
	sqlite3_close(raw);
	ck_assert(corrected("The client has an invalid licnese",
	                    "licnese -> licens"));
	ck_assert(!corrected("Quorvadel failure", "Quorvadel -> "));

	/* A word first indexed by a later run is one to correct to: the
	 * run rebuilds the table (and makes it in the older file). */
	snprintf(path, sizeof path, "%s/new.txt", tmpdir);
	FILE *f = fopen(path, "w");
	ck_assert_ptr_nonnull(f);
	fputs("Quorvandel failure\n\nThe quorvandel service stopped "
	      "unexpectedly.\n", f);
	fclose(f);
	const char *p = path;
	ck_assert_uint_eq(kbs_test_index(db, &p, 1, 0).added, 1);
	ck_assert(corrected("Quorvadel failure", "Quorvadel -> quorvandel"));
	ck_assert_int_eq(rank_of("Quorvadel failure", "new.txt", NULL), 1);
	ck_assert(corrected("The client has an invalid licnese",
	                    "licnese -> licens"));

	/* A run stopped after writing articles, before the rebuild, leaves
	 * the table stale: the next run rebuilds it though it stores
	 * nothing. */
	snprintf(path, sizeof path, "%s/kb.sqlite", tmpdir);
	ck_assert_int_eq(sqlite3_open(path, &raw), SQLITE_OK);
	ck_assert_int_eq(sqlite3_exec(raw, "DELETE FROM spelling; UPDATE meta "
	                              "SET value = 'stale' WHERE key = "
	                              "'spelling'", NULL, NULL, NULL),
	                 SQLITE_OK);
	sqlite3_close(raw);
	ck_assert(!corrected("Quorvadel failure", "Quorvadel -> quorvandel"));
	snprintf(path, sizeof path, "%s/new.txt", tmpdir);
	kbs_index_stats st = kbs_test_index(db, &p, 1, 0);
	ck_assert_uint_eq(st.added + st.updated, 0);
	ck_assert(corrected("Quorvadel failure", "Quorvadel -> quorvandel"));
	ck_assert_int_eq(terms_reported(), terms_indexed());

	/* Removing the file: the term count stays exact at once, and the
	 * next run, though it stores nothing, forgets the word. */
	char keep[600];
	snprintf(keep, sizeof keep, "%s/keep.txt", tmpdir);
	f = fopen(keep, "w");
	ck_assert_ptr_nonnull(f);
	fputs("Spooler stops\n\nThe print spooler stops at startup.\n", f);
	fclose(f);
	const char *k = keep;
	ck_assert_uint_eq(kbs_test_index(db, &k, 1, 0).added, 1);
	long long before = terms_reported();
	ck_assert_int_eq(before, terms_indexed());
	unsigned long removed = 0;
	ck_assert_int_eq(kbs_db_remove_path(&removed, db, path), KBS_OK);
	ck_assert_uint_eq(removed, 1);
	ck_assert_int_lt(terms_reported(), before);
	ck_assert_int_eq(terms_reported(), terms_indexed());
	ck_assert(corrected("Quorvadel failure", "Quorvadel -> quorvandel"));
	st = kbs_test_index(db, &k, 1, 0);
	ck_assert_uint_eq(st.unchanged, 1);
	ck_assert(!corrected("Quorvadel failure", "Quorvadel -> quorvandel"));
	ck_assert_int_eq(terms_reported(), terms_indexed());
}
END_TEST

/* Of two articles holding a message word for word, the one whose title
 * names it ("Err Msg: ...") comes first, and says so. */
START_TEST(test_title_names_the_message)
{
	const char *msg = "An application error has occurred and an "
	                  "application error log is being generated.";
	char dir[4200];
	snprintf(dir, sizeof dir, "%s/tests/data/ranking", KBS_TOP_SRCDIR);
	const char *p = dir;
	ck_assert_uint_eq(kbs_test_index(db, &p, 1, 0).added, 1);
	ck_assert_int_eq(rank_of(msg, "Q103147", NULL), 1);
	ck_assert_int_eq(rank_of(msg, "Q150241", NULL), 2);

	kbs_results *res = search(msg, NULL);
	const kbs_hit *h;
	const char *const *m;
	ck_assert_int_eq(kbs_results_next(&h, res), KBS_OK);
	size_t n = kbs_hit_get_matched(h, &m);
	bool title = false;
	for (size_t i = 0; i < n; i++)
		title |= strcmp(m[i], "title") == 0;
	ck_assert(title);
	ck_assert_int_eq(kbs_results_next(&h, res), KBS_OK);
	n = kbs_hit_get_matched(h, &m);
	for (size_t i = 0; i < n; i++)
		ck_assert_str_ne(m[i], "title");
	kbs_results_free(res);
}
END_TEST

/* Does every hit of paste have a product containing words and, when
 * given, version? */
static int
all_hits_apply(const char *paste, const char *product, const char *version,
               const char *must)
{
	kbs_search_options o = { .version = KBS_SEARCH_OPTIONS_VERSION,
	                         .limit = 50, .product = product,
	                         .product_version = version };
	kbs_results *res = search(paste, &o);
	const kbs_hit *h;
	int n = 0;
	while (kbs_results_next(&h, res) == KBS_OK) {
		const char *const *p;
		size_t np = kbs_hit_get_products(h, &p);
		bool ok = false;
		for (size_t i = 0; i < np; i++)
			ok |= strstr(p[i], must) != NULL;
		ck_assert_msg(ok, "%s has no product \"%s\"",
		              kbs_hit_get_kb_id(h), must);
		n++;
	}
	kbs_results_free(res);
	return n;
}

START_TEST(test_product_and_version_filters)
{
	const char *paste = "error message when the server starts";
	kbs_search_options all = { .version = KBS_SEARCH_OPTIONS_VERSION,
	                          .limit = 50 };
	kbs_results *res = search(paste, &all);
	int unfiltered = (int)kbs_results_count(res);
	kbs_results_free(res);

	int nt4 = all_hits_apply(paste, "Windows NT", "4.0",
	                         "Windows NT");
	ck_assert_int_gt(nt4, 0);
	ck_assert_int_lt(nt4, unfiltered);
	int nt351 = all_hits_apply(paste, "Windows NT", "3.51", " 3.51");
	ck_assert_int_gt(nt351, 0);
	/* A service pack is understood: 4.0 SP4 articles and articles for
	 * 4.0 as a whole. */
	int sp4 = all_hits_apply("terminal server client logons", "Windows NT",
	                         "4.0 SP4", "Windows NT");
	ck_assert_int_gt(sp4, 0);
	ck_assert_int_eq(rank_of("Simultaneous Terminal Server Client "
	                         "Logons", "Q238186",
	                         &(kbs_search_options){
	                             .version = KBS_SEARCH_OPTIONS_VERSION,
	                             .product = "Windows NT",
	                             .product_version = "4.0sp4" }), 1);
	/* A product named by another name of its alias group. */
	ck_assert_int_gt(all_hits_apply("license", "Remote Desktop Services",
	                                NULL, "Terminal Server"), 0);
	/* A product no article has: nothing, not an error. */
	ck_assert_int_eq(all_hits_apply(paste, "Zune Marketplace", NULL,
	                                "Zune"), 0);
}
END_TEST

START_TEST(test_long_log_searched_where_it_fails)
{
	/* 600 KB of routine log lines with the failure in the middle: the
	 * part searched is the one that says what went wrong. */
	size_t cap = 700000, len = 0;
	char *log = malloc(cap);
	ck_assert_ptr_nonnull(log);
	for (int i = 0; len < 600000; i++) {
		if (i == 4000)
			len += (size_t)snprintf(log + len, cap - len,
			    "12:00:%02d Error: RUN/! command failed when using "
			    "the RUN command to execute an MS-DOS command\n",
			    i % 60);
		len += (size_t)snprintf(log + len, cap - len,
		    "12:00:%02d Service heartbeat %d received from node "
		    "alpha; queue depth nominal.\n", i % 60, i);
	}
	kbs_results *res = NULL;
	ck_assert_int_eq(kbs_search_text(&res, db, log, len, NULL), KBS_OK);
	const kbs_hit *h;
	ck_assert_int_eq(kbs_results_next(&h, res), KBS_OK);
	ck_assert_str_eq(kbs_hit_get_kb_id(h), "Q103032");
	const kbs_query_info *q = kbs_results_get_query(res);
	ck_assert_ptr_nonnull(strstr(q->dropped[q->ndropped - 1],
	                             "outside the part searched"));
	kbs_results_free(res);
	free(log);
}
END_TEST

Suite *
suite_ranking(void)
{
	Suite *s = suite_create("ranking");
	TCase *tc = tcase_create("bundled");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_modern_wording_finds_old_article);
	tcase_add_test(tc, test_renamed_product_both_ways);
	tcase_add_test(tc, test_user_alias_file);
	tcase_add_test(tc, test_misspelt_words_still_match);
	tcase_add_test(tc, test_spelling_follows_index_runs);
	tcase_add_test(tc, test_title_names_the_message);
	tcase_add_test(tc, test_product_and_version_filters);
	tcase_add_test(tc, test_long_log_searched_where_it_fails);
	suite_add_tcase(s, tc);
	return s;
}
