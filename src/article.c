/*
 * article.c - the normalised article record and its public getters.
 */
#include "private.h"

#include <assert.h>
#include <stdlib.h>

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
