/*
 * codes.c - canonical error codes and KB ids.
 *
 * One code has many notations (docs/ARCHITECTURE.md, Error codes): an HRESULT is
 * written 0x80070005, 80070005, -2147024891 or 2147942405, and wraps the
 * Win32 error 5. Both the indexer and the query side reduce a notation to
 * its 32-bit value with kbs__code_parse(); the lookup then also tries the
 * Win32/HRESULT twin (kbs__code_from_win32(), kbs__code_to_win32()), so
 * any notation finds any other.
 */
#include "private.h"

#include <ctype.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

static int
hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

static bool
parse_hex(uint32_t *out, const char *s, size_t len)
{
	uint64_t v = 0;
	if (len == 0 || len > 8)
		return false;
	for (size_t i = 0; i < len; i++) {
		int h = hexval((unsigned char)s[i]);
		if (h < 0)
			return false;
		v = v * 16 + (uint64_t)h;
	}
	*out = (uint32_t)v;
	return true;
}

bool
kbs__code_parse(uint32_t *out, const char *s, size_t len)
{
	bool neg = false, letters = false;
	uint64_t v = 0;

	if (len >= 3 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X'))
		return parse_hex(out, s + 2, len - 2);
	if (len > 0 && s[0] == '-') {
		neg = true;
		s++;
		len--;
	}
	if (len == 0 || len > 10)
		return false;
	for (size_t i = 0; i < len; i++) {
		if (hexval((unsigned char)s[i]) < 0)
			return false;
		if (!isdigit((unsigned char)s[i]))
			letters = true;
	}
	/* Eight hex digits without a prefix are an HRESULT or NTSTATUS as
	 * event logs and dialogs print them ("80090016", "C0000005"). */
	if (!neg && len == 8 && (letters || s[0] == '8' || s[0] == 'C' ||
	                         s[0] == 'c' || s[0] == 'D' || s[0] == 'd'))
		return parse_hex(out, s, len);
	if (letters)
		return false;
	for (size_t i = 0; i < len; i++)
		v = v * 10 + (uint64_t)(s[i] - '0');
	if (neg) {
		if (v > 2147483648u)
			return false;
		*out = (uint32_t)(-(int64_t)v);
		return true;
	}
	if (v > UINT32_MAX)
		return false;
	*out = (uint32_t)v;
	return true;
}

uint32_t
kbs__code_from_win32(uint32_t win32)
{
	if (win32 == 0 || win32 > 0xFFFF)
		return win32;
	return 0x80070000u | win32;
}

uint32_t
kbs__code_to_win32(uint32_t code)
{
	if ((code & 0xFFFF0000u) == 0x80070000u)
		return code & 0xFFFFu;
	return code;
}

bool
kbs__kbid_canon(char *out, size_t outsz, const char *s, size_t len)
{
	size_t i = 0, start;
	unsigned long n = 0;

	while (i < len && isspace((unsigned char)s[i]))
		i++;
	if (i + 1 < len && (s[i] == 'K' || s[i] == 'k') &&
	    (s[i + 1] == 'B' || s[i + 1] == 'b'))
		i += 2;
	else if (i < len && (s[i] == 'Q' || s[i] == 'q'))
		i++;
	while (i < len && (s[i] == ' ' || s[i] == '\t'))
		i++;
	start = i;
	while (i < len && isdigit((unsigned char)s[i]) && i - start < 9)
		n = n * 10 + (unsigned long)(s[i++] - '0');
	if (i == start || i - start > 8 || n == 0)
		return false;
	while (i < len && isspace((unsigned char)s[i]))
		i++;
	if (i != len)
		return false;
	return snprintf(out, outsz, "Q%lu", n) < (int)outsz;
}

void
kbs__article_aid(char *out, const char *path)
{
	/* FNV-1a, 64-bit (Fowler, Noll, Vo): offset basis and prime. */
	uint64_t h = 0xcbf29ce484222325u;
	for (const unsigned char *p = (const unsigned char *)path; *p; p++) {
		h ^= *p;
		h *= 0x100000001b3u;
	}
	snprintf(out, KBS__AID_SIZE, "A%010" PRIX64, h >> 24);
}

bool
kbs__aid_canon(char *out, const char *s, size_t len)
{
	size_t i = 0;
	while (i < len && isspace((unsigned char)s[i]))
		i++;
	while (len > i && isspace((unsigned char)s[len - 1]))
		len--;
	if (len - i != KBS__AID_SIZE - 1 || (s[i] != 'A' && s[i] != 'a'))
		return false;
	out[0] = 'A';
	for (size_t k = 1; k < KBS__AID_SIZE - 1; k++) {
		if (!isxdigit((unsigned char)s[i + k]))
			return false;
		out[k] = (char)toupper((unsigned char)s[i + k]);
	}
	out[KBS__AID_SIZE - 1] = '\0';
	return true;
}
