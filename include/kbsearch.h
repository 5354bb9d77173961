/*
 * kbsearch.h - offline search engine for support knowledge-base articles.
 *
 * This header is the library's manual. libkbsearch indexes KB articles
 * (the classic Microsoft KB text, the KB archive's Markdown and HTML
 * pages, blog Markdown with YAML front matter, ordinary HTML and plain
 * text, in UTF-8, UTF-16, Windows-1252 or code page 437; the renderings
 * of one KB article are one article) into one SQLite database and
 * ranks them against a pasted error: an Event Viewer entry, a message box
 * copied with Ctrl+C, or the bare message text. It also answers exact
 * lookups by event ID and event source, by error code in any notation, by
 * file name and version, and by KB article id.
 *
 * Conventions, stated once:
 *
 *  - Every function that can fail returns a kbs_status; KBS_OK is 0.
 *  - Objects come back through a first parameter named out.
 *  - Ownership is given by one fixed phrase in each comment: "Caller frees
 *    with kbs_X_free()." for new objects, "Borrowed; valid until ..." for
 *    pointers into an object the caller already owns.
 *  - Every _free and _close function accepts NULL.
 *  - A detailed message for the last failure on a database handle is
 *    available from kbs_db_errmsg(). There is no global error state.
 *  - The library never prints, never exits and never aborts on bad input or
 *    on memory exhaustion; passing a NULL handle where one is required is a
 *    programming error and is caught by assert().
 *  - Threads: use one kbs_db per thread. Any number of threads or processes
 *    may search a database while one of them indexes into it (the database
 *    runs in WAL mode with a busy timeout).
 */
#ifndef KBSEARCH_H
#define KBSEARCH_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ------------------------------------------------------------------ */
/* Version                                                             */
/* ------------------------------------------------------------------ */

#define KBS_VERSION_MAJOR 0
#define KBS_VERSION_MINOR 1
#define KBS_VERSION_PATCH 0
#define KBS_VERSION_STRING "0.1.0"

/* The library's version as "MAJOR.MINOR.PATCH"; compare it with
 * KBS_VERSION_STRING to detect a header/library mismatch. Static string. */
const char *kbs_version(void);

/* ------------------------------------------------------------------ */
/* Errors                                                              */
/* ------------------------------------------------------------------ */

/* Status codes. Update kbs_status_str() in src/status.c when you change
 * this list. */
typedef enum kbs_status {
	KBS_OK = 0,        /* success */
	KBS_DONE,          /* an iterator has no more items (not an error) */
	KBS_NOMEM,         /* memory allocation failed */
	KBS_INVALID,       /* an argument is out of range or malformed */
	KBS_IO,            /* a file or directory could not be read */
	KBS_PARSE,         /* a file is not an article this library can read */
	KBS_DB,            /* SQLite reported an error (see kbs_db_errmsg()) */
	KBS_SCHEMA,        /* the database has another schema version */
	KBS_NOT_FOUND,     /* the requested article does not exist */
	KBS_READONLY,      /* write attempted on a database opened read-only */
	KBS_CORRUPT,       /* the database file is damaged or not a database:
	                      rebuild it (kbs_db_rebuild()) or delete it */
	KBS_CANCELLED      /* the caller's callback asked to stop */
} kbs_status;

/* A short English description of a status, e.g. "out of memory".
 * Static string; never NULL, also for unknown values. */
const char *kbs_status_str(kbs_status status);

/*
 * Write the file name s (any bytes) to out as it may be shown on one line
 * of a terminal or a log: printable characters of valid UTF-8 are copied;
 * a control character (C0, DEL or C1: a newline would forge a second
 * report line, an escape sequence rewrite the screen) and every byte that
 * is not part of valid UTF-8 (RFC 3629) become "\xHH", and a backslash
 * becomes "\\", so that the text names one file unambiguously. Every
 * message of the library and of the kbsearch command that names a file
 * goes through it. out receives at most outsz bytes with the NUL (outsz
 * >= 4; 4 * strlen(s) + 1 always suffices); a longer result is cut
 * between characters and ends with "...". A NULL s gives "". Returns out.
 */
const char *kbs_path_escape(char *out, size_t outsz, const char *s);

/* ------------------------------------------------------------------ */
/* Opening a database                                                  */
/* ------------------------------------------------------------------ */

typedef struct kbs_db kbs_db;

/* Flags for kbs_db_open(). */
#define KBS_OPEN_READONLY 0u  /* open an existing database for searching */
#define KBS_OPEN_CREATE   1u  /* open read-write, create it if missing */

