/*
 * title.c - title evidence: the KB names the article about an error
 * message by that message.
 *
 * Many articles quote a message ("The handle is invalid", "There is not
 * enough memory"), most of them in passing; the one about it is titled
 * "Err Msg: <the message>" or "<product> Error Message: <...>", the KB's
 * own convention, often cut with "...". Phrase evidence and BM25 cannot
 * tell these apart when several articles hold the message word for word.
 * So the best candidates by the other evidence get a title share: when
 * the title carries the convention's two words (err and msg, or error and
 * message), the longest run of its other words that the paste holds in
 * the same order, over the number of those words. A run of one word
 * does not count. rank.c weighs the share (W_TITLE).
 */
#include "search.h"

#include <stdlib.h>
#include <string.h>

/* Words of a title kept from the tokenizer, at most. */
#define TITLE_TOKENS 64

/* The convention's words, as stems: "err"/"error" and "msg"/"messag". */
static int
marker(const char *stem)
{
	if (strcmp(stem, "err") == 0 || strcmp(stem, "error") == 0)
		return 1;
	if (strcmp(stem, "msg") == 0 || strcmp(stem, "messag") == 0)
		return 2;
	return 0;
}

/* The title share of title for the paste of s, 0..1. */
static double
title_share(search *s, const kbs__tokens *t)
{
	int term[TITLE_TOKENS], seen = 0;
	size_t n = t->n < TITLE_TOKENS ? t->n : TITLE_TOKENS, words = 0;
	size_t best = 0;

	for (size_t k = 0; k < n; k++) {
		int m = marker(t->v[k].stem);
		seen |= m;
		if (m != 0) {
			term[k] = -2;   /* never matches a paste token */
			continue;
		}
		words++;
		term[k] = kbs__term_of(s, t->v[k].stem);
	}
	if (seen != 3 || words == 0)
		return 0;
	/* the longest run of title words that the paste's tokens hold
	 * consecutively; only words of the paste have a term */
	for (size_t k = 0; k < n && best < words; k++) {
		if (term[k] < 0)
			continue;
		for (size_t j = 0; j < s->toks.n && best < words; j++) {
			size_t m = 0;
			while (k + m < n && j + m < s->toks.n &&
			       term[k + m] >= 0 &&
			       term[k + m] == s->tok_term[j + m])
				m++;
			if (m > best)
				best = m;
		}
	}
	return best >= 2 ? (double)best / (double)words : 0;
}

kbs_status
kbs__title_evidence(search *s, size_t r, double best_bm25)
{
	sqlite3_stmt *st = NULL;
	kbs_status rc = KBS_OK;

	if (r > s->ncands)
		r = s->ncands;
	if (r == 0 || s->toks.n == 0)
		return KBS_OK;
	if (sqlite3_prepare_v2(s->db->sqlite, "SELECT title FROM article "
	        "WHERE id = ?1", -1, &st, NULL) != SQLITE_OK)
		return kbs__db_sqlite_error(s->db, "reading titles");
	for (size_t i = 0; rc == KBS_OK && i < r; i++) {
		cand *c = &s->cands[i];
		sqlite3_bind_int64(st, 1, c->id);
		if (sqlite3_step(st) == SQLITE_ROW &&
		    sqlite3_column_type(st, 0) == SQLITE_TEXT) {
			kbs__tokens t = {0};
			rc = kbs__tokenize(&t, s->db,
			    (const char *)sqlite3_column_text(st, 0),
			    (size_t)sqlite3_column_bytes(st, 0));
			if (rc == KBS_OK)
				c->title = title_share(s, &t);
			kbs__arena_free(&t.arena);
			c->score = kbs__score_of(s, c, best_bm25, NULL);
		}
		sqlite3_reset(st);
	}
	sqlite3_finalize(st);
	/* a share only adds, so the first r stay ahead of the rest */
	if (rc == KBS_OK)
		qsort(s->cands, r, sizeof *s->cands, kbs__cmp_score);
	return rc;
}
