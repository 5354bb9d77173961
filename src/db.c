/*
 * db.c - opening, creating and closing a kbsearch database.
 *
 * A database is one SQLite file. A writer runs it in WAL mode, so that
 * searches run while an index run writes, and leaves it in rollback
 * (DELETE) mode when it closes, so that the file alone, with no -wal or
 * -shm beside it, is the whole database: it can then be searched from a
 * read-only directory or mount. A read-only handle is opened read-only;
 * when SQLite cannot open it so (a WAL file whose -shm cannot be made),
 * it is opened immutable, which reads the file as it is without locks.
 *
 * Its schema comes from schema/kbsearch.sql, compiled in;
 * meta('schema_version') guards against opening a file written by another
 * version: that is a KBS_SCHEMA error, never a silent rebuild. A damaged
 * file (SQLITE_CORRUPT, SQLITE_NOTADB) is KBS_CORRUPT, whatever the call
 * that meets it, with a message that names the file and the way out.
 */
#include "private.h"

#include <assert.h>
#include <errno.h>
#include <pthread.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* How long a call waits for another connection's lock before giving up,
 * in milliseconds. An index run commits in batches, so readers and a
 * second writer wait at most one batch. */
#define BUSY_TIMEOUT_MS 30000

kbs_status
kbs__db_error(kbs_db *db, kbs_status status, const char *fmt, ...)
{
	va_list ap;
	char *msg;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	msg = n >= 0 ? malloc((size_t)n + 1) : NULL;
	if (msg != NULL) {
		va_start(ap, fmt);
		vsnprintf(msg, (size_t)n + 1, fmt, ap);
		va_end(ap);
	}
	free(db->errmsg);
	db->errmsg = msg;
	return status;
}

/* The database file as messages show it. */
static const char *
shown(const kbs_db *db)
{
	return db->shown != NULL ? db->shown : "database";
}

kbs_status
kbs__db_sqlite_error(kbs_db *db, const char *what)
{
	int code = sqlite3_errcode(db->sqlite) & 0xff;
	if (code == SQLITE_CORRUPT || code == SQLITE_NOTADB)
		return kbs__db_error(db, KBS_CORRUPT, "%s: %s (%s: %s); "
		    "rebuild it with 'kbsearch index --rebuild' or delete it "
		    "and index again", shown(db), code == SQLITE_NOTADB ?
		    "not a database file" : "the database file is damaged",
		    what, sqlite3_errmsg(db->sqlite));
	return kbs__db_error(db, KBS_DB, "%s: %s", what,
	                     sqlite3_errmsg(db->sqlite));
}

const char *
kbs_db_errmsg(const kbs_db *db)
{
	assert(db != NULL);
	return db->errmsg != NULL ? db->errmsg : "";
}

static kbs_status
exec(kbs_db *db, const char *sql, const char *what)
{
	if (sqlite3_exec(db->sqlite, sql, NULL, NULL, NULL) != SQLITE_OK)
		return kbs__db_sqlite_error(db, what);
	return KBS_OK;
}

/* -1 when the database has no meta table, else the stored version. */
static kbs_status
read_schema_version(kbs_db *db, int *version, int *ntables)
{
	sqlite3_stmt *st = NULL;
	kbs_status rc = KBS_OK;

	*version = -1;
	*ntables = 0;
	if (sqlite3_prepare_v2(db->sqlite,
	        "SELECT count(*), sum(name = 'meta') FROM sqlite_master "
	        "WHERE type = 'table'", -1, &st, NULL) != SQLITE_OK ||
	    sqlite3_step(st) != SQLITE_ROW) {
		rc = kbs__db_sqlite_error(db, "reading the schema");
		goto done;
	}
	*ntables = sqlite3_column_int(st, 0);
	int has_meta = sqlite3_column_int(st, 1);
	sqlite3_finalize(st);
	st = NULL;
	if (!has_meta)
		goto done;
	if (sqlite3_prepare_v2(db->sqlite,
	        "SELECT value FROM meta WHERE key = 'schema_version'", -1, &st,
	        NULL) != SQLITE_OK) {
		rc = kbs__db_sqlite_error(db, "reading the schema version");
		goto done;
	}
	if (sqlite3_step(st) == SQLITE_ROW)
		*version = sqlite3_column_int(st, 0);
done:
	sqlite3_finalize(st);
	return rc;
}

