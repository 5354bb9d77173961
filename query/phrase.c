/*
 * phrase.c - phrase evidence: the kbs_phrase() and kbs_score() FTS5
 * auxiliary functions.
 *
 * BM25 scores each query word on its own, so an article that holds the
 * pasted message word for word ranks close to a near-miss that holds most
 * of the same words scattered or with some replaced. Support pastes are
 * quotes: the article that answers them contains the message as written.
 * kbs_phrase() measures that directly. For the current row it walks the
 * positions of every query term (xInst) and finds the longest stretch of
 * the paste that the article holds in the same order and with the same
 * spacing: two matches belong to one stretch when they lie on the same
 * diagonal (article position - paste position) and are consecutive among
 * the paste's kept tokens. Stop words are not query terms, but the spacing
 * test still requires the same number of words between kept tokens, so a
 * stretch is a phrase match with the stop words unverified. The stretch is
 * weighted by the IDF of its tokens and divided by the paste's total, so
 * the result is the share of the paste's information found as a phrase,
 * from 0 to 1.
 */
#include "query.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

typedef struct inst {
	int col, off, phrase;
} inst;

typedef struct slot {
	long long key;        /* (col, diagonal) packed; 0 = empty */
	int last_k;           /* kept index of the stretch's last token */
	int first;            /* article offset of its first token */
	double run;           /* weight of the stretch so far */
} slot;

static int
cmp_inst(const void *a, const void *b)
{
	const inst *x = a, *y = b;
	if (x->col != y->col)
		return x->col - y->col;
	return x->off - y->off;
}

/* The longest aligned stretch of plan's paste in the row whose instances
 * are in[0..n), sorted; tab is a hash table of nslots (a power of two)
 * slots. Returns its weight share, 0..1, with its column and the offset
 * of its first token there. */
static double
stretch(const kbs__plan *plan, const inst *in, int n, slot *tab,
        size_t nslots, int *bestcol, int *bestoff)
{
	double best = 0;
	if (plan->total <= 0)
		return 0;
	memset(tab, 0, nslots * sizeof(slot));
	for (int i = 0; i < n; i++) {
		if (in[i].phrase >= plan->nphrases)
			continue;
		for (int o = plan->first[in[i].phrase];
		     o < plan->first[in[i].phrase + 1]; o++) {
			const kbs__occ *oc = &plan->occ[o];
			long long diag = (long long)in[i].off - oc->pos;
			/* +1 keeps key 0 free as the empty marker */
			long long key = ((long long)in[i].col << 40) +
			                (diag + (1LL << 32)) + 1;
			size_t h = (size_t)((unsigned long long)key *
			                    0x9E3779B97F4A7C15ull) &
			           (nslots - 1);
			while (tab[h].key != 0 && tab[h].key != key)
				h = (h + 1) & (nslots - 1);
			double w = plan->weight[oc->k];
			if (tab[h].key == key && tab[h].last_k == oc->k - 1) {
				tab[h].run += w;
			} else {
				tab[h].run = w;
				tab[h].first = in[i].off;
			}
			tab[h].key = key;
			tab[h].last_k = oc->k;
			if (tab[h].run > best) {
				best = tab[h].run;
				*bestcol = in[i].col;
				*bestoff = tab[h].first;
			}
		}
	}
	return best / plan->total;
}

/* The best share of job's plans that the current row holds as aligned
 * stretches, with the plan (*via), column (*col) and first token's offset
 * (*off) that give it. Returns SQLITE_OK or SQLITE_NOMEM. */
