/*
 * lookup.c - exact lookups: articles by event ID, and one article by KB id.
 */
#include "query.h"

#include <assert.h>
#include <stdlib.h>
#include <string.h>

static const char *
col_text(kbs__arena *a, sqlite3_stmt *st, int i, bool *oom)
{
	const char *s = (const char *)sqlite3_column_text(st, i);
	if (s == NULL)
		return NULL;
	char *c = kbs__arena_strdup(a, s);
	if (c == NULL)
		*oom = true;
	return c;
}

kbs_status
kbs_search_event(kbs_results **out, kbs_db *db, long id, const char *source)
{
	sqlite3_stmt *st = NULL;
	kbs_results *r;
	kbs_status rc = KBS_OK;
	bool oom = false;
	int src;

	assert(out != NULL && db != NULL);
	*out = NULL;
	if ((r = kbs__results_new()) == NULL)
		return KBS_NOMEM;
	if (source != NULL && *source == '\0')
		source = NULL;
	/* Source matches first, then by article; one hit per article. */
	if (sqlite3_prepare_v2(db->sqlite,
	        "SELECT article_id, source, type, category, description, "
	        "(?2 IS NOT NULL AND source = ?2 COLLATE NOCASE) AS same "
	        "FROM event WHERE event_id = ?1 "
	        "ORDER BY same DESC, source IS NULL, article_id",
	        -1, &st, NULL) != SQLITE_OK) {
		rc = kbs__db_sqlite_error(db, "looking up events");
		goto done;
	}
	sqlite3_bind_int64(st, 1, id);
	if (source != NULL)
		sqlite3_bind_text(st, 2, source, -1, SQLITE_STATIC);
	while (rc == KBS_OK && (src = sqlite3_step(st)) == SQLITE_ROW) {
		sqlite3_int64 aid = sqlite3_column_int64(st, 0);
		size_t i;
		for (i = 0; i < r->n; i++)
			if (r->hits[i].article_id == aid)
				break;
		if (i < r->n)
			continue;
		bool same = sqlite3_column_int(st, 5) != 0;
		kbs_hit *h = kbs__results_add(r, aid, same ? 2.0 : 1.0);
		if (h == NULL) {
			rc = KBS_NOMEM;
			break;
		}
		h->has_event = true;
		h->event.id = id;
		h->event.source = col_text(&r->arena, st, 1, &oom);
		h->event.type = col_text(&r->arena, st, 2, &oom);
		h->event.category = col_text(&r->arena, st, 3, &oom);
		h->event.description = col_text(&r->arena, st, 4, &oom);
		rc = kbs__hit_match(r, h, "event_id");
		if (rc == KBS_OK && same)
			rc = kbs__hit_match(r, h, "source");
	}
	if (oom)
		rc = KBS_NOMEM;
	if (rc == KBS_OK)
		rc = kbs__results_load(r, db);
done:
	sqlite3_finalize(st);
	if (rc != KBS_OK) {
		kbs_results_free(r);
		return rc;
	}
	*out = r;
	return KBS_OK;
}

/* ------------------------------------------------------------------ */
/* One article                                                         */
/* ------------------------------------------------------------------ */

/*
 * An article is shown from its stored text, parsed again: the same parser
 * gave the indexed fields, so sections, events, codes and the rest come
 * out as they were indexed, and the database need not hold a second copy
 * of every section.
 */
kbs_status
kbs_article_get(kbs_article **out, kbs_db *db, const char *kb_id)
{
	char canon[16];
	sqlite3_stmt *st = NULL;
	kbs_article *a = NULL;
	kbs_status rc = KBS_OK;
	bool oom = false;

	assert(out != NULL && db != NULL && kb_id != NULL);
	*out = NULL;
	if (!kbs__kbid_canon(canon, sizeof canon, kb_id, strlen(kb_id)))
		return kbs__db_error(db, KBS_INVALID, "%s: not a KB article id",
		                     kb_id);
	if (sqlite3_prepare_v2(db->sqlite,
	        "SELECT kb_id, text, (SELECT path FROM source_file "
	        "WHERE article_id = article.id ORDER BY id LIMIT 1) "
	        "FROM article WHERE kb_id = ?",
	        -1, &st, NULL) != SQLITE_OK) {
		rc = kbs__db_sqlite_error(db, "loading an article");
		goto done;
	}
	sqlite3_bind_text(st, 1, canon, -1, SQLITE_STATIC);
	if (sqlite3_step(st) != SQLITE_ROW) {
		rc = kbs__db_error(db, KBS_NOT_FOUND, "%s: no such article",
		                   canon);
		goto done;
	}
	if ((a = kbs__article_new()) == NULL) {
		rc = KBS_NOMEM;
		goto done;
	}
	const char *text = (const char *)sqlite3_column_text(st, 1);
	rc = kbs__parse(a, text ? text : "",
	                (size_t)sqlite3_column_bytes(st, 1));
	if (rc == KBS_PARSE)
		rc = kbs__db_error(db, KBS_PARSE, "%s: stored text unreadable",
		                   canon);
	if (rc == KBS_OK) {
		a->kb_id = col_text(&a->arena, st, 0, &oom);
		a->path = col_text(&a->arena, st, 2, &oom);
		if (oom)
			rc = KBS_NOMEM;
	}
done:
	sqlite3_finalize(st);
	if (rc != KBS_OK) {
		kbs_article_free(a);
		return rc;
	}
	*out = a;
	return KBS_OK;
}
