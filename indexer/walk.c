/*
 * walk.c - collecting the files of an index run.
 *
 * The whole list is collected before any parsing so that progress can say
 * "files done of total". Directory entries are sorted, which makes runs
 * and their reports reproducible.
 *
 * Inside a directory, files that are not articles are passed over: hidden
 * entries, a collection's own documentation (README, MANIFEST, LICENSE and
 * the like, whatever the extension) and data, image, archive and program
 * files by extension. A file named on the command line is always read.
 */
#include "indexer.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <fcntl.h>
#include <sys/stat.h>

/* Deeper trees than this are cut; it also ends symbolic link loops. */
#define MAX_DEPTH 32

/* Add path; sb is its stat, or NULL for a name list entry. */
static kbs_status
push(kbs__pathlist *list, const char *path, const struct stat *sb)
{
	if (list->n == list->cap) {
		size_t ncap = list->cap ? list->cap * 2 : 64;
		char **n = realloc(list->paths, ncap * sizeof *n);
		if (n == NULL)
			return KBS_NOMEM;
		list->paths = n;
		long long *sz = realloc(list->sizes, ncap * sizeof *sz);
		if (sz == NULL)
			return KBS_NOMEM;
		list->sizes = sz;
		long long *mt = realloc(list->mtimes, ncap * sizeof *mt);
		if (mt == NULL)
			return KBS_NOMEM;
		list->mtimes = mt;
		list->cap = ncap;
	}
	if ((list->paths[list->n] = strdup(path)) == NULL)
		return KBS_NOMEM;
	list->sizes[list->n] = sb ? (long long)sb->st_size : -1;
	list->mtimes[list->n] = sb ? (long long)sb->st_mtim.tv_sec *
	                             1000000000LL + sb->st_mtim.tv_nsec : -1;
	list->n++;
	return KBS_OK;
}

/* Is the directory entry name something other than an article? */
static bool
not_an_article(const char *name)
{
	static const char *const docs[] = {
		"README", "MANIFEST", "LICENSE", "LICENCE", "COPYING",
		"CHANGELOG", "CHANGES", "CONTRIBUTING", "AUTHORS", "NOTICE",
		"INSTALL",
	};
	static const char *const exts[] = {
		"tsv", "csv", "json", "yml", "yaml", "toml", "ini", "css", "js",
		"map", "png", "jpg", "jpeg", "gif", "bmp", "ico", "svg", "webp",
		"zip", "gz", "tgz", "bz2", "xz", "7z", "cab", "pdf", "exe",
		"dll", "sys", "so", "o", "a", "sqlite", "db", "woff", "woff2",
		"ttf", "eot", "mp3", "mp4", "wav",
	};
	const char *dot = strrchr(name, '.');
	size_t stem = dot != NULL ? (size_t)(dot - name) : strlen(name);
	for (size_t i = 0; i < sizeof docs / sizeof *docs; i++)
		if (stem == strlen(docs[i]) &&
		    strncasecmp(name, docs[i], stem) == 0)
			return true;
	if (dot != NULL)
		for (size_t i = 0; i < sizeof exts / sizeof *exts; i++)
			if (strcasecmp(dot + 1, exts[i]) == 0)
				return true;
	return false;
}

static int
cmp_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Walk path, whose stat is sb. */
static kbs_status
walk(kbs__pathlist *list, const char *path, const struct stat *sb,
     int depth, kbs__walk_fail_fn fail, void *ud)
{
	kbs_status rc = KBS_OK;

	if (S_ISREG(sb->st_mode))
		return push(list, path, sb);
	if (!S_ISDIR(sb->st_mode)) {
		fail(ud, path, "not a regular file or directory");
		return KBS_OK;
	}
	if (depth > MAX_DEPTH) {
		fail(ud, path, "directory nested too deep");
		return KBS_OK;
	}
	DIR *dir = opendir(path);
	if (dir == NULL) {
		fail(ud, path, strerror(errno));
		return KBS_OK;
	}
	kbs__pathlist names = {0};
	struct dirent *de;
	while (rc == KBS_OK && (de = readdir(dir)) != NULL) {
		if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
			continue;
		/* the filter hook: built-in rules, exclude globs and
		 * .kbsearchignore files (writer.c), skips reported */
		if (kbs__walk_skip(ud, path, de->d_name,
		                   de->d_name[0] == '.' ? "hidden"
		                   : not_an_article(de->d_name)
		                   ? "not an article (by its name)" : NULL))
			continue;
		rc = push(&names, de->d_name, NULL);
	}
	if (names.n > 0)
		qsort(names.paths, names.n, sizeof *names.paths, cmp_names);
	size_t plen = strlen(path);
	bool slash = plen > 0 && path[plen - 1] == '/';
	for (size_t i = 0; rc == KBS_OK && i < names.n; i++) {
		size_t len = plen + 1 + strlen(names.paths[i]) + 1;
		char *child = malloc(len);
		struct stat csb;
		if (child == NULL) {
			rc = KBS_NOMEM;
			break;
		}
		snprintf(child, len, "%s%s%s", path, slash ? "" : "/",
		         names.paths[i]);
		/* relative to the open directory: no walk of the whole path */
		if (fstatat(dirfd(dir), names.paths[i], &csb, 0) != 0)
			fail(ud, child, strerror(errno));
		else
			rc = walk(list, child, &csb, depth + 1, fail, ud);
		free(child);
	}
	closedir(dir);
	kbs__pathlist_free(&names);
	return rc;
}

kbs_status
kbs__walk(kbs__pathlist *list, const char *path, kbs__walk_fail_fn fail,
          void *userdata)
{
	/* Absolute paths identify a file whatever the working directory of
	 * the next run, which incremental runs and pruning rely on. */
	char *abs = realpath(path, NULL);
	if (abs == NULL) {
		fail(userdata, path, strerror(errno));
		return KBS_OK;
	}
	struct stat sb;
	kbs_status rc = KBS_OK;
	if (stat(abs, &sb) != 0)
		fail(userdata, path, strerror(errno));
	else
		rc = walk(list, abs, &sb, 0, fail, userdata);
	free(abs);
	return rc;
}

void
kbs__pathlist_free(kbs__pathlist *list)
{
	for (size_t i = 0; i < list->n; i++)
		free(list->paths[i]);
	free(list->paths);
	free(list->sizes);
	free(list->mtimes);
	memset(list, 0, sizeof *list);
}
