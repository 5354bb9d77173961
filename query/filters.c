/*
 * filters.c - the product and version filters of a text search
 * (kbs_search_options.product, .version): candidates whose articles do
 * not name the product, or name it only for other versions, are dropped.
 */
#include "search.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* Does every word of want (letters and digits) occur as a word of name,
 * case-insensitive? */
static bool
words_in(const char *want, const char *name)
{
	const char *w = want;
	for (;;) {
		while (*w && !isalnum((unsigned char)*w))
			w++;
		if (*w == '\0')
			return true;
		size_t wl = 0;
		while (isalnum((unsigned char)w[wl]))
			wl++;
		bool found = false;
		for (const char *p = name; *p && !found; p++) {
			if ((p == name || !isalnum((unsigned char)p[-1])) &&
			    strncasecmp(p, w, wl) == 0 &&
			    !isalnum((unsigned char)p[wl]))
				found = true;
		}
		if (!found)
			return false;
		w += wl;
	}
}

/* "4.0 SP4", "4.0sp4", "4.0 Service Pack 4" -> base "4.0", sp 4; sp is
 * -1 when none is named. */
static void
split_version(const char *v, char *base, size_t basesz, int *sp)
{
	size_t n = 0;
	*sp = -1;
	while (*v == ' ')
		v++;
	while (*v && (isdigit((unsigned char)*v) || *v == '.') &&
	       n + 1 < basesz)
		base[n++] = *v++;
	base[n] = '\0';
	for (const char *p = v; *p; p++) {
		const char *q = NULL;
		if (strncasecmp(p, "sp", 2) == 0)
			q = p + 2;
		else if (strncasecmp(p, "service pack", 12) == 0)
			q = p + 12;
		if (q == NULL)
			continue;
		while (*q == ' ')
			q++;
		if (isdigit((unsigned char)*q)) {
			*sp = atoi(q);
			return;
		}
	}
}

/* Does the product row's version satisfy the wanted one? A wanted
 * version without service pack takes every service pack of it; one with
 * a service pack takes that service pack and the version as a whole. */
static bool
version_ok(const char *want, const char *have)
{
	char wb[64], hb[64];
	int wsp, hsp;
	if (have == NULL)
		return false;
	split_version(want, wb, sizeof wb, &wsp);
	split_version(have, hb, sizeof hb, &hsp);
	if (wb[0] == '\0' || hb[0] == '\0' ||
	    kbs__file_version_cmp(wb, hb) != 0)
		return false;
	return wsp < 0 || hsp < 0 || wsp == hsp;
}

/* Keep only the candidates whose product rows pass the filters. */
kbs_status
kbs__run_filters(search *s, const kbs_search_options *opt)
{
	const char *prod = opt != NULL && opt->product != NULL &&
	                   opt->product[0] ? opt->product : NULL;
	const char *ver = opt != NULL && opt->product_version != NULL &&
	                  opt->product_version[0] ? opt->product_version
	                                          : NULL;
	const kbs__alias_name *names = NULL;
	size_t nnames = 0;
	kbs_status rc = KBS_OK;

	if (prod == NULL && ver == NULL)
		return KBS_OK;
	/* The product's other names, except those that would widen it
	 * ("Windows" for "Windows NT"). */
	if (prod != NULL) {
		const kbs__aliases *al = NULL;
		kbs__tokens t = {0};
		rc = kbs__aliases_get(&al, s->db);
		if (rc == KBS_OK)
			rc = kbs__tokenize(&t, s->db, prod, strlen(prod));
		if (rc == KBS_OK && t.n > 0) {
			const char **st = malloc(t.n * sizeof *st);
			if (st == NULL)
				rc = KBS_NOMEM;
			for (size_t i = 0; st != NULL && i < t.n; i++)
				st[i] = t.v[i].stem;
			const kbs__alias_name *nm = st == NULL ? NULL :
				kbs__alias_match(al, st, t.n, 0);
			if (nm != NULL && nm->nstems == t.n)
				nnames = kbs__alias_group(al, nm, &names);
			free(st);
		}
		kbs__arena_free(&t.arena);
		if (rc != KBS_OK)
			return rc;
	}

	/* Each candidate's own product rows (product_article): a search has
	 * hundreds of candidates, the archive 160,000 product rows, so
	 * reading them all cost a filtered search 30-50 ms. */
	sqlite3_stmt *st = NULL;
	if (sqlite3_prepare_v2(s->db->sqlite, "SELECT product, version FROM "
	        "product WHERE article_id = ?1", -1, &st, NULL) != SQLITE_OK)
		return kbs__db_sqlite_error(s->db, "preparing the filter");
	size_t k = 0;
	for (size_t i = 0; i < s->ncands; i++) {
		bool keep = false;
		int src = SQLITE_DONE;
		sqlite3_bind_int64(st, 1, s->cands[i].id);
		while (!keep && (src = sqlite3_step(st)) == SQLITE_ROW) {
			const char *name = (const char *)
			                   sqlite3_column_text(st, 0);
			const char *v = (const char *)sqlite3_column_text(st, 1);
			keep = true;
			if (prod != NULL) {
				keep = words_in(prod, name ? name : "");
				for (size_t j = 0; !keep && j < nnames; j++)
					keep = !words_in(names[j].text, prod) &&
					       words_in(names[j].text,
					                name ? name : "");
			}
			if (keep && ver != NULL)
				keep = version_ok(ver, v);
		}
		if (!keep && src != SQLITE_DONE) {
			rc = kbs__db_sqlite_error(s->db, "filtering");
			break;
		}
		sqlite3_reset(st);
		if (keep)
			s->cands[k++] = s->cands[i];
	}
	sqlite3_finalize(st);
	if (rc == KBS_OK)
		s->ncands = k;
	return rc;
}
