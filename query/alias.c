/*
 * alias.c - names of one thing that changed over the years.
 *
 * The groups come from data/aliases.txt, compiled into the library
 * (src/aliases.c is generated from it), and from the files a program adds
 * with kbs_db_load_aliases(). They are kept as text until the first search
 * needs them; then every name is tokenized with the index's own tokenizer,
 * so that a name matches the paste's words exactly as the index sees
 * them ("Terminal Services" and "terminal service" are one stem sequence).
 */
#include "query.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A line longer than this in an alias file is refused: no real group of
 * names comes near it. */
#define MAX_LINE 4096

extern const char kbs__aliases_txt[];

struct kbs__aliases {
	kbs__buf text;             /* every loaded file, builtin first */
	bool parsed;               /* names below are up to date */
	kbs__tokens toks;          /* owns the stems */
	kbs__alias_name *names;    /* in file order: groups are contiguous */
	size_t nnames, capnames;
	size_t *by_stem;           /* name indexes sorted by first stem */
};

/* The key of the handle's alias set (kbs__db_attach()). */
static const char aliases_key;

static void
aliases_free(void *p)
{
	kbs__aliases *al = p;
	if (al == NULL)
		return;
	kbs__buf_free(&al->text);
	kbs__arena_free(&al->toks.arena);
	free(al->names);
	free(al->by_stem);
	free(al);
}

/* The handle's alias set, created with the builtin groups. */
static kbs_status
aliases_of(kbs__aliases **out, kbs_db *db)
{
	kbs__aliases *al = kbs__db_attached(db, &aliases_key);
	if (al == NULL) {
		if ((al = calloc(1, sizeof *al)) == NULL)
			return KBS_NOMEM;
		kbs__buf_puts(&al->text, kbs__aliases_txt);
		if (al->text.oom) {
			aliases_free(al);
			return KBS_NOMEM;
		}
		kbs_status rc = kbs__db_attach(db, &aliases_key, al,
		                               aliases_free);
		if (rc != KBS_OK)
			return rc;
	}
	*out = al;
	return KBS_OK;
}

void
kbs__aliases_reset(kbs_db *db)
{
	kbs__db_attach(db, &aliases_key, NULL, NULL);
}

/* Number of names on a group line (fields separated by '|' that hold a
 * letter or digit). */
static int
count_names(const char *s, size_t n)
{
	int names = 0;
	bool word = false;
	for (size_t i = 0; i <= n; i++) {
		if (i == n || s[i] == '|') {
			names += word;
			word = false;
		} else if (s[i] != ' ' && s[i] != '\t') {
			word = true;
		}
	}
	return names;
}

kbs_status
kbs_db_load_aliases(kbs_db *db, const char *path)
{
	kbs__aliases *al;
	kbs__buf add = {0};
	char line[MAX_LINE + 2];
	long lineno = 0;
	kbs_status rc;

	if (db == NULL || path == NULL)
		return KBS_INVALID;
	rc = aliases_of(&al, db);
	if (rc != KBS_OK)
		return rc;
	char shown[1024];
	kbs_path_escape(shown, sizeof shown, path);
	FILE *f = fopen(path, "r");
	if (f == NULL)
		return kbs__db_error(db, KBS_IO, "%s: cannot read: %s", shown,
		                     strerror(errno));
	while (rc == KBS_OK && fgets(line, sizeof line, f) != NULL) {
		size_t n = strlen(line);
		lineno++;
		if (n > MAX_LINE) {
			rc = kbs__db_error(db, KBS_PARSE, "%s:%ld: line longer "
			                   "than %d bytes", shown, lineno, MAX_LINE);
			break;
		}
		while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r'))
			n--;
		size_t k = 0;
		while (k < n && (line[k] == ' ' || line[k] == '\t'))
			k++;
		if (k == n || line[k] == '#')
			continue;
		if (count_names(line + k, n - k) < 2) {
			rc = kbs__db_error(db, KBS_PARSE, "%s:%ld: a group needs "
			                   "at least two names separated by '|'",
			                   shown, lineno);
			break;
		}
		kbs__buf_append(&add, line + k, n - k);
		kbs__buf_putc(&add, '\n');
	}
	if (rc == KBS_OK && ferror(f))
		rc = kbs__db_error(db, KBS_IO, "%s: cannot read", shown);
	fclose(f);
	if (rc == KBS_OK && add.oom)
		rc = KBS_NOMEM;
	if (rc == KBS_OK && add.len > 0) {
		kbs__buf_putc(&al->text, '\n');
		kbs__buf_append(&al->text, add.data, add.len);
		if (al->text.oom)
			rc = KBS_NOMEM;
		al->parsed = false;
	}
	kbs__buf_free(&add);
	return rc;
}

static int
cmp_first_stem(const void *a, const void *b, void *ctx)
{
	const kbs__alias_name *names = ctx;
	const kbs__alias_name *x = &names[*(const size_t *)a];
	const kbs__alias_name *y = &names[*(const size_t *)b];
	int c = strcmp(x->stems[0], y->stems[0]);
	if (c != 0)
		return c;
	return x->nstems > y->nstems ? -1 : x->nstems < y->nstems;
}

