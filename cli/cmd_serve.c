/*
 * cmd_serve.c - kbsearch-serve, the program behind `kbsearch serve`: the
 * search page and HTTP API on GNU libmicrohttpd.
 *
 * It is a program of its own so that the other commands do not load
 * libmicrohttpd and the TLS libraries it links (GnuTLS, nettle, gmp,
 * p11-kit...), whose loading and constructors cost every `kbsearch
 * search` a few milliseconds; `kbsearch serve ARGS` execs it (main.c).
 * Its options are those of `kbsearch serve`, and so are its messages.
 *
 * libmicrohttpd runs a pool of threads, each polling its own connections;
 * a request is answered in the thread that read it, with that thread's
 * own read-only kbs_db (the library's threading rule), opened on its
 * first request. Before each request the thread compares the database
 * file's inode with the one it opened: a file replaced by rename (a new
 * index copied into place) is opened again, so a re-index reaches the
 * server without a restart; an index run writing into the same file is
 * seen through SQLite's WAL at the next query.
 *
 * Bounds: connections time out after 30 s idle, at most 512 are open at
 * once, a request's headers fit in libmicrohttpd's per-connection memory
 * (32 KB); a body announced longer than the limit is refused with 413
 * before any of it is read, a chunked body that grows past it closes the
 * connection. The answers themselves come from http_handle() (http.c),
 * which reads no file: no URL reaches the disk.
 */
#include "cli.h"

#include <getopt.h>
#include <libxml/parser.h>
#include <microhttpd.h>
#include <netdb.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/stat.h>

#include "http.h"

static const char help[] =
	"Usage: kbsearch serve [--db FILE] [--listen ADDR:PORT] [--threads N]\n"
	"                      [--max-paste BYTES] [--aliases FILE]\n"
	"   or: kbsearch-serve [OPTION]...\n"
	"Serve the search page and the HTTP API (see kbsearch(1)). The first\n"
	"line of output is the URL served; SIGINT or SIGTERM stops the server.\n"
	"\n"
	"  --db FILE          database to serve (read-only)\n"
	"  --listen ADDR:PORT address to listen on (default 127.0.0.1:8080;\n"
	"                     port 0 picks a free port; [::1]:PORT for IPv6)\n"
	"  --threads N        threads answering requests (default 4)\n"
	"  --max-paste BYTES  largest paste accepted (default 1048576)\n"
	"  --aliases FILE     more alias groups, as for search (also read\n"
	"                     from $KBSEARCH_ALIASES, else\n"
	"                     $XDG_CONFIG_HOME/kbsearch/aliases.txt)\n"
	"  -h, --help         show this help\n";

enum {
	CONN_TIMEOUT_S = 30,    /* idle connection closed after this */
	CONN_LIMIT = 512,       /* open connections at most */
	MAX_ARGS = 64,          /* query and form fields kept per request */
};

/* A thread's database handle. */
typedef struct slot {
	kbs_db *db;
	dev_t dev;              /* the file it was opened from */
	ino_t ino;
	struct slot *next;      /* every slot, for closing at exit */
} slot;

typedef struct server {
	const char *db_path;
	char *user_aliases;     /* the user's alias file, or NULL */
	const char *aliases;    /* --aliases, or NULL */
	size_t max_paste;       /* largest paste, bytes */
	pthread_mutex_t lock;   /* guards slots */
	slot *slots;
} server;

static __thread slot *my_slot;

/* This thread's handle, opened (again) as needed; NULL when the database
 * cannot be opened (logged). */
static kbs_db *
thread_db(server *s)
{
	struct stat st;
	slot *me = my_slot;
	if (me == NULL) {
		if ((me = calloc(1, sizeof *me)) == NULL)
			return NULL;
		pthread_mutex_lock(&s->lock);
		me->next = s->slots;
		s->slots = me;
		pthread_mutex_unlock(&s->lock);
		my_slot = me;
	}
	bool have = stat(s->db_path, &st) == 0;
	if (me->db != NULL && have &&
	    (st.st_ino != me->ino || st.st_dev != me->dev)) {
		kbs_db_close(me->db);
		me->db = NULL;
	}
	if (me->db == NULL && have) {
		kbs_db *db = NULL;
		kbs_status rc = kbs_db_open(&db, s->db_path, KBS_OPEN_READONLY);
		if (rc == KBS_OK)
			rc = cli_load_aliases(db, s->user_aliases, s->aliases);
		if (rc == KBS_OK) {
			me->db = db;
			me->dev = st.st_dev;
			me->ino = st.st_ino;
		} else {
			const char *msg = db ? kbs_db_errmsg(db) : "";
			cli_error("%s: %s\n", s->db_path,
			        *msg ? msg : kbs_status_str(rc));
			kbs_db_close(db);
		}
	} else if (me->db == NULL) {
		cli_error("%s: cannot be read\n", s->db_path);
	}
	return me->db;
}

