/*
 * query.h - internals of the query side: tokenizer, alias groups, the
 * ranking function kbs_score(), results, article ids, file versions.
 */
#ifndef KBS_QUERY_H
#define KBS_QUERY_H

#include "private.h"

/* The fts5_api of a connection (SQLite FTS5 documentation, "Extending
 * FTS5"), or NULL when FTS5 is missing. Borrowed from the connection. */
fts5_api *kbs__fts5_api(sqlite3 *db);

/* One token of a text, as the full-text index sees it. */
typedef struct kbs__token {
	const char *stem;    /* token after case folding and Porter stemming,
	                        NUL-terminated, owned by the token list */
	size_t start, end;   /* byte offsets of the surface form in the text */
	int pos;             /* token position (0-based) */
} kbs__token;

typedef struct kbs__tokens {
	kbs__arena arena;    /* owns the stems and the array */
	kbs__token *v;
	size_t n, cap;
} kbs__tokens;

/*
 * Tokenize text[0..len) with the same tokenizer as article_fts
 * ("porter unicode61"), so that query terms and positions match the index
 * exactly. out must be zeroed; free with kbs__arena_free(&out->arena).
 * Returns KBS_OK, KBS_DB (tokenizer unavailable) or KBS_NOMEM.
 */
kbs_status kbs__tokenize(kbs__tokens *out, kbs_db *db, const char *text,
                         size_t len);
/* The first max tokens of text (all of them when max is 0), as
 * kbs__tokenize() gives them; the rest of the text is not read. */
kbs_status kbs__tokenize_upto(kbs__tokens *out, kbs_db *db,
                              const char *text, size_t len, size_t max);

/* Forget the handle's alias set: the next use starts again from the
 * builtin groups. */
void kbs__aliases_reset(kbs_db *db);

/* One name of an alias group (data/aliases.txt), as index tokens. */
typedef struct kbs__alias_name {
	const char *text;          /* as written in the file */
	const char **stems;        /* nstems tokens, as the index sees them */
	size_t nstems;
	int group;
} kbs__alias_name;

typedef struct kbs__aliases kbs__aliases;

/* The alias groups of db (builtin plus loaded files), tokenized on first
 * use. Borrowed from db. Returns KBS_OK, KBS_DB or KBS_NOMEM. */
kbs_status kbs__aliases_get(const kbs__aliases **out, kbs_db *db);

/* The longest alias name whose stems equal stems[i..], or NULL. */
const kbs__alias_name *kbs__alias_match(const kbs__aliases *al,
                                        const char *const *stems, size_t n,
                                        size_t i);

/* The names of name's group: *first receives the first; returns how many
 * (name is one of them). */
size_t kbs__alias_group(const kbs__aliases *al, const kbs__alias_name *name,
                        const kbs__alias_name **first);

/*
 * A phrase plan for kbs_score(): for each phrase of the FTS5 query (one
 * quoted term each), the positions where the term occurs in the paste.
 * kbs_score() measures, for a row, the IDF-weighted share of the paste
 * covered by the longest stretch that the article holds in the same order
 * and spacing (0..1).
 */
typedef struct kbs__occ {
	int pos;             /* token position in the paste */
	int k;               /* index in the sequence of kept tokens */
} kbs__occ;

typedef struct kbs__plan {
	int nphrases;
	int *first;          /* occurrences of phrase i: occ[first[i]..first[i+1]) */
	kbs__occ *occ;       /* sorted by phrase */
	double *weight;      /* weight of kept token k (its term's IDF) */
	int nkept;
	double total;        /* sum of weight[] */
	double *tokw;        /* per token of the text: its weight when kept,
	                        else 0 (the share of a segment held as a
	                        phrase is the sum over its tokens / total) */
} kbs__plan;

/*
 * What kbs_score() measures phrases with: the plans (the paste's and its
 * alias variants', numbered alike; the best share counts) and a scratch
 * block reused across rows. The caller owns every array and frees the
 * scratch block.
 */
typedef struct kbs__phrase_job {
	kbs__plan *const *plans;
	int nplans;
	int offset;                 /* FTS5 phrase of plan phrase 0: the
	                               query's generator phrases come first */
	void *scratch;              /* reused across rows; caller frees */
	size_t scratch_cap;
} kbs__phrase_job;

/*
 * One kbs_score() pass: the weighted BM25 of the current row over the
 * query's scoring terms, the phrase share that the row is known to hold
 * because it matched one of the generator's phrase queries, and for the
 * rows worth it the measured phrase share. The
 * query is "(G) AND (T)": FTS5 phrases 0..ngen-1 are the generator G
 * (rare terms and the paste's segments as phrases), ngen..ngen+nterms-1
 * the scoring terms T. The caller owns every array.
 */
