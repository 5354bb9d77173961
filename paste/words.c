/*
 * words.c - the word scanner: the message built word by word, and
 * the lists (codes, files, KB ids, dropped parts) it records.
 */
#include "paste_int.h"

#include <string.h>

/* ------------------------------------------------------------------ */
/* Recording results                                                   */
/* ------------------------------------------------------------------ */

void
kbs__pa_add_dropped(ctx *c, const char *s, size_t n)
{
	kbs__paste *p = c->p;
	kbs__trim(&s, &n);
	if (c->rc != KBS_OK || n == 0 || p->ndropped >= MAX_ITEMS)
		return;
	for (size_t i = 0; i < p->ndropped; i++)
		if (strlen(p->dropped[i]) == n && memcmp(p->dropped[i], s, n) == 0)
			return;
	char *d = kbs__arena_strndup(&p->arena, s, n);
	const char **slot = d == NULL ? NULL :
		KBS__PUSH(&p->arena, p->dropped, p->ndropped, p->capdropped);
	if (slot == NULL)
		c->rc = KBS_NOMEM;
	else
		*slot = d;
}

void
kbs__pa_add_code(ctx *c, uint32_t v)
{
	kbs__paste *p = c->p;
	if (c->rc != KBS_OK || p->ncodes >= MAX_ITEMS)
		return;
	for (size_t i = 0; i < p->ncodes; i++)
		if (p->codes[i] == v)
			return;
	uint32_t *slot = KBS__PUSH(&p->arena, p->codes, p->ncodes, p->capcodes);
	if (slot == NULL)
		c->rc = KBS_NOMEM;
	else
		*slot = v;
}

/* Append s to a string list unless an equal one (case-insensitive) is
 * there already. */
static void
add_string(ctx *c, const char ***arr, size_t *count, size_t *cap,
           const char *s, size_t n)
{
	kbs__paste *p = c->p;
	if (c->rc != KBS_OK || n == 0 || *count >= MAX_ITEMS)
		return;
	for (size_t i = 0; i < *count; i++)
		if (strlen((*arr)[i]) == n && strncasecmp((*arr)[i], s, n) == 0)
			return;
	char *d = kbs__arena_strndup(&p->arena, s, n);
	const char **a = *arr;
	const char **slot = d == NULL ? NULL : KBS__PUSH(&p->arena, a, *count, *cap);
	if (slot == NULL) {
		c->rc = KBS_NOMEM;
		return;
	}
	*slot = d;
	*arr = a;
}

void
kbs__pa_add_file(ctx *c, const char *s, size_t n)
{
	add_string(c, &c->p->files, &c->p->nfiles, &c->p->capfiles, s, n);
}

void
kbs__pa_add_context(ctx *c, const char *s, size_t n)
{
	kbs__trim(&s, &n);
	add_string(c, &c->p->context, &c->p->ncontext, &c->p->capcontext,
	           s, n);
}

void
kbs__pa_add_name(ctx *c, const char *s, size_t n)
{
	kbs__trim(&s, &n);
	if (n < 2 || c->nnames == MAX_NAMES)
		return;
	c->names[c->nnames] = s;
	c->namelen[c->nnames++] = n;
}

/* Case matters: a computer called SERVER must not take the word "server"
 * out of the description. */
bool
kbs__pa_known_name(const ctx *c, const char *s, size_t n)
{
	for (int i = 0; i < c->nnames; i++)
		if (c->namelen[i] == n && strncmp(c->names[i], s, n) == 0)
			return true;
	return false;
}

/* Append one word to the message, a space before it unless glue. */
void
kbs__pa_emit(ctx *c, const char *s, size_t n, bool glue)
{
	if (n == 0)
		return;
	if (c->msg.len > 0 && !glue)
		kbs__buf_putc(&c->msg, ' ');
	kbs__buf_append(&c->msg, s, n);
}

/* ------------------------------------------------------------------ */
/* The word scanner                                                    */
/* ------------------------------------------------------------------ */

static bool
is_open_punct(int ch)
{
	return ch == '(' || ch == '[' || ch == '{' || ch == '<' || ch == '"' ||
	       ch == '\'' || ch == '`';
}

