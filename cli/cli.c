/*
 * cli.c - what the subcommands share (cli.h): finding and opening the
 * database, error and usage messages, option checks, colour, the alias
 * files, word wrapping, the pager and printing JSON.
 */
#include "cli.h"

#include <ctype.h>
#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <signal.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>

cli_globals cli_global = { NULL, -1, false, false };

static int
mkdirs(char *path)
{
	for (char *p = path + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(path, 0755) != 0 && errno != EEXIST) {
			*p = '/';
			return -1;
		}
		*p = '/';
	}
	return 0;
}

const char *
cli_db_path(const char *opt, bool create)
{
	static char buf[4096];
	const char *env = getenv("KBSEARCH_DB");
	const char *xdg = getenv("XDG_DATA_HOME");
	const char *home = getenv("HOME");

	if (opt == NULL || *opt == '\0')
		opt = cli_global.db;
	if (opt != NULL && *opt)
		snprintf(buf, sizeof buf, "%s", opt);
	else if (env != NULL && *env)
		snprintf(buf, sizeof buf, "%s", env);
	else if (xdg != NULL && *xdg)
		snprintf(buf, sizeof buf, "%s/kbsearch/kb.sqlite", xdg);
	else if (home != NULL && *home)
		snprintf(buf, sizeof buf, "%s/.local/share/kbsearch/kb.sqlite",
		         home);
	else {
		cli_error("no database: use --db FILE or set "
		                "KBSEARCH_DB\n");
		return NULL;
	}
	bool given = (opt != NULL && *opt) || (env != NULL && *env);
	if (create && !given && mkdirs(buf) != 0) {
		char esc[4 * sizeof buf + 1];
		cli_error("%s: cannot create directory: %s\n",
		          kbs_path_escape(esc, sizeof esc, buf), strerror(errno));
		return NULL;
	}
	return buf;
}

kbs_db *
cli_open(const cli_common *c, bool create)
{
	const char *path = cli_db_path(c->db, create);
	kbs_db *db = NULL;
	if (path == NULL)
		return NULL;
	if (create) {
		/* Say which directory is missing: SQLite's "unable to open
		 * database file" does not. */
		char dir[4096];
		snprintf(dir, sizeof dir, "%s", path);
		char *slash = strrchr(dir, '/');
		struct stat sb;
		if (slash != NULL && slash != dir) {
			*slash = '\0';
			if (stat(dir, &sb) != 0 || !S_ISDIR(sb.st_mode)) {
				cli_error("%s: no such directory "
				                "(the database's directory must "
				                "exist)\n", dir);
				return NULL;
			}
		}
	}
	kbs_status rc = kbs_db_open(&db, path,
	                            create ? KBS_OPEN_CREATE : KBS_OPEN_READONLY);
	if (rc != KBS_OK) {
		const char *msg = db ? kbs_db_errmsg(db) : "";
		cli_error("%s\n",
		        *msg ? msg : kbs_status_str(rc));
		char esc[4 * 4096 + 1];
		if (rc == KBS_IO && !create)
			cli_error("index some articles first: "
			          "kbsearch index --db %s PATH...\n",
			          kbs_path_escape(esc, sizeof esc, path));
		kbs_db_close(db);
		return NULL;
	}
	return db;
}

int
cli_fail(kbs_db *db, kbs_status rc, const char *what)
{
	const char *msg = db ? kbs_db_errmsg(db) : "";
	cli_error("%s: %s%s%s\n", what, kbs_status_str(rc),
	          *msg ? ": " : "", msg);
	return EXIT_ERROR;
}

/* The first error message of the run, for the JSON error document. */
static char last_error[1024];

void
cli_error(const char *fmt, ...)
{
	va_list ap;
	char msg[sizeof last_error];
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	fprintf(stderr, "kbsearch: %s", msg);
	msg[strcspn(msg, "\n")] = '\0';
	if (last_error[0] == '\0')
		snprintf(last_error, sizeof last_error, "%s", msg);
}