/*
 * Open the database at path. With KBS_OPEN_CREATE a missing file is
 * created with the current schema; its parent directory must exist.
 *
 * On success *out is a new handle. Caller frees with kbs_db_close().
 * On failure *out may still be set to a handle that carries the message
 * (kbs_db_errmsg()); the caller closes it too. Returns KBS_OK, KBS_IO (file
 * missing or unreadable), KBS_SCHEMA (the file was written by another
 * schema version: it is never rebuilt silently), KBS_DB or KBS_NOMEM.
 */
kbs_status kbs_db_open(kbs_db **out, const char *path, unsigned flags);

/* Close a handle and free everything it owns. Accepts NULL. */
void kbs_db_close(kbs_db *db);

/* The detailed message of the last failed call on db, or "" if none.
 * Borrowed; valid until the next call on db. */
const char *kbs_db_errmsg(const kbs_db *db);

/*
 * Add the alias groups of the file at path to db's searches. An alias
 * group lists the names one thing had over the years, one group per line,
 * names separated by "|", "#" comments: a paste naming one member also
 * finds articles naming another, and a product filter matches every
 * member. The groups of data/aliases.txt (installed in the package's data
 * directory) are built in; files added here come on top, for this handle
 * only. Names are matched as whole words with the index's tokenizer.
 *
 * Returns KBS_OK, KBS_IO (the file cannot be read), KBS_PARSE (a line
 * with fewer than two names, or longer than 4096 bytes; the message names
 * the file and line and nothing of the file is added), KBS_INVALID (NULL
 * argument) or KBS_NOMEM.
 */
kbs_status kbs_db_load_aliases(kbs_db *db, const char *path);

/* ------------------------------------------------------------------ */
/* Indexing                                                            */
/* ------------------------------------------------------------------ */

/* What happened to one file during kbs_db_index(). */
typedef enum kbs_file_outcome {
	KBS_FILE_ADDED,      /* a new article was stored */
	KBS_FILE_UPDATED,    /* the file changed; its article was replaced */
	KBS_FILE_UNCHANGED,  /* same content hash as last time: not parsed */
	KBS_FILE_FAILED,     /* not indexed; reason given; nothing else lost */
	KBS_FILE_SKIPPED,    /* passed over, reason given, not a failure: a
	                        directory entry that is hidden or excluded
	                        (kbs_db_add_exclude(), a .kbsearchignore file;
	                        reported before the files are handled, not
	                        counted in total), or a file read that is not an
	                        article (a collection's own README or LICENSE, a
	                        site's navigation page) */
	KBS_PATH_EMPTY       /* once per path given to kbs_db_index() under
	                        which no file holds an article; path is as
	                        given, reason counts what was passed over,
	                        e.g. "48 navigation pages, 1 failed" */
} kbs_file_outcome;

/*
 * Versioned structs. The structs the caller allocates (options it fills,
 * statistics the library fills) start with a version field, as libgit2's
 * do: initialise each with its _INIT macro, which sets the version this
 * header describes, so that a later library can add fields and still
 * know how much of the caller's struct it may read or write. A struct
 * whose version is 0 or newer than the library's is refused with
 * KBS_INVALID.
 */

#define KBS_INDEX_STATS_VERSION 2
/* Counters of one indexing run. Initialise with KBS_INDEX_STATS_INIT. */
typedef struct kbs_index_stats {
	unsigned version;         /* KBS_INDEX_STATS_VERSION */
	unsigned long total;      /* files found under the given paths */
	unsigned long seen;       /* files processed so far */
	unsigned long added;      /* files that added an article */
	unsigned long updated;    /* files whose article was replaced */
	unsigned long unchanged;  /* files skipped by content hash */
	unsigned long failed;     /* files that could not be indexed */
	unsigned long pruned;     /* articles removed by KBS_INDEX_PRUNE */
	unsigned long skipped;    /* files read that are not articles */
	unsigned long empty_paths; /* given paths with no article under them */
	unsigned long passed_over; /* directory entries passed over by name
	                              (hidden, data files, excluded): reported
	                              as KBS_FILE_SKIPPED, not in total */
	/* version 2: */
	unsigned long capped;     /* records (events, codes, file rows, KB
	                             references...) of the files stored that
	                             were past a per-article cap and not kept:
	                             each list keeps its first 5000 records, so
	                             that a huge file costs linear time */
	unsigned long capped_files; /* files stored with records not kept */
} kbs_index_stats;
#define KBS_INDEX_STATS_INIT \
	{ KBS_INDEX_STATS_VERSION, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0 }

