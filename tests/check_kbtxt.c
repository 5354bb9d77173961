/*
 * check_kbtxt.c - the KB text parser, the plain parser and the extractor,
 * on real articles of the bundled corpus and on hand-made edge cases.
 * Expected values were read from the articles themselves.
 */
#include "tests.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *
footer(const kbs_article *a, const char *key)
{
	for (size_t i = 0; i < a->nfooter; i++)
		if (strcmp(a->footer[i].key, key) == 0)
			return a->footer[i].value;
	return NULL;
}

static bool
has_product(const kbs_article *a, const char *name, const char *version)
{
	for (size_t i = 0; i < a->nproducts; i++) {
		const kbs_product *p = &a->products[i];
		if (strcmp(p->name, name) != 0)
			continue;
		if (version == NULL ? p->version == NULL
		                    : p->version != NULL &&
		                      strcmp(p->version, version) == 0)
			return true;
	}
	return false;
}

/* a parsed from a literal with the given parser */
static kbs_article *
parse_str(const char *text, size_t len, bool plain, kbs_status *rc)
{
	kbs_article *a = kbs__article_new();
	ck_assert_ptr_nonnull(a);
	*rc = plain ? kbs__parse_plain(a, text, len)
	            : kbs__parse_kbtxt(a, text, len);
	return a;
}

#define NO_LEGAL(s) \
	ck_assert((s) == NULL || strstr((s), "MERCHANTABILITY") == NULL)

START_TEST(q100215_header_products_sections)
{
	kbs_article *a = kbs_test_parse_kbtxt("txt/Q100215.TXT");
	ck_assert_str_eq(a->kb_id, "Q100215");
	ck_assert_str_eq(a->date, "2002-02-19");
	ck_assert_str_eq(a->category, "winnt");
	ck_assert_str_eq(a->format, "kb-txt");
	ck_assert_str_eq(a->title, "Err Msg: Not Enough Memory to Run Word");
	ck_assert_str_eq(a->product_line, "Microsoft Windows NT");
	ck_assert_str_eq(a->prod_ver, "3.1 3.51");
	ck_assert_str_eq(a->keywords_line, "kbinterop");
	ck_assert_uint_eq(a->nproducts, 3);
	ck_assert_str_eq(a->products[0].name, "Microsoft Windows NT Server");
	ck_assert_str_eq(a->products[0].version, "3.1");
	ck_assert(has_product(a, "Microsoft Windows NT Workstation", "3.51"));

	const kbs_section *s = kbs_test_section(a, "SYMPTOMS");
	ck_assert_ptr_nonnull(s);
	ck_assert_int_eq(s->level, 1);
	s = kbs_test_section(a, "Default Printer Unavailable");
	ck_assert_ptr_nonnull(s);
	ck_assert_int_eq(s->level, 2);
	ck_assert_ptr_nonnull(strstr(s->text, "Open\nPrint Manager"));
	ck_assert_ptr_nonnull(kbs_test_section(a,
		"Insufficient Disk Space in \\TEMP or Startup Directory"));
	ck_assert_str_eq(a->sections[0].heading, "");

	ck_assert_uint_eq(a->nmessages, 1);
	ck_assert_str_eq(a->messages[0], "There is not enough memory to run Word");
	ck_assert_str_eq(a->messages_text, "There is not enough memory to run Word");
	kbs_article_free(a);
}
END_TEST

