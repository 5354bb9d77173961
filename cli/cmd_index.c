/*
 * cmd_index.c - kbsearch index: add files and directories to the database.
 */
#include "cli.h"

#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static const char help[] =
	"Usage: kbsearch index [--db FILE] [--prune] [--exclude GLOB]... "
	"[--verbose]\n"
	"                      [--files-from FILE [-0]] PATH...\n"
	"       kbsearch index [--db FILE] --rebuild [PATH...]\n"
	"Index KB articles from files and directories (recursively).\n"
	"Unchanged files are skipped; changed files replace their article.\n"
	"\n"
	"  --db FILE          database to write (created if missing; its\n"
	"                     directory must exist unless it is the default\n"
	"                     location)\n"
	"  --prune            remove articles whose files no longer exist\n"
	"  --exclude GLOB     pass over directory entries matching GLOB\n"
	"                     (fnmatch: against the name, or the whole path if\n"
	"                     GLOB has a /); a .kbsearchignore file in a\n"
	"                     directory lists more, one glob per line, for it\n"
	"                     and the directories below\n"
	"  --files-from FILE  also index the paths listed in FILE, one a line\n"
	"                     ('-' reads standard input)\n"
	"  -0, --null         the list is NUL-separated (find -print0)\n"
	"  --verbose          list every file passed over, with the reason,\n"
	"                     and every file with records past a cap\n"
	"  --rebuild          start a new database, the old file moved to\n"
	"                     FILE.damaged, and index again the files it\n"
	"                     stored (and the PATHs given)\n"
	"  -h, --help         show this help\n"
	"\n"
	"A file that cannot be indexed is reported as 'kbsearch: PATH: reason'\n"
	"on standard error and the run goes on; so is a PATH under which no\n"
	"article was found. Exit status: 0 all files indexed, 1 some files\n"
	"failed or a PATH held no article, 2 the run could not complete or was\n"
	"interrupted.\n";

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
	bool capped = (outcome == KBS_FILE_ADDED ||
	               outcome == KBS_FILE_UPDATED) && reason != NULL;
	if ((outcome == KBS_FILE_SKIPPED || capped) && !p->verbose)
		return interrupted != 0;
	if (outcome == KBS_FILE_SKIPPED || outcome == KBS_FILE_FAILED ||
	    outcome == KBS_PATH_EMPTY || capped) {
		if (p->tty)
			fputs("\r\033[K", stderr);
		char esc[4 * 4096 + 1];
		cli_error("%s%s: %s\n",
		          outcome == KBS_FILE_SKIPPED ? "skipped " : "",
		          kbs_path_escape(esc, sizeof esc, path),
		        reason ? reason : "failed");
	}
	if (outcome == KBS_PATH_EMPTY || outcome == KBS_FILE_SKIPPED)
		return interrupted != 0;
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

/* The paths of the command line, then those listed in the file from
 * (NULL: none; "-": standard input), separated by sep; empty entries are
 * ignored. *buf holds the list's text and *out the array (caller frees
 * both). Returns false with a message printed when the list cannot be
 * read. */
static bool
collect_paths(char ***out, size_t *n, char **buf, char **args, size_t nargs,
              const char *from, char sep)
{
	size_t len = 0, cap = 0, npaths = nargs;
	FILE *f = NULL;
	*out = NULL;
	*buf = NULL;
	if (from != NULL) {
		f = strcmp(from, "-") == 0 ? stdin : fopen(from, "rb");
		if (f == NULL) {
			fprintf(stderr, "kbsearch: %s: %s\n", from,
			        strerror(errno));
			return false;
		}
		for (;;) {
			if (len + 4096 + 1 > cap) {
				cap = cap ? cap * 2 : 65536;
				char *nb = realloc(*buf, cap);
				if (nb == NULL) {
					fprintf(stderr, "kbsearch: out of memory\n");
					goto fail;
				}
				*buf = nb;
			}
			size_t got = fread(*buf + len, 1, cap - len - 1, f);
			len += got;
			if (got == 0)
				break;
		}
		if (ferror(f)) {
			fprintf(stderr, "kbsearch: %s: %s\n", from,
			        strerror(errno));
			goto fail;
		}
		if (*buf == NULL && (*buf = malloc(1)) == NULL)
			goto fail;
		(*buf)[len] = '\0';
		for (size_t i = 0; i < len; i++)
			npaths += (*buf)[i] == sep;
		npaths++;
	}
	if ((*out = malloc((npaths + 1) * sizeof **out)) == NULL) {
		fprintf(stderr, "kbsearch: out of memory\n");
		goto fail;
	}
	*n = 0;
	for (size_t i = 0; i < nargs; i++)
		(*out)[(*n)++] = args[i];
	for (size_t i = 0, start = 0; from != NULL && i <= len; i++) {
		if (i < len && (*buf)[i] != sep)
			continue;
		(*buf)[i] = '\0';
		if (i > start)
			(*out)[(*n)++] = *buf + start;
		start = i + 1;
	}
	if (f != NULL && f != stdin)
		fclose(f);
	return true;
fail:
	if (f != NULL && f != stdin)
		fclose(f);
	free(*buf);
	*buf = NULL;
	return false;
}

