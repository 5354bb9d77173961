/*
 * dbwrite.c - the SQL store of an index run: the statements that write an
 * article with its records (events, codes, files, products, references,
 * registry paths) and its full-text row, link source files to articles,
 * merge an article's renderings, and prune what went away.
 *
 * One KB article may come as several files (its classic text, its
 * Markdown and its HTML renderings): they are one article row, and every
 * file is a source_file row pointing at it. The best structured file
 * supplies the article's fields (the formats' precedence in parse.c;
 * between two files of one format, the first path in byte order), so the
 * article is the same whichever file was indexed first. When the
 * supplying file changes its KB id or goes away, the best remaining file
 * is parsed again (kbs__read_article(), run.c).
 */
#include "indexer.h"

#include <assert.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

enum {
	ST_INSERT_ARTICLE, ST_DELETE_ARTICLE, ST_FIND_KBID,
	ST_UPDATE_SOURCE, ST_INSERT_SOURCE, ST_EVENT, ST_CODE, ST_FILE, ST_PRODUCT,
	ST_REF, ST_REGISTRY, ST_SOURCE_OF, ST_SUPPLIER,
	ST_NSOURCES, ST_SOURCES, ST_ORPHAN_SOURCES, ST_FTS, ST_TOUCH_SOURCE, ST_COUNT
};

static const char *const sql[ST_COUNT] = {
	[ST_INSERT_ARTICLE] =
		"INSERT INTO article(kb_id, title, date, category, format, "
		"packed, source_path, id) VALUES (?,?,?,?,?,?,?,?)",
	[ST_DELETE_ARTICLE] = "DELETE FROM article WHERE id=?",
	[ST_FIND_KBID] = "SELECT id FROM article WHERE kb_id=?",
	/* An UPDATE, then an INSERT when no row changed: an upsert would
	 * open a statement journal, and with it a savepoint at which FTS5
	 * flushes its pending postings, once per file. */
	[ST_UPDATE_SOURCE] =
		"UPDATE source_file SET article_id=?2, content_hash=?3, "
		"size=?4, format=?5, mtime=?6, charset=?7 "
		"WHERE id=?8 AND path=?1",
	[ST_INSERT_SOURCE] =
		"INSERT INTO source_file(path, article_id, content_hash, size, "
		"format, mtime, charset, id) VALUES (?1,?2,?3,?4,?5,?6,?7,?8)",
	[ST_TOUCH_SOURCE] =
		"UPDATE source_file SET size=?2, mtime=?3 "
		"WHERE id=?4 AND path=?1",
	[ST_EVENT] = "INSERT INTO event VALUES (?,?,?,?,?,?)",
	[ST_CODE] = "INSERT INTO error_code VALUES (?,?,?)",
	[ST_FILE] = "INSERT INTO file VALUES (?,?,?,?,?,?,?)",
	[ST_PRODUCT] = "INSERT INTO product VALUES (?,?,?)",
	[ST_REF] = "INSERT INTO kb_ref VALUES (?,?)",
	[ST_REGISTRY] = "INSERT INTO registry VALUES (?,?)",
	[ST_SOURCE_OF] = "SELECT article_id FROM source_file "
		"WHERE id=?2 AND path=?1",
	[ST_SUPPLIER] = "SELECT source_path, format, kb_id IS NULL "
		"FROM article WHERE id=?",
	[ST_NSOURCES] = "SELECT count(*) FROM source_file WHERE article_id=?",
	[ST_SOURCES] = "SELECT path, format FROM source_file "
		"WHERE article_id=?",
	[ST_ORPHAN_SOURCES] = "UPDATE source_file SET article_id=NULL "
		"WHERE article_id=?",
	[ST_FTS] = "INSERT INTO article_fts(rowid, title, symptoms, cause, "
		"resolution, body, keywords, messages) VALUES (?,?,?,?,?,?,?,?)",
};

struct kbs__dbwrite {
	kbs_db *db;
	sqlite3_stmt *st[ST_COUNT];
	kbs__packer *packer;         /* compresses the stored text */
	unsigned long pruned;        /* articles deleted by settle() */
};

typedef kbs__dbwrite store;
typedef kbs__job job;