static kbs_status
create_schema(kbs_db *db)
{
	kbs_status rc = exec(db, "BEGIN IMMEDIATE", "creating the schema");
	if (rc == KBS_OK)
		rc = exec(db, kbs__schema_sql, "creating the schema");
	if (rc == KBS_OK)
		rc = exec(db, "COMMIT", "creating the schema");
	else
		sqlite3_exec(db->sqlite, "ROLLBACK", NULL, NULL, NULL);
	return rc;
}

/* "file:PATH?immutable=1" with PATH percent-encoded where a URI needs it
 * (RFC 3986 unreserved characters and '/' kept). Malloc'd, or NULL. */
static char *
immutable_uri(const char *path)
{
	static const char hex[] = "0123456789ABCDEF";
	size_t n = strlen(path);
	char *uri = malloc(5 + 3 * n + 12 + 1), *o = uri;
	if (uri == NULL)
		return NULL;
	o += sprintf(o, "file:");
	for (const unsigned char *p = (const unsigned char *)path; *p; p++) {
		if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		    (*p >= '0' && *p <= '9') || strchr("-._~/", *p) != NULL) {
			*o++ = (char)*p;
		} else {
			*o++ = '%';
			*o++ = hex[*p >> 4];
			*o++ = hex[*p & 15];
		}
	}
	strcpy(o, "?immutable=1");
	return uri;
}

/* Open the connection; for a read-only handle, fall back to an immutable
 * open when a read-only one cannot read (SQLITE_CANTOPEN or
 * SQLITE_READONLY: a WAL database whose -shm cannot be created in a
 * read-only directory or mount). */
static kbs_status
db_connect(kbs_db *db, const char *path, bool create, int *version,
        int *ntables)
{
	int oflags = SQLITE_OPEN_NOMUTEX | (create ?
	    SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE : SQLITE_OPEN_READONLY);
	for (int attempt = 0; attempt < 2; attempt++) {
		char *uri = NULL;
		if (attempt == 1 && (uri = immutable_uri(path)) == NULL)
			return KBS_NOMEM;
		int orc = sqlite3_open_v2(uri ? uri : path, &db->sqlite,
		    oflags | (uri ? SQLITE_OPEN_URI : 0), NULL);
		free(uri);
		if (orc != SQLITE_OK) {
			if (db->sqlite == NULL)
				return KBS_NOMEM;
			return kbs__db_error(db, create ? KBS_IO : KBS_DB,
			    "%s: %s", shown(db), sqlite3_errmsg(db->sqlite));
		}
		sqlite3_extended_result_codes(db->sqlite, 0);
		sqlite3_busy_timeout(db->sqlite, BUSY_TIMEOUT_MS);
		/* before the schema: its view and trigger call kbs_unpack() */
		kbs_status rc = kbs__store_register(db);
		if (rc == KBS_OK)
			rc = read_schema_version(db, version, ntables);
		int code = sqlite3_errcode(db->sqlite) & 0xff;
		if (rc == KBS_OK || create || attempt == 1 ||
		    (code != SQLITE_CANTOPEN && code != SQLITE_READONLY))
			return rc;
		sqlite3_close_v2(db->sqlite);
		db->sqlite = NULL;
	}
	return KBS_DB;  /* not reached */
}

