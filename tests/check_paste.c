/*
 * check_paste.c - paste analysis (query/paste.c).
 *
 * The pastes are the ones support engineers send: Event Viewer blocks,
 * message boxes, blue screens, command output and chat lines, most of them
 * taken from shared/eval/dev-queries.tsv. Each test checks what ranking
 * relies on: the message keeps the error words and loses the volatile
 * parts, and the exact evidence (event ID, source, codes, files, KB ids)
 * comes out canonical.
 */
#include "tests.h"

#include <stdlib.h>
#include <string.h>

static kbs__paste
analyse(const char *s)
{
	kbs__paste p = {0};
	ck_assert_int_eq(kbs__paste_analyse(&p, s, strlen(s)), KBS_OK);
	ck_assert_ptr_nonnull(p.kind);
	ck_assert_ptr_nonnull(p.message);
	return p;
}

static bool
has_code(const kbs__paste *p, uint32_t v)
{
	for (size_t i = 0; i < p->ncodes; i++)
		if (p->codes[i] == v)
			return true;
	return false;
}

static bool
has_str(const char *const *arr, size_t n, const char *s)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(arr[i], s) == 0)
			return true;
	return false;
}

#define ck_assert_contains(hay, needle) \
	ck_assert_msg(strstr((hay), (needle)) != NULL, \
	              "\"%s\" lacks \"%s\"", (hay), (needle))
#define ck_assert_lacks(hay, needle) \
	ck_assert_msg(strstr((hay), (needle)) == NULL, \
	              "\"%s\" has \"%s\"", (hay), (needle))
#define ck_assert_dropped(p, s) \
	ck_assert_msg(has_str((p)->dropped, (p)->ndropped, (s)), \
	              "\"%s\" not dropped", (s))

/* ------------------------------------------------------------------ */

START_TEST(test_eventviewer_details)
{
	kbs__paste p = analyse(
		"Log Name:      System\n"
		"Source:        MSExchangeMTA\n"
		"Date:          5/4/2025 1:28:10 AM\n"
		"Event ID:      9405\n"
		"Task Category: Field Engineering\n"
		"Level:         Error\n"
		"Keywords:      Classic\n"
		"User:          N/A\n"
		"Computer:      LAB-NT4\n"
		"Description:\n"
		"An unexpected error has occurred which may cause the MTA to terminate.\n"
		"Error: Exception c0000005 occurred at Address 215bde9 [BASE XFER-IN 20] (16)\n");
	ck_assert_str_eq(p.kind, "eventviewer");
	ck_assert_int_eq(p.event_id, 9405);
	ck_assert_str_eq(p.source, "MSExchangeMTA");
	ck_assert_ptr_null(p.title);
	ck_assert_str_eq(p.message,
		"An unexpected error has occurred which may cause the MTA to "
		"terminate. Error: Exception c0000005 occurred at Address 215bde9 "
		"[BASE XFER-IN 20] (16)");
	ck_assert_uint_eq(p.ncodes, 1);
	ck_assert(has_code(&p, 0xC0000005u));
	ck_assert_dropped(&p, "5/4/2025 1:28:10 AM");
	ck_assert_dropped(&p, "LAB-NT4");
	ck_assert(!has_str(p.dropped, p.ndropped, "N/A"));
	ck_assert_lacks(p.message, "Field Engineering");
	ck_assert_lacks(p.message, "Classic");
	kbs__paste_free(&p);
}
END_TEST

START_TEST(test_eventviewer_fqdn_and_crlf)
{
	/* Windows clipboards use CR LF; the computer name also appears in
	 * the description and must go there too. */
	kbs__paste p = analyse(
		"Log Name:      System\r\n"
		"Source:        Application Error\r\n"
		"Date:          7/22/2025 10:30:52 AM\r\n"
		"Event ID:      7000\r\n"
		"Task Category: None\r\n"
		"Level:         Error\r\n"
		"Keywords:      Classic\r\n"
		"User:          CONTOSO\\jsmith\r\n"
		"Computer:      EXCH01.fabrikam.com\r\n"
		"Description:\r\n"
		"The RDR service failed to start due to the following error; An Instant of the\r\n"
		"service is already running on EXCH01.\r\n");
	ck_assert_str_eq(p.kind, "eventviewer");
	ck_assert_int_eq(p.event_id, 7000);
	ck_assert_str_eq(p.source, "Application Error");
	ck_assert_str_eq(p.message,
		"The RDR service failed to start due to the following error; An "
		"Instant of the service is already running on.");
	ck_assert_dropped(&p, "7/22/2025 10:30:52 AM");
	ck_assert_dropped(&p, "EXCH01.fabrikam.com");
	ck_assert_dropped(&p, "CONTOSO\\jsmith");
	ck_assert_lacks(p.message, "\r");
	ck_assert_uint_eq(p.ncodes, 0);
	kbs__paste_free(&p);
}
END_TEST

