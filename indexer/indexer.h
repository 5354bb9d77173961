/*
 * indexer.h - what the indexer offers its own files and the rest of the
 * library: the parsers and extractors (kbs__parse() is the one the query
 * side calls), the corpus walk, decoding.
 */
#ifndef KBS_INDEXER_H
#define KBS_INDEXER_H

#include "private.h"

/* ------------------------------------------------------------------ */
/* Parsers and extractors                                              */
/* ------------------------------------------------------------------ */

/*
 * Parse the classic Microsoft KB text format (DOCUMENT:, TITLE :, ...,
 * sections underlined with '=' or '-', footer, disclaimer) from text[0..len)
 * (UTF-8, NUL-terminated at len) into a, which must be new. Fills the
 * header fields, sections, products and the full-text columns, then runs
 * kbs__extract(). Returns KBS_OK, KBS_PARSE (not this format; a has no
 * usable content) or KBS_NOMEM.
 */
kbs_status kbs__parse_kbtxt(kbs_article *a, const char *text, size_t len);

/*
 * Parse the article block of the KB archive's Markdown and HTML pages:
 * the classic body under a header of "Article: Q123", "Product(s):",
 * "Version(s):", "Operating System(s):", "Keyword(s):" and
 * "Last Modified: 03-AUG-1999" lines; callers hand the block de-indented
 * and with its entities decoded. title (UTF-8, copied; NULL when unknown) is the page's title
 * without its "Q123: " prefix; it is set before fields are extracted, so
 * that events named in titles are found. Sets a->format to "kb-archive"
 * and a->text to the block: callers that parse a whole page set both to
 * their own afterwards. Returns KBS_OK, KBS_PARSE (the block does not
 * start with "Article:") or KBS_NOMEM.
 */
kbs_status kbs__parse_kbarchive(kbs_article *a, const char *text, size_t len,
                                const char *title);

/*
 * Parse an HTML page (indexer/html.c, libxml2's HTML parser) from
 * text[0..len) (UTF-8, NUL-terminated at len) into a, which must be new.
 * A KB archive page (its article a <pre> block starting with "Article:")
 * goes through kbs__parse_kbarchive() and gets format "kb-html"; any
 * other page is "html": title from <title> or the first <h1>, one section
 * per heading, paragraphs, lists, table rows (cells tab-separated) and
 * <pre> as lines, scripts, styles, navigation, headers, footers and forms
 * dropped, then kbs__extract(). KB id only from the page's own permalink
 * (canonical link, og:url) or a "Q123: " title. a->text is the whole page.
 * Never prints or aborts on bad input; memory is linear in len whatever
 * the nesting. Returns KBS_OK, KBS_PARSE (the text does not open like
 * HTML; a is untouched) or KBS_NOMEM.
 */
kbs_status kbs__parse_html(kbs_article *a, const char *text, size_t len);

/*
 * Parse Markdown with YAML front matter (indexer/markdown.c) from
 * text[0..len) (UTF-8, NUL-terminated at len) into a, which must be new.
 * A KB archive page (its article a tab-indented code block starting with
 * "Article:") goes through kbs__parse_kbarchive() and gets format "kb-md";
 * any other page is "md": front matter title, date, tags and categories,
 * one section per heading, KB references from links. a->text is the whole
 * page. Never prints or aborts on bad input. Returns KBS_OK, KBS_PARSE (no
 * closed front matter, invalid YAML, or nothing to index; a is to be reset
 * by the caller) or KBS_NOMEM.
 */
kbs_status kbs__parse_markdown(kbs_article *a, const char *text, size_t len);

/*
 * Parse text with no known structure: title from the first non-empty line,
 * KB id only when the text names its own (a leading "Q123456:" or
 * "Article: Q123456"), the whole text as body. Runs kbs__extract().
 */
kbs_status kbs__parse_plain(kbs_article *a, const char *text, size_t len);

