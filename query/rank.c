/*
 * rank.c - the kbs_phrase() FTS5 auxiliary function.
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

#include <stdlib.h>
#include <string.h>

typedef struct inst {
	int col, off, phrase;
} inst;

typedef struct slot {
	long long key;        /* (col, diagonal) packed; 0 = empty */
	int last_k;           /* kept index of the stretch's last token */
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
 * slots. Returns its weight share, 0..1. */
static double
stretch(const kbs__plan *plan, const inst *in, int n, slot *tab,
        size_t nslots, int *bestcol)
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
			if (tab[h].key == key && tab[h].last_k == oc->k - 1)
				tab[h].run += w;
			else
				tab[h].run = w;
			tab[h].key = key;
			tab[h].last_k = oc->k;
			if (tab[h].run > best) {
				best = tab[h].run;
				*bestcol = in[i].col;
			}
		}
	}
	return best / plan->total;
}

static int
cmp_rowid(const void *a, const void *b)
{
	sqlite3_int64 x = *(const sqlite3_int64 *)a;
	sqlite3_int64 y = *(const sqlite3_int64 *)b;
	return x < y ? -1 : x > y;
}

static void
phrase_fn(const Fts5ExtensionApi *api, Fts5Context *fts,
          sqlite3_context *ctx, int nval, sqlite3_value **val)
{
	kbs__phrase_job *job;
	int ninst = 0, i;

	sqlite3_result_double(ctx, 0.0);
	if (nval < 1 || (job = sqlite3_value_pointer(val[0], KBS__JOB_PTR))
	                == NULL || job->nplans <= 0)
		return;
	/* Rows that are not candidates cost no position list. */
	sqlite3_int64 rowid = api->xRowid(fts);
	const sqlite3_int64 *hit = job->ids == NULL ? NULL :
		bsearch(&rowid, job->ids, job->nids, sizeof rowid, cmp_rowid);
	if (hit == NULL)
		return;
	size_t idx = (size_t)(hit - job->ids);
	if (api->xInstCount(fts, &ninst) != SQLITE_OK || ninst == 0)
		return;

	/* One scratch block holds the instances and the hash table of
	 * diagonals: 4 slots per (instance, occurrence) keeps it sparse. */
	size_t nslots = 64, occ_max = 0;
	for (int p = 0; p < job->nplans; p++) {
		const kbs__plan *plan = job->plans[p];
		size_t occ = 0;
		for (i = 0; i < ninst; i++) {
			int ph, col, off;
			if (api->xInst(fts, i, &ph, &col, &off) == SQLITE_OK &&
			    ph >= 0 && ph < plan->nphrases)
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
		if (p == NULL) {
			sqlite3_result_error_nomem(ctx);
			return;
		}
		job->scratch = p;
		job->scratch_cap = need;
	}
	inst *in = job->scratch;
	slot *tab = (slot *)((char *)job->scratch + tab_off);
	int n = 0;
	for (i = 0; i < ninst; i++) {
		int ph, col, off;
		if (api->xInst(fts, i, &ph, &col, &off) == SQLITE_OK && ph >= 0)
			in[n++] = (inst){ col, off, ph };
	}
	qsort(in, (size_t)n, sizeof *in, cmp_inst);

	double best = 0;
	int via = 0, col = -1;
	for (int p = 0; p < job->nplans; p++) {
		int c = -1;
		double sh = stretch(job->plans[p], in, n, tab, nslots, &c);
		if (sh > best) {
			best = sh;
			via = p;
			col = c;
		}
	}
	job->share[idx] = best;
	job->via[idx] = via;
	job->col[idx] = col;
	sqlite3_result_double(ctx, best);
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

kbs_status
kbs__rank_register(kbs_db *db)
{
	fts5_api *api = kbs__fts5_api(db->sqlite);
	if (api == NULL)
		return kbs__db_error(db, KBS_DB, "SQLite lacks FTS5");
	if (api->xCreateFunction(api, "kbs_phrase", NULL, phrase_fn, NULL) !=
	    SQLITE_OK)
		return kbs__db_sqlite_error(db, "registering kbs_phrase");
	return KBS_OK;
}
