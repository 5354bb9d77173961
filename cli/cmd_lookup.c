/*
 * cmd_lookup.c - kbsearch event, code, file, refs, show and stats: exact
 * lookups. Each prints one line per hit, or with --json one object with
 * the lookup's key and a "results" array in the style of search.
 *
 * One row of lookup_cmds[] per command (its help, operands, printer);
 * one runner, cmd_lookup(), reads the options, operands and key and opens
 * the database for all of them, then calls the row's run function:
 * run_list() for the four list lookups (lookup.h), which prints each hit
 * with the row's line printer, and run_show(), run_stats().
 */
#include "cli.h"

#include <getopt.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

static const char event_help[] =
	"Usage: kbsearch event [--db FILE] [--source NAME] [--json] ID\n"
	"List the articles that describe event ID; with --source, those whose\n"
	"event has that event source come first.\n";

static const char code_help[] =
	"Usage: kbsearch code [--db FILE] [--json] CODE\n"
	"List the articles that name an error code. CODE may be written in any\n"
	"notation: 0x80070005, 80070005, -2147024891 and 2147942405 are one\n"
	"HRESULT; 0xC0000005 an NTSTATUS; 0x1E or 'STOP 0x0000001E' a STOP code;\n"
	"a small decimal such as 5 a Win32 error. An HRESULT 0x8007xxxx and the\n"
	"Win32 error xxxx find each other. Articles naming the very value come\n"
	"first. Each line: KB id, the code, the notation the article used, title.\n";

static const char file_help[] =
	"Usage: kbsearch file [--db FILE] [--json] NAME [VERSION]\n"
	"List the articles whose file tables ship NAME (case-insensitive), the\n"
	"newest build first. With VERSION (e.g. 4.0.1381.33) a column says\n"
	"whether each article's build is newer, the same or older than it ('?'\n"
	"when the article gives no version). Each line: KB id, [newer|same|older],\n"
	"version, platform, date, title.\n";

static const char refs_help[] =
	"Usage: kbsearch refs [--db FILE] [--json] ID\n"
	"List the articles that article ID (Q294326, KB294326, 294326, or an\n"
	"article id such as A1B2C3D4E5F for an article without a KB id) refers\n"
	"to, in its order ('cites'), then the articles that refer to it\n"
	"('cited-by'). A referenced article that is not in the database is\n"
	"listed without a title.\n";

static const char show_help[] =
	"Usage: kbsearch show [--db FILE] [--json] ID\n"
	"Show one article with its text and the fields extracted from it. ID is\n"
	"its KB id (Q294326, KB294326 or 294326), or for an article without one\n"
	"the article id results give (A and 10 hex digits), or the path of a\n"
	"file it was indexed from.\n";

static const char stats_help[] =
	"Usage: kbsearch stats [--db FILE] [--json]\n"
	"Show the database's totals.\n";

