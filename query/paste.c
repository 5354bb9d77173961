/*
 * paste.c - what a pasted error is made of.
 *
 * Support engineers paste whatever they have: an Event Viewer "copy
 * details" block or General tab, an event's XML, a message box copied with
 * Ctrl+C, an application crash report (Application Error, Dr. Watson,
 * Windows Error Reporting), a blue screen, the output of a command, or a
 * line of chat around the message. Ranking works
 * best on the message words alone plus the exact evidence (event ID and
 * source, error codes, file names, KB ids), so this file recognises the
 * layout, keeps the message in its original word order, and removes what
 * changes from one occurrence of the same error to the next: dates, times,
 * computer and user names, GUIDs. Those go to dropped, as pasted, so that
 * the caller can show what was left out. Hex memory addresses and bug check
 * parameters stay: they change from crash to crash too, but an article
 * that quotes the same crash quotes them, and one quoted nowhere is a
 * word in no article, which costs the search nothing.
 *
 * The analysis is a few linear passes over a sanitised copy of the input:
 * lines first (layout), then whitespace-separated words (volatile parts,
 * codes, files, KB ids). No pass looks further than a bounded distance
 * from where it stands, so a paste of n bytes costs O(n). Event XML is
 * parsed with libxml2, without network, DTD or entities, and only when it
 * declares none.
 */
#include "private.h"

#include <ctype.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/parser.h>
#include <libxml/tree.h>

/* Beyond this many bytes only the start of a paste is analysed: the
 * message and the headers come first, and a megabyte of log is not a
 * search query any more. */
#define PASTE_MAX ((size_t)1 << 20)

/* Event XML larger than this is not parsed: one event with its rendered
 * message is a few kilobytes (an insertion string holds at most 31,839
 * characters), and building a document tree costs more per byte than the
 * text scan that handles the paste instead. */
#define XML_MAX ((size_t)256 << 10)

/* At most this many items in each list. Deduplication compares with every
 * item already there, so the cap keeps a paste made of thousands of
 * distinct dates linear; no useful paste comes near it. */
#define MAX_ITEMS 256

/* Names (computer, user) learnt from headers, removed wherever they
 * appear in the message. */
#define MAX_NAMES 8

typedef struct line {
	const char *s;          /* start, inside the sanitised text */
	size_t n;               /* length without the newline */
} line;

typedef struct ctx {
	kbs__paste *p;
	kbs_status rc;          /* sticky */
	kbs__buf msg;           /* message being built */
	bool stop;              /* bug check screen: hex values are addresses */
	bool crash;             /* application crash report: likewise */
	bool before_list;       /* the current word is followed by "(" */
	char prev[16];          /* previous word with letters, lowercased */
	bool prev_colon;        /* ... and it ended with a colon */
	const char *names[MAX_NAMES];
	size_t namelen[MAX_NAMES];
	int nnames;
} ctx;

/* ------------------------------------------------------------------ */
/* Small helpers                                                       */
/* ------------------------------------------------------------------ */

static bool
is_space(int c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' ||
	       c == '\v';
}

static bool
is_hex(int c)
{
	return isxdigit((unsigned char)c) != 0;
}

static bool
is_digit(int c)
{
	return c >= '0' && c <= '9';
}

static bool
is_alnum(int c)
{
	return isalnum((unsigned char)c) != 0;
}

static bool
ieq(const char *s, size_t n, const char *lit)
{
	size_t m = strlen(lit);
	return n == m && strncasecmp(s, lit, n) == 0;
}

static bool
iprefix(const char *s, size_t n, const char *lit)
{
	size_t m = strlen(lit);
	return n >= m && strncasecmp(s, lit, m) == 0;
}


/* Read digits at s[*i..n); returns how many, value in *v (saturating). */
static size_t
digits(const char *s, size_t n, size_t *i, unsigned long *v)
{
	size_t start = *i;
	unsigned long x = 0;
	while (*i < n && is_digit(s[*i])) {
		if (x < 100000000ul)
			x = x * 10 + (unsigned long)(s[*i] - '0');
		(*i)++;
	}
	*v = x;
	return *i - start;
}

/* ------------------------------------------------------------------ */
/* Recording results                                                   */
/* ------------------------------------------------------------------ */

static void
add_dropped(ctx *c, const char *s, size_t n)
{
	kbs__paste *p = c->p;
	kbs__trim(&s, &n);
	if (c->rc != KBS_OK || n == 0 || p->ndropped >= MAX_ITEMS)
		return;
	for (size_t i = 0; i < p->ndropped; i++)
		if (strlen(p->dropped[i]) == n && memcmp(p->dropped[i], s, n) == 0)
			return;
	char *d = kbs__arena_strndup(&p->arena, s, n);
	const char **slot = d == NULL ? NULL :
		KBS__PUSH(&p->arena, p->dropped, p->ndropped, p->capdropped);
	if (slot == NULL)
		c->rc = KBS_NOMEM;
	else
		*slot = d;
}

static void
add_code(ctx *c, uint32_t v)
{
	kbs__paste *p = c->p;
	if (c->rc != KBS_OK || p->ncodes >= MAX_ITEMS)
		return;
	for (size_t i = 0; i < p->ncodes; i++)
		if (p->codes[i] == v)
			return;
	uint32_t *slot = KBS__PUSH(&p->arena, p->codes, p->ncodes, p->capcodes);
	if (slot == NULL)
		c->rc = KBS_NOMEM;
	else
		*slot = v;
}

/* Append s to a string list unless an equal one (case-insensitive) is
 * there already. */
static void
add_string(ctx *c, const char ***arr, size_t *count, size_t *cap,
           const char *s, size_t n)
{
	kbs__paste *p = c->p;
	if (c->rc != KBS_OK || n == 0 || *count >= MAX_ITEMS)
		return;
	for (size_t i = 0; i < *count; i++)
		if (strlen((*arr)[i]) == n && strncasecmp((*arr)[i], s, n) == 0)
			return;
	char *d = kbs__arena_strndup(&p->arena, s, n);
	const char **a = *arr;
	const char **slot = d == NULL ? NULL : KBS__PUSH(&p->arena, a, *count, *cap);
	if (slot == NULL) {
		c->rc = KBS_NOMEM;
		return;
	}
	*slot = d;
	*arr = a;
}

static void
add_file(ctx *c, const char *s, size_t n)
{
	add_string(c, &c->p->files, &c->p->nfiles, &c->p->capfiles, s, n);
}

static void
add_kbid(ctx *c, const char *s, size_t n)
{
	char id[16];
	if (kbs__kbid_canon(id, sizeof id, s, n))
		add_string(c, &c->p->kb_ids, &c->p->nkb_ids, &c->p->capkb_ids,
		           id, strlen(id));
}

static void
add_name(ctx *c, const char *s, size_t n)
{
	kbs__trim(&s, &n);
	if (n < 2 || c->nnames == MAX_NAMES)
		return;
	c->names[c->nnames] = s;
	c->namelen[c->nnames++] = n;
}

/* Case matters: a computer called SERVER must not take the word "server"
 * out of the description. */
static bool
known_name(const ctx *c, const char *s, size_t n)
{
	for (int i = 0; i < c->nnames; i++)
		if (c->namelen[i] == n && strncmp(c->names[i], s, n) == 0)
			return true;
	return false;
}

/* Append one word to the message, a space before it unless glue. */
static void
emit(ctx *c, const char *s, size_t n, bool glue)
{
	if (n == 0)
		return;
	if (c->msg.len > 0 && !glue)
		kbs__buf_putc(&c->msg, ' ');
	kbs__buf_append(&c->msg, s, n);
}

/* ------------------------------------------------------------------ */
/* Sanitising                                                          */
/* ------------------------------------------------------------------ */

/* Length of the valid UTF-8 sequence at s[0..n), or 0 when invalid
 * (overlong forms, surrogates and values above U+10FFFF included). */
static size_t
utf8_len(const unsigned char *s, size_t n)
{
	unsigned c = s[0];
	size_t len;
	unsigned min, cp;
	if (c < 0x80)
		return 1;
	if (c >= 0xC2 && c <= 0xDF) {
		len = 2; cp = c & 0x1F; min = 0x80;
	} else if (c >= 0xE0 && c <= 0xEF) {
		len = 3; cp = c & 0x0F; min = 0x800;
	} else if (c >= 0xF0 && c <= 0xF4) {
		len = 4; cp = c & 0x07; min = 0x10000;
	} else {
		return 0;
	}
	if (n < len)
		return 0;
	for (size_t i = 1; i < len; i++) {
		if ((s[i] & 0xC0) != 0x80)
			return 0;
		cp = (cp << 6) | (s[i] & 0x3F);
	}
	if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
		return 0;
	return len;
}

/*
 * Copy of paste[0..len) as valid UTF-8 with one kind of newline: NULs,
 * control characters and invalid bytes become spaces, CR LF and lone CR
 * become LF, a no-break space becomes a space. NULL when out of memory.
 */
static char *
sanitise(const char *paste, size_t len, size_t *outlen)
{
	const unsigned char *s = (const unsigned char *)paste;
	char *out = malloc(len + 1);
	size_t o = 0;
	if (out == NULL)
		return NULL;
	for (size_t i = 0; i < len;) {
		unsigned c = s[i];
		if (c == '\r') {
			out[o++] = '\n';
			i += (i + 1 < len && s[i + 1] == '\n') ? 2 : 1;
		} else if (c == '\n' || c == '\t') {
			out[o++] = (char)c;
			i++;
		} else if (c < 0x20 || c == 0x7F) {
			out[o++] = ' ';
			i++;
		} else if (c < 0x80) {
			out[o++] = (char)c;
			i++;
		} else {
			size_t n = utf8_len(s + i, len - i);
			if (n == 0) {
				out[o++] = ' ';
				i++;
			} else if (n == 2 && c == 0xC2 && s[i + 1] == 0xA0) {
				out[o++] = ' ';
				i += 2;
			} else {
				memcpy(out + o, s + i, n);
				o += n;
				i += n;
			}
		}
	}
	out[o] = '\0';
	*outlen = o;
	return out;
}