/*
 * Parse text[0..len) (UTF-8, NUL-terminated at len) with the parser its
 * content calls for (indexer/parse.c). Returns KBS_OK, KBS_PARSE (no
 * article text) or KBS_NOMEM.
 *
 * The one indexer function that the query side calls: kbs_article_get()
 * (query/lookup.c) parses an article's stored text again to show its
 * sections and fields as they were indexed.
 */
kbs_status kbs__parse(kbs_article *a, const char *text, size_t len);

/*
 * Extract records from the article's text and sections into its arrays:
 * events (indented Event ID/Source/Type/Category/Description blocks and
 * prose mentions such as "Event ID 2013"), error codes (canonical), file
 * version tables, error messages (indented text after "... the following
 * error message:"), KB cross-references, registry paths. Duplicates are
 * not added twice. Sets a->messages_text. Returns KBS_OK or KBS_NOMEM.
 */
kbs_status kbs__extract(kbs_article *a);

/* ------------------------------------------------------------------ */
/* Corpus walk                                                         */
/* ------------------------------------------------------------------ */

/* A list of file paths, heap-owned. */
typedef struct kbs__pathlist {
	char **paths;     /* each malloc'd */
	long long *sizes; /* bytes, as the walk saw them */
	long long *mtimes; /* modification times, ns since 1970 */
	size_t *roots;    /* index of the given path the file was found under */
	bool *docs;       /* named like a collection's documentation (README,
	                     LICENSE...) inside a directory: an article only
	                     if a KB format claims its content */
	size_t n, cap;
	struct kbs__dirset *dirs; /* directories walked into (walk.c) */
} kbs__pathlist;

/* Why a file under a given path was passed over: the counts by reason
 * that a path without any article is reported with. */
enum kbs__why {
	KBS__WHY_HIDDEN,    /* ".name" entry inside a directory */
	KBS__WHY_DATA,      /* data, image, program file by extension */
	KBS__WHY_DOC,       /* a collection's own README, LICENSE... */
	KBS__WHY_NAV,       /* a site's navigation page: links, no article */
	KBS__WHY_EXCLUDED,  /* --exclude or a .kbsearchignore glob */
	KBS__WHY_FAILED,    /* could not be read or parsed */
	KBS__WHY_N
};

/* Called for a path the walk cannot read (reason is one line). */
typedef void (*kbs__walk_fail_fn)(void *userdata, const char *path,
                                  const char *reason);

/*
 * Append the regular files under path (itself if a file) to list, sorted
 * by name within each directory, each with root as its root index.
 * Inside directories, hidden entries (".name") and data, image and
 * program files (.tsv, .json, .png, .exe...) are passed over and counted
 * in skipped[KBS__WHY_HIDDEN] and skipped[KBS__WHY_DATA]; files named
 * like a collection's documentation (README, MANIFEST, LICENSE... any
 * extension) are listed with docs[] set, for their content to decide.
 * A directory (by device and inode) is entered once per list, whatever
 * the links that lead to it, so link loops end; a symbolic link to
 * anything but a regular file or a directory, or into /proc or /sys, is
 * passed over. Unreadable entries are reported through fail with the
 * reason, passed-over ones through kbs__walk_skipped(), both from the
 * calling thread and in the order of a walk on one thread. A directory
 * of many entries is walked on two threads (kbs__walk_threads), with
 * the same list, counts and reports. Returns KBS_OK or KBS_NOMEM.
 */
kbs_status kbs__walk(kbs__pathlist *list, const char *path, size_t root,
                     unsigned long skipped[KBS__WHY_N],
                     kbs__walk_fail_fn fail, void *userdata);
/* Threads a walk may use: 2 (the default), or 1; -2 is two threads
 * that take a split directory's segments in turn, even and odd, so
 * that the tests know which thread walks what. Set it before a run,
 * not during one. */
extern int kbs__walk_threads;
/*
 * End the walks into list: a file listed twice (by a link or a name to
 * a file also found by a plain directory entry) is dropped but for its
 * first path, and the walk's own memory (the set of directories and
 * files entered) is freed. Call it once, after the last kbs__walk().
 */
