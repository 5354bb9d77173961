/*
 * check_main.c - the Check runner: one suite per area, shared fixtures.
 */
#include "tests.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *
kbs_test_bundled_dir(void)
{
	static char buf[4096];
	snprintf(buf, sizeof buf, "%s/corpus", KBS_TOP_SRCDIR);
	return buf;
}

char *
kbs_test_read_file(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	if (f == NULL)
		return NULL;
	size_t cap = 65536, n = 0, r;
	char *buf = malloc(cap + 1);
	while (buf != NULL && (r = fread(buf + n, 1, cap - n, f)) > 0) {
		n += r;
		if (n == cap) {
			char *nb = realloc(buf, cap * 2 + 1);
			if (nb == NULL) {
				free(buf);
				buf = NULL;
				break;
			}
			buf = nb;
			cap *= 2;
		}
	}
	fclose(f);
	if (buf != NULL) {
		buf[n] = '\0';
		if (len != NULL)
			*len = n;
	}
	return buf;
}

kbs_db *
kbs_test_db_new(char *dir, size_t dirsz)
{
	char path[4200];
	kbs_db *db = NULL;
	snprintf(dir, dirsz, "%s/kbs-test-XXXXXX",
	         getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(path, sizeof path, "%s/kb.sqlite", dir);
	ck_assert_int_eq(kbs_db_open(&db, path, KBS_OPEN_CREATE), KBS_OK);
	return db;
}

void
kbs_test_db_free(kbs_db *db, const char *dir)
{
	char cmd[9000];
	kbs_db_close(db);
	snprintf(cmd, sizeof cmd, "chmod -R u+rwx '%s'; rm -rf '%s'", dir, dir);
	ck_assert_int_eq(system(cmd), 0);
}

kbs_index_stats
kbs_test_index(kbs_db *db, const char *const *paths, size_t n,
               unsigned flags)
{
	kbs_index_stats st = KBS_INDEX_STATS_INIT;
	kbs_status rc = kbs_db_index(&st, db, paths, n, flags, NULL, NULL);
	ck_assert_msg(rc == KBS_OK, "index: %s: %s", kbs_status_str(rc),
	              kbs_db_errmsg(db));
	return st;
}

kbs_db *
kbs_test_corpus_db(char *dir, size_t dirsz)
{
	kbs_db *db = kbs_test_db_new(dir, dirsz);
	const char *corpus = kbs_test_bundled_dir();
	kbs_index_stats st = kbs_test_index(db, &corpus, 1, 0);
	ck_assert_uint_eq(st.failed, 0);
	ck_assert_uint_gt(st.added, 50);
	return db;
}

char *
kbs_test_read_bundled(const char *rel, size_t *len)
{
	const char *dir = kbs_test_bundled_dir();
	size_t plen = strlen(dir) + strlen(rel) + 2;
	char *path = malloc(plen);
	ck_assert_ptr_nonnull(path);
	snprintf(path, plen, "%s/%s", dir, rel);
	char *text = kbs_test_read_file(path, len);
	ck_assert_msg(text != NULL, "cannot read %s", path);
	free(path);
	return text;
}

const kbs_event *
kbs_test_event(const kbs_article *a, long id)
{
	for (size_t i = 0; i < a->nevents; i++)
		if (a->events[i].id == id)
			return &a->events[i];
	return NULL;
}

const kbs_code *
kbs_test_code(const kbs_article *a, uint32_t v)
{
	for (size_t i = 0; i < a->ncodes; i++)
		if (a->codes[i].value == v)
			return &a->codes[i];
	return NULL;
}

const kbs_section *
kbs_test_section(const kbs_article *a, const char *heading)
{
	for (size_t i = 0; i < a->nsections; i++)
		if (strcmp(a->sections[i].heading, heading) == 0)
			return &a->sections[i];
	return NULL;
}

bool
kbs_test_in_list(const char *const *list, size_t n, const char *s)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(list[i], s) == 0)
			return true;
	return false;
}

kbs_article *
kbs_test_parse_kbtxt(const char *relpath)
{
	size_t len = 0;
	char *text = kbs_test_read_bundled(relpath, &len);
	kbs_article *a = kbs__article_new();
	ck_assert_ptr_nonnull(a);
	kbs_status rc = kbs__parse_kbtxt(a, text, len);
	ck_assert_msg(rc == KBS_OK, "%s: %s", relpath, kbs_status_str(rc));
	/* The article's strings are arena copies: the text may go. Keep the
	 * original text alive anyway by copying it into the arena. */
	if (a->text == NULL)
		a->text = kbs__arena_strndup(&a->arena, text, len);
	free(text);
	return a;
}

int
main(void)
{
	SRunner *sr = srunner_create(suite_codes());
	srunner_add_suite(sr, suite_kbtxt());
	srunner_add_suite(sr, suite_markdown());
	srunner_add_suite(sr, suite_html());
	srunner_add_suite(sr, suite_paste());
	srunner_add_suite(sr, suite_hostile());
	srunner_add_suite(sr, suite_search());
	srunner_add_suite(sr, suite_lookup());
	srunner_add_suite(sr, suite_indexer());
	srunner_add_suite(sr, suite_ranking());
	srunner_add_suite(sr, suite_hardening());
	srunner_run_all(sr, CK_ENV);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