/*
 * Called once per file, after it is handled, once per directory entry
 * passed over (KBS_FILE_SKIPPED, before the files are handled), and once
 * per given path with KBS_PATH_EMPTY at the end of the run when no article
 * was found under it. reason is one line such as "binary file" or
 * "hidden" when outcome is KBS_FILE_FAILED, KBS_FILE_SKIPPED or
 * KBS_PATH_EMPTY; for KBS_FILE_ADDED or KBS_FILE_UPDATED it is NULL unless
 * some of the file's records were past a per-article cap and not kept
 * (stats->capped), when it says how many. path and
 * reason are borrowed for the duration of the call. stats holds the counts
 * so far (stats->total is known from the first call on).
 *
 * Return 0 to go on, non-zero to cancel the run: kbs_db_index() then
 * stops after this file, keeps every file handled so far (committed) and
 * returns KBS_CANCELLED.
 */
typedef int (*kbs_index_fn)(void *userdata, const char *path,
                            kbs_file_outcome outcome, const char *reason,
                            const kbs_index_stats *stats);

/* Flags for kbs_db_index(). */
#define KBS_INDEX_PRUNE 1u  /* drop articles whose source files are gone */

/*
 * Index the files and directories in paths[0..npaths-1], directories
 * recursively. A file whose content hash matches the stored one is not
 * parsed again; a changed file replaces its article. A file that cannot be
 * read or parsed is reported through fn (if not NULL) and counted in
 * out->failed; the run goes on, and nothing indexed before is lost.
 * Whether a file is an article is read from its content: inside a
 * directory, a file named like a collection's documentation (README.md,
 * LICENSE) is indexed only when it holds a KB article (classic text, an
 * archive page) or Markdown with front matter, and an HTML page that is
 * mostly links is a navigation page; both are KBS_FILE_SKIPPED. A given
 * path under which no article is found is reported with KBS_PATH_EMPTY
 * and counted in out->empty_paths.
 *
 * Before writing, the file gets SQLite's quick check (it reads the whole
 * file): a damaged database is not written into (KBS_CORRUPT; see
 * kbs_db_rebuild()).
 *
 * out (may be NULL; else initialised with KBS_INDEX_STATS_INIT)
 * receives the run's counters, as far as its version has them (a
 * version 1 struct, compiled before capped existed, is filled up to
 * passed_over). Returns KBS_OK when the run completed (even
 * if some files failed: check out->failed), KBS_CANCELLED when fn returned
 * non-zero (the files committed before are kept), KBS_INVALID when out has
 * a version this library does not know, KBS_READONLY, KBS_CORRUPT, KBS_DB
 * or KBS_NOMEM when the run itself had to stop; work committed before the
 * stop is kept, and out counts only what was committed (added, updated,
 * unchanged and seen come back to their values at the last commit; failed
 * keeps every report made).
 */
kbs_status kbs_db_index(kbs_index_stats *out, kbs_db *db,
                        const char *const *paths, size_t npaths,
                        unsigned flags, kbs_index_fn fn, void *userdata);

/*
 * Pass over, in the directories kbs_db_index() walks on this handle,
 * every entry matching glob (fnmatch(3)): a glob without "/" is matched
 * against the entry's name ("*.bak", "drafts"), one with "/" against its
 * whole absolute path ("/srv/kb/old/Q1*.TXT"). Files named in kbs_db_index()'s
 * paths themselves are always read. Besides, each directory walked may
 * hold a .kbsearchignore file: one glob per line ("#" comments), matched
 * gitignore-style against the entries of that directory and all below
 * it (a glob without "/" against the name, one with "/" against the path
 * relative to that directory, "*" not crossing "/"; "!" lines are not
 * supported). Skipped entries are reported as KBS_FILE_SKIPPED. Returns
 * KBS_OK, KBS_INVALID (empty glob) or KBS_NOMEM.
 */
kbs_status kbs_db_add_exclude(kbs_db *db, const char *glob);

/*
 * Remove what the file path supplied, or, when path is a directory, what
 * every file under it supplied, as if those files had been deleted and
 * the database pruned: an article read only from them goes; an article
 * also read from another file (another rendering of one KB article)
 * stays, supplied by that one. path is resolved as kbs_db_index()
 * resolves paths (realpath(3)) while it exists; a path that is gone is
 * taken as absolute (relative to the current directory) as written. No
 * file is read, so the files may be gone. out (may be NULL) gets the
 * number of articles removed. The words spelling correction chooses
 * from are brought up to date by the next kbs_db_index() run (until then
 * a removed article's word may still be a correction). Returns KBS_OK
 * (also when nothing was indexed from path: *out is 0), KBS_READONLY,
 * KBS_DB or KBS_NOMEM.
 */
