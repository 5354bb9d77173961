/*
 * results.c - result sets and their iterator.
 *
 * Text searches and exact lookups return the same kbs_results: a ranked
 * array of hits whose strings live in the result set's arena, stepped
 * through with kbs_results_next(). A lookup hit also carries the record
 * it matched (event, code, file row, reference direction); a referenced
 * KB id that is not in the database is a hit with article_id 0, whose
 * kb_id the lookup sets and kbs__results_load() leaves alone.
 */
#include "query.h"

#include <assert.h>
#include <stdlib.h>
#include <string.h>

kbs_results *
kbs__results_new(void)
{
	return calloc(1, sizeof(kbs_results));
}

void
kbs_results_free(kbs_results *r)
{
	if (r == NULL)
		return;
	kbs__arena_free(&r->arena);
	free(r);
}

kbs_hit *
kbs__results_add(kbs_results *r, sqlite3_int64 article_id, double score)
{
	kbs_hit *h = KBS__PUSH(&r->arena, r->hits, r->n, r->cap);
	if (h != NULL) {
		h->article_id = article_id;
		h->score = score;
	}
	return h;
}

kbs_status
kbs__hit_match(kbs_results *r, kbs_hit *h, const char *name)
{
	for (size_t i = 0; i < h->nmatched; i++)
		if (strcmp(h->matched[i], name) == 0)
			return KBS_OK;
	const char **slot = KBS__PUSH(&r->arena, h->matched, h->nmatched,
	                              h->capmatched);
	if (slot == NULL)
		return KBS_NOMEM;
	*slot = name;
	return KBS_OK;
}

