/*
 * check_codes.c - error code notations and KB ids (src/codes.c).
 *
 * One code written four ways must come out as one value, or a search by
 * "80070005" would miss the article that wrote "-2147024891".
 */
#include "tests.h"

#include <string.h>

static uint32_t
parse_ok(const char *s)
{
	uint32_t v = 0xDEADBEEF;
	ck_assert_msg(kbs__code_parse(&v, s, strlen(s)), "\"%s\" rejected", s);
	return v;
}

static void
parse_bad(const char *s)
{
	uint32_t v = 0x12345678;
	ck_assert_msg(!kbs__code_parse(&v, s, strlen(s)), "\"%s\" accepted", s);
	ck_assert_uint_eq(v, 0x12345678);
}

START_TEST(test_hresult_notations)
{
	ck_assert_uint_eq(parse_ok("0x80070005"), 0x80070005u);
	ck_assert_uint_eq(parse_ok("0X80070005"), 0x80070005u);
	ck_assert_uint_eq(parse_ok("80070005"), 0x80070005u);
	ck_assert_uint_eq(parse_ok("-2147024891"), 0x80070005u);
	ck_assert_uint_eq(parse_ok("2147942405"), 0x80070005u);
	ck_assert_uint_eq(parse_ok("80090016"), 0x80090016u);
	ck_assert_uint_eq(parse_ok("0x8009030e"), 0x8009030Eu);
}
END_TEST

START_TEST(test_ntstatus_and_stop)
{
	ck_assert_uint_eq(parse_ok("0xC0000005"), 0xC0000005u);
	ck_assert_uint_eq(parse_ok("0xc0000005"), 0xC0000005u);
	ck_assert_uint_eq(parse_ok("C0000005"), 0xC0000005u);
	ck_assert_uint_eq(parse_ok("c0000005"), 0xC0000005u);
	ck_assert_uint_eq(parse_ok("3221225477"), 0xC0000005u);
	ck_assert_uint_eq(parse_ok("-1073741819"), 0xC0000005u);
	ck_assert_uint_eq(parse_ok("3221291009"), 0xC0010001u);
	ck_assert_uint_eq(parse_ok("0x1E"), 0x0000001Eu);
	ck_assert_uint_eq(parse_ok("0x0000001E"), 0x0000001Eu);
	ck_assert_uint_eq(parse_ok("0x0000001e"), parse_ok("0x1e"));
	ck_assert_uint_eq(parse_ok("0xfaf"), 0x00000FAFu);
}
END_TEST

START_TEST(test_win32_decimal)
{
	ck_assert_uint_eq(parse_ok("5"), 5);
	ck_assert_uint_eq(parse_ok("1722"), 1722);
	ck_assert_uint_eq(parse_ok("00000005"), 5);
	ck_assert_uint_eq(parse_ok("4294967295"), 0xFFFFFFFFu);
	ck_assert_uint_eq(parse_ok("-2147483648"), 0x80000000u);
	ck_assert_uint_eq(parse_ok("-1811"), (uint32_t)-1811);
}
END_TEST

START_TEST(test_win32_hresult_twins)
{
	ck_assert_uint_eq(kbs__code_from_win32(5), 0x80070005u);
	ck_assert_uint_eq(kbs__code_from_win32(1722), 0x800706BAu);
	ck_assert_uint_eq(kbs__code_from_win32(0xFFFF), 0x8007FFFFu);
	ck_assert_uint_eq(kbs__code_from_win32(0), 0);
	ck_assert_uint_eq(kbs__code_from_win32(0x10000), 0x10000u);
	ck_assert_uint_eq(kbs__code_from_win32(0xC0000005), 0xC0000005u);
	ck_assert_uint_eq(kbs__code_to_win32(0x80070005), 5);
	ck_assert_uint_eq(kbs__code_to_win32(0x800706BA), 1722);
	ck_assert_uint_eq(kbs__code_to_win32(0xC0000005), 0xC0000005u);
	ck_assert_uint_eq(kbs__code_to_win32(0x80090016), 0x80090016u);
	ck_assert_uint_eq(kbs__code_to_win32(5), 5);
	/* Every notation of ERROR_ACCESS_DENIED meets the Win32 value. */
	const char *const forms[] = {"0x80070005", "80070005", "-2147024891",
	                             "2147942405"};
	for (size_t i = 0; i < sizeof forms / sizeof forms[0]; i++)
		ck_assert_uint_eq(kbs__code_to_win32(parse_ok(forms[i])), 5);
	ck_assert_uint_eq(kbs__code_from_win32(parse_ok("5")),
	                  parse_ok("-2147024891"));
}
END_TEST

