/*
 * codes.c - numbers in a paste: error codes, bug check codes,
 * addresses; file names and KB ids.
 */
#include "paste_int.h"

#include <string.h>

/* ------------------------------------------------------------------ */
/* Codes                                                               */
/* ------------------------------------------------------------------ */

/* Whether the number after the previous words is an error code, by the
 * one rule articles are read with (src/recognise.c): "error 1722",
 * "error code 5", "rc = 13", "NET HELPMSG 3547", "A service specific error
 * occurred: 4015." */
static bool
code_context(const ctx *c)
{
	return kbs__code_cued(kbs__code_cue(c->prev, strlen(c->prev)),
	                      c->prev_colon,
	                      kbs__code_cue(c->prev2, strlen(c->prev2)));
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

/*
 * Classify one word (punctuation already stripped): an error code (value
 * in *v), a memory address, or text. Versions, dates, sizes and event IDs
 * are text: a small decimal is a code only after "error", "code" and the
 * like.
 */
enum word_class
kbs__pa_classify_number(const ctx *c, const char *s, size_t n, uint32_t *v)
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
			    kbs__code_parse(&x, h + 8, 8) && kbs__code_ntstatus_like(x)) {
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
			if (kbs__code_ntstatus_like(x)) {
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
		    !kbs__code_ntstatus_like(x) && (x >> 16) != 0x8007)
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
		/* -2147024891 and 2147942405 anywhere, -1811 and 1722 after
		 * "error" (src/recognise.c). */
		if (kbs__code_decimal(x, nd, s[0] == '-', code_context(c))) {
			*v = x;
			return W_CODE;
		}
	}
	return W_TEXT;
}

/* ------------------------------------------------------------------ */
/* Files and KB ids                                                    */
/* ------------------------------------------------------------------ */

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
	if (kbs__file_name(s, n, false))
		kbs__pa_add_file(c, s, n);
}

void
kbs__pa_scan_files(ctx *c, const char *s, size_t n)
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