START_TEST(q100215_columns_footer_legal)
{
	kbs_article *a = kbs_test_parse_kbtxt("txt/Q100215.TXT");
	ck_assert_ptr_nonnull(strstr(a->symptoms, "16-bit Word for Windows"));
	ck_assert_ptr_null(strstr(a->symptoms, "Print Manager"));
	/* CAUSE takes its sub-sections */
	ck_assert_ptr_nonnull(strstr(a->cause, "No Print Permission"));
	ck_assert_ptr_nonnull(strstr(a->cause, "Print permission with the default"));
	ck_assert_ptr_null(a->resolution);
	/* body: the applies-to list, not the header nor the footer */
	ck_assert_ptr_nonnull(strstr(a->body, "applies to"));
	ck_assert_ptr_null(strstr(a->body, "TITLE"));
	ck_assert_ptr_null(strstr(a->body, "kbWinNTsearch"));
	ck_assert_ptr_nonnull(strstr(a->keywords, "prodnt virtual word6 winword"));
	ck_assert_ptr_nonnull(strstr(a->keywords, "kbWinNTW310Search"));
	ck_assert_str_eq(footer(a, "Keywords"), "kbinterop");
	ck_assert_str_eq(footer(a, "Version"), "3.1 3.51");
	ck_assert_ptr_nonnull(a->legal);
	ck_assert_ptr_nonnull(strstr(a->legal, "MERCHANTABILITY"));
	ck_assert_ptr_nonnull(strstr(a->legal, "Copyright Microsoft Corporation 2002."));
	NO_LEGAL(a->body);
	NO_LEGAL(a->symptoms);
	NO_LEGAL(a->cause);
	NO_LEGAL(a->keywords);
	for (size_t i = 0; i < a->nsections; i++)
		NO_LEGAL(a->sections[i].text);
	/* "IN NO EVENT SHALL" is no event */
	ck_assert_uint_eq(a->nevents, 0);
	kbs_article_free(a);
}
END_TEST

START_TEST(q140957_event_block_and_code)
{
	kbs_article *a = kbs_test_parse_kbtxt("txt/Q140957.TXT");
	ck_assert_str_eq(a->prod_ver, ":4.0");
	ck_assert_uint_eq(a->nproducts, 1);
	ck_assert_str_eq(a->products[0].name, "Microsoft Exchange Server");
	ck_assert_str_eq(a->products[0].version, "4.0");
	const kbs_event *e = kbs_test_event(a, 9405);
	ck_assert_ptr_nonnull(e);
	ck_assert_str_eq(e->source, "MSExchangeMTA");
	ck_assert_str_eq(e->type, "Error");
	ck_assert_str_eq(e->category, "Field Engineering");
	ck_assert_ptr_nonnull(strstr(e->description,
		"An unexpected error has occurred which may cause the MTA"));
	/* the title's "Event ID 940" */
	ck_assert_ptr_nonnull(kbs_test_event(a, 940));
	ck_assert_ptr_null(kbs_test_event(a, 940)->source);
	const kbs_code *c = kbs_test_code(a, 0xC0000005u);
	ck_assert_ptr_nonnull(c);
	ck_assert_str_eq(c->text, "c0000005");
	/* "Address 215bde9" is no code */
	ck_assert_ptr_null(kbs_test_code(a, 0x215bde9u));
	ck_assert_ptr_nonnull(strstr(a->resolution, "S E R V P A C K"));
	ck_assert_ptr_nonnull(strstr(a->symptoms, "Event ID: 9405"));
	kbs_article_free(a);
}
END_TEST

START_TEST(q253309_two_events_negative_code)
{
	kbs_article *a = kbs_test_parse_kbtxt("txt/Q253309.TXT");
	const kbs_event *e = kbs_test_event(a, 1166);
	ck_assert_ptr_nonnull(e);
	ck_assert_str_eq(e->source, "MSExchangeDS");
	ck_assert_str_eq(e->type, "Information");
	ck_assert_ptr_nonnull(strstr(e->description, "JET_errFileNotFound"));
	e = kbs_test_event(a, 1002);
	ck_assert_ptr_nonnull(e);
	ck_assert_str_eq(e->source, "MSExchangeDS");
	ck_assert_str_eq(e->type, "Error");
	ck_assert_ptr_nonnull(kbs_test_code(a, (uint32_t)-1811));
	ck_assert_str_eq(kbs_test_code(a, (uint32_t)-1811)->text, "-1811");
	ck_assert(kbs_test_in_list(a->refs, a->nrefs, "Q184186"));
	kbs_article_free(a);
}
END_TEST

