/*
 * private.h - internals shared across libkbsearch's source files.
 *
 * Nothing here is installed. Cross-file internal functions carry the kbs__
 * prefix; they return kbs_status and follow the public conventions (out
 * parameter first, no printing, no aborting). Memory for parsed records
 * comes from an arena so that one kbs_article or kbs__paste is freed in one
 * call, whatever number of strings and arrays it holds.
 */
#ifndef KBS_PRIVATE_H
#define KBS_PRIVATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sqlite3.h>

#include "kbsearch.h"

/* ------------------------------------------------------------------ */
/* Arena: bump allocator, freed all at once                            */
/* ------------------------------------------------------------------ */

typedef struct kbs__arena_block kbs__arena_block;
typedef struct kbs__arena {
	kbs__arena_block *head;   /* newest block first */
} kbs__arena;

/* Zeroed, 16-byte aligned memory from the arena, or NULL when out of
 * memory. Owned by the arena. */
void *kbs__arena_alloc(kbs__arena *a, size_t size);
/* Copy of s[0..n) with a NUL appended, or NULL when out of memory. */
char *kbs__arena_strndup(kbs__arena *a, const char *s, size_t n);
/* Copy of a NUL-terminated string; NULL in gives NULL out. */
char *kbs__arena_strdup(kbs__arena *a, const char *s);
/* printf into the arena, or NULL when out of memory. */
char *kbs__arena_printf(kbs__arena *a, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* Free every block. The arena is empty and reusable afterwards. */
void kbs__arena_free(kbs__arena *a);

/*
 * Grow an arena-owned array so that it can hold one more element: when
 * *count == *cap, a new array of twice the capacity (at least 8) is taken
 * from the arena and the old elements copied. Returns the (possibly new)
 * array, or NULL when out of memory, in which case *arr is unchanged.
 * Usage: KBS__PUSH(arena, a->events, a->nevents, a->capevents) returns a
 * pointer to a zeroed new slot, or NULL.
 */
void *kbs__arena_grow(kbs__arena *a, void *arr, size_t count, size_t *cap,
                      size_t elsize);
#define KBS__PUSH(arena, arr, count, cap)                                   \
	(((arr) = kbs__arena_grow((arena), (arr), (count), &(cap),          \
	                          sizeof *(arr))) == NULL                   \
		? NULL : &(arr)[(count)++])

/* ------------------------------------------------------------------ */
/* Growable string buffer (heap, not arena)                            */
/* ------------------------------------------------------------------ */

typedef struct kbs__buf {
	char *data;     /* NUL-terminated when non-NULL */
	size_t len;     /* bytes used, not counting the NUL */
	size_t cap;     /* bytes allocated */
	bool oom;       /* sticky: an append failed for lack of memory */
} kbs__buf;

/* Appends never fail loudly: on out of memory they set buf->oom and do
 * nothing more; check it once at the end. */
void kbs__buf_append(kbs__buf *b, const char *s, size_t n);
void kbs__buf_puts(kbs__buf *b, const char *s);
void kbs__buf_putc(kbs__buf *b, char c);
void kbs__buf_printf(kbs__buf *b, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void kbs__buf_free(kbs__buf *b);
/* data, or "" when nothing was appended. */
const char *kbs__buf_str(const kbs__buf *b);

/* Narrow s[0..*n) to drop leading and trailing ASCII white space (space,
 * TAB, LF, CR, FF, VT), whatever the process's locale. */
void kbs__trim(const char **s, size_t *n);

/* ------------------------------------------------------------------ */
/* Error codes (docs/ARCHITECTURE.md, Error codes)                                */
/* ------------------------------------------------------------------ */

/*
 * Parse one error code notation into its canonical 32-bit value:
 * "0x80070005" or "80070005" (hex, 8 digits) -> 0x80070005;
 * "-2147024891" (signed decimal) and "2147942405" (unsigned decimal) ->
 * 0x80070005; "0xC0000005" -> 0xC0000005; "0x1E" -> 0x0000001E; a small
 * decimal such as "5" or "1722" is a Win32 error and stays as is.
 * len is the length of s (s need not be NUL-terminated).
 * Returns true and sets *out on success, false when s is not a code.
 */
bool kbs__code_parse(uint32_t *out, const char *s, size_t len);

/* HRESULT_FROM_WIN32 (winerror.h): 0x8007xxxx for a Win32 error code in
 * 1..0xFFFF, the value itself otherwise. */
uint32_t kbs__code_from_win32(uint32_t win32);

/* The Win32 error wrapped in an HRESULT of facility 7 (0x8007xxxx), or
 * the value itself when it is not such an HRESULT. */
uint32_t kbs__code_to_win32(uint32_t code);

/* ------------------------------------------------------------------ */
/* KB ids                                                              */
/* ------------------------------------------------------------------ */

/*
 * Canonical KB id ("Q" followed by the number without leading zeros) from
 * "Q294326", "q294326", "KB294326", "KB 294326", "294326". Writes at most
 * outsz bytes including the NUL. Returns true on success.
 */
bool kbs__kbid_canon(char *out, size_t outsz, const char *s, size_t len);

/* The id of an article without a KB id: "A" and the first 10 hex digits
 * (uppercase) of the 64-bit FNV-1a hash of its source file's path (the
 * absolute path stored in article.source_path), so it stays the same
 * from one index run to the next and fits a column. out holds
 * KBS__AID_SIZE bytes. */
enum { KBS__AID_SIZE = 12 };
void kbs__article_aid(char *out, const char *path);

/* Whether s (len bytes) is such an id, "A" or "a" and 10 hex digits,
 * surrounding blanks allowed; if so out gets its canonical form. */
bool kbs__aid_canon(char *out, const char *s, size_t len);


/* ------------------------------------------------------------------ */
/* Articles                                                            */
/* ------------------------------------------------------------------ */

/* Key/value lines such as the footer's "Technology : kbWinNTsearch". */
typedef struct kbs__field {
	const char *key;
	const char *value;
} kbs__field;

/*
 * One normalised article, as parsers produce it and as kbs_article_get()
 * returns it. Every pointer is owned by arena. Text fields are UTF-8.
 */
struct kbs_article {
	kbs__arena arena;           /* owns everything below */

	const char *kb_id;          /* canonical "Q123" or NULL */
	const char *title;          /* TITLE line, or first line */
	const char *date;           /* ISO date from the DOCUMENT line */
	const char *category;       /* "[winnt]" tag without brackets */
	const char *format;         /* "kb-txt", "plain" */
	const char *path;           /* source file */
	const char *text;           /* the whole decoded text */
	const char *not_article;    /* why the text, though read, is no
	                               article ("navigation page"), or NULL */

	/* header lines as written */
	const char *product_line;   /* PRODUCT : */
	const char *prod_ver;       /* PROD/VER: */
	const char *oper_sys;       /* OPER/SYS: */
	const char *keywords_line;  /* KEYWORDS: */

	/* full-text columns (FTS5); NULL counts as empty */
	const char *symptoms;       /* SYMPTOMS sections */
	const char *cause;          /* CAUSE sections */
	const char *resolution;     /* RESOLUTION, WORKAROUND, STATUS sections */
	const char *body;           /* everything else worth ranking */
	const char *keywords;       /* keywords, additional query words */
	const char *messages_text;  /* error messages joined by newlines */
	const char *legal;          /* disclaimer and copyright: stored only */

	kbs_section *sections;  size_t nsections, capsections;
	kbs_event *events;      size_t nevents, capevents;
	kbs_code *codes;        size_t ncodes, capcodes;
	kbs_file *files;        size_t nfiles, capfiles;
	kbs_product *products;  size_t nproducts, capproducts;
	const char **refs;      size_t nrefs, caprefs;
	const char **messages;  size_t nmessages, capmessages;
	const char **registry;  size_t nregistry, capregistry;
	const char **sources;   size_t nsources, capsources; /* files */
	kbs__field *footer;     size_t nfooter, capfooter;

	struct kbs__keyset *seen;   /* keys of the records above (arena) */
	size_t capped;              /* records over a list's cap, not kept */
};

/* Records of one list past this many are counted in capped and dropped:
 * no real article comes near (the archive's largest holds a few hundred
 * of one kind), and a file built to hold millions stays cheap to index. */
#define KBS__MAX_RECORDS 5000

/* Kinds of record whose duplicates kbs__seen() finds. */
enum kbs__record { KBS__REC_CODE, KBS__REC_REF, KBS__REC_REGISTRY,
                   KBS__REC_MESSAGE, KBS__REC_FILE, KBS__REC_EVENT,
                   KBS__REC_EVENT_ID };

/*
 * Whether a record of this kind with the identity data[0..n) (ASCII case
 * folded when fold is set) was seen in a before; it is remembered when
 * not. A hash set of 64-bit keys kept in the arena, so that every
 * duplicate check is O(1) whatever the article's size: two different
 * records share a key with odds of about n^2 / 2^65 (one in 37 million
 * for a million records), when the second is taken for a duplicate.
 * Returns 1 seen, 0 new, -1 out of memory.
 */
int kbs__seen(kbs_article *a, enum kbs__record kind, const void *data,
              size_t n, bool fold);

/* A new empty article. Caller frees with kbs_article_free(). NULL when out
 * of memory. */
kbs_article *kbs__article_new(void);

/* Add the canonical KB id to a->refs unless it is there already or is the
 * article's own id. The id is copied. Returns KBS_OK or KBS_NOMEM. */
kbs_status kbs__add_ref(kbs_article *a, const char *id);

/* The full-text columns that section text feeds. */
enum kbs__column {
	KBS__COL_BODY, KBS__COL_SYMPTOMS, KBS__COL_CAUSE, KBS__COL_RESOLUTION,
	KBS__NCOLUMNS
};

/* The column a top-level heading opens: SYMPTOMS, CAUSE, RESOLUTION (and
 * WORKAROUND, STATUS), else the body. Case-insensitive prefix match. */
enum kbs__column kbs__column_of(const char *heading);

/*
 * Close a section of a parser: text[0..n) without its leading blank lines
 * and trailing white space becomes a's next section (heading, level; the
 * strings are arena copies), and is appended to col after the heading
 * line and a blank line. A section with no text and level 0 (the text
 * before any heading, when there is none) is skipped. Returns KBS_OK or
 * KBS_NOMEM; an out-of-memory append is also left in col->oom.
 */
kbs_status kbs__add_section(kbs_article *a, kbs__buf *col,
                            const char *heading, int level, const char *text,
                            size_t n);


/* ------------------------------------------------------------------ */
/* Database handle                                                     */
/* ------------------------------------------------------------------ */

/* Schema version stored in meta('schema_version'); bump with every change
 * of schema/kbsearch.sql. */
#define KBS_SCHEMA_VERSION 6

/*
 * Data a layer above src/ keeps on a handle (a cache, a registration),
 * found by a key of its own, freed by its own destructor when the handle
 * closes: the client data of SQLite's sqlite3_set_clientdata(), so that
 * src/ names nothing of indexer/, paste/ or query/.
 */
typedef void (*kbs__destroy_fn)(void *data);
enum { KBS__NATTACHED = 8 };   /* the query side uses four */
struct kbs__attached {
	const void *key;            /* the address of a static object of
	                               the owner, NULL when the slot is free */
	void *data;
	kbs__destroy_fn destroy;    /* NULL when data needs no freeing */
};

struct kbs_db {
	sqlite3 *sqlite;            /* connection */
	bool readonly;              /* opened without KBS_OPEN_CREATE */
	char *errmsg;               /* last detailed message, heap */
	char *shown;                /* the file's path escaped for messages */
	struct kbs__unpacker *unpacker; /* src/store.c: the last text unpacked */
	struct kbs__attached attached[KBS__NATTACHED]; /* kbs__db_attach() */
	char **excludes;            /* kbs_db_add_exclude() globs, heap */
	size_t nexcludes;
};

/* The data attached to db under key, or NULL. */
void *kbs__db_attached(const kbs_db *db, const void *key);
/*
 * Attach data to db under key, with destroy (NULL for none) to free it
 * when db closes, before its connection does; what was attached under
 * key before is destroyed first. data NULL detaches. Returns KBS_OK, or
 * KBS_NOMEM when every slot is taken (data is then destroyed).
 */
kbs_status kbs__db_attach(kbs_db *db, const void *key, void *data,
                          kbs__destroy_fn destroy);

/* The schema text, generated from schema/kbsearch.sql at build time. */
extern const char kbs__schema_sql[];

/* Record a detailed message on db and return status (for tail calls).
 * kbs__db_sqlite_error() makes SQLITE_CORRUPT and SQLITE_NOTADB
 * KBS_CORRUPT, with the file's name and how to recover. */
kbs_status kbs__db_error(kbs_db *db, kbs_status status, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* Run sql, a query returning one integer (e.g. SELECT count(*) ...),
 * into *out. Returns KBS_OK or KBS_DB with the message on db. */
kbs_status kbs__db_count(kbs_db *db, const char *sql, long long *out);

/* The number of articles in db: meta('articles'), which every index
 * run's commit records, or count(*) in a database written before it was
 * (a scan of the kb_id index, 1 ms at 60,000 articles). Returns KBS_OK
 * or KBS_DB with the message on db. */
kbs_status kbs__db_articles(kbs_db *db, long long *out);

/* Open a read transaction on db unless one is open: the many
 * statements of one search then share one snapshot and one shared
 * lock, instead of taking the lock and checking for a hot journal
 * statement by statement (a hundred times per search). *opened tells
 * kbs__db_read_end() whether to end it. Returns KBS_OK or KBS_DB. */
kbs_status kbs__db_read_begin(kbs_db *db, bool *opened);
/* End the read transaction kbs__db_read_begin() opened, if it did. */
void kbs__db_read_end(kbs_db *db, bool opened);

/* PRAGMA quick_check: KBS_OK when it passes, else KBS_CORRUPT with the
 * file's name, the first problems and how to recover on db. Reads the
 * whole file (about 1 s per GB when cached). */
kbs_status kbs__db_quick_check(kbs_db *db);

/* The file of db's main database ("" for an in-memory or temporary
 * one); borrowed, valid while db is open. Read it on db's thread. */
const char *kbs__db_file(kbs_db *db);

/*
 * The same check run beside the caller's work: kbs__db_quick_check_start()
 * opens a second, read-only connection to file (kbs__db_file()) and runs
 * the check on a thread of its own; any thread may start it.
 * kbs__db_quick_check_finish() waits for it and returns what
 * kbs__db_quick_check() would have (KBS_CORRUPT with the message on db),
 * then frees it. An index run starts it when its reader meets the first
 * file to store, so that the check overlaps the reading and parsing.
 * When no second connection or thread can be had (an in-memory
 * database), *out is NULL and finish runs the check itself on db. start
 * returns KBS_OK or KBS_NOMEM.
 */
typedef struct kbs__bgcheck kbs__bgcheck;
kbs_status kbs__db_quick_check_start(const char *file, kbs__bgcheck **out);
kbs_status kbs__db_quick_check_finish(kbs_db *db, kbs__bgcheck *c);
/* Stop the check c (sqlite3_interrupt()) and free it, its result unread;
 * nothing when c is NULL. */
void kbs__db_quick_check_cancel(kbs__bgcheck *c);
/* Record sqlite's own message, prefixed with what, and return KBS_DB. */
kbs_status kbs__db_sqlite_error(kbs_db *db, const char *what);

/* ------------------------------------------------------------------ */
/* Stored text (src/store.c)                                           */
/* ------------------------------------------------------------------ */

/* The parts of an article's packed text: the whole decoded text, then the
 * full-text columns of article_fts that no other column of article holds
 * (the title is a column of its own). */
enum kbs__part {
	KBS__PART_TEXT, KBS__PART_SYMPTOMS, KBS__PART_CAUSE,
	KBS__PART_RESOLUTION, KBS__PART_BODY, KBS__PART_KEYWORDS,
	KBS__PART_MESSAGES, KBS__NPARTS
};

/*
 * Part part of article id, decompressed, into *out (malloc'd,
 * NUL-terminated, *len bytes when len is not NULL; caller frees). An
 * empty column gives "". Returns KBS_OK, KBS_NOT_FOUND (no such
 * article), KBS_DB (damaged text, message on db) or KBS_NOMEM.
 */
kbs_status kbs__article_text(kbs_db *db, sqlite3_int64 id,
                             enum kbs__part part, char **out, size_t *len);

/* The writer's side: compression state of one index run. */
typedef struct kbs__packer kbs__packer;
/* A packer for db, with the database's dictionary if it has one. Caller
 * frees with kbs__packer_free(). Returns KBS_OK, KBS_DB or KBS_NOMEM. */
kbs_status kbs__packer_new(kbs__packer **out, kbs_db *db);
/* Pack parts[0..KBS__NPARTS) (NULL counts as empty) into one compressed
 * frame: *out (borrowed; valid until the next call on p) of *len bytes.
 * Returns KBS_OK, KBS_INVALID or KBS_NOMEM. */
kbs_status kbs__pack(kbs__packer *p, const char *const parts[KBS__NPARTS],
                     const void **out, size_t *len);
/* The frame of the last kbs__pack() was stored as article id. While the
 * database has no dictionary, the first articles are kept as samples;
 * when they are enough, a dictionary is trained, stored, and those rows
 * compressed again with it. Call inside the run's transaction. Returns
 * KBS_OK, KBS_DB or KBS_NOMEM. */
kbs_status kbs__packer_stored(kbs__packer *p, sqlite3_int64 id);
/* End of a run: trains a dictionary on what the run stored if the
 * database has none and there are enough samples. Same returns. */
kbs_status kbs__packer_finish(kbs__packer *p);
void kbs__packer_free(kbs__packer *p);
/* The key of a file's source_file row: a 64-bit FNV-1a hash of its
 * path, so that the table needs no index of the paths (kbs_path_key() in
 * SQL). */
sqlite3_int64 kbs__path_key(const char *path);
/* Register kbs_unpack() and kbs_path_key() on db's connection. Returns
 * KBS_OK, KBS_DB or KBS_NOMEM. */
kbs_status kbs__store_register(kbs_db *db);
/* Free what kbs__store_register() made; accepts a db without it. */
void kbs__store_free(kbs_db *db);

#endif /* KBS_PRIVATE_H */
