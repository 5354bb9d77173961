/*
 * check_lookup.c - the exact lookups (error code, file and version, KB
 * cross-references) through the public API, and the version ordering
 * behind the file lookup.
 *
 * The database holds the bundled corpus plus two hotfix articles written
 * here in the classic KB text format: no bundled article gives a version
 * in its file table (the tables of Q294326 and Q238186 leave the column
 * empty), and comparing builds needs some that do. The codes, file rows
 * and references asserted on otherwise come from real articles:
 * 0xC0000005 in Q103147 ("0xc0000005") and Q140957 ("c0000005"), Win32
 * error 5 in Q126399 ("00000005"), 1705 in Q89156, STOP 0x0000000A in
 * Q225212, Termsrv.exe in Q238186 and Icaapi.dll in Q294326, the "see
 * also" lists of Q297795 and of four articles that cite Q256986.
 */
#include "tests.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static char tmpdir[256];
static kbs_db *db;

/* A newer and an older hotfix for Termsrv.exe, citing each other and two
 * bundled articles; the newer one also names HRESULT 0x800706A9, the
 * twin of Win32 error 1705 that Q89156 names. */
static const char fixture_new[] =
	"DOCUMENT:Q900001  15-JUN-2001  [winnt]\n"
	"TITLE   :Test Fixture: Terminal Server Hotfix With Versioned Files\n"
	"PRODUCT :Microsoft Windows NT\n"
	"PROD/VER:winnt:4.0\n"
	"OPER/SYS:WINDOWS\n"
	"KEYWORDS:kbfix\n"
	"\n"
	"=====================================================================\n"
	"\n"
	"SYMPTOMS\n"
	"========\n"
	"\n"
	"Terminal Server clients cannot connect; the logon fails with error\n"
	"0x800706A9.\n"
	"\n"
	"RESOLUTION\n"
	"==========\n"
	"\n"
	"The English version of this fix should have the following file\n"
	"attributes or later:\n"
	"\n"
	"   Date        Time    Version         Size     File name     Platform\n"
	"   ------------------------------------------------------------------\n"
	"   06/12/2001  10:36a  4.0.1381.133    134,928  Termsrv.exe   x86\n"
	"   06/12/2001  10:38a  4.0.1381.133    242,448  Termsrv.exe   Alpha\n"
	"\n"
	"MORE INFORMATION\n"
	"================\n"
	"\n"
	"For additional information, click the article numbers below to view\n"
	"the articles in the Microsoft Knowledge Base:\n"
	"\n"
	"   Q294326 Event ID 1003: Terminal Service Client Has Provided an\n"
	"   Q238186 Simultaneous Terminal Server Client Logons May Not Connect\n"
	"   Q900002 Test Fixture: Older Terminal Server Hotfix\n";

static const char fixture_old[] =
	"DOCUMENT:Q900002  02-FEB-2000  [winnt]\n"
	"TITLE   :Test Fixture: Older Terminal Server Hotfix\n"
	"PRODUCT :Microsoft Windows NT\n"
	"PROD/VER:winnt:4.0\n"
	"OPER/SYS:WINDOWS\n"
	"KEYWORDS:kbfix\n"
	"\n"
	"=====================================================================\n"
	"\n"
	"SYMPTOMS\n"
	"========\n"
	"\n"
	"Terminal Server stops responding when many clients log on at once.\n"
	"\n"
	"RESOLUTION\n"
	"==========\n"
	"\n"
	"The English version of this fix should have the following file\n"
	"attributes or later:\n"
	"\n"
	"   Date        Time    Version         Size     File name     Platform\n"
	"   ------------------------------------------------------------------\n"
	"   01/20/2000  09:12a  4.0.1381.33     134,672  Termsrv.exe   x86\n"
	"\n"
	"MORE INFORMATION\n"
	"================\n"
	"\n"
	"This fix is replaced by the one in the following article in the\n"
	"Microsoft Knowledge Base:\n"
	"\n"
	"   Q900001 Test Fixture: Terminal Server Hotfix With Versioned Files\n";

