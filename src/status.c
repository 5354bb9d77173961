/*
 * status.c - status names and the library version.
 */
#include "private.h"

#include <assert.h>
#include <string.h>

const char *
kbs_version(void)
{
	return KBS_VERSION_STRING;
}

/* Keep in step with enum kbs_status in include/kbsearch.h. */
const char *
kbs_status_str(kbs_status status)
{
	switch (status) {
	case KBS_OK:        return "success";
	case KBS_DONE:      return "no more items";
	case KBS_NOMEM:     return "out of memory";
	case KBS_INVALID:   return "invalid argument";
	case KBS_IO:        return "input/output error";
	case KBS_PARSE:     return "not a readable article";
	case KBS_DB:        return "database error";
	case KBS_SCHEMA:    return "database schema version mismatch";
	case KBS_NOT_FOUND: return "not found";
	case KBS_READONLY:  return "database is read-only";
	case KBS_CORRUPT:   return "database is damaged";
	case KBS_CANCELLED: return "cancelled";
	}
	return "unknown status";
}

/* Length of the valid UTF-8 sequence at s (1-4), or 0 when the bytes there
 * are not one (RFC 3629: no overlong forms, no surrogates, nothing above
 * U+10FFFF). *cp receives the code point. */
static size_t
utf8_seq(const unsigned char *s, unsigned long *cp)
{
	unsigned long c = s[0];
	size_t n;
	unsigned long min;
	if (c < 0x80) {
		*cp = c;
		return 1;
	} else if ((c & 0xE0) == 0xC0) {
		n = 2, min = 0x80, c &= 0x1F;
	} else if ((c & 0xF0) == 0xE0) {
		n = 3, min = 0x800, c &= 0x0F;
	} else if ((c & 0xF8) == 0xF0) {
		n = 4, min = 0x10000, c &= 0x07;
	} else {
		return 0;
	}
	for (size_t i = 1; i < n; i++) {
		if ((s[i] & 0xC0) != 0x80)
			return 0;
		c = (c << 6) | (s[i] & 0x3F);
	}
	if (c < min || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF))
		return 0;
	*cp = c;
	return n;
}

/* One pass of kbs_path_escape(): with out NULL, the length of the whole
 * escaped text; else the text written to out, cut with "..." when cut is
 * set and it does not fit. */
static size_t
escape_pass(char *out, size_t outsz, const char *s, bool cut)
{
	static const char hex[] = "0123456789abcdef";
	const unsigned char *p = (const unsigned char *)s;
	size_t o = 0;

	while (*p != '\0') {
		unsigned long cp;
		size_t n = utf8_seq(p, &cp);
		char tmp[8];
		size_t tn = 0;
		if (n == 0 || cp < 0x20 || cp == 0x7F ||
		    (cp >= 0x80 && cp < 0xA0)) {
			/* each byte of a control (a C1 one has two) or the
			 * one byte that is not UTF-8, escaped */
			if (n == 0)
				n = 1;
			for (size_t i = 0; i < n; i++) {
				tmp[tn++] = '\\';
				tmp[tn++] = 'x';
				tmp[tn++] = hex[p[i] >> 4];
				tmp[tn++] = hex[p[i] & 15];
			}
		} else if (cp == '\\') {
			tmp[tn++] = '\\';
			tmp[tn++] = '\\';
		} else {
			memcpy(tmp, p, n);
			tn = n;
		}
		if (out != NULL) {
			/* Room for this piece, and for "..." if more follows;
			 * the test passed for the piece before, so "..."
			 * fits at o. */
			if (cut && o + tn + (p[n] != '\0' ? 3 : 0) + 1 > outsz) {
				memcpy(out + o, "...", 4);
				return o + 3;
			}
			memcpy(out + o, tmp, tn);
		}
		o += tn;
		p += n;
	}
	if (out != NULL)
		out[o] = '\0';
	return o;
}

const char *
kbs_path_escape(char *out, size_t outsz, const char *s)
{
	assert(out != NULL && outsz >= 4);
	if (s == NULL) {
		out[0] = '\0';
		return out;
	}
	/* measured first, so that "..." is made room for only when the
	 * whole does not fit */
	bool fits = escape_pass(NULL, 0, s, false) + 1 <= outsz;
	escape_pass(out, outsz, s, !fits);
	return out;
}