static void
article_text(const kbs_article *a, bool colour)
{
	const char *b = colour ? "\033[1m" : "", *e = colour ? "\033[0m" : "";
	const kbs_event *ev;
	const kbs_code *co;
	const kbs_file *fi;
	const kbs_product *pr;
	const char *const *sl;
	size_t n, i;

	printf("%s%s: %s%s\n", b, kbs_article_get_kb_id(a),
	       kbs_article_get_title(a) ? kbs_article_get_title(a) : "", e);
	if (kbs_article_get_date(a))
		printf("Date:      %s\n", kbs_article_get_date(a));
	printf("Format:    %s\n", kbs_article_get_format(a));
	n = kbs_article_get_sources(a, &sl);
	for (i = 0; i < n; i++)
		printf("%s%s\n", i ? "           " : "Sources:   ", sl[i]);
	n = kbs_article_get_products(a, &pr);
	for (i = 0; i < n; i++)
		printf("%s%s%s%s\n", i ? "           " : "Products:  ", pr[i].name,
		       pr[i].version ? " " : "", pr[i].version ? pr[i].version : "");
	n = kbs_article_get_events(a, &ev);
	for (i = 0; i < n; i++)
		printf("Event:     %ld  source=%s  type=%s\n", ev[i].id,
		       ev[i].source ? ev[i].source : "-",
		       ev[i].type ? ev[i].type : "-");
	n = kbs_article_get_codes(a, &co);
	for (i = 0; i < n; i++)
		printf("Code:      0x%08" PRIX32 "  (%s)\n", co[i].value,
		       co[i].text);
	n = kbs_article_get_files(a, &fi);
	for (i = 0; i < n; i++) {
		printf("File:      %s", fi[i].name);
		if (fi[i].version) printf("  version %s", fi[i].version);
		if (fi[i].size >= 0) printf("  %lld bytes", fi[i].size);
		if (fi[i].date) printf("  %s", fi[i].date);
		if (fi[i].time) printf(" %s", fi[i].time);
		if (fi[i].platform) printf("  %s", fi[i].platform);
		putchar('\n');
	}
	n = kbs_article_get_messages(a, &sl);
	for (i = 0; i < n; i++)
		printf("Message:   %s\n", sl[i]);
	n = kbs_article_get_registry(a, &sl);
	for (i = 0; i < n; i++)
		printf("Registry:  %s\n", sl[i]);
	n = kbs_article_get_refs(a, &sl);
	if (n > 0) {
		printf("See also: ");
		for (i = 0; i < n; i++)
			printf(" %s", sl[i]);
		putchar('\n');
	}
	/* The classic text as it is; a page (Markdown, HTML) by its
	 * sections, without its markup. */
	const char *fmt = kbs_article_get_format(a);
	if (fmt != NULL && (strcmp(fmt, "kb-txt") == 0 ||
	                    strcmp(fmt, "plain") == 0)) {
		printf("\n%s\n", kbs_article_get_text(a) ?
		       kbs_article_get_text(a) : "");
		return;
	}
	const kbs_section *se;
	n = kbs_article_get_sections(a, &se);
	for (i = 0; i < n; i++)
		printf("\n%s%s%s\n%s\n", b, se[i].heading ? se[i].heading : "",
		       e, se[i].text ? se[i].text : "");
}

/* Text lines of the list lookups: one hit each. */
static void
event_line(const kbs_hit *h, const cli_key *k)
{
	const kbs_event *e = kbs_hit_get_event(h);
	(void)k;
	printf("%-11s %-5ld %-20s %s\n", kbs_hit_get_kb_id(h),
	       e->id, e->source ? e->source : "-",
	       kbs_hit_get_title(h) ? kbs_hit_get_title(h) : "");
}

static void
code_line(const kbs_hit *h, const cli_key *k)
{
	const kbs_code *c = kbs_hit_get_code(h);
	(void)k;
	printf("%-11s 0x%08" PRIX32 "  %-12s %s\n",
	       kbs_hit_get_kb_id(h), c->value, c->text ? c->text : "-",
	       kbs_hit_get_title(h) ? kbs_hit_get_title(h) : "");
}

static void
file_line(const kbs_hit *h, const cli_key *k)
{
	const kbs_file *f = kbs_hit_get_file(h);
	const char *word = cli_version_cmp_word(kbs_hit_get_version_cmp(h));
	printf("%-11s ", kbs_hit_get_kb_id(h));
	if (k->extra != NULL)
		printf("%-5s ", word ? word : "?");
	printf("%-16s %-6s %-10s %s\n",
	       f->version ? f->version : "-",
	       f->platform ? f->platform : "-",
	       f->date ? f->date : "-",
	       kbs_hit_get_title(h) ? kbs_hit_get_title(h) : "");
}

static void
refs_line(const kbs_hit *h, const cli_key *k)
{
	bool cites = kbs_hit_get_ref(h) == KBS_REF_CITES;
	const char *title = kbs_hit_get_title(h);
	(void)k;
	printf("%-8s %-11s %s\n", cites ? "cites" : "cited-by",
	       kbs_hit_get_kb_id(h),
	       title ? title
	             : kbs_hit_get_path(h) ? ""
	             : "(not in the database)");
}