kbs_status kbs_db_remove_path(unsigned long *out, kbs_db *db,
                              const char *path);

#define KBS_DB_STATS_VERSION 1
/* Database totals, as reported by `kbsearch stats`. Initialise with
 * KBS_DB_STATS_INIT. */
typedef struct kbs_db_stats {
	unsigned version;       /* KBS_DB_STATS_VERSION */
	long long articles;     /* articles (one per KB id or per file) */
	long long files;        /* source files */
	long long events;       /* event ID rows */
	long long codes;        /* error code rows */
	long long file_rows;    /* file-version table rows */
	long long refs;         /* KB cross-references */
	long long terms;        /* distinct terms in the full-text index */
	int schema_version;     /* schema version of the database */
} kbs_db_stats;
#define KBS_DB_STATS_INIT { KBS_DB_STATS_VERSION, 0, 0, 0, 0, 0, 0, 0, 0 }

/* Fill *out (initialised with KBS_DB_STATS_INIT) with the database's
 * totals. The number of terms is the one the last index run counted,
 * a few milliseconds; after kbs_db_remove_path() and until the next run
 * it is counted again, which reads the whole full-text index (half a
 * second for 60,000 articles). Returns KBS_OK, KBS_INVALID (out's
 * version unknown) or KBS_DB. */
kbs_status kbs_db_get_stats(kbs_db_stats *out, kbs_db *db);

/*
 * Check the database file for damage, as `kbsearch check` does: SQLite's
 * PRAGMA integrity_check (every page, record and index of the file), then
 * FTS5's integrity-check of the full-text index (its postings are those
 * of the article text; an INSERT, so a handle opened read-only skips it
 * and says so). Reads the whole file: seconds for a large database.
 *
 * Returns KBS_OK when the file is sound (kbs_db_errmsg() then says "ok",
 * and whether the full-text check ran), KBS_CORRUPT when it is damaged
 * (the message names the file, lists the first 10 problems and says how
 * to recover), KBS_DB or KBS_NOMEM.
 */
kbs_status kbs_db_check(kbs_db *db);

/*
 * Rebuild a damaged database file (as `kbsearch index --rebuild` does):
 * the source file paths stored in the file at path are read, as many as
 * its damage lets through (none from a file that is not a database); the
 * file is renamed to path + ".damaged" (replacing an older one) and its
 * -wal and -shm are removed; a new empty database is created at path.
 * Index the returned paths into it with kbs_db_index() to get the
 * articles back.
 *
 * *out is the new handle, opened with KBS_OPEN_CREATE; caller frees with
 * kbs_db_close(), also on failure, when it carries the message. *sources
 * is the NULL-terminated array of the *nsources paths read, in path
 * order; caller frees with free() (one block holds the array and the
 * strings); NULL on failure. Returns KBS_OK, KBS_IO (the file cannot be
 * moved aside or created), KBS_DB or KBS_NOMEM.
 */
kbs_status kbs_db_rebuild(kbs_db **out, char ***sources, size_t *nsources,
                          const char *path);

/* ------------------------------------------------------------------ */
/* Records extracted from articles                                     */
/* ------------------------------------------------------------------ */

/* An event log entry an article describes. */
typedef struct kbs_event {
	long id;                  /* event ID, e.g. 1003 */
	const char *source;       /* event source, e.g. "TermService"; or NULL */
	const char *type;         /* "Error", "Warning", "Information"; or NULL */
	const char *category;     /* task category, or NULL */
	const char *description;  /* description text, or NULL */
} kbs_event;

/* An error code named by an article, in canonical 32-bit form. */
typedef struct kbs_code {
	uint32_t value;        /* canonical value, e.g. 0x80070005 */
	const char *text;      /* the notation as written, e.g. "80070005" */
} kbs_code;

/* One row of a file-version table. */
typedef struct kbs_file {
	const char *name;      /* file name as written, e.g. "Icaapi.dll" */
	const char *version;   /* dotted version, or NULL */
	long long size;        /* size in bytes, or -1 when not given */
	const char *date;      /* ISO 8601 date (YYYY-MM-DD), or NULL */
	const char *time;      /* 24-hour time HH:MM, or NULL */
	const char *platform;  /* "x86", "Alpha", "Intel"...; or NULL */
} kbs_file;

