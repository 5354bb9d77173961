/*
 * http.c - the answers of `kbsearch serve`: routes, parameters, statuses,
 * and the JSON (json.c) or the page (html.c) of each request. No socket
 * here: cmd_serve.c hands over requests that libmicrohttpd has read and
 * decoded, and sends back what http_handle() made.
 *
 * Each route makes one JSON object with the CLI's writer; the API sends
 * it, the pages are drawn from it, so both always say the same thing.
 */
#include "http.h"

#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "html.h"
#include "json.h"

const char *const http_headers[] = {
	"Content-Security-Policy",
	"default-src 'none'; style-src 'self'; img-src 'self'; "
	"form-action 'self'; base-uri 'none'; frame-ancestors 'none'",
	"X-Content-Type-Options", "nosniff",
	"Referrer-Policy", "no-referrer",
	NULL,
};

static const char type_json[] = "application/json";
static const char type_html[] = "text/html; charset=utf-8";
static const char type_css[] = "text/css; charset=utf-8";

/* The first field named key, or NULL. */
static const http_arg *
arg(const http_request *req, const char *key)
{
	for (size_t i = 0; i < req->nargs; i++)
		if (strcmp(req->args[i].key, key) == 0)
			return &req->args[i];
	return NULL;
}

/* A field's value, NULL when absent or empty. */
static const char *
arg_str(const http_request *req, const char *key)
{
	const http_arg *a = arg(req, key);
	return a != NULL && a->value != NULL && a->value[0] != '\0'
	       ? a->value : NULL;
}

/* What one route produced: a status, and on 200 its JSON object (else a
 * one-line message). */
typedef struct answer {
	unsigned status;
	json_t *json;
	char msg[512];
} answer;

