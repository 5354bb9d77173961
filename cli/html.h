/*
 * html.h - the pages of `kbsearch serve`, made from the same JSON objects
 * the API sends (json.h), as libxml2 HTML trees: every piece of article or
 * paste text enters the tree as a text node or an attribute value, and
 * libxml2's serializer escapes it. No string of markup is ever pasted
 * together from data.
 *
 * Each function returns a new page as a heap buffer of *len bytes of
 * UTF-8 HTML (caller frees with free()), or NULL when memory ran out.
 */
#ifndef KBS_CLI_HTML_H
#define KBS_CLI_HTML_H

#include <jansson.h>
#include <stddef.h>

#include "lookup.h"

/* The options of the search form, as the user set them (for showing them
 * again). Strings may be NULL. */
typedef struct html_form {
	const char *paste;     /* the paste, kept in the box */
	size_t paste_len;      /* its length in bytes */
	unsigned n;            /* number of hits asked for */
	const char *product;
	const char *version;
	int explain;
} html_form;

/* The search page: the form, and when search is not NULL, its results
 * (cli_json_search()'s object). */
char *html_search(size_t *len, const html_form *form, json_t *search);

/* An article page from cli_json_article()'s object. */
char *html_article(size_t *len, json_t *article);

/* The page of list lookup kind from cli_json_lookup()'s object: a
 * heading with the keys, the number of articles and a table of them. */
char *html_lookup(size_t *len, json_t *lookup, cli_lookup_kind kind);

/* The stats page from cli_json_stats()'s object. */
char *html_stats(size_t *len, json_t *stats);

/* An error page: status is the HTTP status, message one line. */
char *html_error(size_t *len, unsigned status, const char *message);

/* The stylesheet served at /style.css (NUL-terminated). */
extern const char html_stylesheet[];

#endif