kbs_status
kbs_db_open(kbs_db **out, const char *path, unsigned flags)
{
	kbs_db *db;
	kbs_status rc = KBS_OK;
	struct stat sb;
	int version = -1, ntables = 0;
	bool create = (flags & KBS_OPEN_CREATE) != 0;

	assert(out != NULL && path != NULL);
	*out = NULL;
	db = calloc(1, sizeof *db);
	if (db == NULL)
		return KBS_NOMEM;
	*out = db;
	db->readonly = !create;
	size_t sz = 4 * strlen(path) + 1;
	if ((db->shown = malloc(sz)) == NULL)
		return KBS_NOMEM;
	kbs_path_escape(db->shown, sz, path);

	if (!create && stat(path, &sb) != 0)
		return kbs__db_error(db, KBS_IO, "%s: %s", shown(db),
		                     strerror(errno));
	rc = db_connect(db, path, create, &version, &ntables);
	if (rc == KBS_OK && version < 0) {
		if (ntables > 0)
			return kbs__db_error(db, KBS_SCHEMA,
			    "%s: not a kbsearch database", shown(db));
		if (!create)
			return kbs__db_error(db, KBS_SCHEMA,
			    "%s: empty database (run kbsearch index first)",
			    shown(db));
		/* 16 KB pages: an article row is about 1 KB, packed, and
		 * 4 KB pages left a sixth of the article table unused. Set
		 * before the first table is made, which fixes the page size. */
		rc = exec(db, "PRAGMA page_size = 16384", "setting the page size");
		if (rc == KBS_OK)
			rc = create_schema(db);
		version = KBS_SCHEMA_VERSION;
	}
	if (rc == KBS_OK && version != KBS_SCHEMA_VERSION)
		return kbs__db_error(db, KBS_SCHEMA,
		    "%s: written by %s kbsearch (schema version %d; this one "
		    "reads %d): re-index: delete the file and run kbsearch "
		    "index again, or index into a new file", shown(db),
		    version < KBS_SCHEMA_VERSION ? "an older" : "a newer",
		    version, KBS_SCHEMA_VERSION);
	/* A writer works in WAL mode (readers go on while it writes);
	 * kbs_db_close() leaves it. */
	if (rc == KBS_OK && create)
		rc = exec(db, "PRAGMA journal_mode = WAL", "setting WAL mode");
	if (rc == KBS_OK)
		rc = exec(db, "PRAGMA foreign_keys = ON; "
		              "PRAGMA synchronous = NORMAL", "configuring");
	return rc;
}

void *
kbs__db_attached(const kbs_db *db, const void *key)
{
	for (size_t i = 0; i < KBS__NATTACHED; i++)
		if (db->attached[i].key == key)
			return db->attached[i].data;
	return NULL;
}

kbs_status
kbs__db_attach(kbs_db *db, const void *key, void *data,
               kbs__destroy_fn destroy)
{
	struct kbs__attached *slot = NULL;
	assert(key != NULL);
	for (size_t i = 0; i < KBS__NATTACHED; i++) {
		struct kbs__attached *a = &db->attached[i];
		if (a->key == key) {
			if (a->destroy != NULL && a->data != NULL)
				a->destroy(a->data);
			a->key = NULL;
			slot = a;
			break;
		}
		if (a->key == NULL && slot == NULL)
			slot = a;
	}
	if (data == NULL)
		return KBS_OK;
	if (slot == NULL) {
		if (destroy != NULL)
			destroy(data);
		return KBS_NOMEM;
	}
	*slot = (struct kbs__attached){ key, data, destroy };
	return KBS_OK;
}

