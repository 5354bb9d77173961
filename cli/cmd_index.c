/*
 * cmd_index.c - kbsearch index: add files and directories to the database.
 */
#include "cli.h"

#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static const char help[] =
	"Usage: kbsearch index [--db FILE] [--prune] PATH...\n"
	"       kbsearch index [--db FILE] --rebuild [PATH...]\n"
	"Index KB articles from files and directories (recursively).\n"
	"Unchanged files are skipped; changed files replace their article.\n"
	"\n"
	"  --db FILE   database to write (created if missing)\n"
	"  --prune     remove articles whose files no longer exist\n"
	"  --rebuild   start a new database, the old file moved to\n"
	"              FILE.damaged, and index again the files it stored\n"
	"              (and the PATHs given)\n"
	"  -h, --help  show this help\n"
	"\n"
	"A file that cannot be indexed is reported as 'PATH: reason' on\n"
	"standard error and the run goes on. Exit status: 0 all files indexed,\n"
	"1 some files failed, 2 the run could not complete.\n";

typedef struct progress {
	bool tty;
	struct timespec start;
	unsigned long last_shown;
} progress;

static double
elapsed(const struct timespec *t0)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)(t.tv_sec - t0->tv_sec) +
	       (double)(t.tv_nsec - t0->tv_nsec) / 1e9;
}

static void
on_file(void *ud, const char *path, kbs_file_outcome outcome,
        const char *reason, const kbs_index_stats *st)
{
	progress *p = ud;
	if (outcome == KBS_FILE_FAILED) {
		if (p->tty)
			fputs("\r\033[K", stderr);
		char esc[4 * 4096 + 1];
		fprintf(stderr, "%s: %s\n",
		        kbs_path_escape(esc, sizeof esc, path),
		        reason ? reason : "failed");
	}
	if (p->tty && (st->seen - p->last_shown >= 50 ||
	               st->seen == st->total)) {
		double s = elapsed(&p->start);
		fprintf(stderr, "\r\033[Kindexing: %lu/%lu files, %.0f files/s",
		        st->seen, st->total, s > 0 ? (double)st->seen / s : 0.0);
		p->last_shown = st->seen;
	}
}

int
cmd_index(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "db", required_argument, NULL, 'd' },
		{ "prune", no_argument, NULL, 'p' },
		{ "rebuild", no_argument, NULL, 'r' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	cli_common c = {0};
	unsigned flags = 0;
	bool rebuild = false;
	int o;

	while ((o = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (o) {
		case 'd': c.db = optarg; break;
		case 'p': flags |= KBS_INDEX_PRUNE; break;
		case 'r': rebuild = true; break;
		case 'h': fputs(help, stdout); return EXIT_FOUND;
		default: return cli_usage("index", "bad option");
		}
	}
	if (optind >= argc && !(flags & KBS_INDEX_PRUNE) && !rebuild)
		return cli_usage("index", "no PATH to index");

	kbs_db *db = NULL;
	char **sources = NULL;
	const char **paths = (const char **)argv + optind;
	size_t npaths = (size_t)(argc - optind);
	if (rebuild) {
		size_t n = 0;
		const char *path = cli_db_path(c.db, true);
		if (path == NULL)
			return EXIT_ERROR;
		kbs_status rc = kbs_db_rebuild(&db, &sources, &n, path);
		if (rc != KBS_OK) {
			int status = cli_fail(db, rc, "index --rebuild");
			kbs_db_close(db);
			return status;
		}
		char esc[4 * 4096 + 1];
		fprintf(stderr, "kbsearch: rebuilding %s (the old file is "
		        "%s.damaged): %zu files it stored\n",
		        kbs_path_escape(esc, sizeof esc, path),
		        kbs_path_escape(esc, sizeof esc, path), n);
		const char **all = malloc((n + npaths + 1) * sizeof *all);
		if (all == NULL) {
			free(sources);
			kbs_db_close(db);
			return cli_fail(NULL, KBS_NOMEM, "index");
		}
		for (size_t i = 0; i < n; i++)
			all[i] = sources[i];
		for (size_t i = 0; i < npaths; i++)
			all[n + i] = paths[i];
		paths = all;
		npaths += n;
	} else if ((db = cli_open(&c, true)) == NULL) {
		return EXIT_ERROR;
	}
	progress p = { .tty = isatty(STDERR_FILENO) != 0 };
	clock_gettime(CLOCK_MONOTONIC, &p.start);
	kbs_index_stats st;
	kbs_status rc = kbs_db_index(&st, db, paths, npaths, flags, on_file,
	                             &p);
	if (rebuild) {
		free(paths);
		free(sources);
	}
	if (p.tty)
		fputs("\r\033[K", stderr);
	int status = rc != KBS_OK ? cli_fail(db, rc, "index")
	             : st.failed > 0 ? EXIT_NONE : EXIT_FOUND;
	if (rc != KBS_OK)  /* the counts are what was committed */
		printf("stopped, counting what was committed: ");
	printf("%lu files: %lu added, %lu updated, %lu unchanged, "
	       "%lu failed", st.seen, st.added, st.updated, st.unchanged,
	       st.failed);
	if (flags & KBS_INDEX_PRUNE)
		printf(", %lu articles pruned", st.pruned);
	printf(" (%.2f s)\n", elapsed(&p.start));
	if (rc == KBS_OK && st.seen > 0 && st.unchanged == st.seen)
		printf("nothing changed since the last run\n");
	kbs_db_close(db);
	return status;
}
