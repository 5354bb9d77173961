/*
 * search.c - ranking articles against a pasted error.
 *
 * A search runs in four steps:
 *
 *  1. Paste analysis (paste.c) splits the paste into what identifies the
 *     problem (event ID and source, error codes, file names, KB ids, the
 *     message) and what varies (dates, computer names), which is dropped.
 *  2. The message is tokenized with the index's own tokenizer. Stop words
 *     and words the index does not hold are left out; of the rest at most
 *     MAX_TERMS, the ones with the highest IDF, are the scoring terms T,
 *     quoted, so no paste can be read as FTS5 syntax. The rarest of them
 *     and the message's segments as phrases make the candidate generator
 *     G (GEN_POSTINGS below).
 *  3. One FTS5 query, "(G) AND (T)", visits G's articles only; for each
 *     kbs_score() (rank.c) computes its weighted BM25 over T and its
 *     phrase share, proven by the segments it matched or measured from
 *     the positions of T's words for the promising rows. Exact-field
 *     lookups add the articles that name the paste's event, codes, files
 *     and KB ids, matched or not by words.
 *  4. The evidence is combined into one score (score_of() below) and the
 *     best hits are loaded with their title, path, products and snippet.
 *
 * Two rewrites widen step 2. A word the index does not hold, of 5 letters
 * or more, is replaced by the indexed word one edit away (Damerau-
 * Levenshtein distance 1) that most articles hold, and so is a word held
 * by at most TYPO_RARE_DF articles when that neighbour is TYPO_GAIN times
 * as common; only such words pay for the lookup. And a paste naming a product by one of its names
 * (alias.c) gets variants naming it by the others: their words join the
 * BM25 query and each variant gets its own phrase plan, the best of which
 * counts, so "remote desktop client" matches "terminal service client" as
 * a phrase.
 */
#include "query.h"
#include "paste.h"

#include <assert.h>
#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* Longest FTS5 query: more terms make every search slower and add little
 * once the rarest words are in (a 1 MB paste has thousands of words). */
#define MAX_TERMS 24

/* Words marked in snippets: the rarest of the query. */
#define SNIPPET_TERMS 8

/* A paste's message is searched in its first MESSAGE_MAX bytes, and at
 * most MAX_DISTINCT distinct words of it and its alias variants are looked
 * up in the vocabulary: a megabyte of log is not a query, and its
 * identifiers (event ID, codes, files, KB ids) come from the paste
 * analysis of the whole paste anyway. TERM_SLOTS is the term hash size, a
 * power of two above twice MAX_DISTINCT. */
#define MESSAGE_MAX 8192
#define MAX_DISTINCT 400
#define TERM_SLOTS 2048

/* Tokens of a phrase plan, and the weight floor of a word in the phrase
 * share (IDF of common words is near 0). */
#define MAX_PLAN_TOKENS 256
#define MIN_PHRASE_WEIGHT 0.5

/* Candidates whose phrase share is measured beyond those holding a
 * segment of the message: the PHRASE_HEAP best by BM25 as the rows come
 * (kbs_score() in rank.c). */
#define PHRASE_HEAP 64

/* A measured phrase share counts UNVERIFIED times its value: the plan
 * holds content words only, so the stop words between them are not
 * checked, where a segment matched by an FTS5 phrase query is checked
 * word for word. On the dev queries over the corpus and its distractors
 * (near-misses with a third of their words swapped), 1.0 gives MRR@10
 * 0.922, 0.85 gives 0.956, 0.7 gives 0.953. */
#define UNVERIFIED 0.85

/*
 * The candidate generator G (rare-term-first). Only articles that match G
 * are scored; the other query words are read for those articles only, by
 * seeking their posting lists to the candidates, so a search costs about
 * the postings of its rare words, not those of its common ones (a query
 * that scored every article holding "windows", "file" or "help" scored
 * most of the archive). This is MaxScore's split of the query terms into
 * essential and non-essential lists (Turtle and Flood, "Query evaluation:
 * strategies and optimizations", IP&M 31(6), 1995): terms in increasing
 * document frequency join G while their postings together stay within
 * GEN_POSTINGS; an article holding none of them would have to win on
 * common words alone (or on four of them close together: add_windows()
 * below). The rarest word joins even beyond the budget, since every
 * article that holds the whole message holds it, unless a segment of the
 * message (the one with the rarest words) can stand in for it: an article holding the whole
 * message holds that too, and a phrase of common words matches tens of
 * articles where its rarest word matches thousands (dev queries over the
 * 57k index: median 5.2 -> 3.9 ms, p99 34 -> 18; MRR@10 on the archive
 * 0.940 -> 0.957, fewer near-misses holding the common words). Unlike
 * MaxScore the cut is not made safe by score bounds;
 * phrases widen it instead: each segment of the message (a line or
 * sentence, split at words the index lacks, cut after SEGMENT_TOKENS
 * tokens) whose rarest word is in at most SEG_DF articles is also in G
 * as an FTS5 phrase query, heaviest first within SEG_POSTINGS, so an
 * article holding that part of the message word for word is a candidate
 * and gets at least its phrase share without its positions being read.
 * FTS5 evaluates a phrase from its words' posting lists in step, which
 * is cheap when one of them is short and costly for phrases of common
 * words only, hence SEG_DF.
 */
#define GEN_POSTINGS 300
#define SEG_POSTINGS 1000
#define SEG_DF 1000
#define GEN_SEGMENTS 16
#define SEGMENT_TOKENS 12
#define NEAR_WORDS 4
#define MAX_WINDOWS 8
#define MAX_WINDOW_CANDS 64
/* The windows cost a third of a search (FTS5 steps through the posting
 * lists of four common words in lockstep), so they are searched only when
 * the first generator found no article holding at least WINDOWS_BELOW of
 * the message as a phrase: on the fragment and dialog dev queries over
 * the archive, 0.5 to 0.7 rank as "always" does (MRR@10 0.889; never:
 * 0.804) at three quarters of the time. */
#define WINDOWS_BELOW 0.6
#define MAX_GEN (MAX_TERMS + 2 * GEN_SEGMENTS + NEAR_WORDS * MAX_WINDOWS)

/* Alias variants of a paste beyond the paste itself, at most
 * VARIANTS_PER_NAME per name found, and the content words they may add to
 * the BM25 query. */
#define MAX_VARIANTS 6
#define VARIANTS_PER_NAME 3
#define MAX_ALIAS_TERMS 8

/* Spelling correction: unknown or rare words at most this many per
 * paste, of at least TYPO_MIN_LETTERS letters. */
#define MAX_TYPOS 4
#define TYPO_MIN_LETTERS 5

/* A word the index holds is a typo candidate too when at most
 * TYPO_RARE_DF articles hold it: a misspelling that made it into one
 * article once. It is corrected when a neighbour one edit away is in at
 * least TYPO_GAIN times as many articles. */
#define TYPO_RARE_DF 2
#define TYPO_GAIN 100

/*
 * BM25 column weights, in article_fts column order: title, symptoms,
 * cause, resolution, body, keywords, messages. Titles and the quoted error
 * messages say what an article is about; symptoms describe what the user
 * sees, which is what gets pasted. Cause and resolution use other words.
 */
static const double column_weight[7] = { 4.0, 2.0, 1.0, 1.0, 1.0, 1.0, 3.0 };

/*
 * How the evidence adds up. The phrase share (0..1) dominates because the
 * article that answers a paste holds its message as written, while
 * near-misses hold the same words scattered or partly replaced. BM25 is
 * normalised by the best BM25 of the query (0..1) so that the weights do
 * not depend on the paste's length; it mostly breaks ties between equal
 * phrase shares (on the dev queries, BM25 weights of 0.5 to 1 give the
 * same ranking, 2 and above let short near-misses holding the words
 * scattered overtake long articles holding the message). Exact fields are strong evidence but
 * an event ID alone is shared by many articles, hence the split between
 * ID-only and ID-with-source.
 */
#define W_PHRASE     10.0
#define W_BM25        1.0
#define W_EVENT_SRC   6.0   /* event ID and event source both match */
#define W_EVENT_ID    2.5   /* event ID matches; source unknown or other */
#define W_CODE        4.0   /* per matching error code, at most two */
#define W_FILE        2.0   /* per matching file name, at most two */
#define W_KBID       30.0   /* the paste names the article itself */

/* Words too common in support text to identify anything. Matched on the
 * lower-cased surface form; "not" and "no" stay, they change meaning. */
static const char *const stop_words[] = {
	"a", "an", "and", "are", "as", "at", "be", "been", "but", "by",
	"can", "could", "did", "do", "does", "for", "from", "had", "has",
	"have", "he", "her", "his", "i", "if", "in", "into", "is", "it",
	"its", "me", "my", "of", "on", "or", "our", "she", "so", "than",
	"that", "the", "their", "them", "then", "there", "these", "they",
	"this", "those", "to", "was", "we", "were", "what", "when", "which",
	"while", "who", "will", "with", "would", "you", "your",
};

static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static bool
is_stop_word(const char *s, size_t n)
{
	char w[8];
	if (n >= sizeof w)
		return false;
	for (size_t i = 0; i < n; i++)
		w[i] = (char)tolower((unsigned char)s[i]);
	w[n] = '\0';
	const char *key = w;
	return bsearch(&key, stop_words, sizeof stop_words / sizeof *stop_words,
	               sizeof *stop_words, cmp_str) != NULL;
}