void
kbs_db_close(kbs_db *db)
{
	if (db == NULL)
		return;
	/* Back to a rollback journal, so that the file alone is the
	 * database (see the top of this file). It needs every other
	 * connection idle: when one is busy, the file stays in WAL mode,
	 * which the next writer's close tries again. */
	if (db->sqlite != NULL && !db->readonly &&
	    sqlite3_get_autocommit(db->sqlite)) {
		sqlite3_busy_timeout(db->sqlite, 200);
		sqlite3_exec(db->sqlite, "PRAGMA journal_mode = DELETE", NULL,
		             NULL, NULL);
	}
	/* while the connection is open: a tokenizer belongs to it */
	for (size_t i = KBS__NATTACHED; i-- > 0;) {
		struct kbs__attached *a = &db->attached[i];
		if (a->key != NULL && a->destroy != NULL && a->data != NULL)
			a->destroy(a->data);
	}
	for (size_t i = 0; i < db->nexcludes; i++)
		free(db->excludes[i]);
	free(db->excludes);
	sqlite3_close_v2(db->sqlite);
	kbs__store_free(db);
	free(db->errmsg);
	free(db->shown);
	free(db);
}

kbs_status
kbs__db_count(kbs_db *db, const char *sql, long long *out)
{
	sqlite3_stmt *st = NULL;
	kbs_status rc = KBS_OK;
	if (sqlite3_prepare_v2(db->sqlite, sql, -1, &st, NULL) != SQLITE_OK ||
	    sqlite3_step(st) != SQLITE_ROW)
		rc = kbs__db_sqlite_error(db, "counting");
	else
		*out = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return rc;
}

/* A number an index run keeps in meta under key, or, when it is not
 * there, the count that count_sql makes. */
static kbs_status
kept_or_counted(kbs_db *db, const char *key, const char *count_sql,
                long long *out)
{
	sqlite3_stmt *st = NULL;
	bool found = false;
	if (sqlite3_prepare_v2(db->sqlite, "SELECT value FROM meta WHERE "
	                       "key = ?1", -1, &st, NULL) != SQLITE_OK)
		return kbs__db_sqlite_error(db, "counting");
	sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
	if (sqlite3_step(st) == SQLITE_ROW &&
	    sqlite3_column_type(st, 0) != SQLITE_NULL) {
		*out = sqlite3_column_int64(st, 0);
		found = true;
	}
	sqlite3_finalize(st);
	if (found)
		return KBS_OK;
	return kbs__db_count(db, count_sql, out);
}

kbs_status
kbs__db_articles(kbs_db *db, long long *out)
{
	return kept_or_counted(db, "articles", "SELECT count(*) FROM article",
	                       out);
}

kbs_status
kbs__db_read_begin(kbs_db *db, bool *opened)
{
	*opened = false;
	if (!sqlite3_get_autocommit(db->sqlite))
		return KBS_OK;
	if (sqlite3_exec(db->sqlite, "BEGIN", NULL, NULL, NULL) != SQLITE_OK)
		return kbs__db_sqlite_error(db, "starting a read transaction");
	*opened = true;
	return KBS_OK;
}

void
kbs__db_read_end(kbs_db *db, bool opened)
{
	/* a read transaction has nothing to keep: COMMIT and ROLLBACK
	 * both only release the lock and the snapshot */
	if (opened && !sqlite3_get_autocommit(db->sqlite))
		sqlite3_exec(db->sqlite, "COMMIT", NULL, NULL, NULL);
}

/* The totals of kbs_db_stats: each field and the query that counts it. */
static const struct {
	const char *sql;
	size_t field;           /* offsetof in kbs_db_stats */
} counts[] = {
	{ "SELECT count(*) FROM article", offsetof(kbs_db_stats, articles) },
	{ "SELECT count(*) FROM source_file", offsetof(kbs_db_stats, files) },
	{ "SELECT count(*) FROM event", offsetof(kbs_db_stats, events) },
	{ "SELECT count(*) FROM error_code", offsetof(kbs_db_stats, codes) },
	{ "SELECT count(*) FROM file", offsetof(kbs_db_stats, file_rows) },
	{ "SELECT count(*) FROM kb_ref", offsetof(kbs_db_stats, refs) },
};