START_TEST(test_eventviewer_general_tab)
{
	kbs__paste p = analyse(
		"Event Type:\tError\n"
		"Event Source:\tTermService\n"
		"Event Category:\tNone\n"
		"Event ID:\t1003\n"
		"Date:\t\t11/3/2025\n"
		"Time:\t\t10:30:52 AM\n"
		"User:\t\tN/A\n"
		"Computer:\tSRV-TS01\n"
		"Description:\n"
		"The terminal services licensing grace period has expired and the "
		"service has not registered with a license server. Error 0x80070005.\n"
		"\n"
		"Data:\n"
		"0000: 05 00 07 80\n");
	ck_assert_str_eq(p.kind, "eventviewer");
	ck_assert_int_eq(p.event_id, 1003);
	ck_assert_str_eq(p.source, "TermService");
	ck_assert_contains(p.message, "licensing grace period has expired");
	ck_assert_lacks(p.message, "0000:");
	ck_assert_lacks(p.message, "SRV-TS01");
	ck_assert(has_code(&p, 0x80070005u));
	ck_assert_dropped(&p, "11/3/2025");
	ck_assert_dropped(&p, "10:30:52 AM");
	ck_assert_dropped(&p, "SRV-TS01");
	kbs__paste_free(&p);
}
END_TEST

START_TEST(test_eventviewer_loose)
{
	/* dev-queries q0340: "Event ID:" and "Source:" lines, then text. */
	kbs__paste p = analyse(
		"Event ID: 7028\n"
		"Source: Service control manager\n"
		"Processing file [SP install path]\\sp2\\eng\\server\\setup\\i386\\shared.ins at or\n"
		"near line 48\n"
		"Access is denied\n"
		"NT ID: 0xC0020005");
	ck_assert_str_eq(p.kind, "eventviewer");
	ck_assert_int_eq(p.event_id, 7028);
	ck_assert_str_eq(p.source, "Service control manager");
	ck_assert_str_eq(p.message,
		"Processing file [SP install path]\\sp2\\eng\\server\\setup\\i386\\"
		"shared.ins at or near line 48 Access is denied NT ID: 0xC0020005");
	ck_assert_uint_eq(p.ncodes, 1);
	ck_assert(has_code(&p, 0xC0020005u));
	ck_assert(!has_code(&p, 48));
	ck_assert(has_str(p.files, p.nfiles, "shared.ins"));
	kbs__paste_free(&p);
}
END_TEST

/* ------------------------------------------------------------------ */