/* What one request gathered before it is answered. */
typedef struct conn {
	char *body;             /* the body read so far */
	size_t len, cap;
	size_t limit;           /* largest body taken */
	bool form;              /* a form (urlencoded or multipart) */
	http_arg args[MAX_ARGS];
	size_t nargs;
	char *owned[MAX_ARGS * 2];  /* keys and values this request copied */
	size_t nowned;
} conn;

static void
conn_free(conn *c)
{
	if (c == NULL)
		return;
	for (size_t i = 0; i < c->nowned; i++)
		free(c->owned[i]);
	free(c->body);
	free(c);
}

static void
on_completed(void *cls, struct MHD_Connection *mc, void **con_cls,
             enum MHD_RequestTerminationCode toe)
{
	(void)cls;
	(void)mc;
	(void)toe;
	conn_free(*con_cls);
	*con_cls = NULL;
}

/* Query-string fields, as libmicrohttpd decoded them (kept by it for the
 * request's lifetime). */
static enum MHD_Result
on_arg(void *cls, enum MHD_ValueKind kind, const char *key, size_t key_size,
       const char *value, size_t value_size)
{
	conn *c = cls;
	(void)kind;
	(void)key_size;
	if (c->nargs < MAX_ARGS)
		c->args[c->nargs++] = (http_arg){ key, value ? value : "",
		                                  value ? value_size : 0 };
	return MHD_YES;
}

/* Form fields, which the post processor hands over in pieces: a piece at
 * offset 0 starts a field, later ones extend the last. */
static enum MHD_Result
on_form(void *cls, enum MHD_ValueKind kind, const char *key,
        const char *filename, const char *content_type,
        const char *transfer_encoding, const char *data, uint64_t off,
        size_t size)
{
	conn *c = cls;
	(void)kind;
	(void)filename;
	(void)content_type;
	(void)transfer_encoding;
	http_arg *a = c->nargs > 0 ? &c->args[c->nargs - 1] : NULL;
	if (off == 0 || a == NULL || strcmp(a->key, key) != 0 ||
	    a->len != off) {
		if (c->nargs >= MAX_ARGS)
			return MHD_YES;
		char *k = strdup(key), *v = calloc(1, 1);
		if (k == NULL || v == NULL) {
			free(k);
			free(v);
			return MHD_NO;
		}
		c->owned[c->nowned++] = k;
		c->owned[c->nowned++] = v;
		a = &c->args[c->nargs++];
		*a = (http_arg){ k, v, 0 };
	}
	char *old = (char *)a->value, *v = realloc(old, a->len + size + 1);
	if (v == NULL)
		return MHD_NO;
	memcpy(v + a->len, data, size);
	a->len += size;
	v[a->len] = '\0';
	for (size_t i = 0; i < c->nowned; i++)
		if (c->owned[i] == old)
			c->owned[i] = v;
	a->value = v;
	return MHD_YES;
}

static enum MHD_Result
reply(struct MHD_Connection *mc, http_response *r)
{
	struct MHD_Response *resp;
	if (r->body != NULL)
		resp = MHD_create_response_from_buffer(r->len, r->body,
		                                       MHD_RESPMEM_MUST_FREE);
	else
		resp = MHD_create_response_from_buffer(0, (void *)"",
		                                       MHD_RESPMEM_PERSISTENT);
	if (resp == NULL) {
		free(r->body);
		return MHD_NO;
	}
	MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE, r->type);
	for (size_t i = 0; http_headers[i] != NULL; i += 2)
		MHD_add_response_header(resp, http_headers[i],
		                        http_headers[i + 1]);
	if (r->allow != NULL)
		MHD_add_response_header(resp, MHD_HTTP_HEADER_ALLOW, r->allow);
	enum MHD_Result ret = MHD_queue_response(mc, r->status, resp);
	MHD_destroy_response(resp);
	return ret;
}

