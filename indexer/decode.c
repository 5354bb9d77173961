/*
 * decode.c - turning file bytes into UTF-8 text.
 *
 * KB articles come as ASCII, UTF-8 (sometimes with a BOM), UTF-16 from
 * Windows tools, Windows-1252 from old web scrapes and code page 437 from
 * MS-DOS era files. Everything the
 * parsers see is UTF-8 with LF line endings; legacy bytes go through iconv
 * so that non-ASCII words are searchable.
 */
#include "indexer.h"

#include <errno.h>
#include <iconv.h>
#include <stdlib.h>
#include <string.h>

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

static bool
ascii_letter(unsigned c)
{
	return (c | 0x20) >= 'a' && (c | 0x20) <= 'z';
}

/*
 * Is legacy (not UTF-8) text more likely code page 437 than
 * Windows-1252? Each high byte votes for the code page in which it reads
 * as something text holds at that place: 0x80-0xA5 next to a letter is an
 * accented letter in CP437 ("caf\x82" = "café") but mostly punctuation
 * in Windows-1252, where accented letters are 0xC0-0xFF; 0xB0-0xDF next
 * to another such byte is CP437 box drawing. Bytes Windows-1252 leaves
 * undefined (0x81, 0x8D, 0x8F, 0x90, 0x9D) settle it. The apostrophe and
 * quotes of Windows-1252 (0x91-0x94) are its own votes.
 */
static bool
looks_cp437(const unsigned char *u, size_t len)
{
	long cp437 = 0, cp1252 = 0;
	for (size_t i = 0; i < len; i++) {
		unsigned c = u[i];
		if (c < 0x80)
			continue;
		unsigned prev = i > 0 ? u[i - 1] : ' ';
		unsigned next = i + 1 < len ? u[i + 1] : ' ';
		bool by_letter = ascii_letter(prev) || ascii_letter(next);
		if (c == 0x81 || c == 0x8D || c == 0x8F || c == 0x90 ||
		    c == 0x9D)
			return true;
		if (c >= 0x91 && c <= 0x97)
			cp1252++;
		else if (c <= 0xA5 && by_letter)
			cp437++;
		else if (c >= 0xB0 && c <= 0xDF &&
		         ((prev >= 0xB0 && prev <= 0xDF) ||
		          (next >= 0xB0 && next <= 0xDF)))
			cp437++;
		else if (c >= 0xC0 && by_letter)
			cp1252++;
	}
	return cp437 > cp1252;
}

kbs_status
kbs__decode(char **out, size_t *outlen, const char *raw, size_t len,
            const char **reason)
{
	const unsigned char *u = (const unsigned char *)raw;
	char *text = NULL;
	size_t n = 0;
	kbs_status rc;

	*out = NULL;
	*reason = NULL;
	if (len >= 2 && ((u[0] == 0xFF && u[1] == 0xFE) ||
	                 (u[0] == 0xFE && u[1] == 0xFF))) {
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
			rc = convert(&text, &n,
			             looks_cp437((const unsigned char *)raw,
			                         len) ? "CP437" : "WINDOWS-1252",
			             raw, len, reason);
		}
	}
	if (rc != KBS_OK)
		return rc;

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
