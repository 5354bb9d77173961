/*
 * fuzz_search.c - libFuzzer target for kbs_search_text().
 *
 * The whole search path on any paste: paste analysis, tokenizing, the
 * FTS5 query built from the paste's words, ranking with kbs_phrase(),
 * snippets and the result loading, over a small database of the bundled
 * corpus opened read-only once. The first input byte picks options (the
 * explain flag, a product and a version filter) so that every branch of
 * the filters is reached; the rest is the paste.
 */
#include "fuzz_common.h"

static void
fuzz_init(void)
{
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const products[] = { NULL, "Windows NT",
		"Exchange Server", "remote desktop client" };
	static const char *const versions[] = { NULL, "4.0", "4.0 SP4",
		"5.5" };
	kbs_search_options o = KBS_SEARCH_OPTIONS_INIT;
	kbs_results *res = NULL;
	const kbs_hit *hit;

	if (size > 0) {
		o.explain = data[0] & 1;
		o.product = products[(data[0] >> 1) & 3];
		o.product_version = versions[(data[0] >> 3) & 3];
		o.limit = (data[0] >> 5) & 7;
		data++;
		size--;
	}
	kbs_status rc = kbs_search_text(&res, db, (const char *)data, size,
	                                &o);
	while (rc == KBS_OK && (rc = kbs_results_next(&hit, res)) == KBS_OK) {
		/* touch what a caller reads */
		const char *s = kbs_hit_get_snippet(hit);
		if (s != NULL && strlen(s) == (size_t)-1)
			abort();
	}
	if (rc != KBS_OK && rc != KBS_DONE) {
		fprintf(stderr, "kbs_search_text: %s: %s\n",
		        kbs_status_str(rc), kbs_db_errmsg(db));
		abort();
	}
	kbs_results_free(res);
	return 0;
}
