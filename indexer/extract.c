/*
 * extract.c - records found in an article's text.
 *
 * Runs after a parser has filled the article's title and sections (or, for
 * unstructured text, its body) and pulls out what exact lookups need:
 * event log entries, error codes, file-version table rows, quoted error
 * messages, KB cross-references and registry paths. Everything is a hand
 * scanner over lines or bytes, linear in the text length apart from the
 * de-duplication of the (short) record lists. The header, footer and
 * disclaimer of a KB text article are not in its sections, so they are
 * never scanned ("IN NO EVENT SHALL..." is not an event).
 */
#include "indexer.h"
#include "extract.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define MSG_MAX_LINES 20   /* longer indented blocks are not messages */
#define MSG_MAX_BLOCKS 6   /* messages taken after one introduction */
#define TEXT_MAX 4000      /* bytes kept of one description or message */
#define WRAPS_MAX 12       /* lines of one registry path written as a tree */

static void add_message(struct ex *x, const char *m);

enum field { F_NONE, F_ID, F_SOURCE, F_TYPE, F_CATEGORY, F_DESC, F_OTHER };

/* Append s[0..n) to b with runs of white space folded into one space. */
static void
append_folded(kbs__buf *b, const char *s, size_t n)
{
	for (size_t i = 0; i < n && b->len < TEXT_MAX; i++) {
		if (isspace((unsigned char)s[i])) {
			if (b->len > 0 && b->data[b->len - 1] != ' ')
				kbs__buf_putc(b, ' ');
		} else {
			kbs__buf_putc(b, s[i]);
		}
	}
}

static void
buf_reset(kbs__buf *b)
{
	b->len = 0;
	if (b->data != NULL)
		b->data[0] = '\0';
}

/* Arena copy of the scratch buffer, trimmed; NULL when empty. */
static const char *
tmp_dup(ex *x)
{
	const char *s = kbs__buf_str(&x->tmp);
	size_t n = x->tmp.len;
	while (n > 0 && isspace((unsigned char)s[n - 1]))
		n--;
	while (n > 0 && isspace((unsigned char)*s)) {
		s++;
		n--;
	}
	if (x->tmp.oom) {
		x->rc = KBS_NOMEM;
		return NULL;
	}
	return n > 0 ? dup(x, s, n) : NULL;
}

static bool
split_lines(ex *x, const char *s, size_t len)
{
	x->nlines = 0;
	size_t i = 0;
	while (i < len) {
		const char *nl = memchr(s + i, '\n', len - i);
		size_t end = nl ? (size_t)(nl - s) : len;
		if (x->nlines == x->caplines) {
			size_t cap = x->caplines ? x->caplines * 2 : 256;
			xline *n = realloc(x->lines, cap * sizeof *n);
			if (n == NULL) {
				x->rc = KBS_NOMEM;
				return false;
			}
			x->lines = n;
			x->caplines = cap;
		}
		xline *l = &x->lines[x->nlines++];
		size_t j = i, ind = 0;
		while (j < end && (s[j] == ' ' || s[j] == '\t' || s[j] == '\r')) {
			ind = s[j] == '\t' ? (ind / 8 + 1) * 8 : ind + 1;
			j++;
		}
		size_t e = end;
		while (e > j && isspace((unsigned char)s[e - 1]))
			e--;
		l->raw = s + i;
		l->s = s + j;
		l->n = e - j;
		l->indent = ind;
		i = end + 1;
	}
	return true;
}

/* ------------------------------------------------------------------ */
/* Events                                                              */
/* ------------------------------------------------------------------ */

/* Classify an event field line "Source: MSExchangeMTA"; *val points at
 * the value (after the colon, spaces skipped). */
static enum field
field_of(const xline *l, const char **val, size_t *vn)
{
	static const struct { const char *key; enum field f; } keys[] = {
		{ "event id", F_ID }, { "eventid", F_ID }, { "event source", F_SOURCE },
		{ "source", F_SOURCE }, { "event type", F_TYPE }, { "type", F_TYPE },
		{ "event category", F_CATEGORY }, { "category", F_CATEGORY },
		{ "description", F_DESC }, { "user", F_OTHER },
		{ "computer", F_OTHER }, { "date", F_OTHER }, { "time", F_OTHER },
	};
	for (size_t k = 0; k < sizeof keys / sizeof keys[0]; k++) {
		size_t kl = strlen(keys[k].key);
		if (l->n < kl || strncasecmp(l->s, keys[k].key, kl) != 0)
			continue;
		size_t i = kl;
		while (i < l->n && (l->s[i] == ' ' || l->s[i] == '\t'))
			i++;
		bool colon = i < l->n && l->s[i] == ':';
		if (colon)
			i++;
		else if (keys[k].f != F_SOURCE || i == kl)
			continue;
		while (i < l->n && (l->s[i] == ' ' || l->s[i] == '\t'))
			i++;
		if (!colon && (i == l->n || memchr(l->s + i, ' ', l->n - i)))
			continue;  /* "Source SRV", one word only */
		*val = l->s + i;
		*vn = l->n - i;
		return keys[k].f;
	}
	return F_NONE;
}