/* Tokenize every name of al->text. */
static kbs_status
parse(kbs__aliases *al, kbs_db *db)
{
	kbs__arena_free(&al->toks.arena);
	memset(&al->toks, 0, sizeof al->toks);
	free(al->names);
	free(al->by_stem);
	al->names = NULL;
	al->by_stem = NULL;
	al->nnames = al->capnames = 0;

	const char *text = kbs__buf_str(&al->text);
	kbs_status rc = KBS_OK;
	int group = 0;
	for (const char *l = text; rc == KBS_OK && *l; ) {
		const char *e = strchr(l, '\n');
		size_t n = e ? (size_t)(e - l) : strlen(l);
		const char *next = e ? e + 1 : l + n;
		size_t k = 0;
		while (k < n && (l[k] == ' ' || l[k] == '\t'))
			k++;
		if (k == n || l[k] == '#') {
			l = next;
			continue;
		}
		size_t first = al->nnames;
		for (size_t a = 0; rc == KBS_OK && a < n; ) {
			size_t b = a;
			while (b < n && l[b] != '|')
				b++;
			kbs__tokens t = {0};
			rc = kbs__tokenize(&t, db, l + a, b - a);
			if (rc == KBS_OK && t.n > 0) {
				if (al->nnames == al->capnames) {
					size_t cap = al->capnames ? al->capnames * 2
					                          : 64;
					kbs__alias_name *nn = realloc(al->names,
					    cap * sizeof *nn);
					if (nn == NULL) {
						rc = KBS_NOMEM;
					} else {
						al->names = nn;
						al->capnames = cap;
					}
				}
				/* the stems and the name's text go to the
				 * set's own arena */
				const char **stems = kbs__arena_alloc(
				    &al->toks.arena, t.n * sizeof *stems);
				char *txt = kbs__arena_strndup(&al->toks.arena,
				                               l + a, b - a);
				if (stems == NULL || txt == NULL)
					rc = KBS_NOMEM;
				for (size_t i = 0; rc == KBS_OK && i < t.n; i++)
					if ((stems[i] = kbs__arena_strdup(
					         &al->toks.arena, t.v[i].stem)) ==
					    NULL)
						rc = KBS_NOMEM;
				if (rc == KBS_OK) {
					kbs__alias_name *nm =
						&al->names[al->nnames++];
					size_t tl = (size_t)(b - a);
					while (tl > 0 && (txt[tl - 1] == ' ' ||
					                  txt[tl - 1] == '\t'))
						txt[--tl] = '\0';
					while (*txt == ' ' || *txt == '\t')
						txt++;
					nm->text = txt;
					nm->stems = stems;
					nm->nstems = t.n;
					nm->group = group;
				}
			}
			kbs__arena_free(&t.arena);
			a = b + 1;
		}
		if (al->nnames - first < 2)
			al->nnames = first;   /* a group of one matches nothing */
		else
			group++;
		l = next;
	}
	if (rc == KBS_OK && al->nnames > 0) {
		al->by_stem = malloc(al->nnames * sizeof *al->by_stem);
		if (al->by_stem == NULL)
			rc = KBS_NOMEM;
	}
	if (rc == KBS_OK) {
		for (size_t i = 0; i < al->nnames; i++)
			al->by_stem[i] = i;
		/* An insertion sort: qsort has no context argument in C11,
		 * and there are a few hundred names. */
		for (size_t i = 1; i < al->nnames; i++) {
			size_t v = al->by_stem[i], j = i;
			while (j > 0 && cmp_first_stem(&al->by_stem[j - 1], &v,
			                               al->names) > 0) {
				al->by_stem[j] = al->by_stem[j - 1];
				j--;
			}
			al->by_stem[j] = v;
		}
		al->parsed = true;
	}
	return rc;
}

kbs_status
kbs__aliases_get(const kbs__aliases **out, kbs_db *db)
{
	kbs__aliases *al;
	kbs_status rc = aliases_of(&al, db);
	if (rc == KBS_OK && !al->parsed)
		rc = parse(al, db);
	*out = rc == KBS_OK ? al : NULL;
	return rc;
}

const kbs__alias_name *
kbs__alias_match(const kbs__aliases *al, const char *const *stems,
                 size_t n, size_t i)
{
	if (al == NULL || al->nnames == 0 || i >= n)
		return NULL;
	/* first name whose first stem is stems[i] */
	size_t lo = 0, hi = al->nnames;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (strcmp(al->names[al->by_stem[mid]].stems[0], stems[i]) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	/* longest first, by the sort order */
	for (; lo < al->nnames; lo++) {
		const kbs__alias_name *nm = &al->names[al->by_stem[lo]];
		if (strcmp(nm->stems[0], stems[i]) != 0)
			break;
		if (nm->nstems > n - i)
			continue;
		size_t k = 1;
		while (k < nm->nstems && strcmp(nm->stems[k], stems[i + k]) == 0)
			k++;
		if (k == nm->nstems)
			return nm;
	}
	return NULL;
}

size_t
kbs__alias_group(const kbs__aliases *al, const kbs__alias_name *name,
                 const kbs__alias_name **first)
{
	size_t i = (size_t)(name - al->names), j = i;
	while (i > 0 && al->names[i - 1].group == name->group)
		i--;
	while (j < al->nnames && al->names[j].group == name->group)
		j++;
	*first = &al->names[i];
	return j - i;
}
