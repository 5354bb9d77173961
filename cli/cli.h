/*
 * cli.h - the kbsearch command: shared helpers of the subcommands.
 *
 * The command only parses options and prints; every piece of work is a
 * library call. Exit status: 0 found, 1 nothing found (or, for index, some
 * files failed), 2 usage or runtime error.
 */
#ifndef KBS_CLI_H
#define KBS_CLI_H

#include <getopt.h>
#include <jansson.h>
#include <stdbool.h>
#include <stdio.h>

#include "json.h"
#include "kbsearch.h"

enum { EXIT_FOUND = 0, EXIT_NONE = 1, EXIT_ERROR = 2 };

/* Options every subcommand takes. */
typedef struct cli_common {
	const char *db;     /* --db, or NULL for the default */
	bool json;          /* --json */
} cli_common;

/* Global options, given before the command. */
typedef struct cli_globals {
	const char *db;     /* --db before the command, or NULL */
	int colour;         /* --color: -1 auto, 0 never, 1 always */
	bool json;          /* the command was given --json */
	bool printed;       /* a JSON document went to stdout */
} cli_globals;

extern cli_globals cli_global;

/* The database path: the command's --db, else the global --db, else
 * $KBSEARCH_DB, else $XDG_DATA_HOME/kbsearch/kb.sqlite
 * (~/.local/share/...). When create is set and the path is that default
 * one, its missing parent directories are made; a path the user gave is
 * taken as given, so a mistyped directory is an error, not a new tree.
 * Returns a static buffer or NULL (message printed). */
const char *cli_db_path(const char *opt, bool create);

/* Open the database or print "kbsearch: PATH: reason" and return NULL. */
kbs_db *cli_open(const cli_common *c, bool create);

/* Print "kbsearch: " and the message (printf format, ending in a
 * newline) on standard error; the first one of a run is kept for
 * cli_json_error(). */
void cli_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* In JSON mode, when the command failed (status not 0) without printing
 * a document: print {"format_version": N, "error": {"message": the first
 * error, "exit_status": status}} on standard output. */
void cli_json_error(int status);

/* Print "kbsearch: what: status: detail" to stderr; returns EXIT_ERROR. */
int cli_fail(kbs_db *db, kbs_status rc, const char *what);

/* Print a usage error and the subcommand's help hint; returns EXIT_ERROR. */
int cli_usage(const char *cmd, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* True when colour may be used on f: --color=always, or with auto (the
 * default) f is a terminal, NO_COLOR is unset or empty and TERM is not
 * "dumb". */
bool cli_colour(FILE *f);

/* Check --format-version=N: this kbsearch writes JSON format
 * CLI_JSON_FORMAT_VERSION only; any other N is a usage error (message
 * printed, false returned), so a script written for another format
 * stops instead of misreading. */
bool cli_format_version(const char *cmd, const char *arg);

/* Set cli_global.colour from "auto", "always" or "never"; false for any
 * other word. */
bool cli_set_colour(const char *when);

/* The long options the commands share, for their struct option tables
 * (the values are above any short option's); cli_option() handles them.
 * Every command takes --db and --help; those that print JSON take --json
 * and --format-version too. */
enum { CLI_OPT_DB = 0x100, CLI_OPT_JSON, CLI_OPT_FORMAT_VERSION };
#define CLI_OPTIONS_DB_HELP \
	{ "db", required_argument, NULL, CLI_OPT_DB }, \
	{ "help", no_argument, NULL, 'h' }
#define CLI_OPTIONS_JSON \
	{ "json", no_argument, NULL, CLI_OPT_JSON }, \
	{ "format-version", required_argument, NULL, CLI_OPT_FORMAT_VERSION }

/* The default case of a command's getopt_long() loop: take option o
 * (one of the shared ones above, -h, or getopt's ':' or '?') for command
 * cmd, whose --help text is help. Returns -1 when the command goes on
 * parsing, else the exit status it returns (0 after printing help). */
int cli_option(cli_common *c, const char *cmd, const char *help,
               char **argv, int o);

/* The number in arg for option opt of command cmd, when it is from lo to
 * hi; else a usage error "OPT takes LO to HI" is printed and false
 * returned. */
bool cli_number(const char *cmd, const char *opt, const char *arg,
                long long lo, long long hi, long long *out);

/* Report a getopt_long() failure (o is ':' for a missing argument, '?'
 * for an unknown option; optstrings start with ':' and opterr is 0) as
 * one "kbsearch: [CMD: ]..." line and the help hint; returns EXIT_ERROR. */
int cli_bad_option(const char *cmd, char **argv, int o);

/* The user's alias file: $KBSEARCH_ALIASES, else
 * $XDG_CONFIG_HOME/kbsearch/aliases.txt (~/.config/...) when it exists.
 * Returns a heap path (caller frees) or NULL. */
char *cli_user_aliases(void);

/* Load the alias files user and extra (either may be NULL) into db.
 * Returns KBS_OK or the failing kbs_db_load_aliases() status (message on
 * db). */
kbs_status cli_load_aliases(kbs_db *db, const char *user, const char *extra);

/* The width to fit text output to: the terminal's (TIOCGWINSZ) when
 * standard output is one, else $COLUMNS, else 80; at least 20. */
int cli_width(void);

/* Print text word-wrapped to width columns, every line indented by
 * indent spaces, white space runs as one space, the byte ranges spans
 * (sorted, as kbs_hit_get_snippet_matches() gives them) highlighted:
 * bold on a terminal when colour is set, else between "**" marks. Ends
 * with a newline. */
void cli_wrap(FILE *f, const char *text, const kbs_span *spans, size_t n,
              int indent, int width, bool colour);

/* On a terminal, send standard output through $PAGER (default
 * "less -FRX", as git does; none when PAGER is "" or "cat") until
 * cli_pager_end(). Does nothing when standard output is not a terminal. */
void cli_pager_start(void);
void cli_pager_end(void);

/* Dump a JSON value to stdout with a newline, then free it. */
void cli_json_print(json_t *v);

int cmd_index(int argc, char **argv);
int cmd_search(int argc, char **argv);
/* event, code, file, refs, show and stats: the command is argv[0]. */
int cmd_lookup(int argc, char **argv);
/* Exec kbsearch-serve (cmd_serve.c), found next to the running program,
 * with argv's options; returns EXIT_ERROR (message printed) only when it
 * cannot be run. */
int cmd_serve(int argc, char **argv);
int cmd_check(int argc, char **argv);

#endif