static bool
parse_long(long *out, const char *s, size_t n)
{
	long v = 0;
	size_t i = 0;
	while (i < n && isdigit((unsigned char)s[i]) && i < 7)
		v = v * 10 + (s[i++] - '0');
	if (i == 0 || (i < n && is_word((unsigned char)s[i])))
		return false;
	*out = v;
	return true;
}

/* Events past this many in one article are counted in capped, not kept;
 * it also bounds the scan for a sourceless event below. */
#define MAX_EVENTS 1000

/*
 * Add event id with source (or NULL) unless the article has it: an event
 * of the same id and source (case-insensitive), or, for a NULL source,
 * any event of that id. A sourceless event of the id gets the source
 * instead of a second event. Returns the new event, else NULL. Duplicate
 * checks go through kbs__seen(), so that a file of a hundred thousand
 * events costs linear time.
 */
static kbs_event *
add_event(ex *x, long id, const char *source)
{
	kbs_article *a = x->a;
	char key[256];
	int seen, idseen;
	if (x->rc != KBS_OK)
		return NULL;
	/* (id, source) is seen when that very event is there; id alone
	 * when any event of the id is */
	int kn = snprintf(key, sizeof key, "%ld|%s", id, source ? source : "");
	seen = source == NULL ? 0 : kbs__seen(a, KBS__REC_EVENT, key,
	    (size_t)kn < sizeof key ? (size_t)kn : sizeof key - 1, true);
	idseen = seen < 0 ? 0 : kbs__seen(a, KBS__REC_EVENT_ID, &id,
	                                  sizeof id, false);
	if (seen < 0 || idseen < 0) {
		x->rc = KBS_NOMEM;
		return NULL;
	}
	if (seen || (source == NULL && idseen))
		return NULL;
	if (source != NULL && idseen) {
		/* a sourceless mention of the same id gets the source */
		for (size_t i = 0; i < a->nevents; i++)
			if (a->events[i].id == id && a->events[i].source == NULL) {
				a->events[i].source = source;
				return NULL;
			}
	}
	if (a->nevents >= MAX_EVENTS) {
		a->capped++;
		return NULL;
	}
	kbs_event *e = KBS__PUSH(&a->arena, a->events, a->nevents, a->capevents);
	if (e == NULL) {
		x->rc = KBS_NOMEM;
		return NULL;
	}
	e->id = id;
	e->source = source;
	return e;
}

/*
 * Indented blocks such as
 *    Event ID: 9405
 *    Source: MSExchangeMTA
 *    Type: Error
 *    Description:
 *    An unexpected error has occurred ...
 * in any field order; text after the fields, or after "Description:", up
 * to a blank line is the description.
 */
static void
event_blocks(ex *x)
{
	for (size_t i = 0; i < x->nlines && x->rc == KBS_OK; i++) {
		const char *v;
		size_t vn;
		long id;
		if (field_of(&x->lines[i], &v, &vn) != F_ID ||
		    !parse_long(&id, v, vn))
			continue;
		const char *f[F_OTHER + 1][2] = { { NULL } };
		size_t fl[F_OTHER + 1] = { 0 };
		size_t start = i;
		while (start > 0 && x->lines[start - 1].n > 0) {
			enum field k = field_of(&x->lines[start - 1], &v, &vn);
			if (k == F_NONE || k == F_ID || k == F_DESC)
				break;
			start--;
		}
		buf_reset(&x->tmp);
		bool in_desc = false;
		size_t j;
		for (j = start; j < x->nlines; j++) {
			const xline *l = &x->lines[j];
			if (l->n == 0)
				break;
			enum field k = in_desc ? F_NONE : field_of(l, &v, &vn);
			if (j != i && k == F_ID)
				break;
			if (k == F_DESC) {
				in_desc = true;
				append_folded(&x->tmp, v, vn);
				kbs__buf_putc(&x->tmp, ' ');
			} else if (k != F_NONE) {
				if (f[k][0] == NULL) {
					f[k][0] = v;
					fl[k] = vn;
				}
			} else {
				in_desc = true;
				append_folded(&x->tmp, l->s, l->n);
				kbs__buf_putc(&x->tmp, ' ');
			}
		}
		const char *src = NULL;
		if (f[F_SOURCE][0] != NULL && fl[F_SOURCE] > 0)
			src = dup(x, f[F_SOURCE][0], fl[F_SOURCE]);
		kbs_event *e = add_event(x, id, src);
		if (e != NULL) {
			if (f[F_TYPE][0] != NULL && fl[F_TYPE] > 0)
				e->type = dup(x, f[F_TYPE][0], fl[F_TYPE]);
			if (f[F_CATEGORY][0] != NULL && fl[F_CATEGORY] > 0)
				e->category = dup(x, f[F_CATEGORY][0],
				                  fl[F_CATEGORY]);
			e->description = tmp_dup(x);
			add_message(x, e->description);
		}
		i = j > i ? j - 1 : i;
	}
}

