/*
 * search.c - ranking articles against a pasted error.
 *
 * A search runs in four steps:
 *
 *  1. Paste analysis (paste/) splits the paste into what identifies the
 *     problem (event ID and source, error codes, file names, KB ids, the
 *     message) and what varies (dates, computer names), which is dropped.
 *  2. The message is tokenized with the index's own tokenizer. Stop words
 *     and words the index does not hold are left out; of the rest at most
 *     MAX_TERMS, the ones with the highest IDF, are the scoring terms T,
 *     quoted, so no paste can be read as FTS5 syntax. The rarest of them
 *     and the message's segments as phrases make the candidate generator
 *     G (GEN_POSTINGS below).
 *  3. One FTS5 query, "(G) AND (T)", visits G's articles only; for each
 *     kbs_score() (phrase.c) computes its weighted BM25 over T and its
 *     phrase share, proven by the segments it matched or measured from
 *     the positions of T's words for the promising rows. Exact-field
 *     lookups add the articles that name the paste's event, codes, files
 *     and KB ids, matched or not by words.
 *  4. The evidence is combined into one score (kbs__score_of() in rank.c,
 *     the ranking formula and its weights) and the
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
#include "search.h"

#include <assert.h>
#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

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
	c->off = -1;
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
void
kbs__append_term(kbs__buf *q, const char *surface)
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

int
kbs__term_of(const search *s, const char *stem)
{
	size_t slot = term_slot(s, stem);
	return s->term_hash[slot] != 0 ? (int)s->term_hash[slot] - 1 : -1;
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

/* Tokenize text (a variant, a context name) into *toks, its term
 * indexes into *tok_term (heap; the caller frees both, also on error),
 * and add its words to T's second pass, beside the paste's own words. */
static kbs_status
extra_terms(search *s, const char *text, kbs__tokens *toks, int **tok_term,
            sqlite3_stmt *df)
{
	kbs_status rc = kbs__tokenize(toks, s->db, text, strlen(text));
	if (rc == KBS_OK &&
	    (*tok_term = malloc((toks->n + 1) * sizeof **tok_term)) == NULL)
		rc = KBS_NOMEM;
	if (rc == KBS_OK)
		rc = collect_terms(s, text, toks, *tok_term, true, df);
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
		size_t start = kbs__informative_window(msg, mlen,
		                                       MESSAGE_MAX), cut;
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
	sqlite3_stmt *probe = NULL;
	term **order = NULL;
	size_t i, v;

	if (rc != KBS_OK || s->toks.n == 0)
		return rc;
	s->tok_term = malloc(s->toks.n * sizeof *s->tok_term);
	if (s->tok_term == NULL)
		return KBS_NOMEM;
	if (sqlite3_prepare_v2(s->db->sqlite,
	        "SELECT rowid FROM article_fts WHERE article_fts MATCH ?1",
	        -1, &probe, NULL) != SQLITE_OK)
		return kbs__db_sqlite_error(s->db, "reading the vocabulary");
	rc = kbs__db_count(s->db, "SELECT max(id) FROM article", &s->max_id);
	if (rc == KBS_OK)
		rc = collect_terms(s, msg, &s->toks, s->tok_term, false, probe);
	if (rc == KBS_OK)
		rc = kbs__correct_typos(s);
	if (rc == KBS_OK)
		rc = make_variants(s, msg);
	for (v = 0; rc == KBS_OK && v < s->nvar; v++)
		rc = extra_terms(s, s->var[v].text, &s->var[v].toks,
		                 &s->var[v].tok_term, probe);
	/* What the message's inserts named (a service): words of T beside
	 * the variants' words, never part of the message's phrases. */
	for (v = 0; rc == KBS_OK && v < s->paste.ncontext; v++) {
		kbs__tokens ct = {0};
		int *ct_term = NULL;
		rc = extra_terms(s, s->paste.context[v], &ct, &ct_term, probe);
		free(ct_term);
		kbs__arena_free(&ct.arena);
	}
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
			kbs__append_term(&s->query, order[i]->surface);
			if (i < SNIPPET_TERMS)
				kbs__append_term(&s->squery, order[i]->surface);
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
		rc = kbs__build_generator(s);
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
 * phrase.c). */
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
	job.colw = kbs__column_weight;
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
	job.unverified = kbs__unverified;
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
			c->off = job.off;
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
	(void)p;
	c->codes++;
	c->art_codes = sqlite3_column_int(st, 1);
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
		 * Win32/HRESULT twin it used, with the number of codes it
		 * names (kbs__score_of() discounts tables of codes). */
		rc = prepare(s, &st, "SELECT e.article_id, (SELECT count("
		                     "DISTINCT x.code) FROM error_code x "
		                     "WHERE x.article_id = e.article_id) "
		                     "FROM error_code e WHERE e.code IN "
		                     "(?, ?, ?) GROUP BY e.article_id");
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