static void
write_fixture(const char *dir, const char *name, const char *text)
{
	char path[512];
	snprintf(path, sizeof path, "%s/%s", dir, name);
	FILE *f = fopen(path, "wb");
	ck_assert_ptr_nonnull(f);
	ck_assert_uint_eq(fwrite(text, 1, strlen(text), f), strlen(text));
	fclose(f);
}

static void
setup_db(void)
{
	char fixdir[300];
	db = kbs_test_db_new(tmpdir, sizeof tmpdir);
	snprintf(fixdir, sizeof fixdir, "%s/fixtures", tmpdir);
	ck_assert_int_eq(mkdir(fixdir, 0755), 0);
	write_fixture(fixdir, "Q900001.TXT", fixture_new);
	write_fixture(fixdir, "Q900002.TXT", fixture_old);
	const char *paths[] = { kbs_test_bundled_dir(), fixdir };
	kbs_index_stats st = kbs_test_index(db, paths, 2, 0);
	ck_assert_uint_eq(st.failed, 0);
}

static void
teardown_db(void)
{
	kbs_test_db_free(db, tmpdir);
	db = NULL;
}

/* The KB ids of res in order, space-separated, into buf; res is freed.
 * Also checks the iterator ends with KBS_DONE, twice. */
static const char *
ids(char *buf, size_t sz, kbs_results *res)
{
	const kbs_hit *h;
	kbs_status rc;
	size_t n = 0;
	buf[0] = '\0';
	while ((rc = kbs_results_next(&h, res)) == KBS_OK) {
		size_t len = strlen(buf);
		snprintf(buf + len, sz - len, "%s%s", len ? " " : "",
		         kbs_hit_get_kb_id(h));
		n++;
	}
	ck_assert_int_eq(rc, KBS_DONE);
	ck_assert_ptr_null(h);
	ck_assert_int_eq(kbs_results_next(&h, res), KBS_DONE);
	ck_assert_uint_eq(n, kbs_results_count(res));
	ck_assert_ptr_null(kbs_results_get_query(res));
	kbs_results_free(res);
	return buf;
}

/* The space-separated KB ids that kbs_search_code() finds for code. */
static const char *
code_ids(char *buf, size_t sz, const char *code)
{
	kbs_results *res = NULL;
	kbs_status rc = kbs_search_code(&res, db, code);
	ck_assert_msg(rc == KBS_OK, "%s: %s: %s", code, kbs_status_str(rc),
	              kbs_db_errmsg(db));
	return ids(buf, sz, res);
}

/* The hit of res with the given KB id, or NULL. */
static const kbs_hit *
hit_of(kbs_results *res, const char *kb_id)
{
	const kbs_hit *h, *found = NULL;
	while (kbs_results_next(&h, res) == KBS_OK)
		if (found == NULL && strcmp(kbs_hit_get_kb_id(h), kb_id) == 0)
			found = h;
	return found;
}

/* ------------------------------------------------------------------ */
/* Version ordering                                                    */
/* ------------------------------------------------------------------ */

START_TEST(test_version_cmp)
{
	static const struct { const char *a, *b; int want; } cases[] = {
		{ "4.0.1381.33", "4.0.1381.133", -1 },
		{ "4.0.1381.133", "4.0.1381.33", 1 },
		{ "4.0.1381.33", "4.0.1381.33", 0 },
		{ "5.0", "5.0.0", 0 },
		{ "5.0.0.0", "5", 0 },
		{ "5.0", "5.0.1", -1 },
		{ "5.00.2195.1620", "5.0.2195.1620", 0 },
		{ "10.0", "9.99", 1 },
		{ "2.1a", "2.1", 1 },
		{ "2.1a", "2.1B", -1 },
		{ "2.1A", "2.1a", 0 },
		{ "4.0 SP6", "4.0", 1 },
		{ "4.0 SP6", "4.0 SP4", 1 },
		{ "4.0 SP6", "4.1", -1 },
		{ "2.10", "2.9", 1 },
		{ "5.1.2600.0 (xpclient.010817-1148)", "5.1.2600.0", 0 },
		{ "4,0,1381,133", "4.0.1381.133", 0 },
		{ "99999999999999999999.1", "99999999999999999998.9", 1 },
		{ "", "", 0 },
		{ "", "0.0", 0 },
		{ "", "1", -1 },
	};
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		int got = kbs__file_version_cmp(cases[i].a, cases[i].b);
		ck_assert_msg(got == cases[i].want, "'%s' vs '%s': %d, want %d",
		              cases[i].a, cases[i].b, got, cases[i].want);
		/* antisymmetric */
		got = kbs__file_version_cmp(cases[i].b, cases[i].a);
		ck_assert_msg(got == -cases[i].want, "'%s' vs '%s': %d, want %d",
		              cases[i].b, cases[i].a, got, -cases[i].want);
	}
}
END_TEST

