/*
 * check_http.c - kbsearch serve's request handling without a socket.
 *
 * http_handle() (cli/http.c) is all the server does with a request once
 * libmicrohttpd has read it. This program feeds it requests made of
 * hostile pieces: random bytes in paths, keys and values, markup and
 * percent signs, every method, with the database of the bundled corpus
 * and without one. Every answer must be one of the statuses the API
 * documents, have a content type, a body that parses as JSON under /api/
 * (an error body with "status" and "error"), no <script anywhere in a
 * page, and an Allow header on a 405. The same entry point serves a fuzz
 * target. Plain asserts, like check_threads. Prints "N passed, N failed".
 */
#include "http.h"

#include <jansson.h>
#include <libxml/parser.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#define REQUESTS 3000

static int npassed, nfailed;

static int
check(int ok, const char *fmt, ...)
{
	va_list ap;
	if (ok) {
		npassed++;
		return 1;
	}
	nfailed++;
	fputs("FAIL: ", stdout);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
	return 0;
}

/* xorshift: the same requests on every run. */
static unsigned long long rng = 0x9E3779B97F4A7C15ull;
static unsigned
rnd(unsigned n)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (unsigned)(rng % n);
}

/* Random text: bytes 1-255, with markup, percent and slashes favoured. */
static void
junk(char *buf, size_t cap)
{
	static const char *const bits[] = {
		"<script>alert(1)</script>", "\"", "'", "%", "%00", "%2F", "/",
		"..", "&amp;", "Q294326", "1003", "0x80070005", "\xff\xfe",
		"\xc3\xa9", "\xed\xa0\x80", "?", "=", "&", "\n", " ", "\x01",
	};
	size_t n = rnd((unsigned)cap / 2), len = 0;
	while (len < n) {
		const char *b;
		char one[2] = { (char)(1 + rnd(255)), '\0' };
		b = rnd(3) ? bits[rnd(sizeof bits / sizeof *bits)] : one;
		size_t bl = strlen(b);
		if (len + bl >= cap)
			break;
		memcpy(buf + len, b, bl);
		len += bl;
	}
	buf[len] = '\0';
}

static void
answer_ok(const http_request *req, const http_response *r)
{
	static const unsigned ok[] = { 200, 400, 404, 405, 413, 503 };
	int known = 0;
	for (size_t i = 0; i < sizeof ok / sizeof *ok; i++)
		known |= r->status == ok[i];
	check(known, "%s %.60s: status %u", req->method, req->path, r->status);
	check(r->type != NULL, "%s %.60s: no content type", req->method,
	      req->path);
	if (r->status == 405)
		check(r->allow != NULL, "%.60s: 405 without Allow", req->path);
	if (strncmp(req->path, "/api/", 5) == 0) {
		json_error_t e;
		json_t *v = json_loadb(r->body, r->len, 0, &e);
		check(v != NULL, "%s %.60s: not JSON: %s", req->method,
		      req->path, e.text);
		if (v != NULL && r->status != 200)
			check(json_is_integer(json_object_get(v, "status")) &&
			      json_is_string(json_object_get(v, "error")),
			      "%.60s: error body without status and error",
			      req->path);
		json_decref(v);
	} else if (r->type != NULL && strncmp(r->type, "text/html", 9) == 0) {
		int script = 0;
		for (size_t i = 0; i + 7 <= r->len && !script; i++)
			script = strncasecmp(r->body + i, "<script", 7) == 0;
		check(!script, "%s %.60s: a <script in the page",
		      req->method, req->path);
		check(r->len > 0, "%.60s: empty page", req->path);
	}
}

int
main(void)
{
	static const char *const methods[] = { "GET", "HEAD", "POST", "PUT",
	                                       "DELETE", "OPTIONS", "" };
	static const char *const prefixes[] = {
		"/", "/api/search", "/api/article/", "/api/article",
		"/api/event/", "/api/code/", "/api/file/", "/api/refs/",
		"/api/stats", "/api/", "/article/", "/article", "/event/",
		"/code/", "/file/", "/refs/", "/stats", "/style.css", "",
		"/api/event/1003", "/article/Q294326",
	};
	static const char *const keys[] = { "q", "n", "product", "version",
	                                     "explain", "source", "x" };
	char dir[] = "/tmp/kbs-http.XXXXXX", path[600], corpus[600];
	kbs_db *db = NULL;

	xmlInitParser();
	if (mkdtemp(dir) == NULL)
		return 2;
	snprintf(path, sizeof path, "%s/kb.sqlite", dir);
	snprintf(corpus, sizeof corpus, "%s/corpus", KBS_TOP_SRCDIR);
	const char *paths[] = { corpus };
	kbs_index_stats st = KBS_INDEX_STATS_INIT;
	if (kbs_db_open(&db, path, KBS_OPEN_CREATE) != KBS_OK ||
	    kbs_db_index(&st, db, paths, 1, 0, NULL, NULL) != KBS_OK) {
		printf("check_http: cannot index %s\n", corpus);
		return 2;
	}

	/* a paste holding markup comes back as text, and kept */
	http_arg q = { "q", "<script>alert(1)</script> invalid license", 42 };
	http_request req = { "POST", "/", &q, 1, NULL, 0 };
	http_response r;
	http_ctx ctx = { db, NULL, 1u << 20 };
	http_handle(&r, &ctx, &req);
	answer_ok(&req, &r);
	check(r.status == 200 && r.body != NULL &&
	      strstr(r.body, "&lt;script&gt;alert(1)&lt;/script&gt;") != NULL,
	      "the paste is not in the page as text");
	free(r.body);

	for (int i = 0; i < REQUESTS; i++) {
		char url[300], vals[4][200], body[300];
		http_arg args[4];
		size_t nargs = rnd(5);
		junk(url, sizeof url - 40);
		snprintf(path, sizeof path, "%s%s",
		         prefixes[rnd(sizeof prefixes / sizeof *prefixes)],
		         rnd(2) ? url : "");
		for (size_t a = 0; a < nargs; a++) {
			junk(vals[a], sizeof vals[a]);
			args[a] = (http_arg){ keys[rnd(sizeof keys /
			                               sizeof *keys)],
			                      vals[a], strlen(vals[a]) };
		}
		junk(body, sizeof body);
		req = (http_request){
			methods[rnd(sizeof methods / sizeof *methods)], path,
			args, nargs, rnd(2) ? body : NULL, strlen(body) };
		ctx = (http_ctx){ rnd(10) ? db : NULL, "no database",
		                  rnd(4) ? 1u << 20 : 8 };
		http_handle(&r, &ctx, &req);
		answer_ok(&req, &r);
		free(r.body);
		if (nfailed > 20)
			break;
	}
	kbs_db_close(db);
	snprintf(path, sizeof path, "rm -rf '%s'", dir);
	if (system(path) != 0)
		printf("check_http: could not remove %s\n", dir);
	xmlCleanupParser();
	printf("%d passed, %d failed\n", npassed, nfailed);
	return nfailed ? 1 : 0;
}
