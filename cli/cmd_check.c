/*
 * cmd_check.c - kbsearch check: is the database file sound?
 */
#include "cli.h"

#include <errno.h>
#include <getopt.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static const char help[] =
	"Usage: kbsearch check [--db FILE]\n"
	"Check the database file for damage: SQLite's integrity check of every\n"
	"page, then FTS5's check of the full-text index (skipped, and said so,\n"
	"when the file cannot be written).\n"
	"\n"
	"  --db FILE   database to check\n"
	"  -h, --help  show this help\n"
	"\n"
	"A damaged database is rebuilt from its source files by\n"
	"'kbsearch index --rebuild'. Exit status: 0 sound, 1 damaged,\n"
	"2 the check could not run.\n";

int
cmd_check(int argc, char **argv)
{
	static const struct option opts[] = {
		CLI_OPTIONS_DB_HELP,
		{ NULL, 0, NULL, 0 },
	};
	cli_common c = {0};
	int o, status;

	while ((o = getopt_long(argc, argv, ":h", opts, NULL)) != -1)
		if ((status = cli_option(&c, "check", help, argv, o)) >= 0)
			return status;
	if (optind < argc)
		return cli_usage("check", "unexpected argument '%s'",
		                 argv[optind]);
	const char *path = cli_db_path(c.db, false);
	if (path == NULL)
		return EXIT_ERROR;
	/* Read-write when the file allows it, so that FTS5's check (an
	 * INSERT) runs; opening never creates a missing file here. */
	struct stat sb;
	char esc[4 * 4096 + 1];
	if (stat(path, &sb) != 0) {
		fprintf(stderr, "kbsearch: %s: %s\n",
		        kbs_path_escape(esc, sizeof esc, path), strerror(errno));
		return EXIT_ERROR;
	}
	bool writable = access(path, W_OK) == 0;
	kbs_db *db = NULL;
	kbs_status rc = kbs_db_open(&db, path, writable ? KBS_OPEN_CREATE
	                                                : KBS_OPEN_READONLY);
	if (rc == KBS_OK)
		rc = kbs_db_check(db);
	const char *msg = db != NULL ? kbs_db_errmsg(db) : "";
	if (rc == KBS_OK)
		printf("%s\n", msg);
	else
		fprintf(stderr, "kbsearch: %s\n", *msg ? msg
		                                       : kbs_status_str(rc));
	kbs_db_close(db);
	return rc == KBS_OK ? EXIT_FOUND
	       : rc == KBS_CORRUPT || rc == KBS_SCHEMA ? EXIT_NONE
	       : EXIT_ERROR;
}