/* ------------------------------------------------------------------ */
/* Error codes                                                         */
/* ------------------------------------------------------------------ */

START_TEST(test_code_every_notation_same_articles)
{
	static const char *const access_violation[] = {
		"0xC0000005", "0xc0000005", "C0000005", "c0000005",
		"3221225477", "-1073741819", "  0xC0000005\n",
	};
	static const char *const access_denied[] = {
		"0x80070005", "80070005", "-2147024891", "2147942405", "5",
		"0x5", "0x00000005",
	};
	char first[512], got[512];

	code_ids(first, sizeof first, access_violation[0]);
	ck_assert_str_eq(first, "Q103147 Q140957");
	for (size_t i = 1; i < sizeof access_violation / sizeof *access_violation; i++)
		ck_assert_str_eq(code_ids(got, sizeof got, access_violation[i]),
		                 first);

	code_ids(first, sizeof first, access_denied[0]);
	ck_assert_ptr_nonnull(strstr(first, "Q126399"));
	for (size_t i = 1; i < sizeof access_denied / sizeof *access_denied; i++)
		ck_assert_str_eq(code_ids(got, sizeof got, access_denied[i]),
		                 first);
}
END_TEST

START_TEST(test_code_notation_as_written)
{
	kbs_results *res = NULL;
	ck_assert_int_eq(kbs_search_code(&res, db, "-1073741819"), KBS_OK);
	const kbs_hit *h = hit_of(res, "Q140957");
	ck_assert_ptr_nonnull(h);
	const kbs_code *c = kbs_hit_get_code(h);
	ck_assert_ptr_nonnull(c);
	ck_assert_uint_eq(c->value, 0xC0000005u);
	ck_assert_str_eq(c->text, "c0000005");
	ck_assert_ptr_null(kbs_hit_get_file(h));
	ck_assert_ptr_null(kbs_hit_get_event(h));
	ck_assert_int_eq(kbs_hit_get_ref(h), KBS_REF_NONE);
	ck_assert_int_eq(kbs_hit_get_version_cmp(h), KBS_VERSION_UNKNOWN);
	const char *const *m;
	ck_assert_uint_eq(kbs_hit_get_matched(h, &m), 1);
	ck_assert_str_eq(m[0], "code");
	ck_assert_str_eq(kbs_hit_get_title(h),
	                 "XFOR: X.400 Message from Third Party Gateway "
	                 "Causes Event ID 940");
	kbs_results_free(res);
}
END_TEST

/* Win32 error 1705 and HRESULT 0x800706A9 find each other; the articles
 * naming the very value come first. */