/* ------------------------------------------------------------------ */
/* Volatile parts                                                      */
/* ------------------------------------------------------------------ */

/* {8-4-4-4-12} with or without braces. */
static bool
is_guid(const char *s, size_t n)
{
	static const int groups[] = {8, 4, 4, 4, 12};
	size_t i = 0;
	if (n > 0 && s[0] == '{') {
		if (s[n - 1] != '}')
			return false;
		s++;
		n -= 2;
	}
	if (n != 36)
		return false;
	for (int g = 0; g < 5; g++) {
		for (int k = 0; k < groups[g]; k++, i++)
			if (!is_hex(s[i]))
				return false;
		if (g < 4 && s[i++] != '-')
			return false;
	}
	return true;
}

/* 11/3/2025, 2025-11-03 (optionally followed by T and a time), 3.11.2025. */
static bool
is_date(const char *s, size_t n)
{
	size_t i = 0, d1, d2, d3;
	unsigned long a, b, y;
	d1 = digits(s, n, &i, &a);
	if (d1 == 0 || i >= n)
		return false;
	char sep = s[i];
	if (sep != '/' && sep != '-' && sep != '.')
		return false;
	i++;
	d2 = digits(s, n, &i, &b);
	if (d2 == 0 || d2 > 2 || i >= n || s[i] != sep)
		return false;
	i++;
	d3 = digits(s, n, &i, &y);
	if (d1 == 4) {          /* ISO */
		if (sep != '-' || d3 == 0 || d3 > 2 || b == 0 || b > 12)
			return false;
		if (i < n && (s[i] == 'T' || s[i] == 't'))
			return true;
		return i == n;
	}
	if (i != n || d1 > 2 || (d3 != 2 && d3 != 4) || a == 0 || b == 0)
		return false;
	/* A dotted date needs a four-digit year, or it is a version. */
	if (sep == '.' && d3 != 4)
		return false;
	return a <= 31 && b <= 31;
}

/* 10:30, 10:30:52, 10:30:52.123, optionally with a trailing am/pm or Z. */
static bool
is_time(const char *s, size_t n)
{
	size_t i = 0, d;
	unsigned long h, m, sec;
	d = digits(s, n, &i, &h);
	if (d == 0 || d > 2 || h > 24 || i >= n || s[i] != ':')
		return false;
	i++;
	if (digits(s, n, &i, &m) != 2 || m > 59)
		return false;
	if (i < n && s[i] == ':') {
		i++;
		if (digits(s, n, &i, &sec) != 2 || sec > 60)
			return false;
		if (i < n && (s[i] == '.' || s[i] == ',')) {
			i++;
			if (digits(s, n, &i, &sec) == 0)
				return false;
		}
	}
	if (i == n)
		return true;
	if (n - i == 1 && (s[i] == 'Z' || s[i] == 'z'))
		return true;
	return ieq(s + i, n - i, "am") || ieq(s + i, n - i, "pm");
}

static bool
is_ampm(const char *s, size_t n)
{
	return ieq(s, n, "am") || ieq(s, n, "pm") || ieq(s, n, "a.m.") ||
	       ieq(s, n, "p.m.");
}

/* 192.168.1.10, optionally with :port. */
static bool
is_ipv4(const char *s, size_t n)
{
	size_t i = 0;
	unsigned long v;
	for (int part = 0; part < 4; part++) {
		size_t d = digits(s, n, &i, &v);
		if (d == 0 || d > 3 || v > 255)
			return false;
		if (part < 3) {
			if (i >= n || s[i] != '.')
				return false;
			i++;
		}
	}
	if (i < n && s[i] == ':') {
		i++;
		if (digits(s, n, &i, &v) == 0)
			return false;
	}
	return i == n;
}

/* 00-1A-2B-3C-4D-5E or 00:1a:2b:3c:4d:5e. */
static bool
is_mac(const char *s, size_t n)
{
	if (n != 17)
		return false;
	for (size_t i = 0; i < 17; i++) {
		if (i % 3 == 2) {
			if (s[i] != s[2] || (s[i] != '-' && s[i] != ':'))
				return false;
		} else if (!is_hex(s[i])) {
			return false;
		}
	}
	return true;
}

/* Top-level domains seen in computer names. "com" needs a third label
 * because "ntdetect.com" is a file. */
static const char *const tlds[] = {
	"local", "lan", "corp", "internal", "intranet", "net", "org", "edu",
	"gov", "mil", "int", "example", "test", "home", "domain", "localdomain",
	"io", "biz", "info", "us", "uk", "de", "fr", "ca", "au", "jp", "nl",
	NULL
};

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

static bool
in_list(const char *const *list, const char *s, size_t n)
{
	for (size_t i = 0; list[i] != NULL; i++)
		if (ieq(s, n, list[i]))
			return true;
	return false;
}

/* A host name with a domain: SRV-TS01.contoso.local, www.microsoft.com. */
static bool
is_fqdn(const char *s, size_t n)
{
	size_t labels = 0, start = 0, last = 0;
	bool letter_first = false, last_alpha = true;
	for (size_t i = 0; i <= n; i++) {
		if (i == n || s[i] == '.') {
			if (i == start || i - start > 63)
				return false;
			labels++;
			last = start;
			start = i + 1;
			continue;
		}
		if (!is_alnum(s[i]) && s[i] != '-' && s[i] != '_')
			return false;
		if (labels == 0 && isalpha((unsigned char)s[i]))
			letter_first = true;
	}
	if (labels < 2 || !letter_first)
		return false;
	/* "xxx.xxx.xxx.xxx" is a placeholder that articles print. */
	if (strspn(s, "xX.") >= n)
		return false;
	for (size_t i = last; i < n; i++)
		if (!isalpha((unsigned char)s[i]))
			last_alpha = false;
	if (!last_alpha || n - last < 2 || n - last > 11)
		return false;
	if (in_list(tlds, s + last, n - last))
		return true;
	/* Three labels or more: a host in a domain, unless it ends like a
	 * file ("Microsoft.Exchange.Data.dll"). */
	return labels >= 3 && (ieq(s + last, n - last, "com") ||
	                       !in_list(exts, s + last, n - last)) &&
	       n - last <= 6;
}

static bool
is_email(const char *s, size_t n)
{
	const char *at = memchr(s, '@', n);
	if (at == NULL || at == s)
		return false;
	size_t rest = n - (size_t)(at - s) - 1;
	return rest > 2 && memchr(at + 1, '.', rest) != NULL &&
	       memchr(at + 1, '@', rest) == NULL;
}

/* A security identifier: S-1-5-18, S-1-5-21-3623811015-3361044348-...-1001. */
static bool
is_sid(const char *s, size_t n)
{
	size_t i = 2, parts = 0;
	unsigned long v;
	if (n < 5 || (s[0] != 'S' && s[0] != 's') || s[1] != '-')
		return false;
	while (i < n) {
		if (digits(s, n, &i, &v) == 0)
			return false;
		parts++;
		if (i < n && s[i++] != '-')
			return false;
		if (i == n && s[n - 1] == '-')
			return false;
	}
	return parts >= 3;
}

/* A segmented address as Windows 9x fault dialogs print it:
 * 0137:bff9a07e, 0028:C0011E36. */
static bool
is_segoff(const char *s, size_t n)
{
	if (n != 13 || s[4] != ':')
		return false;
	for (size_t i = 0; i < n; i++)
		if (i != 4 && !is_hex(s[i]))
			return false;
	return true;
}

/* Only hex digits, optionally after 0x; at least one digit. */
static bool
all_hex(const char *s, size_t n)
{
	if (n > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		s += 2;
		n -= 2;
	}
	if (n == 0)
		return false;
	for (size_t i = 0; i < n; i++)
		if (!is_hex(s[i]))
			return false;
	return true;
}

/* x86 and x64 register names, as "EAX=00000000" in crash dumps. */
static bool
is_register(const char *s, size_t n)
{
	static const char *const regs[] = {
		"eax", "ebx", "ecx", "edx", "esi", "edi", "ebp", "esp", "eip",
		"rax", "rbx", "rcx", "rdx", "rsi", "rdi", "rbp", "rsp", "rip",
		"r8", "r9", "r10", "r11", "r12", "r13", "r14", "r15", "cs", "ds",
		"es", "fs", "gs", "ss", "efl", "eflgs", "eflags", "cr0", "cr2",
		"cr3", "cr4", "iopl", NULL
	};
	for (size_t i = 0; regs[i] != NULL; i++)
		if (ieq(s, n, regs[i]))
			return true;
	return false;
}

/* ------------------------------------------------------------------ */
/* Codes                                                               */
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

/* The bug check code of a name as blue screens print it (upper case), or
 * false. */
static bool
bugcheck_code(const char *s, size_t n, uint32_t *code)
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

/* NTSTATUS error values (0xC0000005, 0xC0020005) and the few warning
 * values bug checks report (0x80000003). */
static bool
ntstatus_like(uint32_t v)
{
	if ((v >> 28) == 0xC && ((v >> 16) & 0x0FFF) < 0x100)
		return true;
	return (v & 0xFFFFFF00u) == 0x80000000u;
}

/* Words after which a small number is an error code: "error 1722",
 * "error code 5", "rc = 13", "status 5", "NET HELPMSG 3547", and "A service
 * specific error occurred: 4015." (with the colon only: "occurred 5
 * times" is a count). */
static bool
code_context(const ctx *c)
{
	static const char *const words[] = {
		"error", "err", "code", "rc", "errorcode", "status", "errno",
		"hr", "hresult", "ntstatus", "result", "returned", "failed",
		"with", "exception", "violation", "win32", "helpmsg", NULL
	};
	for (size_t i = 0; words[i] != NULL; i++)
		if (strcmp(c->prev, words[i]) == 0)
			return true;
	return c->prev_colon && strcmp(c->prev, "occurred") == 0;
}

/* Words after which a hex value is a memory address. */
static bool
address_context(const char *prev)
{
	return strcmp(prev, "at") == 0 || strcmp(prev, "address") == 0 ||
	       strcmp(prev, "addr") == 0 || strcmp(prev, "base") == 0 ||
	       strcmp(prev, "eip") == 0 || strcmp(prev, "rip") == 0;
}