START_TEST(q225782_source_without_colon)
{
	kbs_article *a = kbs_test_parse_kbtxt("txt/Q225782.TXT");
	ck_assert_ptr_nonnull(kbs_test_event(a, 2011));
	ck_assert_str_eq(kbs_test_event(a, 2011)->source, "SRV");
	ck_assert_ptr_nonnull(kbs_test_event(a, 0));
	ck_assert_str_eq(kbs_test_event(a, 0)->source, "SRV");
	ck_assert_uint_eq(a->nevents, 2);
	ck_assert(kbs_test_in_list(a->messages, a->nmessages,
		"Not enough server storage is available to process this command."));
	kbs_article_free(a);
}
END_TEST

START_TEST(q248124_events_and_hex_code)
{
	kbs_article *a = kbs_test_parse_kbtxt("txt/Q248124.TXT");
	ck_assert_str_eq(kbs_test_event(a, 5000)->source, "MSExchangeIS");
	ck_assert_str_eq(kbs_test_event(a, 5000)->category, "General");
	ck_assert_str_eq(kbs_test_event(a, 1121)->source, "MSExchangeIS");
	ck_assert_ptr_nonnull(kbs_test_code(a, 0xFAF));   /* "error 4015", "0xfaf" */
	ck_assert(kbs_test_in_list(a->registry, a->nregistry,
		"HKLM\\SYSTEM\\CurrentControlSet\\Services\\MSExchangeIS\\ParametersSystem"));
	kbs_article_free(a);
}
END_TEST

START_TEST(q248445_q293637_sources)
{
	kbs_article *a = kbs_test_parse_kbtxt("txt/Q248445.TXT");
	ck_assert_str_eq(kbs_test_event(a, 7028)->source, "Service control manager");
	ck_assert(kbs_test_in_list(a->registry, a->nregistry,
		"HKLM\\System\\CurrentControlSet\\Control\\SecurePipeServers\\Winreg"));
	ck_assert_ptr_nonnull(kbs_test_code(a, 0xC0020005u));
	kbs_article_free(a);

	a = kbs_test_parse_kbtxt("txt/Q293637.TXT");
	ck_assert_ptr_nonnull(kbs_test_event(a, 8));
	ck_assert_str_eq(kbs_test_event(a, 8)->source, "MSFTPSVC");
	ck_assert_uint_eq(a->nevents, 1);
	kbs_article_free(a);
}
END_TEST

START_TEST(q124641_prose_event_no_sections)
{
	kbs_article *a = kbs_test_parse_kbtxt("txt/Q124641.TXT");
	ck_assert_str_eq(a->title, "Event ID 7000: RDR Service Failed to Start");
	ck_assert_str_eq(a->category, "sms");
	ck_assert_uint_eq(a->nevents, 1);
	ck_assert_int_eq(a->events[0].id, 7000);
	ck_assert_ptr_null(a->events[0].source);
	/* no headings at all: one section with heading "" */
	ck_assert_uint_eq(a->nsections, 1);
	ck_assert_str_eq(a->sections[0].heading, "");
	ck_assert_uint_eq(a->nmessages, 2);
	ck_assert_ptr_nonnull(strstr(a->messages[0], "The RDR service failed to start"));
	ck_assert_ptr_nonnull(strstr(a->body, "beta release of System Management"));
	NO_LEGAL(a->body);
	kbs_article_free(a);
}
END_TEST