START_TEST(test_code_win32_hresult_twins)
{
	kbs_results *res = NULL;
	const kbs_hit *h;
	char buf[512], again[512];

	ck_assert_int_eq(kbs_search_code(&res, db, "1705"), KBS_OK);
	double exact = 0;
	bool found = false, twin = false;
	while (kbs_results_next(&h, res) == KBS_OK) {
		const kbs_code *c = kbs_hit_get_code(h);
		if (c->value == 0x800706A9u) {
			ck_assert_str_eq(kbs_hit_get_kb_id(h), "Q900001");
			ck_assert_str_eq(c->text, "0x800706A9");
			ck_assert(kbs_hit_get_score(h) < exact);
			twin = true;
		} else {
			ck_assert(!twin);   /* exact hits all come first */
			ck_assert_uint_eq(c->value, 0x6A9);
			ck_assert_str_eq(c->text, "1705");
			exact = kbs_hit_get_score(h);
			if (strcmp(kbs_hit_get_kb_id(h), "Q89156") == 0)
				found = true;
		}
	}
	ck_assert(found && twin);
	kbs_results_free(res);

	/* and back: the HRESULT first, the Win32 error after */
	code_ids(buf, sizeof buf, "0x800706A9");
	ck_assert_msg(strncmp(buf, "Q900001 ", 8) == 0 &&
	              strstr(buf, "Q89156") != NULL, "%s", buf);
	ck_assert_str_eq(code_ids(again, sizeof again, "-2147023191"), buf);
	/* Q126399 wrote Win32 error 5 as "00000005": 0x80070005 finds it */
	ck_assert_int_eq(kbs_search_code(&res, db, "0x80070005"), KBS_OK);
	h = hit_of(res, "Q126399");
	ck_assert_ptr_nonnull(h);
	ck_assert_uint_eq(kbs_hit_get_code(h)->value, 5);
	ck_assert_str_eq(kbs_hit_get_code(h)->text, "00000005");
	kbs_results_free(res);
}
END_TEST

START_TEST(test_code_stop)
{
	static const char *const stop[] = {
		"0x0000000A", "0xA", "0x0000000a", "STOP 0x0000000A",
		"stop: 0xa", "10",
	};
	char buf[512];
	for (size_t i = 0; i < sizeof stop / sizeof *stop; i++)
		ck_assert_msg(strstr(code_ids(buf, sizeof buf, stop[i]),
		                     "Q225212") != NULL, "%s", stop[i]);
}
END_TEST

START_TEST(test_code_invalid)
{
	static const char *const bad[] = {
		"", "   ", "hello", "0x", "0xZZ", "0x123456789", "12345678901",
		"-", "--5", "5.0", "STOP", "-2147483649",
	};
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
		kbs_results *res = (kbs_results *)&res;  /* must be reset */
		ck_assert_msg(kbs_search_code(&res, db, bad[i]) == KBS_INVALID,
		              "'%s' accepted", bad[i]);
		ck_assert_ptr_null(res);
		ck_assert_str_ne(kbs_db_errmsg(db), "");
	}
	/* a valid code nobody names: empty, not an error */
	kbs_results *res = NULL;
	const kbs_hit *h;
	ck_assert_int_eq(kbs_search_code(&res, db, "0xDEADBEEF"), KBS_OK);
	ck_assert_uint_eq(kbs_results_count(res), 0);
	ck_assert_int_eq(kbs_results_next(&h, res), KBS_DONE);
	kbs_results_free(res);
}
END_TEST

/* ------------------------------------------------------------------ */
/* Files                                                               */
/* ------------------------------------------------------------------ */