/* A product the article applies to. */
typedef struct kbs_product {
	const char *name;      /* e.g. "Microsoft Windows NT Server" */
	const char *version;   /* e.g. "4.0 SP6", or NULL */
} kbs_product;

/* A section of the article text. */
typedef struct kbs_section {
	const char *heading;   /* e.g. "SYMPTOMS"; "" for text before any */
	const char *text;      /* the section's text */
	int level;             /* 1: heading underlined with '=', 2: with '-' */
} kbs_section;

/* ------------------------------------------------------------------ */
/* Articles                                                            */
/* ------------------------------------------------------------------ */

typedef struct kbs_article kbs_article;

/*
 * Load the article with the given id: its KB id in any notation
 * ("Q294326", "KB294326", "kb 294326", "294326"), or, for an article
 * without a KB id, its article id as results give it: "A" and 10 hex
 * digits (any case), the first 40 bits of the 64-bit FNV-1a hash of the
 * absolute path of the file it was read from, so the same from one index
 * run to the next. Caller frees with kbs_article_free(). Returns KBS_OK,
 * KBS_INVALID (neither form), KBS_NOT_FOUND, KBS_DB or KBS_NOMEM.
 */
kbs_status kbs_article_get(kbs_article **out, kbs_db *db, const char *kb_id);

/*
 * Load the article that was read from the file path, exactly as indexed
 * (any of its renderings). The path is a key of
 * the database; no file is opened. Caller frees with kbs_article_free().
 * Returns KBS_OK, KBS_NOT_FOUND, KBS_DB or KBS_NOMEM.
 */
kbs_status kbs_article_get_by_source(kbs_article **out, kbs_db *db,
                                     const char *path);

/* Free an article. Accepts NULL. */
void kbs_article_free(kbs_article *article);

/* Scalar fields. Each is borrowed; valid until kbs_article_free(). Each may
 * be NULL when the article does not have it, except kb_id_get which is the
 * canonical "Q" form or, for an article without a KB id, its article id
 * ("A" and 10 hex digits, see kbs_article_get()). */
const char *kbs_article_get_kb_id(const kbs_article *article);
const char *kbs_article_get_title(const kbs_article *article);
const char *kbs_article_get_date(const kbs_article *article);     /* ISO */
const char *kbs_article_get_format(const kbs_article *article);   /* "kb-txt"... */
const char *kbs_article_get_path(const kbs_article *article);     /* the file that
                                                                     supplies the fields */
const char *kbs_article_get_text(const kbs_article *article);     /* whole text */

/* Lists. Each returns the number of items and points *out at an array of
 * them. Borrowed; valid until kbs_article_free(). */
size_t kbs_article_get_events(const kbs_article *article, const kbs_event **out);
size_t kbs_article_get_codes(const kbs_article *article, const kbs_code **out);
size_t kbs_article_get_files(const kbs_article *article, const kbs_file **out);
size_t kbs_article_get_products(const kbs_article *article, const kbs_product **out);
size_t kbs_article_get_sections(const kbs_article *article, const kbs_section **out);
/* KB ids the article refers to, canonical "Q" form. */
size_t kbs_article_get_refs(const kbs_article *article, const char *const **out);
/* Error messages the article quotes, one per item. */
size_t kbs_article_get_messages(const kbs_article *article, const char *const **out);
/* Registry paths the article names, with the HKEY_ root abbreviated. */
size_t kbs_article_get_registry(const kbs_article *article, const char *const **out);
/* Every file the article was read from (its classic text, Markdown and
 * HTML renderings are one article): the one that supplies the fields
 * first, the others by path. Empty for an article not read from a
 * database. */
size_t kbs_article_get_sources(const kbs_article *article, const char *const **out);

/* ------------------------------------------------------------------ */
/* Searching                                                           */
/* ------------------------------------------------------------------ */

typedef struct kbs_results kbs_results;
typedef struct kbs_hit kbs_hit;

#define KBS_SEARCH_OPTIONS_VERSION 1
/* Options of kbs_search_text(): initialise with KBS_SEARCH_OPTIONS_INIT,
 * then set what you need. */