START_TEST(test_dialog)
{
	kbs__paste p = analyse(
		"---------------------------\n"
		"Microsoft Windows\n"
		"---------------------------\n"
		"There is not enough memory to run Word\n"
		"---------------------------\n"
		"OK\n"
		"---------------------------\n");
	ck_assert_str_eq(p.kind, "dialog");
	ck_assert_str_eq(p.title, "Microsoft Windows");
	ck_assert_str_eq(p.message, "There is not enough memory to run Word");
	ck_assert_int_eq(p.event_id, -1);
	ck_assert_ptr_null(p.source);
	kbs__paste_free(&p);

	/* q0390-like, with two buttons on one line and a file name. */
	p = analyse(
		"---------------------------\r\n"
		"Program Error\r\n"
		"---------------------------\r\n"
		"Cannot find KRNL386.EXE (version 3.0 only)\r\n"
		"---------------------------\r\n"
		"Retry   Cancel   \r\n"
		"---------------------------\r\n");
	ck_assert_str_eq(p.kind, "dialog");
	ck_assert_str_eq(p.title, "Program Error");
	ck_assert_str_eq(p.message, "Cannot find KRNL386.EXE (version 3.0 only)");
	ck_assert(has_str(p.files, p.nfiles, "KRNL386.EXE"));
	ck_assert_lacks(p.message, "Retry");
	ck_assert_lacks(p.message, "---");
	ck_assert_uint_eq(p.ncodes, 0);      /* "3.0" is a version */
	kbs__paste_free(&p);

	/* Multi-line text, "Try Again" buttons, a code in the text. */
	p = analyse(
		"---------------------------\n"
		"Error\n"
		"---------------------------\n"
		"Error 5733: The protocol manager has reported\n"
		"an incomplete binding.\n"
		"---------------------------\n"
		"Try Again   Continue\n"
		"---------------------------\n");
	ck_assert_str_eq(p.kind, "dialog");
	ck_assert_str_eq(p.title, "Error");
	ck_assert_str_eq(p.message,
		"Error 5733: The protocol manager has reported an incomplete binding.");
	ck_assert(has_code(&p, 5733));
	ck_assert_lacks(p.message, "Try");
	kbs__paste_free(&p);

	/* A line of chatter before the box stays in the message. */
	p = analyse(
		"got this on 11/3/2025:\n"
		"---------------------------\n"
		"Setup\n"
		"---------------------------\n"
		"Error Opening NTDETECT Press any key to continue\n"
		"---------------------------\n"
		"OK\n"
		"---------------------------\n");
	ck_assert_str_eq(p.kind, "dialog");
	ck_assert_str_eq(p.title, "Setup");
	ck_assert_str_eq(p.message, "got this on Error Opening NTDETECT Press any "
	                 "key to continue");
	ck_assert_dropped(&p, "11/3/2025");
	ck_assert(has_str(p.files, p.nfiles, "NTDETECT"));
	kbs__paste_free(&p);
}
END_TEST

START_TEST(test_dialog_volatile)
{
	/* q0047 and q0126: an address and a date and time in the text. */
	kbs__paste p = analyse(
		"---------------------------\n"
		"Warning\n"
		"---------------------------\n"
		"Exception: access violation (0xc0000005), Address: 0x766026ee\n"
		"---------------------------\n"
		"OK\n"
		"---------------------------");
	ck_assert_str_eq(p.kind, "dialog");
	ck_assert_str_eq(p.title, "Warning");
	ck_assert_contains(p.message, "Exception: access violation (0xc0000005)");
	ck_assert_lacks(p.message, "766026ee");
	ck_assert_dropped(&p, "0x766026ee");
	ck_assert(has_code(&p, 0xC0000005u));
	ck_assert(!has_code(&p, 0x766026EEu));
	kbs__paste_free(&p);

	p = analyse(
		"---------------------------\n"
		"Microsoft Windows\n"
		"---------------------------\n"
		"WORKSTATION 3193 11-30-93 08:59pm NET3193: A virtual circuit error "
		"occurred on the session to NTSERVER\n"
		"---------------------------\n"
		"OK\n"
		"---------------------------\n");
	ck_assert_str_eq(p.message, "WORKSTATION 3193 NET3193: A virtual circuit "
	                 "error occurred on the session to NTSERVER");
	ck_assert_dropped(&p, "11-30-93");
	ck_assert_dropped(&p, "08:59pm");
	kbs__paste_free(&p);
}
END_TEST

/* ------------------------------------------------------------------ */

