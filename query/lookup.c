/*
 * lookup.c - exact lookups: articles by event ID, by error code, by file
 * name and version, by KB cross-reference; and one article by KB id.
 *
 * Each lookup reads the table the indexer filled for that field, keeps one
 * hit per article (the first row in the lookup's order wins), and lets
 * kbs__results_load() fill in titles, paths and products.
 */
#include "query.h"
/* kbs__parse() only, for kbs_article_get(): see "One article" below */
#include "../indexer/indexer.h"

#include <assert.h>
#include <ctype.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

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

/* The hit of article aid already in r, or NULL. Lookups return tens of
 * hits, not thousands: a linear scan is enough. */
static kbs_hit *
find_hit(kbs_results *r, sqlite3_int64 aid)
{
	for (size_t i = 0; i < r->n; i++)
		if (r->hits[i].article_id == aid)
			return &r->hits[i];
	return NULL;
}

/* Hand r to the caller, or free it on failure. */
static kbs_status
finish(kbs_results **out, kbs_results *r, kbs_status rc)
{
	if (rc != KBS_OK) {
		kbs_results_free(r);
		return rc;
	}
	*out = r;
	return KBS_OK;
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
/* Error codes                                                         */
/* ------------------------------------------------------------------ */

/* code[0..*len) without surrounding blanks and without a leading "STOP"
 * or "STOP:" (as a blue screen prints it). */
static const char *
code_trim(const char *code, size_t *len)
{
	const char *s = code, *e = code + strlen(code);
	while (s < e && isspace((unsigned char)*s))
		s++;
	while (e > s && isspace((unsigned char)e[-1]))
		e--;
	if (e - s > 4 && strncasecmp(s, "stop", 4) == 0 &&
	    (s[4] == ':' || isspace((unsigned char)s[4]))) {
		s += 4;
		while (s < e && (*s == ':' || isspace((unsigned char)*s)))
			s++;
	}
	*len = (size_t)(e - s);
	return s;
}

kbs_status
kbs_search_code(kbs_results **out, kbs_db *db, const char *code)
{
	sqlite3_stmt *st = NULL;
	kbs_results *r;
	kbs_status rc = KBS_OK;
	uint32_t value;
	size_t len;
	int src = SQLITE_DONE;

	assert(out != NULL && db != NULL && code != NULL);
	*out = NULL;
	const char *s = code_trim(code, &len);
	if (!kbs__code_parse(&value, s, len))
		return kbs__db_error(db, KBS_INVALID, "'%s': not an error code",
		                     code);
	if ((r = kbs__results_new()) == NULL)
		return KBS_NOMEM;
	/* The value itself, then its twin both ways: only one of these
	 * differs from value, and only for a facility-7 HRESULT or a
	 * 16-bit Win32 error. */
	if (sqlite3_prepare_v2(db->sqlite,
	        "SELECT article_id, code, notation, code = ?1 AS exact "
	        "FROM error_code WHERE code IN (?1, ?2, ?3) "
	        "ORDER BY exact DESC, article_id, rowid",
	        -1, &st, NULL) != SQLITE_OK) {
		rc = kbs__db_sqlite_error(db, "looking up error codes");
		goto done;
	}
	sqlite3_bind_int64(st, 1, (sqlite3_int64)value);
	sqlite3_bind_int64(st, 2, (sqlite3_int64)kbs__code_to_win32(value));
	sqlite3_bind_int64(st, 3, (sqlite3_int64)kbs__code_from_win32(value));
	while (rc == KBS_OK && (src = sqlite3_step(st)) == SQLITE_ROW) {
		sqlite3_int64 aid = sqlite3_column_int64(st, 0);
		if (find_hit(r, aid) != NULL)
			continue;
		bool exact = sqlite3_column_int(st, 3) != 0;
		kbs_hit *h = kbs__results_add(r, aid, exact ? 2.0 : 1.0);
		bool oom = false;
		if (h == NULL) {
			rc = KBS_NOMEM;
			break;
		}
		h->has_code = true;
		h->code.value = (uint32_t)sqlite3_column_int64(st, 1);
		h->code.text = col_text(&r->arena, st, 2, &oom);
		rc = oom ? KBS_NOMEM : kbs__hit_match(r, h, "code");
	}
	if (rc == KBS_OK && src != SQLITE_DONE)
		rc = kbs__db_sqlite_error(db, "looking up error codes");
	if (rc == KBS_OK)
		rc = kbs__results_load(r, db);
done:
	sqlite3_finalize(st);
	return finish(out, r, rc);
}

/* ------------------------------------------------------------------ */
/* Files                                                               */
/* ------------------------------------------------------------------ */

/* A version worth comparing: one with a digit in it ("N/A" is not). */
static bool
has_version(const char *v)
{
	if (v == NULL)
		return false;
	for (; *v != '\0'; v++)
		if (isdigit((unsigned char)*v))
			return true;
	return false;
}

/* Hits by their row's version, highest first, rows without one last;
 * then in indexing order, so that the order is total. */
static int
by_version_desc(const void *pa, const void *pb)
{
	const kbs_hit *a = pa, *b = pb;
	bool va = has_version(a->file.version);
	bool vb = has_version(b->file.version);
	if (va != vb)
		return va ? -1 : 1;
	if (va) {
		int c = kbs__file_version_cmp(b->file.version,
		                              a->file.version);
		if (c != 0)
			return c;
	}
	return (a->article_id > b->article_id) - (a->article_id < b->article_id);
}

kbs_status
kbs_search_file(kbs_results **out, kbs_db *db, const char *name,
                const char *version)
{
	sqlite3_stmt *st = NULL;
	kbs_results *r;
	kbs_status rc = KBS_OK;
	bool oom = false;
	int src = SQLITE_DONE;

	assert(out != NULL && db != NULL && name != NULL);
	*out = NULL;
	/* "C:\WINNT\System32\termsrv.exe" names termsrv.exe. */
	for (const char *p = name; *p != '\0'; p++)
		if (*p == '\\' || *p == '/')
			name = p + 1;
	while (isspace((unsigned char)*name))
		name++;
	size_t nlen = strlen(name);
	while (nlen > 0 && isspace((unsigned char)name[nlen - 1]))
		nlen--;
	if (nlen == 0)
		return kbs__db_error(db, KBS_INVALID, "no file name given");
	if (version != NULL && *version == '\0')
		version = NULL;
	if (version != NULL && !has_version(version))
		return kbs__db_error(db, KBS_INVALID,
		                     "'%s': not a file version", version);
	if ((r = kbs__results_new()) == NULL)
		return KBS_NOMEM;
	/* name has NOCASE collation in the schema, so = ignores case. */
	if (sqlite3_prepare_v2(db->sqlite,
	        "SELECT article_id, name, version, size, date, time, platform "
	        "FROM file WHERE name = ?1 ORDER BY article_id, rowid",
	        -1, &st, NULL) != SQLITE_OK) {
		rc = kbs__db_sqlite_error(db, "looking up files");
		goto done;
	}
	sqlite3_bind_text(st, 1, name, (int)nlen, SQLITE_STATIC);
	while (rc == KBS_OK && (src = sqlite3_step(st)) == SQLITE_ROW) {
		sqlite3_int64 aid = sqlite3_column_int64(st, 0);
		const char *ver = (const char *)sqlite3_column_text(st, 2);
		kbs_hit *h = find_hit(r, aid);
		/* Of an article's rows, the highest version speaks for it. */
		if (h != NULL && (!has_version(ver) ||
		    (has_version(h->file.version) &&
		     kbs__file_version_cmp(ver, h->file.version) <= 0)))
			continue;
		if (h == NULL) {
			if ((h = kbs__results_add(r, aid, 1.0)) == NULL) {
				rc = KBS_NOMEM;
				break;
			}
			rc = kbs__hit_match(r, h, "file");
		}
		h->has_file = true;
		h->file.name = col_text(&r->arena, st, 1, &oom);
		h->file.version = col_text(&r->arena, st, 2, &oom);
		h->file.size = sqlite3_column_type(st, 3) == SQLITE_NULL
		             ? -1 : sqlite3_column_int64(st, 3);
		h->file.date = col_text(&r->arena, st, 4, &oom);
		h->file.time = col_text(&r->arena, st, 5, &oom);
		h->file.platform = col_text(&r->arena, st, 6, &oom);
	}
	if (oom)
		rc = KBS_NOMEM;
	if (rc == KBS_OK && src != SQLITE_DONE)
		rc = kbs__db_sqlite_error(db, "looking up files");
	for (size_t i = 0; rc == KBS_OK && i < r->n; i++) {
		kbs_hit *h = &r->hits[i];
		h->version_cmp = KBS_VERSION_UNKNOWN;
		if (version != NULL && has_version(h->file.version)) {
			h->version_cmp = kbs__file_version_cmp(
			    h->file.version, version);
			rc = kbs__hit_match(r, h, "version");
		}
	}
	if (rc == KBS_OK && r->n > 1)
		qsort(r->hits, r->n, sizeof *r->hits, by_version_desc);
	if (rc == KBS_OK)
		rc = kbs__results_load(r, db);
done:
	sqlite3_finalize(st);
	return finish(out, r, rc);
}

/* ------------------------------------------------------------------ */
/* KB cross-references                                                 */
/* ------------------------------------------------------------------ */

/* Add a hit of kind, matched as name, for each row of st: (the KB id it
 * is known by, or NULL to load it with the others; article.id, 0 when
 * it is not in the database). A KB id already among the hits is passed
 * over. Returns KBS_OK, KBS_DB or KBS_NOMEM. */
static kbs_status
ref_hits(kbs_results *r, kbs_db *db, sqlite3_stmt *st, kbs_ref_kind kind,
         const char *name)
{
	kbs_status rc = KBS_OK;
	int src = SQLITE_DONE;
	while (rc == KBS_OK && (src = sqlite3_step(st)) == SQLITE_ROW) {
		const char *ref = (const char *)sqlite3_column_text(st, 0);
		size_t i = 0;
		while (ref != NULL && i < r->n && (r->hits[i].kb_id == NULL ||
		                                   strcmp(r->hits[i].kb_id,
		                                          ref) != 0))
			i++;
		if (ref != NULL && i < r->n)
			continue;
		kbs_hit *h = kbs__results_add(r, sqlite3_column_int64(st, 1),
		                              1.0);
		if (h == NULL || (ref != NULL &&
		                  (h->kb_id = kbs__arena_strdup(&r->arena, ref))
		                  == NULL)) {
			rc = KBS_NOMEM;
			break;
		}
		h->ref = kind;
		rc = kbs__hit_match(r, h, name);
	}
	if (rc == KBS_OK && src != SQLITE_DONE)
		rc = kbs__db_sqlite_error(db, "looking up references");
	return rc;
}

kbs_status
kbs_search_refs(kbs_results **out, kbs_db *db, const char *kb_id)
{
	char canon[16];
	sqlite3_stmt *cites = NULL, *cited = NULL;
	kbs_results *r;
	kbs_status rc = KBS_OK;

	assert(out != NULL && db != NULL && kb_id != NULL);
	*out = NULL;
	/* An article without a KB id is known by its article id: it can
	 * cite others, but nothing can cite it. */
	sqlite3_int64 self = 0;
	if (kbs__aid_canon(canon, kb_id, strlen(kb_id))) {
		rc = kbs__aid_find(&self, db, canon);
		if (rc == KBS_NOT_FOUND)
			self = -1, rc = KBS_OK;  /* empty result, as for a KB
			                            id nobody cites */
		if (rc != KBS_OK)
			return rc;
	} else if (!kbs__kbid_canon(canon, sizeof canon, kb_id,
	                            strlen(kb_id)))
		return kbs__db_error(db, KBS_INVALID, "'%s': not a KB article id "
		                     "nor an article id", kb_id);
	if ((r = kbs__results_new()) == NULL)
		return KBS_NOMEM;
	/* Outgoing in the order the article names them (kb_ref rowid order
	 * is extraction order); a target not in the database has no id. */
	if (sqlite3_prepare_v2(db->sqlite,
	        "SELECT r.ref_kb_id, coalesce(t.id, 0) FROM article a "
	        "JOIN kb_ref r ON r.article_id = a.id "
	        "LEFT JOIN article t ON t.kb_id = r.ref_kb_id "
	        "WHERE (a.kb_id = ?1 OR a.id = ?2) AND r.ref_kb_id <> ?1 "
	        "ORDER BY r.rowid",
	        -1, &cites, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(db->sqlite,
	        "SELECT NULL, a.id FROM kb_ref r "
	        "JOIN article a ON a.id = r.article_id "
	        "WHERE r.ref_kb_id = ?1 AND a.kb_id IS NOT ?1 "
	        "GROUP BY a.id ORDER BY a.kb_id IS NULL, "
	        "CAST(substr(a.kb_id, 2) AS INTEGER), a.id",
	        -1, &cited, NULL) != SQLITE_OK) {
		rc = kbs__db_sqlite_error(db, "looking up references");
		goto done;
	}
	sqlite3_bind_text(cites, 1, canon, -1, SQLITE_STATIC);
	sqlite3_bind_int64(cites, 2, self);
	rc = ref_hits(r, db, cites, KBS_REF_CITES, "cites");
	sqlite3_bind_text(cited, 1, canon, -1, SQLITE_STATIC);
	if (rc == KBS_OK)
		rc = ref_hits(r, db, cited, KBS_REF_CITED_BY, "cited_by");
	if (rc == KBS_OK)
		rc = kbs__results_load(r, db);
done:
	sqlite3_finalize(cites);
	sqlite3_finalize(cited);
	return finish(out, r, rc);
}

/* ------------------------------------------------------------------ */
/* One article                                                         */
/* ------------------------------------------------------------------ */

/*
 * An article is shown from its stored text, parsed again: the same parser
 * gave the indexed fields, so sections, events, codes and the rest come
 * out as they were indexed, and the database need not hold a second copy
 * of every section. This is the query side's one call into the indexer,
 * kbs__parse() (indexer/indexer.h); nothing else of indexer/ is used here
 * (docs/ARCHITECTURE.md, Folders).
 */
/* Every file the article was read from, the supplying one first. */
static kbs_status
load_sources(kbs_db *db, kbs_article *a, sqlite3_int64 id)
{
	sqlite3_stmt *st = NULL;
	kbs_status rc = KBS_OK;
	bool oom = false;
	if (sqlite3_prepare_v2(db->sqlite, "SELECT path FROM source_file "
	        "WHERE article_id = ? ORDER BY path IS NOT ?, path", -1, &st,
	        NULL) != SQLITE_OK)
		return kbs__db_sqlite_error(db, "loading source files");
	sqlite3_bind_int64(st, 1, id);
	sqlite3_bind_text(st, 2, a->path, -1, SQLITE_STATIC);
	while (rc == KBS_OK && sqlite3_step(st) == SQLITE_ROW) {
		const char **slot = KBS__PUSH(&a->arena, a->sources,
		                              a->nsources, a->capsources);
		if (slot == NULL ||
		    (*slot = col_text(&a->arena, st, 0, &oom)) == NULL || oom)
			rc = KBS_NOMEM;
	}
	sqlite3_finalize(st);
	return rc;
}

/* Load the one article the query sql (with its key bound to ?1) selects
 * as (kb_id, source_path, id); label names it in messages. */
static kbs_status
article_load(kbs_article **out, kbs_db *db, const char *sql,
             const char *key, const char *label)
{
	sqlite3_stmt *st = NULL;
	kbs_article *a = NULL;
	kbs_status rc = KBS_OK;
	bool oom = false;
	char *text = NULL;
	size_t len = 0;

	if (sqlite3_prepare_v2(db->sqlite, sql, -1, &st, NULL) != SQLITE_OK) {
		rc = kbs__db_sqlite_error(db, "loading an article");
		goto done;
	}
	sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
	if (sqlite3_step(st) != SQLITE_ROW) {
		rc = kbs__db_error(db, KBS_NOT_FOUND, "%s: no such article",
		                   label);
		goto done;
	}
	if ((a = kbs__article_new()) == NULL) {
		rc = KBS_NOMEM;
		goto done;
	}
	rc = kbs__article_text(db, sqlite3_column_int64(st, 2),
	                       KBS__PART_TEXT, &text, &len);
	if (rc == KBS_OK)
		rc = kbs__parse(a, text, len);
	if (rc == KBS_PARSE)
		rc = kbs__db_error(db, KBS_PARSE, "%s: stored text unreadable",
		                   label);
	if (rc == KBS_OK) {
		a->kb_id = col_text(&a->arena, st, 0, &oom);
		a->path = col_text(&a->arena, st, 1, &oom);
		if (a->kb_id == NULL && a->path != NULL && !oom) {
			char aid[KBS__AID_SIZE];
			kbs__article_aid(aid, a->path);
			oom = (a->kb_id = kbs__arena_strdup(&a->arena, aid))
			      == NULL;
		}
		if (oom)
			rc = KBS_NOMEM;
	}
	if (rc == KBS_OK)
		rc = load_sources(db, a, sqlite3_column_int64(st, 2));
done:
	sqlite3_finalize(st);
	free(text);
	if (rc != KBS_OK) {
		kbs_article_free(a);
		return rc;
	}
	*out = a;
	return KBS_OK;
}

kbs_status
kbs_article_get(kbs_article **out, kbs_db *db, const char *kb_id)
{
	char canon[16];

	assert(out != NULL && db != NULL && kb_id != NULL);
	*out = NULL;
	if (kbs__aid_canon(canon, kb_id, strlen(kb_id))) {
		sqlite3_int64 id;
		char key[32];
		kbs_status rc = kbs__aid_find(&id, db, canon);
		if (rc != KBS_OK)
			return rc;
		snprintf(key, sizeof key, "%lld", (long long)id);
		return article_load(out, db, "SELECT kb_id, source_path, id "
		                             "FROM article WHERE id = ?1",
		                    key, canon);
	}
	if (!kbs__kbid_canon(canon, sizeof canon, kb_id, strlen(kb_id)))
		return kbs__db_error(db, KBS_INVALID, "%s: not a KB article id "
		                     "(Q123456, KB123456, 123456) nor an "
		                     "article id (A and 10 hex digits)", kb_id);
	return article_load(out, db, "SELECT kb_id, source_path, id "
	                             "FROM article WHERE kb_id = ?1",
	                    canon, canon);
}

kbs_status
kbs__aid_find(sqlite3_int64 *out, kbs_db *db, const char *aid)
{
	sqlite3_stmt *st = NULL;
	kbs_status rc = KBS_NOT_FOUND;
	int src;
	/* Articles without a KB id are few next to the KB's own: hashing
	 * their paths here costs less than a column every index run must
	 * fill. */
	if (sqlite3_prepare_v2(db->sqlite, "SELECT id, source_path FROM "
	        "article WHERE kb_id IS NULL ORDER BY id", -1, &st, NULL)
	    != SQLITE_OK)
		return kbs__db_sqlite_error(db, "looking up an article id");
	while ((src = sqlite3_step(st)) == SQLITE_ROW) {
		const char *path = (const char *)sqlite3_column_text(st, 1);
		char got[KBS__AID_SIZE];
		if (path == NULL)
			continue;
		kbs__article_aid(got, path);
		if (strcmp(got, aid) == 0) {
			*out = sqlite3_column_int64(st, 0);
			rc = KBS_OK;
			break;
		}
	}
	if (src != SQLITE_ROW && src != SQLITE_DONE)
		rc = kbs__db_sqlite_error(db, "looking up an article id");
	else if (rc == KBS_NOT_FOUND)
		rc = kbs__db_error(db, KBS_NOT_FOUND, "%s: no such article",
		                   aid);
	sqlite3_finalize(st);
	return rc;
}

kbs_status
kbs_article_get_by_source(kbs_article **out, kbs_db *db, const char *path)
{
	assert(out != NULL && db != NULL && path != NULL);
	*out = NULL;
	/* kb_id as results give it: the article id when there is none. */
	return article_load(out, db,
	    "SELECT a.kb_id, a.source_path, a.id "
	    "FROM source_file f JOIN article a ON a.id = f.article_id "
	    "WHERE f.id = kbs_path_key(?1) AND f.path = ?1", path, path);
}
