/*
 * fuzz_common.h - the small database the search, alias and http targets
 * share, and their LLVMFuzzerInitialize(): it opens the database into db,
 * then calls the target's own fuzz_init() for anything more.
 *
 * Made once per fuzzing process, in a new temporary directory, from the
 * bundled corpus's classic text articles ($KBS_FUZZ_CORPUS, else the
 * corpus/txt directory of the source tree the target was built from).
 * The directory is removed at exit.
 */
#ifndef KBS_FUZZ_COMMON_H
#define KBS_FUZZ_COMMON_H

#include "kbsearch.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#ifndef KBS_TOP_SRCDIR
#define KBS_TOP_SRCDIR "."
#endif

static char fuzz_dir[256];
static char fuzz_db_path[300];

static void
fuzz_cleanup(void)
{
	char p[400];
	snprintf(p, sizeof p, "%s-wal", fuzz_db_path);
	unlink(p);
	snprintf(p, sizeof p, "%s-shm", fuzz_db_path);
	unlink(p);
	unlink(fuzz_db_path);
	snprintf(p, sizeof p, "%s/aliases.txt", fuzz_dir);
	unlink(p);
	rmdir(fuzz_dir);
}

/* Build the database and return its path; exits the process (this is a
 * test harness, not the library) when it cannot. */
static const char *
fuzz_make_db(void)
{
	const char *tmp = getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp";
	const char *corpus = getenv("KBS_FUZZ_CORPUS");
	static char def[4096];
	if (corpus == NULL || *corpus == '\0') {
		snprintf(def, sizeof def, "%s/corpus/txt", KBS_TOP_SRCDIR);
		corpus = def;
	}
	snprintf(fuzz_dir, sizeof fuzz_dir, "%s/kbs-fuzz-XXXXXX", tmp);
	if (mkdtemp(fuzz_dir) == NULL) {
		perror("mkdtemp");
		exit(1);
	}
	atexit(fuzz_cleanup);
	snprintf(fuzz_db_path, sizeof fuzz_db_path, "%s/kb.sqlite", fuzz_dir);
	kbs_db *db = NULL;
	kbs_index_stats st = KBS_INDEX_STATS_INIT;
	kbs_status rc = kbs_db_open(&db, fuzz_db_path, KBS_OPEN_CREATE);
	if (rc == KBS_OK)
		rc = kbs_db_index(&st, db, &corpus, 1, 0, NULL, NULL);
	if (rc != KBS_OK || st.added == 0) {
		fprintf(stderr, "fuzz: cannot index %s: %s %s\n", corpus,
		        kbs_status_str(rc), db ? kbs_db_errmsg(db) : "");
		exit(1);
	}
	kbs_db_close(db);
	return fuzz_db_path;
}

/* The database fuzz_make_db() builds, opened read-only once per fuzzing
 * process; exits when it cannot be opened. */
static kbs_db *
fuzz_open_db(void)
{
	const char *path = fuzz_make_db();
	kbs_db *db = NULL;
	if (kbs_db_open(&db, path, KBS_OPEN_READONLY) != KBS_OK) {
		fprintf(stderr, "fuzz: cannot open %s\n", path);
		exit(1);
	}
	return db;
}

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The shared database, opened read-only before the first input. */
static kbs_db *db;

/* Each target's own set-up, run once after db is open. */
static void fuzz_init(void);

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	db = fuzz_open_db();
	fuzz_init();
	return 0;
}

#endif
