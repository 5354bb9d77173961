/*
 * bench_index.c - time kbs_db_index() on a fresh database, then again on
 * the same files (the incremental re-run), inside the library: process
 * start and dynamic linking, which dominate a re-run of a few hundred
 * files through the CLI, are left out.
 *
 * usage: bench_index [-r N] PATH...
 * Prints, per round, the first run and the re-run in milliseconds, then
 * their medians and the ratio. Uses a database in $TMPDIR (or /tmp).
 */
#include <kbsearch.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static double
now_ms(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec * 1e3 + (double)t.tv_nsec / 1e6;
}

static int
cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

static double
median(double *v, int n)
{
	qsort(v, (size_t)n, sizeof *v, cmp_double);
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

/* One index run into db at path; returns its time in ms, or -1. */
static double
run(const char *path, const char *const *paths, size_t n,
    kbs_index_stats *st)
{
	kbs_db *db = NULL;
	if (kbs_db_open(&db, path, KBS_OPEN_CREATE) != KBS_OK) {
		fprintf(stderr, "bench_index: %s: %s\n", path,
		        db ? kbs_db_errmsg(db) : "cannot open");
		kbs_db_close(db);
		return -1;
	}
	double t0 = now_ms();
	kbs_status rc = kbs_db_index(st, db, paths, n, 0, NULL, NULL);
	double t = now_ms() - t0;
	if (rc != KBS_OK) {
		fprintf(stderr, "bench_index: %s: %s\n", kbs_status_str(rc),
		        kbs_db_errmsg(db));
		t = -1;
	}
	kbs_db_close(db);
	return t;
}

int
main(int argc, char **argv)
{
	int rounds = 7, i = 1;
	if (argc > 2 && strcmp(argv[1], "-r") == 0) {
		rounds = atoi(argv[2]);
		i = 3;
	}
	if (i >= argc || rounds < 1 || rounds > 100) {
		fprintf(stderr, "usage: bench_index [-r N] PATH...\n");
		return 2;
	}
	const char *tmp = getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp";
	char db[4096], side[4200];
	snprintf(db, sizeof db, "%s/bench_index.%ld.sqlite", tmp, (long)getpid());
	double first[100], again[100];
	kbs_index_stats st1 = KBS_INDEX_STATS_INIT, st2 = KBS_INDEX_STATS_INIT;
	for (int r = 0; r < rounds; r++) {
		static const char *const ext[] = { "", "-wal", "-shm" };
		for (int e = 0; e < 3; e++) {
			snprintf(side, sizeof side, "%s%s", db, ext[e]);
			unlink(side);
		}
		first[r] = run(db, (const char *const *)argv + i,
		               (size_t)(argc - i), &st1);
		again[r] = run(db, (const char *const *)argv + i,
		               (size_t)(argc - i), &st2);
		if (first[r] < 0 || again[r] < 0)
			return 1;
		printf("round %d: first %.1f ms (%lu added), re-run %.1f ms "
		       "(%lu unchanged)\n", r + 1, first[r], st1.added,
		       again[r], st2.unchanged);
	}
	static const char *const ext[] = { "", "-wal", "-shm" };
	for (int e = 0; e < 3; e++) {
		snprintf(side, sizeof side, "%s%s", db, ext[e]);
		unlink(side);
	}
	double f = median(first, rounds), a = median(again, rounds);
	printf("median: first %.1f ms, re-run %.1f ms, %.1f times faster\n",
	       f, a, f / a);
	return 0;
}