kbs_status
kbs_db_get_stats(kbs_db_stats *out, kbs_db *db)
{
	kbs_status rc = KBS_OK;
	assert(out != NULL && db != NULL);
	if (out->version == 0 || out->version > KBS_DB_STATS_VERSION)
		return kbs__db_error(db, KBS_INVALID, "kbs_db_stats version %u "
		                     "(initialise it with KBS_DB_STATS_INIT)",
		                     out->version);
	memset(out, 0, sizeof *out);
	out->version = KBS_DB_STATS_VERSION;
	out->schema_version = KBS_SCHEMA_VERSION;
	for (size_t i = 0; rc == KBS_OK && i < sizeof counts / sizeof *counts;
	     i++)
		rc = kbs__db_count(db, counts[i].sql,
		                   (long long *)((char *)out + counts[i].field));
	/* counting article_vocab reads every posting list (half a second
	 * over the archive): the count the last spelling rebuild kept,
	 * which any later write removes (schema/kbsearch.sql) */
	if (rc == KBS_OK)
		rc = kept_or_counted(db, "terms", "SELECT count(*) FROM "
		                     "article_vocab", &out->terms);
	return rc;
}

/* Run check pragma sql (integrity_check, quick_check): each row it
 * gives is "ok" or a problem; count the problems in *nproblems and add
 * the first 10 to b as lines. Returns KBS_OK, or the SQLite error (with
 * what in the message) when the check could not run and found nothing. */
/* Step a check pragma's statement st, appending its problems (its rows
 * other than "ok") to b, the first 10 as lines, and finalize it.
 * Returns SQLite's last result: SQLITE_DONE when the check ran whole. */
static int
collect_problems(sqlite3_stmt *st, kbs__buf *b, int *nproblems)
{
	int src;
	while ((src = sqlite3_step(st)) == SQLITE_ROW) {
		const char *row = (const char *)sqlite3_column_text(st, 0);
		if (row == NULL || strcmp(row, "ok") == 0)
			continue;
		if ((*nproblems)++ < 10) {
			kbs__buf_puts(b, "\n  ");
			kbs__buf_puts(b, row);
		}
	}
	sqlite3_finalize(st);
	return src;
}

static kbs_status
pragma_check(kbs_db *db, const char *sql, const char *what, kbs__buf *b,
             int *nproblems)
{
	sqlite3_stmt *st = NULL;
	if (sqlite3_prepare_v2(db->sqlite, sql, -1, &st, NULL) != SQLITE_OK)
		return kbs__db_sqlite_error(db, what);
	if (collect_problems(st, b, nproblems) != SQLITE_DONE &&
	    *nproblems == 0)
		return kbs__db_sqlite_error(db, what);
	return KBS_OK;
}

kbs_status
kbs_db_check(kbs_db *db)
{
	kbs__buf b = {0};
	int nproblems = 0, src;
	const char *fts_note = "";

	assert(db != NULL);
	/* SQLite's own check: every page, record and index of the file. */
	kbs_status rc = pragma_check(db, "PRAGMA integrity_check(100)",
	                             "integrity check", &b, &nproblems);
	/* FTS5's own: the full-text index holds exactly the postings of the
	 * article text it indexes. It is an INSERT, so a read-only handle
	 * cannot run it. */
	if (rc == KBS_OK && nproblems == 0) {
		src = sqlite3_exec(db->sqlite, "INSERT INTO article_fts"
		    "(article_fts) VALUES ('integrity-check')", NULL, NULL,
		    NULL);
		if (src == SQLITE_READONLY) {
			fts_note = " (full-text index not checked: database "
			           "opened read-only)";
		} else if ((src & 0xff) == SQLITE_CORRUPT) {
			nproblems++;
			kbs__buf_puts(&b, "\n  full-text index: ");
			kbs__buf_puts(&b, sqlite3_errmsg(db->sqlite));
		} else if (src != SQLITE_OK) {
			rc = kbs__db_sqlite_error(db, "full-text index check");
		}
	}
	if (rc == KBS_OK && b.oom)
		rc = KBS_NOMEM;
	if (rc == KBS_OK && nproblems > 0)
		rc = kbs__db_error(db, KBS_CORRUPT, "%s: the database file is "
		    "damaged (%d problem%s found%s):%s\nrebuild it with "
		    "'kbsearch index --rebuild' or delete it and index again",
		    shown(db), nproblems, nproblems == 1 ? "" : "s",
		    nproblems > 10 ? ", the first 10 listed" : "",
		    kbs__buf_str(&b));
	else if (rc == KBS_OK)
		kbs__db_error(db, KBS_OK, "%s: ok%s", shown(db), fts_note);
	kbs__buf_free(&b);
	return rc;
}