/* One lookup command: a row of lookup_cmds[] below. */
typedef struct lookup_cmd {
	const char *name;
	const char *help;       /* --help text */
	int min, max;           /* how many operands it takes */
	const char *operands;   /* the usage error when that is not so */
	bool negative;          /* an operand may start with '-' and a digit */
	cli_lookup_kind kind;   /* list lookups: which one */
	void (*line)(const kbs_hit *, const cli_key *); /* list lookups: a hit */
	const char *none;       /* list lookups: no hit (%s: the key) */
	int (*run)(const struct lookup_cmd *, kbs_db *, bool json,
	           const cli_key *);  /* the lookup itself and its output */
} lookup_cmd;

/* Read the options (event's --source into *source) and the operands of
 * lc. Returns the first operand's index, or -1 with the exit status in
 * *status (0 after --help). A code may be negative: "-2147024891" is set
 * aside before getopt sees it and put back as the last operand, so
 * *argc may change. */
static int
lookup_args(const lookup_cmd *lc, int *argc, char **argv, cli_common *c,
            const char **source, int *status)
{
	char *neg = NULL;
	int n = 0;
	for (int k = 0; k < *argc; k++) {
		if (lc->negative && k > 0 && neg == NULL && argv[k][0] == '-' &&
		    argv[k][1] >= '0' && argv[k][1] <= '9')
			neg = argv[k];
		else
			argv[n++] = argv[k];
	}
	static const struct option opts[] = {
		CLI_OPTIONS_DB_HELP,
		CLI_OPTIONS_JSON,
		{ "source", required_argument, NULL, 's' },
		{ NULL, 0, NULL, 0 },
	};
	int o, i;
	while ((o = getopt_long(n, argv, ":h", opts, NULL)) != -1) {
		if (o != 's') {
			*status = cli_option(c, lc->name, lc->help, argv, o);
			if (*status >= 0)
				return -1;
		} else if (source == NULL) {
			*status = cli_usage(lc->name, "--source is only for "
			                              "event");
			return -1;
		} else {
			*source = optarg;
		}
	}
	i = optind;
	if (neg != NULL)
		argv[n++] = neg;
	*argc = n;
	if (n - i < lc->min || n - i > lc->max) {
		*status = cli_usage(lc->name, "%s", lc->operands);
		return -1;
	}
	return i;
}

/* A lookup that did not run: a malformed key is the user's mistake
 * (message from the library, exit 2), anything else a runtime error. */
static int
lookup_fail(kbs_db *db, kbs_status rc, const char *cmd)
{
	if (rc == KBS_INVALID) {
		cli_error("%s: %s\n", cmd, kbs_db_errmsg(db));
		return EXIT_ERROR;
	}
	return cli_fail(db, rc, cmd);
}

/* The list lookups: library call, then the JSON document or a line per
 * hit. */
static int
run_list(const lookup_cmd *lc, kbs_db *db, bool json, const cli_key *k)
{
	kbs_results *res = NULL;
	kbs_status rc = cli_lookup_run(&res, db, k);
	if (rc != KBS_OK)
		return lookup_fail(db, rc, lc->name);
	int status = kbs_results_count(res) > 0 ? EXIT_FOUND : EXIT_NONE;
	if (json) {
		cli_json_print(cli_json_lookup(res, k));
	} else {
		const kbs_hit *h;
		while (kbs_results_next(&h, res) == KBS_OK)
			lc->line(h, k);
		if (status == EXIT_NONE)
			cli_error(lc->none, k->key);
	}
	kbs_results_free(res);
	return status;
}

/* show: the article by KB id, article id or source path. */
static int
run_show(const lookup_cmd *lc, kbs_db *db, bool json, const cli_key *k)
{
	kbs_article *a = NULL;
	int status;
	kbs_status rc = kbs_article_get(&a, db, k->key);
	(void)lc;
	if (rc == KBS_INVALID && strchr(k->key, '/') != NULL)
		rc = kbs_article_get_by_source(&a, db, k->key);
	if (rc == KBS_NOT_FOUND || rc == KBS_INVALID) {
		cli_error("%s\n", kbs_db_errmsg(db));
		status = rc == KBS_NOT_FOUND ? EXIT_NONE : EXIT_ERROR;
	} else if (rc != KBS_OK) {
		status = cli_fail(db, rc, "show");
	} else {
		if (json) {
			cli_json_print(cli_json_article(a));
		} else {
			bool colour = cli_colour(stdout);
			cli_pager_start();
			article_text(a, colour);
			cli_pager_end();
		}
		status = EXIT_FOUND;
	}
	kbs_article_free(a);
	return status;
}