START_TEST(test_stop)
{
	kbs__paste p = analyse(
		"STOP: 0x0000001E (0xC0000005, 0x8013F1D4, 0x00000000, 0x00000000)\n"
		"KMODE_EXCEPTION_NOT_HANDLED\n"
		"*** Address 8013f1d4 has base at 80100000 - ntoskrnl.exe\n");
	ck_assert_str_eq(p.kind, "stop");
	ck_assert_uint_ge(p.ncodes, 2);
	ck_assert_uint_eq(p.codes[0], 0x0000001Eu);
	ck_assert(has_code(&p, 0xC0000005u));
	ck_assert(!has_code(&p, 0x8013F1D4u));
	ck_assert(!has_code(&p, 0));
	ck_assert_dropped(&p, "0x8013F1D4");
	ck_assert_dropped(&p, "8013f1d4");
	ck_assert_dropped(&p, "80100000");
	ck_assert_contains(p.message, "KMODE_EXCEPTION_NOT_HANDLED");
	ck_assert_contains(p.message, "0x0000001E");
	ck_assert_lacks(p.message, "8013");
	ck_assert(has_str(p.files, p.nfiles, "ntoskrnl.exe"));
	kbs__paste_free(&p);

	/* Glued parameters (q0274) and the short "*** STOP" form. */
	p = analyse("STOP 0X0000001e(0xc0000005, 0x8010b1eb, 0x00000000, 0x00000000)");
	ck_assert_str_eq(p.kind, "stop");
	ck_assert_uint_eq(p.ncodes, 2);
	ck_assert_uint_eq(p.codes[0], 0x1Eu);
	ck_assert_uint_eq(p.codes[1], 0xC0000005u);
	ck_assert_dropped(&p, "0x8010b1eb");
	kbs__paste_free(&p);

	p = analyse("*** STOP 0x0000000A (0xc18c313b, 0x00000002, 0x00000000, "
	            "0x8012f72d) IRQL_NOT_LESS_OR_EQUAL");
	ck_assert_str_eq(p.kind, "stop");
	ck_assert_uint_eq(p.ncodes, 1);
	ck_assert_uint_eq(p.codes[0], 0x0000000Au);
	ck_assert_dropped(&p, "0xc18c313b");
	ck_assert_dropped(&p, "0x8012f72d");
	ck_assert_contains(p.message, "IRQL_NOT_LESS_OR_EQUAL");
	kbs__paste_free(&p);

	/* 64-bit: sign-extended parameters, "The bugcheck was:". */
	p = analyse("The computer has rebooted from a bugcheck. The bugcheck was: "
	            "0x0000001e (0xffffffffc0000005, 0xfffff80002e8e4e0, "
	            "0x0000000000000000, 0x0000000000000000).");
	ck_assert_str_eq(p.kind, "stop");
	ck_assert_uint_eq(p.codes[0], 0x1Eu);
	ck_assert(has_code(&p, 0xC0000005u));
	ck_assert_dropped(&p, "0xfffff80002e8e4e0");
	kbs__paste_free(&p);

	/* A bug check without the word STOP: the parameter list gives it
	 * away (q0306). */
	p = analyse("user reports: 0x00000035 (0xff787dc8, 0x00000000, 0x00000000,");
	ck_assert_str_eq(p.kind, "stop");
	ck_assert(has_code(&p, 0x35));
	ck_assert_dropped(&p, "0xff787dc8");
	kbs__paste_free(&p);
}
END_TEST

START_TEST(test_command)
{
	kbs__paste p = analyse(
		"C:\\>net use x: \\\\FILESRV01\\data\n"
		"System error 5 has occurred.\n"
		"\n"
		"Access is denied.\n");
	ck_assert_str_eq(p.kind, "command");
	ck_assert_uint_eq(p.ncodes, 1);
	ck_assert_uint_eq(p.codes[0], 5);
	ck_assert_contains(p.message, "System error 5 has occurred. Access is denied.");
	ck_assert_lacks(p.message, "FILESRV01");
	ck_assert_dropped(&p, "\\\\FILESRV01");
	kbs__paste_free(&p);

	p = analyse("System error 1219 has occurred.\n\nThe credentials supplied "
	            "conflict with an existing set of credentials.");
	ck_assert_str_eq(p.kind, "command");
	ck_assert(has_code(&p, 1219));
	kbs__paste_free(&p);
}
END_TEST

/* ------------------------------------------------------------------ */