START_TEST(test_file_case_insensitive)
{
	static const char *const names[] = {
		"Icaapi.dll", "ICAAPI.DLL", "icaapi.dll", " IcaApi.Dll ",
		"C:\\WINNT\\System32\\icaapi.dll", "/winnt/system32/ICAAPI.dll",
	};
	for (size_t i = 0; i < sizeof names / sizeof *names; i++) {
		kbs_results *res = NULL;
		const kbs_hit *h;
		ck_assert_int_eq(kbs_search_file(&res, db, names[i], NULL),
		                 KBS_OK);
		ck_assert_int_eq(kbs_results_next(&h, res), KBS_OK);
		ck_assert_str_eq(kbs_hit_get_kb_id(h), "Q294326");
		const kbs_file *f = kbs_hit_get_file(h);
		ck_assert_ptr_nonnull(f);
		ck_assert_str_eq(f->name, "Icaapi.dll");
		ck_assert_ptr_null(f->version);
		ck_assert_int_eq(f->size, 62224);
		ck_assert_str_eq(f->date, "2001-04-26");
		ck_assert_str_eq(f->time, "16:45");
		ck_assert_str_eq(f->platform, "Intel");
		ck_assert_int_eq(kbs_hit_get_version_cmp(h),
		                 KBS_VERSION_UNKNOWN);
		ck_assert_ptr_null(kbs_hit_get_code(h));
		ck_assert_int_eq(kbs_results_next(&h, res), KBS_DONE);
		kbs_results_free(res);
	}
	/* Q238186 ships Termsrv.exe for x86 and Alpha: one hit */
	kbs_results *res = NULL;
	ck_assert_int_eq(kbs_search_file(&res, db, "TERMSRV.EXE", NULL), KBS_OK);
	const kbs_hit *h = hit_of(res, "Q238186");
	ck_assert_ptr_nonnull(h);
	ck_assert_str_eq(kbs_hit_get_file(h)->name, "Termsrv.exe");
	ck_assert_str_eq(kbs_hit_get_file(h)->date, "1999-07-22");
	kbs_results_free(res);
}
END_TEST

/* The file lookup's answer for termsrv.exe against version, as
 * "KBID:cmp ..." with cmp one of + = - ?. */
static const char *
file_cmp(char *buf, size_t sz, const char *version)
{
	kbs_results *res = NULL;
	const kbs_hit *h;
	kbs_status rc = kbs_search_file(&res, db, "termsrv.exe", version);
	ck_assert_msg(rc == KBS_OK, "%s: %s", kbs_status_str(rc),
	              kbs_db_errmsg(db));
	buf[0] = '\0';
	while (kbs_results_next(&h, res) == KBS_OK) {
		int c = kbs_hit_get_version_cmp(h);
		size_t len = strlen(buf);
		snprintf(buf + len, sz - len, "%s%s:%c", len ? " " : "",
		         kbs_hit_get_kb_id(h),
		         c == KBS_VERSION_UNKNOWN ? '?'
		         : c > 0 ? '+' : c == 0 ? '=' : '-');
	}
	kbs_results_free(res);
	return buf;
}

START_TEST(test_file_versions)
{
	char buf[512];
	/* Q900002's 4.0.1381.33 is older than Q900001's 4.0.1381.133 even
	 * though "33" sorts after "133" as text; Q238186 gives no version. */
	ck_assert_str_eq(file_cmp(buf, sizeof buf, "4.0.1381.100"),
	                 "Q900001:+ Q900002:- Q238186:?");
	ck_assert_str_eq(file_cmp(buf, sizeof buf, "4.0.1381.33"),
	                 "Q900001:+ Q900002:= Q238186:?");
	ck_assert_str_eq(file_cmp(buf, sizeof buf, "4.0.1381.33.0"),
	                 "Q900001:+ Q900002:= Q238186:?");
	ck_assert_str_eq(file_cmp(buf, sizeof buf, "4.0.1381.133"),
	                 "Q900001:= Q900002:- Q238186:?");
	ck_assert_str_eq(file_cmp(buf, sizeof buf, "4.0.1381.1000"),
	                 "Q900001:- Q900002:- Q238186:?");
	ck_assert_str_eq(file_cmp(buf, sizeof buf, "4.0"),
	                 "Q900001:+ Q900002:+ Q238186:?");
	/* no version: newest build first all the same */
	ck_assert_str_eq(file_cmp(buf, sizeof buf, NULL),
	                 "Q900001:? Q900002:? Q238186:?");
	ck_assert_str_eq(file_cmp(buf, sizeof buf, ""),
	                 "Q900001:? Q900002:? Q238186:?");

	/* the row behind a version comparison */
	kbs_results *res = NULL;
	ck_assert_int_eq(kbs_search_file(&res, db, "Termsrv.exe", "4.0.1381.33"),
	                 KBS_OK);
	const kbs_hit *h = hit_of(res, "Q900002");
	ck_assert_ptr_nonnull(h);
	ck_assert_str_eq(kbs_hit_get_file(h)->version, "4.0.1381.33");
	ck_assert_int_eq(kbs_hit_get_file(h)->size, 134672);
	ck_assert_str_eq(kbs_hit_get_file(h)->time, "09:12");
	const char *const *m;
	size_t n = kbs_hit_get_matched(h, &m);
	ck_assert_uint_eq(n, 2);
	ck_assert_str_eq(m[0], "file");
	ck_assert_str_eq(m[1], "version");
	kbs_results_free(res);
}
END_TEST