static unsigned
fail(answer *an, unsigned status, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static unsigned
fail(answer *an, unsigned status, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(an->msg, sizeof an->msg, fmt, ap);
	va_end(ap);
	return an->status = status;
}

/* The status for a library failure: a malformed key is the client's
 * (400, the library's message), a missing article 404, anything else
 * means the database cannot serve now (503; details stay in the log). */
static unsigned
lib_fail(answer *an, const http_ctx *ctx, kbs_status rc)
{
	if (rc == KBS_INVALID)
		return fail(an, 400, "%s", kbs_db_errmsg(ctx->db));
	if (rc == KBS_NOT_FOUND)
		return fail(an, 404, "%s", kbs_db_errmsg(ctx->db));
	return fail(an, 503, "the database cannot be read: %s",
	            kbs_status_str(rc));
}

static unsigned
need_db(answer *an, const http_ctx *ctx)
{
	if (ctx->db != NULL)
		return 200;
	return fail(an, 503, "the database cannot be read");
}

static unsigned
done(answer *an, json_t *json)
{
	if (json == NULL)
		return fail(an, 503, "out of memory");
	an->json = json;
	return an->status = 200;
}

/* The options of a search from the fields n, product, version, explain.
 * Returns 200 or 400. */
static unsigned
search_options(answer *an, kbs_search_options *so, const http_request *req)
{
	const char *n = arg_str(req, "n"), *ex = arg_str(req, "explain");
	*so = (kbs_search_options)KBS_SEARCH_OPTIONS_INIT;
	if (n != NULL) {
		char *end;
		errno = 0;
		long v = strtol(n, &end, 10);
		if (*end != '\0' || errno != 0 || v < 1 || v > 1000)
			return fail(an, 400, "n: expected a number from 1 to "
			                     "1000");
		so->limit = (unsigned)v;
	}
	const char *off = arg_str(req, "offset");
	if (off != NULL) {
		char *end;
		errno = 0;
		long v = strtol(off, &end, 10);
		if (*end != '\0' || errno != 0 || v < 0 || v > 100000)
			return fail(an, 400, "offset: expected a number from 0 "
			                     "to 100000");
		so->offset = (unsigned)v;
	}
	if (ex != NULL) {
		if (strcmp(ex, "1") == 0 || strcmp(ex, "true") == 0 ||
		    strcmp(ex, "on") == 0)
			so->explain = 1;
		else if (strcmp(ex, "0") != 0 && strcmp(ex, "false") != 0)
			return fail(an, 400, "explain: expected 1 or 0");
	}
	so->product = arg_str(req, "product");
	so->product_version = arg_str(req, "version");
	return 200;
}

/* The paste of a search: field q, else the body; so a paste sent with
 * curl's default form content type and no q= is still the paste. */
static void
get_paste(const http_request *req, const char **paste, size_t *len)
{
	const http_arg *q = arg(req, "q");
	if (q != NULL) {
		*paste = q->value;
		*len = q->len;
	} else {
		*paste = req->body;
		*len = req->body ? req->body_len : 0;
	}
}

static unsigned
do_search(answer *an, const http_ctx *ctx, const http_request *req,
          const char *tail)
{
	kbs_search_options so;
	kbs_results *res = NULL;
	const char *paste;
	size_t len;
	(void)tail;
	if (search_options(an, &so, req) != 200)
		return an->status;
	get_paste(req, &paste, &len);
	if (paste == NULL || len == 0)
		return fail(an, 400, "no paste: send it as the request body or "
		                     "as form field q");
	if (len > ctx->max_paste)
		return fail(an, 413, "the paste is over %zu bytes",
		            ctx->max_paste);
	if (need_db(an, ctx) != 200)
		return an->status;
	kbs_status rc = kbs_search_text(&res, ctx->db, paste, len, &so);
	if (rc != KBS_OK)
		return lib_fail(an, ctx, rc);
	done(an, cli_json_search(res));
	kbs_results_free(res);
	return an->status;
}

static unsigned
do_article(answer *an, const http_ctx *ctx, const http_request *req,
           const char *tail)
{
	kbs_article *a = NULL;
	kbs_status rc;
	const char *source = arg_str(req, "source");
	if (tail == NULL && source == NULL)
		return fail(an, 400, "expected /article/KBID or "
		                     "/article?source=PATH");
	if (need_db(an, ctx) != 200)
		return an->status;
	rc = tail != NULL ? kbs_article_get(&a, ctx->db, tail)
	                  : kbs_article_get_by_source(&a, ctx->db, source);
	if (rc != KBS_OK)
		return lib_fail(an, ctx, rc);
	done(an, cli_json_article(a));
	kbs_article_free(a);
	return an->status;
}

/* A list lookup: the key from the path's tail, the second key (event
 * source, file version) from its field. */
static unsigned
do_lookup(answer *an, const http_ctx *ctx, const http_request *req,
          const char *tail, cli_lookup_kind kind)
{
	kbs_results *res = NULL;
	const char *extra = cli_lookups[kind].extra;
	cli_key k;
	if (!cli_key_set(&k, kind, tail, extra ? arg_str(req, extra) : NULL))
		return fail(an, 400, "'%.100s' is not an event ID", tail);
	if (need_db(an, ctx) != 200)
		return an->status;
	kbs_status rc = cli_lookup_run(&res, ctx->db, &k);
	if (rc != KBS_OK)
		return lib_fail(an, ctx, rc);
	done(an, cli_json_lookup(res, &k));
	kbs_results_free(res);
	return an->status;
}

static unsigned
do_stats(answer *an, const http_ctx *ctx, const http_request *req,
         const char *tail)
{
	kbs_db_stats st = KBS_DB_STATS_INIT;
	(void)req;
	(void)tail;
	if (need_db(an, ctx) != 200)
		return an->status;
	kbs_status rc = kbs_db_get_stats(&st, ctx->db);
	if (rc != KBS_OK)
		return lib_fail(an, ctx, rc);
	return done(an, cli_json_stats(&st));
}

enum { TAIL_NONE, TAIL_NEEDED, TAIL_OPTIONAL };

/* The routes under /api/ and their pages (same name without /api/). */
static const struct route {
	const char *name;     /* first path segment */
	int tail;             /* TAIL_*: what may follow "name/" */
	bool post;            /* the API takes POST (else GET and HEAD) */
	unsigned (*fn)(answer *, const http_ctx *, const http_request *,
	               const char *);       /* NULL: a list lookup */
	cli_lookup_kind kind;                /* which, when fn is NULL */
	char *(*page)(size_t *, json_t *);  /* NULL: no page of its own,
	                                       or html_lookup()'s */
} routes[] = {
	{ "search", TAIL_NONE, true, do_search, 0, NULL },
	{ "article", TAIL_OPTIONAL, false, do_article, 0, html_article },
	{ "event", TAIL_NEEDED, false, NULL, CLI_LOOKUP_EVENT, NULL },
	{ "code", TAIL_NEEDED, false, NULL, CLI_LOOKUP_CODE, NULL },
	{ "file", TAIL_NEEDED, false, NULL, CLI_LOOKUP_FILE, NULL },
	{ "refs", TAIL_NEEDED, false, NULL, CLI_LOOKUP_REFS, NULL },
	{ "stats", TAIL_NONE, false, do_stats, 0, html_stats },
};

static bool
is_get(const char *method)
{
	return strcmp(method, "GET") == 0 || strcmp(method, "HEAD") == 0;
}

static void
send_json(http_response *out, unsigned status, json_t *v)
{
	out->status = status;
	out->type = type_json;
	out->body = v ? json_dumps(v, JSON_COMPACT | JSON_ENSURE_ASCII |
	                                      JSON_REAL_PRECISION(12)) : NULL;
	out->len = out->body ? strlen(out->body) : 0;
	json_decref(v);
	if (out->body == NULL)
		out->status = 503;
}

static void
send_page(http_response *out, unsigned status, char *page, size_t len)
{
	out->status = page ? status : 503;
	out->type = type_html;
	out->body = page;
	out->len = page ? len : 0;
}

static void
send_error(http_response *out, bool api, unsigned status, const char *msg)
{
	size_t len = 0;
	if (api)
		send_json(out, status, json_pack("{s:i,s:o}", "status",
		                                 (int)status, "error",
		                                 cli_json_str(msg)));
	else {
		char *page = html_error(&len, status, msg);
		send_page(out, status, page, len);
	}
}

void
http_error(http_response *out, const char *path, unsigned status,
           const char *message)
{
	memset(out, 0, sizeof *out);
	send_error(out, strncmp(path, "/api/", 5) == 0, status, message);
}

/* The search page: the form alone, or with the results of field q. */
static void
search_page(http_response *out, const http_ctx *ctx, const http_request *req)
{
	answer an = { 0, NULL, "" };
	kbs_search_options so;
	html_form form = { 0 };
	json_t *results = NULL;
	size_t len = 0;

	if (search_options(&an, &so, req) != 200)
		return send_error(out, false, an.status, an.msg);
	get_paste(req, &form.paste, &form.paste_len);
	form.n = so.limit;
	form.product = so.product;
	form.version = so.product_version;
	form.explain = so.explain;
	if (form.paste != NULL && form.paste_len > 0) {
		if (do_search(&an, ctx, req, NULL) != 200)
			return send_error(out, false, an.status, an.msg);
		results = an.json;
	}
	char *page = html_search(&len, &form, results);
	send_page(out, 200, page, len);
	json_decref(results);
}

void
http_handle(http_response *out, const http_ctx *ctx, const http_request *req)
{
	const char *path = req->path;
	bool api = strncmp(path, "/api/", 5) == 0;
	char name[16];
	const char *tail;
	size_t n;

	memset(out, 0, sizeof *out);
	if (path[0] != '/')
		return send_error(out, false, 404, "no such page");
	if (!api && strcmp(path, "/") == 0) {
		if (!is_get(req->method) && strcmp(req->method, "POST") != 0) {
			out->allow = "GET, HEAD, POST";
			return send_error(out, false, 405, "use GET or POST");
		}
		return search_page(out, ctx, req);
	}
	if (!api && strcmp(path, "/style.css") == 0) {
		if (!is_get(req->method)) {
			out->allow = "GET, HEAD";
			return send_error(out, false, 405, "use GET");
		}
		out->status = 200;
		out->type = type_css;
		out->body = strdup(html_stylesheet);
		out->len = out->body ? strlen(out->body) : 0;
		if (out->body == NULL)
			out->status = 503;
		return;
	}

	/* /api/NAME[/TAIL] or /NAME[/TAIL] */
	path += api ? 5 : 1;
	n = strcspn(path, "/");
	tail = path[n] == '/' && path[n + 1] != '\0' ? path + n + 1 : NULL;
	const struct route *r = NULL;
	if (n < sizeof name) {
		memcpy(name, path, n);
		name[n] = '\0';
		for (size_t i = 0; i < sizeof routes / sizeof *routes; i++)
			if (strcmp(routes[i].name, name) == 0)
				r = &routes[i];
	}
	if (r == NULL || (!api && r->fn != NULL && r->page == NULL) ||
	    (r->tail == TAIL_NONE && path[n] != '\0' &&
	     strcmp(path + n, "/") != 0))
		return send_error(out, api, 404, "no such page");
	bool post = api && r->post;
	if (post ? strcmp(req->method, "POST") != 0 : !is_get(req->method)) {
		out->allow = post ? "POST" : "GET, HEAD";
		return send_error(out, api, 405, post ? "use POST" : "use GET");
	}
	if (r->tail == TAIL_NEEDED && tail == NULL) {
		char msg[64];
		snprintf(msg, sizeof msg, "expected %s/%s/KEY", api ? "/api" : "",
		         r->name);
		return send_error(out, api, 400, msg);
	}

	answer an = { 0, NULL, "" };
	if ((r->fn ? r->fn(&an, ctx, req, tail)
	           : do_lookup(&an, ctx, req, tail, r->kind)) != 200)
		return send_error(out, api, an.status, an.msg);
	if (api)
		return send_json(out, 200, an.json);
	size_t len = 0;
	char *page = r->fn ? r->page(&len, an.json)
	                   : html_lookup(&len, an.json, r->kind);
	send_page(out, 200, page, len);
	json_decref(an.json);
}
