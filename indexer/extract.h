/*
 * extract.h - what the extractors of indexer/ share (extract.c and
 * filetable.c): the lines of a chunk of text, the extraction context,
 * and small helpers. Nothing outside those files includes it.
 */
#ifndef KBS_EXTRACT_H
#define KBS_EXTRACT_H

#include "private.h"
#include "recognise.h"

#include <ctype.h>

typedef struct xline {
	const char *s;     /* first non-space byte */
	size_t n;          /* length from s, trailing space removed */
	size_t indent;     /* columns of leading white space (tab = 8) */
	const char *raw;   /* line start */
} xline;

typedef struct ex {
	kbs_article *a;
	kbs_status rc;         /* sticky */
	xline *lines;          /* heap, lines of the current chunk */
	size_t nlines, caplines;
	kbs__buf tmp;          /* scratch */
} ex;

static inline bool
is_word(int c)
{
	return isalnum(c) || c == '_';
}

static inline bool
word_start(const char *s, size_t i)
{
	return i == 0 || !is_word((unsigned char)s[i - 1]);
}

static inline const char *
dup(ex *x, const char *s, size_t n)
{
	char *d = kbs__arena_strndup(&x->a->arena, s, n);
	if (d == NULL)
		x->rc = KBS_NOMEM;
	return d;
}

/*
 * Whether a record of kind with key[0..n) may be added to x's article:
 * no error so far, not seen before (kbs__seen()) and fewer than
 * KBS__MAX_RECORDS of them (count) kept, else counted in capped. Sets
 * x->rc on KBS_NOMEM.
 */
static inline bool
is_new(ex *x, enum kbs__record kind, const void *key, size_t n, bool ci,
       size_t count)
{
	if (x->rc != KBS_OK)
		return false;
	int seen = kbs__seen(x->a, kind, key, n, ci);
	if (seen != 0) {
		if (seen < 0)
			x->rc = KBS_NOMEM;
		return false;
	}
	if (count >= KBS__MAX_RECORDS) {
		x->a->capped++;
		return false;
	}
	return true;
}

/* File version tables in the chunk's lines (filetable.c). */
void kbs__extract_files(ex *x);

#endif
