/*
 * db.c - opening, creating and closing a kbsearch database.
 *
 * A database is one SQLite file in WAL mode, so that searches run while an
 * index run writes. Its schema comes from schema/kbsearch.sql, compiled in;
 * meta('schema_version') guards against opening a file written by another
 * version: that is a KBS_SCHEMA error, never a silent rebuild.
 */
#include "private.h"

#include <assert.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

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

kbs_status
kbs__db_sqlite_error(kbs_db *db, const char *what)
{
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

kbs_status
kbs_db_open(kbs_db **out, const char *path, unsigned flags)
{
	kbs_db *db;
	kbs_status rc = KBS_OK;
	struct stat sb;
	int version, ntables;
	bool create = (flags & KBS_OPEN_CREATE) != 0;

	assert(out != NULL && path != NULL);
	*out = NULL;
	db = calloc(1, sizeof *db);
	if (db == NULL)
		return KBS_NOMEM;
	*out = db;
	db->readonly = !create;

	if (!create && stat(path, &sb) != 0)
		return kbs__db_error(db, KBS_IO, "%s: %s", path,
		                     strerror(errno));
	int oflags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX |
	             (create ? SQLITE_OPEN_CREATE : 0);
	if (sqlite3_open_v2(path, &db->sqlite, oflags, NULL) != SQLITE_OK) {
		if (db->sqlite == NULL)
			return KBS_NOMEM;
		return kbs__db_error(db, create ? KBS_IO : KBS_DB, "%s: %s",
		                     path, sqlite3_errmsg(db->sqlite));
	}
	sqlite3_extended_result_codes(db->sqlite, 0);
	sqlite3_busy_timeout(db->sqlite, BUSY_TIMEOUT_MS);

	rc = read_schema_version(db, &version, &ntables);
	if (rc == KBS_OK && version < 0) {
		if (ntables > 0)
			return kbs__db_error(db, KBS_SCHEMA,
			    "%s: not a kbsearch database", path);
		if (!create)
			return kbs__db_error(db, KBS_SCHEMA,
			    "%s: empty database (run kbsearch index first)",
			    path);
		rc = exec(db, "PRAGMA journal_mode = WAL", "setting WAL mode");
		if (rc == KBS_OK)
			rc = create_schema(db);
		version = KBS_SCHEMA_VERSION;
	}
	if (rc == KBS_OK && version != KBS_SCHEMA_VERSION)
		return kbs__db_error(db, KBS_SCHEMA,
		    "%s: schema version %d, this kbsearch needs %d; "
		    "index into a new database", path, version,
		    KBS_SCHEMA_VERSION);
	if (rc == KBS_OK)
		rc = exec(db, "PRAGMA foreign_keys = ON; "
		              "PRAGMA synchronous = NORMAL", "configuring");
	if (rc == KBS_OK)
		rc = kbs__rank_register(db);
	return rc;
}

void
kbs_db_close(kbs_db *db)
{
	if (db == NULL)
		return;
	kbs__tokenizer_free(db->tokenizer);
	kbs__aliases_free(db->aliases);
	for (size_t i = 0; i < db->nexcludes; i++)
		free(db->excludes[i]);
	free(db->excludes);
	sqlite3_close_v2(db->sqlite);
	free(db->errmsg);
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
	if (rc == KBS_OK)
		rc = kbs__db_count(db, "SELECT count(*) FROM article",
		                   &out->articles);
	if (rc == KBS_OK)
		rc = kbs__db_count(db, "SELECT count(*) FROM source_file",
		                   &out->files);
	if (rc == KBS_OK)
		rc = kbs__db_count(db, "SELECT count(*) FROM event",
		                   &out->events);
	if (rc == KBS_OK)
		rc = kbs__db_count(db, "SELECT count(*) FROM error_code",
		                   &out->codes);
	if (rc == KBS_OK)
		rc = kbs__db_count(db, "SELECT count(*) FROM file",
		                   &out->file_rows);
	if (rc == KBS_OK)
		rc = kbs__db_count(db, "SELECT count(*) FROM kb_ref",
		                   &out->refs);
	if (rc == KBS_OK)
		rc = kbs__db_count(db, "SELECT count(*) FROM article_vocab",
		                   &out->terms);
	return rc;
}
