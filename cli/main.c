/*
 * main.c - kbsearch: command dispatch, --help and --version.
 */
#include "cli.h"

#include <stdlib.h>
#include <string.h>

static const char usage[] =
	"Usage: kbsearch COMMAND [OPTION]... [ARG]...\n"
	"Offline search of support knowledge-base articles.\n"
	"\n"
	"Commands:\n"
	"  index  [--db FILE] [--prune] PATH...   index files and directories\n"
	"  index  [--db FILE] --rebuild [PATH...] rebuild a damaged database\n"
	"  search [--db FILE] [-n N] [--json] [--explain] [TEXT...]\n"
	"                                         rank articles against a pasted\n"
	"                                         error (standard input if no TEXT)\n"
	"  event  [--db FILE] [--source NAME] [--json] ID\n"
	"                                         articles describing an event ID\n"
	"  code   [--db FILE] [--json] CODE       articles naming an error code, in\n"
	"                                         any notation (0x80070005, 5...)\n"
	"  file   [--db FILE] [--json] NAME [VERSION]\n"
	"                                         articles shipping a file; with\n"
	"                                         VERSION, which builds are newer\n"
	"  refs   [--db FILE] [--json] KBID       articles an article refers to,\n"
	"                                         and those that cite it\n"
	"  show   [--db FILE] [--json] KBID       one article and its fields\n"
	"  stats  [--db FILE] [--json]            database totals\n"
	"  serve  [--db FILE] [--listen ADDR:PORT] [--threads N]\n"
	"         [--max-paste BYTES] [--aliases FILE]\n"
	"                                         the search page and HTTP API\n"
	"  check  [--db FILE]                     check the database for damage\n"
	"\n"
	"Options:\n"
	"  -h, --help     show help (also after a command)\n"
	"  -V, --version  show the version\n"
	"\n"
	"The database is --db FILE, else $KBSEARCH_DB, else\n"
	"$XDG_DATA_HOME/kbsearch/kb.sqlite (~/.local/share/kbsearch/kb.sqlite).\n"
	"Exit status: 0 found, 1 nothing found (index: some files failed),\n"
	"2 usage or runtime error.\n";

int
main(int argc, char **argv)
{
	static const struct {
		const char *name;
		int (*fn)(int, char **);
	} cmds[] = {
		{ "index", cmd_index },
		{ "search", cmd_search },
		{ "event", cmd_event },
		{ "code", cmd_code },
		{ "file", cmd_file },
		{ "refs", cmd_refs },
		{ "show", cmd_show },
		{ "stats", cmd_stats },
		{ "serve", cmd_serve },
		{ "check", cmd_check },
	};

	if (argc < 2)
		return cli_usage(NULL, "missing command");
	if (strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "--help") == 0 ||
	    strcmp(argv[1], "help") == 0) {
		fputs(usage, stdout);
		return EXIT_FOUND;
	}
	if (strcmp(argv[1], "-V") == 0 || strcmp(argv[1], "--version") == 0) {
		printf("kbsearch %s (library %s)\n", KBS_VERSION_STRING,
		       kbs_version());
		return EXIT_FOUND;
	}
	for (size_t i = 0; i < sizeof cmds / sizeof *cmds; i++)
		if (strcmp(argv[1], cmds[i].name) == 0)
			return cmds[i].fn(argc - 1, argv + 1);
	return cli_usage(NULL, "unknown command '%s'", argv[1]);
}
