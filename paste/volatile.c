/*
 * volatile.c - parts of a paste that change from one occurrence of
 * an error to the next: GUIDs, dates, times, addresses, names.
 */
#include "paste_int.h"

#include <string.h>

/* ------------------------------------------------------------------ */
/* Volatile parts                                                      */
/* ------------------------------------------------------------------ */

/* {8-4-4-4-12} with or without braces. */
bool
kbs__pa_is_guid(const char *s, size_t n)
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
bool
kbs__pa_is_time(const char *s, size_t n)
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

bool
kbs__pa_is_ampm(const char *s, size_t n)
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

bool
kbs__pa_in_list(const char *const *list, const char *s, size_t n)
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
	if (kbs__pa_in_list(tlds, s + last, n - last))
		return true;
	/* Three labels or more: a host in a domain, unless it ends like a
	 * file ("Microsoft.Exchange.Data.dll"). */
	return labels >= 3 && (ieq(s + last, n - last, "com") ||
	                       !kbs__file_ext_known(s + last, n - last)) &&
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
bool
kbs__pa_is_segoff(const char *s, size_t n)
{
	if (n != 13 || s[4] != ':')
		return false;
	for (size_t i = 0; i < n; i++)
		if (i != 4 && !is_hex(s[i]))
			return false;
	return true;
}

/* Only hex digits, optionally after 0x; at least one digit. */
bool
kbs__pa_all_hex(const char *s, size_t n)
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
bool
kbs__pa_is_register(const char *s, size_t n)
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

/* A GUID, a SID, a date, an IPv4 or MAC address, an e-mail address or a
 * host name with its domain: what changes from one occurrence of an error
 * to the next. */
bool
kbs__pa_is_volatile(const char *s, size_t n)
{
	return kbs__pa_is_guid(s, n) || is_sid(s, n) ||
	       is_date(s, n) || is_ipv4(s, n) ||
	       is_mac(s, n) || is_email(s, n) ||
	       is_fqdn(s, n);
}

/* ------------------------------------------------------------------ */
/* Inserts of event messages                                           */
/* ------------------------------------------------------------------ */

/*
 * An event's description is a message template of its source with
 * inserts (%1, %2 in the source's message file): the same event says
 * "The Hello Server service failed to start" on one machine and "The
 * Spooler service..." on another, and Windows 10 words an old event with
 * a dump path and a report id that no article of the archive holds. The
 * inserts below change from one occurrence to the next while the
 * template is what articles quote, so they go to dropped like dates and
 * computer names. Each entry is the template's text before the insert,
 * what the insert is, and the text after it (none: the insert is one
 * word). Only inserts that name something local are listed: a service
 * name (also taken out where the description repeats it, as in "%1 is
 * not a valid Win32 application"), the bug check of the BugCheck / Save
 * Dump event with its parameter list (the articles that quote the event
 * quote it with other bug checks; one that names the same STOP code is
 * about the blue screen, not about the event), the dump file's path and
 * Windows Error Reporting's report id.
 */
enum insert { I_NAME, I_BUGCHECK, I_WORD, I_LABELLED_WORD };

static const struct {
	const char *before;
	enum insert what;
	const char *after;
} inserts[] = {
	{ "The ", I_NAME, " service failed to start due to the following error" },
	{ "The ", I_NAME, " service terminated unexpectedly" },
	{ "The ", I_NAME, " service terminated with the following error" },
	{ "The ", I_NAME, " service hung on starting" },
	{ "while waiting for the ", I_NAME, " service to connect" },
	{ "The bugcheck was: ", I_BUGCHECK, NULL },
	{ "A dump was saved in: ", I_WORD, NULL },
	{ "Report Id: ", I_LABELLED_WORD, NULL },
};

/* Longest insert read, in bytes, and how far into a paste inserts are
 * looked for (a description is near the start; bounded cost). */
#define INSERT_MAX 64
#define INSERT_SCAN 65536

/* Does lit match s at i, any case, a space in lit matching one or more
 * blanks or line breaks? The index after the match, else 0. */
