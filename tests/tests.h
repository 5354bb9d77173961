/*
 * tests.h - suites of the Check runner and their shared fixtures.
 */
#ifndef KBS_TESTS_H
#define KBS_TESTS_H

#include <check.h>

#include "../src/private.h"
#include "../indexer/indexer.h"
#include "../query/query.h"
#include "../src/recognise.h"
#include "../paste/paste.h"

/* Directory of the project's own bundled corpus (corpus/). */
const char *kbs_test_bundled_dir(void);
/* Read a whole file into a heap buffer (NUL-terminated); NULL on error.
 * Caller frees with free(). */
char *kbs_test_read_file(const char *path, size_t *len);
/* A new database, dir/kb.sqlite, in a new temporary directory whose path
 * is written to dir (dirsz bytes); ck_assert on failure. Free both with
 * kbs_test_db_free(). */
kbs_db *kbs_test_db_new(char *dir, size_t dirsz);
/* Close db and remove dir with everything in it (write permission
 * restored first, for tests that take it away). */
void kbs_test_db_free(kbs_db *db, const char *dir);
/* Index paths[0..n) into db; ck_assert that the run itself succeeds
 * (files may still fail: see the stats). */
kbs_index_stats kbs_test_index(kbs_db *db, const char *const *paths,
                               size_t n, unsigned flags);
/* A new database holding the whole bundled corpus, with no file failing
 * (see kbs_test_db_new()). */
kbs_db *kbs_test_corpus_db(char *dir, size_t dirsz);

/* A file of the bundled corpus (path relative to corpus/), whole, in a
 * heap buffer; ck_assert when it cannot be read. Caller frees. */
char *kbs_test_read_bundled(const char *rel, size_t *len);

/* Records of a parsed article, or NULL (false) when it has none such. */
const kbs_event *kbs_test_event(const kbs_article *a, long id);
const kbs_code *kbs_test_code(const kbs_article *a, uint32_t value);
const kbs_section *kbs_test_section(const kbs_article *a,
                                    const char *heading);
bool kbs_test_in_list(const char *const *list, size_t n, const char *s);

/* Parse one file of the corpus with the classic text parser; ck_assert on
 * failure. Caller frees with kbs_article_free(). */
kbs_article *kbs_test_parse_kbtxt(const char *relpath);

Suite *suite_codes(void);
Suite *suite_kbtxt(void);
Suite *suite_markdown(void);
Suite *suite_html(void);
Suite *suite_paste(void);
Suite *suite_hostile(void);
Suite *suite_search(void);
Suite *suite_lookup(void);
Suite *suite_indexer(void);
Suite *suite_ranking(void);
Suite *suite_hardening(void);

#endif
