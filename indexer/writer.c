/*
 * writer.c - an index run: walk, read, decode, parse, store.
 *
 * Files are committed every COMMIT_SECONDS, and a run that stops keeps
 * every committed transaction; a file that cannot be read or parsed is
 * reported and skipped before anything of it is written. A file whose
 * content hash equals the stored one is not parsed at all.
 *
 * One KB article may come as several files (its classic text, its
 * Markdown and its HTML renderings): they are one article row, and every
 * file is a source_file row pointing at it. The best structured file
 * supplies the article's fields (format_rank(); between two files of one
 * format, the first path in byte order), so the article is the same
 * whichever file was indexed first. When the supplying file changes its
 * KB id or goes away, the best remaining file is parsed again.
 */
#include "indexer.h"

#include <assert.h>
#include <errno.h>
#include <fcntl.h>
#include <fnmatch.h>
#include <inttypes.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

/* A transaction is committed every COMMIT_SECONDS: few commits cost
 * little (each rewrites the index pages it touched), and a run that is
 * stopped keeps what it committed. Readers never wait on the writer in
 * WAL mode, whatever the transaction's length. */
#define COMMIT_SECONDS 2.0

/* Files larger than this are refused, so that one stray dump does not
 * take the run's memory: the largest KB article is under 200 KB. */
#define MAX_FILE_BYTES (16u << 20)

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

/* What became of the files under one given path. */
typedef struct root_count {
	unsigned long articles;          /* files that hold an article */
	unsigned long why[KBS__WHY_N];   /* files passed over, by reason */
} root_count;

typedef struct run {
	kbs_db *db;
	sqlite3_stmt *st[ST_COUNT];
	kbs_index_stats stats;
	kbs_index_fn fn;
	void *ud;
	root_count *roots;           /* one per given path */
	kbs__packer *packer;         /* compresses the stored text */
	size_t cur_root;             /* the path being walked */
	bool cancelled;         /* fn returned non-zero */
	struct ignore_file *ign; size_t nign, capign; /* .kbsearchignore
	                                                 files read */
	char *looked;           /* the directory whose file was looked for
	                           last (a directory's entries come
	                           together) */
} run;

/* The globs of one .kbsearchignore file. */
typedef struct ignore_file {
	char *dir;              /* the directory holding it */
	char **globs;  size_t n;
} ignore_file;

static double
seconds_since(const struct timespec *t0)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)(t.tv_sec - t0->tv_sec) +
	       (double)(t.tv_nsec - t0->tv_nsec) / 1e9;
}

static void
report(run *r, const char *path, kbs_file_outcome outcome,
       const char *reason)
{
	if (r->fn != NULL && r->fn(r->ud, path, outcome, reason,
	                           &r->stats) != 0)
		r->cancelled = true;
}

/* Read dir/.kbsearchignore, if there is one, into r->ign: one glob per
 * line, blank lines and "#" comments skipped, a trailing "/" dropped;
 * "!" lines (re-inclusion in gitignore) are not supported and skipped. */
static void
load_ignore(run *r, const char *dir)
{
	char path[4096], line[1024];
	snprintf(path, sizeof path, "%s/" KBS__IGNORE_FILE, dir);
	FILE *f = fopen(path, "r");
	if (f == NULL)
		return;
	ignore_file ig = { strdup(dir), NULL, 0 };
	size_t cap = 0;
	while (ig.dir != NULL && fgets(line, sizeof line, f) != NULL) {
		size_t len = strcspn(line, "\r\n");
		while (len > 0 && (line[len - 1] == ' ' || line[len - 1] == '/'))
			len--;
		line[len] = '\0';
		if (len == 0 || line[0] == '#' || line[0] == '!')
			continue;
		if (ig.n == cap) {
			cap = cap ? cap * 2 : 8;
			char **g = realloc(ig.globs, cap * sizeof *g);
			if (g == NULL)
				break;
			ig.globs = g;
		}
		if ((ig.globs[ig.n] = strdup(line)) != NULL)
			ig.n++;
	}
	fclose(f);
	if (r->nign == r->capign) {
		size_t c = r->capign ? r->capign * 2 : 8;
		ignore_file *n = realloc(r->ign, c * sizeof *n);
		if (n != NULL) {
			r->ign = n;
			r->capign = c;
		}
	}
	if (ig.dir != NULL && r->nign < r->capign) {
		r->ign[r->nign++] = ig;
		return;
	}
	for (size_t i = 0; i < ig.n; i++)
		free(ig.globs[i]);
	free(ig.globs);
	free(ig.dir);
}