static bool
stop_context(const char *prev)
{
	return strcmp(prev, "stop") == 0 || strcmp(prev, "bugcheck") == 0 ||
	       strcmp(prev, "check") == 0 || strcmp(prev, "was") == 0;
}

/* W_ADDRESS is kept apart from W_TEXT so that an address is never read
 * as a code; both stay words of the message. */
enum word_class { W_TEXT, W_CODE, W_ADDRESS };

/*
 * Classify one word (punctuation already stripped): an error code (value
 * in *v), a memory address, or text. Versions, dates, sizes and event IDs
 * are text: a small decimal is a code only after "error", "code" and the
 * like.
 */
static enum word_class
classify_number(const ctx *c, const char *s, size_t n, uint32_t *v)
{
	bool hex0x = n > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X');
	const char *h = hex0x ? s + 2 : s;
	size_t hn = hex0x ? n - 2 : n;
	size_t i;
	bool letters = false, alldigits = true;

	if (n == 0)
		return W_TEXT;
	for (i = 0; i < hn && is_hex(h[i]); i++) {
		if (!is_digit(h[i]))
			letters = true;
	}
	bool allhex = i == hn && hn > 0;
	for (i = 0; i < n; i++)
		if (!is_digit(s[i]) && !(i == 0 && s[0] == '-' && n > 1))
			alldigits = false;

	/* "00000005" is the decimal 5 as some logs pad it. */
	if (allhex && !hex0x && hn == 8 && !letters && h[0] != '8')
		allhex = false;
	if (allhex && (hex0x || hn == 8 || hn == 16)) {
		uint32_t x;
		/* Bug checks on 64-bit Windows sign-extend their parameters:
		 * 0xffffffffc0000005. */
		if (hn == 16) {
			if (strncasecmp(h, "ffffffff", 8) == 0 &&
			    kbs__code_parse(&x, h + 8, 8) && ntstatus_like(x)) {
				*v = x;
				return W_CODE;
			}
			return hex0x || letters ? W_ADDRESS : W_TEXT;
		}
		if (hn > 8)
			return W_TEXT;
		if (!hex0x) {
			/* Bare eight hex digits: HRESULT or NTSTATUS as logs
			 * print them ("80070005", "c0000005"). */
			if (h[0] != '8' && h[0] != 'c' && h[0] != 'C') {
				/* "at address 77F6E3BB" (Dr. Watson). */
				if (hn == 8 && address_context(c->prev))
					return W_ADDRESS;
				return (c->stop || c->crash) && letters ?
				       W_ADDRESS : W_TEXT;
			}
			if (!kbs__code_parse(&x, h, 8))
				return W_TEXT;
		} else if (!kbs__code_parse(&x, s, n)) {
			return W_TEXT;
		}
		if (stop_context(c->prev) || (c->stop && c->before_list)) {
			*v = x;
			return W_CODE;
		}
		if (c->stop) {
			if (ntstatus_like(x)) {
				*v = x;
				return W_CODE;
			}
			/* A bug check's parameters stay words of the message:
			 * an address that changes from crash to crash is in
			 * no article and costs nothing, while an article
			 * that quotes the same parameters ("STOP 0x00000050
			 * (0xFF10C004, ...)") is the one to find among those
			 * sharing the code. */
			return W_TEXT;
		}
		if (c->crash) {
			/* User-mode addresses of a 32-bit process stay below
			 * 0x80000000; from there on it is an HRESULT or an
			 * exception code (0xe0434352 for the CLR). */
			if (x >= 0x80000000u) {
				*v = x;
				return W_CODE;
			}
			return x < 0x10000 ? W_TEXT : W_ADDRESS;
		}
		if (hex0x && hn >= 6 && address_context(c->prev) &&
		    !ntstatus_like(x) && (x >> 16) != 0x8007)
			return W_ADDRESS;
		/* Zero is success, not an error; a short value such as a
		 * "0x18" in a network trace is a code only after "error". */
		if (x == 0 || (x < 0x10000 && hn < 8 && !code_context(c)))
			return W_TEXT;
		*v = x;
		return W_CODE;
	}
	if (alldigits) {
		uint32_t x;
		size_t nd = s[0] == '-' ? n - 1 : n;
		if (nd > 10 || !kbs__code_parse(&x, s, n))
			return W_TEXT;
		if (s[0] == '-') {
			/* -2147024891 anywhere; -1811 after "error". */
			if (nd >= 5 || code_context(c)) {
				*v = x;
				return W_CODE;
			}
			return W_TEXT;
		}
		/* 2147942405: an HRESULT or NTSTATUS failure in decimal. */
		if (nd == 10 && x >= 0x80000000u) {
			*v = x;
			return W_CODE;
		}
		if (x != 0 && x <= 0xFFFF && code_context(c)) {
			*v = x;
			return W_CODE;
		}
	}
	return W_TEXT;
}

/* ------------------------------------------------------------------ */
/* Files and KB ids                                                    */
/* ------------------------------------------------------------------ */

/* .com names that are files, not domains. */
static const char *const com_files[] = {
	"command", "ntdetect", "win", "format", "edit", "more", "mode", "tree",
	"chcp", "diskcopy", "keyb", "graphics", "debug", "sys", "print",
	"loadfix", "choice", "diskcomp", "assign", NULL
};

/* Look for a file name in one path component s[0..n). */
static void
scan_file_component(ctx *c, const char *s, size_t n)
{
	/* Strip quotes and brackets around the name. */
	while (n > 0 && strchr("\"'<>()[]{},;:!?*", s[n - 1]) != NULL)
		n--;
	while (n > 0 && strchr("\"'<>()[]{},;:!?*", s[0]) != NULL) {
		s++;
		n--;
	}
	while (n > 0 && s[n - 1] == '.')
		n--;
	const char *dot = NULL;
	for (size_t i = 0; i < n; i++)
		if (s[i] == '.')
			dot = s + i;
	if (dot == NULL) {
		if (ieq(s, n, "ntldr") || ieq(s, n, "bootmgr") ||
		    ieq(s, n, "ntdetect"))
			add_file(c, s, n);
		return;
	}
	size_t stem = (size_t)(dot - s), en = n - stem - 1;
	if (stem == 0 || en == 0 || !in_list(exts, dot + 1, en))
		return;
	for (size_t i = 0; i < stem; i++)
		if (!is_alnum(s[i]) && strchr("_-$~.#&@+", s[i]) == NULL &&
		    (unsigned char)s[i] < 0x80)
			return;
	if (!isalpha((unsigned char)s[0]) && !is_digit(s[0]) && s[0] != '_' &&
	    s[0] != '$' && s[0] != '~')
		return;
	if (ieq(dot + 1, en, "com")) {
		bool upper = true;
		for (size_t i = 0; i < n; i++)
			if (islower((unsigned char)s[i]))
				upper = false;
		if (!upper && !in_list(com_files, s, stem))
			return;
	}
	add_file(c, s, n);
}

static void
scan_files(ctx *c, const char *s, size_t n)
{
	size_t start = 0;
	for (size_t i = 0; i <= n; i++) {
		if (i == n || s[i] == '\\' || s[i] == '/' || s[i] == '=' ||
		    (s[i] == ':' && i + 1 < n && s[i + 1] != '\\')) {
			scan_file_component(c, s + start, i - start);
			start = i + 1;
		}
	}
}

/* Q294326, KB294326: the letters and four to eight digits. */
static bool
is_kbid_word(const char *s, size_t n)
{
	size_t i;
	if (n > 1 && (s[0] == 'Q' || s[0] == 'q'))
		i = 1;
	else if (n > 2 && iprefix(s, n, "kb"))
		i = 2;
	else
		return false;
	if (n - i < 4 || n - i > 8)
		return false;
	for (; i < n; i++)
		if (!is_digit(s[i]))
			return false;
	return true;
}

/* ------------------------------------------------------------------ */
/* The word scanner                                                    */
/* ------------------------------------------------------------------ */

static bool
is_open_punct(int ch)
{
	return ch == '(' || ch == '[' || ch == '{' || ch == '<' || ch == '"' ||
	       ch == '\'' || ch == '`';
}

static bool
is_close_punct(int ch)
{
	return ch == ')' || ch == ']' || ch == '}' || ch == '>' || ch == '"' ||
	       ch == '\'' || ch == '`' || ch == ',' || ch == ';' || ch == ':' ||
	       ch == '.' || ch == '!' || ch == '?';
}

/* Remember s[0..n) as the previous word when it has letters; colon tells
 * whether a colon followed it. */
static void
set_prev(ctx *c, const char *s, size_t n, bool colon)
{
	bool alpha = false;
	for (size_t i = 0; i < n; i++)
		if (isalpha((unsigned char)s[i]))
			alpha = true;
	if (!alpha)
		return;
	if (n >= sizeof c->prev)
		n = sizeof c->prev - 1;
	for (size_t i = 0; i < n; i++)
		c->prev[i] = (char)tolower((unsigned char)s[i]);
	c->prev[n] = '\0';
	c->prev_colon = colon;
}

/* Emit the trailing punctuation of a dropped word when it ends a sentence
 * or clause, so that phrases do not run together. */
static void
emit_tail(ctx *c, const char *s, size_t n)
{
	while (n > 0 && (s[n - 1] == ')' || s[n - 1] == ']' || s[n - 1] == '}' ||
	                 s[n - 1] == '>' || s[n - 1] == '"' || s[n - 1] == '\''))
		n--;
	if (n > 0 && s[n - 1] == '.')
		emit(c, s + n - 1, 1, true);
}

/*
 * One piece of a word (words are cut at parentheses, commas and
 * semicolons so that "0X0000001e(0xc0000005," gives two values): copied
 * to the message, or dropped when volatile; codes, files, KB ids and event
 * ID mentions are collected on the way. text[0..n) is the whole region and
 * *pi the end of the current word, which a time followed by AM moves.
 */
