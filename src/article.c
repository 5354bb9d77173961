/*
 * article.c - the normalised article record, its public getters, and the
 * section bookkeeping the parsers share.
 */
#include "private.h"

#include <assert.h>
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

kbs_article *
kbs__article_new(void)
{
	return calloc(1, sizeof(kbs_article));
}

void
kbs_article_free(kbs_article *article)
{
	if (article == NULL)
		return;
	kbs__arena_free(&article->arena);
	free(article);
}

#define GETTER(name, field)                                     \
	const char *kbs_article_get_##name(const kbs_article *a) \
	{                                                       \
		assert(a != NULL);                              \
		return a->field;                                \
	}
GETTER(kb_id, kb_id)
GETTER(title, title)
GETTER(date, date)
GETTER(format, format)
GETTER(path, path)
GETTER(text, text)
#undef GETTER

#define LIST(name, type, field, count)                                   \
	size_t kbs_article_get_##name(const kbs_article *a, type **out)   \
	{                                                                \
		assert(a != NULL && out != NULL);                        \
		*out = a->field;                                         \
		return a->count;                                         \
	}
LIST(events, const kbs_event, events, nevents)
LIST(codes, const kbs_code, codes, ncodes)
LIST(files, const kbs_file, files, nfiles)
LIST(products, const kbs_product, products, nproducts)
LIST(sections, const kbs_section, sections, nsections)
LIST(refs, const char *const, refs, nrefs)
LIST(messages, const char *const, messages, nmessages)
LIST(registry, const char *const, registry, nregistry)
LIST(sources, const char *const, sources, nsources)
#undef LIST

enum kbs__column
kbs__column_of(const char *h)
{
	if (strncasecmp(h, "SYMPTOM", 7) == 0)
		return KBS__COL_SYMPTOMS;
	if (strncasecmp(h, "CAUSE", 5) == 0)
		return KBS__COL_CAUSE;
	if (strncasecmp(h, "RESOLUTION", 10) == 0 ||
	    strncasecmp(h, "WORKAROUND", 10) == 0 ||
	    strncasecmp(h, "STATUS", 6) == 0)
		return KBS__COL_RESOLUTION;
	return KBS__COL_BODY;
}

kbs_status
kbs__add_section(kbs_article *a, kbs__buf *col, const char *heading,
                 int level, const char *s, size_t n)
{
	/* drop leading blank lines and trailing white space */
	while (n > 0 && (s[0] == '\n' || s[0] == '\r')) {
		s++;
		n--;
	}
	while (n > 0 && isspace((unsigned char)s[n - 1]))
		n--;
	if (n == 0 && level == 0)
		return KBS_OK;
	kbs_section *sec = KBS__PUSH(&a->arena, a->sections, a->nsections,
	                             a->capsections);
	if (sec == NULL)
		return KBS_NOMEM;
	sec->heading = heading ? heading : "";
	sec->level = level;
	sec->text = kbs__arena_strndup(&a->arena, s, n);
	if (sec->text == NULL)
		return KBS_NOMEM;
	if (col->len > 0)
		kbs__buf_putc(col, '\n');
	if (heading != NULL && heading[0] != '\0') {
		kbs__buf_puts(col, heading);
		kbs__buf_puts(col, "\n\n");
	}
	kbs__buf_append(col, s, n);
	kbs__buf_putc(col, '\n');
	return KBS_OK;
}

struct kbs__keyset {
	uint64_t *keys;    /* 0 = empty slot */
	size_t n, cap;     /* cap a power of two, kept at most half full */
};

int
kbs__seen(kbs_article *a, enum kbs__record kind, const void *data,
          size_t n, bool fold)
{
	/* FNV-1a over the kind and the bytes, then a 64-bit finaliser
	 * (MurmurHash3's fmix64) so that the low bits index well. */
	const unsigned char *p = data;
	uint64_t h = 14695981039346656037ull;
	h = (h ^ (unsigned)kind) * 1099511628211ull;
	for (size_t i = 0; i < n; i++)
		h = (h ^ (uint64_t)(fold ? tolower(p[i]) : p[i])) *
		    1099511628211ull;
	h ^= h >> 33;
	h *= 0xff51afd7ed558ccdull;
	h ^= h >> 33;
	h *= 0xc4ceb9fe1a85ec53ull;
	h ^= h >> 33;
	if (h == 0)
		h = 1;

	struct kbs__keyset *set = a->seen;
	if (set == NULL) {
		set = kbs__arena_alloc(&a->arena, sizeof *set);
		if (set == NULL)
			return -1;
		memset(set, 0, sizeof *set);
		a->seen = set;
	}
	if ((set->n + 1) * 2 > set->cap) {
		/* the old table stays in the arena: at most as much again */
		size_t ncap = set->cap ? set->cap * 2 : 64;
		uint64_t *nk = kbs__arena_alloc(&a->arena, ncap * sizeof *nk);
		if (nk == NULL)
			return -1;
		memset(nk, 0, ncap * sizeof *nk);
		for (size_t i = 0; i < set->cap; i++) {
			if (set->keys[i] == 0)
				continue;
			size_t j = (size_t)set->keys[i] & (ncap - 1);
			while (nk[j] != 0)
				j = (j + 1) & (ncap - 1);
			nk[j] = set->keys[i];
		}
		set->keys = nk;
		set->cap = ncap;
	}
	size_t j = (size_t)h & (set->cap - 1);
	while (set->keys[j] != 0) {
		if (set->keys[j] == h)
			return 1;
		j = (j + 1) & (set->cap - 1);
	}
	set->keys[j] = h;
	set->n++;
	return 0;
}

kbs_status
kbs__add_ref(kbs_article *a, const char *id)
{
	if (a->kb_id != NULL && strcmp(a->kb_id, id) == 0)
		return KBS_OK;
	int seen = kbs__seen(a, KBS__REC_REF, id, strlen(id), false);
	if (seen != 0)
		return seen < 0 ? KBS_NOMEM : KBS_OK;
	if (a->nrefs >= KBS__MAX_RECORDS) {
		a->capped++;
		return KBS_OK;
	}
	const char *d = kbs__arena_strdup(&a->arena, id);
	const char **r = d == NULL ? NULL :
		KBS__PUSH(&a->arena, a->refs, a->nrefs, a->caprefs);
	if (r == NULL)
		return KBS_NOMEM;
	*r = d;
	return KBS_OK;
}
