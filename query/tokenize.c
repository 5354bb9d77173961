/*
 * tokenize.c - the index's own tokenizer, applied to pastes.
 *
 * Query terms must be tokenized exactly as article_fts tokenizes articles
 * (porter unicode61), or phrase positions would not line up. Rather than
 * re-implement the tokenizer, we borrow FTS5's through its C API (SQLite
 * FTS5 documentation, "Custom Tokenizers", fts5_api.xFindTokenizer).
 */
#include "query.h"

#include <stdlib.h>
#include <string.h>

typedef struct tokenizer {
	fts5_tokenizer api;   /* the porter wrapper's methods */
	Fts5Tokenizer *tok;   /* instance over unicode61 */
} tokenizer;

static void tokenizer_free(void *p);

/* The key of the handle's tokenizer (kbs__db_attach()). */
static const char tokenizer_key;

static kbs_status
tokenizer_get(tokenizer **out, kbs_db *db)
{
	if ((*out = kbs__db_attached(db, &tokenizer_key)) != NULL)
		return KBS_OK;
	fts5_api *api = kbs__fts5_api(db->sqlite);
	if (api == NULL)
		return kbs__db_error(db, KBS_DB, "FTS5 is not available");
	tokenizer *t = calloc(1, sizeof *t);
	if (t == NULL)
		return KBS_NOMEM;
	void *ud = NULL;
	const char *args[] = { "unicode61" };
	if (api->xFindTokenizer(api, "porter", &ud, &t->api) != SQLITE_OK ||
	    t->api.xCreate(ud, args, 1, &t->tok) != SQLITE_OK) {
		free(t);
		return kbs__db_error(db, KBS_DB,
		                     "the porter tokenizer is not available");
	}
	kbs_status rc = kbs__db_attach(db, &tokenizer_key, t, tokenizer_free);
	if (rc == KBS_OK)
		*out = t;
	return rc;
}

static void
tokenizer_free(void *p)
{
	tokenizer *t = p;
	if (t == NULL)
		return;
	t->api.xDelete(t->tok);
	free(t);
}

typedef struct collect {
	kbs__tokens *out;
	int pos;
	size_t max;             /* stop after this many tokens; 0: all */
	bool oom;
} collect;

static int
on_token(void *ctx, int flags, const char *tok, int ntok, int start, int end)
{
	collect *c = ctx;
	if (flags & FTS5_TOKEN_COLOCATED)
		return SQLITE_OK;
	if (c->max > 0 && c->out->n == c->max)
		return SQLITE_DONE;     /* ends xTokenize(), which returns it */
	kbs__token *t = KBS__PUSH(&c->out->arena, c->out->v, c->out->n,
	                          c->out->cap);
	if (t == NULL || (t->stem = kbs__arena_strndup(&c->out->arena, tok,
	                                              (size_t)ntok)) == NULL) {
		c->oom = true;
		return SQLITE_NOMEM;
	}
	t->start = (size_t)start;
	t->end = (size_t)end;
	t->pos = c->pos++;
	return SQLITE_OK;
}

kbs_status
kbs__tokenize_upto(kbs__tokens *out, kbs_db *db, const char *text,
                   size_t len, size_t max)
{
	tokenizer *t = NULL;
	kbs_status rc = tokenizer_get(&t, db);
	if (rc != KBS_OK)
		return rc;
	if (len > INT32_MAX)
		len = INT32_MAX;
	collect c = { .out = out, .max = max };
	int src = t->api.xTokenize(t->tok, &c, FTS5_TOKENIZE_DOCUMENT, text,
	                           (int)len, on_token);
	if (c.oom)
		return KBS_NOMEM;
	if (src != SQLITE_OK && src != SQLITE_DONE)
		return kbs__db_error(db, KBS_DB, "tokenizer failed (%d)", src);
	return KBS_OK;
}

kbs_status
kbs__tokenize(kbs__tokens *out, kbs_db *db, const char *text, size_t len)
{
	return kbs__tokenize_upto(out, db, text, len, 0);
}