static void
scan_piece(ctx *c, const char *text, size_t n, size_t *pi, const char *w,
           size_t wn, bool first, bool last)
{
	/* The core: the word without quotes, brackets and sentence
	 * punctuation around it. */
	const char *k = w;
	size_t kn = wn;
	while (kn > 0 && is_open_punct(k[0])) {
		k++;
		kn--;
	}
	while (kn > 0 && is_close_punct(k[kn - 1]))
		kn--;
	/* A dotted date or IP at the end of a sentence keeps its dots
	 * right; "a.m." and "p.m." keep theirs. */
	if (kn + 1 < wn && k + kn < w + wn && k[kn] == '.' &&
	    (ieq(k, kn + 1, "a.m.") || ieq(k, kn + 1, "p.m.")))
		kn++;

	/* Dr. Watson's "1/2/2002 @ 10:11:12.123": the "@" goes with the
	 * date and the time. */
	if (c->crash && wn == 1 && w[0] == '@')
		return;
	if (kn == 0) {
		emit(c, w, wn, !first);
		return;
	}
	/* "{GUID}" keeps its braces in dropped. */
	if (k > w && k[-1] == '{' && k + kn < w + wn && k[kn] == '}' &&
	    is_guid(k - 1, kn + 2)) {
		k--;
		kn += 2;
	}

	/* Volatile words. */
	bool drop = is_guid(k, kn) || is_date(k, kn) || is_ipv4(k, kn) ||
	            is_mac(k, kn) || is_email(k, kn) || is_fqdn(k, kn) ||
	            is_sid(k, kn) || is_segoff(k, kn) || known_name(c, k, kn);
	bool time = !drop && is_time(k, kn);
	if (drop || time) {
		/* "10:30:52 AM" is one time. */
		if (time && last) {
			size_t j = *pi;
			while (j < n && (text[j] == ' ' || text[j] == '\t'))
				j++;
			size_t as = j;
			while (j < n && !is_space(text[j]))
				j++;
			size_t an = j;
			while (an > as && is_close_punct(text[an - 1]) &&
			       !is_ampm(text + as, an - as))
				an--;
			if (an > as && is_ampm(text + as, an - as)) {
				add_dropped(c, k, an - (size_t)(k - text));
				emit_tail(c, text + an, j - an);
				*pi = j;
				return;
			}
		}
		add_dropped(c, k, kn);
		emit_tail(c, w, wn);
		return;
	}

	/* \\SERVER\share: the server name goes. */
	if (kn > 2 && k[0] == '\\' && k[1] == '\\') {
		size_t j = 2;
		while (j < kn && k[j] != '\\')
			j++;
		add_dropped(c, k, j);
		scan_files(c, k + j, kn - j);
		if (j < kn)
			emit(c, k + j, kn - j + (size_t)(w + wn - (k + kn)),
			     false);
		else
			emit_tail(c, w, wn);
		return;
	}

	/* Codes and addresses; "rc=13" and "error:0x5" are split. */
	const char *num = k;
	size_t numn = kn;
	const char *eq = memchr(k, '=', kn);
	if (eq != NULL && eq + 1 < k + kn) {
		size_t keyn = (size_t)(eq - k);
		/* "(pid=123)", and register dumps "EAX=00000000". */
		if (ieq(k, keyn, "pid") || ieq(k, keyn, "tid") ||
		    ((c->crash || c->stop) && is_register(k, keyn) &&
		     all_hex(eq + 1, kn - keyn - 1))) {
			add_dropped(c, k, kn);
			emit_tail(c, w, wn);
			return;
		}
		set_prev(c, k, keyn, false);
		num = eq + 1;
		numn = kn - (size_t)(num - k);
	}
	uint32_t v;
	const char *after = w + wn, *end = text + n;
	if (after < end && *after == ' ')
		after++;
	c->before_list = after < end && (*after == '(' || *after == '{');
	enum word_class wc = classify_number(c, num, numn, &v);
	/* An address (W_ADDRESS) stays a word of the message like a bug
	 * check's parameters: one that changes from crash to crash is in no
	 * article and costs nothing, while the article that quotes the same
	 * crash ("Exception: access violation (0xc0000005), Address:
	 * 0x766026ee") is the one to find among the thousands that name the
	 * exception code (dev-queries-archive MRR@10 0.957 -> 0.964). */
	if (wc == W_CODE)
		add_code(c, v);
	else if (bugcheck_code(k, kn, &v))
		add_code(c, v);

	/* KB ids: "Q294326", "KB294326", "KB 294326". */
	if (is_kbid_word(k, kn)) {
		add_kbid(c, k, kn);
	} else if (ieq(k, kn, "kb") && kn == wn) {
		size_t j = *pi;
		while (j < n && (text[j] == ' ' || text[j] == '\t'))
			j++;
		size_t ds = j;
		while (j < n && is_digit(text[j]) && j - ds < 9)
			j++;
		if (j - ds >= 4 && j - ds <= 8 &&
		    (j == n || !is_alnum(text[j])))
			add_kbid(c, text + ds, j - ds);
	}

	/* "Event ID 1003", "Event ID: 1003", "EventID 1003". */
	if (c->p->event_id < 0 && (ieq(k, kn, "eventid") ||
	    (ieq(k, kn, "id") && strcmp(c->prev, "event") == 0))) {
		size_t j = *pi;
		unsigned long id;
		while (j < n && (text[j] == ' ' || text[j] == ':' ||
		                 text[j] == '#' || text[j] == '\t'))
			j++;
		size_t nd = digits(text, n, &j, &id);
		if (nd > 0 && nd <= 5 && (j == n || !is_alnum(text[j])))
			c->p->event_id = (long)id;
	}

	scan_files(c, k, kn);
	if (eq == NULL)
		set_prev(c, k, kn, k + kn < w + wn && k[kn] == ':');
	emit(c, w, wn, !first);
}

static bool
is_piece_sep(int ch)
{
	return ch == '(' || ch == ')' || ch == ',' || ch == ';';
}

/* Scan text[0..n) word by word into the message. */
static void
scan_text(ctx *c, const char *text, size_t n)
{
	size_t i = 0;
	while (i < n && c->rc == KBS_OK) {
		while (i < n && is_space(text[i]))
			i++;
		if (i == n)
			break;
		size_t ws = i;
		while (i < n && !is_space(text[i]))
			i++;
		size_t we = i, ps = ws;
		bool first = true;
		for (size_t j = ws; j <= we && c->rc == KBS_OK; j++) {
			if (j < we && !is_piece_sep(text[j]))
				continue;
			if (j > ps) {
				scan_piece(c, text, n, &i, text + ps, j - ps, first,
				           j == we);
				first = false;
			}
			if (j < we) {
				emit(c, text + j, 1, !first);
				first = false;
			}
			ps = j + 1;
		}
	}
}

/* ------------------------------------------------------------------ */
/* Application crash reports                                           */
/* ------------------------------------------------------------------ */

enum crash_role {
	C_KEEP,         /* the field stays in the message */
	C_DROP,         /* the value changes from one crash to the next */
	C_NAME,         /* a computer or user name: dropped here and elsewhere */
	C_PATH,         /* a path: the file name stays, the directory goes */
	C_SKIP          /* the label of a dump: left out with its value */
};

/*
 * Fields of the crash reports engineers paste: the Application Error
 * event 1000 ("Faulting application name: app.exe, version: 1.2.3.4, time
 * stamp: 0x4a5bc0d3"), Dr. Watson's log and event ("App:", "When:"), the
 * "Problem signature" of the Windows Error Reporting dialog, and the
 * Windows 9x fault dialog ("Registers:", "Stack dump:"). Keys not listed
 * (names, versions, exception codes) stay in the message.
 */
static const struct {
	const char *key;
	enum crash_role role;
} crash_fields[] = {
	{"time stamp", C_DROP}, {"fault offset", C_DROP},
	{"faulting process id", C_DROP},
	{"faulting application start time", C_DROP},
	{"faulting application path", C_PATH}, {"faulting module path", C_PATH},
	{"report id", C_DROP}, {"app", C_PATH}, {"when", C_DROP},
	{"computer name", C_NAME}, {"user name", C_NAME},
	{"application timestamp", C_DROP}, {"fault module timestamp", C_DROP},
	{"exception offset", C_DROP}, {"offset", C_DROP}, {"locale id", C_DROP},
	{"additional information 1", C_DROP},
	{"additional information 2", C_DROP},
	{"additional information 3", C_DROP},
	{"additional information 4", C_DROP},
	{"registers", C_SKIP}, {"bytes at cs", C_SKIP}, {"stack dump", C_SKIP},
};

/* Phrases that only crash reports use. */
static const char *const crash_marks[] = {
	"Faulting application", "Application exception occurred",
	"Problem Event Name", "Fault Module Name",
	"caused an invalid page fault", "caused a general protection fault",
	"generated an application error", "Exception number:",
};

/* Only the start of the paste is looked at (bounded cost). */
static bool
looks_like_crash(const char *s, size_t n)
{
	size_t lim = n < 16384 ? n : 16384;
	for (size_t i = 0; i < lim; i++) {
		for (size_t m = 0; m < sizeof crash_marks / sizeof crash_marks[0];
		     m++) {
			size_t ml = strlen(crash_marks[m]);
			if (i + ml <= lim &&
			    strncasecmp(s + i, crash_marks[m], ml) == 0)
				return true;
		}
	}
	return false;
}

static enum crash_role
crash_role_of(const char *key, size_t n)
{
	kbs__trim(&key, &n);
	for (size_t i = 0; i < sizeof crash_fields / sizeof crash_fields[0]; i++)
		if (ieq(key, n, crash_fields[i].key))
			return crash_fields[i].role;
	return C_KEEP;
}

/* A line of a hex dump: four or more words of 2, 4, 8 or 16 hex digits
 * ("8b 46 10 85 c0", "00000000 81620000 bff7b9b4 ..."). */
static bool
is_dump_line(const char *s, size_t n)
{
	size_t i = 0, words = 0;
	while (i < n) {
		while (i < n && is_space(s[i]))
			i++;
		size_t ws = i;
		while (i < n && !is_space(s[i]))
			i++;
		size_t wn = i - ws;
		if (wn == 0)
			break;
		if ((wn != 2 && wn != 4 && wn != 8 && wn != 16) ||
		    !all_hex(s + ws, wn))
			return false;
		words++;
	}
	return words >= 4;
}