/* "Source MSFTPSVC " right before position i: the source name. */
static const char *
source_before(ex *x, const char *s, size_t i)
{
	size_t e = i;
	while (e > 0 && (s[e - 1] == ' ' || s[e - 1] == '\t'))
		e--;
	size_t b = e;
	while (b > 0 && (is_word((unsigned char)s[b - 1]) || s[b - 1] == '-' ||
	                 s[b - 1] == '.'))
		b--;
	if (b == e || e - b > 64)
		return NULL;
	size_t k = b;
	while (k > 0 && (s[k - 1] == ' ' || s[k - 1] == ':'))
		k--;
	if (k == b || k < 6 || strncasecmp(s + k - 6, "source", 6) != 0 ||
	    !word_start(s, k - 6))
		return NULL;
	return dup(x, s + b, e - b);
}

/* Prose mentions: "Event ID 2013", "event ID 7000:", "(Event Id 7000)",
 * "Event 1003", "Source MSFTPSVC Event ID 8". */
static void
event_mentions(ex *x, const char *s, size_t n)
{
	for (size_t i = 0; i + 6 < n && x->rc == KBS_OK; i++) {
		if ((s[i] != 'e' && s[i] != 'E') || !word_start(s, i) ||
		    strncasecmp(s + i, "event", 5) != 0)
			continue;
		size_t j = i + 5;
		bool idword = false;
		while (j < n && (s[j] == ' ' || s[j] == '\t'))
			j++;
		if (j + 1 < n && (s[j] == 'I' || s[j] == 'i') &&
		    (s[j + 1] == 'D' || s[j + 1] == 'd') &&
		    (j + 2 >= n || !is_word((unsigned char)s[j + 2]))) {
			idword = true;
			j += 2;
		} else if (j == i + 5) {
			continue;
		}
		while (j < n && (s[j] == ' ' || s[j] == '\t' || s[j] == ':' ||
		                 s[j] == '#' || (idword && s[j] == '\n')))
			j++;
		size_t d = j;
		while (j < n && isdigit((unsigned char)s[j]) && j - d < 7)
			j++;
		if (j == d || (j < n && is_word((unsigned char)s[j])))
			continue;
		if (j + 1 < n && (s[j] == '.' || s[j] == ',') &&
		    isdigit((unsigned char)s[j + 1]))
			continue;
		if (!idword && j - d < 2)
			continue;
		long id;
		if (!parse_long(&id, s + d, j - d))
			continue;
		add_event(x, id, source_before(x, s, i));
		i = j - 1;
	}
}

/* ------------------------------------------------------------------ */
/* Error codes                                                         */
/* ------------------------------------------------------------------ */

/* The cue (src/recognise.c) of the word ending at *e after at most four
 * separators of " \t:=#(-"; *e moves to the word's start and *colon says
 * whether a colon was among the separators. */
static enum kbs__cue
cue_before(const char *s, size_t *e, bool *colon)
{
	size_t k = 0, i = *e;
	*colon = false;
	while (i > 0 && k < 4 && s[i - 1] != '\0' &&
	       strchr(" \t:=#(-", s[i - 1]) != NULL) {
		*colon |= s[i - 1] == ':';
		i--;
		k++;
	}
	size_t b = i;
	while (b > 0 && i - b < 12 && isalnum((unsigned char)s[b - 1]))
		b--;
	*e = b;
	if (b == i || (b > 0 && is_word((unsigned char)s[b - 1])))
		return KBS__CUE_NONE;
	return kbs__code_cue(s + b, i - b);
}

/* Whether the number at position i follows words that make it an error
 * code ("error 1722", "error code 5"), by the rule paste analysis uses. */
static bool
code_context(const char *s, size_t i)
{
	bool colon, colon2;
	size_t e = i;
	enum kbs__cue last = cue_before(s, &e, &colon);
	enum kbs__cue before = last == KBS__CUE_WEAK ?
	                       cue_before(s, &e, &colon2) : KBS__CUE_NONE;
	return kbs__code_cued(last, colon, before);
}

static void
add_code(ex *x, uint32_t v, const char *s, size_t n)
{
	kbs_article *a = x->a;
	if (!is_new(x, KBS__REC_CODE, &v, sizeof v, false, a->ncodes))
		return;
	kbs_code *c = KBS__PUSH(&a->arena, a->codes, a->ncodes, a->capcodes);
	if (c == NULL) {
		x->rc = KBS_NOMEM;
		return;
	}
	c->value = v;
	c->text = dup(x, s, n);
}

/* The number ends cleanly: not "3.51", "1,000", "10:30", "50%". */
static bool
clean_end(const char *s, size_t j, size_t n)
{
	if (j >= n)
		return true;
	if (is_word((unsigned char)s[j]) || s[j] == '%' || s[j] == '/' ||
	    s[j] == '\\' || s[j] == '-')
		return false;
	if ((s[j] == '.' || s[j] == ',' || s[j] == ':') && j + 1 < n &&
	    isalnum((unsigned char)s[j + 1]))
		return false;
	return true;
}

