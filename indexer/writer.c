/*
 * writer.c - an index run: walk, read, decode, parse, store.
 *
 * Files are committed in batches of BATCH_FILES, one transaction each, and
 * every file is written inside its own savepoint: a file that fails midway
 * rolls back alone, and a run that stops keeps every committed batch. A
 * file whose content hash equals the stored one is not parsed at all.
 */
#include "indexer.h"

#include <assert.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Files per transaction: large enough that commits cost little, small
 * enough that readers waiting on the WAL lock wait briefly. */
#define BATCH_FILES 256

/* Files larger than this are refused, so that one stray dump does not
 * take the run's memory: the largest KB article is under 200 KB. */
#define MAX_FILE_BYTES (16u << 20)

enum {
	ST_FIND_SOURCE, ST_INSERT_ARTICLE, ST_DELETE_ARTICLE, ST_FIND_KBID,
	ST_UPSERT_SOURCE, ST_EVENT, ST_CODE, ST_FILE, ST_PRODUCT,
	ST_REF, ST_REGISTRY, ST_MESSAGE, ST_COUNT
};

static const char *const sql[ST_COUNT] = {
	[ST_FIND_SOURCE] =
		"SELECT content_hash, article_id FROM source_file WHERE path=?",
	[ST_INSERT_ARTICLE] =
		"INSERT INTO article(kb_id, title, date, category, format, "
		"product_line, prod_ver, oper_sys, keywords_line, symptoms, "
		"cause, resolution, body, keywords, messages, text) "
		"VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
	[ST_DELETE_ARTICLE] = "DELETE FROM article WHERE id=?",
	[ST_FIND_KBID] = "SELECT id FROM article WHERE kb_id=?",
	[ST_UPSERT_SOURCE] =
		"INSERT INTO source_file(path, article_id, content_hash, size, "
		"format) VALUES (?,?,?,?,?) ON CONFLICT(path) DO UPDATE SET "
		"article_id=excluded.article_id, "
		"content_hash=excluded.content_hash, size=excluded.size, "
		"format=excluded.format",
	[ST_EVENT] = "INSERT INTO event VALUES (?,?,?,?,?,?)",
	[ST_CODE] = "INSERT INTO error_code VALUES (?,?,?)",
	[ST_FILE] = "INSERT INTO file VALUES (?,?,?,?,?,?,?)",
	[ST_PRODUCT] = "INSERT INTO product VALUES (?,?,?)",
	[ST_REF] = "INSERT INTO kb_ref VALUES (?,?)",
	[ST_REGISTRY] = "INSERT INTO registry VALUES (?,?)",
	[ST_MESSAGE] = "INSERT INTO message VALUES (?,?)",
};

typedef struct run {
	kbs_db *db;
	sqlite3_stmt *st[ST_COUNT];
	kbs_index_stats stats;
	kbs_index_fn fn;
	void *ud;
	char reason[512];            /* reason of the current failure */
} run;

static void
report(run *r, const char *path, kbs_file_outcome outcome,
       const char *reason)
{
	if (r->fn != NULL)
		r->fn(r->ud, path, outcome, reason, &r->stats);
}

static void
walk_failed(void *ud, const char *path, const char *reason)
{
	run *r = ud;
	r->stats.failed++;
	report(r, path, KBS_FILE_FAILED, reason);
}

static int
bind_text(sqlite3_stmt *st, int i, const char *s)
{
	return s != NULL ? sqlite3_bind_text(st, i, s, -1, SQLITE_STATIC)
	                 : sqlite3_bind_null(st, i);
}

/* Step a prepared insert and reset it; SQLITE_DONE is success. */
static kbs_status
step(run *r, sqlite3_stmt *st, const char *what)
{
	int src = sqlite3_step(st);
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	if (src != SQLITE_DONE && src != SQLITE_ROW)
		return kbs__db_sqlite_error(r->db, what);
	return KBS_OK;
}

static kbs_status
exec(run *r, const char *q)
{
	if (sqlite3_exec(r->db->sqlite, q, NULL, NULL, NULL) != SQLITE_OK)
		return kbs__db_sqlite_error(r->db, q);
	return KBS_OK;
}

