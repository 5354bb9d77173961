/*
 * check_threads.c - searches run while another connection indexes.
 *
 * The header promises: one kbs_db per thread, any number of readers while
 * one writer indexes into the same file. This program holds it to that.
 * It indexes half of corpus/txt into a fresh database, then starts two
 * reader threads, each with its own handle, that run real pastes in a loop,
 * and a writer thread that opens the same file with KBS_OPEN_CREATE and
 * indexes the rest of corpus/ (seeds and the other half of txt), one file
 * per kbs_db_index() call so that many write transactions interleave with
 * the reads. No call may fail (no busy or locked error); every search must
 * give KBS_OK and well-formed hits. Plain asserts, not Check: Check's
 * fork-per-test gains nothing here and its ck_assert is not for threads.
 * Prints "N passed, N failed" and exits non-zero on any failure.
 */
#include "kbsearch.h"

#include <dirent.h>
#include <math.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define SEARCHES_PER_READER 200
#define MAX_FILES 512

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static int npassed, nfailed;

/* Record one check; report a failure with its message. Thread-safe. */
static int
check(int ok, const char *fmt, ...)
{
	va_list ap;
	pthread_mutex_lock(&lock);
	if (ok) {
		npassed++;
	} else {
		nfailed++;
		fputs("check_threads: FAIL: ", stderr);
		va_start(ap, fmt);
		vfprintf(stderr, fmt, ap);
		va_end(ap);
		fputc('\n', stderr);
	}
	pthread_mutex_unlock(&lock);
	return ok;
}

static const char *const pastes[] = {
	"invalid key = missing module",
	"An Application Error Has Occurred in SPOOLSS.EXE",
	"Event ID 7028 Access Is Denied",
	"Error 2013 - Disk Is At Or Near Capacity",
	"The Font File May Be Damaged",
	"Log Name: System\nSource: TermService\nEvent ID: 1003\n"
	"Level: Error\nDescription:\nThe terminal server client "
	"SRV-TS01 has provided an invalid license.\n",
	"---------------------------\nError\n---------------------------\n"
	"The remote computer disconnected the session because of an error "
	"in the licensing protocol.\n---------------------------\nOK\n",
	"Hard disk errors 67 and 69",
	"0x80070005",
	"STOP 0x0000001E KMODE_EXCEPTION_NOT_HANDLED",
};
#define NPASTES (sizeof pastes / sizeof *pastes)

static char db_path[4096];
static char *later[MAX_FILES];     /* paths the writer thread indexes */
static size_t nlater;
static long long max_articles;     /* articles once all of corpus/ is in */
static pthread_barrier_t start;
static int writer_done;            /* under lock */
static int overlapped;             /* searches run before writer_done */
static int searched;               /* searches finished, all readers */
static int readers_left = 2;       /* readers still running */

struct reader {
	int id;
	int searches;                  /* searches that gave KBS_OK */
	long long last_articles;       /* article count seen by the last stats */
};

