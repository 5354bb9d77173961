/*
 * json.h - the JSON of kbsearch: search results, lookups, articles and
 * stats as jansson objects, in the shapes README documents. The CLI's
 * --json and the HTTP API of `kbsearch serve` both print these, so that
 * one request gives one answer whichever way it is asked.
 *
 * Every builder returns a new reference (the caller json_decref()s it) or
 * NULL when memory ran out. The builders that take kbs_results step
 * through them with kbs_results_next(): the results are used up.
 */
#ifndef KBS_CLI_JSON_H
#define KBS_CLI_JSON_H

#include <jansson.h>
#include <stdbool.h>

#include "kbsearch.h"
#include "lookup.h"

/* json_string() that maps NULL to JSON null and bytes that are not UTF-8
 * to '?' (jansson refuses them). New reference, or NULL (no memory). */
/* The JSON format version every document carries as "format_version"
 * (kbsearch --format-version=N): 2 since products became objects in
 * hits, lookup records nested, explain an object and paths escaped. */
#define CLI_JSON_FORMAT_VERSION 2

/* A new top-level object holding "format_version" first. */
json_t *cli_json_doc(void);

/* A path as a JSON string: as it is when UTF-8; else each byte outside
 * a valid UTF-8 sequence as the text \xNN and each backslash doubled,
 * and *escaped set (the caller adds "KEY_escaped": true). */
json_t *cli_json_path_str(const char *s, bool *escaped);

json_t *cli_json_str(const char *s);

/* "newer", "same" or "older" for kbs_hit_get_version_cmp()'s 1, 0, -1;
 * NULL for an unknown version. Static string. */
const char *cli_version_cmp_word(int cmp);

/* {"query": {...}, "results": [{"rank", "kb_id", "title", "score",
 * "matched", "snippet", "products", "path"[, "explain"]}...]} of a
 * kbs_search_text() result. */
json_t *cli_json_search(kbs_results *res);

/* The answer of a list lookup (lookup.h): {KEY: the key[, EXTRA: the
 * second key], "results": [{"rank", "kb_id", "title", "products", "path",
 * and the lookup's own members}...]}, where KEY and EXTRA are the
 * lookup's key and extra names and the own members are:
 *   event  "event": {"event_id", "source", "type", "category",
 *          "description"} (key "event_id" is a number; extra "source")
 *   code   "code": {"code", "notation"} (key as the user wrote it)
 *   file   "file": {"name", "version", "size", "date", "time",
 *          "platform"}, "build" (key "name"; extra "version")
 *   refs   "relation": "cites" or "cited_by" (key "kb_id") */
json_t *cli_json_lookup(kbs_results *res, const cli_key *k);

/* One article with every field: kb_id, title, date, format, products,
 * events, codes, files, messages, refs, registry, sources, sections,
 * text. */
json_t *cli_json_article(const kbs_article *a);

/* The totals of kbs_db_get_stats(). */
json_t *cli_json_stats(const kbs_db_stats *st);

#endif