#define QUICK_CHECK "PRAGMA quick_check(10)"

/* KBS_CORRUPT, with the file, the quick check's problems and the way
 * out on db. */
static kbs_status
quick_check_failed(kbs_db *db, const kbs__buf *problems)
{
	return kbs__db_error(db, KBS_CORRUPT, "%s: the database file is "
	    "damaged, nothing written (quick check:%s)\nrebuild it with "
	    "'kbsearch index --rebuild' or delete it and index again",
	    shown(db), problems->oom ? " out of memory"
	                             : kbs__buf_str(problems));
}

kbs_status
kbs__db_quick_check(kbs_db *db)
{
	kbs__buf b = {0};
	int nproblems = 0;
	kbs_status rc = pragma_check(db, QUICK_CHECK, "quick check", &b,
	                             &nproblems);
	if (rc == KBS_OK && nproblems > 0)
		rc = quick_check_failed(db, &b);
	kbs__buf_free(&b);
	return rc;
}

struct kbs__bgcheck {
	sqlite3 *sqlite;            /* read-only, this check's own */
	pthread_t tid;
	kbs__buf problems;          /* the first 10, one per line */
	int nproblems;
	int src;                    /* SQLITE_DONE when the check ran */
};

static void *
bgcheck_run(void *arg)
{
	kbs__bgcheck *c = arg;
	sqlite3_stmt *st = NULL;
	c->src = sqlite3_prepare_v2(c->sqlite, QUICK_CHECK, -1, &st, NULL);
	if (c->src == SQLITE_OK)
		c->src = collect_problems(st, &c->problems, &c->nproblems);
	return NULL;
}

/* Free c, whose thread has been joined. */
static void
bgcheck_free(kbs__bgcheck *c)
{
	kbs__buf_free(&c->problems);
	sqlite3_close_v2(c->sqlite);
	free(c);
}

const char *
kbs__db_file(kbs_db *db)
{
	const char *file = sqlite3_db_filename(db->sqlite, "main");
	return file != NULL ? file : "";
}

kbs_status
kbs__db_quick_check_start(const char *file, kbs__bgcheck **out)
{
	*out = NULL;
	if (file == NULL || file[0] == '\0')
		return KBS_OK;
	kbs__bgcheck *c = calloc(1, sizeof *c);
	if (c == NULL)
		return KBS_NOMEM;
	if (sqlite3_open_v2(file, &c->sqlite, SQLITE_OPEN_READONLY, NULL) !=
	        SQLITE_OK ||
	    pthread_create(&c->tid, NULL, bgcheck_run, c) != 0) {
		bgcheck_free(c);
		return KBS_OK;      /* finish checks on db itself */
	}
	*out = c;
	return KBS_OK;
}

kbs_status
kbs__db_quick_check_finish(kbs_db *db, kbs__bgcheck *c)
{
	if (c == NULL)
		return kbs__db_quick_check(db);
	pthread_join(c->tid, NULL);
	kbs_status rc = KBS_OK;
	if (c->nproblems > 0)
		rc = quick_check_failed(db, &c->problems);
	else if (c->src != SQLITE_DONE)
		/* could not run on its own connection: on db, then */
		rc = kbs__db_quick_check(db);
	bgcheck_free(c);
	return rc;
}

