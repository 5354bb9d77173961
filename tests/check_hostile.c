/*
 * check_hostile.c - 10,000 hostile pastes through the whole search.
 *
 * A paste is whatever lands in the clipboard: FTS5 syntax that must never
 * reach the query parser as syntax (quotes, parentheses, NEAR, column
 * filters), binary bytes and NULs, invalid UTF-8, words longer than any
 * token, megabytes of log, XML fragments and half an event. Every one is
 * searched on a database of the bundled corpus and analysed on its own;
 * both must return KBS_OK (an empty result is fine). The pastes come from
 * a fixed-seed generator so that a failure names a paste that can be
 * made again; most are small, so that the suite stays quick.
 */
#include "tests.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NPASTES 10000
#define BIG ((size_t)1 << 20)

static char tmpdir[256];
static kbs_db *db;

static void
setup_db(void)
{
	db = kbs_test_corpus_db(tmpdir, sizeof tmpdir);
}

static void
teardown_db(void)
{
	kbs_test_db_free(db, tmpdir);
	db = NULL;
}

/* xorshift64*: small, fast, the same sequence everywhere. */
static uint64_t rng_state;

static uint32_t
rng(void)
{
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return (uint32_t)((rng_state * 2685821657736338717ull) >> 32);
}

static uint32_t
below(uint32_t n)
{
	return n == 0 ? 0 : rng() % n;
}

/* Pieces of pastes: query syntax, layouts, real error words. A piece may
 * hold a NUL, hence the explicit lengths. */
#define PIECE(s) {s, sizeof s - 1}
static const struct {
	const char *s;
	size_t n;
} pieces[] = {
	PIECE("\""), PIECE("\"\""), PIECE("("), PIECE(")"), PIECE("*"),
	PIECE("^"), PIECE(":"), PIECE("-"), PIECE("+"), PIECE("{"), PIECE("}"),
	PIECE("["), PIECE("]"), PIECE("NEAR"), PIECE("NEAR("), PIECE("NEAR/3"),
	PIECE("AND"), PIECE("OR"), PIECE("NOT"), PIECE("and"), PIECE("or"),
	PIECE("title:"), PIECE("body:"), PIECE("symptoms:"), PIECE("-title:"),
	PIECE("{title body}:"), PIECE("keywords : "), PIECE("rowid"),
	PIECE("article_fts"), PIECE("'; DROP TABLE article; --"),
	PIECE("\"a\" * \"b\""), PIECE("^error*"), PIECE("x:y:z"),
	PIECE(" "), PIECE("  "), PIECE("\t"), PIECE("\n"), PIECE("\r\n"),
	PIECE("\r"), PIECE("\0"), PIECE("\xff"), PIECE("\xfe\xff"),
	PIECE("\xc3"), PIECE("\xc3\x28"), PIECE("\xe2\x82"), PIECE("\xed\xa0\x80"),
	PIECE("\xf4\x90\x80\x80"), PIECE("\xc0\xaf"), PIECE("\x80\xbf"),
	PIECE("\xc2\xa0"), PIECE("\xef\xbb\xbf"), PIECE("\x1b[31m"),
	PIECE("\xe6\x97\xa5\xe6\x9c\xac"), PIECE("\xf0\x9f\x98\x80"),
	PIECE("service"), PIECE("error"), PIECE("license"), PIECE("terminal"),
	PIECE("Access is denied."), PIECE("0x80070005"), PIECE("-2147024891"),
	PIECE("0xC0000005"), PIECE("c0000005"), PIECE("1003"), PIECE("5"),
	PIECE("KB294326"), PIECE("Q187614"), PIECE("termsrv.exe"),
	PIECE("C:\\WINNT\\system32\\"), PIECE("\\\\SRV01\\share"),
	PIECE("11/3/2025"), PIECE("10:30:52 AM"), PIECE("SRV01.contoso.local"),
	PIECE("{3F2504E0-4F89-11D3-9A0C-0305E82C3301}"), PIECE("10.1.2.30"),
	PIECE("S-1-5-18"), PIECE("0137:bff9a07e"), PIECE("EAX=00000000"),
	PIECE("Event ID: "), PIECE("Source: "), PIECE("Description:\n"),
	PIECE("Log Name:      System\n"), PIECE("Event Type:\tError\n"),
	PIECE("Computer: "), PIECE("User: "), PIECE("Date: "),
	PIECE("---------------------------\n"), PIECE("OK\n"),
	PIECE("STOP: "), PIECE("*** STOP 0x0000000A"),
	PIECE("(0xC0000005, 0x8013F1D4, 0x00000000, 0x00000000)"),
	PIECE("IRQL_NOT_LESS_OR_EQUAL"), PIECE("System error 5 has occurred."),
	PIECE("C:\\>net start x\n"), PIECE("Faulting application name: "),
	PIECE(", version: "), PIECE(", time stamp: 0x4a5bc0d3"),
	PIECE("Exception code: "), PIECE("App: "), PIECE("(pid=12)"),
	PIECE("Application exception occurred:\n"), PIECE("@"),
	PIECE("<Event xmlns=\"http://schemas.microsoft.com/win/2004/08/events/event\">"),
	PIECE("<Event>"), PIECE("</Event>"), PIECE("<Events>"), PIECE("<System>"),
	PIECE("</System>"), PIECE("<Provider Name=\"TermService\"/>"),
	PIECE("<Provider Name='"), PIECE("<EventID>"), PIECE("</EventID>"),
	PIECE("<EventData>"), PIECE("</EventData>"), PIECE("<Data>"),
	PIECE("</Data>"), PIECE("<Data Name=\"param1\">"), PIECE("%%1058"),
	PIECE("<RenderingInfo><Message>"), PIECE("</Message></RenderingInfo>"),
	PIECE("<UserData><a><b>"), PIECE("<Computer>SRV01</Computer>"),
	PIECE("<?xml version=\"1.0\"?>"), PIECE("<![CDATA["), PIECE("]]>"),
	PIECE("<!-- "), PIECE(" -->"), PIECE("&amp;"), PIECE("&#0;"),
	PIECE("&#x110000;"), PIECE("&lol;"),
	PIECE("<!DOCTYPE e [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>"),
	PIECE("<!ENTITY lol \"lol\">"), PIECE("<"), PIECE(">"), PIECE("/>"),
	PIECE("&"), PIECE("="), PIECE("'"), PIECE("%"), PIECE("\\"),
	PIECE("?"), PIECE("!"), PIECE("#"), PIECE("$"), PIECE(","), PIECE(";"),
	PIECE("."),
};

