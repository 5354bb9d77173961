/*
 * http.h - what `kbsearch serve` answers to one HTTP request, apart from
 * the socket: libmicrohttpd (cmd_serve.c) parses the request, decodes its
 * query string and form fields and reads its body; http_handle() turns
 * that into a status, a content type and a body. A test or a fuzz target
 * can call http_handle() directly with any request.
 *
 * The routes (README, "serve"):
 *   POST /api/search            paste as the body, or form field q;
 *                               n, product, version, explain
 *   GET  /api/article/KBID      /api/article?source=PATH for an article
 *                               without a KB id
 *   GET  /api/event/ID?source=S /api/code/CODE  /api/file/NAME?version=V
 *   GET  /api/refs/KBID         /api/stats
 *   GET, POST /                 the search page (q and the options as
 *                               query or form fields)
 *   GET  /article/KBID, /article?source=PATH, /event/ID, /code/CODE,
 *        /file/NAME, /refs/KBID, /stats, /style.css
 * Statuses: 200; 400 a bad parameter; 404 an unknown article or route;
 * 405 a method the route does not take (with Allow); 413 a paste over the
 * limit; 503 the database cannot be read. /api/ errors have a JSON body
 * {"status": N, "error": "message"}, page errors an HTML page.
 */
#ifndef KBS_CLI_HTTP_H
#define KBS_CLI_HTTP_H

#include <stddef.h>

#include "kbsearch.h"

/* One query-string or form field, percent-decoding done. */
typedef struct http_arg {
	const char *key;    /* NUL-terminated */
	const char *value;  /* value bytes (NUL-terminated too) */
	size_t len;         /* length of value in bytes */
} http_arg;

/* A request, as the server read it. Everything is borrowed. */
typedef struct http_request {
	const char *method;     /* "GET", "HEAD", "POST"... */
	const char *path;       /* the URL path, percent-decoded */
	const http_arg *args;   /* query-string fields, then form fields */
	size_t nargs;
	const char *body;       /* the body as sent (a form's too), or NULL */
	size_t body_len;
} http_request;

/* The answer. body is a heap buffer the caller frees with free(). */
typedef struct http_response {
	unsigned status;        /* HTTP status */
	const char *type;       /* Content-Type; static string */
	const char *allow;      /* Allow header of a 405, else NULL; static */
	char *body;
	size_t len;
} http_response;

/* What the handler works with. */
typedef struct http_ctx {
	kbs_db *db;             /* this thread's handle, or NULL when the
	                           database cannot be opened */
	const char *db_error;   /* why db is NULL */
	size_t max_paste;       /* largest paste in bytes */
} http_ctx;

/*
 * Answer req into *out (always filled: on memory exhaustion a 503 with an
 * empty body). Never reads a file or the network: the database handle is
 * all it uses.
 */
void http_handle(http_response *out, const http_ctx *ctx,
                 const http_request *req);

/* An error answer to a request for path without looking at anything
 * else: JSON under /api/, else a page. Used for refusals made before a
 * request is read whole (413). */
void http_error(http_response *out, const char *path, unsigned status,
                const char *message);

/* Headers every response carries, as name/value pairs ending with NULL:
 * the Content-Security-Policy (no script, style from this server only)
 * and X-Content-Type-Options. */
extern const char *const http_headers[];

#endif
