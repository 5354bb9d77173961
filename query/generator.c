/*
 * generator.c - the candidate generator of a text search: the rarest
 * terms, the message's segments as phrases and, when those find no
 * article holding most of the message, NEAR windows of common words
 * (search.h, "The candidate generator G", says why and with what
 * limits).
 */
#include "search.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

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
 * words of the paste, none of them in G already, within WINDOW_POSTINGS
 * (the heaviest whatever it costs), as FTS5 NEAR groups
 * spanning as many tokens as in the paste plus two. A fragment of common
 * words inside chatter ("Hi team, seeing the following after reboot
 * Invalid Page Fault error in") has no rare word of its own and no
 * segment that an article holds; four of its words close together are
 * rare, and a NEAR group reads their positions only, none of the stop
 * words'. Rows matching a window get their phrase share measured.
 */
void
kbs__add_windows(search *s)
{
	window w[MAX_WINDOW_CANDS];
	size_t c[MAX_WINDOW_CANDS + NEAR_WORDS], nc = 0, nw = 0, n, i, k;
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
	long long room = WINDOW_POSTINGS;
	for (i = 0, n = 0; i < nw && n < MAX_WINDOWS &&
	                   w1->n + NEAR_WORDS <= MAX_GEN; i++) {
		/* FTS5 matches a NEAR group by stepping its words' posting
		 * lists in step, so its cost follows its rarest word */
		long long df = -1;
		for (k = 0; k < NEAR_WORDS; k++) {
			long long d = s->terms[s->tok_term[w[i].tok[k]]].df;
			if (df < 0 || d < df)
				df = d;
		}
		if (n > 0 && df > room)
			continue;
		room -= df;
		n++;
		int span = s->toks.v[w[i].tok[NEAR_WORDS - 1]].pos -
		           s->toks.v[w[i].tok[0]].pos;
		kbs__buf_puts(&w1->q, w1->q.len > 0 ? " OR NEAR(" : "NEAR(");
		for (k = 0; k < NEAR_WORDS; k++) {
			const term *t = &s->terms[s->tok_term[w[i].tok[k]]];
			kbs__buf t1 = {0};
			kbs__append_term(&t1, t->surface);
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
 * rarest words' document frequencies sum to at most SEG_POSTINGS. */
kbs_status
kbs__build_generator(search *s)
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
		kbs__append_term(&g0->q, order[i]->surface);
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
		if (!forced && (df < 0 || df > room))
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
	kbs__add_windows(s);
	bool oom = one.oom || g0->q.oom || s->g[1].q.oom;
	kbs__buf_free(&one);
	return oom ? KBS_NOMEM : KBS_OK;
}
