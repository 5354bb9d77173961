/*
 * analyse.c - what a pasted error is made of: the entry point.
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
#include "paste_int.h"

#include <stdlib.h>
#include <string.h>

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
/* The chain of paste kinds                                            */
/* ------------------------------------------------------------------ */

/*
 * The readers of the paste kinds, tried in this order: the first that
 * recognises the paste reads it into the context and returns true. The
 * last one reads any text. Adding a kind means one file in paste/ with
 * its reader (declared in paste_int.h) and one line here.
 */
static kbs__pa_reader *const kinds[] = {
	kbs__pa_parse_eventxml,         /* eventxml.c: an event's XML */
	kbs__pa_parse_dialog,           /* layouts.c: a message box */
	kbs__pa_parse_eventviewer,      /* layouts.c: Event Viewer */
	kbs__pa_read_text,              /* freetext.c: anything else */
};

/* ------------------------------------------------------------------ */
/* The part of a long text worth reading                               */
/* ------------------------------------------------------------------ */

/* Words that mark the lines of a log that say what went wrong. Called
 * once per word of a megabyte paste: the length is compared first. */
static bool
error_word(const char *w, size_t n)
{
	static const struct { const char *s; size_t n; } cues[] = {
#define CUE(x) { x, sizeof x - 1 }
		CUE("error"), CUE("failed"), CUE("failure"), CUE("fails"),
		CUE("cannot"), CUE("unable"), CUE("denied"), CUE("exception"),
		CUE("fatal"), CUE("invalid"), CUE("stop"), CUE("warning"),
		CUE("critical"), CUE("crash"), CUE("abort"), CUE("violation"),
		CUE("corrupt"),
#undef CUE
	};
	if (n < 4 || n > 9)
		return false;
	/* the cues' first letters: most words are out at once */
	switch (w[0] | 0x20) {
	case 'a': case 'c': case 'd': case 'e': case 'f': case 'i':
	case 's': case 'u': case 'v': case 'w':
		break;
	default:
		return false;
	}
	for (size_t i = 0; i < sizeof cues / sizeof *cues; i++)
		if (n == cues[i].n && strncasecmp(w, cues[i].s, n) == 0)
			return true;
	return false;
}

size_t
kbs__informative_window(const char *msg, size_t len, size_t window)
{
	enum { BLOCK = 1024 };
	size_t WINDOW = window / BLOCK > 0 ? window / BLOCK : 1;
	size_t nblocks = (len + BLOCK - 1) / BLOCK;
	unsigned *score = calloc(nblocks, sizeof *score);
	if (score == NULL)
		return 0;
	for (size_t i = 0; i < len; ) {
		if (!isalpha((unsigned char)msg[i])) {
			i++;
			continue;
		}
		size_t j = i;
		while (j < len && isalpha((unsigned char)msg[j]))
			j++;
		if (error_word(msg + i, j - i))
			score[i / BLOCK]++;
		i = j;
	}
	size_t best = 0;
	unsigned sum = 0, bestsum = 0;
	for (size_t b = 0; b < nblocks; b++) {
		sum += score[b];
		if (b >= WINDOW)
			sum -= score[b - WINDOW];
		size_t first = b + 1 >= WINDOW ? b + 1 - WINDOW : 0;
		if (sum > bestsum) {
			bestsum = sum;
			best = first;
		}
	}
	free(score);
	return best * BLOCK;
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
	/* A longer paste is a log or a dump: its PASTE_MAX bytes with the
	 * most error words are read (at a line's start), the rest is not a
	 * query any more */
	if (len > PASTE_MAX) {
		size_t start = kbs__informative_window(paste, len, PASTE_MAX);
		while (start > 0 && start < len && paste[start - 1] != '\n')
			start++;
		paste += start;
		len -= start;
		if (len > PASTE_MAX)
			len = PASTE_MAX;
	}
	text = sanitise(paste != NULL ? paste : "", len, &textlen);
	if (text == NULL) {
		c.rc = KBS_NOMEM;
		goto done;
	}

	/* The inserts of event messages (volatile.c), blanked in place
	 * before any kind reads the text. */
	kbs__pa_drop_inserts(&c, text, textlen);

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
	c.crash = kbs__pa_looks_like_crash(text, textlen);
	c.stop = !c.crash && kbs__pa_looks_like_stop(text, textlen);
	for (size_t k = 0; k < sizeof kinds / sizeof kinds[0] &&
	                   c.rc == KBS_OK; k++)
		if (kinds[k](&c, lines, nlines, text, textlen))
			break;

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