START_TEST(test_plain_chatter)
{
	kbs__paste p = analyse("user reports: There is not enough memory");
	ck_assert_str_eq(p.kind, "plain");
	ck_assert_str_eq(p.message, "user reports: There is not enough memory");
	ck_assert_int_eq(p.event_id, -1);
	ck_assert_uint_eq(p.ncodes, 0);
	ck_assert_uint_eq(p.ndropped, 0);
	kbs__paste_free(&p);

	p = analyse("Hi team, seeing the following after reboot OS Loader V2.10 "
	            "loading file multi(0)disk(0)rdisk(0)partition(1)\\winnx\\system\\"
	            "ntoskrnl.exe The system did not load because it cannot find "
	            "the following file: <sysroot>\\SYSTEM32\\NTOSKRNL.EXE");
	ck_assert_str_eq(p.kind, "plain");
	ck_assert_uint_eq(p.nfiles, 1);      /* one file, two spellings */
	ck_assert_uint_eq(p.ncodes, 0);
	ck_assert_contains(p.message, "The system did not load because it cannot find");
	kbs__paste_free(&p);

	p = analyse("Hi team, seeing the following after reboot NTLDR Please insert "
	            "another disk.");
	ck_assert(has_str(p.files, p.nfiles, "NTLDR"));
	kbs__paste_free(&p);
}
END_TEST

START_TEST(test_plain_volatile)
{
	kbs__paste p = analyse(
		"On 11/3/2025 at 10:30:52 AM SRV-TS01.contoso.local (10.1.2.30) "
		"logged Event ID 1003, Source: TermService, session "
		"{3F2504E0-4F89-11D3-9A0C-0305E82C3301} from 00-1A-2B-3C-4D-5E, "
		"mail admin@contoso.com, on 2025-11-03: The terminal service "
		"client has provided an invalid license. Error 0x80070005 "
		"(-2147024891 / 2147942405 / 3221291009), error 1722, see KB294326 "
		"and Q187614 and KB 123456; version 4.0.1381 on \\\\TS02\\c$.");
	ck_assert_str_eq(p.kind, "plain");
	ck_assert_int_eq(p.event_id, 1003);
	ck_assert_str_eq(p.source, "TermService");
	ck_assert_contains(p.message,
		"The terminal service client has provided an invalid license.");
	const char *gone[] = {
		"11/3/2025", "10:30:52 AM", "SRV-TS01.contoso.local", "10.1.2.30",
		"{3F2504E0-4F89-11D3-9A0C-0305E82C3301}", "00-1A-2B-3C-4D-5E",
		"admin@contoso.com", "2025-11-03", "\\\\TS02",
	};
	for (size_t i = 0; i < sizeof gone / sizeof gone[0]; i++) {
		ck_assert_dropped(&p, gone[i]);
		ck_assert_lacks(p.message, gone[i]);
	}
	ck_assert_lacks(p.message, "3F2504E0");
	ck_assert(has_code(&p, 0x80070005u));
	ck_assert(has_code(&p, 0xC0010001u));
	ck_assert(has_code(&p, 1722));
	ck_assert_uint_eq(p.ncodes, 3);   /* one HRESULT in three notations */
	ck_assert(!has_code(&p, 1003));   /* an event ID is not a code */
	ck_assert(!has_code(&p, 1381));   /* nor is a version */
	ck_assert(!has_code(&p, 2025));   /* nor a date */
	ck_assert_uint_eq(p.nkb_ids, 3);
	ck_assert(has_str(p.kb_ids, p.nkb_ids, "Q294326"));
	ck_assert(has_str(p.kb_ids, p.nkb_ids, "Q187614"));
	ck_assert(has_str(p.kb_ids, p.nkb_ids, "Q123456"));
	ck_assert_contains(p.message, "4.0.1381");
	kbs__paste_free(&p);
}
END_TEST

START_TEST(test_plain_codes)
{
	kbs__paste p = analyse("Error -1811 has occurred. JET_errFileNotFound.");
	ck_assert(has_code(&p, (uint32_t)-1811));
	kbs__paste_free(&p);

	p = analyse("keycheck failed 80090016; the dll returned c0000005");
	ck_assert(has_code(&p, 0x80090016u));
	ck_assert(has_code(&p, 0xC0000005u));
	kbs__paste_free(&p);

	/* Numbers that are not codes. */
	p = analyse("Copied 1048576 bytes in 12 files at 14:02, line 48, "
	            "build 2195, 512 MB, Windows NT 4.0 SP6a, port 3389");
	ck_assert_uint_eq(p.ncodes, 0);
	kbs__paste_free(&p);

	p = analyse("NETBIOS: Command = Session End (0x18) NETBIOS: Data2 = 0x0001");
	ck_assert_uint_eq(p.ncodes, 0);
	kbs__paste_free(&p);
}
END_TEST

