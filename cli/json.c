/*
 * json.c - search results, lookups, articles and stats as jansson
 * objects: the one writer behind `kbsearch ... --json` and the HTTP API
 * of `kbsearch serve` (see json.h for the shapes).
 *
 * jansson's setters take a NULL value without harm (the member is left
 * out), so a builder that runs out of memory returns an incomplete object
 * or NULL, never crashes; the caller reports NULL as out of memory.
 */
#include "json.h"

#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

json_t *
cli_json_doc(void)
{
	json_t *o = json_object();
	json_object_set_new(o, "format_version",
	                    json_integer(CLI_JSON_FORMAT_VERSION));
	return o;
}

/* Whether s is valid UTF-8 (what jansson accepts). */
static bool
utf8_ok(const char *s)
{
	json_t *v = json_string(s);
	json_decref(v);
	return v != NULL;
}

json_t *
cli_json_path_str(const char *s, bool *escaped)
{
	if (s == NULL)
		return json_null();
	if (utf8_ok(s))
		return json_string(s);
	/* Not UTF-8: each byte that is not part of a valid UTF-8 sequence
	 * as the four characters \xNN, and a backslash doubled, so the
	 * bytes can be recovered; the caller flags the member. */
	size_t len = strlen(s);
	char *out = malloc(len * 4 + 1), *o = out;
	if (out == NULL)
		return NULL;
	for (size_t i = 0; i < len;) {
		unsigned char c = (unsigned char)s[i];
		size_t n = c < 0x80 ? 1 : (c & 0xE0) == 0xC0 ? 2
		         : (c & 0xF0) == 0xE0 ? 3 : (c & 0xF8) == 0xF0 ? 4 : 0;
		bool good = n > 0 && i + n <= len;
		for (size_t k = 1; good && k < n; k++)
			good = ((unsigned char)s[i + k] & 0xC0) == 0x80;
		if (good && n > 1) {
			char seq[5] = {0};
			memcpy(seq, s + i, n);
			good = utf8_ok(seq);
		}
		if (!good) {
			o += sprintf(o, "\\x%02X", c);
			i++;
		} else if (c == '\\') {
			*o++ = '\\';
			*o++ = '\\';
			i++;
		} else {
			memcpy(o, s + i, n);
			o += n;
			i += n;
		}
	}
	*o = '\0';
	json_t *v = json_string(out);
	free(out);
	*escaped = true;
	return v;
}

/* Set key to the path p, and key_escaped to true when p is not UTF-8. */
static void
set_path(json_t *o, const char *key, const char *p)
{
	bool esc = false;
	json_object_set_new(o, key, cli_json_path_str(p, &esc));
	if (esc) {
		char flag[64];
		snprintf(flag, sizeof flag, "%s_escaped", key);
		json_object_set_new(o, flag, json_true());
	}
}

json_t *
cli_json_str(const char *s)
{
	if (s == NULL)
		return json_null();
	json_t *v = json_string(s);
	if (v != NULL)
		return v;
	/* Not UTF-8 (jansson refuses it): keep ASCII, mark the rest. */
	char *copy = strdup(s);
	if (copy == NULL)
		return NULL;
	for (char *p = copy; *p; p++)
		if ((unsigned char)*p >= 0x80)
			*p = '?';
	v = json_string(copy);
	free(copy);
	return v;
}

/* A canonical 32-bit code as "0x80070005". */
static json_t *
code_hex(uint32_t value)
{
	char hex[16];
	snprintf(hex, sizeof hex, "0x%08" PRIX32, value);
	return json_string(hex);
}

/* A JSON array of one(record) for each of the n records of size bytes
 * at base: the record builders below take their record as const void *
 * for this. */
static json_t *
record_array(const void *base, size_t n, size_t size,
             json_t *(*one)(const void *))
{
	json_t *a = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(a, one((const char *)base + i * size));
	return a;
}

/* A code record (kbs_code), the same in code hits and articles. */
static json_t *
code_json(const void *record)
{
	const kbs_code *k = record;
	return json_pack("{s:o,s:o}", "code", code_hex(k->value),
	                 "notation", cli_json_str(k->text));
}