static void *
reader_main(void *arg)
{
	struct reader *r = arg;
	kbs_db *db = NULL;
	kbs_status rc = kbs_db_open(&db, db_path, KBS_OPEN_READONLY);
	int bad = 0;

	pthread_barrier_wait(&start);
	if (!check(rc == KBS_OK, "reader %d: open: %s: %s", r->id,
	           kbs_status_str(rc), db ? kbs_db_errmsg(db) : "")) {
		kbs_db_close(db);
		return NULL;
	}
	for (int i = 0; i < SEARCHES_PER_READER && bad < 5; i++) {
		const char *paste = pastes[(size_t)(i + r->id) % NPASTES];
		kbs_results *res = NULL;
		const kbs_hit *hit;
		size_t n = 0;
		rc = kbs_search_text(&res, db, paste, strlen(paste), NULL);
		while (rc == KBS_OK && (rc = kbs_results_next(&hit, res)) ==
		       KBS_OK) {
			const char *kb = kbs_hit_get_kb_id(hit);
			double s = kbs_hit_get_score(hit);
			n++;
			if (kb == NULL || *kb == '\0' || !isfinite(s) ||
			    kbs_hit_get_rank(hit) != (int)n) {
				bad++;
				check(0, "reader %d: search %d: malformed "
				      "hit %zu", r->id, i, n);
			}
		}
		if (rc != KBS_DONE) {
			bad++;
			check(0, "reader %d: search %d: %s: %s", r->id, i,
			      kbs_status_str(rc), kbs_db_errmsg(db));
		} else if (n != kbs_results_count(res) || n > 10 ||
		           (long long)n > max_articles) {
			bad++;
			check(0, "reader %d: search %d: %zu hits, count %zu",
			      r->id, i, n, kbs_results_count(res));
		} else {
			r->searches++;
		}
		pthread_mutex_lock(&lock);
		overlapped += !writer_done;
		searched++;
		pthread_mutex_unlock(&lock);
		kbs_results_free(res);

		/* The article count only grows while the writer adds. */
		if (i % 20 == 0) {
			kbs_db_stats st = KBS_DB_STATS_INIT;
			rc = kbs_db_get_stats(&st, db);
			if (rc != KBS_OK || st.articles < r->last_articles ||
			    st.articles > max_articles) {
				bad++;
				check(0, "reader %d: stats: %s, %lld articles "
				      "after %lld", r->id, kbs_status_str(rc),
				      st.articles, r->last_articles);
			} else {
				r->last_articles = st.articles;
			}
		}
	}
	pthread_mutex_lock(&lock);
	readers_left--;
	pthread_mutex_unlock(&lock);
	check(r->searches == SEARCHES_PER_READER,
	      "reader %d: %d of %d searches succeeded", r->id, r->searches,
	      SEARCHES_PER_READER);
	kbs_db_close(db);
	return NULL;
}

static void *
writer_main(void *arg)
{
	kbs_index_stats *total = arg;
	kbs_db *db = NULL;
	kbs_status rc;

	pthread_barrier_wait(&start);
	rc = kbs_db_open(&db, db_path, KBS_OPEN_CREATE);
	if (!check(rc == KBS_OK, "writer: open: %s: %s", kbs_status_str(rc),
	           db ? kbs_db_errmsg(db) : "")) {
		kbs_db_close(db);
		return NULL;
	}
	for (size_t i = 0; i < nlater && rc == KBS_OK; i++) {
		kbs_index_stats st = KBS_INDEX_STATS_INIT;
		const char *path = later[i];
		/* Spread the files over the readers' run, so that writes land
		 * between searches from start to end, not in one burst. */
		int due = (int)(i * 2 * SEARCHES_PER_READER / (nlater + 1));
		for (;;) {
			pthread_mutex_lock(&lock);
			int wait = searched < due && readers_left > 0;
			pthread_mutex_unlock(&lock);
			if (!wait)
				break;
			usleep(500);
		}
		rc = kbs_db_index(&st, db, &path, 1, 0, NULL, NULL);
		check(rc == KBS_OK && st.failed == 0, "writer: index %s: %s: %s",
		      path, kbs_status_str(rc), kbs_db_errmsg(db));
		total->added += st.added;
		total->failed += st.failed;
	}
	kbs_db_close(db);
	pthread_mutex_lock(&lock);
	writer_done = 1;
	pthread_mutex_unlock(&lock);
	return NULL;
}

static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The regular files of dir, sorted, appended to out[*n]. */
static void
list_dir(char **out, size_t *n, const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	size_t first = *n;
	if (!check(d != NULL, "cannot open %s", dir))
		return;
	while ((e = readdir(d)) != NULL && *n < MAX_FILES) {
		if (e->d_name[0] == '.')
			continue;
		size_t len = strlen(dir) + strlen(e->d_name) + 2;
		out[*n] = malloc(len);
		if (out[*n] == NULL)
			break;
		snprintf(out[*n], len, "%s/%s", dir, e->d_name);
		(*n)++;
	}
	closedir(d);
	qsort(out + first, *n - first, sizeof *out, cmp_str);
}

