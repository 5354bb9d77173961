/*
 * rank.c - the ranking formula: how the evidence a search gathers about
 * an article adds up to its score, with each weight and why it has its
 * value.
 *
 * An article gets evidence from six places: the share of the paste's
 * message it holds as a phrase (kbs_score() in phrase.c measures it, or
 * the generator's phrase queries prove it), its BM25 over the paste's
 * words, weighted per column, the exact fields it shares with the
 * paste (event ID and source, error codes, file names, the KB id
 * itself), and for the best candidates a title that names the message
 * (title.c).
 * Each is a number in a known range (a share 0..1, BM25 as a fraction of
 * the query's best, counts capped at two), so that the weights below
 * alone say how much each kind of evidence counts. Every weight was
 * chosen on the dev queries over the corpus and its distractors (see
 * bench/README.md); changing one means measuring MRR@10 again.
 */
#include "search.h"

/*
 * BM25 column weights, in article_fts column order: title, symptoms,
 * cause, resolution, body, keywords, messages. Titles and the quoted error
 * messages say what an article is about; symptoms describe what the user
 * sees, which is what gets pasted. Cause and resolution use other words.
 */
const double kbs__column_weight[7] = { 4.0, 2.0, 1.0, 1.0, 1.0, 1.0, 3.0 };

/*
 * How the evidence adds up. The phrase share (0..1) dominates because the
 * article that answers a paste holds its message as written, while
 * near-misses hold the same words scattered or partly replaced. BM25 is
 * normalised by the best BM25 of the query (0..1) so that the weights do
 * not depend on the paste's length; it mostly breaks ties between equal
 * phrase shares (on the dev queries, BM25 weights of 0.5 to 1 give the
 * same ranking, 2 and above let short near-misses holding the words
 * scattered overtake long articles holding the message). Exact fields are
 * strong evidence but an event ID alone is shared by many articles, hence
 * the split between ID-only and ID-with-source.
 */

/* A share of 1, the whole message as written, is worth more than any one
 * exact field but the KB id, so that a near-miss sharing an event ID or a
 * code does not pass the article that holds the message. */
#define W_PHRASE     10.0
/* BM25 as a fraction of the query's best: a tie-breaker between equal
 * phrase shares (0.5 to 1 rank the dev queries alike; 2 and above let
 * short near-misses holding the words scattered overtake long articles
 * holding the message, as said above). */
#define W_BM25        1.0
/* Event ID and event source both match: the pair names one kind of
 * event of one component. */
#define W_EVENT_SRC   6.0
/* Event ID matches, source unknown or other: many sources log the same
 * ID (1000, 1001, 7000...), so it counts for less than half. */
#define W_EVENT_ID    2.5
/* Per matching error code, at most two: a code names the failure more
 * closely than an event ID does, but many articles share the common ones
 * such as 0x80070005 (access denied), and a paste listing many codes must not
 * outweigh its own message. */
#define W_CODE        4.0
/* An article naming more codes than this is a table of codes (the
 * errors of a utility, of roaming profiles...): a code it shares with
 * the paste is one row of the table, not the article's subject, so each
 * match counts CODE_TABLE / n of W_CODE, as BM25 discounts a word in a
 * long text. Four in five articles with codes name one or two; a paste
 * with an exit code and a Win32 error must not bring up every table
 * that lists both before the articles about the error. */
#define CODE_TABLE    4
/* Per matching file name, at most two: the weakest field, since pastes
 * name system files that the file tables of many articles list. */
#define W_FILE        2.0
/* The article's title names the pasted message, the KB's "Err Msg:"
 * convention (title.c): a share of 1 weighs as much as the best BM25,
 * enough to choose among the articles that hold the message equally and
 * too little to pass a larger phrase share (0.1 of it is worth 1). On
 * the 60,338-article archive, MRR@10: real-dev 0.859 -> 0.877, dev
 * queries with their original labels 0.890 -> 0.911, fragments 0.904 ->
 * 0.908, the small corpus 0.966 -> 0.967; 0.5 and 2 gave less on
 * real-dev, and titles without the convention's words (any title) lost
 * 0.014 there. */
#define W_TITLE       1.0
/* The paste names the article itself: more than all other evidence
 * together can reach (10 + 1 + 6 + 2 x 4 + 2 x 2 = 29), so the article
 * whose id was pasted comes first. */
#define W_KBID       30.0

/* A measured phrase share counts kbs__unverified times its value: the plan
 * holds content words only, so the stop words between them are not
 * checked, where a segment matched by an FTS5 phrase query is checked
 * word for word. On the dev queries over the corpus and its distractors
 * (near-misses with a third of their words swapped), 1.0 gives MRR@10
 * 0.922, 0.85 gives 0.956, 0.7 gives 0.953. */
const double kbs__unverified = 0.85;

double
kbs__score_of(const search *s, const cand *c, double best_bm25,
              kbs__buf *explain)
{
	double bm25 = best_bm25 > 0 ? c->bm25 / best_bm25 : 0;
	double ev = c->event_src ? W_EVENT_SRC : c->event_id ? W_EVENT_ID : 0;
	double code = W_CODE * (c->codes < 2 ? c->codes : 2);
	if (c->art_codes > CODE_TABLE)
		code *= (double)CODE_TABLE / c->art_codes;
	double file = W_FILE * (c->files < 2 ? c->files : 2);
	double kb = c->kb_id ? W_KBID : 0;
	double title = W_TITLE * c->title;
	double score = W_PHRASE * c->phrase + W_BM25 * bm25 + ev + code +
	               file + kb + title;
	if (explain != NULL)
		kbs__buf_printf(explain,
		    "phrase=%.3f (share %.2f x %.0f)\nbm25=%.3f (%.2f of best "
		    "%.2f x %.0f)\nevent=%.3f\ncode=%.3f\nfile=%.3f\nkb_id=%.3f\n"
		    "title=%.3f\n",
		    W_PHRASE * c->phrase, c->phrase, W_PHRASE, W_BM25 * bm25,
		    c->bm25, best_bm25, W_BM25, ev, code, file, kb, title);
	if (explain != NULL && c->via > 0)
		kbs__buf_printf(explain, "phrase via alias \"%s\"\n",
		                s->var[c->via - 1].label);
	return score;
}

int
kbs__cmp_score(const void *a, const void *b)
{
	const cand *x = a, *y = b;
	if (x->score != y->score)
		return x->score < y->score ? 1 : -1;
	return x->id < y->id ? -1 : x->id > y->id;
}