static void
codes_scan(ex *x, const char *s, size_t n)
{
	uint32_t v;
	for (size_t i = 0; i < n && x->rc == KBS_OK; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c == '-') {
			if (i > 0 && is_word((unsigned char)s[i - 1]))
				continue;
		} else if (!is_word(c) || !word_start(s, i)) {
			continue;
		}
		if (c == '0' && i + 2 < n && (s[i + 1] == 'x' || s[i + 1] == 'X')) {
			size_t j = i + 2;
			while (j < n && isxdigit((unsigned char)s[j]) && j - i < 20)
				j++;
			size_t hd = j - i - 2;
			if (hd >= 1 && hd <= 8 && clean_end(s, j, n) &&
			    kbs__code_parse(&v, s + i, j - i) && v != 0 &&
			    (code_context(s, i) || (hd == 8 && kbs__code_failure_shape(v))))
				add_code(x, v, s + i, j - i);
			i = j - 1;
			continue;
		}
		if (c == 'N' && i + 7 <= n && strncmp(s + i, "NET", 3) == 0) {
			size_t j = i + 3;
			while (j < n && isdigit((unsigned char)s[j]) && j - i < 9)
				j++;
			if (j - i == 7 && clean_end(s, j, n) &&
			    kbs__code_parse(&v, s + i + 3, 4))
				add_code(x, v, s + i, 7);
			i = j - 1;
			continue;
		}
		if (isxdigit(c)) {
			size_t j = i;
			bool digit = false;
			while (j < n && isxdigit((unsigned char)s[j]) && j - i < 12) {
				digit |= isdigit((unsigned char)s[j]) != 0;
				j++;
			}
			if (j - i == 8 && digit && clean_end(s, j, n) &&
			    (i == 0 || (s[i - 1] != '-' && s[i - 1] != '{')) &&
			    kbs__code_parse(&v, s + i, 8) && v != 0 &&
			    (kbs__code_failure_shape(v) || code_context(s, i)))
				add_code(x, v, s + i, 8);
			if (isdigit(c)) {
				/* decimal code after "error", "rc =" ... */
				size_t k = i;
				while (k < n && isdigit((unsigned char)s[k]) &&
				       k - i < 11)
					k++;
				if (k - i <= 10 && clean_end(s, k, n) &&
				    (i == 0 || s[i - 1] != '.') &&
				    kbs__code_parse(&v, s + i, k - i) &&
				    kbs__code_decimal(v, k - i, false,
				                      code_context(s, i)) &&
				    !(j - i == 8 && j == k))
					add_code(x, v, s + i, k - i);
			}
			while (i + 1 < n && is_word((unsigned char)s[i + 1]))
				i++;
			continue;
		}
		if (c == '-' && i + 1 < n && isdigit((unsigned char)s[i + 1]) &&
		    (i == 0 || !is_word((unsigned char)s[i - 1]))) {
			size_t k = i + 1;
			while (k < n && isdigit((unsigned char)s[k]) && k - i < 12)
				k++;
			if (k - i <= 11 && clean_end(s, k, n) &&
			    kbs__code_parse(&v, s + i, k - i) &&
			    kbs__code_decimal(v, k - i - 1, true,
			                      code_context(s, i)))
				add_code(x, v, s + i, k - i);
			i = k - 1;
			continue;
		}
		while (i + 1 < n && is_word((unsigned char)s[i + 1]))
			i++;
	}
}

/* ------------------------------------------------------------------ */
/* KB references                                                       */
/* ------------------------------------------------------------------ */

static void
add_ref(ex *x, const char *id)
{
	if (x->rc == KBS_OK)
		x->rc = kbs__add_ref(x->a, id);
}

/* "Q151261", "KB151261", "KB 151261" as whole words (src/recognise.c). */
static void
refs_scan(ex *x, const char *s, size_t n)
{
	char id[32];
	for (size_t i = 0; i + 4 < n && x->rc == KBS_OK; i++) {
		if (strchr("QqKk", s[i]) == NULL || s[i] == '\0' ||
		    !word_start(s, i))
			continue;
		size_t len = kbs__kb_id_at(s + i, n - i, id, sizeof id);
		if (len > 0) {
			add_ref(x, id);
			i += len - 1;
		}
	}
}

/* ------------------------------------------------------------------ */
/* Registry paths                                                      */
/* ------------------------------------------------------------------ */

static const struct { const char *name; const char *abbr; bool ci; } roots[] = {
	{ "HKEY_LOCAL_MACHINE", "HKLM", true },
	{ "HKEY_CURRENT_USER", "HKCU", true },
	{ "HKEY_CLASSES_ROOT", "HKCR", true },
	{ "HKEY_CURRENT_CONFIG", "HKCC", true },
	{ "HKEY_USERS", "HKU", true },
	{ "HKEY_DYN_DATA", "HKDD", true },
	{ "HKEY_PERFORMANCE_DATA", "HKPD", true },
	{ "HKLM", "HKLM", false }, { "HKCU", "HKCU", false },
	{ "HKCR", "HKCR", false }, { "HKCC", "HKCC", false },
	{ "HKU", "HKU", false },
};