static bool
is_close_punct(int ch)
{
	return ch == ')' || ch == ']' || ch == '}' || ch == '>' || ch == '"' ||
	       ch == '\'' || ch == '`' || ch == ',' || ch == ';' || ch == ':' ||
	       ch == '.' || ch == '!' || ch == '?';
}

/* Remember s[0..n) as the previous word when it has letters; colon tells
 * whether a colon followed it. */
static void
set_prev(ctx *c, const char *s, size_t n, bool colon)
{
	bool alpha = false;
	for (size_t i = 0; i < n; i++)
		if (isalpha((unsigned char)s[i]))
			alpha = true;
	if (!alpha)
		return;
	memcpy(c->prev2, c->prev, sizeof c->prev2);
	if (n >= sizeof c->prev)
		n = sizeof c->prev - 1;
	for (size_t i = 0; i < n; i++)
		c->prev[i] = (char)tolower((unsigned char)s[i]);
	c->prev[n] = '\0';
	c->prev_colon = colon;
}

/* Emit the trailing punctuation of a dropped word when it ends a sentence
 * or clause, so that phrases do not run together. */
static void
emit_tail(ctx *c, const char *s, size_t n)
{
	while (n > 0 && (s[n - 1] == ')' || s[n - 1] == ']' || s[n - 1] == '}' ||
	                 s[n - 1] == '>' || s[n - 1] == '"' || s[n - 1] == '\''))
		n--;
	if (n > 0 && s[n - 1] == '.')
		kbs__pa_emit(c, s + n - 1, 1, true);
}

/*
 * One piece of a word (words are cut at parentheses, commas and
 * semicolons so that "0X0000001e(0xc0000005," gives two values): copied
 * to the message, or dropped when volatile; codes, files, KB ids and event
 * ID mentions are collected on the way. text[0..n) is the whole region and
 * *pi the end of the current word, which a time followed by AM moves.
 */
