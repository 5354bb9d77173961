/*
 * check_paste.c - paste analysis (paste/), and the one recogniser
 * (src/recognise.c) that makes it read pastes the way the indexer reads
 * articles.
 *
 * The pastes are the ones support engineers send: Event Viewer blocks,
 * message boxes, blue screens, command output and chat lines, most of them
 * taken from the project's development queries. Each test checks what ranking
 * relies on: the message keeps the error words and loses the volatile
 * parts, and the exact evidence (event ID, source, codes, files, KB ids)
 * comes out canonical.
 */
#include "tests.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

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
	/* the service's name is an insert of the event's message: the
	 * template is what articles quote */
	ck_assert_str_eq(p.message,
		"The service failed to start due to the following error; An "
		"Instant of the service is already running on.");
	ck_assert_dropped(&p, "RDR");
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
	/* the address tells this crash's article from the thousands that
	 * name the exception code */
	ck_assert_contains(p.message, "0x766026ee");
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

/* A PowerShell error record: the prompt, the position, the underline and
 * the CategoryInfo lines are the same for every error; the message is
 * the line they surround. */
START_TEST(test_powershell_record)
{
	kbs__paste p = analyse(
		"PS C:\\WINDOWS\\system32> Add-AccountToDockerAccess \"me\"\n"
		"Exception calling \"AddAccessRule\" with \"1\" argument(s): \"The "
		"trust relationship between this workstation and the primary "
		"domain failed.\n\"\n"
		"At C:\\Program Files\\WindowsPowerShell\\Modules\\x\\x.psm1:67 "
		"char:5\n"
		"+     $dSec.AddAccessRule($rule)\n"
		"+     ~~~~~~~~~~~~~~~~~~~~~~~~~~\n"
		"    + CategoryInfo          : NotSpecified: (:) [], "
		"MethodInvocationException\n"
		"    + FullyQualifiedErrorId : SystemException\n");
	ck_assert_contains(p.message, "trust relationship between this "
	                              "workstation and the primary domain failed");
	ck_assert_lacks(p.message, "CategoryInfo");
	ck_assert_lacks(p.message, "FullyQualifiedErrorId");
	ck_assert_lacks(p.message, "char");
	ck_assert_lacks(p.message, "~");
	ck_assert_lacks(p.message, "system32");
	ck_assert_dropped(&p, "+ CategoryInfo          : NotSpecified: (:) [], "
	                      "MethodInvocationException");
	kbs__paste_free(&p);

	/* A line that merely starts with "+" stays. */
	p = analyse("+ 5 volts expected on pin 3");
	ck_assert_contains(p.message, "volts");
	kbs__paste_free(&p);
}
END_TEST

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
	/* the parameters tell articles with the same bug check apart:
	 * they stay words of the message, not codes */
	ck_assert_contains(p.message, "0x8013F1D4");
	ck_assert_contains(p.message, "8013f1d4");
	ck_assert_contains(p.message, "KMODE_EXCEPTION_NOT_HANDLED");
	ck_assert_contains(p.message, "0x0000001E");
	ck_assert(has_str(p.files, p.nfiles, "ntoskrnl.exe"));
	kbs__paste_free(&p);

	/* Glued parameters (q0274) and the short "*** STOP" form. */
	p = analyse("STOP 0X0000001e(0xc0000005, 0x8010b1eb, 0x00000000, 0x00000000)");
	ck_assert_str_eq(p.kind, "stop");
	ck_assert_uint_eq(p.ncodes, 2);
	ck_assert_uint_eq(p.codes[0], 0x1Eu);
	ck_assert_uint_eq(p.codes[1], 0xC0000005u);
	ck_assert_contains(p.message, "0x8010b1eb");
	kbs__paste_free(&p);

	p = analyse("*** STOP 0x0000000A (0xc18c313b, 0x00000002, 0x00000000, "
	            "0x8012f72d) IRQL_NOT_LESS_OR_EQUAL");
	ck_assert_str_eq(p.kind, "stop");
	ck_assert_uint_eq(p.ncodes, 1);
	ck_assert_uint_eq(p.codes[0], 0x0000000Au);
	ck_assert_contains(p.message, "0xc18c313b");
	ck_assert_contains(p.message, "0x8012f72d");
	ck_assert_contains(p.message, "IRQL_NOT_LESS_OR_EQUAL");
	kbs__paste_free(&p);

	/* 64-bit: sign-extended parameters. */
	p = analyse("STOP: 0x0000001e (0xffffffffc0000005, 0xfffff80002e8e4e0, "
	            "0x0000000000000000, 0x0000000000000000)");
	ck_assert_str_eq(p.kind, "stop");
	ck_assert_uint_eq(p.codes[0], 0x1Eu);
	ck_assert(has_code(&p, 0xC0000005u));
	ck_assert_contains(p.message, "0xfffff80002e8e4e0");
	kbs__paste_free(&p);

	/* The BugCheck event as Windows 10 words it: the bug check, its
	 * parameters, the dump's path and the report id are inserts of the
	 * message that old articles quote with other values; the template
	 * is the message. */
	p = analyse("The computer has rebooted from a bugcheck.  The bugcheck was: "
	            "0x0000001a (0x000000000000003f, 0x00000000000698ef, "
	            "0x0000000052c516e2, 0x0000000050feedf7). A dump was saved "
	            "in: C:\\WINDOWS\\MEMORY.DMP. Report Id: "
	            "4e383604-bba7-4cb8-b2ac-b5f60f39f106.");
	ck_assert_contains(p.message, "The computer has rebooted from a bugcheck.");
	ck_assert_contains(p.message, "A dump was saved in:");
	ck_assert_lacks(p.message, "0x0000001a");
	ck_assert_lacks(p.message, "MEMORY");
	ck_assert_lacks(p.message, "Report");
	ck_assert_uint_eq(p.ncodes, 0);
	ck_assert_dropped(&p, "0x0000001a (0x000000000000003f, "
	                  "0x00000000000698ef, 0x0000000052c516e2, "
	                  "0x0000000050feedf7)");
	ck_assert_dropped(&p, "C:\\WINDOWS\\MEMORY.DMP");
	ck_assert_dropped(&p, "4e383604-bba7-4cb8-b2ac-b5f60f39f106");
	kbs__paste_free(&p);

	/* A bug check without the word STOP: the parameter list gives it
	 * away (q0306). */
	p = analyse("user reports: 0x00000035 (0xff787dc8, 0x00000000, 0x00000000,");
	ck_assert_str_eq(p.kind, "stop");
	ck_assert(has_code(&p, 0x35));
	ck_assert_contains(p.message, "0xff787dc8");
	kbs__paste_free(&p);
}
END_TEST