/* "C:\WINNT\system32\foo.exe (pid=123)" after a label such as "App:": the
 * file name stays in the message, the directory (an install location or a
 * user profile) and the process id are dropped. */
static void
crash_path(ctx *c, const char *label, size_t labeln, const char *v,
           size_t vn, bool kept)
{
	for (size_t i = 0; i + 5 <= vn; i++) {
		if (strncasecmp(v + i, "(pid=", 5) == 0) {
			add_dropped(c, v + i, vn - i);
			vn = i;
			kbs__trim(&v, &vn);
			break;
		}
	}
	size_t last = vn;
	for (size_t i = 0; i < vn; i++)
		if (v[i] == '\\' || v[i] == '/')
			last = i;
	if (kept)
		emit(c, ",", 1, true);
	scan_text(c, label, labeln);
	if (last == vn) {
		scan_text(c, v, vn);
		return;
	}
	add_dropped(c, v, last);
	scan_text(c, v + last + 1, vn - last - 1);
}

/* One "Key: value" field of a crash report line; *kept tells whether
 * something of the line went to the message already. */
static void
crash_field(ctx *c, const char *s, size_t n, bool *kept)
{
	kbs__trim(&s, &n);
	if (n == 0)
		return;
	size_t k = 0;
	while (k < n && k < 48 && (is_alnum(s[k]) || s[k] == ' ' ||
	                           s[k] == '-' || s[k] == '.'))
		k++;
	enum crash_role role = C_KEEP;
	const char *v = NULL;
	size_t vn = 0;
	if (k > 0 && k < n && s[k] == ':' && isalpha((unsigned char)s[0])) {
		role = crash_role_of(s, k);
		v = s + k + 1;
		vn = n - k - 1;
		kbs__trim(&v, &vn);
	}
	switch (role) {
	case C_DROP:
		add_dropped(c, v, vn);
		return;
	case C_NAME:
		add_dropped(c, v, vn);
		add_name(c, v, vn);
		return;
	case C_SKIP:
		return;
	case C_PATH:
		crash_path(c, s, k + 1, v, vn, *kept);
		*kept = true;
		return;
	case C_KEEP:
		break;
	}
	if (*kept)
		emit(c, ",", 1, true);
	scan_text(c, s, n);
	*kept = true;
}

/* One line of a crash report: fields separated by ", ", or a dump. */
static void
crash_line(ctx *c, const char *s, size_t n)
{
	bool kept = false;
	kbs__trim(&s, &n);
	if (n == 0)
		return;
	if (is_dump_line(s, n)) {
		add_dropped(c, s, n);
		return;
	}
	for (size_t i = 0; i < n && c->rc == KBS_OK;) {
		size_t j = i;
		while (j < n && !(s[j] == ',' && j + 1 < n && s[j + 1] == ' '))
			j++;
		crash_field(c, s + i, j - i, &kept);
		i = j < n ? j + 2 : n;
	}
}

/* Event Viewer's closing line on Windows XP and 2003: the same on every
 * event, so it says nothing about this one. */
static bool
is_boilerplate(const char *s, size_t n)
{
	kbs__trim(&s, &n);
	return iprefix(s, n, "For more information, see Help and Support Center");
}

/* Does s[0..n) contain lit? */
static bool
contains(const char *s, size_t n, const char *lit)
{
	size_t m = strlen(lit);
	for (size_t i = 0; i + m <= n; i++)
		if (memcmp(s + i, lit, m) == 0)
			return true;
	return false;
}

/*
 * The scaffolding a shell or tool prints around an error, the same for
 * every error: PowerShell's prompt ("PS C:\Users\me> command"), the
 * position of an error record ("At C:\x.ps1:67 char:5", "At line:1
 * char:1"), its "+ CategoryInfo" and "+ FullyQualifiedErrorId" lines,
 * and the underline of the failing code ("+ ~~~~~", a compiler's "^~~~").
 * The message is the line they surround.
 */
static bool
is_tool_scaffold(const char *s, size_t n)
{
	kbs__trim(&s, &n);
	if (n == 0)
		return false;
	if (iprefix(s, n, "PS ") && n > 5 && isalpha((unsigned char)s[3]) && s[4] == ':' &&
	    contains(s, n, ">"))
		return true;
	if (iprefix(s, n, "At ") && contains(s, n, " char:"))
		return true;
	if (s[0] == '+' || s[0] == '~' || s[0] == '^') {
		size_t i = 1;
		while (i < n && (s[i] == ' ' || s[i] == '\t'))
			i++;
		if (iprefix(s + i, n - i, "CategoryInfo") ||
		    iprefix(s + i, n - i, "FullyQualifiedErrorId"))
			return true;
		while (i < n && (s[i] == '~' || s[i] == '^' || s[i] == ' '))
			i++;
		return i == n;
	}
	return false;
}

/* Drop the tool scaffold lines of a paste read as one text: each goes to
 * dropped and is blanked in place (lines point into the paste's own
 * copy), so that the words around it keep their order. */
static void
blank_scaffold(ctx *c, const line *lines, size_t nlines)
{
	for (size_t i = 0; i < nlines && c->rc == KBS_OK; i++) {
		if (!is_tool_scaffold(lines[i].s, lines[i].n))
			continue;
		add_dropped(c, lines[i].s, lines[i].n);
		memset((char *)lines[i].s, ' ', lines[i].n);
	}
}

/* One line of text into the message, the way the paste's kind wants. */
static void
scan_line(ctx *c, const char *s, size_t n)
{
	if (is_boilerplate(s, n) || is_tool_scaffold(s, n))
		add_dropped(c, s, n);
	else if (c->crash)
		crash_line(c, s, n);
	else
		scan_text(c, s, n);
}

static void
scan_lines(ctx *c, const line *lines, size_t from, size_t to)
{
	for (size_t i = from; i < to; i++)
		scan_line(c, lines[i].s, lines[i].n);
}

/* scan_line() over each line of s[0..n). */
static void
scan_block(ctx *c, const char *s, size_t n)
{
	size_t start = 0;
	for (size_t i = 0; i <= n && c->rc == KBS_OK; i++) {
		if (i == n || s[i] == '\n') {
			scan_line(c, s + start, i - start);
			start = i + 1;
		}
	}
}

/* ------------------------------------------------------------------ */
/* Event XML                                                           */
/* ------------------------------------------------------------------ */

/* libxml2 reports parse errors through these: the library never prints.
 * They are set on each parser context, never globally, because several
 * threads may search at once. */
static void
xml_quiet(void *data, const char *msg, ...)
{
	(void)data;
	(void)msg;
}

static void
xml_quiet_structured(void *data, xmlErrorPtr err)
{
	(void)data;
	(void)err;
}

/* xmlInitParser() is not safe to run twice at once. */
static pthread_once_t xml_once = PTHREAD_ONCE_INIT;

static void
xml_init(void)
{
	xmlInitParser();
}

static bool
el_is(const xmlNode *n, const char *name)
{
	return n != NULL && n->type == XML_ELEMENT_NODE &&
	       strcmp((const char *)n->name, name) == 0;
}

static xmlNode *
el_child(const xmlNode *parent, const char *name)
{
	if (parent == NULL)
		return NULL;
	for (xmlNode *n = parent->children; n != NULL; n = n->next)
		if (el_is(n, name))
			return n;
	return NULL;
}

static bool
has_el_child(const xmlNode *n)
{
	for (const xmlNode *k = n->children; k != NULL; k = k->next)
		if (k->type == XML_ELEMENT_NODE)
			return true;
	return false;
}

/* An attribute value or element text into dropped; name also learns it as
 * a name (with and without its domain) to take out of the message. */
static void
xml_drop(ctx *c, const xmlChar *x, bool name)
{
	if (x == NULL)
		return;
	const char *v = (const char *)x;
	size_t vn = strlen(v);
	kbs__trim(&v, &vn);
	if (vn == 0)
		return;
	add_dropped(c, v, vn);
	if (!name)
		return;
	char *copy = kbs__arena_strndup(&c->p->arena, v, vn);
	if (copy == NULL) {
		c->rc = KBS_NOMEM;
		return;
	}
	add_name(c, copy, vn);
	const char *dot = memchr(copy, '.', vn);
	if (dot != NULL)
		add_name(c, copy, (size_t)(dot - copy));
}

static void
xml_drop_attr(ctx *c, xmlNode *n, const char *attr)
{
	if (n == NULL)
		return;
	xmlChar *v = xmlGetProp(n, (const xmlChar *)attr);
	xml_drop(c, v, false);
	xmlFree(v);
}

/* name contains one of parts, ignoring case. */
static bool
name_has(const char *name, const char *const *parts)
{
	size_t n = strlen(name);
	for (size_t i = 0; parts[i] != NULL; i++) {
		size_t m = strlen(parts[i]);
		for (size_t j = 0; j + m <= n; j++)
			if (strncasecmp(name + j, parts[i], m) == 0)
				return true;
	}
	return false;
}

/* Data names whose values change from one occurrence to the next, those
 * that name a computer or user, and those that hold an error code. */
static const char *const volatile_data[] = {
	"user", "computer", "workstation", "machine", "hostname", "domain",
	"sid", "logonid", "processid", "threadid", "pid", "time", "guid",
	"address", "port", "offset", "reportid", NULL
};
static const char *const name_data[] = {
	"user", "computer", "workstation", "machine", "hostname", "domain",
	NULL
};
static const char *const code_data[] = {
	"error", "code", "status", "hresult", "result", NULL
};

/* Eight hex digits with the high bit set are an HRESULT or NTSTATUS; other
 * hex values in event data are addresses, offsets and time stamps. */