static int
run_stats(const lookup_cmd *lc, kbs_db *db, bool json, const cli_key *k)
{
	kbs_db_stats st = KBS_DB_STATS_INIT;
	int status;
	(void)lc;
	(void)k;
	kbs_status rc = kbs_db_get_stats(&st, db);
	if (rc != KBS_OK) {
		status = cli_fail(db, rc, "stats");
	} else if (json) {
		cli_json_print(cli_json_stats(&st));
		status = EXIT_FOUND;
	} else {
		printf("articles        %lld\nsource files    %lld\n"
		       "events          %lld\nerror codes     %lld\n"
		       "file rows       %lld\nKB references   %lld\n"
		       "distinct terms  %lld\nschema version  %d\n",
		       st.articles, st.files, st.events, st.codes, st.file_rows,
		       st.refs, st.terms, st.schema_version);
		status = EXIT_FOUND;
	}
	return status;
}

static const lookup_cmd lookup_cmds[] = {
	{ .name = "event", .help = event_help, .min = 1, .max = 1,
	  .operands = "expected one event ID", .kind = CLI_LOOKUP_EVENT,
	  .line = event_line, .none = "no article describes event %s\n",
	  .run = run_list },
	{ .name = "code", .help = code_help, .min = 1, .max = 1,
	  .operands = "expected one error code", .negative = true,
	  .kind = CLI_LOOKUP_CODE, .line = code_line,
	  .none = "no article names code %s\n", .run = run_list },
	{ .name = "file", .help = file_help, .min = 1, .max = 2,
	  .operands = "expected a file name and at most one version",
	  .kind = CLI_LOOKUP_FILE, .line = file_line,
	  .none = "no article ships %s\n", .run = run_list },
	{ .name = "refs", .help = refs_help, .min = 1, .max = 1,
	  .operands = "expected one article id", .kind = CLI_LOOKUP_REFS,
	  .line = refs_line, .none = "%s has no references in the database\n",
	  .run = run_list },
	{ .name = "show", .help = show_help, .min = 1, .max = 1,
	  .operands = "expected one article id", .run = run_show },
	{ .name = "stats", .help = stats_help, .min = 0, .max = 0,
	  .operands = "no operand expected", .run = run_stats },
};

/* The one runner: the command's row, its options and operands, its key,
 * the database, then the row's own lookup and printer. */
int
cmd_lookup(int argc, char **argv)
{
	const lookup_cmd *lc = NULL;
	for (size_t n = 0; n < sizeof lookup_cmds / sizeof *lookup_cmds; n++)
		if (strcmp(argv[0], lookup_cmds[n].name) == 0)
			lc = &lookup_cmds[n];
	if (lc == NULL)
		return cli_usage(NULL, "unknown command '%s'", argv[0]);

	cli_common c = {0};
	cli_key k = {0};
	const char *source = NULL;
	bool list = lc->line != NULL;
	int status = EXIT_ERROR;
	int i = lookup_args(lc, &argc, argv, &c,
	                    list && lc->kind == CLI_LOOKUP_EVENT ? &source
	                                                         : NULL,
	                    &status);
	if (i < 0)
		return status;
	k.key = i < argc ? argv[i] : NULL;
	if (list && !cli_key_set(&k, lc->kind, argv[i],
	                         i + 1 < argc ? argv[i + 1] : source))
		return cli_usage(lc->name, "'%s' is not an event ID", argv[i]);
	kbs_db *db = cli_open(&c, false);
	if (db == NULL)
		return EXIT_ERROR;
	status = lc->run(lc, db, c.json, &k);
	kbs_db_close(db);
	return status;
}