void
kbs__db_quick_check_cancel(kbs__bgcheck *c)
{
	if (c == NULL)
		return;
	sqlite3_interrupt(c->sqlite);
	pthread_join(c->tid, NULL);
	bgcheck_free(c);
}

/* The source paths stored in the database file at path, as many as its
 * state lets through, into one malloc'd block (array, then strings). */
static kbs_status
stored_sources(char ***out, size_t *n, const char *path)
{
	sqlite3 *s = NULL;
	sqlite3_stmt *st = NULL;
	kbs__buf b = {0};
	size_t count = 0;

	*out = NULL;
	*n = 0;
	if (sqlite3_open_v2(path, &s, SQLITE_OPEN_READONLY, NULL) ==
	        SQLITE_OK &&
	    sqlite3_prepare_v2(s, "SELECT path FROM source_file ORDER BY path",
	                       -1, &st, NULL) == SQLITE_OK) {
		while (sqlite3_step(st) == SQLITE_ROW) {
			const char *p = (const char *)sqlite3_column_text(st, 0);
			if (p == NULL || *p == '\0')
				continue;
			kbs__buf_append(&b, p, strlen(p) + 1);
			count++;
		}
	}
	sqlite3_finalize(st);
	sqlite3_close_v2(s);
	if (b.oom) {
		kbs__buf_free(&b);
		return KBS_NOMEM;
	}
	char **arr = malloc((count + 1) * sizeof *arr + b.len + 1);
	if (arr == NULL) {
		kbs__buf_free(&b);
		return KBS_NOMEM;
	}
	char *strs = (char *)(arr + count + 1);
	if (b.len > 0)
		memcpy(strs, b.data, b.len);
	for (size_t i = 0; i < count; i++) {
		arr[i] = strs;
		strs += strlen(strs) + 1;
	}
	arr[count] = NULL;
	kbs__buf_free(&b);
	*out = arr;
	*n = count;
	return KBS_OK;
}

kbs_status
kbs_db_rebuild(kbs_db **out, char ***sources, size_t *nsources,
               const char *path)
{
	char esc[1024];
	kbs_status rc;

	assert(out != NULL && sources != NULL && nsources != NULL &&
	       path != NULL);
	*out = NULL;
	rc = stored_sources(sources, nsources, path);
	if (rc != KBS_OK)
		return rc;
	size_t n = strlen(path);
	char *aside = malloc(n + sizeof ".damaged" + 4);
	if (aside == NULL) {
		free(*sources);
		*sources = NULL;
		return KBS_NOMEM;
	}
	struct stat sb;
	int err = 0;
	if (stat(path, &sb) == 0) {
		sprintf(aside, "%s.damaged", path);
		if (rename(path, aside) != 0)
			err = errno;
	}
	for (const char *ext = "-wal"; err == 0 && ext != NULL;
	     ext = strcmp(ext, "-wal") == 0 ? "-shm" : NULL) {
		sprintf(aside, "%s%s", path, ext);
		if (unlink(aside) != 0 && errno != ENOENT)
			err = errno;
	}
	free(aside);
	if (err == 0) {
		rc = kbs_db_open(out, path, KBS_OPEN_CREATE);
	} else if ((*out = calloc(1, sizeof **out)) == NULL) {
		rc = KBS_NOMEM;
	} else {
		/* a handle with no database, to carry the message */
		(*out)->readonly = true;
		rc = kbs__db_error(*out, KBS_IO, "%s: cannot move the old "
		    "file aside: %s", kbs_path_escape(esc, sizeof esc, path),
		    strerror(err));
	}
	if (rc != KBS_OK) {
		free(*sources);
		*sources = NULL;
		*nsources = 0;
	}
	return rc;
}