static kbs_status
delete_article(run *r, sqlite3_int64 id)
{
	sqlite3_stmt *st = r->st[ST_DELETE_ARTICLE];
	sqlite3_bind_int64(st, 1, id);
	return step(r, st, "deleting an article");
}

/* Insert a and its records; *id receives the new article id. */
static kbs_status
insert_article(run *r, const kbs_article *a, sqlite3_int64 *id)
{
	sqlite3_stmt *st = r->st[ST_INSERT_ARTICLE];
	const char *cols[] = {
		a->kb_id, a->title, a->date, a->category, a->format,
		a->product_line, a->prod_ver, a->oper_sys, a->keywords_line,
		a->symptoms, a->cause, a->resolution, a->body, a->keywords,
		a->messages_text, a->text,
	};
	kbs_status rc;
	size_t i;

	for (i = 0; i < sizeof cols / sizeof *cols; i++)
		bind_text(st, (int)i + 1, cols[i]);
	rc = step(r, st, "storing an article");
	if (rc != KBS_OK)
		return rc;
	*id = sqlite3_last_insert_rowid(r->db->sqlite);

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
	for (i = 0; rc == KBS_OK && i < a->nmessages; i++) {
		st = r->st[ST_MESSAGE];
		sqlite3_bind_int64(st, 1, *id);
		bind_text(st, 2, a->messages[i]);
		rc = step(r, st, "storing a message");
	}
	return rc;
}

/* Read a whole file; KBS_IO with r->reason set on failure. */
static kbs_status
read_file(run *r, const char *path, char **out, size_t *len)
{
	int fd = open(path, O_RDONLY);
	struct stat sb;
	*out = NULL;
	if (fd < 0 || fstat(fd, &sb) != 0) {
		snprintf(r->reason, sizeof r->reason, "cannot read: %s",
		         strerror(errno));
		if (fd >= 0)
			close(fd);
		return KBS_IO;
	}
	if ((uint64_t)sb.st_size > MAX_FILE_BYTES) {
		snprintf(r->reason, sizeof r->reason,
		         "file too large (%lld bytes; the limit is %u MB)",
		         (long long)sb.st_size, MAX_FILE_BYTES >> 20);
		close(fd);
		return KBS_IO;
	}
	size_t cap = (size_t)sb.st_size + 1, n = 0;
	char *buf = malloc(cap);
	if (buf == NULL) {
		close(fd);
		return KBS_NOMEM;
	}
	for (;;) {
		ssize_t got = read(fd, buf + n, cap - n);
		if (got < 0) {
			if (errno == EINTR)
				continue;
			snprintf(r->reason, sizeof r->reason,
			         "cannot read: %s", strerror(errno));
			free(buf);
			close(fd);
			return KBS_IO;
		}
		if (got == 0 || (n += (size_t)got) == cap)
			break;
	}
	close(fd);
	*out = buf;
	*len = n;
	return KBS_OK;
}

/*
 * Index one file. Returns KBS_OK with *outcome set (KBS_FILE_FAILED with
 * r->reason for a bad file), or a status that stops the run (database
 * error, out of memory).
 */