kbs_status
kbs__dbwrite_new(kbs__dbwrite **out, kbs_db *db)
{
	kbs_status rc = KBS_OK;
	store *r = calloc(1, sizeof *r);
	*out = NULL;
	if (r == NULL)
		return KBS_NOMEM;
	r->db = db;
	for (size_t i = 0; rc == KBS_OK && i < ST_COUNT; i++)
		if (sqlite3_prepare_v3(db->sqlite, sql[i], -1,
		                       SQLITE_PREPARE_PERSISTENT, &r->st[i],
		                       NULL) != SQLITE_OK)
			rc = kbs__db_sqlite_error(db, "preparing the writer");
	if (rc == KBS_OK)
		rc = kbs__packer_new(&r->packer, db);
	if (rc != KBS_OK) {
		kbs__dbwrite_free(r);
		return rc;
	}
	*out = r;
	return KBS_OK;
}

void
kbs__dbwrite_free(kbs__dbwrite *r)
{
	if (r == NULL)
		return;
	for (size_t i = 0; i < ST_COUNT; i++)
		sqlite3_finalize(r->st[i]);
	kbs__packer_free(r->packer);
	free(r);
}

kbs_status
kbs__dbwrite_finish(kbs__dbwrite *r)
{
	return kbs__packer_finish(r->packer);
}

static int
bind_text(sqlite3_stmt *st, int i, const char *s)
{
	return s != NULL ? sqlite3_bind_text(st, i, s, -1, SQLITE_STATIC)
	                 : sqlite3_bind_null(st, i);
}

/* Step a prepared insert and reset it; SQLITE_DONE is success. */
static kbs_status
step(store *r, sqlite3_stmt *st, const char *what)
{
	int src = sqlite3_step(st);
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	if (src != SQLITE_DONE && src != SQLITE_ROW)
		return kbs__db_sqlite_error(r->db, what);
	return KBS_OK;
}

kbs_status
kbs__sql_exec(kbs_db *db, const char *q)
{
	if (sqlite3_exec(db->sqlite, q, NULL, NULL, NULL) != SQLITE_OK)
		return kbs__db_sqlite_error(db, q);
	return KBS_OK;
}

kbs_status
kbs__dbwrite_commit(kbs_db *db)
{
	return kbs__sql_exec(db, "INSERT OR REPLACE INTO meta(key, value) "
	                         "SELECT 'articles', count(*) FROM article; "
	                         "COMMIT");
}

kbs_status
kbs__dbwrite_spelling_outdated(kbs_db *db)
{
	return kbs__sql_exec(db, "INSERT OR REPLACE INTO meta(key, value) "
	                         "VALUES ('spelling', 'stale'); "
	                         "DELETE FROM meta WHERE key = 'terms'");
}

bool
kbs__dbwrite_spelling_stale(kbs_db *db)
{
	long long rebuilt = 0;
	return kbs__db_count(db, "SELECT count(*) FROM meta WHERE key = "
	                     "'spelling' AND value = 'rebuilt'", &rebuilt) !=
	       KBS_OK || rebuilt == 0;
}

/* Is a term of the full-text index a word spelling correction may choose:
 * 4 to 63 letters a-z (query/typos.c)? */
static bool
spelling_word(const unsigned char *t, int n)
{
	if (t == NULL || n < 4 || n > 63)
		return false;
	for (int i = 0; i < n; i++)
		if (t[i] < 'a' || t[i] > 'z')
			return false;
	return true;
}