static int
measure(kbs__phrase_job *job, const Fts5ExtensionApi *api, Fts5Context *fts,
        double *share, int *via, int *col, int *off)
{
	int ninst = 0, i;

	*share = 0;
	*via = 0;
	*col = -1;
	*off = -1;
	if (job->nplans <= 0 || api->xInstCount(fts, &ninst) != SQLITE_OK ||
	    ninst == 0)
		return SQLITE_OK;

	/* One scratch block holds the instances and the hash table of
	 * diagonals: 4 slots per (instance, occurrence) keeps it sparse. */
	size_t nslots = 64, occ_max = 0;
	for (int p = 0; p < job->nplans; p++) {
		const kbs__plan *plan = job->plans[p];
		size_t occ = 0;
		for (i = 0; i < ninst; i++) {
			int ph, c, off;
			if (api->xInst(fts, i, &ph, &c, &off) == SQLITE_OK &&
			    (ph -= job->offset) >= 0 && ph < plan->nphrases)
				occ += (size_t)(plan->first[ph + 1] -
				                plan->first[ph]);
		}
		if (occ > occ_max)
			occ_max = occ;
	}
	while (nslots < occ_max * 4)
		nslots *= 2;
	/* The slots follow the instances, at the next multiple of a slot's
	 * alignment (12-byte instances would leave them misaligned). */
	size_t tab_off = (size_t)ninst * sizeof(inst);
	tab_off = (tab_off + _Alignof(slot) - 1) / _Alignof(slot) *
	          _Alignof(slot);
	size_t need = tab_off + nslots * sizeof(slot);
	if (need > job->scratch_cap) {
		void *p = realloc(job->scratch, need);
		if (p == NULL)
			return SQLITE_NOMEM;
		job->scratch = p;
		job->scratch_cap = need;
	}
	inst *in = job->scratch;
	slot *tab = (slot *)((char *)job->scratch + tab_off);
	int n = 0;
	for (i = 0; i < ninst; i++) {
		int ph, c, off;
		if (api->xInst(fts, i, &ph, &c, &off) == SQLITE_OK &&
		    (ph -= job->offset) >= 0)
			in[n++] = (inst){ c, off, ph };
	}
	qsort(in, (size_t)n, sizeof *in, cmp_inst);

	for (int p = 0; p < job->nplans; p++) {
		int c = -1, o = -1;
		double sh = stretch(job->plans[p], in, n, tab, nslots, &c, &o);
		if (sh > *share) {
			*share = sh;
			*via = p;
			*col = c;
			*off = o;
		}
	}
	return SQLITE_OK;
}

/* Does a row of BM25 score v enter the min-heap of the job's best
 * (Williams's binary heap, 1964)? Pushes it if so. */
static bool
heap_enter(kbs__score_job *job, double v)
{
	double *h = job->heap;
	int n = job->nheap, i = 0;
	if (job->heap_k <= 0)
		return false;
	if (n < job->heap_k) {
		for (i = n++; i > 0 && h[(i - 1) / 2] > v; i = (i - 1) / 2)
			h[i] = h[(i - 1) / 2];
		h[i] = v;
		job->nheap = n;
		return true;
	}
	if (v <= h[0])
		return false;
	for (;;) {                      /* replace the root, sift down */
		int c = 2 * i + 1;
		if (c >= n)
			break;
		if (c + 1 < n && h[c + 1] < h[c])
			c++;
		if (h[c] >= v)
			break;
		h[i] = h[c];
		i = c;
	}
	h[i] = v;
	return true;
}

/*
 * kbs_score(article_fts, job): the weighted BM25 of the current row over
 * the scoring terms, computed as FTS5's own bm25() does (fts5_aux.c:
 * k1 = 1.2, b = 0.75, the document length summed over all columns, a
 * term's frequency summed over columns times their weights; Robertson and
 * Zaragoza, "The Probabilistic Relevance Framework: BM25 and Beyond",
 * 2009) but with the IDFs handed in. FTS5's bm25() finds each phrase's
 * document frequency by reading its whole posting list once per query,
 * which for a common word costs as much as the search; the vocabulary
 * table has the same counts at the price of one lookup. Each term's
 * positions are read with xPhraseFirst, so no term costs more than its
 * own occurrences in the row. Also records in the job the best phrase
 * share among the generator's phrases that the row holds.
 */