typedef struct kbs_search_options {
	unsigned version;      /* KBS_SEARCH_OPTIONS_VERSION */
	unsigned limit;        /* hits to return; 0 means 10 */
	/* Hits to skip first, for paging: offset 10 and limit 10 give hits
	 * 11 to 20 of the same ranking (ranks count from the first hit of
	 * the whole ranking). */
	unsigned offset;
	int explain;           /* non-zero: fill kbs_hit_get_explain() */
	/* Only articles that apply to this product: every word of it (or of
	 * another name of its alias group) in one of the article's product
	 * names, case-insensitive: "Windows NT" matches "Microsoft Windows
	 * NT Server". NULL or "" for any product. */
	const char *product;
	/* Only articles that apply to this version of the product (of any
	 * product when product is NULL): "4.0" matches 4.0 and its service
	 * packs; "4.0 SP4" (also "4.0sp4", "4.0 Service Pack 4") matches
	 * 4.0 SP4 and 4.0 without a service pack named. NULL or "" for any. */
	const char *product_version;
} kbs_search_options;
#define KBS_SEARCH_OPTIONS_INIT \
	{ KBS_SEARCH_OPTIONS_VERSION, 0, 0, 0, NULL, NULL }

/*
 * Rank articles against a pasted text of len bytes (any bytes: the paste
 * need not be UTF-8 or NUL-terminated). The paste is analysed first (see
 * kbs_results_get_query()): volatile parts such as dates, times and
 * computer names are dropped; event ID and event source, error codes, file
 * names and the message's words are kept. Ranking is BM25 over weighted
 * columns plus phrase evidence and exact-field evidence; scores are
 * higher-is-better.
 *
 * options may be NULL for the defaults.
 *
 * No paste makes this fail: a paste with nothing searchable in it gives an
 * empty result. Caller frees *out with kbs_results_free(). Returns KBS_OK,
 * KBS_INVALID (options has a version this library does not know), KBS_DB
 * or KBS_NOMEM.
 */
kbs_status kbs_search_text(kbs_results **out, kbs_db *db, const char *paste,
                           size_t len, const kbs_search_options *options);

/* ------------------------------------------------------------------ */
/* Lookups                                                             */
/* ------------------------------------------------------------------ */

/*
 * Exact lookups by a field the indexer extracted: an event, an error code,
 * a file, a KB cross-reference. They return the same kbs_results as
 * kbs_search_text(), stepped through with kbs_results_next(), with no
 * paste analysis (kbs_results_get_query() is NULL). Every hit has its
 * kb_id, title, path and products like a search hit, and also carries
 * the record it matched (kbs_hit_get_event(), kbs_hit_get_code(),
 * kbs_hit_get_file(), kbs_hit_get_ref()). Finding nothing is not an
 * error: the result is empty and kbs_results_next() returns KBS_DONE.
 */

/*
 * Articles that describe event id, best first: those whose event also has
 * the given source (case-insensitive; NULL or "" for any) come before
 * those that only share the ID. Each hit's kbs_hit_get_event() is the
 * matching event. Caller frees with kbs_results_free(). Returns KBS_OK,
 * KBS_DB or KBS_NOMEM.
 */
kbs_status kbs_search_event(kbs_results **out, kbs_db *db, long id,
                            const char *source);

/*
 * Articles that name the error code written in code, in any notation
 * (docs/ARCHITECTURE.md, "Error codes"): "0x80070005", "80070005", "-2147024891" and
 * "2147942405" are one HRESULT; "0xC0000005" an NTSTATUS; "0x1E",
 * "0x0000001E" and "STOP 0x0000001E" one STOP code; a small decimal such
 * as "5" a Win32 error. An HRESULT of facility 7 and the Win32 error it
 * wraps find each other: "5" finds the articles that wrote 0x80070005 and
 * "0x80070005" those that wrote error 5. Surrounding blanks are ignored.
 *
 * One hit per article. Articles that name the very value come first
 * (score 2), then those that name only its Win32/HRESULT twin (score 1),
 * each group in indexing order. Each hit's kbs_hit_get_code() is the
 * code as that article wrote it (its value is the stored one, which is
 * the twin for a hit of the second group).
 *
 * Caller frees with kbs_results_free(). Returns KBS_OK, KBS_INVALID when
 * code is not an error code in any notation (message on db), KBS_DB or
 * KBS_NOMEM.
 */
kbs_status kbs_search_code(kbs_results **out, kbs_db *db, const char *code);

/* kbs_hit_get_version_cmp() of a hit whose build cannot be compared: no
 * version was given, the article's row has no version, or the hit does
 * not come from kbs_search_file(). Neither 1, 0 nor -1: test for it
 * before looking at the sign. */
#define KBS_VERSION_UNKNOWN (-2)

