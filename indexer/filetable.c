/*
 * filetable.c - file version tables in articles: rows of date, time,
 * version, size, file name and platform in any order ("10/30/2001  18:41
 * 4.2.771.1  214,544  ADSIIS.dll  x86"), as hotfix articles list the
 * files they replace. File names are told by src/recognise.c.
 */
#include "extract.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

typedef struct tok {
	const char *s;
	size_t n;
} tok;

/* "04/26/2001", "07/22/99", "1-30-97" */
static bool
tok_date(char out[16], const char *s, size_t n)
{
	int f[3] = { 0, 0, 0 }, nd[3] = { 0, 0, 0 }, k = 0;
	char sep = 0;
	for (size_t i = 0; i < n; i++) {
		if (isdigit((unsigned char)s[i])) {
			if (nd[k] >= 4)
				return false;
			f[k] = f[k] * 10 + (s[i] - '0');
			nd[k]++;
		} else if ((s[i] == '/' || s[i] == '-') && k < 2 &&
		           (sep == 0 || sep == s[i])) {
			sep = s[i];
			k++;
		} else {
			return false;
		}
	}
	if (k != 2 || nd[0] == 0 || nd[0] > 2 || nd[1] == 0 || nd[1] > 2 ||
	    (nd[2] != 2 && nd[2] != 4))
		return false;
	if (f[0] < 1 || f[0] > 12 || f[1] < 1 || f[1] > 31)
		return false;
	int y = nd[2] == 2 ? f[2] + (f[2] < 70 ? 2000 : 1900) : f[2];
	snprintf(out, 16, "%04d-%02d-%02d", y, f[0], f[1]);
	return true;
}

/* "04:45" (+ "PM" as next token), "04:53p", "16:45:10" */
static bool
tok_time(char out[6], const char *s, size_t n, const tok *next)
{
	int h = 0, m = 0;
	size_t i = 0;
	while (i < n && isdigit((unsigned char)s[i]) && i < 2)
		h = h * 10 + (s[i++] - '0');
	if (i == 0 || i >= n || s[i] != ':' || i + 2 >= n ||
	    !isdigit((unsigned char)s[i + 1]) || !isdigit((unsigned char)s[i + 2]))
		return false;
	m = (s[i + 1] - '0') * 10 + (s[i + 2] - '0');
	i += 3;
	if (i + 2 < n && s[i] == ':' && isdigit((unsigned char)s[i + 1]))
		i += 3;
	char ap = 0;
	if (i < n && strchr("aApP", s[i]) != NULL) {
		ap = (char)tolower((unsigned char)s[i]);
		i++;
		if (i < n && (s[i] == 'm' || s[i] == 'M'))
			i++;
	} else if (i == n && next != NULL && next->n == 2 &&
	           (next->s[1] == 'M' || next->s[1] == 'm') &&
	           strchr("aApP", next->s[0]) != NULL) {
		ap = (char)tolower((unsigned char)next->s[0]);
	}
	if (i != n || h > 23 || m > 59)
		return false;
	if (ap == 'p' && h < 12)
		h += 12;
	else if (ap == 'a' && h == 12)
		h = 0;
	out[0] = (char)('0' + h / 10);
	out[1] = (char)('0' + h % 10);
	out[2] = ':';
	out[3] = (char)('0' + m / 10);
	out[4] = (char)('0' + m % 10);
	out[5] = '\0';
	return true;
}

static bool
tok_version(const char *s, size_t n)
{
	size_t dots = 0;
	if (n == 0 || !isdigit((unsigned char)s[0]) ||
	    !isdigit((unsigned char)s[n - 1]))
		return false;
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '.') {
			if (s[i - 1] == '.')
				return false;
			dots++;
		} else if (!isdigit((unsigned char)s[i])) {
			return false;
		}
	}
	return dots >= 1 && dots <= 4;
}

static bool
tok_size(long long *out, const char *s, size_t n)
{
	long long v = 0;
	size_t digits = 0, group = 0;
	bool comma = false;
	for (size_t i = 0; i < n; i++) {
		if (isdigit((unsigned char)s[i])) {
			if (digits > 15)
				return false;
			v = v * 10 + (s[i] - '0');
			digits++;
			group++;
		} else if (s[i] == ',' && i > 0 && (!comma || group == 3) &&
		           (comma || group <= 3)) {
			comma = true;
			group = 0;
		} else {
			return false;
		}
	}
	if (digits == 0 || (comma && group != 3))
		return false;
	*out = v;
	return true;
}