START_TEST(test_empty)
{
	kbs__paste p = {0};
	ck_assert_int_eq(kbs__paste_analyse(&p, "", 0), KBS_OK);
	ck_assert_str_eq(p.kind, "plain");
	ck_assert_str_eq(p.message, "");
	ck_assert_int_eq(p.event_id, -1);
	ck_assert_uint_eq(p.ncodes + p.nfiles + p.nkb_ids + p.ndropped, 0);
	kbs__paste_free(&p);

	p = analyse(" \n\t\r\n  ");
	ck_assert_str_eq(p.message, "");
	kbs__paste_free(&p);
}
END_TEST

/* ------------------------------------------------------------------ */
/* Hostile input                                                       */
/* ------------------------------------------------------------------ */

/* Strict UTF-8 check, independent of the code under test. */
static bool
valid_utf8(const char *s)
{
	const unsigned char *u = (const unsigned char *)s;
	while (*u) {
		int n;
		unsigned cp;
		if (*u < 0x80) {
			u++;
			continue;
		} else if ((*u & 0xE0) == 0xC0) {
			n = 1; cp = *u & 0x1F;
		} else if ((*u & 0xF0) == 0xE0) {
			n = 2; cp = *u & 0x0F;
		} else if ((*u & 0xF8) == 0xF0) {
			n = 3; cp = *u & 0x07;
		} else {
			return false;
		}
		u++;
		for (int i = 0; i < n; i++, u++) {
			if ((*u & 0xC0) != 0x80)
				return false;
			cp = (cp << 6) | (*u & 0x3F);
		}
		if ((n == 1 && cp < 0x80) || (n == 2 && cp < 0x800) ||
		    (n == 3 && cp < 0x10000) || cp > 0x10FFFF ||
		    (cp >= 0xD800 && cp <= 0xDFFF))
			return false;
	}
	return true;
}

static void
check_hostile(const char *buf, size_t len)
{
	kbs__paste p = {0};
	ck_assert_int_eq(kbs__paste_analyse(&p, buf, len), KBS_OK);
	ck_assert_ptr_nonnull(p.kind);
	ck_assert_ptr_nonnull(p.message);
	ck_assert_msg(valid_utf8(p.message), "message is not UTF-8");
	ck_assert_uint_le(strlen(p.message), len + 1);
	for (size_t i = 0; i < p.ndropped; i++)
		ck_assert(valid_utf8(p.dropped[i]));
	for (size_t i = 0; i < p.nfiles; i++)
		ck_assert(valid_utf8(p.files[i]));
	if (p.source != NULL)
		ck_assert(valid_utf8(p.source));
	if (p.title != NULL)
		ck_assert(valid_utf8(p.title));
	kbs__paste_free(&p);
}