typedef struct kbs__score_job {
	int ngen;                   /* generator phrases */
	const double *gen_share;    /* per generator phrase: the phrase share
	                               of an article holding it, 0 for a
	                               single term; -1 first of a NEAR
	                               window (its rows get measured), -2
	                               the window's others */
	const int *gen_via;         /* per generator phrase: its plan; for
	                               a window's first, the window's size */
	int nterms;                 /* scoring terms */
	const double *idf;          /* per scoring term: BM25 IDF */
	const double *colw;         /* per column: BM25 weight */
	int ncols;
	double avgdl;               /* tokens per row, 0 until computed */
	kbs__phrase_job *phrase;    /* plans to measure, or NULL */
	double *heap;               /* min-heap of the heap_k best BM25s */
	int heap_k, nheap;
	double unverified;          /* factor on a measured share, whose stop
	                               words are not checked, against a
	                               generator phrase's, whose are */
	/* out, for the row just scored */
	bool measured;              /* its phrase share was measured */
	double share;               /* best share, generator or measured */
	int via;                    /* its plan */
	int col;                    /* its column, or -1 */
	int off;                    /* the token offset in that column where
	                               the phrase starts, or -1 */
} kbs__score_job;

#define KBS__SCORE_PTR "kbs_score_job"

/*
 * Register the ranking auxiliary function kbs_score() (query/phrase.c)
 * on db's connection unless it is there already; a search calls it
 * before its first FTS5 query. Returns KBS_OK or KBS_DB.
 */
kbs_status kbs__rank_register(kbs_db *db);

/* ------------------------------------------------------------------ */
/* Results                                                             */
/* ------------------------------------------------------------------ */

struct kbs_hit {
	sqlite3_int64 article_id;   /* article.id */
	int rank;                   /* 1-based */
	double score;               /* higher is better */
	const char *kb_id, *title, *path, *snippet, *explain;
	kbs_span *spans;  size_t nspans;  /* matched words in snippet */
	const char **matched;  size_t nmatched, capmatched;
	const char **products; size_t nproducts, capproducts;
	kbs_product *prodrecs; size_t nprodrecs, capprodrecs; /* same,
	                                  name and version apart */
	kbs_event event;            /* for event lookups */
	bool has_event;
	kbs_code code;              /* for code lookups */
	bool has_code;
	kbs_file file;              /* for file lookups */
	bool has_file;
	int version_cmp;            /* for file lookups: article vs given */
	kbs_ref_kind ref;           /* for reference lookups */
};

struct kbs_results {
	kbs__arena arena;           /* owns the hits and their strings */
	kbs_hit *hits;  size_t n, cap;
	size_t next;                /* iterator position */
	kbs_query_info info;        /* paste analysis of a text search */
	bool has_info;
};

/* A new empty result set. Caller frees with kbs_results_free(). */
kbs_results *kbs__results_new(void);
/* Append a hit for article_id with score; NULL when out of memory. */
kbs_hit *kbs__results_add(kbs_results *r, sqlite3_int64 article_id,
                          double score);
/* Add name to the hit's matched list unless present. */
kbs_status kbs__hit_match(kbs_results *r, kbs_hit *h, const char *name);
/* Load kb_id, title, path and products of every hit and number them.
 * Returns KBS_OK, KBS_DB or KBS_NOMEM. */
kbs_status kbs__results_load(kbs_results *r, kbs_db *db);

/* Markers around matched words in a raw FTS5 snippet(); control
 * characters, so that no article text is taken for one. */
#define KBS__SNIP_OPEN "\x02"
#define KBS__SNIP_CLOSE "\x03"
/* Set h's snippet from raw (matches between the markers above): white
 * space runs collapsed to one space, ends trimmed, markers removed and
 * their places kept as spans. Returns KBS_OK or KBS_NOMEM. */
kbs_status kbs__hit_set_snippet(kbs_results *r, kbs_hit *h, const char *raw);

/* ------------------------------------------------------------------ */
/* Article ids (query/lookup.c)                                        */
/* ------------------------------------------------------------------ */

/* The rowid of the article whose article id is aid (canonical form).
 * Returns KBS_OK, KBS_NOT_FOUND (message on db) or KBS_DB. */
kbs_status kbs__aid_find(sqlite3_int64 *out, kbs_db *db, const char *aid);

/* ------------------------------------------------------------------ */
/* File versions (query/file_version.c)                                */
/* ------------------------------------------------------------------ */

/*
 * Order two file versions as builds: -1 when a is older than b, 0 when
 * they are the same build, 1 when a is newer. Components are the runs of
 * letters and digits between separators, compared left to right, digits
 * as numbers ("4.0.1381.33" < "4.0.1381.133"); a missing component counts
 * as 0 ("5.0" == "5.0.0"); letters compare without regard to case, after
 * digits, and a version that goes on is the later ("2.1a" > "2.1",
 * "4.0 SP6" > "4.0"); a remark in parentheses is ignored. Both must be
 * non-NULL.
 */
int kbs__file_version_cmp(const char *a, const char *b);

#endif