/* A string of a list (const char *), NULL as null. */
static json_t *
string_json(const void *record)
{
	return cli_json_str(*(const char *const *)record);
}

static json_t *
str_array(const char *const *list, size_t n)
{
	return record_array(list, n, sizeof *list, string_json);
}

static json_t *
query_json(const kbs_query_info *q)
{
	json_t *o = json_object(), *a;
	if (q == NULL)
		return json_null();
	json_object_set_new(o, "kind", cli_json_str(q->kind));
	json_object_set_new(o, "event_id", q->event_id >= 0
	                    ? json_integer(q->event_id) : json_null());
	json_object_set_new(o, "source", cli_json_str(q->source));
	a = json_array();
	for (size_t i = 0; i < q->ncodes; i++)
		json_array_append_new(a, code_hex(q->codes[i]));
	json_object_set_new(o, "codes", a);
	json_object_set_new(o, "files", str_array(q->files, q->nfiles));
	json_object_set_new(o, "kb_ids", str_array(q->kb_ids, q->nkb_ids));
	json_object_set_new(o, "terms", str_array(q->terms, q->nterms));
	json_object_set_new(o, "dropped", str_array(q->dropped, q->ndropped));
	json_object_set_new(o, "corrected",
	                    str_array(q->corrected, q->ncorrected));
	json_object_set_new(o, "aliases", str_array(q->aliases, q->naliases));
	return o;
}

/* A product record (kbs_product), the same in hits and articles. */
static json_t *
product_json(const void *record)
{
	const kbs_product *p = record;
	return json_pack("{s:o,s:o}", "product", cli_json_str(p->name),
	                 "version", cli_json_str(p->version));
}

static json_t *
hit_products(const kbs_hit *h)
{
	const kbs_product *p;
	size_t n = kbs_hit_get_product_list(h, &p);
	return record_array(p, n, sizeof *p, product_json);
}

/* The library's explanation, one "name=value (detail)" per line, as
 * structured evidence: {"scores": {name: value}, "details": {name:
 * detail}, "notes": [other lines]}. */
static json_t *
explain_json(const char *ex)
{
	json_t *scores = json_object(), *details = json_object();
	json_t *notes = json_array();
	for (const char *p = ex; *p;) {
		const char *nl = strchr(p, '\n');
		size_t len = nl ? (size_t)(nl - p) : strlen(p);
		char line[512];
		snprintf(line, sizeof line, "%.*s", (int)len, p);
		p += len + (nl != NULL);
		char *eq = strchr(line, '='), *end = NULL;
		double v = eq ? strtod(eq + 1, &end) : 0;
		const char *sp = strchr(line, ' ');
		if (eq == NULL || end == eq + 1 || (sp != NULL && sp < eq)) {
			json_array_append_new(notes, cli_json_str(line));
			continue;
		}
		*eq = '\0';
		json_object_set_new(scores, line,
		                    json_real((double)(long long)(v * 1000 + 0.5)
		                              / 1000));
		while (*end == ' ')
			end++;
		if (*end == '(') {
			char *close = strrchr(end, ')');
			if (close != NULL)
				*close = '\0';
			json_object_set_new(details, line, cli_json_str(end + 1));
		}
	}
	return json_pack("{s:o,s:o,s:o}", "scores", scores, "details",
	                 details, "notes", notes);
}

static json_t *
search_hit_json(const kbs_hit *h)
{
	json_t *o = json_object();
	const char *const *list;
	size_t n;
	json_object_set_new(o, "rank", json_integer(kbs_hit_get_rank(h)));
	json_object_set_new(o, "kb_id", cli_json_str(kbs_hit_get_kb_id(h)));
	json_object_set_new(o, "title", cli_json_str(kbs_hit_get_title(h)));
	/* Three decimals: enough to order by, stable to compare. */
	json_object_set_new(o, "score", json_real(
	    (double)(long long)(kbs_hit_get_score(h) * 1000 + 0.5) / 1000));
	n = kbs_hit_get_matched(h, &list);
	json_object_set_new(o, "matched", str_array(list, n));
	json_object_set_new(o, "snippet", cli_json_str(kbs_hit_get_snippet(h)));
	/* the matched words: [start, end) byte offsets into snippet */
	const kbs_span *spans;
	size_t nspans = kbs_hit_get_snippet_matches(h, &spans);
	json_t *marks = json_array();
	for (size_t i = 0; i < nspans; i++)
		json_array_append_new(marks, json_pack("[II]",
		    (json_int_t)spans[i].start, (json_int_t)spans[i].end));
	json_object_set_new(o, "snippet_matches", marks);
	json_object_set_new(o, "products", hit_products(h));
	set_path(o, "path", kbs_hit_get_path(h));
	if (kbs_hit_get_explain(h) != NULL)
		json_object_set_new(o, "explain",
		                    explain_json(kbs_hit_get_explain(h)));
	return o;
}

