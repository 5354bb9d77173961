/*
 * decode.c - turning file bytes into UTF-8 text.
 *
 * KB articles come as ASCII, UTF-8 (sometimes with a BOM), UTF-16 from
 * Windows tools, Windows-1252 from old web scrapes and code page 437 from
 * MS-DOS era files. Everything the parsers see is UTF-8 with LF line
 * endings; legacy bytes go through iconv so that non-ASCII words are
 * searchable.
 *
 * Which legacy charset a text is in is uchardet's answer (the charset
 * detector of Mozilla's universal detector, as packaged by freedesktop),
 * with two exceptions measured on the KB archive, whose 175 files that
 * are not UTF-8 are English with a few Windows-1252 symbols (108 of them
 * a no-break space, 0xA0): with so few non-ASCII bytes uchardet has too
 * little to go on and answered BIG5, VISCII, ISO-8859-10 or
 * WINDOWS-1250 for some of them, so a text whose non-ASCII bytes are
 * under 2% of it, or that uchardet places in a Latin-script charset, is
 * read as Windows-1252, the WHATWG Encoding Standard's default for
 * Western text (and its reading of ISO-8859-1); and code page 437, which
 * detectors do not know, is recognised by what only it has: a run of box
 * drawing (0xC4, 0xCD, 0xB3, 0xBA three times in a row: "═══") or bytes
 * Windows-1252 leaves undefined (0x81 is CP437's "ü": "\x81bermittelt").
 */
#include "indexer.h"

#include <errno.h>
#include <iconv.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <uchardet.h>

#include "lazy.h"

uint64_t
kbs__hash64(const void *data, size_t len)
{
	const unsigned char *p = data;
	uint64_t h = 0xcbf29ce484222325ull;      /* FNV-1a offset basis */
	for (size_t i = 0; i < len; i++) {
		h ^= p[i];
		h *= 0x100000001b3ull;               /* FNV-1a prime */
	}
	return h;
}

/* Length of the valid UTF-8 sequence at p, or 0 (RFC 3629 rules: no
 * overlongs, no surrogates, nothing above U+10FFFF). */
static size_t
utf8_seq(const unsigned char *p, size_t avail)
{
	unsigned c = p[0];
	if (c < 0x80)
		return 1;
	if (c >= 0xC2 && c <= 0xDF && avail >= 2 && (p[1] & 0xC0) == 0x80)
		return 2;
	if (c >= 0xE0 && c <= 0xEF && avail >= 3 &&
	    (p[1] & 0xC0) == 0x80 && (p[2] & 0xC0) == 0x80) {
		if (c == 0xE0 && p[1] < 0xA0)
			return 0;
		if (c == 0xED && p[1] >= 0xA0)
			return 0;
		return 3;
	}
	if (c >= 0xF0 && c <= 0xF4 && avail >= 4 && (p[1] & 0xC0) == 0x80 &&
	    (p[2] & 0xC0) == 0x80 && (p[3] & 0xC0) == 0x80) {
		if (c == 0xF0 && p[1] < 0x90)
			return 0;
		if (c == 0xF4 && p[1] >= 0x90)
			return 0;
		return 4;
	}
	return 0;
}

static bool
valid_utf8(const char *s, size_t len)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0;
	while (i < len) {
		if (p[i] < 0x80) {
			i++;
			continue;
		}
		size_t n = utf8_seq(p + i, len - i);
		if (n == 0)
			return false;
		i += n;
	}
	return true;
}

static kbs_status
convert(char **out, size_t *outlen, const char *from, const char *raw,
        size_t len, const char **reason)
{
	iconv_t cd = iconv_open("UTF-8", from);
	if (cd == (iconv_t)-1) {
		*reason = "character set not supported";
		return KBS_PARSE;
	}
	size_t cap = len * 3 + 4;     /* UTF-8 needs at most 3 bytes per
	                                 Windows-1252 byte or UTF-16 unit */
	char *buf = malloc(cap + 1);
	if (buf == NULL) {
		iconv_close(cd);
		return KBS_NOMEM;
	}
	char *in = (char *)raw, *o = buf;
	size_t inleft = len, outleft = cap;
	while (inleft > 0) {
		if (iconv(cd, &in, &inleft, &o, &outleft) != (size_t)-1)
			break;
		if (errno == E2BIG || outleft < 4)
			break;
		/* A byte with no mapping (0x81 in Windows-1252, a lone
		 * surrogate in UTF-16): write U+FFFD's stand-in and go on. */
		*o++ = '?';
		outleft--;
		in++;
		inleft--;
	}
	iconv_close(cd);
	*o = '\0';
	*out = buf;
	*outlen = (size_t)(o - buf);
	return KBS_OK;
}

/* Does legacy text carry what only code page 437 has? */
static bool
cp437_signs(const unsigned char *u, size_t len, bool latin)
{
	for (size_t i = 0; i < len; i++) {
		unsigned c = u[i];
		if (c < 0x80)
			continue;
		/* undefined in Windows-1252; other charsets (Cyrillic, CJK)
		 * use them, so only for text read as Latin script */
		if (latin && (c == 0x81 || c == 0x8D || c == 0x8F ||
		              c == 0x90 || c == 0x9D))
			return true;
		if ((c == 0xC4 || c == 0xCD || c == 0xB3 || c == 0xBA) &&
		    i + 2 < len && u[i + 1] == c && u[i + 2] == c)
			return true;
	}
	return false;
}

