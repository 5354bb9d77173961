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

kbs_status
kbs__add_ref(kbs_article *a, const char *id)
{
	if (a->kb_id != NULL && strcmp(a->kb_id, id) == 0)
		return KBS_OK;
	for (size_t i = 0; i < a->nrefs; i++)
		if (strcmp(a->refs[i], id) == 0)
			return KBS_OK;
	const char *d = kbs__arena_strdup(&a->arena, id);
	const char **r = d == NULL ? NULL :
		KBS__PUSH(&a->arena, a->refs, a->nrefs, a->caprefs);
	if (r == NULL)
		return KBS_NOMEM;
	*r = d;
	return KBS_OK;
}
