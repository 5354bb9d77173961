/*
 * cmd_search.c - kbsearch search: rank articles against a pasted error.
 */
#include "cli.h"

#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char help[] =
	"Usage: kbsearch search [--db FILE] [-n N] [--offset N] [--json] [--explain]\n"
	"                       [--product P] [--product-version V]\n"
	"                       [--aliases FILE] [TEXT...]\n"
	"Rank articles against a pasted error: the TEXT arguments joined by\n"
	"spaces, or standard input when no TEXT is given (on a terminal, end\n"
	"the paste with Ctrl-D at the start of a line). Event Viewer entries,\n"
	"message boxes copied with Ctrl+C and plain messages are understood;\n"
	"dates, times and computer names are ignored.\n"
	"\n"
	"  --db FILE       database to search\n"
	"  -n N            number of hits (default 10)\n"
	"  --offset N      skip the first N hits (paging: -n 10 --offset 10\n"
	"                  gives hits 11 to 20)\n"
	"  --json          JSON output\n"
	"  --explain       show which evidence scored what\n"
	"  --product P     only articles for product P (\"Windows NT\")\n"
	"  --product-version V\n"
	"                  only articles for version V (\"4.0\", \"4.0 SP4\");\n"
	"                  --version V is the older spelling\n"
	"  --aliases FILE  more alias groups (see aliases.txt); also read\n"
	"                  from $KBSEARCH_ALIASES, else\n"
	"                  $XDG_CONFIG_HOME/kbsearch/aliases.txt\n"
	"  -h, --help      show this help\n"
	"\n"
	"Exit status: 0 hits found, 1 no hit, 2 error.\n";

/* Standard input, whole, up to a limit well above any real paste. */
static char *
read_stdin(size_t *len)
{
	size_t cap = 8192, n = 0, got, want;
	char *buf = malloc(cap);
	/* A short read is the end (EOF or error): asking again would wait
	 * for a second Ctrl-D on a terminal. */
	while (buf != NULL &&
	       (got = fread(buf + n, 1, (want = cap - n), stdin)) > 0) {
		n += got;
		if (got < want)
			break;
		if (n == cap) {
			if (cap >= (64u << 20))
				break;
			char *nb = realloc(buf, cap * 2);
			if (nb == NULL)
				break;
			buf = nb;
			cap *= 2;
		}
	}
	*len = n;
	return buf;
}

/* One hit: id, score and title on the first line, then the snippet
 * word-wrapped to the terminal and indented under it, matches marked. */
static void
hit_text(const kbs_hit *h, bool colour, int width)
{
	const char *b = colour ? "\033[1m" : "", *e = colour ? "\033[0m" : "";
	const char *snip = kbs_hit_get_snippet(h), *ex = kbs_hit_get_explain(h);
	const kbs_span *spans;
	size_t n = kbs_hit_get_snippet_matches(h, &spans);
	printf("%s%-11s%s %7.2f  %s\n", b, kbs_hit_get_kb_id(h), e,
	       kbs_hit_get_score(h), kbs_hit_get_title(h) ? kbs_hit_get_title(h)
	                                                 : "");
	if (snip != NULL && *snip != '\0')
		cli_wrap(stdout, snip, spans, n, 4, width, colour);
	if (ex != NULL)
		for (const char *p = ex; *p;) {
			const char *nl = strchr(p, '\n');
			int len = nl ? (int)(nl - p) : (int)strlen(p);
			printf("    %.*s\n", len, p);
			p += len + (nl != NULL);
		}
}

/* What the paste analysis changed, for a reader of the text output:
 * spelling corrections always (on standard error, so the hits stay the
 * whole of standard output), the rest with --explain. */
