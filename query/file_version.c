/*
 * file_version.c - ordering of file versions ("4.0.1381.133" after
 * "4.0.1381.33"), for the file lookup and the ranking.
 *
 * KB articles give file versions the way the build put them in the
 * resource: dotted numbers whose components are compared as numbers, not
 * as text ("4.0.1381.133" is a later build than "4.0.1381.33"), and a
 * version need not spell out trailing zeros ("5.0" is "5.0.0"). A few
 * carry letters ("2.1a", "4.0 SP6") or a remark in parentheses
 * ("5.1.2600.0 (xpclient.010817-1148)"); they still get a total order so
 * that sorting a list of rows is well defined.
 */
#include "query.h"

#include <ctype.h>
#include <string.h>
#include <strings.h>

/* The next component of a version: a run of letters and digits, skipping
 * separators; a '(' ends the version. Returns false when none is left. */
static bool
next_component(const char **p, const char **s, size_t *n)
{
	const char *q = *p;
	while (*q != '\0' && *q != '(' && !isalnum((unsigned char)*q))
		q++;
	if (*q == '\0' || *q == '(') {
		*p = q;
		return false;
	}
	*s = q;
	while (isalnum((unsigned char)*q))
		q++;
	*n = (size_t)(q - *s);
	*p = q;
	return true;
}

/* True when s[0..n) is digits only, all of them zero. */
static bool
is_zero(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (s[i] != '0')
			return false;
	return true;
}

/* Digit runs compare as numbers of any length: leading zeros dropped,
 * then the longer number is the larger, then digit by digit. */
static int
cmp_digits(const char *a, size_t na, const char *b, size_t nb)
{
	while (na > 1 && *a == '0')
		a++, na--;
	while (nb > 1 && *b == '0')
		b++, nb--;
	if (na != nb)
		return na < nb ? -1 : 1;
	int c = memcmp(a, b, na);
	return (c > 0) - (c < 0);
}

/* One component against another: alternating digit and letter runs,
 * digits numerically, letters without regard to case; a run of digits
 * sorts after a run of letters, and a component that goes on after the
 * other ended is the later one ("1a" > "1"). */
static int
cmp_component(const char *a, size_t na, const char *b, size_t nb)
{
	size_t i = 0, j = 0;
	while (i < na && j < nb) {
		bool da = isdigit((unsigned char)a[i]) != 0;
		bool db = isdigit((unsigned char)b[j]) != 0;
		if (da != db)
			return da ? 1 : -1;
		size_t si = i, sj = j;
		while (i < na && (isdigit((unsigned char)a[i]) != 0) == da)
			i++;
		while (j < nb && (isdigit((unsigned char)b[j]) != 0) == db)
			j++;
		int c;
		if (da) {
			c = cmp_digits(a + si, i - si, b + sj, j - sj);
		} else {
			size_t la = i - si, lb = j - sj;
			c = strncasecmp(a + si, b + sj, la < lb ? la : lb);
			c = (c > 0) - (c < 0);
			if (c == 0 && la != lb)
				c = la < lb ? -1 : 1;
		}
		if (c != 0)
			return c;
	}
	if (i < na)
		return 1;
	if (j < nb)
		return -1;
	return 0;
}

int
kbs__file_version_cmp(const char *a, const char *b)
{
	const char *pa = a, *pb = b;
	for (;;) {
		const char *sa = NULL, *sb = NULL;
		size_t na = 0, nb = 0;
		bool ha = next_component(&pa, &sa, &na);
		bool hb = next_component(&pb, &sb, &nb);
		if (!ha && !hb)
			return 0;
		/* A missing component is 0: "5.0" == "5.0.0" but
		 * "5.0" < "5.0.1" and "4.0" < "4.0 SP6". */
		if (!ha || !hb) {
			if (ha ? !is_zero(sa, na) : !is_zero(sb, nb))
				return ha ? 1 : -1;
			continue;
		}
		int c = cmp_component(sa, na, sb, nb);
		if (c != 0)
			return c;
	}
}