START_TEST(q125043_nested_product_rc)
{
	kbs_article *a = kbs_test_parse_kbtxt("txt/Q125043.TXT");
	ck_assert(has_product(a, "Microsoft SNA Server", "2.1"));
	ck_assert(has_product(a, "Microsoft Windows NT", NULL));
	const kbs_event *e = kbs_test_event(a, 252);
	ck_assert_ptr_nonnull(e);
	ck_assert_str_eq(e->description, "Error during initialization, rc = 13");
	ck_assert_ptr_nonnull(kbs_test_code(a, 13));
	ck_assert_str_eq(kbs_test_code(a, 13)->text, "13");
	kbs_article_free(a);
}
END_TEST

START_TEST(q126399_events_return_codes)
{
	kbs_article *a = kbs_test_parse_kbtxt("txt/Q126399.TXT");
	ck_assert_str_eq(kbs_test_event(a, 49)->description,
	                 "Node ID from remote computer was rejected.");
	ck_assert_ptr_nonnull(kbs_test_event(a, 55));
	ck_assert(has_product(a, "Microsoft SNA Server", "2.11 SP1"));
	ck_assert_ptr_nonnull(kbs_test_code(a, 5));  /* "Secondary return code = 00000005" */
	kbs_article_free(a);
}
END_TEST

START_TEST(q112509_event_ref_registry)
{
	kbs_article *a = kbs_test_parse_kbtxt("txt/Q112509.TXT");
	ck_assert_str_eq(a->title, "Error 2013 - Disk Is At Or Near Capacity");
	ck_assert_ptr_nonnull(kbs_test_event(a, 2013));
	ck_assert(kbs_test_in_list(a->refs, a->nrefs, "Q256986"));
	ck_assert(!kbs_test_in_list(a->refs, a->nrefs, "Q112509"));
	ck_assert(kbs_test_in_list(a->messages, a->nmessages,
		"The disk is at or near capacity. You may need to delete some files."));
	/* written as a tree over six lines */
	ck_assert(kbs_test_in_list(a->registry, a->nregistry,
		"HKLM\\SYSTEM\\CurrentControlSet\\Services\\LanmanServer"
		"\\Parameters"));
	ck_assert(has_product(a, "Microsoft Windows 2000 Server", NULL));
	ck_assert_ptr_nonnull(kbs_test_section(a, "MORE INFORMATION"));
	kbs_article_free(a);
}
END_TEST

START_TEST(q102721_edition_suffix)
{
	kbs_article *a = kbs_test_parse_kbtxt("txt/Q102721.TXT");
	ck_assert(has_product(a,
		"Microsoft Windows NT Server, Terminal Server Edition", "4.0"));
	ck_assert(has_product(a, "Microsoft Windows NT Workstation", "3.51"));
	ck_assert(kbs_test_in_list(a->refs, a->nrefs, "Q152734"));
	ck_assert(kbs_test_in_list(a->messages, a->nmessages, "Windows NT could not start "
		"because the following file is missing or corrupt:"));
	ck_assert_ptr_nonnull(a->resolution);
	ck_assert_ptr_nonnull(strstr(a->resolution, "Windows NT 3.5, 3.51"));
	kbs_article_free(a);
}
END_TEST

START_TEST(q123257_service_packs)
{
	kbs_article *a = kbs_test_parse_kbtxt("txt/Q123257.TXT");
	ck_assert_uint_eq(a->nproducts, 11);
	ck_assert(has_product(a, "Microsoft SNA Server", "2.11 SP1"));
	ck_assert(has_product(a, "Microsoft SNA Server", "4.0 SP1"));
	kbs_article_free(a);
}
END_TEST

START_TEST(q109555_net_code)
{
	kbs_article *a = kbs_test_parse_kbtxt("txt/Q109555.TXT");
	ck_assert_str_eq(a->title, "Virtual Circuit Error 3193");
	const kbs_code *c = kbs_test_code(a, 3193);
	ck_assert_ptr_nonnull(c);
	ck_assert_str_eq(c->text, "NET3193");
	kbs_article_free(a);
}
END_TEST