/*
 * Articles that ship the file name, from their file-version tables. The
 * name is matched without regard to case ("TERMSRV.EXE" finds
 * "Termsrv.exe"); a directory part ("C:\WINNT\System32\termsrv.exe")
 * is ignored. One hit per article; its kbs_hit_get_file() is the
 * article's row for that file, or, when it has several (one per platform,
 * say), the one with the highest version.
 *
 * version is a dotted file version such as "4.0.1381.33", or NULL (or "")
 * for none. Versions compare as builds: numerically per component
 * ("4.0.1381.33" is older than "4.0.1381.133"), a missing component
 * counting as 0 ("5.0" is "5.0.0"), letters after digits and a longer
 * version later ("2.1a" is newer than "2.1"), a remark in parentheses
 * ignored. With a version, each hit's kbs_hit_get_version_cmp() says
 * whether the article's build is newer (1), the same (0) or older (-1)
 * than the given one, or KBS_VERSION_UNKNOWN when its row has no version.
 *
 * Hits come newest build first, whether or not a version is given: by
 * the row's version, highest first, rows without a version last, ties in
 * indexing order. So with a version, the newer builds come first, then
 * the same, then the older, then the unknown.
 *
 * Caller frees with kbs_results_free(). Returns KBS_OK, KBS_INVALID when
 * name is empty or version has no digit (message on db), KBS_DB or
 * KBS_NOMEM.
 */
kbs_status kbs_search_file(kbs_results **out, kbs_db *db, const char *name,
                           const char *version);

/* How a kbs_search_refs() hit relates to the article looked up
 * (kbs_hit_get_ref()). */
typedef enum kbs_ref_kind {
	KBS_REF_NONE = 0,   /* not a hit of kbs_search_refs() */
	KBS_REF_CITES,      /* the article looked up refers to this one */
	KBS_REF_CITED_BY    /* this article refers to the one looked up */
} kbs_ref_kind;

/*
 * The KB cross-references of the article kb_id (any notation, as for
 * kbs_article_get()), in two groups told apart by kbs_hit_get_ref():
 * first the articles it refers to, in the order it names them
 * (KBS_REF_CITES); then the articles that refer to it, by KB number,
 * articles without a KB id last (KBS_REF_CITED_BY). An article that is
 * in both groups appears once in each. A referenced KB id that is not in
 * the database is still a hit: kbs_hit_get_kb_id() is set, the title and
 * path are NULL and it has no products. An article's mention of itself
 * is left out. kb_id need not be in the database: then only the articles
 * that cite it come back. kb_id may also be the article id of an article
 * without a KB id (see kbs_article_get()): nothing can cite it, so only
 * the articles it refers to come back.
 *
 * Caller frees with kbs_results_free(). Returns KBS_OK, KBS_INVALID when
 * kb_id is not a KB id (message on db), KBS_DB or KBS_NOMEM.
 */
kbs_status kbs_search_refs(kbs_results **out, kbs_db *db, const char *kb_id);

/* ------------------------------------------------------------------ */
/* Results                                                             */
/* ------------------------------------------------------------------ */

/*
 * Step through results. Returns KBS_OK with *out set to the next hit,
 * KBS_DONE when there are no more, or an error status. The hit is borrowed;
 * valid until the next kbs_results_next() or kbs_results_free().
 *
 * A complete loop:
 *
 *     kbs_db *db = NULL;
 *     kbs_results *res = NULL;
 *     const kbs_hit *hit;
 *     kbs_status rc = kbs_db_open(&db, "kb.sqlite", KBS_OPEN_READONLY);
 *     if (rc == KBS_OK)
 *         rc = kbs_search_text(&res, db, paste, strlen(paste), NULL);
 *     while (rc == KBS_OK && (rc = kbs_results_next(&hit, res)) == KBS_OK)
 *         printf("%s %.2f %s\n", kbs_hit_get_kb_id(hit),
 *                kbs_hit_get_score(hit), kbs_hit_get_title(hit));
 *     if (rc != KBS_DONE)
 *         fprintf(stderr, "%s: %s\n", kbs_status_str(rc),
 *                 db ? kbs_db_errmsg(db) : "");
 *     kbs_results_free(res);
 *     kbs_db_close(db);
 */
kbs_status kbs_results_next(const kbs_hit **out, kbs_results *results);

/* Number of hits in results. */
size_t kbs_results_count(const kbs_results *results);

/* Free results and every hit. Accepts NULL. */
void kbs_results_free(kbs_results *results);

