/*
 * cmd_index.c - kbsearch index: add files and directories to the database.
 */
#include "cli.h"

#include <getopt.h>
#include <signal.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static const char help[] =
	"Usage: kbsearch index [--db FILE] [--prune] [--exclude GLOB]... "
	"[--verbose] PATH...\n"
	"Index KB articles from files and directories (recursively).\n"
	"Unchanged files are skipped; changed files replace their article.\n"
	"\n"
	"  --db FILE   database to write (created if missing; its directory\n"
	"              must exist unless it is the default location)\n"
	"  --prune     remove articles whose files no longer exist\n"
	"  --exclude GLOB\n"
	"              pass over directory entries matching GLOB (fnmatch:\n"
	"              against the name, or the whole path if GLOB has a /);\n"
	"              a .kbsearchignore file in a directory lists more, one\n"
	"              glob per line, for it and the directories below\n"
	"  --verbose   list every file passed over, with the reason\n"
	"  -h, --help  show this help\n"
	"\n"
	"A file that cannot be indexed is reported as 'kbsearch: PATH: reason' on\n"
	"standard error and the run goes on. Exit status: 0 all files indexed,\n"
	"1 some files failed, 2 the run could not complete.\n";

typedef struct progress {
	bool tty;
	bool verbose;           /* --verbose: report skipped entries */
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

/* Set by SIGINT/SIGTERM: the run stops after the current file, keeping
 * what it indexed. */
static volatile sig_atomic_t interrupted;

static void
on_signal(int sig)
{
	(void)sig;
	interrupted = 1;
}

static int
on_file(void *ud, const char *path, kbs_file_outcome outcome,
        const char *reason, const kbs_index_stats *st)
{
	progress *p = ud;
	if (outcome == KBS_FILE_SKIPPED) {
		if (p->verbose) {
			if (p->tty)
				fputs("\r\033[K", stderr);
			fprintf(stderr, "kbsearch: skipped %s: %s\n", path,
			        reason ? reason : "");
		}
		return interrupted != 0;
	}
	if (outcome == KBS_FILE_FAILED) {
		if (p->tty)
			fputs("\r\033[K", stderr);
		cli_error("%s: %s\n", path,
		        reason ? reason : "failed");
	}
	if (p->tty && (st->seen - p->last_shown >= 50 ||
	               st->seen == st->total)) {
		double s = elapsed(&p->start);
		double rate = s > 0 ? (double)st->seen / s : 0.0;
		int pct = st->total ? (int)(100 * st->seen / st->total) : 100;
		fprintf(stderr, "\r\033[Kindexing: %3d%% %lu/%lu files, "
		        "%.0f files/s", pct, st->seen, st->total, rate);
		if (rate > 0 && st->seen < st->total) {
			/* remaining files at the rate so far */
			long eta = (long)((double)(st->total - st->seen) / rate
			                  + 0.5);
			fprintf(stderr, ", %ld:%02ld left", eta / 60, eta % 60);
		}
		p->last_shown = st->seen;
	}
	return interrupted != 0;
}

int
cmd_index(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "db", required_argument, NULL, 'd' },
		{ "prune", no_argument, NULL, 'p' },
		{ "exclude", required_argument, NULL, 'x' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	cli_common c = {0};
	unsigned flags = 0;
	const char *excl[64];
	size_t nexcl = 0;
	bool verbose = false;
	int o;

	while ((o = getopt_long(argc, argv, ":h", opts, NULL)) != -1) {
		switch (o) {
		case 'd': c.db = optarg; break;
		case 'p': flags |= KBS_INDEX_PRUNE; break;
		case 'x':
			if (*optarg == '\0')
				return cli_usage("index", "--exclude takes a "
				                          "glob");
			if (nexcl < sizeof excl / sizeof *excl)
				excl[nexcl++] = optarg;
			else
				return cli_usage("index", "at most 64 --exclude");
			break;
		case 'v': verbose = true; break;
		case 'h': fputs(help, stdout); return EXIT_FOUND;
		default: return cli_bad_option("index", argv, o);
		}
	}
	if (optind >= argc && !(flags & KBS_INDEX_PRUNE))
		return cli_usage("index", "no PATH to index");

	kbs_db *db = cli_open(&c, true);
	if (db == NULL)
		return EXIT_ERROR;
	for (size_t k = 0; k < nexcl; k++)
		if (kbs_db_add_exclude(db, excl[k]) != KBS_OK) {
			int st = cli_fail(db, KBS_NOMEM, "index");
			kbs_db_close(db);
			return st;
		}
	progress p = { .tty = isatty(STDERR_FILENO) != 0, .verbose = verbose };
	clock_gettime(CLOCK_MONOTONIC, &p.start);
	struct sigaction sa = { .sa_handler = on_signal };
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	kbs_index_stats st = KBS_INDEX_STATS_INIT;
	kbs_status rc = kbs_db_index(&st, db, (const char *const *)argv + optind,
	                             (size_t)(argc - optind), flags, on_file, &p);
	if (p.tty)
		fputs("\r\033[K", stderr);
	if (rc == KBS_CANCELLED)
		cli_error("index: interrupted after %lu "
		        "file(s), which are kept\n", st.seen);
	int status = rc == KBS_CANCELLED ? EXIT_ERROR
	             : rc != KBS_OK ? cli_fail(db, rc, "index")
	             : st.failed > 0 ? EXIT_NONE : EXIT_FOUND;
	printf("%lu files: %lu added, %lu updated, %lu unchanged, "
	       "%lu failed", st.seen, st.added, st.updated, st.unchanged,
	       st.failed);
	if (flags & KBS_INDEX_PRUNE)
		printf(", %lu articles pruned", st.pruned);
	if (st.skipped > 0)
		printf(", %lu passed over%s", st.skipped,
		       verbose ? "" : " (--verbose lists them)");
	printf(" (%.2f s)\n", elapsed(&p.start));
	if (rc == KBS_OK && st.seen > 0 && st.unchanged == st.seen)
		printf("nothing changed since the last run\n");
	kbs_db_close(db);
	return status;
}
