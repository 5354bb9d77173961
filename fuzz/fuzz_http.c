/*
 * fuzz_http.c - libFuzzer target for what `kbsearch serve` answers.
 *
 * One request made from the input goes through http_handle() (cli/http.c,
 * with the pages of cli/html.c and the JSON of cli/json.c) over a small
 * database of the bundled corpus, as a thread of the server answers it
 * once libmicrohttpd has parsed the request. Input layout: byte 0 picks
 * the method, whether the database is there and the paste limit; then the
 * path up to the first newline; then '&'-separated key=value fields up to
 * the second newline; the rest is the body. Every answer must have a
 * status the server sends and a body whose length is right.
 */
#include "fuzz_common.h"
#include "http.h"

#include <libxml/parser.h>

static void
fuzz_init(void)
{
	xmlInitParser();
}

/* The next '\n'-ended piece of [*p, end) as a NUL-terminated copy in buf
 * (cut to bufsz - 1 bytes); *p moves past it. */
static void
take_line(char *buf, size_t bufsz, const char **p, const char *end)
{
	const char *nl = memchr(*p, '\n', (size_t)(end - *p));
	size_t n = (size_t)((nl ? nl : end) - *p);
	size_t k = n < bufsz - 1 ? n : bufsz - 1;
	memcpy(buf, *p, k);
	buf[k] = '\0';
	*p += n + (nl != NULL);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const methods[] = { "GET", "POST", "HEAD", "PUT" };
	char path[1024], fields[2048];
	http_arg args[16];
	size_t nargs = 0;
	unsigned flags = size > 0 ? data[0] : 0;
	const char *p = size > 0 ? (const char *)data + 1 : (const char *)data;
	const char *end = (const char *)data + size;

	take_line(path, sizeof path, &p, end);
	take_line(fields, sizeof fields, &p, end);
	for (char *f = fields, *next; f != NULL && *f && nargs < 16; f = next) {
		next = strchr(f, '&');
		if (next != NULL)
			*next++ = '\0';
		char *eq = strchr(f, '=');
		const char *value = "";
		if (eq != NULL) {
			*eq = '\0';
			value = eq + 1;
		}
		args[nargs++] = (http_arg){ f, value, strlen(value) };
	}
	http_request req = { methods[flags & 3], path, args, nargs,
	                     p < end ? p : NULL, (size_t)(end - p) };
	http_ctx ctx = { (flags & 4) ? NULL : db, "no database",
	                 (flags & 8) ? 16 : 1u << 20 };
	http_response r;
	http_handle(&r, &ctx, &req);
	if (r.status < 200 || r.status > 599 || r.type == NULL ||
	    (r.body == NULL && r.len > 0))
		abort();
	volatile unsigned char sum = 0;
	for (size_t i = 0; i < r.len; i++)
		sum ^= (unsigned char)r.body[i];
	free(r.body);
	return 0;
}
