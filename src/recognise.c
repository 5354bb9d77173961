/*
 * recognise.c - what an error code, a KB id and a file name look like.
 *
 * The indexer's extractors (indexer/extract.c) and paste analysis (paste/)
 * read articles and pastes the same way because both ask this file: which
 * words announce an error code ("error 1722", "error code 5", "exit code
 * 3"), which 32-bit values are plausible HRESULT or NTSTATUS failures,
 * which names are bug checks (STOP codes), what a KB id looks like
 * ("Q123456", "KB123456", "KB 123456") and which extensions make a word a
 * file name. The notations of a code value are read by src/codes.c.
 */
#include "private.h"
#include "recognise.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

/* ------------------------------------------------------------------ */
/* Error-code cue words                                                */
/* ------------------------------------------------------------------ */

/*
 * Words before a number that make it an error code. A strong word is
 * enough alone ("error 1722", "rc = 13", "NET HELPMSG 3547"); a weak one
 * only after a strong or a leading word ("error code 5", "exit code 3",
 * "failed with 5"), since "code 5", "number 3" or "with 2" alone are as
 * often a line or a count; a leading word counts only before a weak one;
 * "occurred" only with a colon ("A service specific error occurred:
 * 4015.", not "occurred 5 times").
 */
static const struct {
	const char *word;
	enum kbs__cue cue;
} cues[] = {
	{"error", KBS__CUE_STRONG}, {"err", KBS__CUE_STRONG},
	{"errors", KBS__CUE_STRONG}, {"errorcode", KBS__CUE_STRONG},
	{"errno", KBS__CUE_STRONG}, {"errorlevel", KBS__CUE_STRONG},
	{"rc", KBS__CUE_STRONG}, {"hr", KBS__CUE_STRONG},
	{"hresult", KBS__CUE_STRONG}, {"status", KBS__CUE_STRONG},
	{"ntstatus", KBS__CUE_STRONG}, {"nterr", KBS__CUE_STRONG},
	{"exception", KBS__CUE_STRONG}, {"violation", KBS__CUE_STRONG},
	{"stop", KBS__CUE_STRONG}, {"returned", KBS__CUE_STRONG},
	{"failed", KBS__CUE_STRONG}, {"win32", KBS__CUE_STRONG},
	{"helpmsg", KBS__CUE_STRONG},
	{"code", KBS__CUE_WEAK}, {"number", KBS__CUE_WEAK},
	{"no", KBS__CUE_WEAK}, {"nr", KBS__CUE_WEAK},
	{"result", KBS__CUE_WEAK}, {"with", KBS__CUE_WEAK},
	{"return", KBS__CUE_LEAD}, {"exit", KBS__CUE_LEAD},
	{"occurred", KBS__CUE_COLON},
};

enum kbs__cue
kbs__code_cue(const char *w, size_t n)
{
	for (size_t i = 0; i < sizeof cues / sizeof cues[0]; i++)
		if (strlen(cues[i].word) == n &&
		    strncasecmp(w, cues[i].word, n) == 0)
			return cues[i].cue;
	return KBS__CUE_NONE;
}

bool
kbs__code_cued(enum kbs__cue last, bool colon, enum kbs__cue before)
{
	switch (last) {
	case KBS__CUE_STRONG:
		return true;
	case KBS__CUE_WEAK:
		return before == KBS__CUE_STRONG || before == KBS__CUE_LEAD;
	case KBS__CUE_COLON:
		return colon;
	default:
		return false;
	}
}

/* ------------------------------------------------------------------ */
/* Plausible code values                                               */
/* ------------------------------------------------------------------ */

bool
kbs__code_failure_shape(uint32_t v)
{
	uint32_t sev = v >> 28;
	return (sev == 0x8 || sev == 0xC) && ((v >> 16) & 0xFFF) < 0x100;
}

bool
kbs__code_decimal(uint32_t v, size_t ndigits, bool negative, bool cued)
{
	if (v == 0)
		return false;
	if (cued && (negative || v <= 0xFFFF))
		return true;
	/* Uncued: a failure in decimal, not a number's limit such as
	 * -2147483648 or 4294967295. */
	return (negative ? ndigits >= 9 : ndigits == 10) &&
	       kbs__code_failure_shape(v) && (v & 0x0FFFFFFFu) > 0xFF;
}

bool
kbs__code_ntstatus_like(uint32_t v)
{
	if ((v >> 28) == 0xC && ((v >> 16) & 0x0FFF) < 0x100)
		return true;
	return (v & 0xFFFFFF00u) == 0x80000000u;
}

/* ------------------------------------------------------------------ */
/* Bug checks (STOP codes)                                             */
/* ------------------------------------------------------------------ */

/*
 * Bug check names and codes, from Microsoft's "Bug Check Code Reference"
 * (learn.microsoft.com, windows-hardware/drivers/debugger/bug-check-code-
 * reference2). A blue screen often shows only the name; the code is what
 * articles index ("STOP 0x0000000A").
 */