static kbs_status
index_file(run *r, const char *path, kbs_file_outcome *outcome)
{
	char *raw = NULL, *text = NULL;
	size_t rawlen = 0, len = 0;
	char hash[17];
	sqlite3_int64 old_id = -1, new_id = -1;
	bool known = false;
	kbs_article *a = NULL;
	const char *why = NULL;
	sqlite3_stmt *st;
	kbs_status rc;

	*outcome = KBS_FILE_FAILED;
	r->reason[0] = '\0';
	rc = read_file(r, path, &raw, &rawlen);
	if (rc == KBS_IO)
		return KBS_OK;
	if (rc != KBS_OK)
		return rc;
	snprintf(hash, sizeof hash, "%016" PRIx64, kbs__hash64(raw, rawlen));

	st = r->st[ST_FIND_SOURCE];
	sqlite3_bind_text(st, 1, path, -1, SQLITE_STATIC);
	if (sqlite3_step(st) == SQLITE_ROW) {
		known = true;
		if (sqlite3_column_type(st, 1) != SQLITE_NULL)
			old_id = sqlite3_column_int64(st, 1);
		if (old_id >= 0 && strcmp((const char *)sqlite3_column_text(
		        st, 0), hash) == 0)
			*outcome = KBS_FILE_UNCHANGED;
	}
	sqlite3_reset(st);
	if (*outcome == KBS_FILE_UNCHANGED)
		goto done;

	rc = kbs__decode(&text, &len, raw, rawlen, &why);
	if (rc == KBS_PARSE) {
		snprintf(r->reason, sizeof r->reason, "%s", why);
		rc = KBS_OK;
		goto done;
	}
	if (rc != KBS_OK)
		goto done;
	if ((a = kbs__article_new()) == NULL) {
		rc = KBS_NOMEM;
		goto done;
	}
	rc = kbs__parse(a, text, len);
	if (rc == KBS_PARSE) {
		snprintf(r->reason, sizeof r->reason, "no article text found");
		rc = KBS_OK;
		goto done;
	}
	if (rc != KBS_OK)
		goto done;
	a->path = path;

	rc = exec(r, "SAVEPOINT file");
	if (rc != KBS_OK)
		goto done;
	if (old_id >= 0)
		rc = delete_article(r, old_id);
	/* Another file may hold the same KB id: this file's copy replaces
	 * it, so one id is one article. */
	if (rc == KBS_OK && a->kb_id != NULL) {
		st = r->st[ST_FIND_KBID];
		sqlite3_bind_text(st, 1, a->kb_id, -1, SQLITE_STATIC);
		sqlite3_int64 other = sqlite3_step(st) == SQLITE_ROW
			? sqlite3_column_int64(st, 0) : -1;
		sqlite3_reset(st);
		if (other >= 0)
			rc = delete_article(r, other);
	}
	if (rc == KBS_OK)
		rc = insert_article(r, a, &new_id);
	if (rc == KBS_OK) {
		st = r->st[ST_UPSERT_SOURCE];
		sqlite3_bind_text(st, 1, path, -1, SQLITE_STATIC);
		sqlite3_bind_int64(st, 2, new_id);
		sqlite3_bind_text(st, 3, hash, -1, SQLITE_STATIC);
		sqlite3_bind_int64(st, 4, (sqlite3_int64)rawlen);
		bind_text(st, 5, a->format);
		rc = step(r, st, "storing the source file");
	}
	if (rc == KBS_OK) {
		rc = exec(r, "RELEASE file");
		*outcome = known ? KBS_FILE_UPDATED : KBS_FILE_ADDED;
	} else {
		sqlite3_exec(r->db->sqlite, "ROLLBACK TO file; RELEASE file",
		             NULL, NULL, NULL);
	}
done:
	kbs_article_free(a);
	free(text);
	free(raw);
	return rc;
}

/* Remove source files that no longer exist, then articles left with no
 * source file. */