/* Is the charset uchardet named one of Latin script, which Western
 * text with a few symbols is mistaken for? */
static bool
latin_script(const char *cs)
{
	static const char *const latin[] = {
		"ISO-8859-1", "ISO-8859-2", "ISO-8859-3", "ISO-8859-4",
		"ISO-8859-9", "ISO-8859-10", "ISO-8859-13", "ISO-8859-14",
		"ISO-8859-15", "ISO-8859-16", "WINDOWS-1250", "WINDOWS-1252",
		"WINDOWS-1254", "WINDOWS-1257", "WINDOWS-1258", "IBM852",
		"MAC-CENTRALEUROPE", "MAC-ROMAN", "VISCII",
	};
	for (size_t i = 0; i < sizeof latin / sizeof *latin; i++)
		if (strcasecmp(cs, latin[i]) == 0)
			return true;
	return false;
}

/* The charset to read legacy text raw[0..len) with, into cs. */
static void
legacy_charset(char *cs, size_t cssz, const char *raw, size_t len)
{
	const unsigned char *u = (const unsigned char *)raw;
	size_t high = 0;
	for (size_t i = 0; i < len; i++)
		high += u[i] >= 0x80;
	const char *name = "";
	/* without uchardet (not installed): the Latin-script guess */
	uchardet_t ud = kbs__uchardet_load() ? uchardet_new() : NULL;
	if (ud != NULL && uchardet_handle_data(ud, raw, len) == 0) {
		uchardet_data_end(ud);
		name = uchardet_get_charset(ud);
	}
	bool latin = name[0] == '\0' || strcasecmp(name, "ASCII") == 0 ||
	             high * 50 < len || latin_script(name);
	if (cp437_signs(u, len, latin))
		snprintf(cs, cssz, "CP437");
	else if (latin)
		snprintf(cs, cssz, "WINDOWS-1252");
	else
		snprintf(cs, cssz, "%s", name);
	if (ud != NULL)
		uchardet_delete(ud);
}

kbs_status
kbs__decode(char **out, size_t *outlen, const char *raw, size_t len,
            char *charset, size_t charsetsz, const char **reason)
{
	const unsigned char *u = (const unsigned char *)raw;
	char *text = NULL, cs[32] = "UTF-8";
	size_t n = 0;
	kbs_status rc;

	*out = NULL;
	*reason = NULL;
	if (len >= 2 && ((u[0] == 0xFF && u[1] == 0xFE) ||
	                 (u[0] == 0xFE && u[1] == 0xFF))) {
		snprintf(cs, sizeof cs, "UTF-16");
		rc = convert(&text, &n, "UTF-16", raw, len, reason);
	} else {
		if (len >= 3 && u[0] == 0xEF && u[1] == 0xBB && u[2] == 0xBF) {
			raw += 3;
			len -= 3;
		}
		if (memchr(raw, '\0', len) != NULL) {
			*reason = "binary file (contains NUL bytes)";
			return KBS_PARSE;
		}
		if (valid_utf8(raw, len)) {
			text = malloc(len + 1);
			if (text == NULL)
				return KBS_NOMEM;
			memcpy(text, raw, len);
			text[len] = '\0';
			n = len;
			rc = KBS_OK;
		} else {
			legacy_charset(cs, sizeof cs, raw, len);
			rc = convert(&text, &n, cs, raw, len, reason);
			if (rc == KBS_PARSE) {
				/* a name iconv does not know */
				snprintf(cs, sizeof cs, "WINDOWS-1252");
				rc = convert(&text, &n, cs, raw, len, reason);
			}
		}
	}
	if (rc != KBS_OK)
		return rc;
	if (charset != NULL)
		snprintf(charset, charsetsz, "%s", cs);

	/* CRLF and lone CR to LF; other control bytes except TAB and FF to
	 * spaces, so parsers see plain lines. */
	size_t j = 0, ctrl = 0;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)text[i];
		if (c == '\r') {
			if (i + 1 < n && text[i + 1] == '\n')
				continue;
			c = '\n';
		} else if (c == '\0' || (c < 0x20 && c != '\n' && c != '\t' &&
		                         c != '\f')) {
			ctrl++;
			c = ' ';
		}
		text[j++] = (char)c;
	}
	text[j] = '\0';
	if (ctrl > 0 && ctrl * 10 > j) {
		free(text);
		*reason = "binary file (mostly control bytes)";
		return KBS_PARSE;
	}
	size_t k = 0;
	while (k < j && (text[k] == ' ' || text[k] == '\n' || text[k] == '\t'))
		k++;
	if (k == j) {
		free(text);
		*reason = "empty file";
		return KBS_PARSE;
	}
	*out = text;
	*outlen = j;
	return KBS_OK;
}