static bool
hex_volatile(const char *v, size_t vn)
{
	bool hex0x = vn > 2 && v[0] == '0' && (v[1] == 'x' || v[1] == 'X');
	const char *h = hex0x ? v + 2 : v;
	size_t hn = hex0x ? vn - 2 : vn;
	bool letters = false;
	uint32_t x;
	if (!all_hex(v, vn))
		return false;
	for (size_t i = 0; i < hn; i++)
		if (!is_digit(h[i]))
			letters = true;
	if (!hex0x && !letters && hn < 8)
		return false;
	if (hn == 8 && kbs__code_parse(&x, h, 8) && x >= 0x80000000u)
		return false;
	return true;
}

/*
 * One insertion string (<Data Name="name">v</Data>, or a UserData leaf):
 * volatile values go to dropped, "%%1053" (the text of message 1053, an
 * error) to codes, the rest to the message when to_msg.
 */
static void
xml_data(ctx *c, const char *name, const char *v, size_t vn, bool to_msg)
{
	kbs__trim(&v, &vn);
	if (vn == 0 || ieq(v, vn, "-"))
		return;
	if (vn > 2 && v[0] == '%' && v[1] == '%') {
		size_t i = 2;
		unsigned long id;
		uint32_t code;
		if (digits(v, vn, &i, &id) > 0 && i == vn) {
			if (kbs__code_parse(&code, v + 2, vn - 2) && code != 0)
				add_code(c, code);
			return;
		}
	}
	bool single = true;
	for (size_t i = 0; i < vn; i++)
		if (is_space(v[i]))
			single = false;
	if (single && name != NULL) {
		uint32_t code;
		if (name_has(name, code_data) && kbs__code_parse(&code, v, vn) &&
		    code != 0) {
			add_code(c, code);
			if (to_msg)
				scan_block(c, v, vn);
			return;
		}
		if (name_has(name, volatile_data)) {
			char *z = kbs__arena_strndup(&c->p->arena, v, vn);
			if (z == NULL) {
				c->rc = KBS_NOMEM;
				return;
			}
			xml_drop(c, (const xmlChar *)z, name_has(name, name_data));
			return;
		}
	}
	if (single && (is_guid(v, vn) || is_sid(v, vn) || is_date(v, vn) ||
	               is_time(v, vn) || is_ipv4(v, vn) || is_mac(v, vn) ||
	               is_email(v, vn) || is_fqdn(v, vn) ||
	               known_name(c, v, vn) || hex_volatile(v, vn))) {
		add_dropped(c, v, vn);
		return;
	}
	if (to_msg)
		scan_block(c, v, vn);
}

/* Every element of a UserData block without element children; depth
 * bounds the recursion (libxml2 bounds the document's depth too). */
static void
xml_leaves(ctx *c, xmlNode *parent, int depth, bool to_msg)
{
	for (xmlNode *n = parent->children; n != NULL && c->rc == KBS_OK;
	     n = n->next) {
		if (n->type != XML_ELEMENT_NODE)
			continue;
		if (depth < 8 && has_el_child(n)) {
			xml_leaves(c, n, depth + 1, to_msg);
			continue;
		}
		xmlChar *t = xmlNodeGetContent(n);
		if (t != NULL)
			xml_data(c, (const char *)n->name, (const char *)t,
			         strlen((const char *)t), to_msg);
		xmlFree(t);
	}
}

/* The event of a parsed document: <Event>, or the first one of an
 * <Events> export. */
static xmlNode *
xml_event(xmlDoc *doc)
{
	xmlNode *root = xmlDocGetRootElement(doc);
	if (el_is(root, "Events"))
		root = el_child(root, "Event");
	return el_is(root, "Event") ? root : NULL;
}

/* The event's System block: source, event ID, and what is dropped. */
static void
xml_system(ctx *c, xmlNode *sys)
{
	kbs__paste *p = c->p;
	xmlNode *n = el_child(sys, "Provider");
	if (n != NULL) {
		/* The classic event source (what Event Viewer showed before
		 * Vista and what articles print as "Source: TermService"),
		 * else the provider as Event Viewer shows it, without the
		 * "Microsoft-Windows-" every manifest provider starts with. */
		xmlChar *esn = xmlGetProp(n, (const xmlChar *)"EventSourceName");
		xmlChar *name = xmlGetProp(n, (const xmlChar *)"Name");
		const char *s = esn != NULL && esn[0] != '\0' ?
		                (const char *)esn : (const char *)name;
		if (s != NULL) {
			size_t sn = strlen(s);
			if (s == (const char *)name &&
			    iprefix(s, sn, "Microsoft-Windows-") && sn > 18) {
				s += 18;
				sn -= 18;
			}
			kbs__trim(&s, &sn);
			if (sn > 0) {
				p->source = kbs__arena_strndup(&p->arena, s, sn);
				if (p->source == NULL)
					c->rc = KBS_NOMEM;
			}
		}
		xmlFree(esn);
		xmlFree(name);
	}
	n = el_child(sys, "EventID");
	if (n != NULL) {
		xmlChar *t = xmlNodeGetContent(n);
		if (t != NULL) {
			const char *s = (const char *)t;
			size_t sn = strlen(s), i = 0;
			unsigned long id;
			kbs__trim(&s, &sn);
			if (digits(s, sn, &i, &id) > 0 && i == sn && sn <= 5)
				p->event_id = (long)id;
		}
		xmlFree(t);
	}
	xml_drop_attr(c, el_child(sys, "TimeCreated"), "SystemTime");
	n = el_child(sys, "EventRecordID");
	if (n != NULL) {
		xmlChar *t = xmlNodeGetContent(n);
		xml_drop(c, t, false);
		xmlFree(t);
	}
	n = el_child(sys, "Correlation");
	xml_drop_attr(c, n, "ActivityID");
	xml_drop_attr(c, n, "RelatedActivityID");
	n = el_child(sys, "Execution");
	xml_drop_attr(c, n, "ProcessID");
	xml_drop_attr(c, n, "ThreadID");
	n = el_child(sys, "Computer");
	if (n != NULL) {
		xmlChar *t = xmlNodeGetContent(n);
		xml_drop(c, t, true);
		xmlFree(t);
	}
	xml_drop_attr(c, el_child(sys, "Security"), "UserID");
}

/* s[0..n) holds "<!DOCTYPE" or "<!ENTITY": a paste that declares entities
 * is not an event (Event Viewer never writes one) and is not parsed. */
static bool
has_decl(const char *s, size_t n)
{
	for (size_t i = 0; i + 8 <= n; i++)
		if (s[i] == '<' && s[i + 1] == '!' &&
		    (strncasecmp(s + i + 2, "DOCTYPE", 7) == 0 ||
		     strncasecmp(s + i + 2, "ENTITY", 6) == 0))
			return true;
	return false;
}

/*
 * Event XML, as Event Viewer's Details tab ("XML View") and wevtutil or
 * Get-WinEvent print it: <Event xmlns="http://schemas.microsoft.com/win/
 * 2004/08/events/event"><System>...</System><EventData><Data>...</Data>
 * </EventData><RenderingInfo><Message>...</Message></RenderingInfo>
 * </Event>, after at most two lines of chatter. libxml2 parses it with no
 * network, no DTD, no entity substitution and no output; a paste with a
 * DOCTYPE, or one that does not parse, is left to the text layouts.
 */
static bool
parse_eventxml(ctx *c, const line *lines, size_t nlines, const char *text,
               size_t textlen)
{
	size_t chatter = 0, first = 0;
	const char *xs = NULL;
	for (; first < nlines; first++) {
		const char *s = lines[first].s;
		size_t n = lines[first].n;
		kbs__trim(&s, &n);
		if (n == 0)
			continue;
		if (iprefix(s, n, "<?xml") ||
		    (n > 6 && strncmp(s, "<Event", 6) == 0 &&
		     (is_space(s[6]) || s[6] == '>' || s[6] == '/' ||
		      s[6] == 's'))) {
			xs = s;
			break;
		}
		if (++chatter > 2)
			return false;
	}
	if (xs == NULL)
		return false;
	const char *end = text + textlen, *xe = end;
	for (const char *q = end - 7; end - xs >= 7 && q >= xs; q--) {
		if (memcmp(q, "</Event", 7) == 0 && q + 7 < end &&
		    (q[7] == '>' || is_space(q[7]) || q[7] == 's')) {
			const char *gt = memchr(q, '>', (size_t)(end - q));
			if (gt != NULL)
				xe = gt + 1;
			break;
		}
	}
	if ((size_t)(xe - xs) > XML_MAX || has_decl(xs, (size_t)(xe - xs)))
		return false;

	pthread_once(&xml_once, xml_init);
	xmlParserCtxtPtr px = xmlNewParserCtxt();
	if (px == NULL) {
		c->rc = KBS_NOMEM;
		return true;
	}
	px->sax->error = xml_quiet;
	px->sax->warning = xml_quiet;
	px->sax->fatalError = xml_quiet;
	px->sax->serror = xml_quiet_structured;
	px->vctxt.error = xml_quiet;
	px->vctxt.warning = xml_quiet;
	xmlDoc *doc = xmlCtxtReadMemory(px, xs, (int)(xe - xs), NULL, "UTF-8",
	                                XML_PARSE_NONET | XML_PARSE_NOERROR |
	                                XML_PARSE_NOWARNING |
	                                XML_PARSE_IGNORE_ENC);
	xmlNode *ev = doc != NULL ? xml_event(doc) : NULL;
	if (ev == NULL) {
		xmlFreeDoc(doc);
		xmlFreeParserCtxt(px);
		return false;
	}

	kbs__paste *p = c->p;
	p->kind = "eventxml";
	xml_system(c, el_child(ev, "System"));
	scan_lines(c, lines, 0, first);

	xmlNode *msg = el_child(el_child(ev, "RenderingInfo"), "Message");
	xmlChar *mt = msg != NULL ? xmlNodeGetContent(msg) : NULL;
	bool to_msg = mt == NULL || mt[0] == '\0';
	xmlNode *data = el_child(ev, "EventData");
	for (xmlNode *n = data != NULL ? data->children : NULL;
	     n != NULL && c->rc == KBS_OK; n = n->next) {
		if (!el_is(n, "Data"))
			continue;
		xmlChar *name = xmlGetProp(n, (const xmlChar *)"Name");
		xmlChar *t = xmlNodeGetContent(n);
		if (t != NULL)
			xml_data(c, (const char *)name, (const char *)t,
			         strlen((const char *)t), to_msg);
		xmlFree(t);
		xmlFree(name);
	}
	xmlNode *ud = el_child(ev, "UserData");
	if (ud != NULL)
		xml_leaves(c, ud, 0, to_msg && data == NULL);
	if (!to_msg)
		scan_block(c, (const char *)mt, strlen((const char *)mt));
	xmlFree(mt);
	xmlFreeDoc(doc);
	xmlFreeParserCtxt(px);

	/* Chatter after the event. */
	if (xe < end)
		scan_block(c, xe, (size_t)(end - xe));
	return true;
}