void kbs__walk_done(kbs__pathlist *list);
/*
 * openat(2) (at: a directory's descriptor or AT_FDCWD) for reading a
 * source file or directory without updating its
 * access time (O_NOATIME, where the caller owns the file or may act as
 * its owner; a plain open() otherwise). Indexing reads every file of a
 * collection: with atime updates on (relatime, the usual mount option),
 * the first run after files are copied in would dirty every inode and
 * leave the kernel writing them back while the next run stats them. An
 * indexer is a reader, like tar --atime-preserve=system or rsync
 * --open-noatime. Returns the descriptor or -1 with errno set.
 */
int kbs__open_read(int at, const char *path, int flags);
void kbs__pathlist_free(kbs__pathlist *list);

/* What the database knew of a file before this run: 40 bytes a file,
 * found by the file's key, so that a run over the archive's 177,000
 * files does not hold every path twice. */
typedef struct kbs__known {
	sqlite3_int64 key;           /* kbs__path_key() of its path */
	uint64_t hash;               /* content hash */
	sqlite3_int64 article_id;    /* or -1 */
	long long size;              /* bytes, when stored */
	long long mtime;             /* modification time, ns, or -1 */
} kbs__known;

/*
 * One file on its way through the run. The reader thread fills it (read,
 * hash, decode, parse: no database access, run.c); the main thread
 * stores it (kbs__dbwrite_file(), dbwrite.c).
 */
typedef struct kbs__job {
	const char *path;            /* borrowed from the path list */
	kbs_status rc;               /* KBS_NOMEM stops the run */
	kbs_file_outcome outcome;    /* FAILED, UNCHANGED, or ADDED to store */
	char reason[256];            /* why it FAILED */
	char hash[17];
	size_t size;                 /* bytes on disk */
	long long mtime;             /* modification time, ns since 1970 */
	long long walk_size;         /* size when the walk saw it */
	bool touched;                /* UNCHANGED content, new mtime to store */
	bool doc;                    /* named like documentation in a dir */
	char charset[32];            /* read as, "UTF-8", "WINDOWS-1252"... */
	enum kbs__why why;           /* why SKIPPED */
	const kbs__known *was;            /* the stored state, or NULL */
	kbs_article *article;        /* parsed, to store */
	size_t capped;               /* its records past a cap, not kept */
} kbs__job;

/* The SQL store of an index run (dbwrite.c): its prepared statements and
 * the compressor of stored text. */
typedef struct kbs__dbwrite kbs__dbwrite;

/* Prepare the store's statements on db. Returns KBS_OK, KBS_NOMEM or
 * SQLite's error (message on db); *out is NULL on failure. */
kbs_status kbs__dbwrite_new(kbs__dbwrite **out, kbs_db *db);
void kbs__dbwrite_free(kbs__dbwrite *s);

/*
 * Store job j (within the caller's transaction): its article, merged into
 * the article of the same KB id when there is one, and its source_file
 * row; or only its new time stamp when unchanged. Sets j->outcome to
 * KBS_FILE_UPDATED for a file stored before. Returns KBS_OK, or
 * SQLite's error or KBS_NOMEM, which stop the run.
 */
kbs_status kbs__dbwrite_file(kbs__dbwrite *s, kbs__job *j);
/* Will kbs__dbwrite_file() write anything for j (an article added or
 * changed, or a new time stamp of unchanged content)? */
bool kbs__dbwrite_needed(const kbs__job *j);

/* Write what the store's compressor keeps back (the dictionary trained
 * on a big run). */
kbs_status kbs__dbwrite_finish(kbs__dbwrite *s);

/* Remove source files that no longer exist and settle their articles;
 * *pruned receives the number of articles deleted. */
kbs_status kbs__dbwrite_prune(kbs__dbwrite *s, unsigned long *pruned);

/* Rebuild the spelling table (schema/kbsearch.sql) from the full-text
 * index, creating it in a file made before it existed, and record it as
 * rebuilt with the number of distinct terms (meta('terms')) counted in
 * the same pass; inside the run's write transaction. 0.7 s over the
 * 60,000-article archive. KBS_OK or KBS_DB with the message on db. */
