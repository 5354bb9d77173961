/*
 * bench_search.c - time kbs_search_text() on a file of pasted-error queries.
 *
 * Reads a queries file in the format of the evaluation set
 * (dev-queries.tsv: id, variant, relevant KB ids, paste with "\n" and "\\"
 * escapes), opens the database read-only through the public API only,
 * runs every query once to warm the page cache and SQLite's statement
 * caches, then times each query R times: kbs_search_text() plus stepping
 * through all its hits, measured with CLOCK_MONOTONIC. A query's time is
 * the median of its R runs, so that a burst of load from another process
 * on a shared machine moves one run, not the figure; the report gives
 * count, median, mean, p90, p99 and max of those per-query times in
 * milliseconds, over all queries and per variant. The same figures are
 * given for the CPU time the process spent on each query
 * (CLOCK_PROCESS_CPUTIME_ID): on a machine shared with builds the wall
 * clock measures the load as much as the search, the CPU time much less.
 *
 *     bench/bench_search --db dev.sqlite dev-queries.tsv -r 5 --json
 *
 * Exit status: 0 done, 2 usage or runtime error.
 */
#include <kbsearch.h>

#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static const char usage[] =
	"Usage: bench_search --db DB [-r N] [-n N] [--json] QUERIES.tsv\n"
	"Time kbs_search_text() and iterating its hits for each query of a\n"
	"dev-queries.tsv style file (id, variant, relevant ids, escaped text).\n"
	"\n"
	"  --db DB        database to search (opened read-only)\n"
	"  -r, --repeat N timed runs per query (default 5); a query's time is\n"
	"                 the median of its runs\n"
	"  -n, --limit N  hits per search (default 10)\n"
	"  --json         JSON report instead of the table\n"
	"  -h, --help     show this help\n";

/* One query of the file, with its timings. */
struct query {
	char *id;          /* query id, e.g. "q0001" */
	char *variant;     /* paste style, e.g. "dialog" */
	char *text;        /* unescaped paste */
	size_t len;        /* bytes in text */
	double *runs;      /* wall-clock run times in ms, one per repetition */
	double *cpu_runs;  /* CPU times in ms, one per repetition */
	double ms;         /* median of runs */
	double cpu_ms;     /* median of cpu_runs */
	size_t hits;       /* hits of the last run */
};

/* Summary of a set of per-query times. */
struct stats {
	size_t count;      /* queries */
	double median;     /* ms */
	double mean;       /* ms */
	double p90;        /* ms, nearest rank */
	double p99;        /* ms, nearest rank */
	double max;        /* ms */
};

static int
cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