START_TEST(test_file_invalid_and_unknown)
{
	kbs_results *res = (kbs_results *)&res;
	const kbs_hit *h;
	ck_assert_int_eq(kbs_search_file(&res, db, "", NULL), KBS_INVALID);
	ck_assert_ptr_null(res);
	ck_assert_int_eq(kbs_search_file(&res, db, "C:\\WINNT\\", NULL),
	                 KBS_INVALID);
	ck_assert_int_eq(kbs_search_file(&res, db, "termsrv.exe", "N/A"),
	                 KBS_INVALID);
	ck_assert_ptr_nonnull(strstr(kbs_db_errmsg(db), "N/A"));
	ck_assert_int_eq(kbs_search_file(&res, db, "nosuchfile.dll", "1.0"),
	                 KBS_OK);
	ck_assert_uint_eq(kbs_results_count(res), 0);
	ck_assert_int_eq(kbs_results_next(&h, res), KBS_DONE);
	kbs_results_free(res);
}
END_TEST

/* ------------------------------------------------------------------ */
/* References                                                          */
/* ------------------------------------------------------------------ */

/* "cites:ID cited_by:ID ..." for the references of kb_id. */
static const char *
refs(char *buf, size_t sz, const char *kb_id)
{
	kbs_results *res = NULL;
	const kbs_hit *h;
	kbs_status rc = kbs_search_refs(&res, db, kb_id);
	ck_assert_msg(rc == KBS_OK, "%s: %s", kbs_status_str(rc),
	              kbs_db_errmsg(db));
	buf[0] = '\0';
	while (kbs_results_next(&h, res) == KBS_OK) {
		kbs_ref_kind k = kbs_hit_get_ref(h);
		ck_assert(k == KBS_REF_CITES || k == KBS_REF_CITED_BY);
		size_t len = strlen(buf);
		snprintf(buf + len, sz - len, "%s%s:%s", len ? " " : "",
		         k == KBS_REF_CITES ? "cites" : "cited_by",
		         kbs_hit_get_kb_id(h));
	}
	ck_assert_int_eq(kbs_results_next(&h, res), KBS_DONE);
	kbs_results_free(res);
	return buf;
}

