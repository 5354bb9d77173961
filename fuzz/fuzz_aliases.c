/*
 * fuzz_aliases.c - libFuzzer target for the alias-file reader.
 *
 * The input is written as an alias file and loaded with
 * kbs_db_load_aliases() into a handle whose alias set is reset first;
 * when it is accepted, a search naming products parses and applies the
 * groups (they are kept as text until a search needs them), so that
 * tokenizing the names and matching them against a paste are fuzzed too.
 */
#include "fuzz_common.h"
#include "query.h"

static char alias_path[400];

static void
fuzz_init(void)
{
	snprintf(alias_path, sizeof alias_path, "%s/aliases.txt", fuzz_dir);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char paste[] = "The terminal service client has "
		"provided an invalid license on Windows NT Server 4.0 with "
		"Exchange; remote desktop client error 0x80070005";
	FILE *f = fopen(alias_path, "wb");
	if (f == NULL || fwrite(data, 1, size, f) != size || fclose(f) != 0)
		abort();
	kbs__aliases_reset(db);
	if (kbs_db_load_aliases(db, alias_path) != KBS_OK)
		return 0;
	kbs_results *res = NULL;
	kbs_search_options o = KBS_SEARCH_OPTIONS_INIT;
	o.product = "Windows NT";
	kbs_status rc = kbs_search_text(&res, db, paste, sizeof paste - 1,
	                                &o);
	if (rc != KBS_OK) {
		fprintf(stderr, "kbs_search_text: %s: %s\n",
		        kbs_status_str(rc), kbs_db_errmsg(db));
		abort();
	}
	kbs_results_free(res);
	return 0;
}
