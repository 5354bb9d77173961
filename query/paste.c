/*
 * paste.c - what a pasted error is made of.
 *
 * Support engineers paste whatever they have: an Event Viewer "copy
 * details" block, a message box copied with Ctrl+C, a blue screen, the
 * output of a command, or a line of chat around the message. Ranking works
 * best on the message words alone plus the exact evidence (event ID and
 * source, error codes, file names, KB ids), so this file recognises the
 * layout, keeps the message in its original word order, and removes what
 * changes from one occurrence of the same error to the next: dates, times,
 * computer and user names, GUIDs, addresses. Those go to dropped, as
 * pasted, so that the caller can show what was left out.
 *
 * The analysis is a few linear passes over a sanitised copy of the input:
 * lines first (layout), then whitespace-separated words (volatile parts,
 * codes, files, KB ids). No pass looks further than a bounded distance
 * from where it stands, so a paste of n bytes costs O(n).
 */
#include "private.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

/* Beyond this many bytes only the start of a paste is analysed: the
 * message and the headers come first, and a megabyte of log is not a
 * search query any more. */
#define PASTE_MAX ((size_t)1 << 20)

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
	bool before_list;       /* the current word is followed by "(" */
	char prev[16];          /* previous word with letters, lowercased */
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

static void
trim(const char **s, size_t *n)
{
	while (*n > 0 && is_space((unsigned char)**s)) {
		(*s)++;
		(*n)--;
	}
	while (*n > 0 && is_space((unsigned char)(*s)[*n - 1]))
		(*n)--;
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
	trim(&s, &n);
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
	trim(&s, &n);
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

/* ------------------------------------------------------------------ */
/* Codes                                                               */
/* ------------------------------------------------------------------ */

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
 * "error code 5", "rc = 13", "status 5". */
static bool
code_context(const char *prev)
{
	static const char *const words[] = {
		"error", "err", "code", "rc", "errorcode", "status", "errno",
		"hr", "hresult", "ntstatus", "result", "returned", "failed",
		"with", "exception", "violation", "win32", NULL
	};
	for (size_t i = 0; words[i] != NULL; i++)
		if (strcmp(prev, words[i]) == 0)
			return true;
	return false;
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
			if (h[0] != '8' && h[0] != 'c' && h[0] != 'C')
				return c->stop && letters ? W_ADDRESS : W_TEXT;
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
			if (x < 0x10000)
				return W_TEXT;
			return W_ADDRESS;
		}
		if (hex0x && hn >= 6 && address_context(c->prev) &&
		    !ntstatus_like(x) && (x >> 16) != 0x8007)
			return W_ADDRESS;
		/* Zero is success, not an error; a short value such as a
		 * "0x18" in a network trace is a code only after "error". */
		if (x == 0 || (x < 0x10000 && hn < 8 && !code_context(c->prev)))
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
			if (nd >= 5 || code_context(c->prev)) {
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
		if (x != 0 && x <= 0xFFFF && code_context(c->prev)) {
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

static void
set_prev(ctx *c, const char *s, size_t n)
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
	            known_name(c, k, kn);
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
		set_prev(c, k, (size_t)(eq - k));
		num = eq + 1;
		numn = kn - (size_t)(num - k);
	}
	uint32_t v;
	const char *after = w + wn, *end = text + n;
	if (after < end && *after == ' ')
		after++;
	c->before_list = after < end && (*after == '(' || *after == '{');
	enum word_class wc = classify_number(c, num, numn, &v);
	if (wc == W_ADDRESS) {
		add_dropped(c, num, numn);
		if (num > k)
			emit(c, w, (size_t)(num - w), !first);
		emit_tail(c, w, wn);
		return;
	}
	if (wc == W_CODE)
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
		set_prev(c, k, kn);
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
		trim(val, valn);
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

static void
scan_lines(ctx *c, const line *lines, size_t from, size_t to)
{
	for (size_t i = from; i < to; i++)
		scan_text(c, lines[i].s, lines[i].n);
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
		trim(&s, &n);
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
			scan_text(c, lines[i].s, lines[i].n);
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

	if (desc < nlines) {
		/* The description: text on the Description: line itself and
		 * every line after it, up to a Data: or Event Xml: section. */
		for (size_t i = desc + 1; i < nlines; i++) {
			enum hdr h = header_of(&lines[i], &val, &valn);
			if (h == H_DATA) {
				data = i;
				break;
			}
		}
		header_of(&lines[desc], &val, &valn);
		scan_text(c, val, valn);
		scan_lines(c, lines, desc + 1, data);
	} else {
		/* Loose form: whatever is not a header line. */
		for (size_t i = 0; i < nlines; i++)
			if (header_of(&lines[i], &val, &valn) == H_NONE)
				scan_text(c, lines[i].s, lines[i].n);
	}
	return true;
}

/* Bug check names common enough to recognise a STOP screen without the
 * word STOP. */
static const char *const bugchecks[] = {
	"IRQL_NOT_LESS_OR_EQUAL", "DRIVER_IRQL_NOT_LESS_OR_EQUAL",
	"KMODE_EXCEPTION_NOT_HANDLED", "INACCESSIBLE_BOOT_DEVICE",
	"UNEXPECTED_KERNEL_MODE_TRAP", "PAGE_FAULT_IN_NONPAGED_AREA",
	"KERNEL_DATA_INPAGE_ERROR", "NTFS_FILE_SYSTEM", "FAT_FILE_SYSTEM",
	"DATA_BUS_ERROR", "NO_MORE_SYSTEM_PTES", "SYSTEM_SERVICE_EXCEPTION",
	"UNMOUNTABLE_BOOT_VOLUME", "CRITICAL_PROCESS_DIED",
	"SYSTEM_THREAD_EXCEPTION_NOT_HANDLED", "BAD_POOL_HEADER",
	"BAD_POOL_CALLER", "MULTIPLE_IRP_COMPLETE_REQUESTS",
	"PFN_LIST_CORRUPT", "KERNEL_STACK_INPAGE_ERROR", "STATUS_SYSTEM_PROCESS_TERMINATED",
	"DRIVER_POWER_STATE_FAILURE", "MACHINE_CHECK_EXCEPTION",
	"WHEA_UNCORRECTABLE_ERROR", "DPC_WATCHDOG_VIOLATION",
	"KERNEL_SECURITY_CHECK_FAILURE", "DRIVER_CORRUPTED_EXPOOL",
	"INVALID_PROCESS_ATTACH_ATTEMPT", "PROCESS1_INITIALIZATION_FAILED",
	"PHASE1_INITIALIZATION_FAILED", "SESSION3_INITIALIZATION_FAILED",
	NULL
};

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
	for (size_t b = 0; bugchecks[b] != NULL; b++)
		if (find_word(s, lim, bugchecks[b], false))
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
		trim(&s, &n);
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
		trim(&v, &vn);
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

	/* A blue screen can come inside a message box or a log entry too:
	 * its hex values are addresses wherever it is. */
	c.stop = looks_like_stop(text, textlen);
	if (!parse_dialog(&c, lines, nlines) &&
	    !parse_eventviewer(&c, lines, nlines)) {
		if (c.stop) {
			out->kind = "stop";
		} else if (looks_like_command(lines, nlines)) {
			out->kind = "command";
		}
		find_source_mention(&c, text, textlen);
		scan_text(&c, text, textlen);
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