static void
add_registry(ex *x, const char *s, size_t n)
{
	kbs_article *a = x->a;
	if (!is_new(x, KBS__REC_REGISTRY, s, n, true, a->nregistry))
		return;
	const char **r = KBS__PUSH(&a->arena, a->registry, a->nregistry,
	                           a->capregistry);
	if (r == NULL)
		x->rc = KBS_NOMEM;
	else
		*r = dup(x, s, n);
}

/* Key words that end a path written on one line with a value: " key"
 * but not " Keyboard Layout" (whole words, except the REG_ prefix). */
static bool
stop_word(const char *s, size_t n)
{
	static const char *const words[] = {
		" value", " data", " type", " name", " reg_", " : ", " and ",
		" key", " keys", " subkey", " subkeys", " entry", " in ", " to ",
		" is ", " with ", " or ", " for ", " on ", " hive", " registry",
		" folder", " branch", " where ", " as ", " has ", " contains",
		" under ", " then ", " if ", " should ", " must ", " will ",
		" was ", " are ", " by ", " at ", " from ", " of ",
	};
	for (size_t k = 0; k < sizeof words / sizeof words[0]; k++) {
		size_t kl = strlen(words[k]);
		char last = words[k][kl - 1];
		if (n >= kl && strncasecmp(s, words[k], kl) == 0 &&
		    (last == ' ' || last == '_' || kl == n ||
		     !is_word((unsigned char)s[kl])))
			return true;
	}
	return false;
}

/*
 * The last key of a path in prose may hold spaces: "...\Control\Terminal
 * Server key", "...\Terminal Server." The words after the space at s[i]
 * (one to three, each capitalised) belong to the path when what follows
 * them ends it: a stop word, punctuation, the line's end. Returns the
 * index after the last such word, or 0 when the words read as prose
 * ("...\Parameters Windows creates").
 */
static size_t
key_tail(const char *s, size_t i, size_t n)
{
	for (int w = 0; w < 3; w++) {
		if (i >= n || s[i] != ' ' || i + 1 >= n ||
		    !(isupper((unsigned char)s[i + 1]) ||
		      isdigit((unsigned char)s[i + 1])) || stop_word(s + i, n - i))
			return 0;
		i++;
		while (i < n && (is_word((unsigned char)s[i]) || s[i] == '-' ||
		                 (s[i] == '.' && i + 1 < n &&
		                  is_word((unsigned char)s[i + 1]))))
			i++;
		if (i >= n || strchr(".,;:)\"'\r\n", s[i]) != NULL)
			return i;
		if (s[i] == ' ' && (i + 1 >= n || s[i + 1] == ' ' ||
		                    s[i + 1] == '\n' || s[i + 1] == '\r' ||
		                    stop_word(s + i, n - i)))
			return i;
		if (s[i] != ' ')
			return 0;
	}
	return 0;
}

/*
 * Read the path at s[i..] (just after the root) into x->tmp. A segment may
 * hold spaces ("Terminal Server") when another backslash follows on the
 * same line; a path alone on its line runs to the line's end. A path cut
 * at a line end goes on when the next line starts with a backslash.
 */
static size_t
read_path(ex *x, const char *s, size_t i, size_t n, bool alone)
{
	int wraps = 0;
	while (i < n) {
		char c = s[i];
		if (c == '\\' || c == '/') {
			if (x->tmp.len == 0 || x->tmp.data[x->tmp.len - 1] != '\\')
				kbs__buf_putc(&x->tmp, '\\');
			i++;
			continue;
		}
		if (c == '\r' || c == '\n') {
			/* wrapped path: next line starts with a backslash, or
			 * this one ended with one */
			size_t j = i;
			while (j < n && isspace((unsigned char)s[j]) && s[j] != '\0') {
				if (s[j] == '\n' && j > i && s[j - 1] == '\n')
					break;
				j++;
			}
			bool ended = x->tmp.len > 0 &&
			             x->tmp.data[x->tmp.len - 1] == '\\';
			if (wraps < WRAPS_MAX && j < n && (s[j] == '\\' ||
			    (ended && is_word((unsigned char)s[j])))) {
				wraps++;
				i = j;
				continue;
			}
			break;
		}
		if (c == ' ') {
			size_t j = i;
			while (j < n && s[j] == ' ')
				j++;
			if (j < n && (s[j] == '\n' || s[j] == '\r')) {
				i = j;
				continue;
			}
			if (j - i > 1 || stop_word(s + i, n - i) || j >= n)
				break;
			/* another backslash further on this line? */
			size_t k = j;
			bool more = false;
			while (k < n && s[k] != '\n' && k - j < 80) {
				if (s[k] == '\\') {
					more = true;
					break;
				}
				if (s[k] == '"' || s[k] == '\t' ||
				    (s[k] == ' ' && stop_word(s + k, n - k)) ||
				    (s[k] == ' ' && k + 1 < n && s[k + 1] == ' '))
					break;
				k++;
			}
			if (!more && !(alone && (k >= n || s[k] == '\n' ||
			                         s[k] == '\r'))) {
				size_t e = key_tail(s, i, n);
				if (e > 0)
					kbs__buf_append(&x->tmp, s + i, e - i);
				if (e > 0)
					i = e;
				break;
			}
			kbs__buf_putc(&x->tmp, ' ');
			i = j;
			continue;
		}
		if (c == '"' || c == '\'' || c == '<' || c == '>' || c == '|' ||
		    c == '\t' || c == '(' || c == ')' || c == '[' || c == ']' ||
		    c == ',' || c == ';' || c == '\0' ||
		    (c == ':' && (i + 1 >= n || s[i + 1] == ' ' ||
		                  s[i + 1] == '\n')))
			break;
		if (c == '.' && (i + 1 >= n || isspace((unsigned char)s[i + 1])))
			break;
		kbs__buf_putc(&x->tmp, c);
		i++;
	}
	return i;
}

