/*
 * main.c - kbsearch: the command table, global options, help and dispatch.
 *
 * One table lists the commands (name, function, synopsis, summary), the
 * way notmuch's commands[] does: the usage text, `kbsearch help CMD` and
 * the dispatch are all made from it, so a new command cannot be left out
 * of the help. Global options come before the command
 * (`kbsearch --db FILE stats`); each command parses its own after it.
 * The server is a program of its own, kbsearch-serve, which `serve`
 * execs (cmd_serve() below).
 */
#include "cli.h"

#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

typedef struct command {
	const char *name;
	int (*fn)(int, char **);
	const char *args;      /* synopsis after the name; '\n' breaks it */
	const char *summary;   /* what it does, one line */
} command;

static const command commands[] = {
	{ "index", cmd_index,
	  "[--db FILE] [--prune] [--exclude GLOB]... [--verbose]\n"
	  "[--files-from FILE [-0]] [--rebuild] PATH...",
	  "index files and directories (--rebuild: a damaged database)" },
	{ "search", cmd_search,
	  "[--db FILE] [-n N] [--offset N] [--json] [--explain]\n"
	  "[--product P] [--product-version V] [--aliases FILE] [TEXT...]",
	  "rank articles against a pasted error (standard input if no TEXT)" },
	{ "event", cmd_lookup, "[--db FILE] [--source NAME] [--json] ID",
	  "articles describing an event ID" },
	{ "code", cmd_lookup, "[--db FILE] [--json] CODE",
	  "articles naming an error code, in any notation (0x80070005, 5...)" },
	{ "file", cmd_lookup, "[--db FILE] [--json] NAME [VERSION]",
	  "articles shipping a file; with VERSION, which builds are newer" },
	{ "refs", cmd_lookup, "[--db FILE] [--json] ID",
	  "articles an article refers to, and those that cite it" },
	{ "show", cmd_lookup, "[--db FILE] [--json] ID",
	  "one article and its fields" },
	{ "stats", cmd_lookup, "[--db FILE] [--json]", "database totals" },
	{ "serve", cmd_serve,
	  "[--db FILE] [--listen ADDR:PORT] [--threads N]\n"
	  "[--max-paste BYTES] [--aliases FILE]",
	  "the search page and HTTP API" },
	{ "check", cmd_check, "[--db FILE]",
	  "check the database for damage" },
	{ "help", NULL, "[COMMAND]", "this help, or a command's" },
};

enum { NCOMMANDS = sizeof commands / sizeof *commands };

static const command *
find_command(const char *name)
{
	for (size_t i = 0; i < NCOMMANDS; i++)
		if (strcmp(name, commands[i].name) == 0)
			return &commands[i];
	return NULL;
}

static void
usage(FILE *f)
{
	fputs("Usage: kbsearch [GLOBAL OPTION]... COMMAND [OPTION]... [ARG]...\n"
	      "Offline search of support knowledge-base articles.\n"
	      "\n"
	      "Commands:\n", f);
	for (size_t i = 0; i < NCOMMANDS; i++) {
		const command *c = &commands[i];
		fprintf(f, "  %-6s ", c->name);
		for (const char *p = c->args; *p; p++) {
			fputc(*p, f);
			if (*p == '\n')
				fputs("         ", f);
		}
		fprintf(f, "\n         %s\n", c->summary);
	}
	fputs("\n"
	      "Global options (before the command):\n"
	      "  --db FILE       the database, for every command\n"
	      "  --format-version=N\n"
	      "                  the JSON format the caller expects; this kbsearch\n"
	      "                  writes 2 (any other N is an error)\n"
	      "  --color=WHEN    colour and bold on a terminal: auto (default),\n"
	      "                  always or never; NO_COLOR and TERM=dumb mean never\n"
	      "  -h, --help      show this help ('kbsearch help COMMAND' or\n"
	      "                  'kbsearch COMMAND --help' for a command's)\n"
	      "  -V, --version   show the version\n"
	      "\n"
	      "The database is --db FILE, else $KBSEARCH_DB, else\n"
	      "$XDG_DATA_HOME/kbsearch/kb.sqlite (~/.local/share/kbsearch/kb.sqlite).\n"
	      "Exit status: 0 found, 1 nothing found (index: some files failed),\n"
	      "2 usage or runtime error.\n", f);
}