/* Snippets: SNIPPET_TOKENS tokens, as FTS5's snippet() gives them. */
#define SNIPPET_TOKENS 24
/* Tokens of context shown before the phrase an article holds. */
#define SNIPPET_BEFORE 3

/*
 * The snippet of an article that holds part of the message as a phrase:
 * the SNIPPET_TOKENS tokens from SNIPPET_BEFORE before where that phrase
 * starts in column c->col, its words that are scoring terms marked.
 * The column is tokenized up to the window's end only: FTS5's snippet()
 * tokenizes the whole column twice to choose and cut a window (a fifth
 * of a search's time over the archive, with the query run again for each
 * hit) where the phrase evidence already says where the message is.
 * *done is false when the text is not there (snippet() then does it).
 */
static kbs_status
phrase_snippet(search *s, kbs_hit *h, const cand *c, bool *done)
{
	kbs__tokens t = {0};
	kbs__buf raw = {0};
	size_t a = c->off > SNIPPET_BEFORE ? (size_t)c->off - SNIPPET_BEFORE
	                                    : 0;
	kbs_status rc = KBS_OK;
	char *text = NULL;
	size_t len = 0;

	*done = false;
	/* article_fts's columns: the title (the hit has it), then the packed
	 * parts in the same order */
	if (c->col == 0) {
		if (h->title == NULL)
			return KBS_OK;
		len = strlen(h->title);
	} else if ((rc = kbs__article_text(s->db, c->id,
	                (enum kbs__part)c->col, &text, &len)) != KBS_OK) {
		/* a row the FTS5 query just matched; snippet() will say */
		return rc == KBS_NOMEM ? rc : KBS_OK;
	}
	const char *col = text != NULL ? text : h->title;
	/* one token past the window tells whether the column goes on */
	rc = kbs__tokenize_upto(&t, s->db, col, len, a + SNIPPET_TOKENS + 1);
	if (rc == KBS_OK && a < t.n) {
		size_t b = a + SNIPPET_TOKENS < t.n ? a + SNIPPET_TOKENS : t.n;
		if (a > 0)
			kbs__buf_puts(&raw, "... ");
		for (size_t k = a; k < b; k++) {
			const kbs__token *tk = &t.v[k];
			int term = kbs__term_of(s, tk->stem);
			bool mark = term >= 0 && s->terms[term].phrase >= 0;
			if (k > a)
				kbs__buf_append(&raw, col + t.v[k - 1].end,
				                tk->start - t.v[k - 1].end);
			if (mark)
				kbs__buf_puts(&raw, KBS__SNIP_OPEN);
			kbs__buf_append(&raw, col + tk->start,
			                tk->end - tk->start);
			if (mark)
				kbs__buf_puts(&raw, KBS__SNIP_CLOSE);
		}
		if (b < t.n) {
			kbs__buf_puts(&raw, " ...");
		} else {
			/* the column ends here: its closing punctuation */
			size_t e = t.v[b - 1].end, n = len - e < 8 ? len - e : 8;
			while (n > 0 && e + n < len &&
			       ((unsigned char)col[e + n] & 0xC0) == 0x80)
				n--;    /* not inside a UTF-8 sequence */
			kbs__buf_append(&raw, col + e, n);
		}
		rc = raw.oom ? KBS_NOMEM
		             : kbs__hit_set_snippet(s->res, h, kbs__buf_str(&raw));
		*done = rc == KBS_OK;
	}
	free(text);
	kbs__buf_free(&raw);
	kbs__arena_free(&t.arena);
	return rc;
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
		if (rc == KBS_OK && c->title > 0)
			rc = kbs__hit_match(r, h, "title");
		if (rc == KBS_OK && opt != NULL && opt->explain) {
			kbs__buf ex = {0};
			kbs__score_of(s, c, best_bm25, &ex);
			if (ex.oom ||
			    (h->explain = kbs__arena_strdup(&r->arena,
			                                    kbs__buf_str(&ex))) == NULL)
				rc = KBS_NOMEM;
			kbs__buf_free(&ex);
		}
		bool done = false;
		if (rc == KBS_OK && c->fts && snip != NULL && c->col >= 0 &&
		    c->off >= 0)
			rc = phrase_snippet(s, h, c, &done);
		if (rc == KBS_OK && c->fts && snip != NULL && !done) {
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

/* The key of the count of text searches run on a read-only handle
 * (kbs__db_attach()). */
static const char searches_key;

/* At its first search a read-only handle maps the database: FTS5's pages
 * are then read in place from the OS page cache rather than copied into
 * SQLite's (a quarter of a search's CPU time on the 57k-article index).
 * A process that searches once gains too: over the real-dev pastes and
 * the archive, CLI searches took 15.9-17.2 ms at the median mapped from
 * the first search against 18.9-19.7 from the second (copying a page
 * into SQLite's cache costs its copy and the faults on fresh buffers).
 * Nothing writes through the mapping. */
static kbs_status
map_database(kbs_db *db)
{
	unsigned *n = kbs__db_attached(db, &searches_key);
	if (n == NULL) {
		if ((n = calloc(1, sizeof *n)) == NULL)
			return KBS_NOMEM;
		kbs_status rc = kbs__db_attach(db, &searches_key, n, free);
		if (rc != KBS_OK)
			return rc;
	}
	if ((*n)++ == 0 && sqlite3_exec(db->sqlite,
	        "PRAGMA mmap_size = 2147418112", NULL, NULL, NULL) != SQLITE_OK)
		return kbs__db_sqlite_error(db, "mapping the database");
	return KBS_OK;
}

kbs_status
kbs_search_text(kbs_results **out, kbs_db *db, const char *paste,
                size_t len, const kbs_search_options *opt)
{
	search s = { .db = db };
	kbs_status rc = KBS_OK;
	unsigned limit = opt != NULL && opt->limit > 0 ? opt->limit : 10;
	double best = 0;
	bool in_read = false;
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
	if (db->readonly)
		rc = map_database(db);
	if (rc == KBS_OK)
		rc = kbs__rank_register(db);
	if (rc == KBS_OK)
		rc = kbs__db_read_begin(db, &in_read);
	if (rc == KBS_OK)
		rc = kbs__paste_analyse(&s.paste, paste ? paste : "", len);
	if (rc == KBS_OK)
		rc = kbs__db_articles(db, &s.narticles);
	if (rc == KBS_OK)
		rc = build_query(&s);
	if (rc == KBS_OK)
		rc = run_fts(&s, &s.g[0]);
	if (rc == KBS_OK && s.g[1].n > 0 && best_share(&s) < WINDOWS_BELOW)
		rc = run_fts(&s, &s.g[1]);
	if (rc == KBS_OK)
		rc = run_fields(&s);
	if (rc == KBS_OK)
		rc = kbs__run_filters(&s, opt);
	if (rc == KBS_OK)
		rc = fill_info(&s);
	for (i = 0; i < s.ncands; i++)
		if (s.cands[i].bm25 > best)
			best = s.cands[i].bm25;
	for (i = 0; i < s.ncands; i++)
		s.cands[i].score = kbs__score_of(&s, &s.cands[i], best, NULL);
	if (s.ncands > 0)
		qsort(s.cands, s.ncands, sizeof *s.cands, kbs__cmp_score);
	if (rc == KBS_OK)
		rc = kbs__title_evidence(&s, s.offset + limit + TITLE_RERANK,
		                         best);
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

	kbs__db_read_end(db, in_read);
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