/* Store the path read into x->tmp, without trailing punctuation. */
static void
finish_path(ex *x, const char *abbr)
{
	if (x->tmp.oom) {
		x->rc = KBS_NOMEM;
		return;
	}
	size_t tl = x->tmp.len;
	while (tl > 0 && strchr(".,;:)]\\ ", x->tmp.data[tl - 1]) != NULL)
		tl--;
	if (tl > strlen(abbr) + 1)
		add_registry(x, x->tmp.data, tl);
}

static void
registry_scan(ex *x, const char *s, size_t n)
{
	for (size_t i = 0; i + 3 < n && x->rc == KBS_OK; i++) {
		if (s[i] != 'H' && s[i] != 'h')
			continue;
		if (!word_start(s, i))
			continue;
		size_t r, rl = 0;
		for (r = 0; r < sizeof roots / sizeof roots[0]; r++) {
			rl = strlen(roots[r].name);
			if (i + rl <= n &&
			    (roots[r].ci ? strncasecmp(s + i, roots[r].name, rl)
			                 : strncmp(s + i, roots[r].name, rl)) == 0 &&
			    (i + rl == n || !is_word((unsigned char)s[i + rl])))
				break;
		}
		if (r == sizeof roots / sizeof roots[0])
			continue;
		size_t j = i + rl;
		/* alone on its line: only white space before the root */
		size_t b = i;
		while (b > 0 && (s[b - 1] == ' ' || s[b - 1] == '\t'))
			b--;
		bool alone = b == 0 || s[b - 1] == '\n';
		/* a backslash right after, or on the next line */
		size_t k = j;
		while (k < n && (s[k] == ' ' || s[k] == '\t'))
			k++;
		if (k < n && s[k] == '\r')
			k++;
		if (k < n && s[k] == '\n') {
			k++;
			while (k < n && (s[k] == ' ' || s[k] == '\t'))
				k++;
		} else if (k == j + 1 && k < n && is_word((unsigned char)s[k])) {
			/* "HKEY_LOCAL_MACHINE SYSTEM\CurrentControlSet": a
			 * space for the first backslash; "HKEY_LOCAL_MACHINE
			 * hive" is no path */
			size_t w = k;
			while (w < n && is_word((unsigned char)s[w]))
				w++;
			if (w < n && s[w] == '\\') {
				buf_reset(&x->tmp);
				kbs__buf_puts(&x->tmp, roots[r].abbr);
				kbs__buf_putc(&x->tmp, '\\');
				size_t end = read_path(x, s, k, n, alone);
				finish_path(x, roots[r].abbr);
				i = end > i ? end - 1 : i;
			}
			continue;
		} else if (k != j) {
			continue;
		}
		if (k >= n || (s[k] != '\\' && s[k] != '/'))
			continue;
		buf_reset(&x->tmp);
		kbs__buf_puts(&x->tmp, roots[r].abbr);
		size_t end = read_path(x, s, k, n, alone);
		finish_path(x, roots[r].abbr);
		i = end > i ? end - 1 : i;
	}
}

/* ------------------------------------------------------------------ */
/* Messages                                                            */
/* ------------------------------------------------------------------ */

static bool
contains_ci(const char *s, size_t n, const char *w)
{
	size_t wl = strlen(w);
	for (size_t i = 0; i + wl <= n; i++)
		if (strncasecmp(s + i, w, wl) == 0)
			return true;
	return false;
}