json_t *
cli_json_search(kbs_results *res)
{
	json_t *top = cli_json_doc(), *hits = json_array();
	const kbs_hit *h;
	while (kbs_results_next(&h, res) == KBS_OK)
		json_array_append_new(hits, search_hit_json(h));
	json_object_set_new(top, "query", query_json(kbs_results_get_query(res)));
	json_object_set_new(top, "results", hits);
	return top;
}

/* The members every lookup hit has, as a search hit has them: rank,
 * kb_id, title, products, path; the record matched is added under its
 * own name ("event", "code", "file"). */
static json_t *
lookup_hit_json(const kbs_hit *h)
{
	json_t *o = json_object();
	json_object_set_new(o, "rank", json_integer(kbs_hit_get_rank(h)));
	json_object_set_new(o, "kb_id", cli_json_str(kbs_hit_get_kb_id(h)));
	json_object_set_new(o, "title", cli_json_str(kbs_hit_get_title(h)));
	json_object_set_new(o, "products", hit_products(h));
	set_path(o, "path", kbs_hit_get_path(h));
	return o;
}

/* An event record (kbs_event), the same in event hits and articles. */
static json_t *
event_json(const void *record)
{
	const kbs_event *e = record;
	return json_pack("{s:I,s:o,s:o,s:o,s:o}",
	    "event_id", (json_int_t)e->id,
	    "source", cli_json_str(e->source),
	    "type", cli_json_str(e->type),
	    "category", cli_json_str(e->category),
	    "description", cli_json_str(e->description));
}

/* A file row (kbs_file), the same in file hits and articles. */
static json_t *
file_row_json(const void *record)
{
	const kbs_file *f = record;
	return json_pack("{s:o,s:o,s:o,s:o,s:o,s:o}",
	    "name", cli_json_str(f->name),
	    "version", cli_json_str(f->version),
	    "size", f->size >= 0 ? json_integer(f->size) : json_null(),
	    "date", cli_json_str(f->date),
	    "time", cli_json_str(f->time),
	    "platform", cli_json_str(f->platform));
}

const char *
cli_version_cmp_word(int cmp)
{
	switch (cmp) {
	case 1: return "newer";
	case 0: return "same";
	case -1: return "older";
	default: return NULL;
	}
}

/* The members a lookup adds to each hit's common ones. */
static void
event_hit(json_t *o, const kbs_hit *h)
{
	json_object_set_new(o, "event", event_json(kbs_hit_get_event(h)));
}

static void
code_hit(json_t *o, const kbs_hit *h)
{
	json_object_set_new(o, "code", code_json(kbs_hit_get_code(h)));
}

static void
file_hit(json_t *o, const kbs_hit *h)
{
	json_object_set_new(o, "file", file_row_json(kbs_hit_get_file(h)));
	json_object_set_new(o, "build", cli_json_str(
	    cli_version_cmp_word(kbs_hit_get_version_cmp(h))));
}

static void
refs_hit(json_t *o, const kbs_hit *h)
{
	json_object_set_new(o, "relation", json_string(
	    kbs_hit_get_ref(h) == KBS_REF_CITES ? "cites" : "cited_by"));
}

static void (*const lookup_hit[])(json_t *, const kbs_hit *) = {
	[CLI_LOOKUP_EVENT] = event_hit,
	[CLI_LOOKUP_CODE] = code_hit,
	[CLI_LOOKUP_FILE] = file_hit,
	[CLI_LOOKUP_REFS] = refs_hit,
};