/* One distinct query term. */
typedef struct term {
	const char *key;        /* tokenizer output for the pasted word */
	const char *stem;       /* the indexed term: key, or its correction */
	const char *surface;    /* first surface form in the paste, or a
	                           form that tokenizes to the correction */
	const char *typo;       /* the pasted word when corrected, else NULL */
	bool alias;             /* only in alias variants, not the paste */
	long long df;           /* articles holding it */
	double idf;
	bool stop;              /* a stop word: phrase evidence only */
	int phrase;             /* phrase index in T, or -1 */
	bool gen;               /* one of G's terms */
} term;

/* A candidate generator: an FTS5 query and, per phrase of it, what a
 * row holding that phrase proves (kbs__score_job). */
typedef struct gen {
	kbs__buf q;
	int n;                  /* phrases */
	double share[MAX_GEN];
	int via[MAX_GEN];
} gen;

/* One candidate article. */
typedef struct cand {
	sqlite3_int64 id;
	double bm25;            /* -bm25(): higher is better */
	double phrase;          /* kbs_phrase() share, 0..1 */
	bool fts;               /* matched the FTS5 query */
	bool event_id, event_src;
	int codes, files;
	bool kb_id;
	int via;                /* phrase from variant via-1; 0: the paste */
	int col;                /* column of the phrase, or -1 */
	double score;
} cand;

/* The paste with a product named by another name of its alias group. */
typedef struct variant {
	const char *label;      /* the other name */
	char *text;             /* heap */
	kbs__tokens toks;
	int *tok_term;
	kbs__plan plan;
} variant;

typedef struct search {
	kbs_db *db;
	kbs_results *res;
	size_t offset;          /* kbs_search_options.offset: hits skipped */
	kbs__paste paste;
	kbs__tokens toks;
	term *terms;  size_t nterms, capterms;
	size_t term_hash[TERM_SLOTS]; /* term index + 1 by key, 0 = empty */
	size_t msg_cut;         /* bytes of the message not searched */
	const char *paste_msg;  /* the part of the message searched */
	int *tok_term;          /* term index of each token, or -1 */
	kbs__plan plan;
	kbs__buf query;         /* the FTS5 query for BM25: content words */
	kbs__buf squery;        /* the rarest words, for snippets */
	gen g[2];               /* G: rare terms and segments; then the
	                           NEAR windows, searched when G's best
	                           phrase share is below WINDOWS_BELOW */
	variant var[MAX_VARIANTS];
	size_t nvar;
	cand *cands;  size_t ncands, capcands;
	size_t *slots;          /* hash: article id -> cand index + 1 */
	size_t nslots;
	long long narticles;
	long long max_id;       /* largest article id */
} search;

/* ------------------------------------------------------------------ */
/* Candidates                                                          */
/* ------------------------------------------------------------------ */

static size_t
slot_of(const search *s, sqlite3_int64 id)
{
	size_t h = (size_t)((unsigned long long)id * 0x9E3779B97F4A7C15ull) &
	           (s->nslots - 1);
	while (s->slots[h] != 0 && s->cands[s->slots[h] - 1].id != id)
		h = (h + 1) & (s->nslots - 1);
	return h;
}

static kbs_status
rehash(search *s, size_t nslots)
{
	size_t *n = calloc(nslots, sizeof *n);
	if (n == NULL)
		return KBS_NOMEM;
	free(s->slots);
	s->slots = n;
	s->nslots = nslots;
	for (size_t i = 0; i < s->ncands; i++)
		s->slots[slot_of(s, s->cands[i].id)] = i + 1;
	return KBS_OK;
}

/* The candidate for article id, added if new; NULL when out of memory. */
static cand *
cand_get(search *s, sqlite3_int64 id)
{
	if ((s->ncands + 1) * 2 > s->nslots &&
	    rehash(s, s->nslots ? s->nslots * 2 : 256) != KBS_OK)
		return NULL;
	size_t h = slot_of(s, id);
	if (s->slots[h] != 0)
		return &s->cands[s->slots[h] - 1];
	if (s->ncands == s->capcands) {
		size_t ncap = s->capcands ? s->capcands * 2 : 256;
		cand *n = realloc(s->cands, ncap * sizeof *n);
		if (n == NULL)
			return NULL;
		s->cands = n;
		s->capcands = ncap;
	}
	cand *c = &s->cands[s->ncands++];
	memset(c, 0, sizeof *c);
	c->id = id;
	c->col = -1;
	s->slots[h] = s->ncands;
	return c;
}

/* ------------------------------------------------------------------ */
/* Terms and the FTS5 query                                            */
/* ------------------------------------------------------------------ */

static int
cmp_idf_desc(const void *a, const void *b)
{
	const term *x = *(term *const *)a, *y = *(term *const *)b;
	if (x->idf != y->idf)
		return x->idf < y->idf ? 1 : -1;
	return strcmp(x->stem, y->stem);
}

/* Append a quoted FTS5 string to an OR-query ("" escapes a quote), so
 * that no word of a paste is read as FTS5 syntax. */
static void
append_term(kbs__buf *q, const char *surface)
{
	if (q->len > 0)
		kbs__buf_puts(q, " OR ");
	kbs__buf_putc(q, '"');
	for (const char *p = surface; *p; p++) {
		if (*p == '"')
			kbs__buf_putc(q, '"');
		kbs__buf_putc(q, *p);
	}
	kbs__buf_putc(q, '"');
}

/* BM25's IDF with the +1 that keeps it positive for words in more than
 * half the articles (as Lucene). */
static double
idf_of(const search *s, long long df)
{
	double N = (double)s->narticles;
	return log((N - (double)df + 0.5) / ((double)df + 0.5) + 1.0);
}

/* Find key's slot in the term hash (FNV-1a, linear probing). */
static size_t
term_slot(const search *s, const char *key)
{
	uint32_t h = 2166136261u;
	for (const unsigned char *p = (const unsigned char *)key; *p; p++)
		h = (h ^ *p) * 16777619u;
	size_t i = h & (TERM_SLOTS - 1);
	while (s->term_hash[i] != 0 &&
	       strcmp(s->terms[s->term_hash[i] - 1].key, key) != 0)
		i = (i + 1) & (TERM_SLOTS - 1);
	return i;
}

/*
 * The number of articles holding the word w (one token of a paste, as
 * pasted), read from its posting list through probe ("SELECT rowid FROM
 * article_fts WHERE article_fts MATCH ?1"), at most DF_PROBE entries of
 * it. A longer list is extrapolated from where its DF_PROBE-th entry
 * lies in the range of article ids: DF_PROBE * max_id / that id.
 * article_vocab gives exact counts, but counts by reading the whole
 * posting list, positions included; for "windows" that costs more than
 * the rest of the search. An IDF needs no more precision than this for
 * words too common to choose candidates.
 */
#define DF_PROBE 64

static long long
term_df(search *s, sqlite3_stmt *probe, const char *w, size_t wl)
{
	char q[256];
	size_t n = 0;
	long long df = 0;
	sqlite3_int64 last = 0;

	q[n++] = '"';
	for (size_t i = 0; i < wl && n + 3 < sizeof q; i++) {
		if (w[i] == '"')
			q[n++] = '"';
		q[n++] = w[i];
	}
	q[n++] = '"';
	sqlite3_bind_text(probe, 1, q, (int)n, SQLITE_STATIC);
	while (df < DF_PROBE && sqlite3_step(probe) == SQLITE_ROW) {
		last = sqlite3_column_int64(probe, 0);
		df++;
	}
	sqlite3_reset(probe);
	if (df == DF_PROBE && last > 0 && s->max_id > last) {
		double est = (double)DF_PROBE * (double)s->max_id / (double)last;
		df = est < (double)s->narticles ? (long long)est : s->narticles;
	}
	return df;
}

/* Map the tokens of text to terms, adding the new ones with their
 * document frequency (term_df(); stop words are taken to be in every
 * article and not looked up). At most MAX_DISTINCT terms are looked up;
 * the words beyond are not searched. */
static kbs_status
collect_terms(search *s, const char *text, const kbs__tokens *toks,
              int *tok_term, bool alias, sqlite3_stmt *df)
{
	for (size_t i = 0; i < toks->n; i++) {
		const kbs__token *t = &toks->v[i];
		size_t slot = term_slot(s, t->stem);
		size_t j = s->term_hash[slot] != 0 ? s->term_hash[slot] - 1
		                                   : s->nterms;
		tok_term[i] = -1;
		if (j == s->nterms) {
			if (s->nterms >= MAX_DISTINCT)
				continue;
			term *n = KBS__PUSH(&s->res->arena, s->terms, s->nterms,
			                    s->capterms);
			if (n == NULL)
				return KBS_NOMEM;
			n->key = n->stem = kbs__arena_strdup(&s->res->arena,
			                                     t->stem);
			n->surface = kbs__arena_strndup(&s->res->arena,
			    text + t->start, t->end - t->start);
			if (n->key == NULL || n->surface == NULL)
				return KBS_NOMEM;
			n->alias = alias;
			n->phrase = -1;
			n->stop = is_stop_word(text + t->start, t->end - t->start);
			n->df = n->stop ? s->narticles
			        : term_df(s, df, text + t->start,
			                  t->end - t->start);
			n->idf = idf_of(s, n->df);
			s->term_hash[slot] = s->nterms;
		}
		tok_term[i] = (int)j;
	}
	return KBS_OK;
}