static void
score_fn(const Fts5ExtensionApi *api, Fts5Context *fts,
         sqlite3_context *ctx, int nval, sqlite3_value **val)
{
	const double k1 = 1.2, b = 0.75;
	kbs__score_job *job;
	Fts5PhraseIter it;
	int col, off, dl = 0;

	sqlite3_result_double(ctx, 0.0);
	if (nval < 1 || (job = sqlite3_value_pointer(val[0], KBS__SCORE_PTR))
	                == NULL)
		return;
	if (job->avgdl <= 0) {
		sqlite3_int64 rows = 0, total = 0;
		if (api->xRowCount(fts, &rows) != SQLITE_OK ||
		    api->xColumnTotalSize(fts, -1, &total) != SQLITE_OK)
			return;
		job->avgdl = rows > 0 && total > 0 ? (double)total / rows : 1;
	}
	job->share = 0;
	job->via = 0;
	job->col = -1;
	job->off = -1;
	bool near = false;
	for (int g = 0; g < job->ngen; g++) {
		if (job->gen_share[g] == -1 && !near) {
			/* a NEAR window: measure the row if it holds all */
			int k = 0, m = job->gen_via[g];
			while (k < m && g + k < job->ngen &&
			       api->xPhraseFirst(fts, g + k, &it, &col,
			                         &off) == SQLITE_OK && col >= 0)
				k++;
			near = k == m;
		}
		if (job->gen_share[g] <= job->share)
			continue;
		if (api->xPhraseFirst(fts, g, &it, &col, &off) == SQLITE_OK &&
		    col >= 0) {
			job->share = job->gen_share[g];
			job->via = job->gen_via[g];
			job->col = col;
			job->off = off;
		}
	}
	if (api->xColumnSize(fts, -1, &dl) != SQLITE_OK)
		return;
	double norm = k1 * (1 - b + b * dl / job->avgdl), score = 0;
	for (int t = 0; t < job->nterms; t++) {
		double f = 0;
		if (api->xPhraseFirst(fts, job->ngen + t, &it, &col, &off) !=
		    SQLITE_OK)
			continue;
		for (; col >= 0; api->xPhraseNext(fts, &it, &col, &off))
			f += col < job->ncols ? job->colw[col] : 1.0;
		if (f > 0)
			score += job->idf[t] * f * (k1 + 1) / (f + norm);
	}
	/* Positions are read for the rows that hold a part of the message
	 * or whose BM25 is among the best so far: with rows in random order
	 * of score, about k (1 + ln(n / k)) of n rows. */
	job->measured = false;
	if (job->phrase != NULL &&
	    (job->share > 0 || near || heap_enter(job, score))) {
		double sh;
		int via, c, o;
		if (measure(job->phrase, api, fts, &sh, &via, &c, &o) !=
		    SQLITE_OK) {
			sqlite3_result_error_nomem(ctx);
			return;
		}
		job->measured = true;
		sh *= job->unverified;
		if (sh > job->share) {
			job->share = sh;
			job->via = via;
			job->col = c;
			job->off = o;
		}
	}
	sqlite3_result_double(ctx, score);
}

fts5_api *
kbs__fts5_api(sqlite3 *db)
{
	fts5_api *api = NULL;
	sqlite3_stmt *st = NULL;
	if (sqlite3_prepare_v2(db, "SELECT fts5(?1)", -1, &st, NULL) ==
	    SQLITE_OK) {
		sqlite3_bind_pointer(st, 1, (void *)&api, "fts5_api_ptr", NULL);
		sqlite3_step(st);
	}
	sqlite3_finalize(st);
	return api;
}

/* The key under which a handle keeps the connection that kbs_score() was
 * registered on (kbs__db_attach()). */
static const char rank_key;

kbs_status
kbs__rank_register(kbs_db *db)
{
	if (kbs__db_attached(db, &rank_key) == db->sqlite)
		return KBS_OK;
	fts5_api *api = kbs__fts5_api(db->sqlite);
	if (api == NULL)
		return kbs__db_error(db, KBS_DB, "SQLite lacks FTS5");
	if (api->xCreateFunction(api, "kbs_score", NULL, score_fn, NULL) !=
	    SQLITE_OK)
		return kbs__db_sqlite_error(db, "registering kbs_score");
	return kbs__db_attach(db, &rank_key, db->sqlite, NULL);
}
