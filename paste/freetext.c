/*
 * freetext.c - a paste without a layout of its own: a crash report, a
 * STOP screen, command output, or a message with a line of chatter around
 * it. The last kind in the chain of analyse.c: it reads any paste.
 */
#include "paste_int.h"

#include <string.h>

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

/* When the word w (any case, n bytes) starts at s[i], not inside a word,
 * the index after it and after the bytes of skip that follow; else 0. */
static size_t
after_word(const char *s, size_t lim, size_t i, const char *w, size_t n,
           const char *skip)
{
	if (i + n > lim || strncasecmp(s + i, w, n) != 0 ||
	    (i > 0 && is_alnum(s[i - 1])))
		return 0;
	size_t j = i + n;
	while (j < lim && s[j] != '\0' && strchr(skip, s[j]) != NULL)
		j++;
	return j;
}

/* "STOP: 0x0000001E", "*** STOP 0x0000000A", "Stop code", a bug check
 * name. Only the start of the paste is looked at (bounded cost). */
bool
kbs__pa_looks_like_stop(const char *s, size_t n)
{
	size_t lim = n < 4096 ? n : 4096;
	for (size_t i = 0; i + 4 < lim; i++) {
		size_t j = after_word(s, lim, i, "stop", 4, ": \t");
		if (j == 0)
			continue;
		if (j + 2 < lim && s[j] == '0' && (s[j + 1] == 'x' || s[j + 1] == 'X'))
			return true;
		/* "STOP: c000021a", "STOP:0000001E": eight hex digits
		 * after a colon (Windows NT's own STOP screen) */
		if (j + 8 <= lim && memchr(s + i + 4, ':', j - i - 4) != NULL &&
		    is_hex(s[j]) && is_hex(s[j + 7]) &&
		    (j + 8 == lim || !is_alnum(s[j + 8])))
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
	const char *name;
	for (size_t b = 0; (name = kbs__bugcheck_name(b)) != NULL; b++)
		if (find_word(s, lim, name, false))
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
		size_t j = after_word(s, lim, i, "source", 6, " \t");
		if (j == 0 || j >= lim || s[j] != ':')
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

/* Is s[0..n) one of the words in list, any case? */
static bool
word_in(const char *const *list, const char *s, size_t n)
{
	for (size_t k = 0; list[k] != NULL; k++)
		if (strlen(list[k]) == n && strncasecmp(s, list[k], n) == 0)
			return true;
	return false;
}

/*
 * The length of a lead-in that points at the message with "the
 * following" and no colon ("Hi team, seeing the following after reboot
 * ...", "I get the following error when booting ..."), or 0: up to 8
 * words holding a word people use to talk about what they see, then "the
 * following", an optional "error" or "message", an optional clause of a
 * preposition and one word, and an optional colon. A message's own "due
 * to the following error" has no such word before it and stays.
 */
static size_t
following_prefix(const char *s, size_t n)
{
	static const char *const cues[] = {
		"seeing", "see", "sees", "saw", "getting", "get", "gets", "got",
		"hi", "hello", "team", "customer", "user", "users", "we", "i",
		"keeps", "keep", "receive", "receiving", "received", NULL
	};
	static const char *const nouns[] = {
		"error", "errors", "message", "messages", "error:", "message:",
		NULL
	};
	static const char *const preps[] = {
		"after", "when", "on", "during", "since", "at", "while", NULL
	};
	size_t i = 0, words = 0, w, wn;
	bool cue = false;
#define NEXT_WORD() do { \
		while (i < n && (s[i] == ' ' || s[i] == ',' || s[i] == '\t')) \
			i++; \
		w = i; \
		while (i < n && !is_space(s[i]) && s[i] != ',') \
			i++; \
		wn = i - w; \
	} while (0)
	for (;;) {
		NEXT_WORD();
		if (wn == 0 || words++ >= 8 || i >= n)
			return 0;
		if (wn == 3 && strncasecmp(s + w, "the", 3) == 0) {
			size_t save = i;
			NEXT_WORD();
			if (wn == 9 && strncasecmp(s + w, "following", 9) == 0)
				break;
			i = save;
		}
		if (word_in(cues, s + w, wn))
			cue = true;
	}
	if (!cue)
		return 0;
	size_t end = i, save = i;
	NEXT_WORD();
	if (wn > 0 && word_in(nouns, s + w, wn)) {
		end = i;
		save = i;
		NEXT_WORD();
	}
	if (wn > 0 && word_in(preps, s + w, wn)) {
		NEXT_WORD();
		if (wn > 0 && wn < 20)
			end = i;
	} else {
		i = save;
	}
#undef NEXT_WORD
	while (end < n && (s[end] == ':' || s[end] == ' ' || s[end] == '\t'))
		end++;
	return end < n && s[end] != '\n' ? end : 0;
}

/*
 * The length of a one-line lead-in before a message quoted to the end of
 * the paste ("When trying to start the service, I get this error:
 * \"Error 1053: ...\"", "the log says: \"...\""), up to the opening
 * quote, or 0: a clause of at least two words, ending in a colon, without
 * digits (an event ID, a code or a version in it stays), then a straight
 * or curly double quote whose match closes the paste.
 */
static size_t
quoted_prefix(const char *s, size_t n, size_t *lead)
{
	while (n > 0 && is_space(s[n - 1]))
		n--;
	bool curly = n >= 3 && memcmp(s + n - 3, "\xe2\x80\x9d", 3) == 0;
	if (!curly && (n == 0 || s[n - 1] != '"'))
		return 0;
	size_t words = 0, i = 0;
	bool in_word = false;
	for (; i < n && i < 200; i++) {
		if (s[i] == '\n' || is_digit(s[i]))
			return 0;
		if (s[i] == ':')
			break;
		if (is_alnum(s[i]) && !in_word)
			words++;
		in_word = is_alnum(s[i]);
	}
	if (i >= n || i >= 200 || words < 2)
		return 0;
	size_t q = i + 1;
	while (q < n && (s[q] == ' ' || s[q] == '\t'))
		q++;
	size_t open = curly ? 3 : 1;
	if (q + open + 10 > n - open ||
	    (curly ? memcmp(s + q, "\xe2\x80\x9c", 3) != 0 : s[q] != '"'))
		return 0;
	*lead = i + 1;
	return q + open;
}

bool
kbs__pa_read_text(ctx *c, const line *lines, size_t nlines, const char *text,
                  size_t textlen)
{
	if (c->crash)
		c->p->kind = "appcrash";
	else if (c->stop)
		c->p->kind = "stop";
	else if (looks_like_command(lines, nlines))
		c->p->kind = "command";
	find_source_mention(c, text, textlen);
	if (c->crash) {
		kbs__pa_scan_lines(c, lines, 0, nlines);
	} else {
		size_t skip = chatter_prefix(text, textlen), lead = 0;
		if (skip == 0)
			skip = following_prefix(text, textlen);
		if (skip == 0)
			skip = quoted_prefix(text, textlen, &lead);
		if (skip > 0)
			kbs__pa_add_dropped(c, text, lead > 0 ? lead : skip);
		kbs__pa_blank_scaffold(c, lines, nlines);
		kbs__pa_scan_text(c, text + skip, textlen - skip);
	}
	return true;
}