int
cmd_index(int argc, char **argv)
{
	static const struct option opts[] = {
		CLI_OPTIONS_DB_HELP,
		{ "prune", no_argument, NULL, 'p' },
		{ "rebuild", no_argument, NULL, 'r' },
		{ "files-from", required_argument, NULL, 'f' },
		{ "null", no_argument, NULL, '0' },
		{ "exclude", required_argument, NULL, 'x' },
		{ "verbose", no_argument, NULL, 'v' },
		{ NULL, 0, NULL, 0 },
	};
	cli_common c = {0};
	unsigned flags = 0;
	bool rebuild = false;
	const char *from = NULL;
	char sep = '\n';
	const char *excl[64];
	size_t nexcl = 0;
	bool verbose = false;
	int o, status;

	while ((o = getopt_long(argc, argv, ":h0", opts, NULL)) != -1) {
		switch (o) {
		case 'p': flags |= KBS_INDEX_PRUNE; break;
		case 'r': rebuild = true; break;
		case 'f': from = optarg; break;
		case '0': sep = '\0'; break;
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
		default:
			if ((status = cli_option(&c, "index", help, argv, o)) >= 0)
				return status;
		}
	}
	if (optind >= argc && from == NULL && !(flags & KBS_INDEX_PRUNE) &&
	    !rebuild)
		return cli_usage("index", "no PATH to index");
	if (sep == '\0' && from == NULL)
		return cli_usage("index", "-0 needs --files-from");

	char **paths = NULL, *listbuf = NULL, **sources = NULL;
	size_t npaths = 0;
	if (!collect_paths(&paths, &npaths, &listbuf, argv + optind,
	                   (size_t)(argc - optind), from, sep))
		return EXIT_ERROR;
	kbs_db *db = NULL;
	if (rebuild) {
		size_t n = 0;
		const char *path = cli_db_path(c.db, true);
		kbs_status rc = path == NULL ? KBS_IO
		                : kbs_db_rebuild(&db, &sources, &n, path);
		char **all = NULL;
		if (rc == KBS_OK &&
		    (all = malloc((n + npaths + 1) * sizeof *all)) == NULL)
			rc = KBS_NOMEM;
		if (rc != KBS_OK) {
			int status = path == NULL ? EXIT_ERROR
			             : cli_fail(db, rc, "index --rebuild");
			kbs_db_close(db);
			free(sources);
			free(paths);
			free(listbuf);
			return status;
		}
		char esc[4 * 4096 + 1];
		fprintf(stderr, "kbsearch: rebuilding %s (the old file is "
		        "%s.damaged): %zu files it stored\n",
		        kbs_path_escape(esc, sizeof esc, path),
		        kbs_path_escape(esc, sizeof esc, path), n);
		for (size_t i = 0; i < n; i++)
			all[i] = sources[i];
		for (size_t i = 0; i < npaths; i++)
			all[n + i] = paths[i];
		free(paths);
		paths = all;
		npaths += n;
	} else if ((db = cli_open(&c, true)) == NULL) {
		free(paths);
		free(listbuf);
		return EXIT_ERROR;
	}
	for (size_t k = 0; k < nexcl; k++)
		if (kbs_db_add_exclude(db, excl[k]) != KBS_OK) {
			int st = cli_fail(db, KBS_NOMEM, "index");
			kbs_db_close(db);
			free(paths);
			free(listbuf);
			free(sources);
			return st;
		}
	progress p = { .tty = isatty(STDERR_FILENO) != 0, .verbose = verbose };
	clock_gettime(CLOCK_MONOTONIC, &p.start);
	struct sigaction sa = { .sa_handler = on_signal };
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	kbs_index_stats st = KBS_INDEX_STATS_INIT;
	kbs_status rc = kbs_db_index(&st, db, (const char *const *)paths,
	                             npaths, flags, on_file, &p);
	if (p.tty)
		fputs("\r\033[K", stderr);
	if (rc == KBS_CANCELLED)
		cli_error("index: interrupted after %lu "
		          "file(s), which are kept\n", st.seen);
	status = rc == KBS_CANCELLED ? EXIT_ERROR
	             : rc != KBS_OK ? cli_fail(db, rc, "index")
	             : st.failed > 0 || st.empty_paths > 0 ? EXIT_NONE
	             : EXIT_FOUND;
	if (rc != KBS_OK && rc != KBS_CANCELLED)
		/* the counts are what was committed */
		printf("stopped, counting what was committed: ");
	printf("%lu files: %lu added, %lu updated, %lu unchanged, "
	       "%lu failed", st.seen, st.added, st.updated, st.unchanged,
	       st.failed);
	if (st.skipped > 0)
		printf(", %lu not articles", st.skipped);
	if (flags & KBS_INDEX_PRUNE)
		printf(", %lu articles pruned", st.pruned);
	if (st.passed_over > 0)
		printf(", %lu passed over%s", st.passed_over,
		       verbose ? "" : " (--verbose lists them)");
	if (st.capped > 0)
		printf(", %lu records past the per-article caps not kept in "
		       "%lu file(s)%s", st.capped, st.capped_files,
		       verbose ? "" : " (--verbose names them)");
	printf(" (%.2f s)\n", elapsed(&p.start));
	if (rc == KBS_OK && st.unchanged > 0 &&
	    st.unchanged + st.skipped == st.seen)
		printf("nothing changed since the last run\n");
	kbs_db_close(db);
	free(paths);
	free(listbuf);
	free(sources);
	return status;
}