static void
free_ignores(run *r)
{
	for (size_t k = 0; k < r->nign; k++) {
		for (size_t i = 0; i < r->ign[k].n; i++)
			free(r->ign[k].globs[i]);
		free(r->ign[k].globs);
		free(r->ign[k].dir);
	}
	free(r->ign);
	free(r->looked);
}

/* gitignore-style matching with fnmatch(3): a glob without "/" matches
 * the entry's name at any depth; one with "/" matches the path relative
 * to the ignore file's directory (rel), "/" not matched by "*". */
static bool
glob_matches(const char *glob, const char *rel, const char *name)
{
	if (strchr(glob, '/') == NULL)
		return fnmatch(glob, name, 0) == 0;
	return fnmatch(glob[0] == '/' ? glob + 1 : glob, rel,
	               FNM_PATHNAME) == 0;
}

bool
kbs__walk_skip(void *ud, const char *dir, const char *name,
               const char *builtin, bool has_ignore)
{
	run *r = ud;
	char path[4096], why[4096 + 64];
	const char *reason = builtin;

	if (has_ignore &&
	    (r->looked == NULL || strcmp(r->looked, dir) != 0)) {
		free(r->looked);
		r->looked = strdup(dir);
		load_ignore(r, dir);
	}
	/* the common case: nothing to match, no path to make */
	if (reason == NULL && r->db->nexcludes == 0 && r->nign == 0)
		return false;
	snprintf(path, sizeof path, "%s%s%s", dir,
	         dir[0] && dir[strlen(dir) - 1] == '/' ? "" : "/", name);
	for (size_t i = 0; reason == NULL && i < r->db->nexcludes; i++) {
		const char *g = r->db->excludes[i];
		if (strchr(g, '/') != NULL ? fnmatch(g, path, 0) == 0
		                           : fnmatch(g, name, 0) == 0) {
			snprintf(why, sizeof why, "excluded by --exclude %s", g);
			reason = why;
		}
	}
	for (size_t k = 0; reason == NULL && k < r->nign; k++) {
		const ignore_file *ig = &r->ign[k];
		size_t dl = strlen(ig->dir);
		if (strncmp(path, ig->dir, dl) != 0 || path[dl] != '/')
			continue;
		for (size_t i = 0; reason == NULL && i < ig->n; i++)
			if (glob_matches(ig->globs[i], path + dl + 1, name)) {
				snprintf(why, sizeof why, "excluded by "
				         "%s/.kbsearchignore: %s", ig->dir,
				         ig->globs[i]);
				reason = why;
			}
	}
	if (reason == NULL)
		return false;
	r->stats.passed_over++;
	report(r, path, KBS_FILE_SKIPPED, reason);
	return true;
}

