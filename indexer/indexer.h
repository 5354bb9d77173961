/*
 * indexer.h - internals of the indexer: corpus walk, decoding, writer.
 */
#ifndef KBS_INDEXER_H
#define KBS_INDEXER_H

#include "private.h"

/* A list of file paths, heap-owned. */
typedef struct kbs__pathlist {
	char **paths;     /* each malloc'd */
	long long *sizes; /* bytes, as the walk saw them */
	long long *mtimes; /* modification times, ns since 1970 */
	size_t n, cap;
} kbs__pathlist;

/* Called for a path the walk cannot read (reason is one line). */
typedef void (*kbs__walk_fail_fn)(void *userdata, const char *path,
                                  const char *reason);

/*
 * Append the regular files under path (itself if a file) to list, sorted
 * by name within each directory; hidden entries (".name"), documentation
 * of a collection (README, MANIFEST, LICENSE... any extension) and data,
 * image and program files (.tsv, .json, .png, .exe...) inside directories
 * are skipped, and the depth is bounded, so link loops end. Unreadable entries are reported
 * through fail and skipped. Returns KBS_OK or KBS_NOMEM.
 */
kbs_status kbs__walk(kbs__pathlist *list, const char *path,
                     kbs__walk_fail_fn fail, void *userdata);
void kbs__pathlist_free(kbs__pathlist *list);

/*
 * The walk's filter hook, called for each entry name of directory dir
 * with userdata as given to kbs__walk(); builtin is the built-in rule's
 * reason to skip it ("hidden"...) or NULL. Returns true to skip the
 * entry, after reporting it with its reason. Defined by the index run
 * (writer.c): exclude globs and .kbsearchignore files.
 */
bool kbs__walk_skip(void *userdata, const char *dir, const char *name,
                    const char *builtin);

/*
 * Decode raw file bytes to UTF-8: UTF-8 with or without BOM is kept,
 * UTF-16 with BOM is converted, anything else is read as Windows-1252 or,
 * when its high bytes read as accented letters and box drawing there, as
 * code page 437.
 * Line endings become LF. On success *out is a malloc'd NUL-terminated
 * string of *outlen bytes (caller frees). Returns KBS_OK, KBS_PARSE with
 * *reason set (binary data, empty) or KBS_NOMEM.
 */
kbs_status kbs__decode(char **out, size_t *outlen, const char *raw,
                       size_t len, const char **reason);

/* 64-bit FNV-1a of data, for detecting changed files (not security). */
uint64_t kbs__hash64(const void *data, size_t len);

#endif