/* What the paste analysis of kbs_search_text() saw and kept. */
typedef struct kbs_query_info {
	const char *kind;          /* eventxml eventviewer dialog appcrash stop command plain */
	long event_id;             /* event ID, or -1 */
	const char *source;        /* event source, or NULL */
	size_t ncodes;
	const uint32_t *codes;     /* canonical error codes */
	size_t nfiles;
	const char *const *files;  /* file names */
	size_t nkb_ids;
	const char *const *kb_ids; /* KB ids named in the paste */
	size_t nterms;
	const char *const *terms;  /* words sent to the full-text index */
	size_t ndropped;
	const char *const *dropped; /* volatile parts and words left out */
	size_t ncorrected;
	const char *const *corrected; /* misspelt words, "licnese -> license":
	                                 the pasted word, then the indexed
	                                 word one edit away used instead */
	size_t naliases;
	const char *const *aliases;   /* other names of a product named in
	                                 the paste that were searched too */
} kbs_query_info;

/* The paste analysis behind results, or NULL for results of a lookup.
 * Borrowed; valid until kbs_results_free(). */
const kbs_query_info *kbs_results_get_query(const kbs_results *results);

/* Hit fields; strings are borrowed, valid as long as the hit. */
int kbs_hit_get_rank(const kbs_hit *hit);             /* 1-based */
double kbs_hit_get_score(const kbs_hit *hit);         /* higher is better */
/* canonical Q form, or the article id of an article without a KB id
 * (see kbs_article_get()); never a path */
const char *kbs_hit_get_kb_id(const kbs_hit *hit);
const char *kbs_hit_get_title(const kbs_hit *hit);
const char *kbs_hit_get_path(const kbs_hit *hit);     /* a source file */
/* A short excerpt of the article, or NULL: about 24 words from just
 * before where it holds the pasted message as a phrase, else around the
 * matched words (FTS5's snippet()); its white space collapsed to single
 * spaces, " ... " where text was left out, and no marks
 * (kbs_hit_get_snippet_matches() says where the matched words are). */
const char *kbs_hit_get_snippet(const kbs_hit *hit);
/* A range of bytes of a string: [start, end), offsets from its first
 * byte. */
typedef struct kbs_span {
	size_t start;   /* first byte */
	size_t end;     /* one past the last byte */
} kbs_span;
/* The matched words of kbs_hit_get_snippet(), as byte ranges of it, in
 * order and not overlapping. Returns the count (0 without a snippet).
 * Borrowed; valid as long as the hit. */
size_t kbs_hit_get_snippet_matches(const kbs_hit *hit, const kbs_span **out);
/* Per-evidence score breakdown, one "name=value" per line, or NULL unless
 * kbs_search_options.explain was set. */
const char *kbs_hit_get_explain(const kbs_hit *hit);
/* Names of the evidence that matched: "event_id", "source", "code",
 * "file", "kb_id", "phrase", "alias" (the phrase matched under another
 * name of a product), "message", "title" (the title names the pasted
 * message: "Err Msg: ..."); for lookups also
 * "version" (a file row with a version compared with the one given),
 * "cites" and "cited_by". Returns the count. */
size_t kbs_hit_get_matched(const kbs_hit *hit, const char *const **out);
/* Products the article applies to, each "name version" in one string.
 * Returns the count. */
size_t kbs_hit_get_products(const kbs_hit *hit, const char *const **out);
/* The same products with name and version apart, as
 * kbs_article_get_products() gives them. Returns the count. Borrowed;
 * valid as long as the hit. */
size_t kbs_hit_get_product_list(const kbs_hit *hit, const kbs_product **out);
/* The event a kbs_search_event() hit matched, else NULL. */
const kbs_event *kbs_hit_get_event(const kbs_hit *hit);
/* The code a kbs_search_code() hit matched, as the article wrote it, else
 * NULL. Borrowed; valid as long as the hit. */
const kbs_code *kbs_hit_get_code(const kbs_hit *hit);
/* The file row a kbs_search_file() hit matched, else NULL. Borrowed;
 * valid as long as the hit. */
const kbs_file *kbs_hit_get_file(const kbs_hit *hit);
/* For a kbs_search_file() hit: 1 when the article's build is newer than
 * the version given, 0 when it is the same, -1 when older; otherwise
 * KBS_VERSION_UNKNOWN. */
int kbs_hit_get_version_cmp(const kbs_hit *hit);
/* For a kbs_search_refs() hit, KBS_REF_CITES or KBS_REF_CITED_BY; for any
 * other hit KBS_REF_NONE. */
kbs_ref_kind kbs_hit_get_ref(const kbs_hit *hit);

#ifdef __cplusplus
}
#endif

#endif /* KBSEARCH_H */