/* ------------------------------------------------------------------ */
/* Spelling                                                            */
/* ------------------------------------------------------------------ */

/* Are a and b one edit apart: one letter deleted, inserted or replaced,
 * or two neighbours swapped (Damerau-Levenshtein distance 1)? */
static bool
one_edit(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b), i = 0;
	if (la > lb + 1 || lb > la + 1)
		return false;
	while (i < la && i < lb && a[i] == b[i])
		i++;
	if (la == lb) {
		if (i == la)
			return false;             /* equal */
		if (strcmp(a + i + 1, b + i + 1) == 0)
			return true;              /* replaced */
		return i + 1 < la && a[i] == b[i + 1] && a[i + 1] == b[i] &&
		       strcmp(a + i + 2, b + i + 2) == 0;   /* swapped */
	}
	if (la > lb)
		return strcmp(a + i + 1, b + i) == 0;     /* deleted */
	return strcmp(a + i, b + i + 1) == 0;             /* inserted */
}

/* A word that the tokenizer turns into exactly stem, for the FTS5 query
 * (Porter stems do not always stem to themselves: "licens" is the stem
 * of "license" but tokenizes to "licen"). NULL when none is found. */
static const char *
surface_for(search *s, const char *stem)
{
	static const char *const ends[] = { "", "e", "s", "ing", "y" };
	char buf[128];
	for (size_t e = 0; e < sizeof ends / sizeof *ends; e++) {
		kbs__tokens t = {0};
		int n = snprintf(buf, sizeof buf, "%s%s", stem, ends[e]);
		if (n < 0 || (size_t)n >= sizeof buf)
			return NULL;
		bool ok = kbs__tokenize(&t, s->db, buf, (size_t)n) == KBS_OK &&
		          t.n == 1 && strcmp(t.v[0].stem, stem) == 0;
		kbs__arena_free(&t.arena);
		if (ok)
			return kbs__arena_strdup(&s->res->arena, buf);
	}
	return NULL;
}

static bool
typo_candidate(const term *t)
{
	size_t letters = 0;
	if (t->df > TYPO_RARE_DF || t->stop || t->alias)
		return false;
	for (const char *p = t->surface; *p; p++) {
		if (!isalpha((unsigned char)*p))
			return false;
		letters++;
	}
	return letters >= TYPO_MIN_LETTERS && strlen(t->key) >= 4 &&
	       strlen(t->key) < 64;
}

/* Consider the indexed term cand (held by df articles) for t. */
static void
consider(const term *t, const char *cand, long long df, char *best,
         size_t bestsz, long long *bestdf)
{
	if (df > *bestdf && one_edit(t->key, cand)) {
		snprintf(best, bestsz, "%s", cand);
		*bestdf = df;
	}
}

/*
 * Replace each unknown word of the paste by the indexed term one edit
 * away that most articles hold. Terms sharing the word's first two
 * letters come from one range scan of the vocabulary; edits within the
 * first two letters are generated and looked up one by one.
 */
static kbs_status
correct_typos(search *s, sqlite3_stmt *df)
{
	sqlite3_stmt *range = NULL;
	kbs_status rc = KBS_OK;
	int done = 0;

	for (size_t i = 0; rc == KBS_OK && i < s->nterms && done < MAX_TYPOS;
	     i++) {
		term *t = &s->terms[i];
		if (!typo_candidate(t))
			continue;
		done++;
		if (range == NULL &&
		    sqlite3_prepare_v2(s->db->sqlite, "SELECT term, doc FROM "
		        "article_vocab WHERE term >= ?1 AND term < ?2", -1,
		        &range, NULL) != SQLITE_OK)
			return kbs__db_sqlite_error(s->db, "reading the "
			                            "vocabulary");
		const char *k = t->key;
		size_t kl = strlen(k);
		char best[128] = "", lo[3] = { k[0], k[1], 0 }, hi[3];
		long long bestdf = 0;
		memcpy(hi, lo, sizeof hi);
		hi[1]++;
		sqlite3_bind_text(range, 1, lo, -1, SQLITE_STATIC);
		sqlite3_bind_text(range, 2, hi, -1, SQLITE_STATIC);
		while (sqlite3_step(range) == SQLITE_ROW)
			consider(t, (const char *)sqlite3_column_text(range, 0),
			         sqlite3_column_int64(range, 1), best,
			         sizeof best, &bestdf);
		sqlite3_reset(range);
		/* edits at positions 0 and 1 */
		char c[130];
		for (size_t pos = 0; pos < 2; pos++) {
			for (int ch = 'a' - 1; ch <= 'z'; ch++) {
				for (int kind = 0; kind < 3; kind++) {
					if (kind == 0 && ch >= 'a')
						continue; /* deletion once */
					if (kind > 0 && ch < 'a')
						continue;
					if (kind == 0) {          /* delete */
						memcpy(c, k, pos);
						strcpy(c + pos, k + pos + 1);
					} else if (kind == 1) {   /* replace */
						strcpy(c, k);
						c[pos] = (char)ch;
					} else {                  /* insert */
						memcpy(c, k, pos);
						c[pos] = (char)ch;
						strcpy(c + pos + 1, k + pos);
					}
					if (strcmp(c, k) == 0)
						continue;
					sqlite3_bind_text(df, 1, c, -1,
					                  SQLITE_STATIC);
					if (sqlite3_step(df) == SQLITE_ROW)
						consider(t, c,
						    sqlite3_column_int64(df, 0),
						    best, sizeof best, &bestdf);
					sqlite3_reset(df);
				}
			}
			if (pos + 1 < kl) {                   /* swap */
				strcpy(c, k);
				c[pos] = k[pos + 1];
				c[pos + 1] = k[pos];
				sqlite3_bind_text(df, 1, c, -1, SQLITE_STATIC);
				if (sqlite3_step(df) == SQLITE_ROW)
					consider(t, c, sqlite3_column_int64(df, 0),
					         best, sizeof best, &bestdf);
				sqlite3_reset(df);
			}
		}
		/* a word the archive holds is corrected only when a
		 * neighbour is TYPO_GAIN times as common ("floder", held by
		 * one article, is "folder", held by 6,965) */
		if (bestdf == 0 || (t->df > 0 && bestdf < TYPO_GAIN * t->df))
			continue;
		const char *surface = surface_for(s, best);
		const char *stem = kbs__arena_strdup(&s->res->arena, best);
		if (surface == NULL || stem == NULL)
			continue;
		t->typo = t->surface;
		t->surface = surface;
		t->stem = stem;
		t->df = bestdf;
		t->idf = idf_of(s, bestdf);
	}
	sqlite3_finalize(range);
	return rc;
}

/* ------------------------------------------------------------------ */
/* Alias variants                                                      */
/* ------------------------------------------------------------------ */

static bool
same_stems(const kbs__alias_name *a, const kbs__alias_name *b)
{
	if (a->nstems != b->nstems)
		return false;
	for (size_t i = 0; i < a->nstems; i++)
		if (strcmp(a->stems[i], b->stems[i]) != 0)
			return false;
	return true;
}

/* Variants of the message for the product names found in it. */
static kbs_status
make_variants(search *s, const char *msg)
{
	const kbs__aliases *al = NULL;
	kbs_status rc = kbs__aliases_get(&al, s->db);
	if (rc != KBS_OK || s->toks.n == 0)
		return rc;
	const char **stems = malloc(s->toks.n * sizeof *stems);
	if (stems == NULL)
		return KBS_NOMEM;
	for (size_t i = 0; i < s->toks.n; i++)
		stems[i] = s->tok_term[i] >= 0
		           ? s->terms[s->tok_term[i]].stem : s->toks.v[i].stem;
	for (size_t i = 0; rc == KBS_OK && i < s->toks.n &&
	                   s->nvar < MAX_VARIANTS; ) {
		const kbs__alias_name *nm = kbs__alias_match(al,
		    (const char *const *)stems, s->toks.n, i);
		if (nm == NULL) {
			i++;
			continue;
		}
		const kbs__alias_name *first;
		size_t n = kbs__alias_group(al, nm, &first), made = 0;
		size_t a = s->toks.v[i].start;
		size_t b = s->toks.v[i + nm->nstems - 1].end;
		for (size_t m = 0; m < n && made < VARIANTS_PER_NAME &&
		                   s->nvar < MAX_VARIANTS; m++) {
			const kbs__alias_name *o = &first[m];
			bool dup = same_stems(o, nm);
			for (size_t e = 0; !dup && e < m; e++)
				dup = same_stems(o, &first[e]) &&
				      !same_stems(&first[e], nm);
			if (dup)
				continue;
			kbs__buf v = {0};
			kbs__buf_append(&v, msg, a);
			kbs__buf_puts(&v, o->text);
			kbs__buf_puts(&v, msg + b);
			if (v.oom) {
				kbs__buf_free(&v);
				rc = KBS_NOMEM;
				break;
			}
			variant *var = &s->var[s->nvar++];
			var->label = o->text;
			var->text = v.data;
			made++;
		}
		i += nm->nstems;
	}
	free(stems);
	return rc;
}