void
cli_json_error(int status)
{
	if (!cli_global.json || cli_global.printed || status == EXIT_FOUND ||
	    last_error[0] == '\0')
		return;
	json_t *doc = cli_json_doc();
	json_object_set_new(doc, "error", json_pack("{s:o,s:i}",
	    "message", cli_json_str(last_error), "exit_status", status));
	cli_json_print(doc);
}

int
cli_usage(const char *cmd, const char *fmt, ...)
{
	va_list ap;
	char msg[sizeof last_error];
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	cli_error("%s", msg);
	if (cmd != NULL)
		fprintf(stderr, "\nTry 'kbsearch %s --help'.\n", cmd);
	else
		fprintf(stderr, "\nTry 'kbsearch --help'.\n");
	return EXIT_ERROR;
}

int
cli_bad_option(const char *cmd, char **argv, int o)
{
	const char *word = optind > 0 ? argv[optind - 1] : "";
	char shortopt[3] = { '-', (char)optopt, '\0' };
	bool islong = strncmp(word, "--", 2) == 0;
	const char *name = islong || optopt == 0 ? word : shortopt;
	char prefix[64] = "";

	if (cmd != NULL)
		snprintf(prefix, sizeof prefix, "%s: ", cmd);
	if (o == ':')
		return cli_usage(cmd, "%soption '%s' requires an argument",
		                 prefix, name);
	if (islong && optopt != 0)
		return cli_usage(cmd, "%soption '%.*s' takes no argument",
		                 prefix, (int)strcspn(word, "="), word);
	return cli_usage(cmd, "%sunknown option '%s'", prefix, name);
}

int
cli_option(cli_common *c, const char *cmd, const char *help, char **argv,
           int o)
{
	switch (o) {
	case CLI_OPT_DB:
		c->db = optarg;
		return -1;
	case CLI_OPT_JSON:
		c->json = cli_global.json = true;
		return -1;
	case CLI_OPT_FORMAT_VERSION:
		return cli_format_version(cmd, optarg) ? -1 : EXIT_ERROR;
	case 'h':
		fputs(help, stdout);
		return EXIT_FOUND;
	default:
		return cli_bad_option(cmd, argv, o);
	}
}

bool
cli_number(const char *cmd, const char *opt, const char *arg, long long lo,
           long long hi, long long *out)
{
	char *end;
	*out = strtoll(arg, &end, 10);
	if (*end == '\0' && *out >= lo && *out <= hi)
		return true;
	cli_usage(cmd, "%s takes %lld to %lld", opt, lo, hi);
	return false;
}

bool
cli_format_version(const char *cmd, const char *arg)
{
	char *end;
	long v = strtol(arg, &end, 10);
	if (*end != '\0' || end == arg || v != CLI_JSON_FORMAT_VERSION) {
		cli_usage(cmd, "--format-version %s: this kbsearch writes JSON "
		               "format version %d only", arg,
		          CLI_JSON_FORMAT_VERSION);
		return false;
	}
	return true;
}

bool
cli_set_colour(const char *when)
{
	if (strcmp(when, "auto") == 0)
		cli_global.colour = -1;
	else if (strcmp(when, "always") == 0)
		cli_global.colour = 1;
	else if (strcmp(when, "never") == 0)
		cli_global.colour = 0;
	else
		return false;
	return true;
}

bool
cli_colour(FILE *f)
{
	const char *nc = getenv("NO_COLOR"), *term = getenv("TERM");
	if (cli_global.colour >= 0)
		return cli_global.colour == 1;
	return isatty(fileno(f)) && (nc == NULL || *nc == '\0') &&
	       (term == NULL || strcmp(term, "dumb") != 0);
}

void
cli_json_print(json_t *v)
{
	if (v == NULL) {
		cli_error("out of memory\n");
		return;
	}
	cli_global.printed = true;
	json_dumpf(v, stdout, JSON_INDENT(2) | JSON_ENSURE_ASCII |
	                      JSON_REAL_PRECISION(12));
	fputc('\n', stdout);
	json_decref(v);
}

