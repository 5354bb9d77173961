/*
 * typos.c - spelling correction of a paste's words, for a text search.
 *
 * A word the index does not hold, of TYPO_MIN_LETTERS letters or more, is
 * replaced by the indexed word one edit away (Damerau-Levenshtein
 * distance 1) that most articles hold, and so is a word held by at most
 * TYPO_RARE_DF articles when that neighbour is TYPO_GAIN times as common
 * (search.h); only such words pay for the lookup.
 *
 * The neighbours and their document frequencies come from the spelling
 * table (schema/kbsearch.sql), which an index run rebuilds; a database
 * made before that table existed is read through article_vocab, which
 * counts each word's posting list as it goes (9 ms for the words that
 * start like "winnx" over the archive, against well under one in the
 * table).
 */
#include "search.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

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
	/* not to a word under four letters: "cjdns" (stem "cjdn") is a
	 * name, not a misspelt "cdn" */
	size_t n = strlen(cand);
	if (df > *bestdf && n >= 4 && n < bestsz && one_edit(t->key, cand)) {
		memcpy(best, cand, n + 1);
		*bestdf = df;
	}
}

/* The range scan and the point lookup of the words to correct to: over
 * the spelling table, or article_vocab in a file made before it. */
static kbs_status
prepare_vocabulary(search *s, sqlite3_stmt **range, sqlite3_stmt **df)
{
	static const char *const sql[][2] = {
		{ "SELECT term, df FROM spelling "
		  "WHERE term >= ?1 AND term < ?2",
		  "SELECT df FROM spelling WHERE term = ?1" },
		{ "SELECT term, doc FROM article_vocab "
		  "WHERE term >= ?1 AND term < ?2",
		  "SELECT doc FROM article_vocab WHERE term = ?1" },
	};
	for (size_t v = 0; v < sizeof sql / sizeof *sql; v++) {
		if (sqlite3_prepare_v2(s->db->sqlite, sql[v][0], -1, range,
		                       NULL) == SQLITE_OK &&
		    sqlite3_prepare_v2(s->db->sqlite, sql[v][1], -1, df,
		                       NULL) == SQLITE_OK)
			return KBS_OK;
		sqlite3_finalize(*range);
		*range = NULL;
	}
	return kbs__db_sqlite_error(s->db, "reading the vocabulary");
}

/*
 * Replace each unknown word of the paste by the indexed term one edit
 * away that most articles hold. Terms sharing the word's first two
 * letters come from one range scan of the vocabulary; edits within the
 * first two letters are generated and looked up one by one.
 */
kbs_status
kbs__correct_typos(search *s)
{
	sqlite3_stmt *range = NULL, *df = NULL;
	kbs_status rc = KBS_OK;
	int done = 0;

	for (size_t i = 0; rc == KBS_OK && i < s->nterms && done < MAX_TYPOS;
	     i++) {
		term *t = &s->terms[i];
		if (!typo_candidate(t))
			continue;
		done++;
		if (range == NULL &&
		    (rc = prepare_vocabulary(s, &range, &df)) != KBS_OK)
			return rc;
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
	sqlite3_finalize(df);
	return rc;
}