START_TEST(test_event_inserts)
{
	/* A service of the user's own: its name goes wherever the
	 * description repeats it, as computer names do; case matters. */
	kbs__paste p = analyse(
		"The Hello Server service failed to start due to the following "
		"error: \nHello Server is not a valid Win32 application.");
	ck_assert_lacks(p.message, "Hello");
	ck_assert_contains(p.message, "The service failed to start due to the "
	                   "following error:");
	ck_assert_contains(p.message, "is not a valid Win32 application.");
	ck_assert_dropped(&p, "Hello Server");
	/* ...and kept as words to search beside the message */
	ck_assert_uint_eq(p.ncontext, 1);
	ck_assert_str_eq(p.context[0], "Hello Server");
	kbs__paste_free(&p);

	p = analyse("A timeout was reached (30000 milliseconds) while waiting "
	            "for the ServiceName service to connect.");
	ck_assert_lacks(p.message, "ServiceName");
	ck_assert_contains(p.message, "30000 milliseconds");
	kbs__paste_free(&p);

	/* Not a template: the words stay. */
	p = analyse("The service failed to start due to the following error:\n"
	            "Access is denied.");
	ck_assert_contains(p.message, "The service failed to start");
	ck_assert_uint_eq(p.ncontext, 0);
	kbs__paste_free(&p);
}
END_TEST

START_TEST(test_build_output)
{
	/* A parallel build's output: MSBuild's project numbers, progress
	 * lines and the file being compiled are the same in every build;
	 * beside an error diagnostic, a warning is not what failed. */
	kbs__paste p = analyse(
		"Compiling...\n"
		"MXM_Test1.cpp\n"
		"Linking...\n"
		"2>MSVCRT.lib(MSVCR100.dll) : error LNK2005: _rand already "
		"defined in randoverride.obj\n"
		"3>LINK : warning LNK4098: defaultlib 'LIBCMT' conflicts with "
		"use of other libs; use /NODEFAULTLIB:library\n"
		"13>Done building project \"x.vcxproj\" -- FAILED.\n");
	ck_assert_contains(p.message, "error LNK2005: _rand already defined");
	ck_assert_lacks(p.message, "LNK4098");
	ck_assert_lacks(p.message, "Compiling");
	ck_assert_lacks(p.message, "MXM_Test1");
	ck_assert_lacks(p.message, "2>");
	ck_assert_lacks(p.message, "Done building");
	ck_assert_dropped(&p, "LINK : warning LNK4098: defaultlib 'LIBCMT' "
	                  "conflicts with use of other libs; use "
	                  "/NODEFAULTLIB:library");
	kbs__paste_free(&p);

	/* Warnings alone are the message. */
	p = analyse("LINK : warning LNK4098: defaultlib 'LIBCMT' conflicts with "
	            "use of other libs; use /NODEFAULTLIB:library\n"
	            "Compiling...\n");
	ck_assert_contains(p.message, "warning LNK4098");
	ck_assert_contains(p.message, "Compiling");
	kbs__paste_free(&p);
}
END_TEST

START_TEST(test_chatter_following)
{
	/* A lead-in pointing at the message with "the following" and no
	 * colon: its words are chatter, not the message's. */
	kbs__paste p = analyse("Hi team, seeing the following after reboot "
	                       "NTLDR Please insert another disk.");
	ck_assert_str_eq(p.message, "NTLDR Please insert another disk.");
	ck_assert_dropped(&p, "Hi team, seeing the following after reboot");
	kbs__paste_free(&p);

	p = analyse("I get the following error when booting: Invalid system disk");
	ck_assert_str_eq(p.message, "Invalid system disk");
	kbs__paste_free(&p);

	/* A message's own "the following" stays. */
	p = analyse("The Cluster service failed to start due to the following "
	            "error: Access is denied.");
	ck_assert_contains(p.message, "due to the following error: Access");
	kbs__paste_free(&p);
}
END_TEST