json_t *
cli_json_lookup(kbs_results *res, const cli_key *k)
{
	const cli_lookup *l = k->lookup;
	json_t *top = cli_json_doc(), *arr = json_array();
	const kbs_hit *h;
	while (kbs_results_next(&h, res) == KBS_OK) {
		json_t *o = lookup_hit_json(h);
		lookup_hit[l->kind](o, h);
		json_array_append_new(arr, o);
	}
	json_object_set_new(top, l->key, l->kind == CLI_LOOKUP_EVENT
	                                 ? json_integer(k->id)
	                                 : cli_json_str(k->key));
	if (l->extra != NULL)
		json_object_set_new(top, l->extra, cli_json_str(k->extra));
	json_object_set_new(top, "results", arr);
	return top;
}

/* An article's section (kbs_section). */
static json_t *
section_json(const void *record)
{
	const kbs_section *se = record;
	return json_pack("{s:o,s:i,s:o}", "heading", cli_json_str(se->heading),
	                 "level", se->level, "text", cli_json_str(se->text));
}

json_t *
cli_json_article(const kbs_article *a)
{
	json_t *o = cli_json_doc(), *arr;
	const kbs_event *ev;
	const kbs_code *co;
	const kbs_file *fi;
	const kbs_product *pr;
	const kbs_section *se;
	const char *const *sl;
	size_t n, i;

	json_object_set_new(o, "kb_id", cli_json_str(kbs_article_get_kb_id(a)));
	json_object_set_new(o, "title", cli_json_str(kbs_article_get_title(a)));
	json_object_set_new(o, "date", cli_json_str(kbs_article_get_date(a)));
	json_object_set_new(o, "format",
	                    cli_json_str(kbs_article_get_format(a)));
	set_path(o, "path", kbs_article_get_path(a));
	n = kbs_article_get_sources(a, &sl);
	arr = json_array();
	bool esc = false;
	for (i = 0; i < n; i++)
		json_array_append_new(arr, cli_json_path_str(sl[i], &esc));
	json_object_set_new(o, "sources", arr);
	if (esc)
		json_object_set_new(o, "sources_escaped", json_true());

	n = kbs_article_get_products(a, &pr);
	json_object_set_new(o, "products",
	                    record_array(pr, n, sizeof *pr, product_json));
	n = kbs_article_get_events(a, &ev);
	json_object_set_new(o, "events",
	                    record_array(ev, n, sizeof *ev, event_json));
	n = kbs_article_get_codes(a, &co);
	json_object_set_new(o, "codes",
	                    record_array(co, n, sizeof *co, code_json));
	n = kbs_article_get_files(a, &fi);
	json_object_set_new(o, "files",
	                    record_array(fi, n, sizeof *fi, file_row_json));
	n = kbs_article_get_messages(a, &sl);
	json_object_set_new(o, "messages", str_array(sl, n));
	n = kbs_article_get_refs(a, &sl);
	json_object_set_new(o, "refs", str_array(sl, n));
	n = kbs_article_get_registry(a, &sl);
	json_object_set_new(o, "registry", str_array(sl, n));
	n = kbs_article_get_sections(a, &se);
	json_object_set_new(o, "sections",
	                    record_array(se, n, sizeof *se, section_json));
	json_object_set_new(o, "text", cli_json_str(kbs_article_get_text(a)));
	return o;
}

json_t *
cli_json_stats(const kbs_db_stats *st)
{
	return json_pack("{s:i,s:I,s:I,s:I,s:I,s:I,s:I,s:I,s:i}",
	    "format_version", CLI_JSON_FORMAT_VERSION,
	    "articles", (json_int_t)st->articles,
	    "files", (json_int_t)st->files,
	    "events", (json_int_t)st->events,
	    "codes", (json_int_t)st->codes,
	    "file_rows", (json_int_t)st->file_rows,
	    "refs", (json_int_t)st->refs,
	    "terms", (json_int_t)st->terms,
	    "schema_version", st->schema_version);
}