START_TEST(test_garbage_rejected)
{
	parse_bad("");
	parse_bad("0x");
	parse_bad("0X");
	parse_bad("-");
	parse_bad("x80070005");
	parse_bad("0x800700051");         /* nine hex digits */
	parse_bad("0x0000000080070005");  /* sixteen */
	parse_bad("0xG0000005");
	parse_bad("0x8007 0005");
	parse_bad("hello");
	parse_bad("12ab");
	parse_bad("deadbeefcafe");
	parse_bad("4294967296");          /* above 32 bits */
	parse_bad("99999999999");
	parse_bad("-2147483649");
	parse_bad("+5");
	parse_bad("5 ");
	parse_bad(" 5");
	parse_bad("-0x5");
	parse_bad("1.5");
	parse_bad("4.0.1381");
	/* len is honoured: "5" inside a longer buffer. */
	uint32_t v = 0;
	ck_assert(kbs__code_parse(&v, "5xyz", 1));
	ck_assert_uint_eq(v, 5);
	ck_assert(!kbs__code_parse(&v, "0x80070005", 2));
}
END_TEST

static void
kb_ok(const char *in, const char *want)
{
	char out[32];
	memset(out, 'z', sizeof out);
	ck_assert_msg(kbs__kbid_canon(out, sizeof out, in, strlen(in)),
	              "\"%s\" rejected", in);
	ck_assert_str_eq(out, want);
}

static void
kb_bad(const char *in)
{
	char out[32];
	ck_assert_msg(!kbs__kbid_canon(out, sizeof out, in, strlen(in)),
	              "\"%s\" accepted", in);
}

START_TEST(test_kbid)
{
	kb_ok("Q294326", "Q294326");
	kb_ok("q294326", "Q294326");
	kb_ok("KB294326", "Q294326");
	kb_ok("kb294326", "Q294326");
	kb_ok("KB 294326", "Q294326");
	kb_ok("294326", "Q294326");
	kb_ok("Q0100215", "Q100215");
	kb_ok("  Q99999 ", "Q99999");
	kb_bad("");
	kb_bad("Q");
	kb_bad("KB");
	kb_bad("Q0");
	kb_bad("QX294326");
	kb_bad("K294326");
	kb_bad("KB-294326");
	kb_bad("Q294326a");
	kb_bad("Q123456789");
	kb_bad("article 294326");

	/* A buffer too small for the answer fails instead of truncating. */
	char small[4];
	ck_assert(!kbs__kbid_canon(small, sizeof small, "Q294326", 7));
	char exact[8];
	ck_assert(kbs__kbid_canon(exact, sizeof exact, "Q294326", 7));
	ck_assert_str_eq(exact, "Q294326");
}
END_TEST

Suite *
suite_codes(void)
{
	Suite *s = suite_create("codes");
	TCase *tc = tcase_create("codes");
	tcase_add_test(tc, test_hresult_notations);
	tcase_add_test(tc, test_ntstatus_and_stop);
	tcase_add_test(tc, test_win32_decimal);
	tcase_add_test(tc, test_win32_hresult_twins);
	tcase_add_test(tc, test_garbage_rejected);
	tcase_add_test(tc, test_kbid);
	suite_add_tcase(s, tc);
	return s;
}