/* ------------------------------------------------------------------ */
/* Layouts                                                             */
/* ------------------------------------------------------------------ */

enum hdr {
	H_NONE, H_IGNORE, H_SOURCE, H_DATE, H_EVENTID, H_USER, H_COMPUTER,
	H_DESC, H_DATA
};

static const struct {
	const char *key;
	enum hdr role;
} headers[] = {
	{"Log Name", H_IGNORE}, {"Source", H_SOURCE}, {"Event Source", H_SOURCE},
	{"Date", H_DATE}, {"Time", H_DATE}, {"Logged", H_DATE},
	{"Event ID", H_EVENTID}, {"EventID", H_EVENTID},
	{"Task Category", H_IGNORE}, {"Event Category", H_IGNORE},
	{"Category", H_IGNORE}, {"Level", H_IGNORE}, {"Event Type", H_IGNORE},
	{"Type", H_IGNORE}, {"Keywords", H_IGNORE}, {"OpCode", H_IGNORE},
	{"User", H_USER}, {"Computer", H_COMPUTER}, {"Description", H_DESC},
	{"Data", H_DATA}, {"Event Xml", H_DATA},
};

/* Recognise "Key:   value" at the start of a line; *val is the value. */
static enum hdr
header_of(const line *l, const char **val, size_t *valn)
{
	const char *s = l->s;
	size_t n = l->n;
	while (n > 0 && (*s == ' ' || *s == '\t')) {
		s++;
		n--;
	}
	for (size_t h = 0; h < sizeof headers / sizeof headers[0]; h++) {
		size_t m = strlen(headers[h].key);
		if (n < m + 1 || strncasecmp(s, headers[h].key, m) != 0)
			continue;
		size_t j = m;
		while (j < n && (s[j] == ' ' || s[j] == '\t'))
			j++;
		if (j >= n || s[j] != ':')
			continue;
		*val = s + j + 1;
		*valn = n - j - 1;
		kbs__trim(val, valn);
		return headers[h].role;
	}
	return H_NONE;
}

static bool
is_dash_line(const line *l)
{
	size_t d = 0;
	for (size_t i = 0; i < l->n; i++) {
		if (l->s[i] == '-')
			d++;
		else if (!is_space(l->s[i]))
			return false;
	}
	return d >= 3;
}

static bool
is_blank(const line *l)
{
	for (size_t i = 0; i < l->n; i++)
		if (!is_space(l->s[i]))
			return false;
	return true;
}

/* A line of message box buttons: "OK", "Yes   No", "Try Again   Cancel". */
static bool
is_button_line(const line *l)
{
	static const char *const buttons[] = {
		"ok", "cancel", "yes", "no", "retry", "ignore", "abort", "help",
		"continue", "try", "again", "close", "&ok", "&yes", "&no",
		"&retry", "&ignore", "&abort", "&help", "&continue", "&cancel",
		"debug", "details", NULL
	};
	size_t i = 0, words = 0;
	while (i < l->n) {
		while (i < l->n && is_space(l->s[i]))
			i++;
		size_t ws = i;
		while (i < l->n && !is_space(l->s[i]))
			i++;
		if (i == ws)
			break;
		if (!in_list(buttons, l->s + ws, i - ws))
			return false;
		words++;
	}
	return words > 0;
}

/*
 * The Ctrl+C copy of a message box: dash lines around the caption, the
 * text and the buttons.
 */
static bool
parse_dialog(ctx *c, const line *lines, size_t nlines)
{
	size_t first = 0, dash[64], nd = 0, text_lines = 0;
	/* A line or two of chatter may come before the box. */
	while (first < nlines && !is_dash_line(&lines[first])) {
		if (!is_blank(&lines[first]) && ++text_lines > 2)
			return false;
		first++;
	}
	if (first == nlines)
		return false;
	for (size_t i = first; i < nlines && nd < 64; i++)
		if (is_dash_line(&lines[i]))
			dash[nd++] = i;
	if (nd < 3)
		return false;

	kbs__paste *p = c->p;
	p->kind = "dialog";
	scan_lines(c, lines, 0, first);
	/* Caption between the first two dash lines. */
	kbs__buf t = {0};
	for (size_t i = dash[0] + 1; i < dash[1]; i++) {
		const char *s = lines[i].s;
		size_t n = lines[i].n;
		kbs__trim(&s, &n);
		if (n == 0)
			continue;
		if (t.len > 0)
			kbs__buf_putc(&t, ' ');
		kbs__buf_append(&t, s, n);
	}
	if (t.oom) {
		c->rc = KBS_NOMEM;
	} else if (t.len > 0) {
		p->title = kbs__arena_strndup(&p->arena, t.data, t.len);
		if (p->title == NULL)
			c->rc = KBS_NOMEM;
	}
	kbs__buf_free(&t);

	/* Text up to the dash line before the buttons; the buttons are the
	 * last section when every line of it is buttons. */
	size_t body_end = nlines, btn_from = nlines, btn_to = nlines;
	size_t last = nd - 1;
	size_t after = dash[last] + 1;
	while (after < nlines && is_blank(&lines[after]))
		after++;
	if (after < nlines) {
		/* Text after the final dash line: buttons without a closing
		 * dash line, or more text. */
		bool buttons = true;
		for (size_t i = after; i < nlines; i++)
			if (!is_blank(&lines[i]) && !is_button_line(&lines[i]))
				buttons = false;
		if (buttons) {
			body_end = dash[last];
			btn_from = after;
		}
	} else if (nd >= 4) {
		bool buttons = true, any = false;
		for (size_t i = dash[last - 1] + 1; i < dash[last]; i++) {
			if (is_blank(&lines[i]))
				continue;
			any = true;
			if (!is_button_line(&lines[i]))
				buttons = false;
		}
		if (buttons && any) {
			body_end = dash[last - 1];
			btn_from = dash[last - 1] + 1;
			btn_to = dash[last];
		} else {
			body_end = dash[last];
		}
	} else {
		body_end = dash[last];
	}
	for (size_t i = dash[1] + 1; i < body_end; i++)
		if (!is_dash_line(&lines[i]))
			scan_line(c, lines[i].s, lines[i].n);
	for (size_t i = btn_from; i < btn_to && i < nlines; i++)
		add_dropped(c, lines[i].s, lines[i].n);
	return true;
}

/*
 * Event Viewer text: "Key: value" header lines (the Windows Vista and
 * later "copy details" form, the older General tab form, or a loose few),
 * then the description.
 */
static bool
parse_eventviewer(ctx *c, const line *lines, size_t nlines)
{
	kbs__paste *p = c->p;
	size_t nheaders = 0, desc = nlines, data = nlines;
	bool has_id = false;
	const char *val;
	size_t valn;

	for (size_t i = 0; i < nlines; i++) {
		enum hdr h = header_of(&lines[i], &val, &valn);
		if (h == H_EVENTID) {
			size_t j = 0;
			unsigned long id;
			if (digits(val, valn, &j, &id) > 0 && j == valn && !has_id) {
				has_id = true;
				p->event_id = (long)id;
			}
		}
		if (h == H_DESC) {
			desc = i;
			break;
		}
		if (h != H_NONE)
			nheaders++;
	}
	if (!has_id || nheaders < 2) {
		p->event_id = -1;
		return false;
	}
	p->kind = "eventviewer";

	/* Header values: names first, so that the description loses them. */
	size_t hend = desc < nlines ? desc : nlines;
	for (size_t i = 0; i < hend; i++) {
		enum hdr h = header_of(&lines[i], &val, &valn);
		if (h == H_SOURCE && p->source == NULL && valn > 0) {
			p->source = kbs__arena_strndup(&p->arena, val, valn);
			if (p->source == NULL)
				c->rc = KBS_NOMEM;
		} else if (h == H_DATE) {
			add_dropped(c, val, valn);
		} else if (h == H_COMPUTER && valn > 0) {
			add_dropped(c, val, valn);
			add_name(c, val, valn);
			const char *dot = memchr(val, '.', valn);
			if (dot != NULL)
				add_name(c, val, (size_t)(dot - val));
		} else if (h == H_USER && valn > 0 && !ieq(val, valn, "N/A") &&
		           !ieq(val, valn, "SYSTEM") &&
		           !iprefix(val, valn, "NT AUTHORITY") &&
		           !ieq(val, valn, "LOCAL SERVICE") &&
		           !ieq(val, valn, "NETWORK SERVICE")) {
			add_dropped(c, val, valn);
			add_name(c, val, valn);
			const char *bs = memchr(val, '\\', valn);
			if (bs != NULL)
				add_name(c, bs + 1, valn - (size_t)(bs - val) - 1);
		}
	}

	/* Text before the description that is not a header: the message
	 * as the General tab shows it above the fields, or chatter. */
	size_t m0 = c->msg.len;
	for (size_t i = 0; i < hend; i++)
		if (header_of(&lines[i], &val, &valn) == H_NONE &&
		    !is_dash_line(&lines[i]))
			scan_line(c, lines[i].s, lines[i].n);
	if (desc < nlines) {
		/* The description: text on the Description: line itself and
		 * every line after it, up to a Data: or Event Xml: section. */
		size_t m1 = c->msg.len;
		for (size_t i = desc + 1; i < nlines; i++) {
			enum hdr h = header_of(&lines[i], &val, &valn);
			if (h == H_DATA) {
				data = i;
				break;
			}
		}
		header_of(&lines[desc], &val, &valn);
		scan_line(c, val, valn);
		scan_lines(c, lines, desc + 1, data);
		/* The same text above the fields and as the description:
		 * once is enough. */
		size_t a = m1 - m0, b = c->msg.len - m1;
		if (a > 0 && b == a + 1 && !c->msg.oom &&
		    memcmp(c->msg.data + m0, c->msg.data + m1 + 1, a) == 0) {
			c->msg.len = m1;
			c->msg.data[m1] = '\0';
		}
	}
	return true;
}