START_TEST(q101861_decimal_codes_subheadings)
{
	kbs_article *a = kbs_test_parse_kbtxt("txt/Q101861.TXT");
	ck_assert_ptr_nonnull(kbs_test_code(a, 67));
	ck_assert_ptr_nonnull(kbs_test_code(a, 69));
	const kbs_section *s = kbs_test_section(a, "Error 67 CONFIG_INITIALIZATION_FAILED");
	ck_assert_ptr_nonnull(s);
	ck_assert_int_eq(s->level, 2);
	kbs_article_free(a);
}
END_TEST

START_TEST(q103147_access_violation)
{
	kbs_article *a = kbs_test_parse_kbtxt("txt/Q103147.TXT");
	ck_assert_str_eq(kbs_test_code(a, 0xC0000005u)->text, "0xc0000005");
	ck_assert_ptr_null(kbs_test_code(a, 0x766026eeu));  /* an address */
	ck_assert(kbs_test_in_list(a->messages, a->nmessages,
		"Exception: access violation (0xc0000005), Address: 0x766026ee"));
	ck_assert_ptr_nonnull(kbs_test_section(a, "Steps to Reproduce Problem"));
	kbs_article_free(a);
}
END_TEST

START_TEST(q225212_stop_code)
{
	kbs_article *a = kbs_test_parse_kbtxt("txt/Q225212.TXT");
	ck_assert_ptr_nonnull(kbs_test_code(a, 0x0000000A));
	/* parameters that are no NTSTATUS are not codes */
	ck_assert_ptr_null(kbs_test_code(a, 0xf1e63c2eu));
	ck_assert_ptr_null(kbs_test_code(a, 6));
	kbs_article_free(a);
}
END_TEST

START_TEST(registry_spaces_and_wraps)
{
	kbs_article *a = kbs_test_parse_kbtxt("txt/Q105247.TXT");
	ck_assert(kbs_test_in_list(a->registry, a->nregistry,
		"HKLM\\SYSTEM\\CurrentControlSet\\Control\\Print\\Environments"
		"\\Windows NT x86\\Print Processors\\winprint"));
	/* bulleted messages lose their bullet */
	ck_assert(kbs_test_in_list(a->messages, a->nmessages, "Print Processor is unknown"));
	kbs_article_free(a);
	a = kbs_test_parse_kbtxt("txt/Q168148.TXT");
	ck_assert_uint_eq(a->nregistry, 1);
	ck_assert_str_eq(a->registry[0], "HKCU\\Software\\Microsoft\\WindowsNT"
		"\\CurrentVersion\\Network\\Persistent Connections");
	kbs_article_free(a);
}
END_TEST

START_TEST(q108918_product_without_version)
{
	kbs_article *a = kbs_test_parse_kbtxt("txt/Q108918.TXT");
	ck_assert_uint_eq(a->nproducts, 1);
	ck_assert_str_eq(a->products[0].name, "Microsoft Word 97 for Windows");
	ck_assert_ptr_null(a->products[0].version);
	ck_assert_str_eq(a->category, "word97");
	ck_assert(kbs_test_in_list(a->messages, a->nmessages, "Cannot open document."));
	kbs_article_free(a);
}
END_TEST

START_TEST(q134496_hresult_in_title)
{
	kbs_article *a = kbs_test_parse_kbtxt("txt/Q134496.TXT");
	ck_assert_str_eq(kbs_test_code(a, 0x80000003u)->text, "80000003");
	ck_assert(kbs_test_in_list(a->messages, a->nmessages,
		"SDMErr(80000003): Registry access failed."));
	kbs_article_free(a);
}
END_TEST

START_TEST(q297795_refs)
{
	kbs_article *a = kbs_test_parse_kbtxt("txt/Q297795.TXT");
	ck_assert(kbs_test_in_list(a->refs, a->nrefs, "Q300672"));
	ck_assert(kbs_test_in_list(a->refs, a->nrefs, "Q245574"));
	ck_assert(!kbs_test_in_list(a->refs, a->nrefs, "Q297795"));
	ck_assert_str_eq(a->category, "iis");
	kbs_article_free(a);
}
END_TEST