START_TEST(test_hostile_fixed)
{
	static const char *const cases[] = {
		"\"", "\"\"\"", "((((", "))))", "\"unbalanced (quote",
		"AND OR NOT NEAR * ^ - + : \"", "NEAR(a b, 5) AND -x OR ^y*",
		"---------------------------", "---\n---\n---\n",
		"---------------------------\n---------------------------\n"
		"---------------------------\n",
		"Event ID:", "Event ID: 99999999999999999999\nSource:",
		"Description:", "Source: \nEvent ID: 1\nDescription:",
		"STOP:", "STOP 0x", "0x", "0xffffffffffffffffffffffff",
		"-", "--", "-2147483649", "99999999999999999999999",
		"\\\\", "\\\\\\\\\\", "@@@.@.", "{", "{}", "1/1/", "1:", "::::",
		"....", "a.b.c.d.e.f.g.h", "KB", "KB ", "Q", "10:30:52 AM AM PM",
		"Ελληνικά 日本語 emoji \xF0\x9F\x98\x80 test",
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
		check_hostile(cases[i], strlen(cases[i]));

	/* NULs, invalid UTF-8, lone continuation bytes, overlong forms,
	 * surrogates, truncated sequences. */
	static const char bin[] =
		"Error\0 0x80070005\0\xff\xfe\x80\xbf\xc0\xaf\xed\xa0\x80"
		"\xf4\x90\x80\x80\xe2\x82 ok \xc3";
	check_hostile(bin, sizeof bin - 1);
	kbs__paste p = {0};
	ck_assert_int_eq(kbs__paste_analyse(&p, bin, sizeof bin - 1), KBS_OK);
	ck_assert(has_code(&p, 0x80070005u));
	ck_assert_contains(p.message, "Error");
	ck_assert_contains(p.message, "ok");
	ck_assert_lacks(p.message, "\xc3");
	kbs__paste_free(&p);
}
END_TEST

START_TEST(test_hostile_random)
{
	/* Random bytes, and random mixes of syntax-looking tokens. */
	static const char *const tok[] = {
		"(", ")", "\"", "AND", "OR", "NOT", "NEAR", "*", "^", "-", "+",
		":", "0x", "0xC0000005", "STOP", "Event ID:", "Source:", "\n",
		"---------------------------\n", "Description:\n", "\\\\", ".",
		"/", "11/3/2025", "10:30", "AM", "\xff", "\0", "\xc3", "{", "}",
		"KB", "12345", "-2147024891", "a.exe", " ", "\t", "\r",
	};
	unsigned seed = 12345;
	char buf[4096];
	for (int round = 0; round < 2000; round++) {
		size_t len = 0, want;
		seed = seed * 1103515245u + 12345u;
		want = (seed >> 8) % sizeof buf;
		while (len < want) {
			seed = seed * 1103515245u + 12345u;
			if (round % 2 == 0) {
				buf[len++] = (char)(seed >> 16);
			} else {
				const char *t = tok[(seed >> 16) % (sizeof tok / sizeof tok[0])];
				size_t tl = t[0] == '\0' ? 1 : strlen(t);
				if (len + tl > want)
					break;
				memcpy(buf + len, t, tl);
				len += tl;
			}
		}
		check_hostile(buf, len);
	}
}
END_TEST

START_TEST(test_hostile_large)
{
	/* More than the 1 MB cap, all of one character that looks like
	 * syntax; and a megabyte of dotted and dashed runs that would be
	 * quadratic for a scanner that re-reads words. */
	size_t len = ((size_t)1 << 20) + 4096;
	char *buf = malloc(len);
	ck_assert_ptr_nonnull(buf);
	memset(buf, '(', len);
	check_hostile(buf, len);

	for (size_t i = 0; i < len; i++)
		buf[i] = (i % 2) ? '.' : 'a';
	check_hostile(buf, len);
	for (size_t i = 0; i < len; i++)
		buf[i] = "1/2-3:4."[i % 8];
	check_hostile(buf, len);

	/* The start is kept: a message at the front of a long paste. */
	memset(buf, ' ', len);
	memcpy(buf, "Access is denied 0x80070005", 27);
	kbs__paste p = {0};
	ck_assert_int_eq(kbs__paste_analyse(&p, buf, len), KBS_OK);
	ck_assert_str_eq(p.message, "Access is denied 0x80070005");
	ck_assert(has_code(&p, 0x80070005u));
	kbs__paste_free(&p);
	free(buf);
}
END_TEST

Suite *
suite_paste(void)
{
	Suite *s = suite_create("paste");
	TCase *tc = tcase_create("kinds");
	tcase_add_test(tc, test_eventviewer_details);
	tcase_add_test(tc, test_eventviewer_fqdn_and_crlf);
	tcase_add_test(tc, test_eventviewer_general_tab);
	tcase_add_test(tc, test_eventviewer_loose);
	tcase_add_test(tc, test_dialog);
	tcase_add_test(tc, test_dialog_volatile);
	tcase_add_test(tc, test_stop);
	tcase_add_test(tc, test_command);
	tcase_add_test(tc, test_plain_chatter);
	tcase_add_test(tc, test_plain_volatile);
	tcase_add_test(tc, test_plain_codes);
	tcase_add_test(tc, test_empty);
	suite_add_tcase(s, tc);

	TCase *th = tcase_create("hostile");
	tcase_set_timeout(th, 60);
	tcase_add_test(th, test_hostile_fixed);
	tcase_add_test(th, test_hostile_random);
	tcase_add_test(th, test_hostile_large);
	suite_add_tcase(s, th);
	return s;
}