static const struct {
	const char *name;
	uint32_t code;
} bugchecks[] = {
	{"APC_INDEX_MISMATCH", 0x01},
	{"INVALID_DATA_ACCESS_TRAP", 0x04},
	{"INVALID_PROCESS_ATTACH_ATTEMPT", 0x05},
	{"INVALID_SOFTWARE_INTERRUPT", 0x07},
	{"IRQL_NOT_LESS_OR_EQUAL", 0x0A},
	{"TRAP_CAUSE_UNKNOWN", 0x12},
	{"BAD_POOL_HEADER", 0x19},
	{"MEMORY_MANAGEMENT", 0x1A},
	{"KMODE_EXCEPTION_NOT_HANDLED", 0x1E},
	{"FAT_FILE_SYSTEM", 0x23},
	{"NTFS_FILE_SYSTEM", 0x24},
	{"DATA_BUS_ERROR", 0x2E},
	{"PHASE1_INITIALIZATION_FAILED", 0x32},
	{"NO_MORE_IRP_STACK_LOCATIONS", 0x35},
	{"SYSTEM_SERVICE_EXCEPTION", 0x3B},
	{"NO_MORE_SYSTEM_PTES", 0x3F},
	{"MULTIPLE_IRP_COMPLETE_REQUESTS", 0x44},
	{"IRQL_GT_ZERO_AT_SYSTEM_SERVICE", 0x4A},
	{"PFN_LIST_CORRUPT", 0x4E},
	{"PAGE_FAULT_IN_NONPAGED_AREA", 0x50},
	{"REGISTRY_ERROR", 0x51},
	{"FTDISK_INTERNAL_ERROR", 0x58},
	{"CRITICAL_SERVICE_FAILED", 0x5A},
	{"HAL_INITIALIZATION_FAILED", 0x5C},
	{"CONFIG_INITIALIZATION_FAILED", 0x67},
	{"PROCESS1_INITIALIZATION_FAILED", 0x6B},
	{"SESSION3_INITIALIZATION_FAILED", 0x6F},
	{"BAD_SYSTEM_CONFIG_INFO", 0x74},
	{"KERNEL_STACK_INPAGE_ERROR", 0x77},
	{"KERNEL_DATA_INPAGE_ERROR", 0x7A},
	{"INACCESSIBLE_BOOT_DEVICE", 0x7B},
	{"SYSTEM_THREAD_EXCEPTION_NOT_HANDLED", 0x7E},
	{"UNEXPECTED_KERNEL_MODE_TRAP", 0x7F},
	{"NMI_HARDWARE_FAILURE", 0x80},
	{"KERNEL_MODE_EXCEPTION_NOT_HANDLED", 0x8E},
	{"MACHINE_CHECK_EXCEPTION", 0x9C},
	{"DRIVER_POWER_STATE_FAILURE", 0x9F},
	{"ATTEMPTED_WRITE_TO_READONLY_MEMORY", 0xBE},
	{"BAD_POOL_CALLER", 0xC2},
	{"DRIVER_VERIFIER_DETECTED_VIOLATION", 0xC4},
	{"DRIVER_CORRUPTED_EXPOOL", 0xC5},
	{"DRIVER_IRQL_NOT_LESS_OR_EQUAL", 0xD1},
	{"MANUALLY_INITIATED_CRASH", 0xE2},
	{"THREAD_STUCK_IN_DEVICE_DRIVER", 0xEA},
	{"UNMOUNTABLE_BOOT_VOLUME", 0xED},
	{"CRITICAL_PROCESS_DIED", 0xEF},
	{"CRITICAL_OBJECT_TERMINATION", 0xF4},
	{"CLOCK_WATCHDOG_TIMEOUT", 0x101},
	{"VIDEO_TDR_FAILURE", 0x116},
	{"WHEA_UNCORRECTABLE_ERROR", 0x124},
	{"DPC_WATCHDOG_VIOLATION", 0x133},
	{"KERNEL_SECURITY_CHECK_FAILURE", 0x139},
	{"STATUS_SYSTEM_PROCESS_TERMINATED", 0xC000021Au},
	{"STATUS_IMAGE_CHECKSUM_MISMATCH", 0xC0000221u},
};

bool
kbs__bugcheck_code(const char *s, size_t n, uint32_t *code)
{
	if (n < 8 || n > 40 || !isupper((unsigned char)s[0]))
		return false;
	for (size_t i = 0; i < sizeof bugchecks / sizeof bugchecks[0]; i++) {
		if (bugchecks[i].name[0] == s[0] &&
		    strlen(bugchecks[i].name) == n &&
		    memcmp(bugchecks[i].name, s, n) == 0) {
			*code = bugchecks[i].code;
			return true;
		}
	}
	return false;
}

const char *
kbs__bugcheck_name(size_t i)
{
	return i < sizeof bugchecks / sizeof bugchecks[0] ?
	       bugchecks[i].name : NULL;
}