/* A refusal made before the body is read: 413 in the route's style. */
static enum MHD_Result
refuse_body(struct MHD_Connection *mc, const char *url, size_t limit)
{
	http_response r;
	char msg[96];
	snprintf(msg, sizeof msg, "the request body is over %zu bytes", limit);
	http_error(&r, url, 413, msg);
	return reply(mc, &r);
}

static bool
has_prefix(const char *s, const char *prefix)
{
	return s != NULL && strncasecmp(s, prefix, strlen(prefix)) == 0;
}

static enum MHD_Result
on_request(void *cls, struct MHD_Connection *mc, const char *url,
           const char *method, const char *version, const char *upload,
           size_t *upload_size, void **con_cls)
{
	server *s = cls;
	conn *c = *con_cls;
	(void)version;

	if (c == NULL) {
		/* Headers are in; the body, if any, is not. */
		if ((c = calloc(1, sizeof *c)) == NULL)
			return MHD_NO;
		*con_cls = c;
		const char *type = MHD_lookup_connection_value(mc,
		    MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_TYPE);
		c->form = has_prefix(type, "application/x-www-form-urlencoded")
		       || has_prefix(type, "multipart/form-data");
		/* Percent-encoding may triple a paste sent as a form. */
		c->limit = c->form ? s->max_paste * 3 + 4096 : s->max_paste;
		const char *cl = MHD_lookup_connection_value(mc,
		    MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_LENGTH);
		if (cl != NULL && strtoull(cl, NULL, 10) > c->limit)
			return refuse_body(mc, url, c->limit);
		return MHD_YES;
	}
	if (*upload_size != 0) {
		if (c->len + *upload_size > c->limit)
			return MHD_NO;  /* chunked and too long: close */
		if (c->len + *upload_size + 1 > c->cap) {
			size_t cap = c->cap ? c->cap : 16384;
			while (cap < c->len + *upload_size + 1)
				cap *= 2;
			char *b = realloc(c->body, cap);
			if (b == NULL)
				return MHD_NO;
			c->body = b;
			c->cap = cap;
		}
		memcpy(c->body + c->len, upload, *upload_size);
		c->len += *upload_size;
		c->body[c->len] = '\0';
		*upload_size = 0;
		return MHD_YES;
	}

	MHD_get_connection_values_n(mc, MHD_GET_ARGUMENT_KIND, on_arg, c);
	http_request req = { method, url, c->args, 0, c->body, c->len };
	if (c->form && c->len > 0) {
		struct MHD_PostProcessor *pp = MHD_create_post_processor(mc,
		    65536, on_form, c);
		if (pp != NULL) {
			MHD_post_process(pp, c->body, c->len);
			MHD_destroy_post_processor(pp);
		}
	}
	req.nargs = c->nargs;
	http_ctx ctx = { thread_db(s), NULL, s->max_paste };
	http_response r;
	http_handle(&r, &ctx, &req);
	return reply(mc, &r);
}

/* --listen ADDR:PORT ([V6ADDR]:PORT) into *out; false with a message. */
static bool
parse_listen(struct addrinfo **out, const char *spec)
{
	char host[256];
	const char *colon = strrchr(spec, ':');
	if (colon == NULL || colon[1] == '\0' ||
	    (size_t)(colon - spec) >= sizeof host) {
		cli_usage("serve", "--listen takes ADDR:PORT");
		return false;
	}
	size_t n = (size_t)(colon - spec);
	memcpy(host, spec, n);
	host[n] = '\0';
	if (n >= 2 && host[0] == '[' && host[n - 1] == ']') {
		memmove(host, host + 1, n - 2);
		host[n - 2] = '\0';
	}
	struct addrinfo hints = { 0 };
	hints.ai_family = AF_UNSPEC;
	hints.ai_socktype = SOCK_STREAM;
	hints.ai_flags = AI_NUMERICSERV | AI_PASSIVE;
	int e = getaddrinfo(host[0] ? host : NULL, colon + 1, &hints, out);
	if (e != 0) {
		cli_error("--listen %s: %s\n", spec,
		        gai_strerror(e));
		return false;
	}
	return true;
}