START_TEST(test_chatter_quoted)
{
	/* A one-line lead-in before a message quoted to the end of the
	 * paste: the quoted message is what is searched. */
	kbs__paste p = analyse("When trying to start the agent, I get this "
	                       "error: \"Error 1053: The service did not "
	                       "respond to the start or control request in a "
	                       "timely fashion.\"");
	ck_assert(has_code(&p, 1053));
	ck_assert_lacks(p.message, "trying");
	ck_assert_contains(p.message, "The service did not respond");
	ck_assert_dropped(&p, "When trying to start the agent, I get this "
	                  "error:");
	kbs__paste_free(&p);

	/* curly quotes too */
	p = analyse("the log file says: \xe2\x80\x9c%1 is not a valid Win32 "
	            "application\xe2\x80\x9d");
	ck_assert_lacks(p.message, "log file");
	ck_assert_contains(p.message, "not a valid Win32 application");
	kbs__paste_free(&p);

	/* A lead-in with a number in it (a code, a version) stays. */
	p = analyse("Setup 2.1 of the agent shows: \"The service failed to "
	            "start.\"");
	ck_assert_contains(p.message, "Setup 2.1");
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
	/* A clause of talk about the error before it is left out... */
	kbs__paste p = analyse("user reports: There is not enough memory");
	ck_assert_str_eq(p.kind, "plain");
	ck_assert_str_eq(p.message, "There is not enough memory");
	ck_assert_int_eq(p.event_id, -1);
	ck_assert_uint_eq(p.ncodes, 0);
	ck_assert(has_str(p.dropped, p.ndropped, "user reports:"));
	kbs__paste_free(&p);
	p = analyse("getting this error, any KB? violation (0xc0000005)");
	ck_assert_str_eq(p.message, "violation (0xc0000005)");
	ck_assert(has_code(&p, 0xC0000005u));
	kbs__paste_free(&p);
	/* ...but a label that belongs to the message stays. */
	p = analyse("Error: cannot find file");
	ck_assert_str_eq(p.message, "Error: cannot find file");
	kbs__paste_free(&p);
	p = analyse("Event ID: 1003 was logged");
	ck_assert_int_eq(p.event_id, 1003);
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

START_TEST(test_eventviewer_general_lead)
{
	/* Windows 2000 to 2003: the General tab's text above the fields,
	 * then the fields, the description again and XP's closing line. */
	kbs__paste p = analyse(
		"The Terminal Services Licensing service terminated with "
		"service-specific error 3221291009.\n"
		"Event Type:\tError\n"
		"Event Source:\tService Control Manager\n"
		"Event Category:\tNone\n"
		"Event ID:\t7024\n"
		"Date:\t\t3/11/2003\n"
		"Time:\t\t4:12:55 PM\n"
		"User:\t\tCONTOSO\\admin7\n"
		"Computer:\tSRV01\n"
		"Description:\n"
		"The Terminal Services Licensing service terminated with "
		"service-specific error 3221291009.\n"
		"\n"
		"For more information, see Help and Support Center at "
		"http://go.microsoft.com/fwlink/events.asp.\n");
	ck_assert_str_eq(p.kind, "eventviewer");
	ck_assert_int_eq(p.event_id, 7024);
	ck_assert_str_eq(p.source, "Service Control Manager");
	ck_assert_str_eq(p.message,
		"The Terminal Services Licensing service terminated with "
		"service-specific error 3221291009.");
	ck_assert(has_code(&p, 0xC0010001u));
	ck_assert_dropped(&p, "3/11/2003");
	ck_assert_dropped(&p, "4:12:55 PM");
	ck_assert_dropped(&p, "SRV01");
	ck_assert_dropped(&p, "CONTOSO\\admin7");
	ck_assert_lacks(p.message, "Help and Support");
	kbs__paste_free(&p);

	/* The same without a Description: line: the text above is the
	 * message; a different text above and below is kept whole. */
	p = analyse(
		"The Workstation service failed to start due to the following "
		"error: The dependency service or group failed to start.\n"
		"Event Type:\tError\n"
		"Event Source:\tService Control Manager\n"
		"Event ID:\t7001\n"
		"Date:\t\t11/3/2005\n"
		"Time:\t\t10:30:52 AM\n"
		"User:\t\tN/A\n"
		"Computer:\tWKS042\n");
	ck_assert_str_eq(p.kind, "eventviewer");
	ck_assert_int_eq(p.event_id, 7001);
	ck_assert_str_eq(p.message,
		"The service failed to start due to the following "
		"error: The dependency service or group failed to start.");
	ck_assert_dropped(&p, "Workstation");
	ck_assert_dropped(&p, "WKS042");
	ck_assert_dropped(&p, "10:30:52 AM");
	kbs__paste_free(&p);

	p = analyse(
		"seeing this on WKS042 every boot\n"
		"Event Source:\tSRV\n"
		"Event ID:\t2013\n"
		"Computer:\tWKS042\n"
		"Description:\n"
		"The D: disk is at or near capacity.  You may need to delete some "
		"files.\n");
	ck_assert_str_eq(p.message, "seeing this on every boot The D: disk is "
	                 "at or near capacity. You may need to delete some files.");
	kbs__paste_free(&p);
}
END_TEST

/* ------------------------------------------------------------------ */

START_TEST(test_eventxml)
{
	kbs__paste p = analyse(
		"<Event xmlns=\"http://schemas.microsoft.com/win/2004/08/events/event\">\n"
		"  <System>\n"
		"    <Provider Name=\"TermService\" />\n"
		"    <EventID Qualifiers=\"16384\">1003</EventID>\n"
		"    <Level>4</Level>\n"
		"    <Task>0</Task>\n"
		"    <Keywords>0x80000000000000</Keywords>\n"
		"    <TimeCreated SystemTime=\"2025-11-03T09:14:02.000000000Z\" />\n"
		"    <EventRecordID>48213</EventRecordID>\n"
		"    <Channel>System</Channel>\n"
		"    <Computer>SRV-TS01.contoso.local</Computer>\n"
		"    <Security />\n"
		"  </System>\n"
		"  <EventData>\n"
		"    <Data>The terminal service client has provided an invalid "
		"license &amp; was refused by SRV-TS01.</Data>\n"
		"    <Data>10.1.2.30</Data>\n"
		"    <Data>{3F2504E0-4F89-11D3-9A0C-0305E82C3301}</Data>\n"
		"    <Data>0x7ff6e2c31234</Data>\n"
		"  </EventData>\n"
		"</Event>\n");
	ck_assert_str_eq(p.kind, "eventxml");
	ck_assert_int_eq(p.event_id, 1003);
	ck_assert_str_eq(p.source, "TermService");
	ck_assert_str_eq(p.message, "The terminal service client has provided "
	                 "an invalid license & was refused by.");
	ck_assert_dropped(&p, "2025-11-03T09:14:02.000000000Z");
	ck_assert_dropped(&p, "48213");
	ck_assert_dropped(&p, "SRV-TS01.contoso.local");
	ck_assert_dropped(&p, "SRV-TS01");
	ck_assert_dropped(&p, "10.1.2.30");
	ck_assert_dropped(&p, "{3F2504E0-4F89-11D3-9A0C-0305E82C3301}");
	ck_assert_dropped(&p, "0x7ff6e2c31234");
	ck_assert_uint_eq(p.ncodes, 0);
	kbs__paste_free(&p);
}
END_TEST

START_TEST(test_eventxml_rendering)
{
	/* Chatter first; RenderingInfo's Message is the text, the named
	 * Data only give codes and volatile values; "%%1058" is message
	 * 1058, ERROR_SERVICE_DISABLED. */
	kbs__paste p = analyse(
		"here is the xml from the details tab:\r\n"
		"<?xml version=\"1.0\" encoding=\"utf-16\"?>\r\n"
		"<Event xmlns=\"http://schemas.microsoft.com/win/2004/08/events/event\">"
		"<System><Provider Name=\"Service Control Manager\" "
		"Guid=\"{555908d1-a6d7-4695-8e1e-26931d2012f4}\" "
		"EventSourceName=\"Service Control Manager\" />"
		"<EventID Qualifiers=\"49152\">7000</EventID><Version>0</Version>"
		"<Level>2</Level><Task>0</Task><Opcode>0</Opcode>"
		"<Keywords>0x8080000000000000</Keywords>"
		"<TimeCreated SystemTime=\"2025-07-22T10:30:52.123456700Z\" />"
		"<EventRecordID>1234</EventRecordID>"
		"<Correlation ActivityID=\"{01234567-89ab-cdef-0123-456789abcdef}\" />"
		"<Execution ProcessID=\"612\" ThreadID=\"7480\" />"
		"<Channel>System</Channel><Computer>WKS042</Computer>"
		"<Security UserID=\"S-1-5-21-3623811015-3361044348-30300820-1013\" />"
		"</System><EventData><Data Name=\"param1\">Workstation</Data>"
		"<Data Name=\"param2\">%%1058</Data>"
		"<Data Name=\"TargetUserName\">jsmith</Data>"
		"<Binary>4C0061006E006D0061006E00</Binary></EventData>"
		"<RenderingInfo Culture=\"en-US\"><Message>The Workstation service "
		"failed to start due to the following error: \r\nThe service cannot "
		"be started, either because it is disabled or because it has no "
		"enabled devices associated with it. (WKS042, jsmith)</Message>"
		"<Level>Error</Level><Provider>Service Control Manager</Provider>"
		"</RenderingInfo></Event>\r\n"
		"any idea?\r\n");
	ck_assert_str_eq(p.kind, "eventxml");
	ck_assert_int_eq(p.event_id, 7000);
	ck_assert_str_eq(p.source, "Service Control Manager");
	ck_assert_str_eq(p.message, "here is the xml from the details tab: The "
		"service failed to start due to the following error: "
		"The service cannot be started, either because it is disabled or "
		"because it has no enabled devices associated with it. (,) any idea?");
	ck_assert_uint_eq(p.ncodes, 1);
	ck_assert(has_code(&p, 1058));
	ck_assert_dropped(&p, "2025-07-22T10:30:52.123456700Z");
	ck_assert_dropped(&p, "1234");
	ck_assert_dropped(&p, "612");
	ck_assert_dropped(&p, "7480");
	ck_assert_dropped(&p, "WKS042");
	ck_assert_dropped(&p, "jsmith");
	ck_assert_dropped(&p, "{01234567-89ab-cdef-0123-456789abcdef}");
	ck_assert_dropped(&p, "S-1-5-21-3623811015-3361044348-30300820-1013");
	ck_assert_lacks(p.message, "4C0061");
	ck_assert_lacks(p.message, "Culture");
	kbs__paste_free(&p);

	/* A manifest provider without EventSourceName shows as Event
	 * Viewer shows it; an <Events> export gives its first event. */
	p = analyse(
		"<Events><Event xmlns='http://schemas.microsoft.com/win/2004/08/events/event'>"
		"<System><Provider Name='Microsoft-Windows-Kernel-Power' "
		"Guid='{331c3b3a-2005-44c2-ac5e-77220c37d6b4}'/>"
		"<EventID>41</EventID><Computer>PC7.corp.example</Computer></System>"
		"<EventData><Data Name='BugcheckCode'>159</Data>"
		"<Data Name='BugcheckParameter1'>0x3</Data>"
		"<Data Name='SleepInProgress'>false</Data></EventData></Event>"
		"<Event><System><EventID>1</EventID></System></Event></Events>");
	ck_assert_str_eq(p.kind, "eventxml");
	ck_assert_int_eq(p.event_id, 41);
	ck_assert_str_eq(p.source, "Kernel-Power");
	ck_assert(has_code(&p, 159));
	ck_assert_dropped(&p, "PC7.corp.example");
	ck_assert_dropped(&p, "0x3");
	ck_assert_contains(p.message, "false");
	kbs__paste_free(&p);
}
END_TEST

START_TEST(test_eventxml_appcrash)
{
	/* Application Error 1000 as XML: named values, the crash report as
	 * the rendered message. */
	kbs__paste p = analyse(
		"<Event xmlns=\"http://schemas.microsoft.com/win/2004/08/events/event\">\n"
		"<System><Provider Name=\"Application Error\" />\n"
		"<EventID Qualifiers=\"0\">1000</EventID>\n"
		"<TimeCreated SystemTime=\"2025-03-09T08:11:51.6243090Z\" />\n"
		"<Computer>EXCH01.fabrikam.com</Computer><Security /></System>\n"
		"<EventData>\n"
		"<Data Name=\"AppName\">emsmta.exe</Data>\n"
		"<Data Name=\"AppVersion\">5.5.2653.0</Data>\n"
		"<Data Name=\"AppTimeStamp\">4a5bc0d3</Data>\n"
		"<Data Name=\"ModuleName\">ntdll.dll</Data>\n"
		"<Data Name=\"ModuleVersion\">6.1.7601.24545</Data>\n"
		"<Data Name=\"ModuleTimeStamp\">5e0eb6bd</Data>\n"
		"<Data Name=\"ExceptionCode\">c0000005</Data>\n"
		"<Data Name=\"FaultingOffset\">000000000002e3bb</Data>\n"
		"<Data Name=\"ProcessId\">0x1234</Data>\n"
		"<Data Name=\"ProcessCreationTime\">0x01d5e3c4a1b2c3d4</Data>\n"
		"<Data Name=\"IntegratorReportId\">3f2504e0-4f89-11d3-9a0c-0305e82c3301</Data>\n"
		"</EventData></Event>\n");
	ck_assert_str_eq(p.kind, "eventxml");
	ck_assert_int_eq(p.event_id, 1000);
	ck_assert_str_eq(p.source, "Application Error");
	ck_assert_uint_eq(p.ncodes, 1);
	ck_assert(has_code(&p, 0xC0000005u));
	ck_assert(has_str(p.files, p.nfiles, "emsmta.exe"));
	ck_assert(has_str(p.files, p.nfiles, "ntdll.dll"));
	ck_assert_str_eq(p.message, "emsmta.exe 5.5.2653.0 ntdll.dll "
	                 "6.1.7601.24545 c0000005");
	const char *gone[] = {
		"4a5bc0d3", "5e0eb6bd", "000000000002e3bb", "0x1234",
		"0x01d5e3c4a1b2c3d4", "3f2504e0-4f89-11d3-9a0c-0305e82c3301",
		"EXCH01.fabrikam.com", "2025-03-09T08:11:51.6243090Z",
	};
	for (size_t i = 0; i < sizeof gone / sizeof gone[0]; i++)
		ck_assert_dropped(&p, gone[i]);
	kbs__paste_free(&p);
}
END_TEST

/* Run f with stderr sent to a file; true when nothing was written. */
static bool
silent(void (*f)(void))
{
	char path[] = "/tmp/kbs-stderr-XXXXXX";
	int fd = mkstemp(path);
	ck_assert_int_ge(fd, 0);
	fflush(stderr);
	int saved = dup(2);
	ck_assert_int_ge(saved, 0);
	dup2(fd, 2);
	f();
	fflush(stderr);
	dup2(saved, 2);
	close(saved);
	off_t size = lseek(fd, 0, SEEK_END);
	close(fd);
	unlink(path);
	return size == 0;
}

static void
hostile_xml(void)
{
	/* External entity: not fetched, not read, not expanded. */
	static const char xxe[] =
		"<?xml version=\"1.0\"?>\n"
		"<!DOCTYPE Event [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>\n"
		"<Event xmlns=\"http://schemas.microsoft.com/win/2004/08/events/event\">"
		"<System><Provider Name=\"TermService\"/><EventID>1003</EventID>"
		"</System><EventData><Data>&x;</Data></EventData></Event>\n";
	kbs__paste p = analyse(xxe);
	ck_assert_str_ne(p.kind, "eventxml");
	ck_assert_lacks(p.message, "root:");
	ck_assert_lacks(p.message, "/bin/");
	for (size_t i = 0; i < p.ndropped; i++)
		ck_assert_lacks(p.dropped[i], "root:");
	kbs__paste_free(&p);

	/* Billion laughs: analysed as text, the output no larger than the
	 * input. */
	kbs__buf b = {0};
	kbs__buf_puts(&b, "<?xml version=\"1.0\"?>\n<!DOCTYPE lolz [\n"
	              "<!ENTITY lol \"lol\">\n");
	for (int i = 1; i <= 9; i++) {
		kbs__buf_printf(&b, "<!ENTITY lol%d \"", i);
		for (int k = 0; k < 10; k++)
			kbs__buf_printf(&b, i == 1 ? "&lol;" : "&lol%d;", i - 1);
		kbs__buf_puts(&b, "\">\n");
	}
	kbs__buf_puts(&b, "]>\n<Event><System><EventID>1</EventID></System>"
	              "<EventData><Data>&lol9;</Data></EventData></Event>\n");
	ck_assert(!b.oom);
	p = analyse(b.data);
	ck_assert_str_ne(p.kind, "eventxml");
	ck_assert_uint_le(strlen(p.message), b.len);
	ck_assert_lacks(p.message, "lollollol");
	kbs__paste_free(&p);
	kbs__buf_free(&b);

	/* Half an event, and XML that is not an event: text. */
	p = analyse("<Event xmlns=\"http://schemas.microsoft.com/win/2004/08/"
	            "events/event\"><System><Provider Name=\"TermService\"/>"
	            "<EventID>1003</EventID><Computer>SRV01</Comp");
	ck_assert_str_eq(p.kind, "plain");
	kbs__paste_free(&p);
	p = analyse("<Event><System><EventID>1003</EventID></Sys></Event>");
	ck_assert_str_eq(p.kind, "plain");
	kbs__paste_free(&p);
	/* Chatter after a whole event is text after its message. */
	p = analyse("<Event><System><EventID>1003</EventID></System></Event>"
	            "<Event>");
	ck_assert_str_eq(p.kind, "eventxml");
	ck_assert_int_eq(p.event_id, 1003);
	ck_assert_str_eq(p.message, "<Event>");
	kbs__paste_free(&p);
	p = analyse("<Eventlog><Data>The service hung.</Data></Eventlog>");
	ck_assert_str_eq(p.kind, "plain");
	kbs__paste_free(&p);
	p = analyse("<Event/>");
	ck_assert_str_eq(p.kind, "eventxml");
	ck_assert_int_eq(p.event_id, -1);
	ck_assert_str_eq(p.message, "");
	kbs__paste_free(&p);
	/* Nesting beyond libxml2's depth limit, and a mismatched
	 * encoding: no crash, no output. */
	b = (kbs__buf){0};
	kbs__buf_puts(&b, "<Event><UserData>");
	for (int i = 0; i < 3000; i++)
		kbs__buf_puts(&b, "<a>");
	kbs__buf_puts(&b, "x");
	for (int i = 0; i < 3000; i++)
		kbs__buf_puts(&b, "</a>");
	kbs__buf_puts(&b, "</UserData></Event>");
	ck_assert(!b.oom);
	p = analyse(b.data);
	kbs__paste_free(&p);
	kbs__buf_free(&b);
	p = analyse("<?xml version=\"1.0\" encoding=\"EBCDIC-US\"?><Event>"
	            "<System><EventID>7</EventID></System></Event>");
	kbs__paste_free(&p);
}

START_TEST(test_eventxml_hostile)
{
	ck_assert_msg(silent(hostile_xml), "paste analysis wrote to stderr");
}
END_TEST

/* ------------------------------------------------------------------ */

START_TEST(test_appcrash)
{
	/* Windows 7 and later: the Application Error event's text. */
	kbs__paste p = analyse(
		"Faulting application name: spoolsv.exe, version: 6.1.7601.24537, "
		"time stamp: 0x5d8bb4a5\n"
		"Faulting module name: ntdll.dll, version: 6.1.7601.24545, "
		"time stamp: 0x5e0eb6bd\n"
		"Exception code: 0xc0000005\n"
		"Fault offset: 0x0000000000053290\n"
		"Faulting process id: 0x4f8\n"
		"Faulting application start time: 0x01d5e3c4a1b2c3d4\n"
		"Faulting application path: C:\\Users\\jsmith\\AppData\\Local\\"
		"Temp\\spoolsv.exe\n"
		"Faulting module path: C:\\Windows\\SYSTEM32\\ntdll.dll\n"
		"Report Id: 3f2504e0-4f89-11d3-9a0c-0305e82c3301\n");
	ck_assert_str_eq(p.kind, "appcrash");
	ck_assert_str_eq(p.message,
		"Faulting application name: spoolsv.exe, version: 6.1.7601.24537 "
		"Faulting module name: ntdll.dll, version: 6.1.7601.24545 "
		"Exception code: 0xc0000005 "
		"Faulting application path: spoolsv.exe "
		"Faulting module path: ntdll.dll");
	ck_assert_uint_eq(p.ncodes, 1);
	ck_assert(has_code(&p, 0xC0000005u));
	ck_assert_uint_eq(p.nfiles, 2);
	ck_assert(has_str(p.files, p.nfiles, "spoolsv.exe"));
	ck_assert(has_str(p.files, p.nfiles, "ntdll.dll"));
	const char *gone[] = {
		"0x5d8bb4a5", "0x5e0eb6bd", "0x0000000000053290", "0x4f8",
		"0x01d5e3c4a1b2c3d4", "C:\\Users\\jsmith\\AppData\\Local\\Temp",
		"C:\\Windows\\SYSTEM32", "3f2504e0-4f89-11d3-9a0c-0305e82c3301",
	};
	for (size_t i = 0; i < sizeof gone / sizeof gone[0]; i++) {
		ck_assert_dropped(&p, gone[i]);
		ck_assert_lacks(p.message, gone[i]);
	}
	kbs__paste_free(&p);

	/* Windows XP and 2003: one sentence. */
	p = analyse("Faulting application winword.exe, version 11.0.8169.0, "
	            "faulting module mso.dll, version 11.0.8172.0, fault address "
	            "0x000a1b2c.");
	ck_assert_str_eq(p.kind, "appcrash");
	ck_assert_str_eq(p.message, "Faulting application winword.exe, version "
	                 "11.0.8169.0, faulting module mso.dll, version "
	                 "11.0.8172.0, fault address 0x000a1b2c.");
	ck_assert_uint_eq(p.ncodes, 0);
	kbs__paste_free(&p);

	/* Inside an Event Viewer block: the layout names the kind, the
	 * crash fields are handled the same. */
	p = analyse(
		"Log Name:      Application\n"
		"Source:        Application Error\n"
		"Date:          3/9/2025 8:11:51 AM\n"
		"Event ID:      1000\n"
		"Level:         Error\n"
		"Computer:      EXCH01\n"
		"Description:\n"
		"Faulting application name: emsmta.exe, version: 5.5.2653.0, "
		"time stamp: 0x4a5bc0d3\n"
		"Exception code: 0xc0000005\n"
		"Fault offset: 0x0002e3bb\n");
	ck_assert_str_eq(p.kind, "eventviewer");
	ck_assert_int_eq(p.event_id, 1000);
	ck_assert_str_eq(p.message, "Faulting application name: emsmta.exe, "
	                 "version: 5.5.2653.0 Exception code: 0xc0000005");
	ck_assert_dropped(&p, "0x4a5bc0d3");
	ck_assert_dropped(&p, "0x0002e3bb");
	kbs__paste_free(&p);
}
END_TEST

START_TEST(test_appcrash_drwatson)
{
	kbs__paste p = analyse(
		"Application exception occurred:\n"
		"        App: C:\\WINNT\\system32\\spoolss.exe (pid=97)\n"
		"        When: 1/2/2002 @ 10:11:12.123\n"
		"        Exception number: c0000005 (access violation)\n"
		"\n"
		"*----> System Information <----*\n"
		"        Computer Name: PRNSRV02\n"
		"        User Name: Administrator\n");
	ck_assert_str_eq(p.kind, "appcrash");
	ck_assert_str_eq(p.message, "Application exception occurred: App: "
	                 "spoolss.exe Exception number: c0000005 (access "
	                 "violation) *----> System Information <----*");
	ck_assert_uint_eq(p.ncodes, 1);
	ck_assert(has_code(&p, 0xC0000005u));
	ck_assert(has_str(p.files, p.nfiles, "spoolss.exe"));
	ck_assert_dropped(&p, "(pid=97)");
	ck_assert_dropped(&p, "C:\\WINNT\\system32");
	ck_assert_dropped(&p, "1/2/2002 @ 10:11:12.123");
	ck_assert_dropped(&p, "PRNSRV02");
	ck_assert_dropped(&p, "Administrator");
	kbs__paste_free(&p);

	/* The Dr. Watson event's sentence. */
	p = analyse("The application, C:\\WINNT\\system32\\spoolss.exe, generated "
	            "an application error The error occurred on 1/2/2002 @ "
	            "10:11:12.123 The exception generated was c0000005 at "
	            "address 77F6E3BB (ntdll!RtlpWaitForCriticalSection)");
	ck_assert_str_eq(p.kind, "appcrash");
	ck_assert(has_code(&p, 0xC0000005u));
	ck_assert(!has_code(&p, 0x77F6E3BBu));
	ck_assert(has_str(p.files, p.nfiles, "spoolss.exe"));
	ck_assert_contains(p.message, "77F6E3BB");
	ck_assert_dropped(&p, "1/2/2002");
	ck_assert_dropped(&p, "10:11:12.123");
	ck_assert_lacks(p.message, "@");
	ck_assert_contains(p.message, "The exception generated was c0000005 at "
	                   "address 77F6E3BB (ntdll!RtlpWaitForCriticalSection)");
	kbs__paste_free(&p);
}
END_TEST

START_TEST(test_appcrash_dialogs)
{
	/* Windows 9x: the fault dialog's details. */
	kbs__paste p = analyse(
		"WINWORD caused an invalid page fault in\n"
		"module ODBC32.DLL at 0137:1f7a2b3c.\n"
		"Registers:\n"
		"EAX=00000000 CS=0137 EIP=1f7a2b3c EFLGS=00010246\n"
		"EBX=0068fe1c SS=013f ESP=0068fd5c EBP=0068fd80\n"
		"Bytes at CS:EIP:\n"
		"8b 46 10 85 c0 74 08 50 e8 2c 00 00 00 5e c3 55\n"
		"Stack dump:\n"
		"00000000 81620000 bff7b9b4 0068fdc0 00000000 00000000\n");
	ck_assert_str_eq(p.kind, "appcrash");
	ck_assert_str_eq(p.message, "WINWORD caused an invalid page fault in "
	                 "module ODBC32.DLL at.");
	ck_assert(has_str(p.files, p.nfiles, "ODBC32.DLL"));
	ck_assert_uint_eq(p.ncodes, 0);
	ck_assert_dropped(&p, "0137:1f7a2b3c");
	ck_assert_dropped(&p, "EIP=1f7a2b3c");
	ck_assert_dropped(&p, "8b 46 10 85 c0 74 08 50 e8 2c 00 00 00 5e c3 55");
	kbs__paste_free(&p);

	/* Windows Vista and later: "View problem details". */
	p = analyse(
		"Problem signature:\n"
		"  Problem Event Name:\tAPPCRASH\n"
		"  Application Name:\temsmta.exe\n"
		"  Application Version:\t5.5.2653.0\n"
		"  Application Timestamp:\t4a5bc0d3\n"
		"  Fault Module Name:\tntdll.dll\n"
		"  Fault Module Version:\t6.1.7601.24545\n"
		"  Fault Module Timestamp:\t5e0eb6bd\n"
		"  Exception Code:\tc0000005\n"
		"  Exception Offset:\t0002e3bb\n"
		"  OS Version:\t6.1.7601.2.1.0.256.48\n"
		"  Locale ID:\t1033\n"
		"  Additional Information 1:\t0a9e\n");
	ck_assert_str_eq(p.kind, "appcrash");
	ck_assert(has_code(&p, 0xC0000005u));
	ck_assert(has_str(p.files, p.nfiles, "emsmta.exe"));
	ck_assert(has_str(p.files, p.nfiles, "ntdll.dll"));
	ck_assert_contains(p.message, "Problem Event Name: APPCRASH");
	ck_assert_contains(p.message, "Exception Code: c0000005");
	const char *gone[] = {"4a5bc0d3", "5e0eb6bd", "0002e3bb", "1033", "0a9e"};
	for (size_t i = 0; i < sizeof gone / sizeof gone[0]; i++) {
		ck_assert_dropped(&p, gone[i]);
		ck_assert_lacks(p.message, gone[i]);
	}
	kbs__paste_free(&p);
}
END_TEST

START_TEST(test_stop_names)
{
	/* A bare bug check name gives its code and stays a word. */
	kbs__paste p = analyse("server blue screened overnight, only got this:\n"
	                       "KMODE_EXCEPTION_NOT_HANDLED\n");
	ck_assert_str_eq(p.kind, "stop");
	ck_assert_uint_eq(p.ncodes, 1);
	ck_assert(has_code(&p, 0x1Eu));
	ck_assert_contains(p.message, "KMODE_EXCEPTION_NOT_HANDLED");
	kbs__paste_free(&p);

	p = analyse("IRQL_NOT_LESS_OR_EQUAL");
	ck_assert_str_eq(p.kind, "stop");
	ck_assert_uint_eq(p.ncodes, 1);
	ck_assert(has_code(&p, 0x0Au));
	ck_assert_str_eq(p.message, "IRQL_NOT_LESS_OR_EQUAL");
	kbs__paste_free(&p);

	p = analyse("*** STOP 0x0000000A");
	ck_assert_str_eq(p.kind, "stop");
	ck_assert_uint_eq(p.ncodes, 1);
	ck_assert(has_code(&p, 0x0Au));
	kbs__paste_free(&p);

	p = analyse("*** STOP: 0xC000021A (0xE1270AE8, 0x00000001, 0x00000000, "
	            "0x00000000)\nSTATUS_SYSTEM_PROCESS_TERMINATED\n");
	ck_assert_str_eq(p.kind, "stop");
	ck_assert_uint_eq(p.codes[0], 0xC000021Au);
	ck_assert_uint_eq(p.ncodes, 1);
	ck_assert_contains(p.message, "0xE1270AE8");
	kbs__paste_free(&p);

	/* Windows NT's own screen: eight hex digits after "STOP: ",
	 * no 0x */
	p = analyse("STOP: c000021a {Fatal System Error}\n"
	            "The Windows logon process system process terminated "
	            "unexpectedly\n");
	ck_assert_str_eq(p.kind, "stop");
	ck_assert(has_code(&p, 0xC000021Au));
	kbs__paste_free(&p);

	/* Lower case is a sentence, not a blue screen. */
	p = analyse("irql_not_less_or_equal");
	ck_assert_uint_eq(p.ncodes, 0);
	kbs__paste_free(&p);
}
END_TEST

START_TEST(test_command_net)
{
	kbs__paste p = analyse(
		"C:\\>net start msexchangeis\n"
		"The Microsoft Exchange Information Store service is starting.\n"
		"The Microsoft Exchange Information Store service could not be "
		"started.\n"
		"\n"
		"A service specific error occurred: 4015.\n"
		"\n"
		"More help is available by typing NET HELPMSG 3547.\n");
	ck_assert_str_eq(p.kind, "command");
	ck_assert_uint_eq(p.ncodes, 2);
	ck_assert(has_code(&p, 4015));
	ck_assert(has_code(&p, 3547));
	kbs__paste_free(&p);

	p = analyse("The error occurred 5 times.");
	ck_assert_uint_eq(p.ncodes, 0);
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
	/* More than the 256 KB cap, all of one character that looks like
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

	/* A megabyte of log: the part with the error lines is read, not
	 * its start. */
	static const char ok[] = "12:00:01 INFO worker heartbeat ok\n";
	size_t n = 0;
	while (n + sizeof ok - 1 <= len) {
		memcpy(buf + n, ok, sizeof ok - 1);
		n += sizeof ok - 1;
	}
	static const char bad[] = "12:00:02 ERROR copy failed: error "
	                          "0x80070070\n";
	memcpy(buf + n - 3 * (sizeof ok - 1), bad, sizeof bad - 1);
	memset(&p, 0, sizeof p);
	ck_assert_int_eq(kbs__paste_analyse(&p, buf, n), KBS_OK);
	ck_assert(has_code(&p, 0x80070070u));
	kbs__paste_free(&p);
	free(buf);
}
END_TEST

/* ------------------------------------------------------------------ */
/* Articles and pastes read alike                                      */
/* ------------------------------------------------------------------ */

/* s[0..n) holds exactly the strings of want (any order). */
static void
same_set(const char *what, const char *line, const char *const *got,
         size_t ngot, const char *const *want, size_t nwant)
{
	ck_assert_msg(ngot == nwant, "%s of \"%s\": %zu, not %zu", what, line,
	              ngot, nwant);
	for (size_t i = 0; i < nwant; i++)
		ck_assert_msg(has_str(got, ngot, want[i]), "%s of \"%s\": "
		              "\"%s\" only on one side", what, line, want[i]);
}

/*
 * The same lines quoted in an article and pasted yield the same error
 * codes, KB ids and file names: both sides ask src/recognise.c. Each line
 * is the paste, and the article is a title and the line; file names come
 * from an article's file table, so those lines are table rows.
 */
START_TEST(test_same_as_articles)
{
	static const char *const lines[] = {
		"The operation failed with error 1722.",
		"Setup returned error code 5.",
		"The service failed with exit code 3.",
		"HRESULT: 0x80070005 when the update runs.",
		"Status 0xC0000005 was reported.",
		"The wizard stopped with 80004005.",
		"It ends with -2147024891 in the log.",
		"See code 5 on page 12.",
		"A service specific error occurred: 4015.",
		"Windows 3.51 runs 1,000 users at 10:30.",
		"For more information, see Q294326 and KB 151261.",
		"See kb123456, q87654 and Q0123.",
		"   10/30/2001  18:41  4.2.771.1  214,544  ADSIIS.dll  x86",
		"   07/22/99  04:53p               134,928 Termsrv.exe   x86",
	};
	for (size_t i = 0; i < sizeof lines / sizeof lines[0]; i++) {
		char text[512];
		int n = snprintf(text, sizeof text, "Some article\n\n%s\n",
		                 lines[i]);
		kbs_article *a = kbs__article_new();
		ck_assert_ptr_nonnull(a);
		ck_assert_int_eq(kbs__parse_plain(a, text, (size_t)n), KBS_OK);
		kbs__paste p = analyse(lines[i]);

		ck_assert_msg(a->ncodes == p.ncodes, "codes of \"%s\": article "
		              "%zu, paste %zu", lines[i], a->ncodes, p.ncodes);
		for (size_t k = 0; k < a->ncodes; k++)
			ck_assert_msg(has_code(&p, a->codes[k].value),
			              "code 0x%08x of \"%s\" not in the paste",
			              (unsigned)a->codes[k].value, lines[i]);
		same_set("KB ids", lines[i], a->refs, a->nrefs, p.kb_ids,
		         p.nkb_ids);
		const char *files[8];
		size_t nfiles = 0;
		for (size_t k = 0; k < a->nfiles && nfiles < 8; k++)
			files[nfiles++] = a->files[k].name;
		same_set("files", lines[i], files, nfiles, p.files, p.nfiles);
		kbs__paste_free(&p);
		kbs_article_free(a);
	}
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
	tcase_add_test(tc, test_eventviewer_general_lead);
	tcase_add_test(tc, test_eventxml);
	tcase_add_test(tc, test_eventxml_rendering);
	tcase_add_test(tc, test_eventxml_appcrash);
	tcase_add_test(tc, test_eventxml_hostile);
	tcase_add_test(tc, test_appcrash);
	tcase_add_test(tc, test_appcrash_drwatson);
	tcase_add_test(tc, test_appcrash_dialogs);
	tcase_add_test(tc, test_dialog);
	tcase_add_test(tc, test_dialog_volatile);
	tcase_add_test(tc, test_stop);
	tcase_add_test(tc, test_powershell_record);
	tcase_add_test(tc, test_event_inserts);
	tcase_add_test(tc, test_chatter_following);
	tcase_add_test(tc, test_chatter_quoted);
	tcase_add_test(tc, test_build_output);
	tcase_add_test(tc, test_command);
	tcase_add_test(tc, test_command_net);
	tcase_add_test(tc, test_stop_names);
	tcase_add_test(tc, test_plain_chatter);
	tcase_add_test(tc, test_plain_volatile);
	tcase_add_test(tc, test_plain_codes);
	tcase_add_test(tc, test_empty);
	tcase_add_test(tc, test_same_as_articles);
	suite_add_tcase(s, tc);

	TCase *th = tcase_create("hostile");
	tcase_set_timeout(th, 60);
	tcase_add_test(th, test_hostile_fixed);
	tcase_add_test(th, test_hostile_random);
	tcase_add_test(th, test_hostile_large);
	suite_add_tcase(s, th);
	return s;
}