/* Append n bytes of c to buf[*len..cap). */
static void
fill(char *buf, size_t *len, size_t cap, char c, size_t n)
{
	if (n > cap - *len)
		n = cap - *len;
	memset(buf + *len, c, n);
	*len += n;
}

/*
 * Paste number i into buf (capacity cap), its length returned. The kinds
 * rotate; sizes are mostly under 40 bytes (a search costs about its
 * number of distinct words), one in fifty up to 400 bytes, twenty up to
 * 8 KB, 64 KB of random bytes, and three of a megabyte: pieces,
 * whitespace and one long word.
 */
static size_t
make_paste(char *buf, size_t cap, int i)
{
	size_t len = 0, want;
	if (i == 100 || i == 6000 || i == 8002)
		want = BIG;
	else if (i == 4001)
		want = (size_t)64 << 10;
	else if (i % 500 == 7)
		want = 2048 + below(6144);
	else if (i % 50 == 3)
		want = below(400);
	else
		want = below(40);
	if (want > cap)
		want = cap;

	switch (i % 8) {
	case 0:         /* empty and whitespace only */
		if (i % 16 == 0)
			return 0;
		while (len < want)
			buf[len++] = " \t\r\n\f\v"[below(6)];
		return len;
	case 1:         /* random bytes, NULs included */
		while (len < want)
			buf[len++] = (char)below(256);
		return len;
	case 2:         /* one very long word, maybe of syntax */
		fill(buf, &len, want, "a*\"(x-0"[below(7)], want);
		return len;
	default:        /* pieces, with runs of letters between */
		while (len < want) {
			uint32_t r = below(10);
			if (r < 7) {
				size_t p = below(sizeof pieces / sizeof pieces[0]);
				if (pieces[p].n > want - len)
					break;
				memcpy(buf + len, pieces[p].s, pieces[p].n);
				len += pieces[p].n;
			} else if (r < 9) {
				size_t n = 1 + below(12);
				for (size_t k = 0; k < n && len < want; k++)
					buf[len++] = (char)('a' + below(26));
				if (len < want)
					buf[len++] = ' ';
			} else {
				/* A long word now and then. */
				fill(buf, &len, want, 'w', 300 + below(3000));
			}
		}
		return len;
	}
}

START_TEST(test_hostile_pastes)
{
	char *buf = malloc(BIG);
	ck_assert_ptr_nonnull(buf);
	rng_state = 0x9E3779B97F4A7C15ull;
	for (int i = 0; i < NPASTES; i++) {
		size_t len = make_paste(buf, BIG, i);

		kbs_results *res = NULL;
		kbs_status rc = kbs_search_text(&res, db, buf, len, NULL);
		ck_assert_msg(rc == KBS_OK, "paste %d (%zu bytes): search: %s: %s",
		              i, len, kbs_status_str(rc), kbs_db_errmsg(db));
		ck_assert_ptr_nonnull(res);
		const kbs_hit *hit;
		size_t hits = 0;
		while ((rc = kbs_results_next(&hit, res)) == KBS_OK)
			hits++;
		ck_assert_msg(rc == KBS_DONE, "paste %d: next: %s", i,
		              kbs_status_str(rc));
		ck_assert_uint_eq(hits, kbs_results_count(res));
		kbs_results_free(res);

		kbs__paste p = {0};
		rc = kbs__paste_analyse(&p, buf, len);
		ck_assert_msg(rc == KBS_OK, "paste %d: analyse: %s", i,
		              kbs_status_str(rc));
		ck_assert_ptr_nonnull(p.kind);
		ck_assert_ptr_nonnull(p.message);
		ck_assert_msg(strlen(p.message) <= len + 1,
		              "paste %d: message longer than the paste", i);
		kbs__paste_free(&p);
	}
	free(buf);
}
END_TEST

Suite *
suite_hostile(void)
{
	Suite *s = suite_create("hostile");
	TCase *tc = tcase_create("pastes");
	tcase_add_unchecked_fixture(tc, setup_db, teardown_db);
	tcase_set_timeout(tc, 300);
	tcase_add_test(tc, test_hostile_pastes);
	suite_add_tcase(s, tc);
	return s;
}
