/*
 * search.h - what the files of a text search share: its limits, the
 * search state and the steps that search.c runs (query/search.c's opening
 * comment tells the whole story). Private to search.c, generator.c,
 * typos.c, filters.c and rank.c.
 */
#ifndef KBS_SEARCH_H
#define KBS_SEARCH_H

#include "query.h"
#include "paste.h"

#include <math.h>

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
 * (kbs_score() in phrase.c). */
#define PHRASE_HEAP 64


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
 * tokens) is also in G as an FTS5 phrase query, heaviest first while
 * the document frequencies of their rarest words stay within
 * SEG_POSTINGS, so an article holding that part of the message word for
 * word is a candidate and gets at least its phrase share without its
 * positions being read. FTS5 evaluates a phrase from its words' posting
 * lists in step: every article holding all of its words costs a read of
 * each word's positions there, stop words included (the leaf of "the"
 * or "and" that holds the article). So SEG_POSTINGS is the budget of
 * GEN_POSTINGS: at 1000, matching phrases took a quarter of a real-dev
 * CLI search over the archive; 300 ranks every evaluation set as 1000
 * did (100 lost 0.012 MRR@10 on the small corpus), with the dev queries'
 * median over the archive at 2.9 ms CPU instead of 3.3.
 */
#define GEN_POSTINGS 300
#define SEG_POSTINGS 300
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
/* The windows after the heaviest are taken while the document frequencies
 * of their rarest words sum to at most WINDOW_POSTINGS, as segments are
 * within SEG_POSTINGS: a window of four words that thousands of articles
 * hold each ("service" "failed" "start" "due") cost up to 14 ms of a
 * search. On the real-dev pastes over the archive, with no budget the
 * median search took 12.5 ms CPU; 3000 took 9.4 with MRR@10 unchanged on
 * every set; 2000 and 1500 ranked real-dev at 0.891 instead of 0.877
 * (one paste), the other sets unchanged, with the median down a further
 * fifth; 1000 lost 0.006. */
#define WINDOW_POSTINGS 2000
#define MAX_GEN (MAX_TERMS + 2 * GEN_SEGMENTS + NEAR_WORDS * MAX_WINDOWS)

/* Title evidence is read for the candidates that could be shown
 * (offset + limit) and TITLE_RERANK more, which it may lift among them. */
#define TITLE_RERANK 10

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
	int art_codes;          /* distinct codes the article names, when
	                           codes > 0 */
	bool kb_id;
	int via;                /* phrase from variant via-1; 0: the paste */
	int col;                /* column of the phrase, or -1 */
	int off;                /* token offset there where it starts */
	double title;           /* title share (title.c), 0..1 */
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

/* BM25's IDF with the +1 that keeps it positive for words in more than
 * half the articles (as Lucene). */
static inline double
idf_of(const search *s, long long df)
{
	double N = (double)s->narticles;
	return log((N - (double)df + 0.5) / ((double)df + 0.5) + 1.0);
}

/* Append a quoted FTS5 string to an OR-query ("" escapes a quote), so
 * that no word of a paste is read as FTS5 syntax (search.c). */
void kbs__append_term(kbs__buf *q, const char *surface);

/* Spelling correction of the terms (typos.c): unknown and rare words
 * replaced by their common neighbours one edit away. Returns KBS_OK,
 * KBS_DB or KBS_NOMEM. */
kbs_status kbs__correct_typos(search *s);

/* The term index of stem among the search's terms, or -1 (search.c). */
int kbs__term_of(const search *s, const char *stem);

/* Title evidence (title.c) for the first r candidates, sorted by score:
 * their title shares and scores set (best_bm25 as for kbs__score_of())
 * and the r sorted again. Returns KBS_OK, KBS_DB or KBS_NOMEM. */
kbs_status kbs__title_evidence(search *s, size_t r, double best_bm25);

/* The candidate generator G of s->g[0] (generator.c). */
kbs_status kbs__build_generator(search *s);
/* The NEAR windows of common words, s->g[1] (generator.c). */
void kbs__add_windows(search *s);

/* Drop the candidates that fail the product and version filters of opt
 * (filters.c). Returns KBS_OK, KBS_DB or KBS_NOMEM. */
kbs_status kbs__run_filters(search *s, const kbs_search_options *opt);

/* The ranking formula (rank.c): BM25 weight of each article_fts column,
 * the factor on a measured phrase share, and the score of a candidate,
 * its terms written to explain when not NULL. */
extern const double kbs__column_weight[7];
extern const double kbs__unverified;
double kbs__score_of(const search *s, const cand *c, double best_bm25,
                     kbs__buf *explain);
/* qsort order: best score first, then article id. */
int kbs__cmp_score(const void *a, const void *b);

#endif