static void
walk_failed(void *ud, const char *path, const char *reason)
{
	run *r = ud;
	r->stats.failed++;
	r->roots[r->cur_root].why[KBS__WHY_FAILED]++;
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

/* Insert a and its records, read from source file path. *id is the id
 * to give the row, or -1 for a new one; it receives the id used. */
static kbs_status
insert_article(run *r, const kbs_article *a, const char *path,
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

/* What the database knew of a file before this run: 40 bytes a file,
 * found by the file's key, so that a run over the archive's 177,000
 * files does not hold every path twice. */
typedef struct known {
	sqlite3_int64 key;           /* kbs__path_key() of its path */
	uint64_t hash;               /* content hash */
	sqlite3_int64 article_id;    /* or -1 */
	long long size;              /* bytes, when stored */
	long long mtime;             /* modification time, ns, or -1 */
} known;

/*
 * One file on its way through the run. The reader thread fills it (read,
 * hash, decode, parse: no database access); the main thread stores it.
 */
typedef struct job {
	const char *path;            /* borrowed from the path list */
	kbs_status rc;               /* KBS_NOMEM stops the run */
	kbs_file_outcome outcome;    /* FAILED, UNCHANGED, or ADDED to store */
	char reason[256];            /* why it FAILED */
	char hash[17];
	size_t size;                 /* bytes on disk */
	long long mtime;             /* modification time, ns since 1970 */
	long long walk_size;         /* size when the walk saw it */
	bool touched;                /* UNCHANGED content, new mtime to store */
	bool doc;                    /* named like documentation in a dir */
	char charset[32];            /* read as, "UTF-8", "WINDOWS-1252"... */
	enum kbs__why why;           /* why SKIPPED */
	const known *was;            /* the stored state, or NULL */
	kbs_article *article;        /* parsed, to store */
} job;

/* Jobs in flight between the reader and the writer: bounds the memory
 * held by parsed articles whatever the number of files. */
#define QUEUE 64

typedef struct pipeline {
	pthread_mutex_t lock;
	pthread_cond_t cond;
	job ring[QUEUE];
	size_t produced, consumed;   /* counters; ring index is % QUEUE */
	bool stop;                   /* the writer gave up */
	bool reader_waits;           /* the reader sleeps on cond: ring full */
	bool writer_waits;           /* the writer sleeps on cond: ring empty */
	const kbs__pathlist *list;
	known *known;                /* sorted by key */
	size_t nknown;
} pipeline;

static int
cmp_known(const void *a, const void *b)
{
	sqlite3_int64 x = ((const known *)a)->key, y = ((const known *)b)->key;
	return (x > y) - (x < y);
}

static const known *
find_known(const pipeline *p, const char *path)
{
	known key = { .key = kbs__path_key(path) };
	return p->nknown == 0 ? NULL
	       : bsearch(&key, p->known, p->nknown, sizeof key, cmp_known);
}

/* Load the paths and hashes of every indexed file. */
static kbs_status
load_known(run *r, pipeline *p)
{
	sqlite3_stmt *st = NULL;
	kbs_status rc = KBS_OK;
	size_t cap = 0;
	if (sqlite3_prepare_v2(r->db->sqlite, "SELECT id, content_hash, "
	        "article_id, size, mtime FROM source_file ORDER BY id", -1,
	        &st, NULL) != SQLITE_OK)
		return kbs__db_sqlite_error(r->db, "reading source files");
	while (rc == KBS_OK && sqlite3_step(st) == SQLITE_ROW) {
		if (p->nknown == cap) {
			cap = cap ? cap * 2 : 1024;
			known *n = realloc(p->known, cap * sizeof *n);
			if (n == NULL) {
				rc = KBS_NOMEM;
				break;
			}
			p->known = n;
		}
		known *k = &p->known[p->nknown];
		k->key = sqlite3_column_int64(st, 0);
		k->hash = (uint64_t)sqlite3_column_int64(st, 1);
		k->article_id = sqlite3_column_type(st, 2) == SQLITE_NULL
		                ? -1 : sqlite3_column_int64(st, 2);
		k->size = sqlite3_column_int64(st, 3);
		k->mtime = sqlite3_column_type(st, 4) == SQLITE_NULL
		           ? -1 : sqlite3_column_int64(st, 4);
		p->nknown++;
	}
	sqlite3_finalize(st);
	return rc;
}

/* Read a whole file; KBS_IO with j->reason set on failure. */
static kbs_status
read_file(job *j, char **out, size_t *len)
{
	int fd = open(j->path, O_RDONLY);
	struct stat sb;
	*out = NULL;
	if (fd < 0 || fstat(fd, &sb) != 0) {
		snprintf(j->reason, sizeof j->reason, "cannot read: %s",
		         strerror(errno));
		if (fd >= 0)
			close(fd);
		return KBS_IO;
	}
	if ((uint64_t)sb.st_size > MAX_FILE_BYTES) {
		snprintf(j->reason, sizeof j->reason,
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
			snprintf(j->reason, sizeof j->reason,
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

/* Does a file of this format hold an article whatever its name: a KB
 * article's classic text or archive page, or Markdown with front matter?
 * Plain text and ordinary HTML named README are a collection's own. */
static bool
kb_format(const char *format)
{
	static const char *const kb[] = { "kb-txt", "kb-md", "kb-html", "md" };
	for (size_t i = 0; format != NULL && i < sizeof kb / sizeof *kb; i++)
		if (strcmp(format, kb[i]) == 0)
			return true;
	return false;
}

/* The reader's part of one file: read, hash, and unless unchanged,
 * decode and parse. Touches no database. */
static void
prepare_file(const pipeline *p, job *j)
{
	char *raw = NULL, *text = NULL;
	size_t rawlen = 0, len = 0;
	const char *why = NULL;

	j->outcome = KBS_FILE_FAILED;
	/* Same size and modification time as when it was stored: the
	 * content is taken as unchanged without reading it (as make and
	 * rsync do); otherwise the content hash decides. */
	j->was = find_known(p, j->path);
	if (j->was != NULL && j->was->article_id >= 0 && j->mtime >= 0 &&
	    j->was->mtime == j->mtime && j->was->size == j->walk_size) {
		j->outcome = KBS_FILE_UNCHANGED;
		return;
	}
	j->rc = read_file(j, &raw, &rawlen);
	if (j->rc == KBS_IO) {
		j->rc = KBS_OK;
		return;
	}
	if (j->rc != KBS_OK)
		return;
	j->size = rawlen;
	snprintf(j->hash, sizeof j->hash, "%016" PRIx64,
	         kbs__hash64(raw, rawlen));
	if (j->was != NULL && j->was->article_id >= 0 &&
	    j->was->hash == strtoull(j->hash, NULL, 16)) {
		j->outcome = KBS_FILE_UNCHANGED;
		j->touched = j->was->mtime != j->mtime ||
		             j->was->size != (long long)rawlen;
		goto done;
	}
	j->rc = kbs__decode(&text, &len, raw, rawlen, j->charset,
	                    sizeof j->charset, &why);
	if (j->rc == KBS_PARSE) {
		snprintf(j->reason, sizeof j->reason, "%s", why);
		j->rc = KBS_OK;
		goto done;
	}
	if (j->rc != KBS_OK)
		goto done;
	if ((j->article = kbs__article_new()) == NULL) {
		j->rc = KBS_NOMEM;
		goto done;
	}
	j->rc = kbs__parse(j->article, text, len);
	if (j->rc == KBS_OK && (j->article->not_article != NULL ||
	                        (j->doc && !kb_format(j->article->format)))) {
		/* read, and not an article: a navigation page, or a
		 * collection's own README that no KB format claims */
		j->outcome = KBS_FILE_SKIPPED;
		j->why = j->article->not_article != NULL ? KBS__WHY_NAV
		                                         : KBS__WHY_DOC;
		snprintf(j->reason, sizeof j->reason, "%s",
		         j->article->not_article != NULL
		         ? j->article->not_article
		         : "a collection's documentation, not an article");
		kbs_article_free(j->article);
		j->article = NULL;
	} else if (j->rc == KBS_OK) {
		j->article->path = j->path;
		j->outcome = KBS_FILE_ADDED;
	} else {
		kbs_article_free(j->article);
		j->article = NULL;
		if (j->rc == KBS_PARSE) {
			snprintf(j->reason, sizeof j->reason,
			         "no article text found");
			j->rc = KBS_OK;
		}
	}
done:
	free(text);
	free(raw);
}

/* Read, decode and parse one file outside the pipeline (the writer uses
 * it when an article needs another of its files). *out is NULL and
 * reason set when the file cannot be read or holds no article; returns
 * KBS_OK, or KBS_NOMEM. */
static kbs_status
read_parse(const char *path, kbs_article **out, char *reason,
           size_t reasonsz)
{
	job j = { .path = path, .mtime = -1, .walk_size = -1 };
	pipeline none = {0};
	prepare_file(&none, &j);
	*out = j.article;
	snprintf(reason, reasonsz, "%s", j.reason);
	return j.rc;
}

static void *
reader(void *arg)
{
	pipeline *p = arg;
	for (size_t i = 0; i < p->list->n; i++) {
		pthread_mutex_lock(&p->lock);
		while (!p->stop && p->produced - p->consumed >= QUEUE) {
			p->reader_waits = true;
			pthread_cond_wait(&p->cond, &p->lock);
			p->reader_waits = false;
		}
		bool stop = p->stop;
		pthread_mutex_unlock(&p->lock);
		if (stop)
			break;
		job *j = &p->ring[i % QUEUE];
		memset(j, 0, sizeof *j);
		j->path = p->list->paths[i];
		j->mtime = p->list->mtimes[i];
		j->walk_size = p->list->sizes[i];
		j->doc = p->list->docs[i];
		prepare_file(p, j);
		/* Wake the writer only when it sleeps: a signal per file
		 * costs two context switches on a busy pipeline. */
		pthread_mutex_lock(&p->lock);
		p->produced++;
		if (p->writer_waits)
			pthread_cond_broadcast(&p->cond);
		pthread_mutex_unlock(&p->lock);
	}
	return NULL;
}

/*
 * How well structured a format is: the best of an article's files
 * supplies its fields. The classic text is the original; the archive's
 * Markdown and HTML pages carry the same article, re-indented and with
 * entities to decode; then come formats with less structure.
 */
static int
format_rank(const char *format)
{
	static const char *const order[] = {
		"kb-txt", "kb-md", "kb-html", "md", "html", "plain",
	};
	size_t n = sizeof order / sizeof *order;
	for (size_t i = 0; format != NULL && i < n; i++)
		if (strcmp(format, order[i]) == 0)
			return (int)(n - i);
	return 0;
}

/* Should the file (format, path) supply an article's fields rather than
 * the file (format2, path2)? */
static bool
supplies_better(const char *format, const char *path, const char *format2,
                const char *path2)
{
	int a = format_rank(format), b = format_rank(format2);
	if (a != b)
		return a > b;
	return path2 == NULL || strcmp(path, path2) < 0;
}

/* Run a one-row, one-integer query bound to an id; -1 when no row. */
static sqlite3_int64
query_id(run *r, int which, sqlite3_int64 id, const char *text)
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
supplier_of(run *r, sqlite3_int64 id, char **path, char **format,
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
put_article(run *r, const kbs_article *a, const char *path,
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
link_source(run *r, const char *path, sqlite3_int64 article_id,
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

static kbs_status read_parse(const char *path, kbs_article **out,
                             char *reason, size_t reasonsz);

/*
 * Article id lost the file that supplied its fields: the best of its
 * remaining files supplies them now. A remaining file that no longer
 * parses is left without article (the next run reads it again); an
 * article with no file left is deleted.
 */
static kbs_status
resupply(run *r, sqlite3_int64 id)
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
		rc = read_parse(best, &a, reason, sizeof reason);
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
 * The writer's part of one file: store its article, or merge it into the
 * article of the same KB id. Returns KBS_OK (j->outcome tells what
 * happened) or a status that stops the run.
 */
static kbs_status
store_file(run *r, job *j)
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

/* Tell that no article was found under the given path, and what was
 * passed over there. */
static void
report_empty(run *r, const char *path, const root_count *rt)
{
	static const char *const what[KBS__WHY_FAILED][2] = {
		[KBS__WHY_HIDDEN] = { "hidden entry", "hidden entries" },
		[KBS__WHY_DATA] = { "data or program file",
		                    "data or program files" },
		[KBS__WHY_DOC] = { "collection documentation file",
		                   "collection documentation files" },
		[KBS__WHY_NAV] = { "navigation page", "navigation pages" },
	};
	char reason[512] = "no article found";
	size_t n = strlen(reason);
	const char *sep = ": ";
	for (int k = 0; k < KBS__WHY_FAILED; k++) {
		if (rt->why[k] == 0)
			continue;
		n += (size_t)snprintf(reason + n, sizeof reason - n, "%s%lu %s",
		                      sep, rt->why[k], what[k][rt->why[k] != 1]);
		sep = ", ";
	}
	if (*sep == ',')
		n += (size_t)snprintf(reason + n, sizeof reason - n, " skipped");
	if (rt->why[KBS__WHY_FAILED] > 0)
		n += (size_t)snprintf(reason + n, sizeof reason - n,
		                      "%s%lu failed", *sep == ',' ? "; " : ": ",
		                      rt->why[KBS__WHY_FAILED]);
	else if (*sep == ':')
		snprintf(reason + n, sizeof reason - n, ": no files");
	r->stats.empty_paths++;
	report(r, path, KBS_PATH_EMPTY, reason);
}

/* After source files were removed: articles whose supplying file went
 * while others remain are supplied again by one of those; articles left
 * with no source file are deleted and counted in r->stats.pruned. */
static kbs_status
settle(run *r)
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
		r->stats.pruned = (unsigned long)(before - after);
	return rc;
}

/* Remove source files that no longer exist, then settle their
 * articles. */
static kbs_status
prune(run *r)
{
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
	return rc;
}

kbs_status
kbs_db_add_exclude(kbs_db *db, const char *glob)
{
	assert(db != NULL);
	if (glob == NULL || *glob == '\0')
		return kbs__db_error(db, KBS_INVALID, "empty exclude pattern");
	char **n = realloc(db->excludes, (db->nexcludes + 1) * sizeof *n);
	if (n == NULL)
		return KBS_NOMEM;
	db->excludes = n;
	if ((n[db->nexcludes] = strdup(glob)) == NULL)
		return KBS_NOMEM;
	db->nexcludes++;
	return KBS_OK;
}

kbs_status
kbs_db_remove_path(unsigned long *out, kbs_db *db, const char *path)
{
	run r = { .db = db };
	sqlite3_stmt *del = NULL;
	kbs_status rc = KBS_OK;
	char *abs = NULL;
	size_t i;

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

	for (i = 0; rc == KBS_OK && i < ST_COUNT; i++)
		if (sqlite3_prepare_v3(db->sqlite, sql[i], -1,
		                       SQLITE_PREPARE_PERSISTENT, &r.st[i],
		                       NULL) != SQLITE_OK)
			rc = kbs__db_sqlite_error(db, "preparing the writer");
	if (rc == KBS_OK &&
	    sqlite3_prepare_v2(db->sqlite, "DELETE FROM source_file WHERE "
	        "path = ?1 OR substr(path, 1, length(?1) + 1) = ?1 || '/'",
	        -1, &del, NULL) != SQLITE_OK)
		rc = kbs__db_sqlite_error(db, "removing a path");
	/* settle() may parse a remaining rendering again and store it */
	if (rc == KBS_OK)
		rc = kbs__packer_new(&r.packer, db);
	if (rc == KBS_OK)
		rc = exec(&r, "BEGIN IMMEDIATE");
	if (rc == KBS_OK) {
		sqlite3_bind_text(del, 1, abs, -1, SQLITE_STATIC);
		rc = step(&r, del, "removing a path");
		if (rc == KBS_OK)
			rc = settle(&r);
		if (rc == KBS_OK)
			rc = kbs__packer_finish(r.packer);
		if (rc == KBS_OK)
			rc = exec(&r, "COMMIT");
		else
			sqlite3_exec(db->sqlite, "ROLLBACK", NULL, NULL, NULL);
	}
	sqlite3_finalize(del);
	for (i = 0; i < ST_COUNT; i++)
		sqlite3_finalize(r.st[i]);
	kbs__packer_free(r.packer);
	free(abs);
	if (rc == KBS_OK && out != NULL)
		*out = r.stats.pruned;
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
	if (out != NULL) {
		if (out->version == 0 || out->version > KBS_INDEX_STATS_VERSION)
			return kbs__db_error(db, KBS_INVALID, "kbs_index_stats "
			                     "version %u (initialise it with "
			                     "KBS_INDEX_STATS_INIT)", out->version);
		memset(out, 0, sizeof *out);
		out->version = KBS_INDEX_STATS_VERSION;
	}
	r.stats.version = KBS_INDEX_STATS_VERSION;
	if (db->readonly)
		return kbs__db_error(db, KBS_READONLY,
		                     "database opened read-only");
	/* Never write into a damaged file: what is added would be lost
	 * with it, or spread the damage. */
	if ((rc = kbs__db_quick_check(db)) != KBS_OK)
		return rc;
	if (npaths > 0 &&
	    (r.roots = calloc(npaths, sizeof *r.roots)) == NULL)
		return KBS_NOMEM;
	for (i = 0; rc == KBS_OK && !r.cancelled && i < npaths; i++) {
		r.cur_root = i;
		rc = kbs__walk(&list, paths[i], i, r.roots[i].why,
		               walk_failed, &r);
	}
	kbs__walk_done(&list);
	if (rc == KBS_OK && r.cancelled)
		rc = KBS_CANCELLED;     /* while listing: nothing indexed */
	r.stats.total = list.n + r.stats.failed;
	r.stats.seen = r.stats.failed;
	/* The counts as of the last commit: what a rolled-back run reports. */
	kbs_index_stats committed_stats = r.stats;

	for (i = 0; rc == KBS_OK && i < ST_COUNT; i++)
		if (sqlite3_prepare_v3(db->sqlite, sql[i], -1,
		                       SQLITE_PREPARE_PERSISTENT, &r.st[i],
		                       NULL) != SQLITE_OK)
			rc = kbs__db_sqlite_error(db, "preparing the writer");
	if (rc == KBS_OK)
		rc = kbs__packer_new(&r.packer, db);

	/* Files are read and parsed by a reader thread while this thread
	 * writes: on two cores the parsing hides behind SQLite's work. */
	pipeline *p = calloc(1, sizeof *p);
	pthread_t tid;
	bool started = false;
	if (p == NULL)
		rc = KBS_NOMEM;
	if (rc == KBS_OK) {
		p->list = &list;
		pthread_mutex_init(&p->lock, NULL);
		pthread_cond_init(&p->cond, NULL);
		rc = load_known(&r, p);
	}
	if (rc == KBS_OK && list.n > 0) {
		if (pthread_create(&tid, NULL, reader, p) != 0)
			rc = kbs__db_error(db, KBS_NOMEM,
			                   "cannot start the reader thread");
		else
			started = true;
	}
	struct timespec committed;
	clock_gettime(CLOCK_MONOTONIC, &committed);
	for (i = 0; rc == KBS_OK && i < list.n; i++) {
		pthread_mutex_lock(&p->lock);
		while (p->produced <= i) {
			p->writer_waits = true;
			pthread_cond_wait(&p->cond, &p->lock);
			p->writer_waits = false;
		}
		pthread_mutex_unlock(&p->lock);
		job *j = &p->ring[i % QUEUE];

		if (!in_tx && (rc = exec(&r, "BEGIN IMMEDIATE")) == KBS_OK)
			in_tx = true;
		if (rc == KBS_OK)
			rc = store_file(&r, j);
		kbs_article_free(j->article);
		j->article = NULL;
		if (rc == KBS_OK) {
			r.stats.seen++;
			root_count *rt = &r.roots[list.roots[i]];
			switch (j->outcome) {
			case KBS_FILE_ADDED:     r.stats.added++; break;
			case KBS_FILE_UPDATED:   r.stats.updated++; break;
			case KBS_FILE_UNCHANGED: r.stats.unchanged++; break;
			case KBS_FILE_FAILED:    r.stats.failed++; break;
			case KBS_FILE_SKIPPED:   r.stats.skipped++; break;
			case KBS_PATH_EMPTY:     break;
			}
			if (j->outcome == KBS_FILE_FAILED)
				rt->why[KBS__WHY_FAILED]++;
			else if (j->outcome == KBS_FILE_SKIPPED)
				rt->why[j->why]++;
			else
				rt->articles++;
			report(&r, j->path, j->outcome,
			       j->outcome == KBS_FILE_FAILED ||
			       j->outcome == KBS_FILE_SKIPPED ? j->reason : NULL);
			if (seconds_since(&committed) >= COMMIT_SECONDS) {
				rc = exec(&r, "COMMIT");
				if (rc == KBS_OK) {
					in_tx = false;
					committed_stats = r.stats;
				}
				clock_gettime(CLOCK_MONOTONIC, &committed);
			}
			if (rc == KBS_OK && r.cancelled)
				rc = KBS_CANCELLED;
		}
		pthread_mutex_lock(&p->lock);
		p->consumed++;
		if (rc != KBS_OK)
			p->stop = true;
		if (p->reader_waits || p->stop)
			pthread_cond_broadcast(&p->cond);
		pthread_mutex_unlock(&p->lock);
	}
	if (started) {
		pthread_join(tid, NULL);
		/* After a stop, free what the reader parsed ahead. */
		for (size_t k = p->consumed; k < p->produced; k++)
			kbs_article_free(p->ring[k % QUEUE].article);
	}
	if (p != NULL) {
		free(p->known);
		pthread_mutex_destroy(&p->lock);
		pthread_cond_destroy(&p->cond);
		free(p);
	}
	if (rc == KBS_OK && (flags & KBS_INDEX_PRUNE)) {
		if (!in_tx && (rc = exec(&r, "BEGIN IMMEDIATE")) == KBS_OK)
			in_tx = true;
		if (rc == KBS_OK)
			rc = prune(&r);
	}
	if (rc == KBS_OK && r.stats.added + r.stats.updated > 0) {
		if (!in_tx && (rc = exec(&r, "BEGIN IMMEDIATE")) == KBS_OK)
			in_tx = true;
		if (rc == KBS_OK)
			rc = kbs__packer_finish(r.packer);
	}
	/* After a run that rewrote much of the index, merge the full-text
	 * index into one segment (FTS5 'optimize'): every later search then
	 * reads one posting list per term instead of one per segment, which
	 * makes searches several times faster. Small runs leave it to FTS5's
	 * automatic merging. */
	long long narticles = 0;
	bool big = false;
	if (rc == KBS_OK && r.stats.added + r.stats.updated > 0 &&
	    (rc = kbs__db_count(db, "SELECT count(*) FROM article",
	                        &narticles)) == KBS_OK &&
	    (r.stats.added + r.stats.updated) * 5 >= (unsigned long)narticles) {
		if (!in_tx && (rc = exec(&r, "BEGIN IMMEDIATE")) == KBS_OK)
			in_tx = true;
		if (rc == KBS_OK)
			rc = exec(&r, "INSERT INTO article_fts(article_fts) "
			              "VALUES ('optimize')");
		big = true;
	}
	/* A cancelled run keeps every file it handled and committed: each
	 * was stored whole before the callback heard of it. */
	if (rc == KBS_OK && r.cancelled)
		rc = KBS_CANCELLED;
	if (in_tx && (rc == KBS_OK || rc == KBS_CANCELLED)) {
		kbs_status crc = exec(&r, "COMMIT");
		if (crc == KBS_OK) {
			in_tx = false;
			committed_stats = r.stats;
		} else {
			rc = crc;
		}
	}
	if (in_tx)
		sqlite3_exec(db->sqlite, "ROLLBACK", NULL, NULL, NULL);
	if (rc != KBS_OK && rc != KBS_CANCELLED) {
		/* Only what was committed counts; every failure was
		 * reported, so it stays counted. */
		unsigned long failed = r.stats.failed, total = r.stats.total;
		r.stats = committed_stats;
		r.stats.failed = failed;
		r.stats.total = total;
	}
	if (rc == KBS_CANCELLED)
		kbs__db_error(db, KBS_CANCELLED, "indexing cancelled after %lu "
		              "files", r.stats.seen);
	for (i = 0; i < ST_COUNT; i++)
		sqlite3_finalize(r.st[i]);
	kbs__packer_free(r.packer);
	/* The same big run left free pages behind (the segments FTS5
	 * merged, rows compressed again with the new dictionary): VACUUM
	 * writes the database anew without them, 6% smaller on the KB
	 * archive (175 MB to 165 MB, 2.4 s). It needs as much free disk
	 * again while it runs. */
	if (rc == KBS_OK && big)
		rc = exec(&r, "VACUUM");
	for (i = 0; rc == KBS_OK && i < npaths; i++)
		if (r.roots[i].articles == 0)
			report_empty(&r, paths[i], &r.roots[i]);
	free(r.roots);
	kbs__pathlist_free(&list);
	free_ignores(&r);
	if (out != NULL)
		*out = r.stats;
	return rc;
}