kbs_status
kbs__results_load(kbs_results *r, kbs_db *db)
{
	sqlite3_stmt *art = NULL, *prod = NULL;
	kbs_status rc = KBS_OK;

	if (r->n == 0)
		return KBS_OK;
	if (sqlite3_prepare_v2(db->sqlite,
	        "SELECT a.kb_id, a.title, "
	        "a.source_path FROM article a WHERE a.id = ?",
	        -1, &art, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(db->sqlite,
	        "SELECT product, version FROM product WHERE article_id = ? "
	        "ORDER BY rowid", -1, &prod, NULL) != SQLITE_OK) {
		rc = kbs__db_sqlite_error(db, "loading hits");
		goto done;
	}
	for (size_t i = 0; rc == KBS_OK && i < r->n; i++) {
		kbs_hit *h = &r->hits[i];
		h->rank = (int)i + 1;
		sqlite3_bind_int64(art, 1, h->article_id);
		if (sqlite3_step(art) == SQLITE_ROW) {
			const char *c[3];
			for (int k = 0; k < 3; k++)
				c[k] = (const char *)sqlite3_column_text(art, k);
			char aid[KBS__AID_SIZE];
			if (c[0] == NULL && c[2] != NULL) {
				/* no KB id: the article id from its path */
				kbs__article_aid(aid, c[2]);
				c[0] = aid;
			}
			h->kb_id = kbs__arena_strdup(&r->arena, c[0]);
			h->title = kbs__arena_strdup(&r->arena, c[1]);
			h->path = kbs__arena_strdup(&r->arena, c[2]);
			if ((c[0] && !h->kb_id) || (c[1] && !h->title) ||
			    (c[2] && !h->path))
				rc = KBS_NOMEM;
		}
		sqlite3_reset(art);
		sqlite3_bind_int64(prod, 1, h->article_id);
		while (rc == KBS_OK && sqlite3_step(prod) == SQLITE_ROW) {
			const char *name =
				(const char *)sqlite3_column_text(prod, 0);
			const char *ver =
				(const char *)sqlite3_column_text(prod, 1);
			const char **slot = KBS__PUSH(&r->arena, h->products,
			    h->nproducts, h->capproducts);
			if (slot == NULL ||
			    (*slot = ver && *ver
			        ? kbs__arena_printf(&r->arena, "%s %s", name, ver)
			        : kbs__arena_strdup(&r->arena, name)) == NULL)
				rc = KBS_NOMEM;
			if (rc != KBS_OK)
				break;
			kbs_product *rec = KBS__PUSH(&r->arena, h->prodrecs,
			    h->nprodrecs, h->capprodrecs);
			if (rec == NULL ||
			    (rec->name = kbs__arena_strdup(&r->arena, name))
			    == NULL)
				rc = KBS_NOMEM;
			else if (ver == NULL || *ver == '\0')
				rec->version = NULL;
			else if ((rec->version = kbs__arena_strdup(&r->arena,
			                                           ver)) == NULL)
				rc = KBS_NOMEM;
		}
		sqlite3_reset(prod);
	}
done:
	sqlite3_finalize(art);
	sqlite3_finalize(prod);
	return rc;
}

kbs_status
kbs_results_next(const kbs_hit **out, kbs_results *r)
{
	assert(out != NULL && r != NULL);
	if (r->next >= r->n) {
		*out = NULL;
		return KBS_DONE;
	}
	*out = &r->hits[r->next++];
	return KBS_OK;
}

size_t
kbs_results_count(const kbs_results *r)
{
	assert(r != NULL);
	return r->n;
}

const kbs_query_info *
kbs_results_get_query(const kbs_results *r)
{
	assert(r != NULL);
	return r->has_info ? &r->info : NULL;
}

int kbs_hit_get_rank(const kbs_hit *h) { return h->rank; }
double kbs_hit_get_score(const kbs_hit *h) { return h->score; }
const char *kbs_hit_get_kb_id(const kbs_hit *h) { return h->kb_id; }
const char *kbs_hit_get_title(const kbs_hit *h) { return h->title; }
const char *kbs_hit_get_path(const kbs_hit *h) { return h->path; }
const char *kbs_hit_get_snippet(const kbs_hit *h) { return h->snippet; }

size_t
kbs_hit_get_product_list(const kbs_hit *h, const kbs_product **out)
{
	*out = h->prodrecs;
	return h->nprodrecs;
}

size_t
kbs_hit_get_snippet_matches(const kbs_hit *h, const kbs_span **out)
{
	*out = h->spans;
	return h->nspans;
}

kbs_status
kbs__hit_set_snippet(kbs_results *r, kbs_hit *h, const char *raw)
{
	size_t len = strlen(raw), n = 0, nspans = 0, cap = 0;
	char *out = kbs__arena_alloc(&r->arena, len + 1);
	kbs_span *spans = NULL;
	bool blank = false;
	if (out == NULL)
		return KBS_NOMEM;
	for (const char *p = raw; *p; p++)
		if (*p == KBS__SNIP_OPEN[0])
			cap++;
	if (cap > 0 && (spans = kbs__arena_alloc(&r->arena,
	                                         cap * sizeof *spans)) == NULL)
		return KBS_NOMEM;
	for (const char *p = raw; *p; p++) {
		unsigned char c = (unsigned char)*p;
		if (c == ' ' || c == '\t' || c == '\n' || c == '\r' ||
		    c == '\f' || c == '\v') {
			blank = n > 0;
			continue;
		}
		if (blank) {
			out[n++] = ' ';
			blank = false;
		}
		if (*p == KBS__SNIP_OPEN[0] && nspans < cap) {
			spans[nspans].start = spans[nspans].end = n;
			nspans++;
		} else if (*p == KBS__SNIP_CLOSE[0]) {
			if (nspans > 0)
				spans[nspans - 1].end = n;
		} else {
			out[n++] = *p;
		}
	}
	out[n] = '\0';
	h->snippet = out;
	h->spans = spans;
	h->nspans = nspans;
	return KBS_OK;
}
const char *kbs_hit_get_explain(const kbs_hit *h) { return h->explain; }

size_t
kbs_hit_get_matched(const kbs_hit *h, const char *const **out)
{
	*out = h->matched;
	return h->nmatched;
}

size_t
kbs_hit_get_products(const kbs_hit *h, const char *const **out)
{
	*out = h->products;
	return h->nproducts;
}

const kbs_event *
kbs_hit_get_event(const kbs_hit *h)
{
	return h->has_event ? &h->event : NULL;
}

const kbs_code *
kbs_hit_get_code(const kbs_hit *h)
{
	return h->has_code ? &h->code : NULL;
}

const kbs_file *
kbs_hit_get_file(const kbs_hit *h)
{
	return h->has_file ? &h->file : NULL;
}

int
kbs_hit_get_version_cmp(const kbs_hit *h)
{
	return h->has_file ? h->version_cmp : KBS_VERSION_UNKNOWN;
}

kbs_ref_kind
kbs_hit_get_ref(const kbs_hit *h)
{
	return h->ref;
}