/* The phrase plan of a tokenized text: its kept tokens in order, grouped
 * by phrase for kbs_phrase(). A word's weight is its IDF with a floor,
 * so that stop words count a little: "there is not enough memory"
 * should beat "there restart not enough memory". */
static kbs_status
build_plan(search *s, const kbs__tokens *toks, const int *tok_term,
           kbs__plan *pl, int nphr)
{
	size_t i;
	pl->nphrases = nphr;
	pl->first = calloc((size_t)nphr + 1, sizeof *pl->first);
	pl->occ = malloc((toks->n + 1) * sizeof *pl->occ);
	pl->weight = malloc((toks->n + 1) * sizeof *pl->weight);
	pl->tokw = calloc(toks->n + 1, sizeof *pl->tokw);
	int *fill = calloc((size_t)nphr + 1, sizeof *fill);
	if (pl->first == NULL || pl->occ == NULL || pl->weight == NULL ||
	    pl->tokw == NULL || fill == NULL) {
		free(fill);
		return KBS_NOMEM;
	}
	/* the first MAX_PLAN_TOKENS kept tokens: a message is shorter, and
	 * the phrase measure costs tokens times their occurrences */
	size_t lim = 0, kept = 0;
	while (lim < toks->n && kept < MAX_PLAN_TOKENS) {
		int t = tok_term[lim++];
		if (t >= 0 && s->terms[t].phrase >= 0)
			kept++;
	}
	for (i = 0; i < lim; i++) {
		int t = tok_term[i];
		if (t >= 0 && s->terms[t].phrase >= 0)
			pl->first[s->terms[t].phrase + 1]++;
	}
	for (i = 0; i < (size_t)nphr; i++)
		pl->first[i + 1] += pl->first[i];
	for (i = 0; i < lim; i++) {
		int t = tok_term[i];
		if (t < 0 || s->terms[t].phrase < 0)
			continue;
		int ph = s->terms[t].phrase;
		kbs__occ *o = &pl->occ[pl->first[ph] + fill[ph]++];
		double w = s->terms[t].idf;
		if (w < MIN_PHRASE_WEIGHT)
			w = MIN_PHRASE_WEIGHT;
		o->pos = toks->v[i].pos;
		o->k = pl->nkept;
		pl->tokw[i] = w;
		pl->weight[pl->nkept++] = w;
		pl->total += w;
	}
	free(fill);
	return KBS_OK;
}

static void
free_plan(kbs__plan *pl)
{
	free(pl->first);
	free(pl->occ);
	free(pl->weight);
	free(pl->tokw);
}

/* Words that mark the lines of a log that say what went wrong. Called
 * once per word of a megabyte paste: the length is compared first. */
static bool
error_word(const char *w, size_t n)
{
	static const struct { const char *s; size_t n; } cues[] = {
#define CUE(x) { x, sizeof x - 1 }
		CUE("error"), CUE("failed"), CUE("failure"), CUE("fails"),
		CUE("cannot"), CUE("unable"), CUE("denied"), CUE("exception"),
		CUE("fatal"), CUE("invalid"), CUE("stop"), CUE("warning"),
		CUE("critical"), CUE("crash"), CUE("abort"), CUE("violation"),
		CUE("corrupt"),
#undef CUE
	};
	if (n < 4 || n > 9)
		return false;
	for (size_t i = 0; i < sizeof cues / sizeof *cues; i++)
		if (n == cues[i].n && strncasecmp(w, cues[i].s, n) == 0)
			return true;
	return false;
}

/* Where the MESSAGE_MAX bytes of msg[0..len) with the most error words
 * start: a long paste (a log, a dump) is searched by its most
 * informative part. Blocks of 1 KB are scored in one pass, then the run
 * of blocks with the highest sum wins, the earliest on ties. */
static size_t
informative_window(const char *msg, size_t len)
{
	enum { BLOCK = 1024, WINDOW = MESSAGE_MAX / BLOCK };
	size_t nblocks = (len + BLOCK - 1) / BLOCK;
	unsigned *score = calloc(nblocks, sizeof *score);
	if (score == NULL)
		return 0;
	for (size_t i = 0; i < len; ) {
		if (!isalpha((unsigned char)msg[i])) {
			i++;
			continue;
		}
		size_t j = i;
		while (j < len && isalpha((unsigned char)msg[j]))
			j++;
		if (error_word(msg + i, j - i))
			score[i / BLOCK]++;
		i = j;
	}
	size_t best = 0;
	unsigned sum = 0, bestsum = 0;
	for (size_t b = 0; b < nblocks; b++) {
		sum += score[b];
		if (b >= WINDOW)
			sum -= score[b - WINDOW];
		size_t first = b + 1 >= WINDOW ? b + 1 - WINDOW : 0;
		if (sum > bestsum) {
			bestsum = sum;
			best = first;
		}
	}
	free(score);
	return best * BLOCK;
}

/* One segment of a text as a candidate phrase. */
typedef struct segment {
	size_t a, b;            /* tokens a..b-1 */
	double share;           /* its phrase share */
	int via;                /* its plan: 0 the paste, v+1 variant v */
	const char *text;
	const kbs__tokens *toks;
	const int *tok_term;
} segment;

static int
cmp_seg_desc(const void *a, const void *b)
{
	const segment *x = a, *y = b;
	if (x->share != y->share)
		return x->share < y->share ? 1 : -1;
	return x->via != y->via ? x->via - y->via : (int)x->a - (int)y->a;
}

/* Does the text between two tokens end a segment: a line break, or a
 * sentence mark followed by a blank? */
static bool
segment_break(const char *gap, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (gap[i] == '\n' || gap[i] == '\r')
			return true;
		if (gap[i] != '\0' && strchr(".!?;:", gap[i]) != NULL &&
		    (i + 1 == n || isspace((unsigned char)gap[i + 1])))
			return true;
	}
	return false;
}

/* Add the segments of a tokenized text to segs (at most cap). */
static size_t
find_segments(const search *s, const char *text, const kbs__tokens *toks,
              const int *tok_term, const kbs__plan *pl, int via,
              segment *segs, size_t n, size_t cap)
{
	size_t a = 0;
	for (size_t i = 0; i <= toks->n && n < cap; i++) {
		bool end = i == toks->n || i - a >= SEGMENT_TOKENS;
		bool skip = false;
		if (!end && (tok_term[i] < 0 || s->terms[tok_term[i]].df <= 0))
			end = skip = true;
		if (!end && i > a)
			end = segment_break(text + toks->v[i - 1].end,
			                    toks->v[i].start - toks->v[i - 1].end);
		if (!end)
			continue;
		if (i - a >= 2 && pl->total > 0) {
			segment *g = &segs[n];
			bool content = false;
			*g = (segment){ a, i, 0, via, text, toks, tok_term };
			for (size_t k = a; k < i; k++) {
				g->share += pl->tokw[k];
				content |= !s->terms[tok_term[k]].stop;
			}
			g->share /= pl->total;
			if (content)
				n++;
		}
		a = skip ? i + 1 : i;
	}
	return n;
}

/* Append segment g to G as one FTS5 phrase: its words as pasted, or as
 * corrected, quoted. */
static void
append_segment(kbs__buf *q, const search *s, const segment *g)
{
	kbs__buf_putc(q, '"');
	for (size_t k = g->a; k < g->b; k++) {
		const term *t = &s->terms[g->tok_term[k]];
		const kbs__token *tk = &g->toks->v[k];
		const char *w = t->typo != NULL ? t->surface : g->text + tk->start;
		size_t wl = t->typo != NULL ? strlen(w) : tk->end - tk->start;
		if (k > g->a)
			kbs__buf_putc(q, ' ');
		for (size_t j = 0; j < wl; j++) {
			if (w[j] == '"')
				kbs__buf_putc(q, '"');
			kbs__buf_putc(q, w[j]);
		}
	}
	kbs__buf_putc(q, '"');
}

static int
cmp_df_asc(const void *a, const void *b)
{
	const term *x = *(term *const *)a, *y = *(term *const *)b;
	if (x->df != y->df)
		return x->df < y->df ? -1 : 1;
	return strcmp(x->stem, y->stem);
}

/* Add phrase number g->n with its share and plan. */
static void
gen_add(gen *g, double share, int via)
{
	g->share[g->n] = share;
	g->via[g->n++] = via;
}

/* The document frequency of the rarest word of segment g. */
static long long
segment_df(const search *s, const segment *g)
{
	long long df = -1;
	for (size_t k = g->a; k < g->b; k++) {
		const term *t = &s->terms[g->tok_term[k]];
		if (!t->stop && (df < 0 || t->df < df))
			df = t->df;
	}
	return df;
}

/* One window: NEAR_WORDS consecutive content words of the paste. */
typedef struct window {
	size_t tok[NEAR_WORDS];     /* token indices */
	double weight;          /* sum of their IDFs */
} window;

static int
cmp_win_desc(const void *a, const void *b)
{
	const window *x = a, *y = b;
	if (x->weight != y->weight)
		return x->weight < y->weight ? 1 : -1;
	return (int)x->tok[0] - (int)y->tok[0];
}

/*
 * Add to G the heaviest MAX_WINDOWS windows of NEAR_WORDS consecutive content
 * words of the paste, none of them in G already, as FTS5 NEAR groups
 * spanning as many tokens as in the paste plus two. A fragment of common
 * words inside chatter ("Hi team, seeing the following after reboot
 * Invalid Page Fault error in") has no rare word of its own and no
 * segment that an article holds; four of its words close together are
 * rare, and a NEAR group reads their positions only, none of the stop
 * words'. Rows matching a window get their phrase share measured.
 */