/* Does the paragraph ending at line i introduce an error message? */
static bool
message_intro(const ex *x, size_t i)
{
	static const char *const yes[] = {
		"error", "message", "event", " log", "blue screen", "warning",
		"dialog box", "the following text",
	};
	static const char *const no[] = {
		"command", "type the", "steps", "following line", "registry",
		"example", "syntax", "as follows", "following key",
	};
	const xline *l = &x->lines[i];
	if (l->n == 0 || l->s[l->n - 1] != ':')
		return false;
	bool ok = false;
	for (size_t k = 0; k < 2 && k <= i; k++) {
		const xline *p = &x->lines[i - k];
		if (p->n == 0)
			break;
		for (size_t w = 0; w < sizeof no / sizeof no[0]; w++)
			if (contains_ci(p->s, p->n, no[w]))
				return false;
		for (size_t w = 0; w < sizeof yes / sizeof yes[0]; w++)
			if (contains_ci(p->s, p->n, yes[w]))
				ok = true;
	}
	return ok;
}

static void
add_message(ex *x, const char *m)
{
	kbs_article *a = x->a;
	if (m == NULL ||
	    !is_new(x, KBS__REC_MESSAGE, m, strlen(m), false, a->nmessages))
		return;
	const char **p = KBS__PUSH(&a->arena, a->messages, a->nmessages,
	                           a->capmessages);
	if (p == NULL)
		x->rc = KBS_NOMEM;
	else
		*p = m;
}

/* Not a message: "-or-", numbered steps, "Explanation:" paragraphs,
 * instructions ending with a colon. */
static bool
message_block(const xline *first)
{
	static const char *const labels[] = {
		"-or-", "or", "-and-", "and", "explanation:", "action:", "note:",
		"notes:", "cause:", "resolution:", "workaround:", "for example:",
	};
	const char *s = first->s;
	size_t n = first->n;
	for (size_t k = 0; k < sizeof labels / sizeof labels[0]; k++) {
		size_t kl = strlen(labels[k]);
		if (n >= kl && strncasecmp(s, labels[k], kl) == 0 &&
		    (n == kl || labels[k][kl - 1] == ':'))
			return false;
	}
	if (n > 0 && s[n - 1] == ':' &&
	    (contains_ci(s, n, "the following:") || contains_ci(s, n, "as follows") ||
	     contains_ci(s, n, "following steps")))
		return false;
	size_t i = 0;
	while (i < n && isdigit((unsigned char)s[i]))
		i++;
	if (i > 0 && i < n && (s[i] == '.' || s[i] == ')'))
		return false;
	/* "a. Start Performance Optimizer", "Q234918 XADM: ..." */
	if (n > 2 && isalpha((unsigned char)s[0]) && (s[1] == '.' || s[1] == ')') &&
	    s[2] == ' ')
		return false;
	if (n > 5 && s[0] == 'Q' && isdigit((unsigned char)s[1]))
		return false;
	return true;
}

/* One message per indented block after the introduction. */
static void
messages_scan(ex *x)
{
	for (size_t i = 0; i < x->nlines && x->rc == KBS_OK; i++) {
		if (!message_intro(x, i))
			continue;
		size_t base = x->lines[i].indent;
		if (i > 0 && x->lines[i - 1].n > 0 &&
		    x->lines[i - 1].indent < base)
			base = x->lines[i - 1].indent;
		size_t j = i + 1;
		for (int blocks = 0; blocks < MSG_MAX_BLOCKS; blocks++) {
			while (j < x->nlines && x->lines[j].n == 0)
				j++;
			if (j >= x->nlines || x->lines[j].indent <= base)
				break;
			size_t st = j;
			while (j < x->nlines && x->lines[j].n > 0 &&
			       x->lines[j].indent > base)
				j++;
			if (j - st > MSG_MAX_LINES)
				continue;
			buf_reset(&x->tmp);
			for (size_t k = st; k < j; k++) {
				const char *v;
				xline bl = x->lines[k];
				/* a bulleted message: "- Print Processor is unknown" */
				if (k == st && bl.n > 2 && bl.s[0] == '-' &&
				    bl.s[1] == ' ') {
					append_folded(&x->tmp, bl.s + 2, bl.n - 2);
					kbs__buf_putc(&x->tmp, ' ');
					continue;
				}
				size_t vn;
				enum field f = field_of(&x->lines[k], &v, &vn);
				if (f == F_DESC) {
					append_folded(&x->tmp, v, vn);
				} else if (f == F_NONE) {
					append_folded(&x->tmp, x->lines[k].s,
					              x->lines[k].n);
				} else {
					continue;
				}
				kbs__buf_putc(&x->tmp, ' ');
			}
			if (!message_block(&x->lines[st]))
				continue;
			add_message(x, tmp_dup(x));
		}
		i = j > i ? j - 1 : i;
	}
}

/*
 * Quoted messages in prose, as web pages write them: (indicating "The
 * remote desktop client has provided an invalid license"), "License Server
 * Not Available" errors. A quote on one line of three words or more, with
 * a word such as "error" or "indicating" just before it or "error" just
 * after. Straight and curly (U+201C, U+201D) quotes.
 */