int
main(int argc, char **argv)
{
	static const struct option opts[] = {
		CLI_OPTIONS_DB_HELP,
		{ "listen", required_argument, NULL, 'l' },
		{ "threads", required_argument, NULL, 't' },
		{ "max-paste", required_argument, NULL, 'm' },
		{ "aliases", required_argument, NULL, 'a' },
		{ NULL, 0, NULL, 0 },
	};
	cli_common c = {0};
	const char *listen = "127.0.0.1:8080", *aliases = NULL;
	unsigned threads = 4;
	size_t max_paste = 1u << 20;
	int o, status;
	long long n;

	while ((o = getopt_long(argc, argv, ":h", opts, NULL)) != -1) {
		switch (o) {
		case 'l': listen = optarg; break;
		case 't':
			if (!cli_number("serve", "--threads", optarg, 1, 256, &n))
				return EXIT_ERROR;
			threads = (unsigned)n;
			break;
		case 'm':
			if (!cli_number("serve", "--max-paste", optarg, 1,
			                1ll << 30, &n))
				return EXIT_ERROR;
			max_paste = (size_t)n;
			break;
		case 'a': aliases = optarg; break;
		default:
			if ((status = cli_option(&c, "serve", help, argv, o)) >= 0)
				return status;
		}
	}
	if (optind != argc)
		return cli_usage("serve", "no operand expected");

	/* The database and the alias files must load now: a typo is an
	 * error at start, not a 503 on every request. */
	kbs_db *db = cli_open(&c, false);
	if (db == NULL)
		return EXIT_ERROR;
	server s = { cli_db_path(c.db, false), cli_user_aliases(), aliases,
	             max_paste, PTHREAD_MUTEX_INITIALIZER, NULL };
	if (cli_load_aliases(db, s.user_aliases, aliases) != KBS_OK) {
		cli_error("%s\n", kbs_db_errmsg(db));
		kbs_db_close(db);
		free(s.user_aliases);
		return EXIT_ERROR;
	}
	kbs_db_close(db);
	char *path = s.db_path ? strdup(s.db_path) : NULL;
	if (path == NULL) {
		free(s.user_aliases);
		return EXIT_ERROR;
	}
	s.db_path = path;

	struct addrinfo *ai = NULL;
	if (!parse_listen(&ai, listen)) {
		free(path);
		free(s.user_aliases);
		return EXIT_ERROR;
	}

	/* Signals go to sigwait() below, not to the server's threads,
	 * which inherit this mask. */
	sigset_t stop;
	sigemptyset(&stop);
	sigaddset(&stop, SIGINT);
	sigaddset(&stop, SIGTERM);
	pthread_sigmask(SIG_BLOCK, &stop, NULL);
	signal(SIGPIPE, SIG_IGN);

	/* libxml2 sets up its global state once, before any thread uses
	 * it (the pages are libxml2 trees). */
	xmlInitParser();
	unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_ERROR_LOG;
	if (ai->ai_family == AF_INET6)
		flags |= MHD_USE_IPv6;
	struct MHD_Daemon *d = MHD_start_daemon(flags, 0, NULL, NULL,
	    on_request, &s,
	    MHD_OPTION_SOCK_ADDR, ai->ai_addr,
	    MHD_OPTION_THREAD_POOL_SIZE, threads,
	    MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)CONN_TIMEOUT_S,
	    MHD_OPTION_CONNECTION_LIMIT, (unsigned)CONN_LIMIT,
	    MHD_OPTION_NOTIFY_COMPLETED, on_completed, NULL,
	    MHD_OPTION_END);
	int family = ai->ai_family;
	char host[128];
	if (getnameinfo(ai->ai_addr, ai->ai_addrlen, host, sizeof host, NULL,
	                0, NI_NUMERICHOST) != 0)
		snprintf(host, sizeof host, "?");
	freeaddrinfo(ai);
	if (d == NULL) {
		cli_error("cannot listen on %s\n", listen);
		free(path);
		free(s.user_aliases);
		return EXIT_ERROR;
	}
	const union MHD_DaemonInfo *info = MHD_get_daemon_info(d,
	    MHD_DAEMON_INFO_BIND_PORT);
	printf(family == AF_INET6 ? "http://[%s]:%u/\n" : "http://%s:%u/\n",
	       host, info ? (unsigned)info->port : 0u);
	fflush(stdout);

	int sig = 0;
	sigwait(&stop, &sig);
	cli_error("%s: stopping\n",
	        sig == SIGINT ? "SIGINT" : "SIGTERM");
	MHD_stop_daemon(d);
	while (s.slots != NULL) {
		slot *next = s.slots->next;
		kbs_db_close(s.slots->db);
		free(s.slots);
		s.slots = next;
	}
	free(path);
	free(s.user_aliases);
	xmlCleanupParser();
	return EXIT_FOUND;
}