int
main(void)
{
	const char *top = getenv("KBS_TOP_SRCDIR");
	char dir[4096], tmpl[] = "/tmp/kbs-threads.XXXXXX";
	char *txt[MAX_FILES];
	size_t ntxt = 0, nseeds = 0;
	kbs_db *db = NULL;
	kbs_index_stats st = KBS_INDEX_STATS_INIT;
	kbs_db_stats dst = KBS_DB_STATS_INIT;
	kbs_status rc;

	if (top == NULL || *top == '\0')
		top = KBS_TOP_SRCDIR;
	if (mkdtemp(tmpl) == NULL) {
		perror("check_threads: mkdtemp");
		return 1;
	}
	snprintf(db_path, sizeof db_path, "%s/kb.sqlite", tmpl);

	/* Half of txt now; the writer thread adds seeds and the rest. */
	snprintf(dir, sizeof dir, "%s/corpus/txt", top);
	list_dir(txt, &ntxt, dir);
	snprintf(dir, sizeof dir, "%s/corpus/seeds", top);
	list_dir(later, &nlater, dir);
	nseeds = nlater;
	size_t half = ntxt / 2;
	for (size_t i = half; i < ntxt; i++)
		later[nlater++] = txt[i];
	check(half > 0 && nseeds > 0, "corpus not found under %s", top);

	rc = kbs_db_open(&db, db_path, KBS_OPEN_CREATE);
	if (rc == KBS_OK)
		rc = kbs_db_index(&st, db, (const char *const *)txt, half, 0,
		                  NULL, NULL);
	check(rc == KBS_OK && st.failed == 0, "initial index: %s: %s",
	      kbs_status_str(rc), db ? kbs_db_errmsg(db) : "");
	kbs_db_close(db);
	/* Every file of the bundled corpus is one article. */
	max_articles = (long long)(ntxt + nseeds);

	pthread_t th[3];
	struct reader readers[2] = { { .id = 0 }, { .id = 1 } };
	kbs_index_stats wrote = KBS_INDEX_STATS_INIT;
	pthread_barrier_init(&start, NULL, 3);
	pthread_create(&th[0], NULL, reader_main, &readers[0]);
	pthread_create(&th[1], NULL, reader_main, &readers[1]);
	pthread_create(&th[2], NULL, writer_main, &wrote);
	for (int i = 0; i < 3; i++)
		pthread_join(th[i], NULL);
	pthread_barrier_destroy(&start);
	check(wrote.added == nlater, "writer added %lu of %zu files",
	      wrote.added, nlater);

	/* Afterwards the database holds all of corpus/ and finds a seed. */
	db = NULL;
	rc = kbs_db_open(&db, db_path, KBS_OPEN_READONLY);
	if (rc == KBS_OK)
		rc = kbs_db_get_stats(&dst, db);
	check(rc == KBS_OK && dst.articles == max_articles,
	      "final stats: %s, %lld articles, expected %lld",
	      kbs_status_str(rc), rc == KBS_OK ? dst.articles : -1LL,
	      max_articles);
	kbs_results *res = NULL;
	const kbs_hit *hit = NULL;
	if (rc == KBS_OK)
		rc = kbs_search_text(&res, db, pastes[0], strlen(pastes[0]),
		                     NULL);
	if (rc == KBS_OK)
		rc = kbs_results_next(&hit, res);
	check(rc == KBS_OK && strcmp(kbs_hit_get_kb_id(hit), "Q187087") == 0,
	      "final search: %s, first hit %s", kbs_status_str(rc),
	      rc == KBS_OK ? kbs_hit_get_kb_id(hit) : "none");
	kbs_results_free(res);
	kbs_db_close(db);

	for (size_t i = 0; i < ntxt; i++)
		free(txt[i]);
	for (size_t i = 0; i < nseeds; i++)
		free(later[i]);
	static const char *const suffix[] = { "", "-wal", "-shm" };
	for (size_t i = 0; i < 3; i++) {
		snprintf(dir, sizeof dir, "%s%s", db_path, suffix[i]);
		unlink(dir);
	}
	rmdir(tmpl);

	printf("check_threads: %d searches, %d of them while the writer "
	       "indexed %zu files\n", readers[0].searches + readers[1].searches,
	       overlapped, nlater);
	printf("check_threads: %d passed, %d failed\n", npassed, nfailed);
	return nfailed == 0 ? 0 : 1;
}