/* ------------------------------------------------------------------ */
/* KB ids                                                              */
/* ------------------------------------------------------------------ */

size_t
kbs__kb_id_at(const char *s, size_t n, char *id, size_t idsz)
{
	size_t p, min;
	if (n > 0 && (s[0] == 'Q' || s[0] == 'q')) {
		p = 1;
		min = 4;
	} else if (n > 1 && (s[0] == 'K' || s[0] == 'k') &&
	           (s[1] == 'B' || s[1] == 'b')) {
		p = 2;
		if (p + 1 < n && s[p] == ' ' && isdigit((unsigned char)s[p + 1]))
			p++;
		min = 5;
	} else {
		return 0;
	}
	size_t j = p;
	while (j < n && isdigit((unsigned char)s[j]) && j - p < 9)
		j++;
	size_t nd = j - p;
	if (nd < min || nd > 8 || s[p] == '0')
		return 0;
	if (j < n && (isalnum((unsigned char)s[j]) || s[j] == '_'))
		return 0;
	if (j + 1 < n && s[j] == '.' && isdigit((unsigned char)s[j + 1]))
		return 0;
	return kbs__kbid_canon(id, idsz, s + p, nd) ? j : 0;
}

/* ------------------------------------------------------------------ */
/* File names                                                          */
/* ------------------------------------------------------------------ */

/* File name extensions (without the dot). */
static const char *const exts[] = {
	"exe", "dll", "sys", "drv", "cpl", "ocx", "vxd", "com", "bat", "cmd",
	"ini", "inf", "log", "pst", "ost", "mdb", "edb", "stm", "chk", "msi",
	"msp", "cab", "hlp", "chm", "scr", "tlb", "nls", "386", "pif", "reg",
	"vbs", "wsf", "ps1", "asp", "aspx", "dat", "tmp", "evt", "evtx", "dmp",
	"mof", "ldb", "ocx", "ax", "acm", "tsp", "cnt", "dos", "ins", "xml",
	"htm", "html", "txt", "doc", "docx", "xls", "xlsx", "ppt", "pptx",
	"dot", "wav", "fon", "ttf", "lnk", "cfg", "bin", "img", "iso", "mui",
	"msc", "js", "hta", "jar", "pdb", "cer", "pfx", "adm", "admx", "pol",
	"olb", "obd", "ecf", "dic", "shs", "rtf", "cat", "manifest", NULL
};

/* .com names that are files, not domains. */
static const char *const com_files[] = {
	"command", "ntdetect", "win", "format", "edit", "more", "mode", "tree",
	"chcp", "diskcopy", "keyb", "graphics", "debug", "sys", "print",
	"loadfix", "choice", "diskcomp", "assign", NULL
};

static bool
in_list(const char *const *list, const char *s, size_t n)
{
	for (size_t i = 0; list[i] != NULL; i++)
		if (strlen(list[i]) == n && strncasecmp(s, list[i], n) == 0)
			return true;
	return false;
}

bool
kbs__file_ext_known(const char *s, size_t n)
{
	return in_list(exts, s, n);
}

bool
kbs__file_name(const char *s, size_t n, bool listed)
{
	const char *dot = NULL;
	bool letter = false;
	if (n > 64)
		return false;
	for (size_t i = 0; i < n; i++)
		if (s[i] == '.')
			dot = s + i;
	if (dot == NULL)
		return !listed && in_list((const char *const[]){ "ntldr",
		                          "bootmgr", "ntdetect", NULL }, s, n);
	size_t stem = (size_t)(dot - s), en = n - stem - 1;
	if (stem == 0 || en == 0)
		return false;
	for (size_t i = 0; i < stem; i++) {
		if (!isalnum((unsigned char)s[i]) &&
		    strchr("_-$~.#&@+", s[i]) == NULL &&
		    (unsigned char)s[i] < 0x80)
			return false;
		letter |= isalpha((unsigned char)s[i]) != 0;
	}
	if (!isalnum((unsigned char)s[0]) && s[0] != '_' && s[0] != '$' &&
	    s[0] != '~')
		return false;
	if (listed) {
		/* A file table's column: any short extension with a letter
		 * ("kb123456.cat", "mscorlib.tlb", "netfx.ax_"). */
		bool ext_letter = false;
		for (size_t i = 0; i < en; i++) {
			if (!isalnum((unsigned char)dot[1 + i]) && dot[1 + i] != '_')
				return false;
			ext_letter |= isalpha((unsigned char)dot[1 + i]) != 0;
		}
		return letter && n >= 3 && en <= 4 && ext_letter;
	}
	if (!in_list(exts, dot + 1, en))
		return false;
	if (en == 3 && strncasecmp(dot + 1, "com", 3) == 0) {
		bool upper = true;
		for (size_t i = 0; i < n; i++)
			if (islower((unsigned char)s[i]))
				upper = false;
		if (!upper && !in_list(com_files, s, stem))
			return false;
	}
	return true;
}