static void
query_text(const kbs_query_info *q, bool explain)
{
	if (q == NULL)
		return;
	for (size_t i = 0; i < q->ncorrected; i++) {
		const char *arrow = strstr(q->corrected[i], " -> ");
		if (arrow != NULL)
			fprintf(stderr, "kbsearch: \"%.*s\" read as \"%s\"\n",
			        (int)(arrow - q->corrected[i]), q->corrected[i],
			        arrow + 4);
	}
	if (!explain)
		return;
	printf("query: %s", q->kind ? q->kind : "plain");
	if (q->event_id >= 0)
		printf(", event %ld", q->event_id);
	if (q->source != NULL)
		printf(", source %s", q->source);
	printf("\n");
	if (q->nterms > 0) {
		printf("terms:");
		for (size_t i = 0; i < q->nterms; i++)
			printf(" %s", q->terms[i]);
		printf("\n");
	}
	for (size_t i = 0; i < q->ncorrected; i++)
		printf("corrected: %s\n", q->corrected[i]);
	for (size_t i = 0; i < q->naliases; i++)
		printf("alias: %s\n", q->aliases[i]);
	printf("\n");
}

int
cmd_search(int argc, char **argv)
{
	static const struct option opts[] = {
		CLI_OPTIONS_DB_HELP,
		CLI_OPTIONS_JSON,
		{ "explain", no_argument, NULL, 'e' },
		{ "offset", required_argument, NULL, 'o' },
		{ "product", required_argument, NULL, 'p' },
		{ "product-version", required_argument, NULL, 'v' },
		/* the older spelling, kept for scripts; the global --version
		 * comes before the command */
		{ "version", required_argument, NULL, 'v' },
		{ "aliases", required_argument, NULL, 'a' },
		{ NULL, 0, NULL, 0 },
	};
	cli_common c = {0};
	kbs_search_options so = KBS_SEARCH_OPTIONS_INIT;
	const char *aliases = NULL;
	int o, status;
	long long n;

	while ((o = getopt_long(argc, argv, ":n:h", opts, NULL)) != -1) {
		switch (o) {
		case 'e': so.explain = 1; break;
		case 'p': so.product = optarg; break;
		case 'v': so.product_version = optarg; break;
		case 'a': aliases = optarg; break;
		case 'o':
			if (!cli_number("search", "--offset", optarg, 0, 100000,
			                &n))
				return EXIT_ERROR;
			so.offset = (unsigned)n;
			break;
		case 'n':
			if (!cli_number("search", "-n", optarg, 1, 1000, &n))
				return EXIT_ERROR;
			so.limit = (unsigned)n;
			break;
		default:
			if ((status = cli_option(&c, "search", help, argv, o)) >= 0)
				return status;
		}
	}

	char *paste = NULL;
	size_t len = 0;
	if (optind < argc) {
		size_t cap = 1;
		for (int i = optind; i < argc; i++)
			cap += strlen(argv[i]) + 1;
		paste = malloc(cap);
		if (paste != NULL) {
			paste[0] = '\0';
			for (int i = optind; i < argc; i++) {
				if (i > optind)
					strcat(paste, " ");
				strcat(paste, argv[i]);
			}
			len = strlen(paste);
		}
	} else {
		if (isatty(STDIN_FILENO))
			fprintf(stderr, "kbsearch: reading the paste from standard "
			                "input; end it with Ctrl-D\n");
		paste = read_stdin(&len);
	}
	if (paste == NULL) {
		cli_error("out of memory\n");
		return EXIT_ERROR;
	}

	kbs_db *db = cli_open(&c, false);
	if (db == NULL) {
		free(paste);
		return EXIT_ERROR;
	}
	char *user = cli_user_aliases();
	kbs_status rc = cli_load_aliases(db, user, aliases);
	free(user);
	if (rc != KBS_OK) {
		free(paste);
		cli_error("%s\n", kbs_db_errmsg(db));
		kbs_db_close(db);
		return EXIT_ERROR;
	}
	kbs_results *res = NULL;
	rc = kbs_search_text(&res, db, paste, len, &so);
	free(paste);
	if (rc != KBS_OK) {
		int st = cli_fail(db, rc, "search");
		kbs_db_close(db);
		return st;
	}

	status = kbs_results_count(res) > 0 ? EXIT_FOUND : EXIT_NONE;
	if (c.json) {
		cli_json_print(cli_json_search(res));
	} else {
		const kbs_hit *h;
		bool colour = cli_colour(stdout);
		int width = cli_width();
		query_text(kbs_results_get_query(res), so.explain);
		while (kbs_results_next(&h, res) == KBS_OK)
			hit_text(h, colour, width);
		if (status == EXIT_NONE)
			cli_error("no matching article\n");
	}
	kbs_results_free(res);
	kbs_db_close(db);
	return status;
}
