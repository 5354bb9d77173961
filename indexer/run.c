/*
 * run.c - an index run: walk, read, decode, parse, then hand each file
 * to the SQL store (dbwrite.c); change detection, counts and progress.
 *
 * The walk lists every file first (walk.c), with this file's filter hook
 * for --exclude globs and .kbsearchignore files. A reader thread reads,
 * decodes and parses the files in order while this thread stores them.
 * Files are committed every COMMIT_SECONDS, and a run that stops keeps
 * every committed transaction; a file that cannot be read or parsed is
 * reported and skipped before anything of it is written. A file whose
 * size and modification time, or else content hash, equal the stored
 * ones is not parsed at all.
 */
#include "indexer.h"
#include "lazy.h"

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

/* What became of the files under one given path. */
typedef struct root_count {
	unsigned long articles;          /* files that hold an article */
	unsigned long why[KBS__WHY_N];   /* files passed over, by reason */
} root_count;

typedef struct run {
	kbs_db *db;
	kbs__dbwrite *store;
	kbs_index_stats stats;
	kbs_index_fn fn;
	void *ud;
	root_count *roots;           /* one per given path */
	size_t cur_root;             /* the path being walked */
	bool cancelled;         /* fn returned non-zero */
	struct pipeline *pipe;  /* the reader pipeline while it runs */
	bool checked;           /* the file's check finished and passed */
	bool respell;           /* articles changed: meta('spelling') is
	                           'stale' until finish_files() rebuilds */
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
	/* read once: a directory walked again (the walk's second thread
	 * met a link into the first one's half) adds no second copy */
	for (size_t k = 0; k < r->nign; k++)
		if (strcmp(r->ign[k].dir, dir) == 0)
			return;
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

const char *
kbs__walk_skip(void *ud, const char *dir, const char *name,
               const char *builtin, bool has_ignore, char *why, size_t size)
{
	run *r = ud;
	char path[4096];
	const char *reason = builtin;

	if (has_ignore &&
	    (r->looked == NULL || strcmp(r->looked, dir) != 0)) {
		free(r->looked);
		r->looked = strdup(dir);
		load_ignore(r, dir);
	}
	/* the common case: nothing to match, no path to make */
	if (reason == NULL && r->db->nexcludes == 0 && r->nign == 0)
		return NULL;
	snprintf(path, sizeof path, "%s%s%s", dir,
	         dir[0] && dir[strlen(dir) - 1] == '/' ? "" : "/", name);
	for (size_t i = 0; reason == NULL && i < r->db->nexcludes; i++) {
		const char *g = r->db->excludes[i];
		if (strchr(g, '/') != NULL ? fnmatch(g, path, 0) == 0
		                           : fnmatch(g, name, 0) == 0) {
			snprintf(why, size, "excluded by --exclude %s", g);
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
				snprintf(why, size, "excluded by "
				         "%s/.kbsearchignore: %s", ig->dir,
				         ig->globs[i]);
				reason = why;
			}
	}
	return reason;
}

void
kbs__walk_skipped(void *ud, const char *path, const char *reason)
{
	run *r = ud;
	r->stats.passed_over++;
	report(r, path, KBS_FILE_SKIPPED, reason);
}

static void
walk_failed(void *ud, const char *path, const char *reason)
{
	run *r = ud;
	r->stats.failed++;
	r->roots[r->cur_root].why[KBS__WHY_FAILED]++;
	report(r, path, KBS_FILE_FAILED, reason);
}


typedef kbs__known known;
typedef kbs__job job;

/* Jobs in flight between the reader and the writer: bounds the memory
 * held by parsed articles whatever the number of files. */
#define QUEUE 64

typedef struct pipeline {
	pthread_mutex_t lock;
	/* The file's quick check (it reads the whole file: a third of an
	 * unchanged re-run of the KB archive when it ran every time),
	 * started by the reader when it meets the first file to store, so
	 * that it runs beside the reading and parsing; a run that stores
	 * nothing never reads the file for it. check is under lock. */
	const char *dbfile;
	kbs__bgcheck *check;
	bool check_started;          /* the reader's own */
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
	int fd = kbs__open_read(AT_FDCWD, j->path, O_CLOEXEC);
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
	if (j->rc == KBS_IO) {      /* its parser's library is missing */
		snprintf(j->reason, sizeof j->reason, "%s",
		         kbs__lazy_why());
		j->rc = KBS_OK;
		kbs_article_free(j->article);
		j->article = NULL;
		goto done;
	}
	if (j->rc == KBS_OK && (j->article->not_article != NULL ||
	                        (j->doc && !kbs__format_is_article(j->article->format)))) {
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
		j->capped = j->article->capped;
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

kbs_status
kbs__read_article(const char *path, kbs_article **out, char *reason,
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
		kbs__bgcheck *check = NULL;
		if (!p->check_started && kbs__dbwrite_needed(j)) {
			p->check_started = true;
			/* out of memory: begin() checks on its own */
			(void)kbs__db_quick_check_start(p->dbfile, &check);
		}
		/* Wake the writer only when it sleeps: a signal per file
		 * costs two context switches on a busy pipeline. */
		pthread_mutex_lock(&p->lock);
		if (check != NULL)
			p->check = check;
		p->produced++;
		if (p->writer_waits)
			pthread_cond_broadcast(&p->cond);
		pthread_mutex_unlock(&p->lock);
	}
	return NULL;
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

/* Open the run's transaction unless it is open. Before the run's first
 * write, wait for the check of the file that the reader started: never
 * write into a damaged file, since what is added would be lost with it,
 * or spread the damage. */
static kbs_status
begin(run *r, bool *in_tx)
{
	kbs_status rc = KBS_OK;
	if (*in_tx)
		return KBS_OK;
	if (!r->checked) {
		kbs__bgcheck *check = NULL;
		if (r->pipe != NULL) {
			pthread_mutex_lock(&r->pipe->lock);
			check = r->pipe->check;
			r->pipe->check = NULL;
			pthread_mutex_unlock(&r->pipe->lock);
		}
		r->checked = true;
		/* none started (a write after the files): on db, now */
		rc = kbs__db_quick_check_finish(r->db, check);
		if (rc != KBS_OK)
			return rc;
	}
	if ((rc = kbs__sql_exec(r->db, "BEGIN IMMEDIATE")) == KBS_OK)
		*in_tx = true;
	return rc;
}

/* Walk the given paths into list. */
static kbs_status
list_files(run *r, kbs__pathlist *list, const char *const *paths,
           size_t npaths)
{
	kbs_status rc = KBS_OK;
	for (size_t i = 0; rc == KBS_OK && !r->cancelled && i < npaths; i++) {
		r->cur_root = i;
		rc = kbs__walk(list, paths[i], i, r->roots[i].why,
		               walk_failed, r);
	}
	kbs__walk_done(list);
	if (rc == KBS_OK && r->cancelled)
		rc = KBS_CANCELLED;     /* while listing: nothing indexed */
	r->stats.total = list->n + r->stats.failed;
	r->stats.seen = r->stats.failed;
	return rc;
}

/* Count what became of stored job j, found under given path root, and
 * report it. */
static void
count_file(run *r, const job *j, size_t root)
{
	root_count *rt = &r->roots[root];
	r->stats.seen++;
	switch (j->outcome) {
	case KBS_FILE_ADDED:     r->stats.added++; break;
	case KBS_FILE_UPDATED:   r->stats.updated++; break;
	case KBS_FILE_UNCHANGED: r->stats.unchanged++; break;
	case KBS_FILE_FAILED:    r->stats.failed++; break;
	case KBS_FILE_SKIPPED:   r->stats.skipped++; break;
	case KBS_PATH_EMPTY:     break;
	}
	const char *reason = NULL;
	char capped[128];
	if (j->outcome == KBS_FILE_FAILED || j->outcome == KBS_FILE_SKIPPED)
		reason = j->reason;
	if (j->outcome == KBS_FILE_FAILED)
		rt->why[KBS__WHY_FAILED]++;
	else if (j->outcome == KBS_FILE_SKIPPED)
		rt->why[j->why]++;
	else
		rt->articles++;
	if ((j->outcome == KBS_FILE_ADDED || j->outcome == KBS_FILE_UPDATED)
	    && j->capped > 0) {
		r->stats.capped += j->capped;
		r->stats.capped_files++;
		snprintf(capped, sizeof capped, "%zu records not kept (each "
		         "list keeps its first %d)", j->capped,
		         KBS__MAX_RECORDS);
		reason = capped;
	}
	report(r, j->path, j->outcome, reason);
}

/* Store the files of list as the reader thread of p delivers them,
 * committing every COMMIT_SECONDS; *committed receives the counts as of
 * the last commit. */
static kbs_status
store_files(run *r, pipeline *p, const kbs__pathlist *list, bool *in_tx,
            kbs_index_stats *committed)
{
	kbs_status rc = KBS_OK;
	struct timespec last;
	clock_gettime(CLOCK_MONOTONIC, &last);
	for (size_t i = 0; rc == KBS_OK && i < list->n; i++) {
		pthread_mutex_lock(&p->lock);
		while (p->produced <= i) {
			p->writer_waits = true;
			pthread_cond_wait(&p->cond, &p->lock);
			p->writer_waits = false;
		}
		pthread_mutex_unlock(&p->lock);
		job *j = &p->ring[i % QUEUE];

		if (kbs__dbwrite_needed(j))
			rc = begin(r, in_tx);
		if (rc == KBS_OK)
			rc = kbs__dbwrite_file(r->store, j);
		kbs_article_free(j->article);
		j->article = NULL;
		/* committed with the first change, so that the next run
		 * rebuilds the spelling table if this one stops first */
		if (rc == KBS_OK && !r->respell &&
		    (j->outcome == KBS_FILE_ADDED ||
		     j->outcome == KBS_FILE_UPDATED)) {
			r->respell = true;
			rc = kbs__dbwrite_spelling_outdated(r->db);
		}
		if (rc == KBS_OK) {
			count_file(r, j, list->roots[i]);
			if (seconds_since(&last) >= COMMIT_SECONDS) {
				rc = kbs__dbwrite_commit(r->db);
				if (rc == KBS_OK) {
					*in_tx = false;
					*committed = r->stats;
				}
				clock_gettime(CLOCK_MONOTONIC, &last);
			}
			if (rc == KBS_OK && r->cancelled)
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
	return rc;
}

/* Read and parse the files of list on a reader thread while this thread
 * stores them. */
static kbs_status
index_files(run *r, kbs__pathlist *list, bool *in_tx,
            kbs_index_stats *committed)
{
	/* on two cores the parsing hides behind SQLite's work */
	pipeline *p = calloc(1, sizeof *p);
	pthread_t tid;
	bool started = false;
	kbs_status rc = KBS_OK;
	if (p == NULL)
		return KBS_NOMEM;
	p->list = list;
	p->dbfile = kbs__db_file(r->db);
	pthread_mutex_init(&p->lock, NULL);
	pthread_cond_init(&p->cond, NULL);
	rc = load_known(r, p);
	if (rc == KBS_OK && list->n > 0) {
		if (pthread_create(&tid, NULL, reader, p) != 0)
			rc = kbs__db_error(r->db, KBS_NOMEM,
			                   "cannot start the reader thread");
		else
			started = true;
	}
	r->pipe = p;
	if (rc == KBS_OK)
		rc = store_files(r, p, list, in_tx, committed);
	if (started) {
		pthread_join(tid, NULL);
		/* A check no write waited for (the run stopped first): stopped
		 * unread. A run that stores nothing never starts one: the
		 * check reads the whole file, from disk once it has left the
		 * page cache (0.5 s of an unchanged re-run of the KB archive
		 * when it did), and nothing is written that damage could take
		 * with it; kbsearch check and the next run that writes say
		 * when the file is damaged. */
		kbs__db_quick_check_cancel(p->check);
		/* After a stop, free what the reader parsed ahead. */
		for (size_t k = p->consumed; k < p->produced; k++)
			kbs_article_free(p->ring[k % QUEUE].article);
	}
	r->pipe = NULL;
	free(p->known);
	pthread_mutex_destroy(&p->lock);
	pthread_cond_destroy(&p->cond);
	free(p);
	return rc;
}

/* After the files: prune (flags), write the compressor's dictionary,
 * and after a run that rewrote much of the index, merge the full-text
 * index into one segment (FTS5 'optimize'): every later search then
 * reads one posting list per term instead of one per segment, which
 * makes searches several times faster. Small runs leave it to FTS5's
 * automatic merging. *big tells that it merged. A run that wrote, or
 * that follows one stopped after writing, rebuilds the spelling table. */
static kbs_status
finish_files(run *r, unsigned flags, bool *in_tx, bool *big)
{
	kbs_status rc = KBS_OK;
	unsigned long changed = r->stats.added + r->stats.updated;
	long long narticles = 0;

	*big = false;
	if (flags & KBS_INDEX_PRUNE) {
		if ((rc = begin(r, in_tx)) == KBS_OK)
			rc = kbs__dbwrite_prune(r->store, &r->stats.pruned);
	}
	if (rc == KBS_OK && changed > 0 && (rc = begin(r, in_tx)) == KBS_OK)
		rc = kbs__dbwrite_finish(r->store);
	if (rc == KBS_OK && changed > 0 &&
	    (rc = kbs__db_count(r->db, "SELECT count(*) FROM article",
	                        &narticles)) == KBS_OK &&
	    changed * 5 >= (unsigned long)narticles) {
		if ((rc = begin(r, in_tx)) == KBS_OK)
			rc = kbs__sql_exec(r->db, "INSERT INTO "
			                   "article_fts(article_fts) "
			                   "VALUES ('optimize')");
		*big = true;
	}
	if (rc == KBS_OK && (r->respell || r->stats.pruned > 0 ||
	                     kbs__dbwrite_spelling_stale(r->db)) &&
	    (rc = begin(r, in_tx)) == KBS_OK)
		rc = kbs__dbwrite_spelling(r->db);
	return rc;
}

/* The bytes of a kbs_index_stats of the given version: version 1 ended
 * at passed_over. */
static size_t
stats_size(unsigned version)
{
	return version == 1 ? offsetof(kbs_index_stats, capped)
	                    : sizeof(kbs_index_stats);
}

kbs_status
kbs_db_index(kbs_index_stats *out, kbs_db *db, const char *const *paths,
             size_t npaths, unsigned flags, kbs_index_fn fn, void *userdata)
{
	run r = { .db = db, .fn = fn, .ud = userdata };
	kbs__pathlist list = {0};
	kbs_status rc = KBS_OK;
	bool in_tx = false, big = false;

	assert(db != NULL && (paths != NULL || npaths == 0));
	if (out != NULL) {
		if (out->version == 0 || out->version > KBS_INDEX_STATS_VERSION)
			return kbs__db_error(db, KBS_INVALID, "kbs_index_stats "
			                     "version %u (initialise it with "
			                     "KBS_INDEX_STATS_INIT)", out->version);
		unsigned version = out->version;
		memset(out, 0, stats_size(version));
		out->version = version;
	}
	r.stats.version = KBS_INDEX_STATS_VERSION;
	if (db->readonly)
		return kbs__db_error(db, KBS_READONLY,
		                     "database opened read-only");
	if (npaths > 0 &&
	    (r.roots = calloc(npaths, sizeof *r.roots)) == NULL)
		return KBS_NOMEM;
	rc = list_files(&r, &list, paths, npaths);
	/* The counts as of the last commit: what a rolled-back run reports. */
	kbs_index_stats committed = r.stats;
	if (rc == KBS_OK)
		rc = kbs__dbwrite_new(&r.store, db);
	if (rc == KBS_OK)
		rc = index_files(&r, &list, &in_tx, &committed);
	if (rc == KBS_OK)
		rc = finish_files(&r, flags, &in_tx, &big);
	/* A cancelled run keeps every file it handled and committed: each
	 * was stored whole before the callback heard of it. */
	if (rc == KBS_OK && r.cancelled)
		rc = KBS_CANCELLED;
	if (in_tx && (rc == KBS_OK || rc == KBS_CANCELLED)) {
		kbs_status crc = kbs__dbwrite_commit(db);
		if (crc == KBS_OK) {
			in_tx = false;
			committed = r.stats;
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
		r.stats = committed;
		r.stats.failed = failed;
		r.stats.total = total;
	}
	if (rc == KBS_CANCELLED)
		kbs__db_error(db, KBS_CANCELLED, "indexing cancelled after %lu "
		              "files", r.stats.seen);
	kbs__dbwrite_free(r.store);
	/* The same big run left free pages behind (the segments FTS5
	 * merged, rows compressed again with the new dictionary): VACUUM
	 * writes the database anew without them, 6% smaller on the KB
	 * archive (175 MB to 165 MB, 2.4 s). It needs as much free disk
	 * again while it runs. */
	if (rc == KBS_OK && big)
		rc = kbs__sql_exec(db, "VACUUM");
	for (size_t i = 0; rc == KBS_OK && i < npaths; i++)
		if (r.roots[i].articles == 0)
			report_empty(&r, paths[i], &r.roots[i]);
	free(r.roots);
	kbs__pathlist_free(&list);
	free_ignores(&r);
	if (out != NULL) {
		/* as much as the caller's version of the struct holds */
		unsigned version = out->version;
		memcpy(out, &r.stats, stats_size(version));
		out->version = version;
	}
	return rc;
}