kbs_status
kbs__dbwrite_spelling(kbs_db *db)
{
	sqlite3_stmt *vocab = NULL, *ins = NULL, *meta = NULL;
	long long nterms = 0;
	int src = SQLITE_OK;

	/* the table as schema/kbsearch.sql makes it, for a file made before
	 * it was there (the schema version did not change) */
	kbs_status rc = kbs__sql_exec(db, "CREATE TABLE IF NOT EXISTS "
	    "spelling (term TEXT PRIMARY KEY, df INTEGER NOT NULL) "
	    "WITHOUT ROWID; DELETE FROM spelling");
	if (rc != KBS_OK)
		return rc;
	/* One pass over article_vocab, which reads every posting list:
	 * the spelling words and the number of distinct terms that
	 * kbs_db_get_stats() reports. */
	if (sqlite3_prepare_v2(db->sqlite, "SELECT term, doc FROM "
	                       "article_vocab", -1, &vocab, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(db->sqlite, "INSERT INTO spelling(term, df) "
	                       "VALUES (?1, ?2)", -1, &ins, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(db->sqlite, "INSERT OR REPLACE INTO meta(key, "
	                       "value) VALUES ('terms', ?1), ('spelling', "
	                       "'rebuilt')", -1, &meta, NULL) != SQLITE_OK)
		src = SQLITE_ERROR;
	while (src == SQLITE_OK && (src = sqlite3_step(vocab)) == SQLITE_ROW) {
		const unsigned char *t = sqlite3_column_text(vocab, 0);
		int n = sqlite3_column_bytes(vocab, 0);
		nterms++;
		src = SQLITE_OK;
		if (!spelling_word(t, n))
			continue;
		sqlite3_bind_text(ins, 1, (const char *)t, n, SQLITE_STATIC);
		sqlite3_bind_int64(ins, 2, sqlite3_column_int64(vocab, 1));
		src = sqlite3_step(ins);
		sqlite3_reset(ins);
		src = src == SQLITE_DONE ? SQLITE_OK : src;
	}
	if (src == SQLITE_DONE) {
		sqlite3_bind_int64(meta, 1, nterms);
		src = sqlite3_step(meta);
	}
	if (src != SQLITE_DONE)
		rc = kbs__db_sqlite_error(db, "rebuilding the spelling table");
	sqlite3_finalize(vocab);
	sqlite3_finalize(ins);
	sqlite3_finalize(meta);
	return rc;
}

static kbs_status
exec(store *r, const char *q)
{
	return kbs__sql_exec(r->db, q);
}

static kbs_status
delete_article(store *r, sqlite3_int64 id)
{
	sqlite3_stmt *st = r->st[ST_DELETE_ARTICLE];
	sqlite3_bind_int64(st, 1, id);
	return step(r, st, "deleting an article");
}

/* Insert a and its records, read from source file path. *id is the id
 * to give the row, or -1 for a new one; it receives the id used. */
static kbs_status
insert_article(store *r, const kbs_article *a, const char *path,
               sqlite3_int64 *id)
{
	sqlite3_stmt *st = r->st[ST_INSERT_ARTICLE];
	const char *cols[] = {
		a->kb_id, a->title, a->date, a->category, a->format,
	};
	/* in enum kbs__part order */
	const char *parts[KBS__NPARTS] = {
		a->text, a->symptoms, a->cause, a->resolution, a->body,
		a->keywords, a->messages_text,
	};
	const void *packed;
	size_t plen;
	kbs_status rc;
	size_t i;

	rc = kbs__pack(r->packer, parts, &packed, &plen);
	if (rc != KBS_OK)
		return rc;
	for (i = 0; i < sizeof cols / sizeof *cols; i++)
		bind_text(st, (int)i + 1, cols[i]);
	sqlite3_bind_blob(st, (int)i + 1, packed, (int)plen, SQLITE_STATIC);
	bind_text(st, (int)i + 2, path);
	if (*id >= 0)
		sqlite3_bind_int64(st, (int)i + 3, *id);
	rc = step(r, st, "storing an article");
	if (rc != KBS_OK)
		return rc;
	*id = sqlite3_last_insert_rowid(r->db->sqlite);
	rc = kbs__packer_stored(r->packer, *id);
	if (rc != KBS_OK)
		return rc;

	/* its full-text columns, in article_fts column order */
	const char *fts[] = {
		a->title, a->symptoms, a->cause, a->resolution, a->body,
		a->keywords, a->messages_text,
	};
	st = r->st[ST_FTS];
	sqlite3_bind_int64(st, 1, *id);
	for (i = 0; i < sizeof fts / sizeof *fts; i++)
		bind_text(st, (int)i + 2, fts[i]);
	rc = step(r, st, "indexing an article");

	for (i = 0; rc == KBS_OK && i < a->nevents; i++) {
		const kbs_event *e = &a->events[i];
		st = r->st[ST_EVENT];
		sqlite3_bind_int64(st, 1, *id);
		sqlite3_bind_int64(st, 2, e->id);
		bind_text(st, 3, e->source);
		bind_text(st, 4, e->type);
		bind_text(st, 5, e->category);
		bind_text(st, 6, e->description);
		rc = step(r, st, "storing an event");
	}
	for (i = 0; rc == KBS_OK && i < a->ncodes; i++) {
		st = r->st[ST_CODE];
		sqlite3_bind_int64(st, 1, *id);
		sqlite3_bind_int64(st, 2, (sqlite3_int64)a->codes[i].value);
		bind_text(st, 3, a->codes[i].text ? a->codes[i].text : "");
		rc = step(r, st, "storing an error code");
	}
	for (i = 0; rc == KBS_OK && i < a->nfiles; i++) {
		const kbs_file *f = &a->files[i];
		st = r->st[ST_FILE];
		sqlite3_bind_int64(st, 1, *id);
		bind_text(st, 2, f->name ? f->name : "");
		bind_text(st, 3, f->version);
		if (f->size >= 0)
			sqlite3_bind_int64(st, 4, f->size);
		bind_text(st, 5, f->date);
		bind_text(st, 6, f->time);
		bind_text(st, 7, f->platform);
		rc = step(r, st, "storing a file row");
	}
	for (i = 0; rc == KBS_OK && i < a->nproducts; i++) {
		st = r->st[ST_PRODUCT];
		sqlite3_bind_int64(st, 1, *id);
		bind_text(st, 2, a->products[i].name ? a->products[i].name : "");
		bind_text(st, 3, a->products[i].version);
		rc = step(r, st, "storing a product");
	}
	for (i = 0; rc == KBS_OK && i < a->nrefs; i++) {
		st = r->st[ST_REF];
		sqlite3_bind_int64(st, 1, *id);
		bind_text(st, 2, a->refs[i]);
		rc = step(r, st, "storing a reference");
	}
	for (i = 0; rc == KBS_OK && i < a->nregistry; i++) {
		st = r->st[ST_REGISTRY];
		sqlite3_bind_int64(st, 1, *id);
		bind_text(st, 2, a->registry[i]);
		rc = step(r, st, "storing a registry path");
	}
	return rc;
}

/* Should the file (format, path) supply an article's fields rather than
 * the file (format2, path2)? */
static bool
supplies_better(const char *format, const char *path, const char *format2,
                const char *path2)
{
	int a = kbs__format_precedence(format),
	    b = kbs__format_precedence(format2);
	if (a != b)
		return a < b;
	return path2 == NULL || strcmp(path, path2) < 0;
}

/* Run a one-row, one-integer query bound to an id; -1 when no row. */
static sqlite3_int64
query_id(store *r, int which, sqlite3_int64 id, const char *text)
{
	sqlite3_stmt *st = r->st[which];
	if (text != NULL) {
		sqlite3_bind_text(st, 1, text, -1, SQLITE_STATIC);
		if (sqlite3_bind_parameter_count(st) >= 2)   /* a path */
			sqlite3_bind_int64(st, 2, kbs__path_key(text));
	} else
		sqlite3_bind_int64(st, 1, id);
	sqlite3_int64 v = -1;
	if (sqlite3_step(st) == SQLITE_ROW &&
	    sqlite3_column_type(st, 0) != SQLITE_NULL)
		v = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	return v;
}

/* The file that supplies article id, its format, and whether the article
 * has no KB id. Strings are heap copies (caller frees); false when the
 * article does not exist or out of memory. */
static bool
supplier_of(store *r, sqlite3_int64 id, char **path, char **format,
            bool *no_kbid)
{
	sqlite3_stmt *st = r->st[ST_SUPPLIER];
	bool found = false;
	*path = *format = NULL;
	sqlite3_bind_int64(st, 1, id);
	if (sqlite3_step(st) == SQLITE_ROW) {
		const char *p = (const char *)sqlite3_column_text(st, 0);
		const char *f = (const char *)sqlite3_column_text(st, 1);
		*path = p != NULL ? strdup(p) : NULL;
		*format = f != NULL ? strdup(f) : NULL;
		*no_kbid = sqlite3_column_int(st, 2) != 0;
		found = (p == NULL || *path != NULL) &&
		        (f == NULL || *format != NULL);
	}
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	return found;
}

/* Replace the fields and records of article id (or insert a new article
 * when *id is -1) with a, supplied by path. */
static kbs_status
put_article(store *r, const kbs_article *a, const char *path,
            sqlite3_int64 *id)
{
	kbs_status rc = KBS_OK;
	if (*id >= 0)
		rc = delete_article(r, *id);
	return rc == KBS_OK ? insert_article(r, a, path, id) : rc;
}

/* Point the source_file row of path at article_id; known says whether
 * the row exists (then it is updated, else inserted). */
static kbs_status
link_source(store *r, const char *path, sqlite3_int64 article_id,
            const char *hash, size_t size, const char *format, bool known,
            long long mtime, const char *charset)
{
	kbs_status rc = KBS_OK;
	for (int which = known ? ST_UPDATE_SOURCE : ST_INSERT_SOURCE;
	     rc == KBS_OK &&
	                                   which <= ST_INSERT_SOURCE; which++) {
		sqlite3_stmt *st = r->st[which];
		sqlite3_bind_text(st, 1, path, -1, SQLITE_STATIC);
		sqlite3_bind_int64(st, 2, article_id);
		sqlite3_bind_int64(st, 3,
		                   (sqlite3_int64)strtoull(hash, NULL, 16));
		sqlite3_bind_int64(st, 4, (sqlite3_int64)size);
		bind_text(st, 5, format);
		sqlite3_bind_int64(st, 6, mtime);
		/* UTF-8 (ASCII included) is the rule: NULL */
		bind_text(st, 7, charset != NULL && charset[0] != '\0' &&
		                 strcmp(charset, "UTF-8") != 0 ? charset : NULL);
		sqlite3_bind_int64(st, 8, kbs__path_key(path));
		rc = step(r, st, "storing the source file");
		if (rc == KBS_OK && which == ST_UPDATE_SOURCE &&
		    sqlite3_changes(r->db->sqlite) > 0)
			break;
	}
	return rc;
}

/*
 * Article id lost the file that supplied its fields: the best of its
 * remaining files supplies them now. A remaining file that no longer
 * parses is left without article (the next run reads it again); an
 * article with no file left is deleted.
 */
static kbs_status
resupply(store *r, sqlite3_int64 id)
{
	sqlite3_stmt *st = r->st[ST_SOURCES];
	char *best = NULL, *bestfmt = NULL;
	kbs_status rc = KBS_OK;

	sqlite3_bind_int64(st, 1, id);
	while (rc == KBS_OK && sqlite3_step(st) == SQLITE_ROW) {
		const char *p = (const char *)sqlite3_column_text(st, 0);
		const char *f = (const char *)sqlite3_column_text(st, 1);
		if (best != NULL && !supplies_better(f, p, bestfmt, best))
			continue;
		free(best);
		free(bestfmt);
		best = strdup(p);
		bestfmt = f != NULL ? strdup(f) : NULL;
		if (best == NULL || (f != NULL && bestfmt == NULL))
			rc = KBS_NOMEM;
	}
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);

	kbs_article *a = NULL;
	char reason[256];
	if (rc == KBS_OK && best != NULL) {
		rc = kbs__read_article(best, &a, reason, sizeof reason);
		if (rc == KBS_OK && a != NULL)
			rc = put_article(r, a, best, &id);
		else if (rc == KBS_OK || rc == KBS_IO || rc == KBS_PARSE)
			best = (free(best), NULL);
		if (rc == KBS_IO || rc == KBS_PARSE)
			rc = KBS_OK;
	}
	if (rc == KBS_OK && best == NULL) {
		/* nothing left to supply the article */
		st = r->st[ST_ORPHAN_SOURCES];
		sqlite3_bind_int64(st, 1, id);
		rc = step(r, st, "detaching source files");
		if (rc == KBS_OK)
			rc = delete_article(r, id);
	}
	kbs_article_free(a);
	free(best);
	free(bestfmt);
	return rc;
}

/*
 * The store's part of one file: store its article, or merge it into
 * the article of the same KB id (kbs__dbwrite_file() in indexer.h).
 */
bool
kbs__dbwrite_needed(const job *j)
{
	return j->outcome == KBS_FILE_ADDED ||
	       (j->outcome == KBS_FILE_UNCHANGED && j->touched);
}

kbs_status
kbs__dbwrite_file(store *r, job *j)
{
	const kbs_article *a = j->article;
	char *suppath = NULL, *supfmt = NULL;
	bool no_kbid = false;
	kbs_status rc = KBS_OK;

	if (j->outcome == KBS_FILE_UNCHANGED && j->touched) {
		/* same content, new time stamp: remember it, so that the
		 * next run need not read the file */
		sqlite3_stmt *st = r->st[ST_TOUCH_SOURCE];
		sqlite3_bind_text(st, 1, j->path, -1, SQLITE_STATIC);
		sqlite3_bind_int64(st, 2, (sqlite3_int64)j->size);
		sqlite3_bind_int64(st, 3, j->mtime);
		sqlite3_bind_int64(st, 4, kbs__path_key(j->path));
		return step(r, st, "storing a time stamp");
	}
	if (j->outcome != KBS_FILE_ADDED)
		return j->rc;

	/* The article this file belonged to, and the one it belongs to now:
	 * the article of its KB id, else its own keyless article. */
	sqlite3_int64 was = query_id(r, ST_SOURCE_OF, 0, j->path);
	sqlite3_int64 to = -1;
	if (a->kb_id != NULL)
		to = query_id(r, ST_FIND_KBID, 0, a->kb_id);
	else if (was >= 0 && supplier_of(r, was, &suppath, &supfmt, &no_kbid)
	         && no_kbid)
		to = was;
	free(suppath);
	free(supfmt);
	suppath = supfmt = NULL;

	if (to >= 0) {
		if (!supplier_of(r, to, &suppath, &supfmt, &no_kbid))
			rc = KBS_NOMEM;
		else if ((suppath != NULL && strcmp(suppath, j->path) == 0) ||
		         supplies_better(a->format, j->path, supfmt, suppath))
			rc = put_article(r, a, j->path, &to);
	} else {
		rc = put_article(r, a, j->path, &to);
	}
	if (rc == KBS_OK)
		rc = link_source(r, j->path, to, j->hash, j->size, a->format,
		                 j->was != NULL, j->mtime, j->charset);

	/* The article the file left keeps its other files. */
	if (rc == KBS_OK && was >= 0 && was != to) {
		free(suppath);
		free(supfmt);
		if (!supplier_of(r, was, &suppath, &supfmt, &no_kbid))
			suppath = supfmt = NULL;
		else if (query_id(r, ST_NSOURCES, was, NULL) <= 0)
			rc = delete_article(r, was);
		else if (suppath != NULL && strcmp(suppath, j->path) == 0)
			rc = resupply(r, was);
	}
	free(suppath);
	free(supfmt);

	/* A failure here is SQLite's (disk full, I/O, out of memory): it
	 * stops the run, whose open transaction is rolled back whole. No
	 * savepoint per file: FTS5 flushes its pending postings at every
	 * savepoint, which would write one tiny segment per file. */
	if (rc == KBS_OK && j->was != NULL)
		j->outcome = KBS_FILE_UPDATED;
	return rc;
}

/* After source files were removed: articles whose supplying file went
 * while others remain are supplied again by one of those; articles left
 * with no source file are deleted and counted in r->pruned. */
static kbs_status
settle(store *r)
{
	sqlite3_stmt *sel = NULL;
	kbs_status rc = KBS_OK;
	long long before = 0, after = 0;

	rc = kbs__db_count(r->db, "SELECT count(*) FROM article", &before);
	if (rc == KBS_OK &&
	    sqlite3_prepare_v2(r->db->sqlite, "SELECT id FROM article a "
	        "WHERE NOT EXISTS (SELECT 1 FROM source_file s WHERE "
	        "s.id = kbs_path_key(a.source_path) AND s.path = a.source_path)"
	        " AND EXISTS (SELECT 1 FROM "
	        "source_file s WHERE s.article_id = a.id)", -1, &sel,
	        NULL) != SQLITE_OK)
		rc = kbs__db_sqlite_error(r->db, "pruning");
	sqlite3_int64 *ids = NULL;
	size_t nids = 0, capids = 0;
	while (rc == KBS_OK && sqlite3_step(sel) == SQLITE_ROW) {
		if (nids == capids) {
			capids = capids ? capids * 2 : 16;
			sqlite3_int64 *n = realloc(ids, capids * sizeof *n);
			if (n == NULL) {
				rc = KBS_NOMEM;
				break;
			}
			ids = n;
		}
		ids[nids++] = sqlite3_column_int64(sel, 0);
	}
	sqlite3_finalize(sel);
	for (size_t k = 0; rc == KBS_OK && k < nids; k++)
		rc = resupply(r, ids[k]);
	free(ids);
	if (rc == KBS_OK)
		rc = exec(r, "DELETE FROM article WHERE id NOT IN "
		             "(SELECT article_id FROM source_file "
		             "WHERE article_id IS NOT NULL)");
	if (rc == KBS_OK)
		rc = kbs__db_count(r->db, "SELECT count(*) FROM article", &after);
	if (rc == KBS_OK)
		r->pruned = (unsigned long)(before - after);
	return rc;
}

kbs_status
kbs__dbwrite_prune(store *r, unsigned long *pruned)
{
	*pruned = 0;
	sqlite3_stmt *sel = NULL, *del = NULL;
	kbs_status rc = KBS_OK;

	if (sqlite3_prepare_v2(r->db->sqlite, "SELECT path, id FROM source_file",
	                       -1, &sel, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(r->db->sqlite,
	                       "DELETE FROM source_file WHERE id=?", -1,
	                       &del, NULL) != SQLITE_OK) {
		rc = kbs__db_sqlite_error(r->db, "pruning");
		goto done;
	}
	while (rc == KBS_OK && sqlite3_step(sel) == SQLITE_ROW) {
		const char *path = (const char *)sqlite3_column_text(sel, 0);
		if (access(path, F_OK) == 0 || errno != ENOENT)
			continue;
		sqlite3_bind_int64(del, 1, sqlite3_column_int64(sel, 1));
		rc = step(r, del, "pruning a source file");
	}
	sqlite3_finalize(sel);
	sel = NULL;
	if (rc == KBS_OK)
		rc = settle(r);
done:
	sqlite3_finalize(sel);
	sqlite3_finalize(del);
	if (rc == KBS_OK)
		*pruned = r->pruned;
	return rc;
}

kbs_status
kbs_db_remove_path(unsigned long *out, kbs_db *db, const char *path)
{
	store *r = NULL;
	sqlite3_stmt *del = NULL;
	kbs_status rc = KBS_OK;
	char *abs = NULL;

	assert(db != NULL && path != NULL);
	if (out != NULL)
		*out = 0;
	if (db->readonly)
		return kbs__db_error(db, KBS_READONLY,
		                     "database opened read-only");
	/* The stored form: as kbs__walk() makes it (realpath) while the
	 * file exists; else absolute, no trailing slash. */
	if ((abs = realpath(path, NULL)) != NULL) {
		/* resolved */
	} else if (path[0] == '/') {
		abs = strdup(path);
	} else {
		char cwd[4096];
		if (getcwd(cwd, sizeof cwd) == NULL)
			return kbs__db_error(db, KBS_IO, "%s: cannot find the "
			                     "current directory", path);
		size_t n = strlen(cwd) + strlen(path) + 2;
		if ((abs = malloc(n)) != NULL)
			snprintf(abs, n, "%s/%s", cwd, path);
	}
	if (abs == NULL)
		return KBS_NOMEM;
	for (size_t n = strlen(abs); n > 1 && abs[n - 1] == '/'; n--)
		abs[n - 1] = '\0';

	/* settle() may parse a remaining rendering again and store it */
	rc = kbs__dbwrite_new(&r, db);
	if (rc == KBS_OK &&
	    sqlite3_prepare_v2(db->sqlite, "DELETE FROM source_file WHERE "
	        "path = ?1 OR substr(path, 1, length(?1) + 1) = ?1 || '/'",
	        -1, &del, NULL) != SQLITE_OK)
		rc = kbs__db_sqlite_error(db, "removing a path");
	if (rc == KBS_OK)
		rc = exec(r, "BEGIN IMMEDIATE");
	if (rc == KBS_OK) {
		sqlite3_bind_text(del, 1, abs, -1, SQLITE_STATIC);
		rc = step(r, del, "removing a path");
		/* the spelling table and the term count may now name words
		 * no article holds: the next index run rebuilds them */
		if (rc == KBS_OK && sqlite3_changes(db->sqlite) > 0)
			rc = kbs__dbwrite_spelling_outdated(db);
		if (rc == KBS_OK)
			rc = settle(r);
		if (rc == KBS_OK)
			rc = kbs__packer_finish(r->packer);
		if (rc == KBS_OK)
			rc = kbs__dbwrite_commit(db);
		else
			sqlite3_exec(db->sqlite, "ROLLBACK", NULL, NULL, NULL);
	}
	sqlite3_finalize(del);
	if (rc == KBS_OK && out != NULL)
		*out = r->pruned;
	kbs__dbwrite_free(r);
	free(abs);
	return rc;
}