static void
add_windows(search *s)
{
	window w[MAX_WINDOW_CANDS];
	size_t c[MAX_WINDOW_CANDS + NEAR_WORDS], nc = 0, nw = 0, i, k;
	gen *w1 = &s->g[1];

	for (i = 0; i < s->toks.n && nc < sizeof c / sizeof *c; i++) {
		int t = s->tok_term[i];
		if (t >= 0 && !s->terms[t].stop && s->terms[t].phrase >= 0)
			c[nc++] = i;
	}
	for (i = 0; i + NEAR_WORDS <= nc && nw < MAX_WINDOW_CANDS; i++) {
		bool skip = false;
		w[nw].weight = 0;
		for (k = 0; k < NEAR_WORDS; k++) {
			const term *t = &s->terms[s->tok_term[c[i + k]]];
			skip |= t->gen;
			for (size_t j = 0; j < k; j++)
				skip |= s->tok_term[c[i + j]] ==
				        s->tok_term[c[i + k]];
			w[nw].tok[k] = c[i + k];
			w[nw].weight += t->idf;
		}
		if (!skip)
			nw++;
	}
	qsort(w, nw, sizeof *w, cmp_win_desc);
	for (i = 0; i < nw && i < MAX_WINDOWS &&
	            w1->n + NEAR_WORDS <= MAX_GEN; i++) {
		int span = s->toks.v[w[i].tok[NEAR_WORDS - 1]].pos -
		           s->toks.v[w[i].tok[0]].pos;
		kbs__buf_puts(&w1->q, w1->q.len > 0 ? " OR NEAR(" : "NEAR(");
		for (k = 0; k < NEAR_WORDS; k++) {
			const term *t = &s->terms[s->tok_term[w[i].tok[k]]];
			kbs__buf t1 = {0};
			append_term(&t1, t->surface);
			if (k > 0)
				kbs__buf_putc(&w1->q, ' ');
			kbs__buf_append(&w1->q, t1.data, t1.len);
			kbs__buf_free(&t1);
			/* the group's first phrase says how many follow */
			gen_add(w1, k == 0 ? -1 : -2, k == 0 ? NEAR_WORDS : 0);
		}
		kbs__buf_printf(&w1->q, ", %d)", span + 2);
	}
}

/* The candidate generator G (see GEN_POSTINGS): the message's rarest
 * scoring term whatever its frequency, the next rarest within the
 * budgets, and the heaviest segments of the paste and its variants whose
 * rarest word is in at most SEG_DF articles, within SEG_POSTINGS. */
static kbs_status
build_generator(search *s)
{
	term *order[MAX_TERMS + MAX_ALIAS_TERMS];
	segment segs[4 * GEN_SEGMENTS];
	size_t n = 0, i, nseg = 0;
	long long sum = 0, room = SEG_POSTINGS;
	kbs__buf one = {0};
	gen *g0 = &s->g[0];

	for (i = 0; i < s->nterms; i++)
		if (s->terms[i].phrase >= 0 && !s->terms[i].alias &&
		    n < sizeof order / sizeof *order)
			order[n++] = &s->terms[i];
	if (n == 0)
		return KBS_OK;
	qsort(order, n, sizeof *order, cmp_df_asc);
	nseg = find_segments(s, s->paste_msg, &s->toks, s->tok_term,
	                     &s->plan, 0, segs, 0, sizeof segs / sizeof *segs);
	/* A message of common words only: its heaviest segment as a phrase
	 * stands in for its rarest word, which thousands of articles hold;
	 * an article holding the whole message holds that segment too. */
	bool force = nseg > 0 && order[0]->df > GEN_POSTINGS;
	for (i = 0; i < n && g0->n < MAX_TERMS && !force; i++) {
		if (i > 0 && sum + order[i]->df > GEN_POSTINGS)
			break;
		sum += order[i]->df;
		append_term(&g0->q, order[i]->surface);
		order[i]->gen = true;
		gen_add(g0, 0, 0);
	}
	for (size_t v = 0; v < s->nvar; v++)
		nseg = find_segments(s, s->var[v].text, &s->var[v].toks,
		                     s->var[v].tok_term, &s->var[v].plan,
		                     (int)v + 1, segs, nseg,
		                     sizeof segs / sizeof *segs);
	qsort(segs, nseg, sizeof *segs, cmp_seg_desc);
	/* the paste's segment whose rarest word is rarest: FTS5 reads a
	 * phrase's posting lists in step, so that one costs least */
	size_t pick = nseg;
	long long pickdf = -1;
	for (i = 0; force && i < nseg; i++) {
		long long df = segment_df(s, &segs[i]);
		if (segs[i].via == 0 && df >= 0 && (pickdf < 0 || df < pickdf)) {
			pick = i;
			pickdf = df;
		}
	}
	for (i = 0; i < nseg && g0->n < MAX_GEN; i++) {
		long long df = segment_df(s, &segs[i]);
		bool forced = i == pick;
		if (!forced && (df < 0 || df > SEG_DF || df > room))
			continue;
		one.len = 0;
		append_segment(&one, s, &segs[i]);
		if (one.oom)
			break;
		/* the same words in a variant as in the paste */
		if (g0->q.len > 0 && strstr(g0->q.data, one.data) != NULL)
			continue;
		if (!forced)
			room -= df;
		if (g0->q.len > 0)
			kbs__buf_puts(&g0->q, " OR ");
		kbs__buf_append(&g0->q, one.data, one.len);
		gen_add(g0, segs[i].share, segs[i].via);
	}
	add_windows(s);
	bool oom = one.oom || g0->q.oom || s->g[1].q.oom;
	kbs__buf_free(&one);
	return oom ? KBS_NOMEM : KBS_OK;
}

/* Collect the distinct terms of the message and its variants with their
 * IDF, correct unknown words, choose the ones that go into the query and
 * build the query and the phrase plans. */
