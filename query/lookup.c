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

static kbs_status
load_lists(kbs_article *a, kbs_db *db, sqlite3_int64 id)
{
	static const char *const q[] = {
		"SELECT heading, text, level FROM section WHERE article_id=? "
		"ORDER BY ord",
		"SELECT event_id, source, type, category, description FROM event "
		"WHERE article_id=? ORDER BY rowid",
		"SELECT code, notation FROM error_code WHERE article_id=? "
		"ORDER BY rowid",
		"SELECT name, version, size, date, time, platform FROM file "
		"WHERE article_id=? ORDER BY rowid",
		"SELECT product, version FROM product WHERE article_id=? "
		"ORDER BY rowid",
		"SELECT ref_kb_id FROM kb_ref WHERE article_id=? ORDER BY rowid",
		"SELECT text FROM message WHERE article_id=? ORDER BY rowid",
		"SELECT path FROM registry WHERE article_id=? ORDER BY rowid",
		"SELECT key, value FROM footer WHERE article_id=? ORDER BY rowid",
	};
	kbs__arena *ar = &a->arena;
	kbs_status rc = KBS_OK;
	bool oom = false;

	for (size_t k = 0; rc == KBS_OK && k < sizeof q / sizeof *q; k++) {
		sqlite3_stmt *st = NULL;
		if (sqlite3_prepare_v2(db->sqlite, q[k], -1, &st, NULL) !=
		    SQLITE_OK) {
			rc = kbs__db_sqlite_error(db, "loading an article");
			break;
		}
		sqlite3_bind_int64(st, 1, id);
		while (!oom && sqlite3_step(st) == SQLITE_ROW) {
			switch (k) {
			case 0: {
				kbs_section *s = KBS__PUSH(ar, a->sections,
				    a->nsections, a->capsections);
				if (s == NULL) { oom = true; break; }
				s->heading = col_text(ar, st, 0, &oom);
				s->text = col_text(ar, st, 1, &oom);
				s->level = sqlite3_column_int(st, 2);
				break;
			}
			case 1: {
				kbs_event *e = KBS__PUSH(ar, a->events,
				    a->nevents, a->capevents);
				if (e == NULL) { oom = true; break; }
				e->id = (long)sqlite3_column_int64(st, 0);
				e->source = col_text(ar, st, 1, &oom);
				e->type = col_text(ar, st, 2, &oom);
				e->category = col_text(ar, st, 3, &oom);
				e->description = col_text(ar, st, 4, &oom);
				break;
			}
			case 2: {
				kbs_code *c = KBS__PUSH(ar, a->codes,
				    a->ncodes, a->capcodes);
				if (c == NULL) { oom = true; break; }
				c->value = (uint32_t)sqlite3_column_int64(st, 0);
				c->text = col_text(ar, st, 1, &oom);
				break;
			}
			case 3: {
				kbs_file *f = KBS__PUSH(ar, a->files,
				    a->nfiles, a->capfiles);
				if (f == NULL) { oom = true; break; }
				f->name = col_text(ar, st, 0, &oom);
				f->version = col_text(ar, st, 1, &oom);
				f->size = sqlite3_column_type(st, 2) == SQLITE_NULL
				          ? -1 : sqlite3_column_int64(st, 2);
				f->date = col_text(ar, st, 3, &oom);
				f->time = col_text(ar, st, 4, &oom);
				f->platform = col_text(ar, st, 5, &oom);
				break;
			}
			case 4: {
				kbs_product *p = KBS__PUSH(ar, a->products,
				    a->nproducts, a->capproducts);
				if (p == NULL) { oom = true; break; }
				p->name = col_text(ar, st, 0, &oom);
				p->version = col_text(ar, st, 1, &oom);
				break;
			}
			case 5: case 6: case 7: {
				const char **v = k == 5 ? KBS__PUSH(ar, a->refs,
				        a->nrefs, a->caprefs)
				    : k == 6 ? KBS__PUSH(ar, a->messages,
				        a->nmessages, a->capmessages)
				    : KBS__PUSH(ar, a->registry, a->nregistry,
				        a->capregistry);
				if (v == NULL) { oom = true; break; }
				*v = col_text(ar, st, 0, &oom);
				break;
			}
			case 8: {
				kbs__field *f = KBS__PUSH(ar, a->footer,
				    a->nfooter, a->capfooter);
				if (f == NULL) { oom = true; break; }
				f->key = col_text(ar, st, 0, &oom);
				f->value = col_text(ar, st, 1, &oom);
				break;
			}
			}
		}
		sqlite3_finalize(st);
	}
	return oom ? KBS_NOMEM : rc;
}

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
	        "SELECT id, kb_id, title, date, format, text, "
	        "(SELECT path FROM source_file WHERE article_id = article.id "
	        "ORDER BY id LIMIT 1) FROM article WHERE kb_id = ?",
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
	a->kb_id = col_text(&a->arena, st, 1, &oom);
	a->title = col_text(&a->arena, st, 2, &oom);
	a->date = col_text(&a->arena, st, 3, &oom);
	a->format = col_text(&a->arena, st, 4, &oom);
	a->text = col_text(&a->arena, st, 5, &oom);
	a->path = col_text(&a->arena, st, 6, &oom);
	rc = oom ? KBS_NOMEM : load_lists(a, db, sqlite3_column_int64(st, 0));
done:
	sqlite3_finalize(st);
	if (rc != KBS_OK) {
		kbs_article_free(a);
		return rc;
	}
	*out = a;
	return KBS_OK;
}