static void
scan_piece(ctx *c, const char *text, size_t n, size_t *pi, const char *w,
           size_t wn, bool first, bool last)
{
	/* The core: the word without quotes, brackets and sentence
	 * punctuation around it. */
	const char *k = w;
	size_t kn = wn;
	while (kn > 0 && is_open_punct(k[0])) {
		k++;
		kn--;
	}
	while (kn > 0 && is_close_punct(k[kn - 1]))
		kn--;
	/* A dotted date or IP at the end of a sentence keeps its dots
	 * right; "a.m." and "p.m." keep theirs. */
	if (kn + 1 < wn && k + kn < w + wn && k[kn] == '.' &&
	    (ieq(k, kn + 1, "a.m.") || ieq(k, kn + 1, "p.m.")))
		kn++;

	/* Dr. Watson's "1/2/2002 @ 10:11:12.123": the "@" goes with the
	 * date and the time. */
	if (c->crash && wn == 1 && w[0] == '@')
		return;
	if (kn == 0) {
		kbs__pa_emit(c, w, wn, !first);
		return;
	}
	/* "{GUID}" keeps its braces in dropped. */
	if (k > w && k[-1] == '{' && k + kn < w + wn && k[kn] == '}' &&
	    kbs__pa_is_guid(k - 1, kn + 2)) {
		k--;
		kn += 2;
	}

	/* Volatile words. */
	bool drop = kbs__pa_is_volatile(k, kn) || kbs__pa_is_segoff(k, kn) ||
	            kbs__pa_known_name(c, k, kn);
	bool time = !drop && kbs__pa_is_time(k, kn);
	if (drop || time) {
		/* "10:30:52 AM" is one time. */
		if (time && last) {
			size_t j = *pi;
			while (j < n && (text[j] == ' ' || text[j] == '\t'))
				j++;
			size_t as = j;
			while (j < n && !is_space(text[j]))
				j++;
			size_t an = j;
			while (an > as && is_close_punct(text[an - 1]) &&
			       !kbs__pa_is_ampm(text + as, an - as))
				an--;
			if (an > as && kbs__pa_is_ampm(text + as, an - as)) {
				kbs__pa_add_dropped(c, k, an - (size_t)(k - text));
				emit_tail(c, text + an, j - an);
				*pi = j;
				return;
			}
		}
		kbs__pa_add_dropped(c, k, kn);
		emit_tail(c, w, wn);
		return;
	}

	/* \\SERVER\share: the server name goes. */
	if (kn > 2 && k[0] == '\\' && k[1] == '\\') {
		size_t j = 2;
		while (j < kn && k[j] != '\\')
			j++;
		kbs__pa_add_dropped(c, k, j);
		kbs__pa_scan_files(c, k + j, kn - j);
		if (j < kn)
			kbs__pa_emit(c, k + j, kn - j + (size_t)(w + wn - (k + kn)),
			     false);
		else
			emit_tail(c, w, wn);
		return;
	}

	/* Codes and addresses; "rc=13" and "error:0x5" are split. */
	const char *num = k;
	size_t numn = kn;
	const char *eq = memchr(k, '=', kn);
	if (eq != NULL && eq + 1 < k + kn) {
		size_t keyn = (size_t)(eq - k);
		/* "(pid=123)", and register dumps "EAX=00000000". */
		if (ieq(k, keyn, "pid") || ieq(k, keyn, "tid") ||
		    ((c->crash || c->stop) && kbs__pa_is_register(k, keyn) &&
		     kbs__pa_all_hex(eq + 1, kn - keyn - 1))) {
			kbs__pa_add_dropped(c, k, kn);
			emit_tail(c, w, wn);
			return;
		}
		set_prev(c, k, keyn, false);
		num = eq + 1;
		numn = kn - (size_t)(num - k);
	}
	uint32_t v;
	const char *after = w + wn, *end = text + n;
	if (after < end && *after == ' ')
		after++;
	c->before_list = after < end && (*after == '(' || *after == '{');
	enum word_class wc = kbs__pa_classify_number(c, num, numn, &v);
	/* An address (W_ADDRESS) stays a word of the message like a bug
	 * check's parameters: one that changes from crash to crash is in no
	 * article and costs nothing, while the article that quotes the same
	 * crash ("Exception: access violation (0xc0000005), Address:
	 * 0x766026ee") is the one to find among the thousands that name the
	 * exception code (dev-queries-archive MRR@10 0.957 -> 0.964). */
	if (wc == W_CODE)
		kbs__pa_add_code(c, v);
	else if (kbs__bugcheck_code(k, kn, &v))
		kbs__pa_add_code(c, v);

	/* KB ids: "Q294326", "KB294326", "KB 294326". */
	char id[16];
	if (kbs__kb_id_at(k, (size_t)(text + n - k), id, sizeof id) >= kn)
		add_string(c, &c->p->kb_ids, &c->p->nkb_ids, &c->p->capkb_ids,
		           id, strlen(id));

	/* "Event ID 1003", "Event ID: 1003", "EventID 1003". */
	if (c->p->event_id < 0 && (ieq(k, kn, "eventid") ||
	    (ieq(k, kn, "id") && strcmp(c->prev, "event") == 0))) {
		size_t j = *pi;
		unsigned long id;
		while (j < n && (text[j] == ' ' || text[j] == ':' ||
		                 text[j] == '#' || text[j] == '\t'))
			j++;
		size_t nd = digits(text, n, &j, &id);
		if (nd > 0 && nd <= 5 && (j == n || !is_alnum(text[j])))
			c->p->event_id = (long)id;
	}

	kbs__pa_scan_files(c, k, kn);
	if (eq == NULL)
		set_prev(c, k, kn, k + kn < w + wn && k[kn] == ':');
	kbs__pa_emit(c, w, wn, !first);
}

static bool
is_piece_sep(int ch)
{
	return ch == '(' || ch == ')' || ch == ',' || ch == ';';
}

/* Scan text[0..n) word by word into the message. */
void
kbs__pa_scan_text(ctx *c, const char *text, size_t n)
{
	size_t i = 0;
	while (i < n && c->rc == KBS_OK) {
		while (i < n && is_space(text[i]))
			i++;
		if (i == n)
			break;
		size_t ws = i;
		while (i < n && !is_space(text[i]))
			i++;
		size_t we = i, ps = ws;
		bool first = true;
		for (size_t j = ws; j <= we && c->rc == KBS_OK; j++) {
			if (j < we && !is_piece_sep(text[j]))
				continue;
			if (j > ps) {
				scan_piece(c, text, n, &i, text + ps, j - ps, first,
				           j == we);
				first = false;
			}
			if (j < we) {
				kbs__pa_emit(c, text + j, 1, !first);
				first = false;
			}
			ps = j + 1;
		}
	}
}