static kbs_status
build_query(search *s)
{
	const char *msg = s->paste.message ? s->paste.message : "";
	size_t mlen = strlen(msg);
	if (mlen > MESSAGE_MAX) {
		/* the window with the most error words, cut at blanks so
		 * that no word or UTF-8 sequence is split */
		size_t start = informative_window(msg, mlen), cut;
		while (start > 0 && start < mlen &&
		       !isspace((unsigned char)msg[start - 1]))
			start++;
		cut = start + MESSAGE_MAX < mlen ? start + MESSAGE_MAX : mlen;
		while (cut > start + MESSAGE_MAX / 2 && cut < mlen &&
		       !isspace((unsigned char)msg[cut]))
			cut--;
		while (cut > start && cut < mlen &&
		       ((unsigned char)msg[cut] & 0xC0) == 0x80)
			cut--;
		s->msg_cut = mlen - (cut - start);
		char *m = kbs__arena_strndup(&s->res->arena, msg + start,
		                             cut - start);
		if (m == NULL)
			return KBS_NOMEM;
		msg = m;
		mlen = cut - start;
	}
	kbs_status rc = kbs__tokenize(&s->toks, s->db, msg, mlen);
	sqlite3_stmt *df = NULL, *probe = NULL;
	term **order = NULL;
	size_t i, v;

	if (rc != KBS_OK || s->toks.n == 0)
		return rc;
	s->tok_term = malloc(s->toks.n * sizeof *s->tok_term);
	if (s->tok_term == NULL)
		return KBS_NOMEM;
	if (sqlite3_prepare_v2(s->db->sqlite,
	        "SELECT rowid FROM article_fts WHERE article_fts MATCH ?1",
	        -1, &probe, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(s->db->sqlite,
	        "SELECT doc FROM article_vocab WHERE term = ?", -1, &df,
	        NULL) != SQLITE_OK) {
		sqlite3_finalize(probe);
		return kbs__db_sqlite_error(s->db, "reading the vocabulary");
	}
	rc = kbs__db_count(s->db, "SELECT max(id) FROM article", &s->max_id);
	if (rc == KBS_OK)
		rc = collect_terms(s, msg, &s->toks, s->tok_term, false, probe);
	if (rc == KBS_OK)
		rc = correct_typos(s, df);
	if (rc == KBS_OK)
		rc = make_variants(s, msg);
	for (v = 0; rc == KBS_OK && v < s->nvar; v++) {
		variant *var = &s->var[v];
		rc = kbs__tokenize(&var->toks, s->db, var->text,
		                   strlen(var->text));
		if (rc == KBS_OK && (var->tok_term = malloc((var->toks.n + 1) *
		                     sizeof *var->tok_term)) == NULL)
			rc = KBS_NOMEM;
		if (rc == KBS_OK)
			rc = collect_terms(s, var->text, &var->toks,
			                   var->tok_term, true, probe);
	}
	sqlite3_finalize(df);
	sqlite3_finalize(probe);
	if (rc != KBS_OK)
		return rc;

	/* The scoring terms T: the MAX_TERMS rarest content words of the
	 * paste the index holds, then up to MAX_ALIAS_TERMS words of the
	 * variants. They are also the phrase plan's words: stop words are
	 * not read (their posting lists are the longest of all), the
	 * spacing test stands in for them. */
	order = malloc((s->nterms + 1) * sizeof *order);
	if (order == NULL)
		return KBS_NOMEM;
	size_t nphr = 0;
	for (int pass = 0; pass < 2; pass++) {
		size_t nkeep = 0, limit = pass == 0 ? MAX_TERMS
		                                    : MAX_ALIAS_TERMS;
		for (i = 0; i < s->nterms; i++)
			if (s->terms[i].df > 0 && !s->terms[i].stop &&
			    s->terms[i].alias == (pass == 1))
				order[nkeep++] = &s->terms[i];
		qsort(order, nkeep, sizeof *order, cmp_idf_desc);
		if (nkeep > limit)
			nkeep = limit;
		for (i = 0; i < nkeep; i++) {
			order[i]->phrase = (int)nphr++;
			append_term(&s->query, order[i]->surface);
			if (i < SNIPPET_TERMS)
				append_term(&s->squery, order[i]->surface);
		}
	}
	free(order);
	if (s->query.oom)
		return KBS_NOMEM;

	rc = build_plan(s, &s->toks, s->tok_term, &s->plan, (int)nphr);
	for (v = 0; rc == KBS_OK && v < s->nvar; v++)
		rc = build_plan(s, &s->var[v].toks, s->var[v].tok_term,
		                &s->var[v].plan, (int)nphr);
	s->paste_msg = msg;
	if (rc == KBS_OK)
		rc = build_generator(s);
	return rc;
}

/* ------------------------------------------------------------------ */
/* Evidence                                                            */
/* ------------------------------------------------------------------ */

/* BM25's IDF as FTS5's bm25() computes it (fts5_aux.c), negative values
 * clamped to a small positive one. */
static double
fts5_idf(const search *s, long long df)
{
	double idf = log(((double)s->narticles - (double)df + 0.5) /
	                 ((double)df + 0.5));
	return idf > 0 ? idf : 1e-6;
}

/* "(G) AND (Q)": the rows of the generator, with the phrases of the
 * scoring terms Q readable for them. A row of G holds a word of Q (G's
 * terms are among Q's, and a segment's rarest word nearly always is), so
 * the AND mostly just numbers Q's phrases after G's. */
static kbs_status
gen_query(const gen *g, kbs__buf *out, const kbs__buf *q)
{
	kbs__buf_puts(out, "(");
	kbs__buf_append(out, g->q.data, g->q.len);
	kbs__buf_puts(out, ") AND (");
	kbs__buf_append(out, q->data, q->len);
	kbs__buf_puts(out, ")");
	return out->oom ? KBS_NOMEM : KBS_OK;
}

/* Score every article of the generator: weighted BM25 over the scoring
 * terms and the phrase share its generator phrases prove (kbs_score() in
 * rank.c). */
static kbs_status
run_fts(search *s, const gen *g)
{
	sqlite3_stmt *st = NULL;
	kbs__score_job job = {0};
	kbs__phrase_job pj = {0};
	kbs__plan *plans[MAX_VARIANTS + 1];
	double heap[PHRASE_HEAP];
	kbs__buf q = {0};
	double idf[MAX_TERMS + MAX_ALIAS_TERMS];
	kbs_status rc = KBS_OK;
	int src, nt = 0;

	if (s->query.len == 0 || g->q.len == 0)
		return KBS_OK;
	for (size_t i = 0; i < s->nterms; i++)
		if (s->terms[i].phrase >= 0 &&
		    s->terms[i].phrase < MAX_TERMS + MAX_ALIAS_TERMS) {
			idf[s->terms[i].phrase] = fts5_idf(s, s->terms[i].df);
			if (s->terms[i].phrase + 1 > nt)
				nt = s->terms[i].phrase + 1;
		}
	job.ngen = g->n;
	job.gen_share = g->share;
	job.gen_via = g->via;
	job.nterms = nt;
	job.idf = idf;
	job.colw = column_weight;
	job.ncols = 7;
	plans[0] = &s->plan;
	for (size_t v = 0; v < s->nvar; v++)
		plans[v + 1] = &s->var[v].plan;
	pj.plans = plans;
	pj.nplans = s->plan.total > 0 ? (int)s->nvar + 1 : 0;
	pj.offset = g->n;
	job.phrase = &pj;
	job.heap = heap;
	job.heap_k = PHRASE_HEAP;
	job.unverified = UNVERIFIED;
	rc = gen_query(g, &q, &s->query);
	if (rc == KBS_OK &&
	    sqlite3_prepare_v2(s->db->sqlite,
	        "SELECT rowid, kbs_score(article_fts, ?2) "
	        "FROM article_fts WHERE article_fts MATCH ?1", -1, &st,
	        NULL) != SQLITE_OK)
		rc = kbs__db_sqlite_error(s->db, "preparing the search");
	if (rc != KBS_OK)
		goto done;
	sqlite3_bind_text(st, 1, q.data, (int)q.len, SQLITE_STATIC);
	sqlite3_bind_pointer(st, 2, &job, KBS__SCORE_PTR, NULL);
	while ((src = sqlite3_step(st)) == SQLITE_ROW) {
		cand *c = cand_get(s, sqlite3_column_int64(st, 0));
		if (c == NULL) {
			rc = KBS_NOMEM;
			break;
		}
		c->fts = true;
		c->bm25 = sqlite3_column_double(st, 1);
		if (job.share > c->phrase || c->col < 0) {
			c->phrase = job.share;
			c->via = job.via;
			c->col = job.col;
		}
	}
	if (rc == KBS_OK && src != SQLITE_DONE)
		rc = kbs__db_sqlite_error(s->db, "searching");
done:
	sqlite3_finalize(st);
	kbs__buf_free(&q);
	free(pj.scratch);
	return rc;
}

typedef void mark_fn(cand *c, sqlite3_stmt *row, const kbs__paste *p);

/* Step the bound statement st and call mark() on the candidate of every
 * article id (column 0) it returns. */
static kbs_status
each_article(search *s, sqlite3_stmt *st, mark_fn *mark)
{
	int src;
	while ((src = sqlite3_step(st)) == SQLITE_ROW) {
		cand *c = cand_get(s, sqlite3_column_int64(st, 0));
		if (c == NULL)
			return KBS_NOMEM;
		mark(c, st, &s->paste);
	}
	sqlite3_reset(st);
	if (src != SQLITE_DONE)
		return kbs__db_sqlite_error(s->db, "looking up evidence");
	return KBS_OK;
}

static void
mark_event(cand *c, sqlite3_stmt *st, const kbs__paste *p)
{
	const char *src = (const char *)sqlite3_column_text(st, 1);
	c->event_id = true;
	if (src != NULL && p->source != NULL && strcasecmp(src, p->source) == 0)
		c->event_src = true;
}

static void
mark_code(cand *c, sqlite3_stmt *st, const kbs__paste *p)
{
	(void)st;
	(void)p;
	c->codes++;
}

static void
mark_file(cand *c, sqlite3_stmt *st, const kbs__paste *p)
{
	(void)st;
	(void)p;
	c->files++;
}

static void
mark_kbid(cand *c, sqlite3_stmt *st, const kbs__paste *p)
{
	(void)st;
	(void)p;
	c->kb_id = true;
}

static kbs_status
prepare(search *s, sqlite3_stmt **st, const char *sql)
{
	if (sqlite3_prepare_v2(s->db->sqlite, sql, -1, st, NULL) != SQLITE_OK)
		return kbs__db_sqlite_error(s->db, "preparing a lookup");
	return KBS_OK;
}

static kbs_status
run_fields(search *s)
{
	const kbs__paste *p = &s->paste;
	sqlite3_stmt *st = NULL;
	kbs_status rc = KBS_OK;
	size_t i;

	if (p->event_id >= 0) {
		rc = prepare(s, &st, "SELECT DISTINCT article_id, source "
		                     "FROM event WHERE event_id = ?");
		if (rc == KBS_OK) {
			sqlite3_bind_int64(st, 1, p->event_id);
			rc = each_article(s, st, mark_event);
		}
		sqlite3_finalize(st);
		st = NULL;
	}
	if (rc == KBS_OK && p->ncodes > 0) {
		/* Each article counts once per code, whichever notation or
		 * Win32/HRESULT twin it used. */
		rc = prepare(s, &st, "SELECT DISTINCT article_id FROM error_code "
		                     "WHERE code IN (?, ?, ?)");
		for (i = 0; rc == KBS_OK && i < p->ncodes; i++) {
			uint32_t v = p->codes[i];
			sqlite3_bind_int64(st, 1, v);
			sqlite3_bind_int64(st, 2, kbs__code_from_win32(v));
			sqlite3_bind_int64(st, 3, kbs__code_to_win32(v));
			rc = each_article(s, st, mark_code);
		}
		sqlite3_finalize(st);
		st = NULL;
	}
	if (rc == KBS_OK && p->nfiles > 0) {
		rc = prepare(s, &st, "SELECT DISTINCT article_id FROM file "
		                     "WHERE name = ?");
		for (i = 0; rc == KBS_OK && i < p->nfiles; i++) {
			sqlite3_bind_text(st, 1, p->files[i], -1, SQLITE_STATIC);
			rc = each_article(s, st, mark_file);
		}
		sqlite3_finalize(st);
		st = NULL;
	}
	if (rc == KBS_OK && p->nkb_ids > 0) {
		rc = prepare(s, &st, "SELECT id FROM article WHERE kb_id = ?");
		for (i = 0; rc == KBS_OK && i < p->nkb_ids; i++) {
			sqlite3_bind_text(st, 1, p->kb_ids[i], -1, SQLITE_STATIC);
			rc = each_article(s, st, mark_kbid);
		}
		sqlite3_finalize(st);
	}
	return rc;
}

/* ------------------------------------------------------------------ */
/* Product and version filters                                         */
/* ------------------------------------------------------------------ */

/* Does every word of want (letters and digits) occur as a word of name,
 * case-insensitive? */
static bool
words_in(const char *want, const char *name)
{
	const char *w = want;
	for (;;) {
		while (*w && !isalnum((unsigned char)*w))
			w++;
		if (*w == '\0')
			return true;
		size_t wl = 0;
		while (isalnum((unsigned char)w[wl]))
			wl++;
		bool found = false;
		for (const char *p = name; *p && !found; p++) {
			if ((p == name || !isalnum((unsigned char)p[-1])) &&
			    strncasecmp(p, w, wl) == 0 &&
			    !isalnum((unsigned char)p[wl]))
				found = true;
		}
		if (!found)
			return false;
		w += wl;
	}
}

/* "4.0 SP4", "4.0sp4", "4.0 Service Pack 4" -> base "4.0", sp 4; sp is
 * -1 when none is named. */
static void
split_version(const char *v, char *base, size_t basesz, int *sp)
{
	size_t n = 0;
	*sp = -1;
	while (*v == ' ')
		v++;
	while (*v && (isdigit((unsigned char)*v) || *v == '.') &&
	       n + 1 < basesz)
		base[n++] = *v++;
	base[n] = '\0';
	for (const char *p = v; *p; p++) {
		const char *q = NULL;
		if (strncasecmp(p, "sp", 2) == 0)
			q = p + 2;
		else if (strncasecmp(p, "service pack", 12) == 0)
			q = p + 12;
		if (q == NULL)
			continue;
		while (*q == ' ')
			q++;
		if (isdigit((unsigned char)*q)) {
			*sp = atoi(q);
			return;
		}
	}
}

/* Does the product row's version satisfy the wanted one? A wanted
 * version without service pack takes every service pack of it; one with
 * a service pack takes that service pack and the version as a whole. */
static bool
version_ok(const char *want, const char *have)
{
	char wb[64], hb[64];
	int wsp, hsp;
	if (have == NULL)
		return false;
	split_version(want, wb, sizeof wb, &wsp);
	split_version(have, hb, sizeof hb, &hsp);
	if (wb[0] == '\0' || hb[0] == '\0' || kbs__version_cmp(wb, hb) != 0)
		return false;
	return wsp < 0 || hsp < 0 || wsp == hsp;
}

static int
cmp_id(const void *a, const void *b)
{
	sqlite3_int64 x = *(const sqlite3_int64 *)a, y = *(const sqlite3_int64 *)b;
	return x < y ? -1 : x > y;
}

/* Keep only the candidates whose product rows pass the filters. */
static kbs_status
run_filters(search *s, const kbs_search_options *opt)
{
	const char *prod = opt != NULL && opt->product != NULL &&
	                   opt->product[0] ? opt->product : NULL;
	const char *ver = opt != NULL && opt->product_version != NULL &&
	                  opt->product_version[0] ? opt->product_version
	                                          : NULL;
	const kbs__alias_name *names = NULL;
	size_t nnames = 0;
	kbs_status rc = KBS_OK;

	if (prod == NULL && ver == NULL)
		return KBS_OK;
	/* The product's other names, except those that would widen it
	 * ("Windows" for "Windows NT"). */
	if (prod != NULL) {
		const kbs__aliases *al = NULL;
		kbs__tokens t = {0};
		rc = kbs__aliases_get(&al, s->db);
		if (rc == KBS_OK)
			rc = kbs__tokenize(&t, s->db, prod, strlen(prod));
		if (rc == KBS_OK && t.n > 0) {
			const char **st = malloc(t.n * sizeof *st);
			if (st == NULL)
				rc = KBS_NOMEM;
			for (size_t i = 0; st != NULL && i < t.n; i++)
				st[i] = t.v[i].stem;
			const kbs__alias_name *nm = st == NULL ? NULL :
				kbs__alias_match(al, st, t.n, 0);
			if (nm != NULL && nm->nstems == t.n)
				nnames = kbs__alias_group(al, nm, &names);
			free(st);
		}
		kbs__arena_free(&t.arena);
		if (rc != KBS_OK)
			return rc;
	}

	sqlite3_stmt *st = NULL;
	sqlite3_int64 *ok = NULL;
	size_t nok = 0, capok = 0;
	if (sqlite3_prepare_v2(s->db->sqlite, "SELECT article_id, product, "
	        "version FROM product", -1, &st, NULL) != SQLITE_OK)
		return kbs__db_sqlite_error(s->db, "preparing the filter");
	while (rc == KBS_OK && sqlite3_step(st) == SQLITE_ROW) {
		const char *name = (const char *)sqlite3_column_text(st, 1);
		const char *v = (const char *)sqlite3_column_text(st, 2);
		bool pass = true;
		if (prod != NULL) {
			pass = words_in(prod, name ? name : "");
			for (size_t i = 0; !pass && i < nnames; i++)
				pass = !words_in(names[i].text, prod) &&
				       words_in(names[i].text, name ? name : "");
		}
		if (pass && ver != NULL)
			pass = version_ok(ver, v);
		if (!pass)
			continue;
		if (nok == capok) {
			capok = capok ? capok * 2 : 256;
			sqlite3_int64 *n = realloc(ok, capok * sizeof *n);
			if (n == NULL) {
				rc = KBS_NOMEM;
				break;
			}
			ok = n;
		}
		ok[nok++] = sqlite3_column_int64(st, 0);
	}
	sqlite3_finalize(st);
	if (rc == KBS_OK) {
		if (nok > 0)
			qsort(ok, nok, sizeof *ok, cmp_id);
		size_t k = 0;
		for (size_t i = 0; i < s->ncands; i++)
			if (nok > 0 && bsearch(&s->cands[i].id, ok, nok,
			                       sizeof *ok, cmp_id) != NULL)
				s->cands[k++] = s->cands[i];
		s->ncands = k;
	}
	free(ok);
	return rc;
}

/* ------------------------------------------------------------------ */
/* Scoring                                                             */
/* ------------------------------------------------------------------ */

static double
score_of(const search *s, const cand *c, double best_bm25, kbs__buf *explain)
{
	double bm25 = best_bm25 > 0 ? c->bm25 / best_bm25 : 0;
	double ev = c->event_src ? W_EVENT_SRC : c->event_id ? W_EVENT_ID : 0;
	double code = W_CODE * (c->codes < 2 ? c->codes : 2);
	double file = W_FILE * (c->files < 2 ? c->files : 2);
	double kb = c->kb_id ? W_KBID : 0;
	double score = W_PHRASE * c->phrase + W_BM25 * bm25 + ev + code +
	               file + kb;
	if (explain != NULL)
		kbs__buf_printf(explain,
		    "phrase=%.3f (share %.2f x %.0f)\nbm25=%.3f (%.2f of best "
		    "%.2f x %.0f)\nevent=%.3f\ncode=%.3f\nfile=%.3f\nkb_id=%.3f\n",
		    W_PHRASE * c->phrase, c->phrase, W_PHRASE, W_BM25 * bm25,
		    c->bm25, best_bm25, W_BM25, ev, code, file, kb);
	if (explain != NULL && c->via > 0)
		kbs__buf_printf(explain, "phrase via alias \"%s\"\n",
		                s->var[c->via - 1].label);
	return score;
}

static int
cmp_score(const void *a, const void *b)
{
	const cand *x = a, *y = b;
	if (x->score != y->score)
		return x->score < y->score ? 1 : -1;
	return x->id < y->id ? -1 : x->id > y->id;
}

/* Matched evidence names, snippet and explanation of the top hits. */
static kbs_status
describe(search *s, const kbs_search_options *opt, double best_bm25)
{
	sqlite3_stmt *snip = NULL;
	kbs_status rc = KBS_OK;

	if (s->squery.len > 0 &&
	    sqlite3_prepare_v2(s->db->sqlite,
	        "SELECT snippet(article_fts, ?3, '" KBS__SNIP_OPEN "', '"
	        KBS__SNIP_CLOSE "', ' ... ', 24) "
	        "FROM article_fts WHERE article_fts MATCH ?1 AND rowid = ?2",
	        -1, &snip, NULL) != SQLITE_OK)
		return kbs__db_sqlite_error(s->db, "preparing snippets");
	for (size_t i = 0; rc == KBS_OK && i < s->res->n; i++) {
		kbs_hit *h = &s->res->hits[i];
		const cand *c = &s->cands[s->offset + i];
		kbs_results *r = s->res;
		if (c->kb_id)
			rc = kbs__hit_match(r, h, "kb_id");
		if (rc == KBS_OK && c->event_id)
			rc = kbs__hit_match(r, h, "event_id");
		if (rc == KBS_OK && c->event_src)
			rc = kbs__hit_match(r, h, "source");
		if (rc == KBS_OK && c->codes > 0)
			rc = kbs__hit_match(r, h, "code");
		if (rc == KBS_OK && c->files > 0)
			rc = kbs__hit_match(r, h, "file");
		if (rc == KBS_OK && c->phrase >= 0.5)
			rc = kbs__hit_match(r, h, "phrase");
		if (rc == KBS_OK && c->via > 0 && c->phrase >= 0.5)
			rc = kbs__hit_match(r, h, "alias");
		if (rc == KBS_OK && c->fts)
			rc = kbs__hit_match(r, h, "message");
		if (rc == KBS_OK && opt != NULL && opt->explain) {
			kbs__buf ex = {0};
			score_of(s, c, best_bm25, &ex);
			if (ex.oom ||
			    (h->explain = kbs__arena_strdup(&r->arena,
			                                    kbs__buf_str(&ex))) == NULL)
				rc = KBS_NOMEM;
			kbs__buf_free(&ex);
		}
		if (rc == KBS_OK && c->fts && snip != NULL) {
			sqlite3_bind_text(snip, 1, s->squery.data,
			                  (int)s->squery.len, SQLITE_STATIC);
			sqlite3_bind_int64(snip, 2, c->id);
			/* the column that holds the phrase: snippet() need
			 * not tokenize the others to choose */
			sqlite3_bind_int(snip, 3, c->col);
			if (sqlite3_step(snip) == SQLITE_ROW &&
			    sqlite3_column_text(snip, 0) != NULL)
				rc = kbs__hit_set_snippet(r, h, (const char *)
				    sqlite3_column_text(snip, 0));
			sqlite3_reset(snip);
		}
	}
	sqlite3_finalize(snip);
	return rc;
}

/* Copy the paste analysis into the public kbs_query_info. */
static kbs_status
fill_info(search *s)
{
	kbs_results *r = s->res;
	kbs_query_info *q = &r->info;
	const kbs__paste *p = &s->paste;
	kbs__arena *a = &r->arena;

	r->has_info = true;
	q->kind = kbs__arena_strdup(a, p->kind ? p->kind : "plain");
	q->event_id = p->event_id;
	q->source = kbs__arena_strdup(a, p->source);
	q->ncodes = p->ncodes;
	uint32_t *codes = kbs__arena_alloc(a, (p->ncodes + 1) * sizeof *codes);
	const char **files = kbs__arena_alloc(a, (p->nfiles + 1) * sizeof *files);
	const char **kbids = kbs__arena_alloc(a, (p->nkb_ids + 1) * sizeof *kbids);
	const char **terms = kbs__arena_alloc(a, (s->nterms + 1) * sizeof *terms);
	const char **dropped = kbs__arena_alloc(a, (p->ndropped + s->nterms + 2) *
	                                           sizeof *dropped);
	if (q->kind == NULL || codes == NULL || files == NULL ||
	    kbids == NULL || terms == NULL || dropped == NULL)
		return KBS_NOMEM;
	size_t i;
	for (i = 0; i < p->ncodes; i++)
		codes[i] = p->codes[i];
	for (i = 0; i < p->nfiles; i++)
		files[i] = kbs__arena_strdup(a, p->files[i]);
	for (i = 0; i < p->nkb_ids; i++)
		kbids[i] = kbs__arena_strdup(a, p->kb_ids[i]);
	for (i = 0; i < p->ndropped; i++)
		dropped[q->ndropped++] = kbs__arena_strdup(a, p->dropped[i]);
	/* Terms in paste order; words left out of a long paste are
	 * reported as dropped. */
	for (i = 0; i < s->nterms; i++) {
		if (s->terms[i].phrase >= 0)
			terms[q->nterms++] = s->terms[i].surface;
		else if (s->terms[i].df > 0)
			dropped[q->ndropped++] = s->terms[i].surface;
	}
	if (s->msg_cut > 0 && (dropped[q->ndropped] = kbs__arena_printf(a,
	        "(%zu bytes of message outside the part searched)",
	        s->msg_cut)) !=
	    NULL)
		q->ndropped++;
	q->codes = codes;
	q->files = files;
	q->nfiles = p->nfiles;
	q->kb_ids = kbids;
	q->nkb_ids = p->nkb_ids;
	q->terms = terms;
	q->dropped = dropped;

	const char **fixed = kbs__arena_alloc(a, (s->nterms + 1) *
	                                         sizeof *fixed);
	const char **aliases = kbs__arena_alloc(a, (s->nvar + 1) *
	                                           sizeof *aliases);
	if (fixed == NULL || aliases == NULL)
		return KBS_NOMEM;
	for (i = 0; i < s->nterms; i++)
		if (s->terms[i].typo != NULL &&
		    (fixed[q->ncorrected] = kbs__arena_printf(a, "%s -> %s",
		         s->terms[i].typo, s->terms[i].surface)) != NULL)
			q->ncorrected++;
	for (i = 0; i < s->nvar; i++)
		aliases[q->naliases++] = s->var[i].label;
	q->corrected = fixed;
	q->aliases = aliases;
	return KBS_OK;
}

/* The best phrase share among the candidates so far. */
static double
best_share(const search *s)
{
	double best = 0;
	for (size_t i = 0; i < s->ncands; i++)
		if (s->cands[i].phrase > best)
			best = s->cands[i].phrase;
	return best;
}

kbs_status
kbs_search_text(kbs_results **out, kbs_db *db, const char *paste,
                size_t len, const kbs_search_options *opt)
{
	search s = { .db = db };
	kbs_status rc = KBS_OK;
	unsigned limit = opt != NULL && opt->limit > 0 ? opt->limit : 10;
	double best = 0;
	size_t i;

	assert(out != NULL && db != NULL);
	*out = NULL;
	if (opt != NULL && (opt->version == 0 ||
	                    opt->version > KBS_SEARCH_OPTIONS_VERSION))
		return kbs__db_error(db, KBS_INVALID, "kbs_search_options "
		                     "version %u (initialise it with "
		                     "KBS_SEARCH_OPTIONS_INIT)", opt->version);
	s.offset = opt != NULL ? opt->offset : 0;
	if (paste == NULL)
		len = 0;
	if ((s.res = kbs__results_new()) == NULL)
		return KBS_NOMEM;
	/* From its second search on, a read-only handle maps the database:
	 * FTS5's pages are then read in place from the OS page cache rather
	 * than copied into SQLite's (a quarter of a search's CPU time on the
	 * 57k-article index), while a process that searches once does not
	 * pay for setting up the mapping page by page (2 ms of a 12 ms CLI
	 * run). Nothing writes through the mapping. */
	if (db->readonly && db->searches++ == 1 &&
	    sqlite3_exec(db->sqlite, "PRAGMA mmap_size = 2147418112", NULL,
	                 NULL, NULL) != SQLITE_OK)
		rc = kbs__db_sqlite_error(db, "mapping the database");
	if (rc == KBS_OK)
		rc = kbs__paste_analyse(&s.paste, paste ? paste : "", len);
	if (rc == KBS_OK)
		rc = kbs__db_count(db, "SELECT count(*) FROM article",
		                   &s.narticles);
	if (rc == KBS_OK)
		rc = build_query(&s);
	if (rc == KBS_OK)
		rc = run_fts(&s, &s.g[0]);
	if (rc == KBS_OK && s.g[1].n > 0 && best_share(&s) < WINDOWS_BELOW)
		rc = run_fts(&s, &s.g[1]);
	if (rc == KBS_OK)
		rc = run_fields(&s);
	if (rc == KBS_OK)
		rc = run_filters(&s, opt);
	if (rc == KBS_OK)
		rc = fill_info(&s);
	for (i = 0; i < s.ncands; i++)
		if (s.cands[i].bm25 > best)
			best = s.cands[i].bm25;
	for (i = 0; i < s.ncands; i++)
		s.cands[i].score = score_of(&s, &s.cands[i], best, NULL);
	if (s.ncands > 0)
		qsort(s.cands, s.ncands, sizeof *s.cands, cmp_score);
	if (s.offset > s.ncands)
		s.offset = s.ncands;
	for (i = s.offset; rc == KBS_OK && i < s.ncands &&
	                   i - s.offset < limit; i++)
		if (kbs__results_add(s.res, s.cands[i].id, s.cands[i].score) ==
		    NULL)
			rc = KBS_NOMEM;
	if (rc == KBS_OK)
		rc = kbs__results_load(s.res, db);
	for (i = 0; rc == KBS_OK && i < s.res->n; i++)
		s.res->hits[i].rank += (int)s.offset;  /* ranks of the whole
		                                          ranking */
	if (rc == KBS_OK)
		rc = describe(&s, opt, best);

	kbs__paste_free(&s.paste);
	kbs__arena_free(&s.toks.arena);
	free(s.tok_term);
	free_plan(&s.plan);
	for (i = 0; i < s.nvar; i++) {
		free(s.var[i].text);
		kbs__arena_free(&s.var[i].toks.arena);
		free(s.var[i].tok_term);
		free_plan(&s.var[i].plan);
	}
	kbs__buf_free(&s.query);
	kbs__buf_free(&s.squery);
	kbs__buf_free(&s.g[0].q);
	kbs__buf_free(&s.g[1].q);
	free(s.cands);
	free(s.slots);
	if (rc != KBS_OK) {
		kbs_results_free(s.res);
		return rc;
	}
	*out = s.res;
	return KBS_OK;
}