static size_t
match_lit(const char *s, size_t n, size_t i, const char *lit)
{
	for (; *lit != '\0'; lit++) {
		if (*lit == ' ') {
			size_t j = i;
			while (j < n && is_space(s[j]))
				j++;
			if (j == i)
				return 0;
			i = j;
		} else if (i >= n || tolower((unsigned char)s[i]) !=
		                     tolower((unsigned char)*lit)) {
			return 0;
		} else {
			i++;
		}
	}
	return i;
}

/* Blank s[a..b) after keeping it in dropped. */
static void
drop_span(ctx *c, char *s, size_t a, size_t b)
{
	kbs__pa_add_dropped(c, s + a, b - a);
	memset(s + a, ' ', b - a);
}

/* Take a service name out of the rest of the paste too, where it stands
 * as words: case matters, as for computer names. */
static void
drop_name_again(ctx *c, char *s, size_t n, size_t from, const char *name,
                size_t m)
{
	for (size_t i = from; i + m <= n; i++)
		if (s[i] == name[0] && memcmp(s + i, name, m) == 0 &&
		    (i == 0 || !is_alnum(s[i - 1])) &&
		    (i + m == n || !is_alnum(s[i + m])))
			drop_span(c, s, i, i + m);
}

/* The end of the insert that starts at s[i], or 0 if it is not one. */
static size_t
insert_end(const char *s, size_t n, size_t i, enum insert what,
           const char *after)
{
	size_t j = i;
	switch (what) {
	case I_NAME:
		for (; j < n && j - i <= INSERT_MAX && s[j] != '\n'; j++)
			if (j > i && match_lit(s, n, j, after) > 0)
				return j;
		return 0;
	case I_BUGCHECK: {
		uint32_t v;
		while (j < n && j - i < 18 && is_alnum(s[j]))
			j++;
		if (!kbs__code_parse(&v, s + i, j - i))
			return 0;
		size_t k = j;
		while (k < n && (s[k] == ' ' || s[k] == '\t'))
			k++;
		if (k < n && s[k] == '(') {
			for (size_t e = k; e < n && e - k < 4 * INSERT_MAX; e++)
				if (s[e] == ')')
					return e + 1;
		}
		return j;
	}
	case I_WORD:
	case I_LABELLED_WORD:
		while (j < n && j - i < 4 * INSERT_MAX && !is_space(s[j]))
			j++;
		while (j > i && strchr(".,;", s[j - 1]) != NULL)
			j--;
		return j;
	}
	return 0;
}

void
kbs__pa_drop_inserts(ctx *c, char *s, size_t n)
{
	size_t lim = n < INSERT_SCAN ? n : INSERT_SCAN;
	int names = 0;      /* each name costs a pass: at most MAX_NAMES */
	for (size_t e = 0; e < sizeof inserts / sizeof *inserts; e++) {
		for (size_t i = 0; i < lim && c->rc == KBS_OK; i++) {
			if (i > 0 && is_alnum(s[i - 1]))
				continue;
			size_t a = match_lit(s, lim, i, inserts[e].before);
			if (a == 0 || a >= lim)
				continue;
			size_t b = insert_end(s, lim, a, inserts[e].what,
			                      inserts[e].after);
			if (b <= a)
				continue;
			if (inserts[e].what == I_NAME && names >= MAX_NAMES) {
				i = b;
				continue;
			}
			if (inserts[e].what == I_NAME) {
				char name[INSERT_MAX + 2];
				names++;
				size_t m = b - a;
				memcpy(name, s + a, m);
				kbs__pa_add_context(c, s + a, m);
				drop_span(c, s, a, b);
				drop_name_again(c, s, lim, b, name, m);
			} else {
				/* the label of a field Windows 10 added goes
				 * too, the value alone to dropped */
				drop_span(c, s, a, b);
				if (inserts[e].what == I_LABELLED_WORD)
					memset(s + i, ' ', a - i);
			}
			i = b;
		}
	}
}