START_TEST(test_refs_real_articles)
{
	char buf[1024], again[1024];
	/* Q297795's "see also" list, in its order; none of them is bundled */
	ck_assert_str_eq(refs(buf, sizeof buf, "Q297795"),
	                 "cites:Q300672 cites:Q245574 cites:Q227943 "
	                 "cites:Q324066");
	ck_assert_str_eq(refs(again, sizeof again, "kb 297795"), buf);
	kbs_results *res = NULL;
	const kbs_hit *h;
	ck_assert_int_eq(kbs_search_refs(&res, db, "297795"), KBS_OK);
	ck_assert_int_eq(kbs_results_next(&h, res), KBS_OK);
	ck_assert_str_eq(kbs_hit_get_kb_id(h), "Q300672");
	ck_assert_ptr_null(kbs_hit_get_title(h));
	ck_assert_ptr_null(kbs_hit_get_path(h));
	const char *const *p;
	ck_assert_uint_eq(kbs_hit_get_products(h, &p), 0);
	kbs_results_free(res);

	/* Q256986 is not bundled, but four bundled articles cite it */
	ck_assert_str_eq(refs(buf, sizeof buf, "Q256986"),
	                 "cited_by:Q112509 cited_by:Q225782 "
	                 "cited_by:Q248124 cited_by:Q248445");
	ck_assert_int_eq(kbs_search_refs(&res, db, "Q256986"), KBS_OK);
	h = hit_of(res, "Q248124");
	ck_assert_ptr_nonnull(h);
	ck_assert_str_eq(kbs_hit_get_title(h), "XADM: Service Specific Error "
	                 "4015 When Information Store Starts");
	ck_assert_ptr_nonnull(strstr(kbs_hit_get_path(h), "Q248124.TXT"));
	kbs_results_free(res);

	/* both directions, with targets in the database */
	ck_assert_str_eq(refs(buf, sizeof buf, "Q900001"),
	                 "cites:Q294326 cites:Q238186 cites:Q900002 "
	                 "cited_by:Q900002");
	ck_assert_int_eq(kbs_search_refs(&res, db, "Q900001"), KBS_OK);
	h = hit_of(res, "Q900002");
	ck_assert_ptr_nonnull(h);
	ck_assert_int_eq(kbs_hit_get_ref(h), KBS_REF_CITES); /* first one */
	ck_assert_str_eq(kbs_hit_get_title(h),
	                 "Test Fixture: Older Terminal Server Hotfix");
	kbs_results_free(res);
	ck_assert_int_eq(kbs_search_refs(&res, db, "Q900001"), KBS_OK);
	h = hit_of(res, "Q238186");
	ck_assert_ptr_nonnull(h);
	ck_assert_ptr_nonnull(kbs_hit_get_title(h));
	ck_assert_ptr_nonnull(kbs_hit_get_path(h));
	kbs_results_free(res);

	/* a KB id nobody mentions: empty, not an error */
	ck_assert_str_eq(refs(buf, sizeof buf, "Q1"), "");
}
END_TEST

START_TEST(test_refs_invalid)
{
	static const char *const bad[] = { "", "hello", "Q", "Q0", "Q12x",
	                                   "123456789" };
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
		kbs_results *res = (kbs_results *)&res;
		ck_assert_msg(kbs_search_refs(&res, db, bad[i]) == KBS_INVALID,
		              "'%s' accepted", bad[i]);
		ck_assert_ptr_null(res);
	}
}
END_TEST

/* ------------------------------------------------------------------ */
/* Articles by source file                                             */
/* ------------------------------------------------------------------ */

/* An article without a KB id has an article id ("A" and 10 hex digits,
 * never its path) that its hits carry and kbs_article_get() and
 * kbs_search_refs() accept, in any case; it is also reached by its path.
 * One with a KB id is reached by any of its files and answers with its
 * KB id. */