static void
quoted_messages(ex *x, const char *s, size_t n)
{
	static const char *const before[] = {
		"error", "message", "indicating", "reads", "says", "states",
		"warning", "fails with", "failed with", "prompt",
	};
	static const char *const after[] = { "error", "message", "warning" };
	size_t open = 0, qlen = 0;   /* index after the opening quote */
	bool in = false;
	for (size_t i = 0; i < n && x->rc == KBS_OK; i++) {
		size_t ql = 0;
		bool opening = false, closing = false;
		if (s[i] == '"') {
			ql = 1;
			opening = !in;
			closing = in;
		} else if (i + 2 < n && (unsigned char)s[i] == 0xE2 &&
		           (unsigned char)s[i + 1] == 0x80 &&
		           ((unsigned char)s[i + 2] == 0x9C ||
		            (unsigned char)s[i + 2] == 0x9D)) {
			ql = 3;
			opening = (unsigned char)s[i + 2] == 0x9C;
			closing = !opening && in;
		} else if (s[i] == '\n') {
			in = false;
			continue;
		} else {
			continue;
		}
		if (opening) {
			in = true;
			open = i + ql;
			qlen = ql;
		} else if (closing) {
			in = false;
			size_t b = open, e = i, words = 1;
			for (size_t k = b; k < e; k++)
				if (s[k] == ' ' && k + 1 < e && s[k + 1] != ' ')
					words++;
			bool ctx = false;
			size_t cb = open - qlen;
			size_t from = cb > 48 ? cb - 48 : 0;
			for (size_t w = 0; !ctx && w < sizeof before / sizeof *before; w++)
				ctx = contains_ci(s + from, cb - from, before[w]);
			size_t to = i + ql + 20 < n ? i + ql + 20 : n;
			for (size_t w = 0; !ctx && w < sizeof after / sizeof *after; w++)
				ctx = contains_ci(s + i + ql, to - i - ql, after[w]);
			if (ctx && words >= 3 && e - b >= 8 && e - b <= 300 &&
			    isalpha((unsigned char)s[b])) {
				buf_reset(&x->tmp);
				append_folded(&x->tmp, s + b, e - b);
				add_message(x, tmp_dup(x));
			}
		}
		i += ql - 1;
	}
}

/* ------------------------------------------------------------------ */

static void
scan_chunk(ex *x, const char *s, size_t n)
{
	if (s == NULL || n == 0 || !split_lines(x, s, n))
		return;
	event_blocks(x);
	messages_scan(x);
	kbs__extract_files(x);
	registry_scan(x, s, n);
	codes_scan(x, s, n);
	refs_scan(x, s, n);
}

kbs_status
kbs__extract(kbs_article *a)
{
	ex x;
	memset(&x, 0, sizeof x);
	x.a = a;

	if (a->nsections > 0) {
		for (size_t i = 0; i < a->nsections && x.rc == KBS_OK; i++) {
			const kbs_section *sec = &a->sections[i];
			if (sec->text != NULL)
				scan_chunk(&x, sec->text, strlen(sec->text));
		}
	} else {
		const char *t = a->body != NULL ? a->body : a->text;
		if (t != NULL)
			scan_chunk(&x, t, strlen(t));
	}
	/* prose mentions after the blocks, so that a block's source wins */
	if (x.rc == KBS_OK && a->title != NULL) {
		event_mentions(&x, a->title, strlen(a->title));
		codes_scan(&x, a->title, strlen(a->title));
	}
	if (a->nsections > 0) {
		for (size_t i = 0; i < a->nsections && x.rc == KBS_OK; i++) {
			const kbs_section *sec = &a->sections[i];
			if (sec->heading != NULL)
				event_mentions(&x, sec->heading,
				               strlen(sec->heading));
			if (sec->text != NULL)
				event_mentions(&x, sec->text, strlen(sec->text));
		}
	} else if (x.rc == KBS_OK) {
		const char *t = a->body != NULL ? a->body : a->text;
		if (t != NULL)
			event_mentions(&x, t, strlen(t));
	}

	/* web text quotes its messages inline rather than indenting them */
	if (a->format != NULL && (strcmp(a->format, "plain") == 0 ||
	                          strcmp(a->format, "md") == 0 ||
	                          strcmp(a->format, "html") == 0)) {
		for (size_t i = 0; i < a->nsections && x.rc == KBS_OK; i++)
			if (a->sections[i].text != NULL)
				quoted_messages(&x, a->sections[i].text,
				                strlen(a->sections[i].text));
		if (a->nsections == 0 && x.rc == KBS_OK) {
			const char *t = a->body != NULL ? a->body : a->text;
			if (t != NULL)
				quoted_messages(&x, t, strlen(t));
		}
	}
	if (x.rc == KBS_OK && a->nmessages > 0) {
		buf_reset(&x.tmp);
		for (size_t i = 0; i < a->nmessages; i++) {
			if (i > 0)
				kbs__buf_putc(&x.tmp, '\n');
			kbs__buf_puts(&x.tmp, a->messages[i]);
		}
		if (x.tmp.oom)
			x.rc = KBS_NOMEM;
		else
			a->messages_text = dup(&x, x.tmp.data, x.tmp.len);
	}
	free(x.lines);
	kbs__buf_free(&x.tmp);
	return x.rc;
}