static bool
find_word(const char *s, size_t n, const char *w, bool icase)
{
	size_t m = strlen(w);
	for (size_t i = 0; i + m <= n; i++) {
		if ((icase ? strncasecmp(s + i, w, m) : strncmp(s + i, w, m)) != 0)
			continue;
		if ((i == 0 || !is_alnum(s[i - 1])) &&
		    (i + m == n || !is_alnum(s[i + m])))
			return true;
	}
	return false;
}

/* "STOP: 0x0000001E", "*** STOP 0x0000000A", "Stop code", a bug check
 * name. Only the start of the paste is looked at (bounded cost). */
static bool
looks_like_stop(const char *s, size_t n)
{
	size_t lim = n < 4096 ? n : 4096;
	for (size_t i = 0; i + 4 < lim; i++) {
		if (strncasecmp(s + i, "stop", 4) != 0 ||
		    (i > 0 && is_alnum(s[i - 1])))
			continue;
		size_t j = i + 4;
		while (j < lim && (s[j] == ':' || s[j] == ' ' || s[j] == '\t'))
			j++;
		if (j + 2 < lim && s[j] == '0' && (s[j + 1] == 'x' || s[j + 1] == 'X'))
			return true;
		if (j + 8 <= lim && j > i + 4 && s[j - 1] != ' ' && is_hex(s[j]) &&
		    is_hex(s[j + 7]))
			return true;
		if (strncasecmp(s + i, "stop code", 9) == 0 && i + 9 < lim)
			return true;
	}
	/* A parameter list without the word: "(0xfc4fd828, 0x00000000,
	 * 0x00000000, 0x00000000)" has full-width values, zeros among them. */
	size_t wide = 0, zeros = 0;
	for (size_t i = 0; i + 10 <= lim; i++) {
		if (s[i] != '0' || (s[i + 1] != 'x' && s[i + 1] != 'X') ||
		    (i > 0 && is_alnum(s[i - 1])))
			continue;
		size_t j = i + 2;
		while (j < lim && is_hex(s[j]))
			j++;
		if (j - i - 2 != 8 || (j < lim && is_alnum(s[j])))
			continue;
		wide++;
		if (strncmp(s + i + 2, "00000000", 8) == 0)
			zeros++;
		i = j - 1;
	}
	if (wide >= 3 && zeros >= 1)
		return true;
	if (find_word(s, lim, "bugcheck", true) ||
	    find_word(s, lim, "bug check", true))
		return true;
	for (size_t b = 0; b < sizeof bugchecks / sizeof bugchecks[0]; b++)
		if (find_word(s, lim, bugchecks[b].name, false))
			return true;
	return false;
}

/* "System error 5 has occurred.", or a prompt line "C:\>net start". */
static bool
looks_like_command(const line *lines, size_t nlines)
{
	for (size_t i = 0; i < nlines && i < 200; i++) {
		const char *s = lines[i].s;
		size_t n = lines[i].n;
		kbs__trim(&s, &n);
		if (iprefix(s, n, "system error ") && n > 13 && is_digit(s[13]))
			return true;
		if (n > 3 && isalpha((unsigned char)s[0]) && s[1] == ':' &&
		    s[2] == '\\' && memchr(s, '>', n) != NULL)
			return true;
	}
	return false;
}

/* "Source: TermService" in free text: up to the end of the line, a comma
 * or semicolon, or the next "Event". */
static void
find_source_mention(ctx *c, const char *s, size_t n)
{
	size_t lim = n < 65536 ? n : 65536;
	for (size_t i = 0; i + 7 < lim; i++) {
		if (strncasecmp(s + i, "source", 6) != 0 ||
		    (i > 0 && is_alnum(s[i - 1])))
			continue;
		size_t j = i + 6;
		while (j < lim && (s[j] == ' ' || s[j] == '\t'))
			j++;
		if (j >= lim || s[j] != ':')
			continue;
		j++;
		while (j < lim && (s[j] == ' ' || s[j] == '\t'))
			j++;
		size_t vs = j;
		while (j < lim && j - vs < 64 && s[j] != '\n' && s[j] != ',' &&
		       s[j] != ';' && !(s[j] == ' ' && j + 6 <= lim &&
		                        strncasecmp(s + j + 1, "event", 5) == 0))
			j++;
		const char *v = s + vs;
		size_t vn = j - vs;
		kbs__trim(&v, &vn);
		while (vn > 0 && (v[vn - 1] == '.' || v[vn - 1] == ')'))
			vn--;
		if (vn == 0)
			continue;
		c->p->source = kbs__arena_strndup(&c->p->arena, v, vn);
		if (c->p->source == NULL)
			c->rc = KBS_NOMEM;
		return;
	}
}

/*
 * The length of a line of chatter that introduces the message in a plain
 * paste ("user reports: ...", "getting this error, any KB? ..."), or 0: a
 * clause of 2 to 8 words ending in ':' or '?' before more text, holding a
 * word people use to talk about an error rather than one an error
 * message holds, so that "Event ID: 1003" or "Error code: 5" stay.
 */
static size_t
chatter_prefix(const char *s, size_t n)
{
	static const char *const cues[] = {
		"reports", "reported", "says", "said", "sees", "seeing", "see",
		"getting", "gets", "got", "shows", "showing", "keeps", "any",
		"hi", "hello", "team", "customer", "user", "users", "we", "i",
		"this", "our", "since", "morning", "today", "help", "pls",
		"please", "kb", "on", "the",
	};
	size_t i = 0, words = 0;
	bool cue = false;
	while (i < n && i < 80 && s[i] != '\n' && s[i] != ':' && s[i] != '?') {
		while (i < n && (s[i] == ' ' || s[i] == ','))
			i++;
		size_t w = i;
		while (i < n && isalnum((unsigned char)s[i]))
			i++;
		if (i == w) {
			if (i < n && s[i] != '\n' && s[i] != ':' && s[i] != '?' &&
			    s[i] != ' ' && s[i] != ',')
				return 0;   /* other punctuation: a message */
			continue;
		}
		words++;
		for (size_t k = 0; k < sizeof cues / sizeof *cues; k++)
			if (strlen(cues[k]) == i - w &&
			    strncasecmp(s + w, cues[k], i - w) == 0)
				cue = true;
	}
	if (i >= n || (s[i] != ':' && s[i] != '?') || words < 2 || words > 8 ||
	    !cue)
		return 0;
	size_t end = i + 1;
	if (end >= n || (s[end] != ' ' && s[end] != '\t'))
		return 0;
	while (end < n && (s[end] == ' ' || s[end] == '\t'))
		end++;
	return end < n && s[end] != '\n' ? end : 0;
}

/* ------------------------------------------------------------------ */
/* Entry points                                                        */
/* ------------------------------------------------------------------ */

kbs_status
kbs__paste_analyse(kbs__paste *out, const char *paste, size_t len)
{
	ctx c = {0};
	line *lines = NULL;
	size_t nlines = 0, textlen = 0;
	char *text = NULL;

	out->kind = "plain";
	out->event_id = -1;
	out->message = "";
	c.p = out;
	c.rc = KBS_OK;

	if (paste == NULL)
		len = 0;
	if (len > PASTE_MAX)
		len = PASTE_MAX;
	text = sanitise(paste != NULL ? paste : "", len, &textlen);
	if (text == NULL) {
		c.rc = KBS_NOMEM;
		goto done;
	}

	/* Lines. */
	size_t cap = 1;
	for (size_t i = 0; i < textlen; i++)
		if (text[i] == '\n')
			cap++;
	lines = malloc(cap * sizeof *lines);
	if (lines == NULL) {
		c.rc = KBS_NOMEM;
		goto done;
	}
	for (size_t i = 0, start = 0; i <= textlen; i++) {
		if (i == textlen || text[i] == '\n') {
			lines[nlines].s = text + start;
			lines[nlines++].n = i - start;
			start = i + 1;
		}
	}

	/* A crash report or a blue screen can come inside a message box or
	 * a log entry too: its hex values are addresses wherever it is. The
	 * kind names the layout when there is one (event XML, Event Viewer,
	 * message box), else what the text is. */
	c.crash = looks_like_crash(text, textlen);
	c.stop = !c.crash && looks_like_stop(text, textlen);
	if (!parse_eventxml(&c, lines, nlines, text, textlen) &&
	    c.rc == KBS_OK && !parse_dialog(&c, lines, nlines) &&
	    !parse_eventviewer(&c, lines, nlines)) {
		if (c.crash) {
			out->kind = "appcrash";
		} else if (c.stop) {
			out->kind = "stop";
		} else if (looks_like_command(lines, nlines)) {
			out->kind = "command";
		}
		find_source_mention(&c, text, textlen);
		if (c.crash) {
			scan_lines(&c, lines, 0, nlines);
		} else {
			size_t skip = chatter_prefix(text, textlen);
			if (skip > 0)
				add_dropped(&c, text, skip);
			blank_scaffold(&c, lines, nlines);
			scan_text(&c, text + skip, textlen - skip);
		}
	}

	if (c.rc == KBS_OK && c.msg.oom)
		c.rc = KBS_NOMEM;
	if (c.rc == KBS_OK && c.msg.len > 0) {
		char *m = kbs__arena_strndup(&out->arena, c.msg.data, c.msg.len);
		if (m == NULL)
			c.rc = KBS_NOMEM;
		else
			out->message = m;
	}

done:
	kbs__buf_free(&c.msg);
	free(lines);
	free(text);
	return c.rc;
}

void
kbs__paste_free(kbs__paste *p)
{
	if (p == NULL)
		return;
	kbs__arena_free(&p->arena);
	memset(p, 0, sizeof *p);
}