char *
cli_user_aliases(void)
{
	const char *env = getenv("KBSEARCH_ALIASES");
	if (env != NULL && *env != '\0')
		return strdup(env);
	const char *xdg = getenv("XDG_CONFIG_HOME"), *home = getenv("HOME");
	char buf[4096];
	if (xdg != NULL && *xdg != '\0')
		snprintf(buf, sizeof buf, "%s/kbsearch/aliases.txt", xdg);
	else if (home != NULL && *home != '\0')
		snprintf(buf, sizeof buf, "%s/.config/kbsearch/aliases.txt",
		         home);
	else
		return NULL;
	return access(buf, F_OK) == 0 ? strdup(buf) : NULL;
}

kbs_status
cli_load_aliases(kbs_db *db, const char *user, const char *extra)
{
	kbs_status rc = KBS_OK;
	if (user != NULL)
		rc = kbs_db_load_aliases(db, user);
	if (rc == KBS_OK && extra != NULL)
		rc = kbs_db_load_aliases(db, extra);
	return rc;
}

int
cli_width(void)
{
	struct winsize ws;
	const char *env = getenv("COLUMNS");
	int w = 80;
	if (isatty(STDOUT_FILENO) && ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 &&
	    ws.ws_col > 0)
		w = ws.ws_col;
	else if (env != NULL && atoi(env) > 0)
		w = atoi(env);
	return w < 20 ? 20 : w;
}

/* Columns a UTF-8 byte string takes: one per character. */
static int
columns(const char *s, size_t len)
{
	int n = 0;
	for (size_t i = 0; i < len; i++)
		n += ((unsigned char)s[i] & 0xC0) != 0x80;
	return n;
}

void
cli_wrap(FILE *f, const char *text, const kbs_span *spans, size_t n,
         int indent, int width, bool colour)
{
	const char *on = colour ? "\033[1;31m" : "**";
	const char *off = colour ? "\033[0m" : "**";
	size_t len = strlen(text), i = 0, k = 0;
	int col = 0;

	while (i < len) {
		while (i < len && isspace((unsigned char)text[i]))
			i++;
		if (i == len)
			break;
		size_t ws = i;
		while (i < len && !isspace((unsigned char)text[i]))
			i++;
		/* the word's width, marks included */
		int w = columns(text + ws, i - ws);
		if (!colour)
			for (size_t j = k; j < n && spans[j].start < i; j++)
				if (spans[j].end > ws)
					w += 4;
		if (col > 0 && col + 1 + w > width) {
			fputc('\n', f);
			col = 0;
		}
		if (col == 0) {
			fprintf(f, "%*s", indent, "");
			col = indent;
		} else {
			fputc(' ', f);
			col++;
		}
		bool in = false;
		for (size_t p = ws; p < i; p++) {
			while (k < n && spans[k].end <= p)
				k++;
			bool want = k < n && spans[k].start <= p;
			if (want != in)
				fputs(want ? on : off, f);
			in = want;
			fputc(text[p], f);
		}
		if (in)
			fputs(off, f);
		col += w;
	}
	fputc('\n', f);
}

static FILE *pager;
static int saved_stdout = -1;

void
cli_pager_start(void)
{
	const char *cmd = getenv("PAGER");
	if (!isatty(STDOUT_FILENO))
		return;
	if (cmd == NULL)
		cmd = "less -FRX";
	if (*cmd == '\0' || strcmp(cmd, "cat") == 0)
		return;
	fflush(stdout);
	if ((pager = popen(cmd, "w")) == NULL)
		return;
	/* a reader who quits the pager early is not an error */
	signal(SIGPIPE, SIG_IGN);
	saved_stdout = dup(STDOUT_FILENO);
	dup2(fileno(pager), STDOUT_FILENO);
}

void
cli_pager_end(void)
{
	if (pager == NULL)
		return;
	fflush(stdout);
	dup2(saved_stdout, STDOUT_FILENO);
	close(saved_stdout);
	pclose(pager);
	pager = NULL;
}
