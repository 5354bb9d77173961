/*
 * headertest.c - the public header must stand alone.
 *
 * `make check` compiles this file, and nothing else, with
 * $(CC) -std=c11 -pedantic -Wall -Wextra -Werror -fsyntax-only and only
 * include/kbsearch.h on the include path (libgit2's tests/headertest does
 * the same). It fails when the header needs a header the embedding program
 * did not include, uses a GNU extension, or is not safe to include twice.
 */
#include "kbsearch.h"
#include "kbsearch.h"

/* Touch every type and the usage-loop functions so that their
 * declarations are checked, not just parsed. */
int headertest(void);

int
headertest(void)
{
	kbs_db *db = 0;
	kbs_results *res = 0;
	const kbs_hit *hit = 0;
	kbs_search_options opts = KBS_SEARCH_OPTIONS_INIT;
	kbs_index_stats ist = KBS_INDEX_STATS_INIT;
	kbs_db_stats dst = KBS_DB_STATS_INIT;
	kbs_event ev = { 0, 0, 0, 0, 0 };
	kbs_code code = { 0, 0 };
	kbs_file file = { 0, 0, 0, 0, 0, 0 };
	kbs_product prod = { 0, 0 };
	kbs_section sec = { 0, 0, 0 };
	kbs_file_outcome oc = KBS_FILE_ADDED;
	kbs_index_fn fn = 0;
	kbs_status rc = kbs_db_open(&db, "kb.sqlite", KBS_OPEN_READONLY);

	(void)ist; (void)dst; (void)ev; (void)code; (void)file; (void)prod;
	(void)sec; (void)oc; (void)fn;
	if (rc == KBS_OK)
		rc = kbs_search_text(&res, db, "x", 1, &opts);
	while (rc == KBS_OK && (rc = kbs_results_next(&hit, res)) == KBS_OK)
		(void)kbs_hit_get_score(hit);
	kbs_results_free(res);
	kbs_db_close(db);
	return rc == KBS_DONE ? 0 : (int)rc;
}