/* The server's program, looked for in the directory of this one. */
static const char serve_program[] = "kbsearch-serve";

/*
 * serve: exec kbsearch-serve, found in the directory of the running
 * program (/proc/self/exe): bindir once installed, wherever DESTDIR or a
 * moved prefix put it, and .libs/ in the build tree, whose libtool
 * wrapper's LD_LIBRARY_PATH the server inherits. The server lives apart
 * so that no other command loads libmicrohttpd and its TLS libraries:
 * they cost each `kbsearch search` about 3 ms of its ~19 ms (README,
 * "serve"). The options go over as they are, after the global --db when
 * one was given, so that the command's own --db still wins; the other
 * global options do not concern the server. The process stays the same
 * (same pid), as a service manager or a test that signals it expects.
 */
int
cmd_serve(int argc, char **argv)
{
	char path[PATH_MAX], esc[4 * PATH_MAX + 1];
	ssize_t n = readlink("/proc/self/exe", path, sizeof path);
	if (n <= 0 || (size_t)n >= sizeof path) {
		cli_error("serve: cannot find %s: /proc/self/exe: %s\n",
		          serve_program, n < 0 ? strerror(errno) : "too long");
		return EXIT_ERROR;
	}
	path[n] = '\0';
	char *slash = strrchr(path, '/');
	size_t dir = slash != NULL ? (size_t)(slash + 1 - path) : 0;
	if (dir + sizeof serve_program > sizeof path) {
		cli_error("serve: cannot find %s: path too long\n",
		          serve_program);
		return EXIT_ERROR;
	}
	memcpy(path + dir, serve_program, sizeof serve_program);

	char **args = calloc((size_t)argc + 3, sizeof *args);
	if (args == NULL) {
		cli_error("serve: out of memory\n");
		return EXIT_ERROR;
	}
	int k = 0;
	args[k++] = path;
	if (cli_global.db != NULL) {
		args[k++] = (char *)"--db";
		args[k++] = (char *)cli_global.db;
	}
	for (int i = 1; i < argc; i++)
		args[k++] = argv[i];
	args[k] = NULL;
	fflush(NULL);
	execv(path, args);
	cli_error("serve: cannot run %s: %s\n",
	          kbs_path_escape(esc, sizeof esc, path), strerror(errno));
	free(args);
	return EXIT_ERROR;
}

/* Run a command's own --help. */
static int
command_help(const command *c)
{
	char *args[] = { (char *)c->name, (char *)"--help", NULL };
	optind = 0;
	return c->fn(2, args);
}

int
main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "db", required_argument, NULL, 'd' },
		{ "color", required_argument, NULL, 'c' },
		{ "colour", required_argument, NULL, 'c' },
		{ "format-version", required_argument, NULL, 'f' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	int o;

	opterr = 0;     /* messages come from cli_bad_option() */
	while ((o = getopt_long(argc, argv, "+:hV", opts, NULL)) != -1) {
		switch (o) {
		case 'd': cli_global.db = optarg; break;
		case 'c':
			if (!cli_set_colour(optarg))
				return cli_usage(NULL, "--color takes auto, "
				                       "always or never");
			break;
		case 'f':
			if (!cli_format_version(NULL, optarg))
				return EXIT_ERROR;
			break;
		case 'h': usage(stdout); return EXIT_FOUND;
		case 'V':
			printf("kbsearch %s (library %s)\n", KBS_VERSION_STRING,
			       kbs_version());
			return EXIT_FOUND;
		default: return cli_bad_option(NULL, argv, o);
		}
	}
	if (optind >= argc)
		return cli_usage(NULL, "missing command");
	argc -= optind;
	argv += optind;
	optind = 0;     /* restart getopt for the command's own options */

	if (strcmp(argv[0], "help") == 0) {
		if (argc < 2) {
			usage(stdout);
			return EXIT_FOUND;
		}
		const command *c = find_command(argv[1]);
		if (c == NULL || c->fn == NULL) {
			if (c != NULL) {
				usage(stdout);
				return EXIT_FOUND;
			}
			return cli_usage(NULL, "unknown command '%s'", argv[1]);
		}
		return command_help(c);
	}
	const command *c = find_command(argv[0]);
	if (c == NULL || c->fn == NULL)
		return cli_usage(NULL, "unknown command '%s'", argv[0]);
	int status = c->fn(argc, argv);
	cli_json_error(status);
	return status;
}