kbs_status kbs__dbwrite_spelling(kbs_db *db);
/* Record that the spelling table and meta('terms') no longer follow the
 * full-text index (an article was written or removed): meta('spelling')
 * 'stale', meta('terms') gone. KBS_OK or KBS_DB with the message on db. */
kbs_status kbs__dbwrite_spelling_outdated(kbs_db *db);
/* Does the spelling table need a rebuild: meta('spelling') is not
 * 'rebuilt' (a run wrote since, or the file predates the table)? */
bool kbs__dbwrite_spelling_stale(kbs_db *db);

/* Run SQL q on db; SQLite's error (message on db) on failure. */
kbs_status kbs__sql_exec(kbs_db *db, const char *q);
/* Commit a writing transaction, with the number of articles it leaves
 * recorded as meta('articles') for searches to read (kbs__db_articles())
 * rather than count. KBS_OK or KBS_DB with the message on db. */
kbs_status kbs__dbwrite_commit(kbs_db *db);

/* Read, decode and parse the file at path outside an index run's
 * pipeline (run.c; the store uses it when an article needs another of
 * its files). *out is NULL and reason set when the file cannot be read
 * or holds no article; returns KBS_OK, or KBS_NOMEM. */
kbs_status kbs__read_article(const char *path, kbs_article **out,
                             char *reason, size_t reasonsz);

/*
 * The input formats (the table in parse.c): the precedence of format
 * name among an article's files, 1 first (the best structured file
 * supplies the article's fields; an unknown name comes last), and
 * whether a file of that format is an article whatever its name.
 */
int kbs__format_precedence(const char *name);
bool kbs__format_is_article(const char *name);

/* A directory's own exclude globs, one a line, as in .gitignore. */
#define KBS__IGNORE_FILE ".kbsearchignore"

/*
 * The walk's filter hook, called for each entry name of directory dir
 * with userdata as given to kbs__walk(); builtin is the built-in rule's
 * reason to skip it ("hidden"...) or NULL; has_ignore: dir holds a
 * KBS__IGNORE_FILE. Returns the reason to skip the entry (builtin, or
 * one written into why, size bytes), or NULL to keep it; reports
 * nothing (kbs__walk_skipped() does, in the walk's order). The walk
 * calls it for all the names of one directory together, and from one
 * thread at a time. Defined by the index run (run.c): exclude globs and
 * .kbsearchignore files.
 */
const char *kbs__walk_skip(void *userdata, const char *dir,
                           const char *name, const char *builtin,
                           bool has_ignore, char *why, size_t size);
/*
 * Report path as passed over for reason (as kbs__walk_skip() gave it).
 * Called by the walk from the thread that called kbs__walk(), in the
 * order of the list. Defined by the index run (run.c).
 */
void kbs__walk_skipped(void *userdata, const char *path,
                       const char *reason);

/*
 * Decode raw file bytes to UTF-8: UTF-8 with or without BOM is kept,
 * UTF-16 with BOM is converted, anything else is read in the charset
 * uchardet detects, Windows-1252 for Western text with few non-ASCII
 * bytes, or code page 437 when the text has its box drawing or bytes
 * Windows-1252 lacks (decode.c). Line endings become LF. On success *out
 * is a malloc'd NUL-terminated string of *outlen bytes (caller frees) and
 * charset (when not NULL) receives the name of the charset read, such as
 * "UTF-8", "WINDOWS-1252", "CP437". Returns KBS_OK, KBS_PARSE with
 * *reason set (binary data, empty) or KBS_NOMEM.
 */
kbs_status kbs__decode(char **out, size_t *outlen, const char *raw,
                       size_t len, char *charset, size_t charsetsz,
                       const char **reason);

/* 64-bit FNV-1a of data, for detecting changed files (not security). */
uint64_t kbs__hash64(const void *data, size_t len);

#endif
