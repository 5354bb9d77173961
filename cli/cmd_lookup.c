/*
 * cmd_lookup.c - kbsearch event, code, file, refs, show and stats: exact
 * lookups. Each prints one line per hit, or with --json one object with
 * the lookup's key and a "results" array in the style of search.
 */
#include "cli.h"

#include <getopt.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

/* Options shared by the lookup commands; returns the first operand index
 * or -1 after printing help (status in *exit_status). */
static int
parse_common(int argc, char **argv, const char *cmd, const char *help,
             cli_common *c, const char **source, int *exit_status)
{
	static const struct option opts[] = {
		{ "db", required_argument, NULL, 'd' },
		{ "json", no_argument, NULL, 'j' },
		{ "source", required_argument, NULL, 's' },
		{ "format-version", required_argument, NULL, 'f' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int o;
	while ((o = getopt_long(argc, argv, ":h", opts, NULL)) != -1) {
		switch (o) {
		case 'd': c->db = optarg; break;
		case 'j': c->json = cli_global.json = true; break;
		case 's':
			if (source == NULL) {
				*exit_status = cli_usage(cmd, "--source is only "
				                              "for event");
				return -1;
			}
			*source = optarg;
			break;
		case 'f':
			if (!cli_format_version(cmd, optarg)) {
				*exit_status = EXIT_ERROR;
				return -1;
			}
			break;
		case 'h':
			fputs(help, stdout);
			*exit_status = EXIT_FOUND;
			return -1;
		default:
			*exit_status = cli_bad_option(cmd, argv, o);
			return -1;
		}
	}
	return optind;
}

static const char event_help[] =
	"Usage: kbsearch event [--db FILE] [--source NAME] [--json] ID\n"
	"List the articles that describe event ID; with --source, those whose\n"
	"event has that event source come first.\n";

int
cmd_event(int argc, char **argv)
{
	cli_common c = {0};
	const char *source = NULL;
	int status = EXIT_ERROR;
	int i = parse_common(argc, argv, "event", event_help, &c, &source,
	                     &status);
	if (i < 0)
		return status;
	if (i + 1 != argc)
		return cli_usage("event", "expected one event ID");
	char *end;
	long id = strtol(argv[i], &end, 10);
	if (*end != '\0' || id < 0 || id > 0xFFFFFFFFL)
		return cli_usage("event", "'%s' is not an event ID", argv[i]);

	kbs_db *db = cli_open(&c, false);
	if (db == NULL)
		return EXIT_ERROR;
	kbs_results *res = NULL;
	kbs_status rc = kbs_search_event(&res, db, id, source);
	if (rc != KBS_OK) {
		status = cli_fail(db, rc, "event");
		kbs_db_close(db);
		return status;
	}
	status = kbs_results_count(res) > 0 ? EXIT_FOUND : EXIT_NONE;
	if (c.json) {
		cli_json_print(cli_json_event(res, id, source));
	} else {
		const kbs_hit *h;
		while (kbs_results_next(&h, res) == KBS_OK) {
			const kbs_event *e = kbs_hit_get_event(h);
			printf("%-11s %-5ld %-20s %s\n", kbs_hit_get_kb_id(h),
			       e->id, e->source ? e->source : "-",
			       kbs_hit_get_title(h) ? kbs_hit_get_title(h) : "");
		}
		if (status == EXIT_NONE)
			cli_error("no article describes event "
			                "%ld\n", id);
	}
	kbs_results_free(res);
	kbs_db_close(db);
	return status;
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

static const char code_help[] =
	"Usage: kbsearch code [--db FILE] [--json] CODE\n"
	"List the articles that name an error code. CODE may be written in any\n"
	"notation: 0x80070005, 80070005, -2147024891 and 2147942405 are one\n"
	"HRESULT; 0xC0000005 an NTSTATUS; 0x1E or 'STOP 0x0000001E' a STOP code;\n"
	"a small decimal such as 5 a Win32 error. An HRESULT 0x8007xxxx and the\n"
	"Win32 error xxxx find each other. Articles naming the very value come\n"
	"first. Each line: KB id, the code, the notation the article used, title.\n";

int
cmd_code(int argc, char **argv)
{
	cli_common c = {0};
	int status = EXIT_ERROR;
	/* "-2147024891" is a code, not an option: set it aside before
	 * getopt sees it. */
	char *neg = NULL;
	int n = 0;
	for (int k = 0; k < argc; k++) {
		if (k > 0 && neg == NULL && argv[k][0] == '-' &&
		    argv[k][1] >= '0' && argv[k][1] <= '9')
			neg = argv[k];
		else
			argv[n++] = argv[k];
	}
	argc = n;
	int i = parse_common(argc, argv, "code", code_help, &c, NULL, &status);
	if (i < 0)
		return status;
	if (neg != NULL)
		argv[argc++] = neg;
	if (i + 1 != argc)
		return cli_usage("code", "expected one error code");
	kbs_db *db = cli_open(&c, false);
	if (db == NULL)
		return EXIT_ERROR;
	kbs_results *res = NULL;
	kbs_status rc = kbs_search_code(&res, db, argv[i]);
	if (rc != KBS_OK) {
		status = lookup_fail(db, rc, "code");
		kbs_db_close(db);
		return status;
	}
	status = kbs_results_count(res) > 0 ? EXIT_FOUND : EXIT_NONE;
	if (c.json) {
		cli_json_print(cli_json_code(res, argv[i]));
	} else {
		const kbs_hit *h;
		while (kbs_results_next(&h, res) == KBS_OK) {
			const kbs_code *k = kbs_hit_get_code(h);
			printf("%-11s 0x%08" PRIX32 "  %-12s %s\n",
			       kbs_hit_get_kb_id(h), k->value, k->text ? k->text : "-",
			       kbs_hit_get_title(h) ? kbs_hit_get_title(h) : "");
		}
		if (status == EXIT_NONE)
			cli_error("no article names code %s\n",
			        argv[i]);
	}
	kbs_results_free(res);
	kbs_db_close(db);
	return status;
}

static const char file_help[] =
	"Usage: kbsearch file [--db FILE] [--json] NAME [VERSION]\n"
	"List the articles whose file tables ship NAME (case-insensitive), the\n"
	"newest build first. With VERSION (e.g. 4.0.1381.33) a column says\n"
	"whether each article's build is newer, the same or older than it ('?'\n"
	"when the article gives no version). Each line: KB id, [newer|same|older],\n"
	"version, platform, date, title.\n";

int
cmd_file(int argc, char **argv)
{
	cli_common c = {0};
	int status = EXIT_ERROR;
	int i = parse_common(argc, argv, "file", file_help, &c, NULL, &status);
	if (i < 0)
		return status;
	if (i + 1 != argc && i + 2 != argc)
		return cli_usage("file", "expected a file name and at most one "
		                         "version");
	const char *version = i + 2 == argc ? argv[i + 1] : NULL;
	kbs_db *db = cli_open(&c, false);
	if (db == NULL)
		return EXIT_ERROR;
	kbs_results *res = NULL;
	kbs_status rc = kbs_search_file(&res, db, argv[i], version);
	if (rc != KBS_OK) {
		status = lookup_fail(db, rc, "file");
		kbs_db_close(db);
		return status;
	}
	status = kbs_results_count(res) > 0 ? EXIT_FOUND : EXIT_NONE;
	if (c.json) {
		cli_json_print(cli_json_file(res, argv[i], version));
	} else {
		const kbs_hit *h;
		while (kbs_results_next(&h, res) == KBS_OK) {
			const kbs_file *f = kbs_hit_get_file(h);
			const char *word =
			    cli_version_cmp_word(kbs_hit_get_version_cmp(h));
			printf("%-11s ", kbs_hit_get_kb_id(h));
			if (version != NULL)
				printf("%-5s ", word ? word : "?");
			printf("%-16s %-6s %-10s %s\n",
			       f->version ? f->version : "-",
			       f->platform ? f->platform : "-",
			       f->date ? f->date : "-",
			       kbs_hit_get_title(h) ? kbs_hit_get_title(h) : "");
		}
		if (status == EXIT_NONE)
			cli_error("no article ships %s\n",
			        argv[i]);
	}
	kbs_results_free(res);
	kbs_db_close(db);
	return status;
}

static const char refs_help[] =
	"Usage: kbsearch refs [--db FILE] [--json] ID\n"
	"List the articles that article ID (Q294326, KB294326, 294326, or an\n"
	"article id such as A1B2C3D4E5F for an article without a KB id) refers\n"
	"to, in its order ('cites'), then the articles that refer to it\n"
	"('cited-by'). A referenced article that is not in the database is\n"
	"listed without a title.\n";

int
cmd_refs(int argc, char **argv)
{
	cli_common c = {0};
	int status = EXIT_ERROR;
	int i = parse_common(argc, argv, "refs", refs_help, &c, NULL, &status);
	if (i < 0)
		return status;
	if (i + 1 != argc)
		return cli_usage("refs", "expected one article id");
	kbs_db *db = cli_open(&c, false);
	if (db == NULL)
		return EXIT_ERROR;
	kbs_results *res = NULL;
	kbs_status rc = kbs_search_refs(&res, db, argv[i]);
	if (rc != KBS_OK) {
		status = lookup_fail(db, rc, "refs");
		kbs_db_close(db);
		return status;
	}
	status = kbs_results_count(res) > 0 ? EXIT_FOUND : EXIT_NONE;
	if (c.json) {
		cli_json_print(cli_json_refs(res, argv[i]));
	} else {
		const kbs_hit *h;
		while (kbs_results_next(&h, res) == KBS_OK) {
			bool cites = kbs_hit_get_ref(h) == KBS_REF_CITES;
			const char *title = kbs_hit_get_title(h);
			printf("%-8s %-11s %s\n", cites ? "cites" : "cited-by",
			       kbs_hit_get_kb_id(h),
			       title ? title
			             : kbs_hit_get_path(h) ? ""
			             : "(not in the database)");
		}
		if (status == EXIT_NONE)
			cli_error("%s has no references in the "
			                "database\n", argv[i]);
	}
	kbs_results_free(res);
	kbs_db_close(db);
	return status;
}

static const char show_help[] =
	"Usage: kbsearch show [--db FILE] [--json] ID\n"
	"Show one article with its text and the fields extracted from it. ID is\n"
	"its KB id (Q294326, KB294326 or 294326), or for an article without one\n"
	"the article id results give (A and 10 hex digits), or the path of a\n"
	"file it was indexed from.\n";

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

int
cmd_show(int argc, char **argv)
{
	cli_common c = {0};
	int status = EXIT_ERROR;
	int i = parse_common(argc, argv, "show", show_help, &c, NULL, &status);
	if (i < 0)
		return status;
	if (i + 1 != argc)
		return cli_usage("show", "expected one article id");
	kbs_db *db = cli_open(&c, false);
	if (db == NULL)
		return EXIT_ERROR;
	kbs_article *a = NULL;
	kbs_status rc = kbs_article_get(&a, db, argv[i]);
	if (rc == KBS_INVALID && strchr(argv[i], '/') != NULL)
		rc = kbs_article_get_by_source(&a, db, argv[i]);
	if (rc == KBS_NOT_FOUND || rc == KBS_INVALID) {
		cli_error("%s\n", kbs_db_errmsg(db));
		status = rc == KBS_NOT_FOUND ? EXIT_NONE : EXIT_ERROR;
	} else if (rc != KBS_OK) {
		status = cli_fail(db, rc, "show");
	} else {
		if (c.json) {
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
	kbs_db_close(db);
	return status;
}

static const char stats_help[] =
	"Usage: kbsearch stats [--db FILE] [--json]\n"
	"Show the database's totals.\n";

int
cmd_stats(int argc, char **argv)
{
	cli_common c = {0};
	int status = EXIT_ERROR;
	int i = parse_common(argc, argv, "stats", stats_help, &c, NULL,
	                     &status);
	if (i < 0)
		return status;
	if (i != argc)
		return cli_usage("stats", "no operand expected");
	kbs_db *db = cli_open(&c, false);
	if (db == NULL)
		return EXIT_ERROR;
	kbs_db_stats st = KBS_DB_STATS_INIT;
	kbs_status rc = kbs_db_get_stats(&st, db);
	if (rc != KBS_OK) {
		status = cli_fail(db, rc, "stats");
	} else if (c.json) {
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
	kbs_db_close(db);
	return status;
}