static bool
tok_platform(const char *s, size_t n)
{
	static const char *const p[] = {
		"x86", "intel", "alpha", "ia64", "ia-64", "x64", "amd64", "mips",
		"ppc", "powerpc", "i386", "axp", "itanium",
	};
	for (size_t k = 0; k < sizeof p / sizeof p[0]; k++)
		if (strlen(p[k]) == n && strncasecmp(s, p[k], n) == 0)
			return true;
	return false;
}

/* One table row: date, time, version, size, file name, platform, in any
 * order, with at most one stray token. */
static void
file_row(ex *x, const xline *l)
{
	tok t[16];
	size_t nt = 0, i = 0;
	if (l->n < 12 || l->n > 240)
		return;
	while (i < l->n) {
		while (i < l->n && isspace((unsigned char)l->s[i]))
			i++;
		size_t st = i;
		while (i < l->n && !isspace((unsigned char)l->s[i]))
			i++;
		if (i == st)
			break;
		if (nt == 16)
			return;
		const char *s = l->s + st;
		size_t n = i - st;
		while (n > 0 && (*s == '[' || *s == '('))
			s++, n--;
		while (n > 0 && strchr(",;.])", s[n - 1]) != NULL)
			n--;
		t[nt].s = s;
		t[nt].n = n;
		nt++;
	}
	char date[16] = "", tim[6] = "";
	const char *name = NULL, *ver = NULL, *plat = NULL;
	size_t namel = 0, verl = 0, platl = 0;
	long long size = -1;
	int stray = 0;
	for (size_t k = 0; k < nt; k++) {
		const char *s = t[k].s;
		size_t n = t[k].n;
		long long sz;
		const tok *next = k + 1 < nt ? &t[k + 1] : NULL;
		if (n == 0 || (n == 1 && (*s == '|' || *s == '-')))
			continue;
		if (!date[0] && tok_date(date, s, n))
			continue;
		if (!tim[0] && tok_time(tim, s, n, next)) {
			if (next != NULL && next->n == 2 &&
			    (next->s[1] == 'M' || next->s[1] == 'm'))
				k++;
			continue;
		}
		if (ver == NULL && tok_version(s, n)) {
			ver = s;
			verl = n;
			continue;
		}
		if (size < 0 && tok_size(&sz, s, n)) {
			size = sz;
			continue;
		}
		if (plat == NULL && tok_platform(s, n)) {
			plat = s;
			platl = n;
			continue;
		}
		if (kbs__file_name(s, n, true)) {
			if (name != NULL)
				return;
			name = s;
			namel = n;
			continue;
		}
		if ((n == 5 && strncasecmp(s, "bytes", 5) == 0) ||
		    (n == 7 && strncasecmp(s, "version", 7) == 0))
			continue;
		if (++stray > 1)
			return;
	}
	if (name == NULL || !date[0] || (size < 0 && ver == NULL))
		return;
	kbs_article *a = x->a;
	/* one row per name, size, date and whether a platform is named */
	char key[512];
	int kn = snprintf(key, sizeof key, "%lld|%s|%d|%.*s", size, date,
	                  plat != NULL, (int)(namel < 400 ? namel : 400), name);
	if (!is_new(x, KBS__REC_FILE, key,
	    (size_t)kn < sizeof key ? (size_t)kn : sizeof key - 1, false,
	    a->nfiles))
		return;
	kbs_file *f = KBS__PUSH(&a->arena, a->files, a->nfiles, a->capfiles);
	if (f == NULL) {
		x->rc = KBS_NOMEM;
		return;
	}
	f->name = dup(x, name, namel);
	f->version = ver ? dup(x, ver, verl) : NULL;
	f->size = size;
	f->date = dup(x, date, strlen(date));
	f->time = tim[0] ? dup(x, tim, strlen(tim)) : NULL;
	f->platform = plat ? dup(x, plat, platl) : NULL;
}

void
kbs__extract_files(ex *x)
{
	for (size_t i = 0; i < x->nlines && x->rc == KBS_OK; i++) {
		const xline *l = &x->lines[i];
		/* cheap filter: a digit first or a '.' somewhere */
		if (l->n >= 12 && memchr(l->s, '.', l->n) != NULL &&
		    (memchr(l->s, '/', l->n) != NULL ||
		     memchr(l->s, '-', l->n) != NULL))
			file_row(x, l);
	}
}