START_TEST(test_article_by_source)
{
	kbs_results *res = NULL;
	const kbs_hit *h;
	kbs_article *a = NULL;
	char id[64] = "", path[1024] = "", title[512] = "";

	ck_assert_int_eq(kbs_search_event(&res, db, 1003, NULL), KBS_OK);
	while (kbs_results_next(&h, res) == KBS_OK)
		if (kbs_hit_get_kb_id(h)[0] != 'Q' && id[0] == '\0') {
			snprintf(id, sizeof id, "%s", kbs_hit_get_kb_id(h));
			snprintf(path, sizeof path, "%s", kbs_hit_get_path(h));
			snprintf(title, sizeof title, "%s", kbs_hit_get_title(h));
		}
	kbs_results_free(res);
	ck_assert_msg(id[0] != '\0', "no article without a KB id");
	ck_assert_uint_eq(strlen(id), 11);
	ck_assert_int_eq(id[0], 'A');
	ck_assert_uint_eq(strspn(id + 1, "0123456789ABCDEF"), 10);
	ck_assert_int_eq(kbs_article_get_by_source(&a, db, path), KBS_OK);
	ck_assert_str_eq(kbs_article_get_kb_id(a), id);
	ck_assert_str_eq(kbs_article_get_title(a), title);
	kbs_article_free(a);
	ck_assert_int_eq(kbs_article_get(&a, db, id), KBS_OK);
	ck_assert_str_eq(kbs_article_get_kb_id(a), id);
	ck_assert_str_eq(kbs_article_get_title(a), title);
	kbs_article_free(a);
	char lower[64];
	for (size_t i = 0; i <= strlen(id); i++)
		lower[i] = (char)(id[i] >= 'A' && id[i] <= 'F' ? id[i] + 32
		                                               : id[i]);
	ck_assert_int_eq(kbs_article_get(&a, db, lower), KBS_OK);
	kbs_article_free(a);
	ck_assert_int_eq(kbs_search_refs(&res, db, id), KBS_OK);
	kbs_results_free(res);
	a = (kbs_article *)&a;
	ck_assert_int_eq(kbs_article_get(&a, db, "A0000000000"),
	                 KBS_NOT_FOUND);
	ck_assert_ptr_null(a);
	ck_assert_int_eq(kbs_article_get(&a, db, "A00000000"), KBS_INVALID);
	ck_assert_int_eq(kbs_article_get(&a, db, path), KBS_INVALID);

	/* the same id after the file is indexed again */
	const char *again[] = { path };
	kbs_index_stats st = kbs_test_index(db, again, 1, 0);
	ck_assert_uint_eq(st.failed, 0);
	ck_assert_int_eq(kbs_article_get(&a, db, id), KBS_OK);
	kbs_article_free(a);

	ck_assert_int_eq(kbs_article_get(&a, db, "Q294326"), KBS_OK);
	const char *const *src;
	size_t n = kbs_article_get_sources(a, &src);
	ck_assert_uint_ge(n, 1);
	kbs_article *b = NULL;
	ck_assert_int_eq(kbs_article_get_by_source(&b, db, src[n - 1]),
	                 KBS_OK);
	ck_assert_str_eq(kbs_article_get_kb_id(b), "Q294326");
	kbs_article_free(b);
	kbs_article_free(a);

	a = (kbs_article *)&a;
	ck_assert_int_eq(kbs_article_get_by_source(&a, db, "/no/such/file"),
	                 KBS_NOT_FOUND);
	ck_assert_ptr_null(a);
}
END_TEST

/* ------------------------------------------------------------------ */
/* Ownership                                                           */
/* ------------------------------------------------------------------ */

START_TEST(test_frees_accept_null)
{
	kbs_results_free(NULL);
	kbs_article_free(NULL);
	kbs_db_close(NULL);
	/* other lookups' hits answer the new getters with "none" */
	kbs_results *res = NULL;
	const kbs_hit *h;
	ck_assert_int_eq(kbs_search_event(&res, db, 1003, "TermService"),
	                 KBS_OK);
	ck_assert_int_eq(kbs_results_next(&h, res), KBS_OK);
	ck_assert_ptr_null(kbs_hit_get_code(h));
	ck_assert_ptr_null(kbs_hit_get_file(h));
	ck_assert_int_eq(kbs_hit_get_version_cmp(h), KBS_VERSION_UNKNOWN);
	ck_assert_int_eq(kbs_hit_get_ref(h), KBS_REF_NONE);
	kbs_results_free(res);
}
END_TEST

Suite *
suite_lookup(void)
{
	Suite *s = suite_create("lookup");
	TCase *tc = tcase_create("version");
	tcase_add_test(tc, test_version_cmp);
	suite_add_tcase(s, tc);

	tc = tcase_create("corpus");
	tcase_set_timeout(tc, 60);
	tcase_add_checked_fixture(tc, setup_db, teardown_db);
	tcase_add_test(tc, test_code_every_notation_same_articles);
	tcase_add_test(tc, test_code_notation_as_written);
	tcase_add_test(tc, test_code_win32_hresult_twins);
	tcase_add_test(tc, test_code_stop);
	tcase_add_test(tc, test_code_invalid);
	tcase_add_test(tc, test_file_case_insensitive);
	tcase_add_test(tc, test_file_versions);
	tcase_add_test(tc, test_file_invalid_and_unknown);
	tcase_add_test(tc, test_refs_real_articles);
	tcase_add_test(tc, test_refs_invalid);
	tcase_add_test(tc, test_article_by_source);
	tcase_add_test(tc, test_frees_accept_null);
	suite_add_tcase(s, tc);
	return s;
}