START_TEST(seed004_kbtxt)
{
	kbs_article *a = kbs_test_parse_kbtxt("seeds/004_8b6a572fc5bb9841.txt");
	ck_assert_str_eq(a->kb_id, "Q187087");
	ck_assert_str_eq(a->date, "2001-12-11");
	ck_assert_str_eq(a->prod_ver, "WINDOWS:4.0");
	ck_assert(has_product(a,
		"Microsoft Windows NT Server, Terminal Server Edition", "4.0"));
	ck_assert_uint_eq(a->nmessages, 1);
	ck_assert_str_eq(a->messages[0], "invalid key = missing module");
	ck_assert_str_eq(footer(a, "Issue type"), "kbprb");
	kbs_article_free(a);
}
END_TEST

static kbs_article *
parse_seed_plain(const char *name)
{
	char path[4096];
	size_t len;
	snprintf(path, sizeof path, "%s/seeds/%s", kbs_test_bundled_dir(), name);
	char *text = kbs_test_read_file(path, &len);
	ck_assert_ptr_nonnull(text);
	kbs_status rc;
	kbs_article *a = parse_str(text, len, true, &rc);
	free(text);
	ck_assert_int_eq(rc, KBS_OK);
	return a;
}

START_TEST(seed000_plain_extract)
{
	kbs_article *a = parse_seed_plain("000_76cfab0fea077458.txt");
	ck_assert_str_eq(a->format, "plain");
	ck_assert_str_eq(a->kb_id, "Q294326");  /* "Article: Q294326" */
	const kbs_event *e = kbs_test_event(a, 1003);
	ck_assert_ptr_nonnull(e);
	ck_assert_str_eq(e->source, "TermService");
	ck_assert_str_eq(e->type, "Information");
	ck_assert_str_eq(e->description,
		"The terminal service client has provided an invalid license.");
	ck_assert_uint_eq(a->nfiles, 1);
	ck_assert_str_eq(a->files[0].name, "Icaapi.dll");
	ck_assert_str_eq(a->files[0].date, "2001-04-26");
	ck_assert_str_eq(a->files[0].time, "16:45");
	ck_assert_int_eq(a->files[0].size, 62224);
	ck_assert_str_eq(a->files[0].platform, "Intel");
	ck_assert_ptr_null(a->files[0].version);
	kbs_article_free(a);
}
END_TEST

START_TEST(seed002_file_table_with_version_column)
{
	kbs_article *a = parse_seed_plain("002_51f93d724b128164.txt");
	ck_assert_uint_eq(a->nfiles, 2);
	ck_assert_str_eq(a->files[0].name, "Termsrv.exe");
	ck_assert_str_eq(a->files[0].date, "1999-07-22");
	ck_assert_str_eq(a->files[0].time, "16:53");
	ck_assert_int_eq(a->files[0].size, 134928);
	ck_assert_str_eq(a->files[0].platform, "x86");
	ck_assert_str_eq(a->files[1].platform, "Alpha");
	ck_assert_int_eq(a->files[1].size, 242448);
	kbs_article_free(a);
}
END_TEST

/* ---- hand-made edge cases ---------------------------------------- */

START_TEST(edge_empty_and_not_kbtxt)
{
	kbs_status rc;
	kbs_article *a = parse_str("", 0, false, &rc);
	ck_assert_int_eq(rc, KBS_PARSE);
	kbs_article_free(a);
	a = parse_str("", 0, true, &rc);
	ck_assert_int_eq(rc, KBS_PARSE);
	kbs_article_free(a);
	a = parse_str(" \n\t\n", 4, true, &rc);
	ck_assert_int_eq(rc, KBS_PARSE);
	kbs_article_free(a);
	const char *md = "# Some title\nDOCUMENT:Q1 later\n";
	a = parse_str(md, strlen(md), false, &rc);
	ck_assert_int_eq(rc, KBS_PARSE);
	kbs_article_free(a);
}
END_TEST

