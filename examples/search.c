/*
 * search.c - the smallest useful program embedding libkbsearch.
 *
 * Opens a database read-only, ranks its articles against a pasted error
 * (argv[2], or standard input when absent) and prints one line per hit:
 * KB id, score, title. It follows the usage loop of kbsearch.h. Build it
 * against an installed library with
 *
 *     cc search.c $(pkg-config --cflags --libs kbsearch) -o search
 *
 * Exit status: 0 hits printed, 1 no hit, 2 error.
 */
#include <kbsearch.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Read all of f into a heap buffer; NULL when out of memory. */
static char *
read_all(FILE *f, size_t *len)
{
	size_t cap = 4096, n = 0, got;
	char *buf = malloc(cap), *p;

	while (buf != NULL && (got = fread(buf + n, 1, cap - n, f)) > 0) {
		if ((n += got) == cap) {
			p = realloc(buf, cap *= 2);
			if (p == NULL)
				free(buf);
			buf = p;
		}
	}
	*len = n;
	return buf;
}

int
main(int argc, char **argv)
{
	char *buf = NULL;
	const char *paste;
	size_t len;

	if (argc < 2 || argc > 3) {
		fprintf(stderr, "usage: %s DATABASE [TEXT]\n", argv[0]);
		return 2;
	}
	if (argc == 3) {
		paste = argv[2];
		len = strlen(paste);
	} else if ((paste = buf = read_all(stdin, &len)) == NULL) {
		fprintf(stderr, "%s: out of memory\n", argv[0]);
		return 2;
	}

	kbs_db *db = NULL;
	kbs_results *res = NULL;
	const kbs_hit *hit;
	size_t nhits = 0;
	kbs_status rc = kbs_db_open(&db, argv[1], KBS_OPEN_READONLY);
	if (rc == KBS_OK)
		rc = kbs_search_text(&res, db, paste, len, NULL);
	while (rc == KBS_OK && (rc = kbs_results_next(&hit, res)) == KBS_OK) {
		const char *title = kbs_hit_get_title(hit);
		printf("%s\t%.2f\t%s\n", kbs_hit_get_kb_id(hit),
		       kbs_hit_get_score(hit), title ? title : "");
		nhits++;
	}
	if (rc != KBS_DONE) {
		const char *msg = db ? kbs_db_errmsg(db) : "";
		fprintf(stderr, "%s: %s: %s\n", argv[0], kbs_status_str(rc),
		        *msg ? msg : argv[1]);
	}
	kbs_results_free(res);
	kbs_db_close(db);
	free(buf);
	return rc != KBS_DONE ? 2 : nhits > 0 ? 0 : 1;
}