/* Median of v[0..n-1], sorting v in place; 0 for n == 0. */
static double
median(double *v, size_t n)
{
	if (n == 0)
		return 0;
	qsort(v, n, sizeof *v, cmp_double);
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

/* Nearest-rank percentile p (0 < p <= 100) of sorted v[0..n-1]. */
static double
percentile(const double *v, size_t n, double p)
{
	size_t k = (size_t)ceil(p / 100.0 * (double)n);
	return n == 0 ? 0 : v[k > 0 ? k - 1 : 0];
}

/* Summarise v[0..n-1] (sorted in place). */
static struct stats
summarise(double *v, size_t n)
{
	struct stats s = { .count = n };
	double sum = 0;

	if (n == 0)
		return s;
	s.median = median(v, n);
	for (size_t i = 0; i < n; i++)
		sum += v[i];
	s.mean = sum / (double)n;
	s.p90 = percentile(v, n, 90);
	s.p99 = percentile(v, n, 99);
	s.max = v[n - 1];
	return s;
}

/*
 * Undo the escapes of the queries file the way score.py does, so that the
 * benchmark times exactly the pastes the scorer sends: first every
 * backslash-n becomes a newline, then every double backslash becomes one.
 * (Two passes, not one left-to-right scan: "\\\\n" therefore yields a
 * newline too, as it does in score.py.) Works in place; returns the length.
 */
static size_t
unescape(char *s)
{
	size_t i, j;

	for (i = j = 0; s[i] != '\0'; i++) {
		if (s[i] == '\\' && s[i + 1] == 'n') {
			s[j++] = '\n';
			i++;
		} else {
			s[j++] = s[i];
		}
	}
	s[j] = '\0';
	for (i = j = 0; s[i] != '\0'; i++) {
		s[j++] = s[i];
		if (s[i] == '\\' && s[i + 1] == '\\')
			i++;
	}
	s[j] = '\0';
	return j;
}

/* Split line at the next tab: returns the field, moves *line past it;
 * NULL when there is no tab left. */
static char *
next_field(char **line)
{
	char *f = *line, *tab = strchr(f, '\t');

	if (tab == NULL)
		return NULL;
	*tab = '\0';
	*line = tab + 1;
	return f;
}

/* Read the queries file into *out; returns their number, or -1 on error
 * with a message printed. */
static long
read_queries(struct query **out, const char *path, unsigned repeat)
{
	FILE *f = fopen(path, "r");
	struct query *qs = NULL, *nq;
	size_t n = 0, cap = 0, lineno = 0, linecap = 0;
	char *line = NULL, *rest;
	ssize_t got;

	if (f == NULL) {
		fprintf(stderr, "bench_search: %s: %s\n", path, strerror(errno));
		return -1;
	}
	while ((got = getline(&line, &linecap, f)) != -1) {
		lineno++;
		while (got > 0 && (line[got - 1] == '\n' || line[got - 1] == '\r'))
			line[--got] = '\0';
		if (got == 0)
			continue;
		rest = line;
		char *id = next_field(&rest);
		char *variant = id ? next_field(&rest) : NULL;
		char *rel = variant ? next_field(&rest) : NULL;
		if (rel == NULL) {
			fprintf(stderr, "bench_search: %s:%zu: expected 4 "
			        "tab-separated columns\n", path, lineno);
			goto fail;
		}
		if (n == cap) {
			cap = cap ? cap * 2 : 256;
			if ((nq = realloc(qs, cap * sizeof *qs)) == NULL)
				goto nomem;
			qs = nq;
		}
		struct query *q = &qs[n];
		memset(q, 0, sizeof *q);
		n++;
		q->id = strdup(id);
		q->variant = strdup(variant);
		q->text = strdup(rest);
		q->runs = calloc(repeat, sizeof *q->runs);
		q->cpu_runs = calloc(repeat, sizeof *q->cpu_runs);
		if (!q->id || !q->variant || !q->text || !q->runs ||
		    !q->cpu_runs)
			goto nomem;
		q->len = unescape(q->text);
	}
	if (ferror(f)) {
		fprintf(stderr, "bench_search: %s: %s\n", path, strerror(errno));
		goto fail;
	}
	free(line);
	fclose(f);
	*out = qs;
	return (long)n;
nomem:
	fprintf(stderr, "bench_search: out of memory\n");
fail:
	for (size_t i = 0; i < n; i++) {
		free(qs[i].id);
		free(qs[i].variant);
		free(qs[i].text);
		free(qs[i].runs);
		free(qs[i].cpu_runs);
	}
	free(qs);
	free(line);
	fclose(f);
	return -1;
}

/* The time of clock in milliseconds. */
static double
clock_ms(clockid_t clock)
{
	struct timespec ts;

	clock_gettime(clock, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static double
now_ms(void)
{
	return clock_ms(CLOCK_MONOTONIC);
}

/*
 * Run one query: search, then step through every hit, reading its id and
 * score as a caller printing a result list would. The clock covers search
 * and iteration; freeing the results comes after it. Stores the elapsed
 * wall-clock and CPU milliseconds in *ms and *cpu_ms and the number of
 * hits in *hits.
 */
static kbs_status
run_query(double *ms, double *cpu_ms, size_t *hits, kbs_db *db,
          const struct query *q, const kbs_search_options *opts)
{
	kbs_results *res = NULL;
	const kbs_hit *hit;
	volatile double sink = 0;
	size_t n = 0;
	double c0 = clock_ms(CLOCK_PROCESS_CPUTIME_ID);
	double t0 = now_ms();
	kbs_status rc = kbs_search_text(&res, db, q->text, q->len, opts);

	while (rc == KBS_OK && (rc = kbs_results_next(&hit, res)) == KBS_OK) {
		sink += kbs_hit_get_score(hit) + (double)!!kbs_hit_get_kb_id(hit);
		n++;
	}
	*ms = now_ms() - t0;
	*cpu_ms = clock_ms(CLOCK_PROCESS_CPUTIME_ID) - c0;
	*hits = n;
	kbs_results_free(res);
	(void)sink;
	return rc == KBS_DONE ? KBS_OK : rc;
}

/* Print s as a JSON string literal. */
static void
print_json_str(const char *s)
{
	putchar('"');
	for (; *s; s++) {
		unsigned char ch = (unsigned char)*s;
		if (ch == '"' || ch == '\\')
			printf("\\%c", ch);
		else if (ch < 0x20)
			printf("\\u%04x", ch);
		else
			putchar(ch);
	}
	putchar('"');
}

static void
print_row(const char *name, const struct stats *s)
{
	printf("%-12s %6zu %8.3f %8.3f %8.3f %8.3f %8.3f\n", name, s->count,
	       s->median, s->mean, s->p90, s->p99, s->max);
}

static void
print_json_stats(const char *name, const struct stats *s, int last)
{
	printf("      \"%s\": {\"count\": %zu, \"median_ms\": %.4f, "
	       "\"mean_ms\": %.4f, \"p90_ms\": %.4f, \"p99_ms\": %.4f, "
	       "\"max_ms\": %.4f}%s\n", name, s->count, s->median, s->mean,
	       s->p90, s->p99, s->max, last ? "" : ",");
}

/* One table (or JSON object) of per-query times: all queries, then one
 * row per variant in the order of variants[]. cpu selects the CPU times
 * instead of the wall-clock ones; v is scratch space for n doubles. */
static void
print_table(const struct query *qs, size_t n, const char **variants,
            size_t nvar, int cpu, int json, double *v)
{
	struct stats s;
	size_t i, k, m;

	if (!json)
		printf("%-12s %6s %8s %8s %8s %8s %8s   %s\n", "variant",
		       "count", "median", "mean", "p90", "p99", "max",
		       cpu ? "CPU ms" : "wall-clock ms");
	for (k = 0; k <= nvar; k++) {
		const char *name = k == 0 ? "all" : variants[k - 1];
		for (i = m = 0; i < n; i++)
			if (k == 0 || strcmp(qs[i].variant, name) == 0)
				v[m++] = cpu ? qs[i].cpu_ms : qs[i].ms;
		s = summarise(v, m);
		if (json)
			print_json_stats(name, &s, k == nvar);
		else
			print_row(name, &s);
	}
	if (json)
		printf("    }");
}

static int
cmp_slower(const void *a, const void *b)
{
	const struct query *x = *(const struct query *const *)a;
	const struct query *y = *(const struct query *const *)b;
	return (x->cpu_ms < y->cpu_ms) - (x->cpu_ms > y->cpu_ms);
}

/* The k queries with the most CPU time, the ones to look at first. */
static void
print_slowest(const struct query *qs, size_t n, size_t k)
{
	const struct query **order = malloc((n ? n : 1) * sizeof *order);

	if (order == NULL)
		return;
	for (size_t i = 0; i < n; i++)
		order[i] = &qs[i];
	qsort(order, n, sizeof *order, cmp_slower);
	printf("slowest (CPU ms, wall-clock ms, query, variant, hits):\n");
	for (size_t i = 0; i < k && i < n; i++)
		printf("  %8.3f %8.3f  %s %s %zu\n", order[i]->cpu_ms,
		       order[i]->ms, order[i]->id, order[i]->variant,
		       order[i]->hits);
	free(order);
}

/* Print the report: wall-clock times, then CPU times; each query's time
 * is the median of its runs. Variants come in order of first appearance
 * in the file. */
static int
report(const struct query *qs, size_t n, unsigned repeat, unsigned limit,
       const char *dbpath, const char *qpath, int json, double wall_s)
{
	double *v = malloc((n ? n : 1) * sizeof *v);
	const char **variants = malloc((n ? n : 1) * sizeof *variants);
	size_t nvar = 0, i, k, hits = 0;

	if (v == NULL || variants == NULL) {
		free(v);
		free(variants);
		fprintf(stderr, "bench_search: out of memory\n");
		return 2;
	}
	for (i = 0; i < n; i++) {
		hits += qs[i].hits;
		for (k = 0; k < nvar; k++)
			if (strcmp(variants[k], qs[i].variant) == 0)
				break;
		if (k == nvar)
			variants[nvar++] = qs[i].variant;
	}

	if (json) {
		printf("{\n  \"db\": ");
		print_json_str(dbpath);
		printf(",\n  \"queries_file\": ");
		print_json_str(qpath);
		printf(",\n  \"library\": \"%s\",\n  \"repeat\": %u,\n"
		       "  \"limit\": %u,\n  \"hits\": %zu,\n"
		       "  \"wall_s\": %.3f,\n  \"stats\": {\n    \"wall\": {\n",
		       kbs_version(), repeat, limit, hits, wall_s);
		print_table(qs, n, variants, nvar, 0, 1, v);
		printf(",\n    \"cpu\": {\n");
		print_table(qs, n, variants, nvar, 1, 1, v);
		printf("\n  }\n}\n");
	} else {
		printf("bench_search: %zu queries x %u runs, limit %u, "
		       "%zu hits, %.2f s timed; libkbsearch %s\n",
		       n, repeat, limit, hits, wall_s, kbs_version());
		printf("per query, ms (median of its %u runs)\n", repeat);
		print_table(qs, n, variants, nvar, 0, 0, v);
		print_table(qs, n, variants, nvar, 1, 0, v);
		print_slowest(qs, n, 5);
	}
	free(v);
	free(variants);
	return 0;
}

/* Parse a positive count for option opt; 0 on error. */
static unsigned
parse_count(const char *s, const char *opt)
{
	char *end;
	unsigned long v;

	errno = 0;
	v = strtoul(s, &end, 10);
	if (errno || *s == '\0' || *end != '\0' || v == 0 || v > 1000000) {
		fprintf(stderr, "bench_search: %s: not a positive count: %s\n",
		        opt, s);
		return 0;
	}
	return (unsigned)v;
}

int
main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "db", required_argument, NULL, 'd' },
		{ "repeat", required_argument, NULL, 'r' },
		{ "limit", required_argument, NULL, 'n' },
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	const char *dbpath = NULL, *qpath;
	unsigned repeat = 5, limit = 10;
	int json = 0, c, status = 2;
	struct query *qs = NULL, *bad = NULL;
	long nq = 0;
	kbs_db *db = NULL;
	kbs_status rc = KBS_OK;

	while ((c = getopt_long(argc, argv, "r:n:h", longopts, NULL)) != -1) {
		switch (c) {
		case 'd': dbpath = optarg; break;
		case 'r':
			if ((repeat = parse_count(optarg, "-r")) == 0)
				return 2;
			break;
		case 'n':
			if ((limit = parse_count(optarg, "-n")) == 0)
				return 2;
			break;
		case 'j': json = 1; break;
		case 'h': fputs(usage, stdout); return 0;
		default: fputs(usage, stderr); return 2;
		}
	}
	if (dbpath == NULL || optind != argc - 1) {
		fputs(usage, stderr);
		return 2;
	}
	qpath = argv[optind];

	if ((nq = read_queries(&qs, qpath, repeat)) < 0)
		return 2;
	rc = kbs_db_open(&db, dbpath, KBS_OPEN_READONLY);

	kbs_search_options opts = { .version = KBS_SEARCH_OPTIONS_VERSION,
	                            .limit = limit };
	double ms, cpu_ms, t0;
	size_t hits;
	long i;
	unsigned r;

	/* Warm-up: one untimed pass over every query. */
	for (i = 0; rc == KBS_OK && i < nq; i++)
		if ((rc = run_query(&ms, &cpu_ms, &hits, db, &qs[i],
		                    &opts)) != KBS_OK)
			bad = &qs[i];
	/* Repetitions outermost, so that the runs of one query are spread
	 * over the whole benchmark rather than taken back to back. */
	t0 = now_ms();
	for (r = 0; rc == KBS_OK && r < repeat; r++)
		for (i = 0; rc == KBS_OK && i < nq; i++)
			if ((rc = run_query(&qs[i].runs[r], &qs[i].cpu_runs[r],
			                    &qs[i].hits, db, &qs[i],
			                    &opts)) != KBS_OK)
				bad = &qs[i];
	if (rc == KBS_OK) {
		double wall_s = (now_ms() - t0) / 1e3;
		for (i = 0; i < nq; i++) {
			qs[i].ms = median(qs[i].runs, repeat);
			qs[i].cpu_ms = median(qs[i].cpu_runs, repeat);
		}
		status = report(qs, (size_t)nq, repeat, limit, dbpath, qpath,
		                json, wall_s);
	} else {
		const char *msg = db ? kbs_db_errmsg(db) : "";
		fprintf(stderr, "bench_search: %s: %s: %s%s%s\n", dbpath,
		        kbs_status_str(rc), *msg ? msg : "failed",
		        bad ? " in query " : "", bad ? bad->id : "");
	}

	kbs_db_close(db);
	for (i = 0; i < nq; i++) {
		free(qs[i].id);
		free(qs[i].variant);
		free(qs[i].text);
		free(qs[i].runs);
		free(qs[i].cpu_runs);
	}
	free(qs);
	return status;
}