START_TEST(edge_truncated_header)
{
	static const char *const cuts[] = {
		"DOCUMENT:", "DOCUMENT:Q1", "DOCUMENT:Q100215  19-FEB",
		"DOCUMENT:Q100215  19-FEB-2002  [win", "DOCUMENT:Q100215\nTITLE   :",
		"\xEF\xBB\xBF  DOCUMENT:Q12345 01-JAN-99 [x]\nTITLE   :T",
	};
	for (size_t i = 0; i < sizeof cuts / sizeof cuts[0]; i++) {
		kbs_status rc;
		kbs_article *a = parse_str(cuts[i], strlen(cuts[i]), false, &rc);
		ck_assert_int_eq(rc, KBS_OK);
		kbs_article_free(a);
	}
	kbs_status rc;
	const char *t = cuts[5];
	kbs_article *a = parse_str(t, strlen(t), false, &rc);
	ck_assert_str_eq(a->kb_id, "Q12345");
	ck_assert_str_eq(a->date, "1999-01-01");
	ck_assert_str_eq(a->title, "T");
	ck_assert_str_eq(a->category, "x");
	kbs_article_free(a);
}
END_TEST

START_TEST(edge_crlf_no_sections_no_newline)
{
	const char *t =
		"DOCUMENT:Q123456  05-MAR-2001  [winnt]\r\n"
		"TITLE   :CRLF Article\r\n"
		"PRODUCT :Microsoft Windows NT\r\n"
		"\r\n"
		"SYMPTOMS\r\n"
		"========\r\n"
		"\r\n"
		"You receive the following error message:\r\n"
		"\r\n"
		"   Access is denied.\r\n"
		"\r\n"
		"See Q654321 and HKEY_LOCAL_MACHINE\\SOFTWARE\\Foo.\r\n"
		"Event ID 4321 may also be logged (error 0x80070005)";
	kbs_status rc;
	kbs_article *a = parse_str(t, strlen(t), false, &rc);
	ck_assert_int_eq(rc, KBS_OK);
	ck_assert_str_eq(a->title, "CRLF Article");
	ck_assert_str_eq(a->product_line, "Microsoft Windows NT");
	ck_assert_ptr_nonnull(kbs_test_section(a, "SYMPTOMS"));
	ck_assert_uint_eq(a->nmessages, 1);
	ck_assert_str_eq(a->messages[0], "Access is denied.");
	ck_assert(kbs_test_in_list(a->refs, a->nrefs, "Q654321"));
	ck_assert(kbs_test_in_list(a->registry, a->nregistry, "HKLM\\SOFTWARE\\Foo"));
	ck_assert_ptr_nonnull(kbs_test_event(a, 4321));
	ck_assert_ptr_nonnull(kbs_test_code(a, 0x80070005u));
	ck_assert_ptr_null(a->legal);
	kbs_article_free(a);

	/* header only: no sections, no body */
	t = "DOCUMENT:Q5  01-JAN-2000  [a]\nTITLE   :Only";
	a = parse_str(t, strlen(t), false, &rc);
	ck_assert_int_eq(rc, KBS_OK);
	ck_assert_uint_eq(a->nsections, 0);
	ck_assert_ptr_null(a->body);
	kbs_article_free(a);
}
END_TEST