static kbs_status
prune(run *r)
{
	sqlite3_stmt *sel = NULL, *del = NULL;
	kbs_status rc = KBS_OK;
	long long before = 0, after = 0;

	if (sqlite3_prepare_v2(r->db->sqlite, "SELECT path FROM source_file",
	                       -1, &sel, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(r->db->sqlite,
	                       "DELETE FROM source_file WHERE path=?", -1,
	                       &del, NULL) != SQLITE_OK) {
		rc = kbs__db_sqlite_error(r->db, "pruning");
		goto done;
	}
	while (rc == KBS_OK && sqlite3_step(sel) == SQLITE_ROW) {
		const char *path = (const char *)sqlite3_column_text(sel, 0);
		if (access(path, F_OK) == 0 || errno != ENOENT)
			continue;
		sqlite3_bind_text(del, 1, path, -1, SQLITE_TRANSIENT);
		rc = step(r, del, "pruning a source file");
	}
	sqlite3_finalize(sel);
	sel = NULL;
	if (rc == KBS_OK &&
	    sqlite3_prepare_v2(r->db->sqlite, "SELECT count(*) FROM article",
	                       -1, &sel, NULL) == SQLITE_OK &&
	    sqlite3_step(sel) == SQLITE_ROW)
		before = sqlite3_column_int64(sel, 0);
	sqlite3_finalize(sel);
	sel = NULL;
	if (rc == KBS_OK)
		rc = exec(r, "DELETE FROM article WHERE id NOT IN "
		             "(SELECT article_id FROM source_file "
		             "WHERE article_id IS NOT NULL)");
	if (rc == KBS_OK &&
	    sqlite3_prepare_v2(r->db->sqlite, "SELECT count(*) FROM article",
	                       -1, &sel, NULL) == SQLITE_OK &&
	    sqlite3_step(sel) == SQLITE_ROW)
		after = sqlite3_column_int64(sel, 0);
	r->stats.pruned = (unsigned long)(before - after);
done:
	sqlite3_finalize(sel);
	sqlite3_finalize(del);
	return rc;
}

kbs_status
kbs_db_index(kbs_index_stats *out, kbs_db *db, const char *const *paths,
             size_t npaths, unsigned flags, kbs_index_fn fn, void *userdata)
{
	run r = { .db = db, .fn = fn, .ud = userdata };
	kbs__pathlist list = {0};
	kbs_status rc = KBS_OK;
	bool in_tx = false;
	size_t i;

	assert(db != NULL && (paths != NULL || npaths == 0));
	if (out != NULL)
		memset(out, 0, sizeof *out);
	if (db->readonly)
		return kbs__db_error(db, KBS_READONLY,
		                     "database opened read-only");
	for (i = 0; rc == KBS_OK && i < npaths; i++)
		rc = kbs__walk(&list, paths[i], walk_failed, &r);
	r.stats.total = list.n + r.stats.failed;
	r.stats.seen = r.stats.failed;

	for (i = 0; rc == KBS_OK && i < ST_COUNT; i++)
		if (sqlite3_prepare_v3(db->sqlite, sql[i], -1,
		                       SQLITE_PREPARE_PERSISTENT, &r.st[i],
		                       NULL) != SQLITE_OK)
			rc = kbs__db_sqlite_error(db, "preparing the writer");

	for (i = 0; rc == KBS_OK && i < list.n; i++) {
		kbs_file_outcome outcome;
		if (!in_tx) {
			rc = exec(&r, "BEGIN IMMEDIATE");
			if (rc != KBS_OK)
				break;
			in_tx = true;
		}
		rc = index_file(&r, list.paths[i], &outcome);
		if (rc != KBS_OK)
			break;
		r.stats.seen++;
		switch (outcome) {
		case KBS_FILE_ADDED:     r.stats.added++; break;
		case KBS_FILE_UPDATED:   r.stats.updated++; break;
		case KBS_FILE_UNCHANGED: r.stats.unchanged++; break;
		case KBS_FILE_FAILED:    r.stats.failed++; break;
		}
		report(&r, list.paths[i], outcome,
		       outcome == KBS_FILE_FAILED ? r.reason : NULL);
		if ((i + 1) % BATCH_FILES == 0) {
			rc = exec(&r, "COMMIT");
			in_tx = false;
		}
	}
	if (rc == KBS_OK && (flags & KBS_INDEX_PRUNE)) {
		if (!in_tx && (rc = exec(&r, "BEGIN IMMEDIATE")) == KBS_OK)
			in_tx = true;
		if (rc == KBS_OK)
			rc = prune(&r);
	}
	if (in_tx) {
		if (rc == KBS_OK)
			rc = exec(&r, "COMMIT");
		else
			sqlite3_exec(db->sqlite, "ROLLBACK", NULL, NULL, NULL);
	}
	for (i = 0; i < ST_COUNT; i++)
		sqlite3_finalize(r.st[i]);
	kbs__pathlist_free(&list);
	if (out != NULL)
		*out = r.stats;
	return rc;
}
