/*
 * paste_int.h - what the files of paste/ share: the analysis context,
 * the lines of a paste, small character tests, and the functions one file
 * offers the others. Nothing outside paste/ includes it.
 */
#ifndef KBS_PASTE_INT_H
#define KBS_PASTE_INT_H

#include "private.h"
#include "paste.h"
#include "recognise.h"

#include <ctype.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <strings.h>

/* Beyond this many bytes only the window of a paste with the most error
 * words is analysed (kbs__informative_window()): a megabyte of log is
 * not a search query any more, and each pass of the analysis is linear
 * in what it reads (a 1 MB paste cost 40 to 60 ms, its analysis most of
 * it; the bound is 50 ms). */
#define PASTE_MAX ((size_t)256 << 10)

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
	char prev2[16];         /* the one before it */
	bool prev_colon;        /* ... and it ended with a colon */
	const char *names[MAX_NAMES];
	size_t namelen[MAX_NAMES];
	int nnames;
} ctx;

/* ------------------------------------------------------------------ */
/* Small helpers                                                       */
/* ------------------------------------------------------------------ */

static inline bool
is_space(int c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' ||
	       c == '\v';
}

static inline bool
is_hex(int c)
{
	return isxdigit((unsigned char)c) != 0;
}

static inline bool
is_digit(int c)
{
	return c >= '0' && c <= '9';
}

static inline bool
is_alnum(int c)
{
	return isalnum((unsigned char)c) != 0;
}

static inline bool
ieq(const char *s, size_t n, const char *lit)
{
	size_t m = strlen(lit);
	return n == m && strncasecmp(s, lit, n) == 0;
}

static inline bool
iprefix(const char *s, size_t n, const char *lit)
{
	size_t m = strlen(lit);
	return n >= m && strncasecmp(s, lit, m) == 0;
}

/* Read digits at s[*i..n); returns how many, value in *v (saturating). */
static inline size_t
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

/* codes.c */
/* W_ADDRESS is kept apart from W_TEXT so that an address is never read
 * as a code; both stay words of the message. */
enum word_class { W_TEXT, W_CODE, W_ADDRESS };
enum word_class kbs__pa_classify_number(const ctx *c, const char *s, size_t n,
                                        uint32_t *v);
void kbs__pa_scan_files(ctx *c, const char *s, size_t n);

/* crash.c */
void kbs__pa_blank_scaffold(ctx *c, const line *lines, size_t nlines);
bool kbs__pa_contains(const char *s, size_t n, const char *lit);
bool kbs__pa_looks_like_crash(const char *s, size_t n);
void kbs__pa_scan_block(ctx *c, const char *s, size_t n);
void kbs__pa_scan_line(ctx *c, const char *s, size_t n);
void kbs__pa_scan_lines(ctx *c, const line *lines, size_t from, size_t to);

/* freetext.c */
bool kbs__pa_looks_like_stop(const char *s, size_t n);

/* volatile.c */
bool kbs__pa_all_hex(const char *s, size_t n);
bool kbs__pa_in_list(const char *const *list, const char *s, size_t n);
bool kbs__pa_is_ampm(const char *s, size_t n);
bool kbs__pa_is_guid(const char *s, size_t n);
bool kbs__pa_is_register(const char *s, size_t n);
bool kbs__pa_is_segoff(const char *s, size_t n);
bool kbs__pa_is_time(const char *s, size_t n);
bool kbs__pa_is_volatile(const char *s, size_t n);
void kbs__pa_drop_inserts(ctx *c, char *s, size_t n);

/* words.c */
void kbs__pa_add_code(ctx *c, uint32_t v);
void kbs__pa_add_dropped(ctx *c, const char *s, size_t n);
void kbs__pa_add_file(ctx *c, const char *s, size_t n);
void kbs__pa_add_context(ctx *c, const char *s, size_t n);
void kbs__pa_add_name(ctx *c, const char *s, size_t n);
void kbs__pa_emit(ctx *c, const char *s, size_t n, bool glue);
bool kbs__pa_known_name(const ctx *c, const char *s, size_t n);
void kbs__pa_scan_text(ctx *c, const char *text, size_t n);

/*
 * A paste kind's reader: when the paste (lines[0..nlines) of text[0..
 * textlen), sanitised) has this kind's layout, read it into c (kind,
 * message, evidence) and return true; else leave c as it was and return
 * false. The chain in analyse.c tries them in turn.
 */
typedef bool kbs__pa_reader(ctx *c, const line *lines, size_t nlines,
                            const char *text, size_t textlen);
kbs__pa_reader kbs__pa_parse_eventxml;  /* eventxml.c */
kbs__pa_reader kbs__pa_parse_dialog;    /* layouts.c */
kbs__pa_reader kbs__pa_parse_eventviewer; /* layouts.c */
kbs__pa_reader kbs__pa_read_text;       /* freetext.c */

#endif