START_TEST(edge_binary_junk)
{
	char junk[4096];
	unsigned s = 12345;
	for (size_t i = 0; i < sizeof junk; i++) {
		s = s * 1103515245u + 12345u;
		junk[i] = (char)(s >> 16);
	}
	memcpy(junk, "DOCUMENT:", 9);
	kbs_status rc;
	kbs_article *a = parse_str(junk, sizeof junk, false, &rc);
	ck_assert(rc == KBS_OK);
	kbs_article_free(a);
	a = parse_str(junk + 9, sizeof junk - 9, true, &rc);
	ck_assert(rc == KBS_OK || rc == KBS_PARSE);
	kbs_article_free(a);
	/* a huge line of backslashes and hex digits */
	size_t n = 1 << 20;
	char *big = malloc(n + 1);
	ck_assert_ptr_nonnull(big);
	for (size_t i = 0; i < n; i++)
		big[i] = "HKLM\\0x8 Event ID:"[i % 18];
	big[n] = '\0';
	a = parse_str(big, n, true, &rc);
	ck_assert_int_eq(rc, KBS_OK);
	kbs_article_free(a);
	free(big);
}
END_TEST

START_TEST(edge_plain_ids)
{
	kbs_status rc;
	const char *t = "Q294326: Event ID 1003 in the log\nbody\n";
	kbs_article *a = parse_str(t, strlen(t), true, &rc);
	ck_assert_int_eq(rc, KBS_OK);
	ck_assert_str_eq(a->kb_id, "Q294326");
	ck_assert_str_eq(a->title, "Q294326: Event ID 1003 in the log");
	ck_assert_ptr_nonnull(kbs_test_event(a, 1003));
	kbs_article_free(a);

	/* a mention in the body is a reference, not the article's id */
	t = "Licensing notes\n\nFor more information, see Q187087.\n";
	a = parse_str(t, strlen(t), true, &rc);
	ck_assert_int_eq(rc, KBS_OK);
	ck_assert_ptr_null(a->kb_id);
	ck_assert_str_eq(a->title, "Licensing notes");
	ck_assert(kbs_test_in_list(a->refs, a->nrefs, "Q187087"));
	kbs_article_free(a);
}
END_TEST

Suite *
suite_kbtxt(void)
{
	Suite *s = suite_create("kbtxt");
	TCase *tc = tcase_create("articles");
	tcase_add_test(tc, q100215_header_products_sections);
	tcase_add_test(tc, q100215_columns_footer_legal);
	tcase_add_test(tc, q140957_event_block_and_code);
	tcase_add_test(tc, q253309_two_events_negative_code);
	tcase_add_test(tc, q225782_source_without_colon);
	tcase_add_test(tc, q248124_events_and_hex_code);
	tcase_add_test(tc, q248445_q293637_sources);
	tcase_add_test(tc, q124641_prose_event_no_sections);
	tcase_add_test(tc, q125043_nested_product_rc);
	tcase_add_test(tc, q126399_events_return_codes);
	tcase_add_test(tc, q112509_event_ref_registry);
	tcase_add_test(tc, q102721_edition_suffix);
	tcase_add_test(tc, q123257_service_packs);
	tcase_add_test(tc, q109555_net_code);
	tcase_add_test(tc, q101861_decimal_codes_subheadings);
	tcase_add_test(tc, q103147_access_violation);
	tcase_add_test(tc, q225212_stop_code);
	tcase_add_test(tc, registry_spaces_and_wraps);
	tcase_add_test(tc, q108918_product_without_version);
	tcase_add_test(tc, q134496_hresult_in_title);
	tcase_add_test(tc, q297795_refs);
	tcase_add_test(tc, seed004_kbtxt);
	tcase_add_test(tc, seed000_plain_extract);
	tcase_add_test(tc, seed002_file_table_with_version_column);
	suite_add_tcase(s, tc);

	tc = tcase_create("edges");
	tcase_add_test(tc, edge_empty_and_not_kbtxt);
	tcase_add_test(tc, edge_truncated_header);
	tcase_add_test(tc, edge_crlf_no_sections_no_newline);
	tcase_add_test(tc, edge_binary_junk);
	tcase_add_test(tc, edge_plain_ids);
	suite_add_tcase(s, tc);
	return s;
}
