/*
 * walk.c - collecting the files of an index run.
 *
 * The whole list is collected before any parsing so that progress can say
 * "files done of total". Directory entries are sorted, which makes runs
 * and their reports reproducible.
 *
 * Inside a directory, files that cannot be articles are passed over:
 * hidden entries and data, image, archive and program files by extension.
 * A file named like a collection's own documentation (README, MANIFEST,
 * LICENSE and the like, whatever the extension) is listed with a mark:
 * the KB archive names every Markdown page README.md, so its content
 * decides (run.c). A file named on the command line is always read.
 *
 * Symbolic links are followed, but each directory (device and inode) is
 * entered once per run: a link to an ancestor ("loop -> .") or a second
 * link to a directory already walked is passed over, so that no file is
 * listed twice and no loop runs to the depth limit. A link to something
 * that is not a regular file or directory (a device, a pipe, a socket),
 * or to a file of /proc or /sys (whose content is made up on reading), is
 * passed over with that reason.
 *
 * A directory of many entries is walked on two threads (walk_split()),
 * since an unchanged re-run is mostly the kernel's work of listing and
 * stat()ing, which both cores can do at once. The list, the counts and
 * the order of the reports are those of a walk on one thread.
 */
#define _GNU_SOURCE 1       /* getdents64() */
#include "indexer.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <fcntl.h>
#include <pthread.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <unistd.h>

/* Deeper trees than this are cut. */
#define MAX_DEPTH 32

/* statfs() f_type of the kernel's pseudo file systems (linux/magic.h). */
#define PROC_SUPER_MAGIC 0x9fa0
#define SYSFS_MAGIC 0x62656572

/* The directories entered so far, and the files that may be reached by
 * a second path: an open-addressing hash set of (device, inode) pairs,
 * kept at most half full. A plain file (one hard link, found by a
 * directory entry, not through a symbolic link) is reached by one path
 * only, since its directory is entered once: it is only looked up, and
 * its key kept in a plain array until kbs__walk_done(). The set holds the
 * run's directories and its few other files only, and goes with the
 * keys once the walk is done, before any file is read. */
enum {
	SLOT_FREE,
	SLOT_USED,
	SLOT_CLAIMED,   /* kbs__walk_done(): a plain file's path came first */
	SLOT_SEEDED,    /* a split's thread's copy of what was walked before
	                   it started (walk_split()) */
};

typedef struct dirid {
	dev_t dev;
	ino_t ino;
	unsigned char state;    /* SLOT_* */
} dirid;

typedef struct filekey {
	dev_t dev;
	ino_t ino;
} filekey;

struct kbs__dirset {
	dirid *slots;
	size_t n, cap;    /* cap is a power of two */
	filekey *keys;    /* [list->n]: each listed file's key */
	bool *linked;     /* [list->n]: in the set (not a plain file) */
	size_t kcap;
	size_t nlinked;   /* files in the set */
	bool record;      /* note additions in added[] (a split's thread) */
	filekey *added;   /* [nadded]: what was added, in order */
	size_t nadded, cadded;
};

static size_t
dir_hash(dev_t dev, ino_t ino, size_t cap)
{
	unsigned long long k = (unsigned long long)ino * 0x9E3779B97F4A7C15ull ^
	                       (unsigned long long)dev;
	return (size_t)(k ^ (k >> 29)) & (cap - 1);
}

static struct kbs__dirset *
dirset(kbs__pathlist *list)
{
	if (list->dirs == NULL)
		list->dirs = calloc(1, sizeof *list->dirs);
	return list->dirs;
}

/* The slot of (dev, ino) in set, or NULL if it is not there. */
static dirid *
dir_find(const struct kbs__dirset *set, dev_t dev, ino_t ino)
{
	if (set->cap == 0)
		return NULL;
	size_t h = dir_hash(dev, ino, set->cap);
	while (set->slots[h].state != SLOT_FREE) {
		if (set->slots[h].dev == dev && set->slots[h].ino == ino)
			return &set->slots[h];
		h = (h + 1) & (set->cap - 1);
	}
	return NULL;
}

/* Add (dev, ino) to set. *fresh is false when it was there already.
 * Returns KBS_OK or KBS_NOMEM. */
static kbs_status
set_add(struct kbs__dirset *set, dev_t dev, ino_t ino, bool *fresh)
{
	if (dir_find(set, dev, ino) != NULL) {
		*fresh = false;
		return KBS_OK;
	}
	if ((set->n + 1) * 2 > set->cap) {
		size_t ncap = set->cap ? set->cap * 2 : 64;
		dirid *ns = calloc(ncap, sizeof *ns);
		if (ns == NULL)
			return KBS_NOMEM;
		for (size_t i = 0; i < set->cap; i++) {
			if (set->slots[i].state == SLOT_FREE)
				continue;
			size_t h = dir_hash(set->slots[i].dev, set->slots[i].ino,
			                    ncap);
			while (ns[h].state != SLOT_FREE)
				h = (h + 1) & (ncap - 1);
			ns[h] = set->slots[i];
		}
		free(set->slots);
		set->slots = ns;
		set->cap = ncap;
	}
	size_t h = dir_hash(dev, ino, set->cap);
	while (set->slots[h].state != SLOT_FREE)
		h = (h + 1) & (set->cap - 1);
	if (set->record) {
		if (set->nadded == set->cadded) {
			size_t c = set->cadded ? set->cadded * 2 : 256;
			filekey *a = realloc(set->added, c * sizeof *a);
			if (a == NULL)
				return KBS_NOMEM;
			set->added = a;
			set->cadded = c;
		}
		set->added[set->nadded++] = (filekey){ dev, ino };
	}
	set->slots[h] = (dirid){ dev, ino, SLOT_USED };
	set->n++;
	*fresh = true;
	return KBS_OK;
}

/* Add sb's directory or file (device, inode) to list's set of what the
 * run has walked. *fresh is false when it was there already. Returns
 * KBS_OK or KBS_NOMEM. */
static kbs_status
dir_enter(kbs__pathlist *list, const struct stat *sb, bool *fresh)
{
	struct kbs__dirset *set = dirset(list);
	if (set == NULL)
		return KBS_NOMEM;
	return set_add(set, sb->st_dev, sb->st_ino, fresh);
}

/* Make room in set for the keys of need files in all. */
static kbs_status
reserve_keys(struct kbs__dirset *set, size_t need)
{
	if (need <= set->kcap)
		return KBS_OK;
	size_t ncap = set->kcap ? set->kcap * 2 : 64;
	while (ncap < need)
		ncap *= 2;
	filekey *k = realloc(set->keys, ncap * sizeof *k);
	if (k == NULL)
		return KBS_NOMEM;
	set->keys = k;
	bool *l = realloc(set->linked, ncap * sizeof *l);
	if (l == NULL)
		return KBS_NOMEM;
	set->linked = l;
	set->kcap = ncap;
	return KBS_OK;
}

/* Keep the key of the file about to be list->paths[list->n]. */
static kbs_status
keep_key(kbs__pathlist *list, const struct stat *sb, bool linked)
{
	struct kbs__dirset *set = dirset(list);
	if (set == NULL)
		return KBS_NOMEM;
	if (reserve_keys(set, list->n + 1) != KBS_OK)
		return KBS_NOMEM;
	set->keys[list->n] = (filekey){ sb->st_dev, sb->st_ino };
	set->linked[list->n] = linked;
	set->nlinked += linked;
	return KBS_OK;
}

/* Make room in list for need entries in all. */
static kbs_status
reserve(kbs__pathlist *list, size_t need)
{
	if (need <= list->cap)
		return KBS_OK;
	size_t ncap = list->cap ? list->cap * 2 : 64;
	while (ncap < need)
		ncap *= 2;
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
	size_t *ro = realloc(list->roots, ncap * sizeof *ro);
	if (ro == NULL)
		return KBS_NOMEM;
	list->roots = ro;
	bool *dc = realloc(list->docs, ncap * sizeof *dc);
	if (dc == NULL)
		return KBS_NOMEM;
	list->docs = dc;
	list->cap = ncap;
	return KBS_OK;
}

/* Add path; sb is its stat, or NULL for a name list entry. */
static kbs_status
push(kbs__pathlist *list, const char *path, const struct stat *sb,
     size_t root, bool doc)
{
	if (reserve(list, list->n + 1) != KBS_OK)
		return KBS_NOMEM;
	if ((list->paths[list->n] = strdup(path)) == NULL)
		return KBS_NOMEM;
	list->sizes[list->n] = sb ? (long long)sb->st_size : -1;
	list->mtimes[list->n] = sb ? (long long)sb->st_mtim.tv_sec *
	                             1000000000LL + sb->st_mtim.tv_nsec : -1;
	list->roots[list->n] = root;
	list->docs[list->n] = doc;
	list->n++;
	return KBS_OK;
}

/* Is the directory entry name that of a collection's own documentation
 * or site file (README.md, LICENSE, robots.txt)? */
static bool
doc_name(const char *name)
{
	static const char *const docs[] = {
		"README", "MANIFEST", "LICENSE", "LICENCE", "COPYING",
		"CHANGELOG", "CHANGES", "CONTRIBUTING", "AUTHORS", "NOTICE",
		"INSTALL", "ROBOTS",
	};
	const char *dot = strrchr(name, '.');
	size_t stem = dot != NULL ? (size_t)(dot - name) : strlen(name);
	for (size_t i = 0; i < sizeof docs / sizeof *docs; i++)
		if (stem == strlen(docs[i]) &&
		    strncasecmp(name, docs[i], stem) == 0)
			return true;
	return false;
}

/* Is the directory entry name that of a data, image or program file? */
static bool
data_name(const char *name)
{
	static const char *const exts[] = {
		"tsv", "csv", "json", "yml", "yaml", "toml", "ini", "css", "js",
		"map", "png", "jpg", "jpeg", "gif", "bmp", "ico", "svg", "webp",
		"zip", "gz", "tgz", "bz2", "xz", "7z", "cab", "pdf", "exe",
		"dll", "sys", "so", "o", "a", "sqlite", "db", "woff", "woff2",
		"ttf", "eot", "mp3", "mp4", "wav",
	};
	const char *dot = strrchr(name, '.');
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

/* What a walk passed over or could not read, kept by a split's thread
 * until the calling thread reports it in the order of a walk on one
 * thread. */
typedef struct event {
	bool skip;                   /* passed over, else failed */
	char *path, *reason;
} event;

typedef struct eventlog {
	event *v;
	size_t n, cap;
} eventlog;

/* What a walk is collecting for. */
typedef struct walker {
	kbs__pathlist *list;
	size_t root;                 /* index of the given path */
	unsigned long *skipped;      /* [KBS__WHY_N] */
	kbs__walk_fail_fn fail;
	void *ud;
	char *dents;                 /* DENTS bytes for getdents64() */
	pthread_mutex_t *hook;       /* held around kbs__walk_skip() while
	                                two threads walk, else NULL */
	eventlog *log;               /* a split's thread's reports, kept;
	                                NULL: reported as they come */
	bool may_split;              /* the calling thread, not inside a
	                                split */
	char why[4096 + 64];         /* kbs__walk_skip()'s reason */
} walker;

/* Bytes read of a directory listing at a time: a KB archive directory
 * of 1,000 entries in one call. */
#define DENTS 32768

int kbs__walk_threads = 2;

/* A directory is split between two threads if it has this many
 * subdirectories, or this many entries: a small tree is not worth a
 * thread and two copies of the set of directories walked so far (a KB
 * archive rendering has 308 directories at its top, each of about 200
 * files or article directories). */
#define SPLIT_DIRS 16
#define SPLIT_ENTRIES 2048
/* The most segments a split directory's entries go in (walk_split()):
 * few enough to cost nothing, enough for the threads to share the work
 * out whatever the speed of each. */
#define SEGMENTS 512

/* Report path as failed (skip false) or passed over (skip true), or
 * keep the report for later on a split's thread. Returns KBS_OK or
 * KBS_NOMEM. */
static kbs_status
say(walker *w, bool skip, const char *path, const char *reason)
{
	if (w->log == NULL) {
		if (skip)
			kbs__walk_skipped(w->ud, path, reason);
		else
			w->fail(w->ud, path, reason);
		return KBS_OK;
	}
	eventlog *log = w->log;
	if (log->n == log->cap) {
		size_t ncap = log->cap ? log->cap * 2 : 16;
		event *v = realloc(log->v, ncap * sizeof *v);
		if (v == NULL)
			return KBS_NOMEM;
		log->v = v;
		log->cap = ncap;
	}
	event *e = &log->v[log->n];
	e->skip = skip;
	e->path = strdup(path);
	e->reason = strdup(reason);
	if (e->path == NULL || e->reason == NULL) {
		free(e->path);
		free(e->reason);
		return KBS_NOMEM;
	}
	log->n++;
	return KBS_OK;
}

static kbs_status walk_children(walker *w, const char *path, int fd,
                                 char **names, size_t from, size_t to,
                                 int depth);
static kbs_status walk_split(walker *w, const char *path, int fd,
                             char **names, size_t n, int depth);

/* Walk path, whose stat is sb, found as name in the directory open as
 * at (AT_FDCWD and the whole path for a given path); doc: named like
 * documentation inside a directory; plain: found by a directory entry,
 * not a symbolic link. */
static kbs_status
walk(walker *w, const char *path, int at, const char *name,
     const struct stat *sb, int depth, bool doc, bool plain)
{
	kbs_status rc = KBS_OK;

	if (S_ISREG(sb->st_mode)) {
		/* A file reached twice (named on the command line and found
		 * in a directory given too, through a link, or a second hard
		 * link) is read once: its second article would only replace
		 * the first. A plain file met after another path to it is
		 * dropped here, one met before by kbs__walk_done(). */
		bool linked = !plain || depth == 0 || sb->st_nlink > 1;
		bool fresh = true;
		if (linked)
			rc = dir_enter(w->list, sb, &fresh);
		else if (w->list->dirs != NULL &&
		         w->list->dirs->nlinked > 0 &&
		         dir_find(w->list->dirs, sb->st_dev, sb->st_ino) != NULL)
			fresh = false;
		if (rc != KBS_OK || !fresh)
			return rc;
		if ((rc = keep_key(w->list, sb, linked)) != KBS_OK)
			return rc;
		return push(w->list, path, sb, w->root, doc);
	}
	if (!S_ISDIR(sb->st_mode))
		return say(w, false, path, "not a regular file or directory");
	if (depth > MAX_DEPTH)
		return say(w, false, path, "directory nested too deep");
	bool fresh;
	if ((rc = dir_enter(w->list, sb, &fresh)) != KBS_OK)
		return rc;
	if (!fresh)
		return say(w, false, path, "directory already walked in this "
		           "run (a symbolic link loop or a second link to it)");
	/* getdents64() on an open descriptor rather than opendir(): the
	 * listing is the same, without the fstat() that opendir() adds per
	 * directory (a sixth of an unchanged re-run's system calls on the
	 * KB archive, whose every article has a directory). All names are
	 * read before any is walked, so one buffer serves every level. */
	/* relative to its parent's descriptor: no walk of the whole path
	 * (a tenth of an unchanged re-run over the KB archive) */
	int fd = kbs__open_read(at, name, O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return say(w, false, path, strerror(errno));
	kbs__pathlist names = {0};
	bool has_ignore = false;
	size_t subdirs = 0;
	ssize_t got;
	while (rc == KBS_OK && (got = getdents64(fd, w->dents, DENTS)) > 0) {
		for (ssize_t off = 0; rc == KBS_OK && off < got;) {
			const struct dirent64 *de =
				(const struct dirent64 *)(w->dents + off);
			off += de->d_reclen;
			if (strcmp(de->d_name, ".") == 0 ||
			    strcmp(de->d_name, "..") == 0)
				continue;
			if (strcmp(de->d_name, KBS__IGNORE_FILE) == 0)
				has_ignore = true;
			if (de->d_name[0] != '.' && (de->d_type == DT_DIR ||
			    de->d_type == DT_UNKNOWN))
				subdirs++;
			rc = push(&names, de->d_name, NULL, 0, false);
		}
	}
	if (names.n > 0)
		qsort(names.paths, names.n, sizeof *names.paths, cmp_names);
	/* The filter hook, once every name is known (so that it opens a
	 * .kbsearchignore only where there is one): built-in rules,
	 * exclude globs and .kbsearchignore files (run.c), skips
	 * reported. While two threads walk, one directory's names at a
	 * time: the hook's state (the ignore files read) is the run's. */
	size_t plen = strlen(path);
	bool slash = plen > 0 && path[plen - 1] == '/';
	size_t kept = 0, i = 0;
	if (w->hook != NULL)
		pthread_mutex_lock(w->hook);
	for (; rc == KBS_OK && i < names.n; i++) {
		const char *name = names.paths[i];
		bool hidden = name[0] == '.';
		bool data = !hidden && data_name(name);
		const char *why = kbs__walk_skip(w->ud, path, name, hidden ?
		        "hidden" : data ? "data, image or program file (by "
		        "its name)" : NULL, has_ignore, w->why, sizeof w->why);
		if (why != NULL) {
			size_t len = plen + 1 + strlen(name) + 1;
			char *child = malloc(len);
			if (child == NULL) {
				rc = KBS_NOMEM;
				break;      /* names.paths[i] is kept, freed */
			}
			snprintf(child, len, "%s%s%s", path, slash ? "" : "/",
			         name);
			rc = say(w, true, child, why);
			free(child);
			w->skipped[hidden ? KBS__WHY_HIDDEN : data ?
			           KBS__WHY_DATA : KBS__WHY_EXCLUDED]++;
			free(names.paths[i]);
			continue;
		}
		names.paths[kept++] = names.paths[i];
	}
	if (w->hook != NULL)
		pthread_mutex_unlock(w->hook);
	while (i < names.n)   /* a failure stopped the loop: the rest */
		names.paths[kept++] = names.paths[i++];
	names.n = kept;
	if (rc == KBS_OK) {
		if (w->may_split && kbs__walk_threads != 1 && names.n >= 2 &&
		    (subdirs >= SPLIT_DIRS || names.n >= SPLIT_ENTRIES))
			rc = walk_split(w, path, fd, names.paths, names.n,
			                depth);
		else
			rc = walk_children(w, path, fd, names.paths, 0,
			                   names.n, depth);
	}
	close(fd);
	kbs__pathlist_free(&names);
	return rc;
}

/* Walk the entries names[from..to) of directory path, open as fd, whose
 * depth is depth. */
static kbs_status
walk_children(walker *w, const char *path, int fd, char **names,
              size_t from, size_t to, int depth)
{
	kbs_status rc = KBS_OK;
	size_t plen = strlen(path);
	bool slash = plen > 0 && path[plen - 1] == '/';
	for (size_t i = from; rc == KBS_OK && i < to; i++) {
		size_t len = plen + 1 + strlen(names[i]) + 1;
		char *child = malloc(len);
		struct stat csb;
		if (child == NULL)
			return KBS_NOMEM;
		snprintf(child, len, "%s%s%s", path, slash ? "" : "/",
		         names[i]);
		/* relative to the open directory: no walk of the whole path */
		const char *why = NULL;
		bool link = false;
		struct statfs fs;
		if (fstatat(fd, names[i], &csb, AT_SYMLINK_NOFOLLOW) != 0) {
			why = strerror(errno);
		} else if (S_ISLNK(csb.st_mode)) {
			link = true;
			if (fstatat(fd, names[i], &csb, 0) != 0)
				why = errno == ENOENT ? "broken symbolic link"
				    : errno == ELOOP ? "symbolic link loop"
				    : strerror(errno);
			else if (!S_ISREG(csb.st_mode) &&
			         !S_ISDIR(csb.st_mode))
				why = "symbolic link to something other than "
				      "a regular file or directory";
			else if (statfs(child, &fs) == 0 &&
			         (fs.f_type == PROC_SUPER_MAGIC ||
			          fs.f_type == SYSFS_MAGIC))
				why = "symbolic link into /proc or /sys";
		}
		if (why != NULL)
			rc = say(w, false, child, why);
		else
			rc = walk(w, child, fd, names[i], &csb, depth + 1,
			          doc_name(names[i]), !link);
		free(child);
	}
	return rc;
}

/* A directory split between two threads (walk_split()): its entries in
 * segments of per entries, which the threads claim in turn, each into
 * a list of its own; a segment notes where its files, reports and
 * additions to the set are in its thread's. */
typedef struct part part;

typedef struct segment {
	part *by;                    /* the thread that walked it, or NULL */
	size_t list0, list1;         /* its files in by->list */
	size_t add0, add1;           /* its additions in by's set */
	size_t ev0, ev1;             /* its reports in by->log */
	unsigned long skipped[KBS__WHY_N];
	kbs_status rc;
} segment;

typedef struct split {
	const char *path;
	int fd, depth;
	char **names;
	size_t n, per;               /* entries; entries per segment */
	segment *segs;
	size_t nsegs;
	size_t next;                 /* the next segment to claim (atomic) */
	bool deal;                   /* segments dealt in turn, not claimed
	                                (kbs__walk_threads -2) */
	pthread_mutex_t hook;        /* held around kbs__walk_skip() */
} split;

/* One thread's share of a split. */
struct part {
	walker w;
	kbs__pathlist list;
	eventlog log;
	split *sp;
	size_t nth;                  /* 0: the calling thread, 1: the other */
	bool own_dents;              /* w.dents is this part's */
};

/* Claim segments until none is left. */
static void *
part_run(void *arg)
{
	part *p = arg;
	split *sp = p->sp;
	struct kbs__dirset *set = p->list.dirs;
	for (size_t taken = 0;; taken++) {
		size_t i = sp->deal ? p->nth + 2 * taken
		           : __atomic_fetch_add(&sp->next, 1, __ATOMIC_RELAXED);
		if (i >= sp->nsegs)
			break;
		segment *s = &sp->segs[i];
		size_t from = i * sp->per;
		size_t to = from + sp->per < sp->n ? from + sp->per : sp->n;
		s->list0 = p->list.n;
		s->add0 = set->nadded;
		s->ev0 = p->log.n;
		p->w.skipped = s->skipped;
		s->rc = walk_children(&p->w, sp->path, sp->fd, sp->names, from,
		                      to, sp->depth);
		s->list1 = p->list.n;
		s->add1 = set->nadded;
		s->ev1 = p->log.n;
		__atomic_store_n(&s->by, p, __ATOMIC_RELEASE);
		if (s->rc != KBS_OK)
			break;
	}
	return NULL;
}

/* Give p a copy of list's set (what the run has walked so far: the
 * directories above, the given paths before), marked as seeded, which
 * notes what is added to it. */
static kbs_status
part_seed(part *p, const kbs__pathlist *list)
{
	const struct kbs__dirset *set = list->dirs;
	struct kbs__dirset *its = calloc(1, sizeof *its);
	if (its == NULL)
		return KBS_NOMEM;
	p->list.dirs = its;
	if ((its->slots = malloc(set->cap * sizeof *its->slots)) == NULL)
		return KBS_NOMEM;
	for (size_t i = 0; i < set->cap; i++) {
		its->slots[i] = set->slots[i];
		if (its->slots[i].state != SLOT_FREE)
			its->slots[i].state = SLOT_SEEDED;
	}
	its->cap = set->cap;
	its->n = set->n;
	its->nlinked = set->nlinked;
	its->record = true;
	if (p->w.dents == NULL) {
		if ((p->w.dents = malloc(DENTS)) == NULL)
			return KBS_NOMEM;
		p->own_dents = true;
	}
	return KBS_OK;
}

static void
part_free(part *p)
{
	for (size_t i = 0; i < p->log.n; i++) {
		free(p->log.v[i].path);
		free(p->log.v[i].reason);
	}
	free(p->log.v);
	if (p->own_dents)
		free(p->w.dents);
	kbs__pathlist_free(&p->list);   /* paths moved out are NULL */
}

/* Would segment s have been walked otherwise after those before it, on
 * one thread? Only where it meets one of the other thread's: a
 * directory or linked file both entered (through a link from one into
 * the other), or a plain file of s that another entered through a
 * link. list's set holds what was walked before s. */
static bool
segment_crossed(const kbs__pathlist *list, const segment *s,
                size_t seeded_nlinked)
{
	const struct kbs__dirset *mine = list->dirs, *its = s->by->list.dirs;
	for (size_t i = s->add0; i < s->add1; i++)
		if (dir_find(mine, its->added[i].dev, its->added[i].ino))
			return true;
	if (mine->nlinked > seeded_nlinked)
		for (size_t i = s->list0; i < s->list1; i++)
			if (!its->linked[i] &&
			    dir_find(mine, its->keys[i].dev, its->keys[i].ino))
				return true;
	return false;
}

/* Append segment s's files, keys, set additions and counts to w's, then
 * report what its thread kept, in order. */
static kbs_status
segment_append(walker *w, const segment *s)
{
	kbs__pathlist *list = w->list, *src = &s->by->list;
	struct kbs__dirset *set = list->dirs, *its = src->dirs;
	size_t n = s->list1 - s->list0;
	kbs_status rc = reserve(list, list->n + n);
	if (rc == KBS_OK)
		rc = reserve_keys(set, list->n + n);
	if (rc != KBS_OK)
		return rc;
	for (size_t i = s->list0; i < s->list1; i++) {
		list->paths[list->n] = src->paths[i];
		src->paths[i] = NULL;        /* list's now */
		list->sizes[list->n] = src->sizes[i];
		list->mtimes[list->n] = src->mtimes[i];
		list->roots[list->n] = src->roots[i];
		list->docs[list->n] = src->docs[i];
		set->keys[list->n] = its->keys[i];
		set->linked[list->n] = its->linked[i];
		set->nlinked += its->linked[i];
		list->n++;
	}
	for (size_t i = s->add0; rc == KBS_OK && i < s->add1; i++) {
		bool fresh;
		rc = set_add(set, its->added[i].dev, its->added[i].ino, &fresh);
	}
	for (size_t k = 0; k < KBS__WHY_N; k++)
		w->skipped[k] += s->skipped[k];
	for (size_t i = s->ev0; i < s->ev1; i++)
		say(w, s->by->log.v[i].skip, s->by->log.v[i].path,
		    s->by->log.v[i].reason);
	return rc;
}

/* Walk the entries names[0..n) of directory path, open as fd, on two
 * threads. Each thread does its own system calls (getdents64, fstatat,
 * openat), which are most of an unchanged re-run and which the kernel
 * serves on both cores at once. The entries go in segments that the
 * threads claim in turn, so that a thread slowed by another program on
 * its core takes fewer; each thread walks into a list of its own, and
 * the segments are then appended in order. The result is that of one
 * thread: the reports wait for the segments before them, and from a
 * segment that met another thread's earlier one (a link from one into
 * the other) the rest is walked again on this thread, which is rare.
 * GNU find walks on one thread; fd and ripgrep (the ignore crate's
 * WalkParallel) hand directories to a pool of threads through a work
 * queue and give results in no set order; here the order is the point,
 * and two threads are the cores the machine has. A thread that cannot
 * be started leaves the walk on one. */
static kbs_status
walk_split(walker *w, const char *path, int fd, char **names, size_t n,
           int depth)
{
	split sp = { .path = path, .fd = fd, .depth = depth, .names = names,
	             .n = n, .per = n / SEGMENTS + 1 };
	part a, b;
	memset(&a, 0, sizeof a);
	memset(&b, 0, sizeof b);
	pthread_t tid;
	sp.nsegs = (n + sp.per - 1) / sp.per;
	pthread_mutex_init(&sp.hook, NULL);
	part *parts[2] = { &a, &b };
	for (int i = 0; i < 2; i++)
		parts[i]->w = (walker){ .list = &parts[i]->list,
		        .root = w->root, .fail = w->fail, .ud = w->ud,
		        .dents = i == 0 ? w->dents : NULL, .hook = &sp.hook,
		        .log = &parts[i]->log, .may_split = false };
	a.sp = b.sp = &sp;
	b.nth = 1;
	sp.deal = kbs__walk_threads == -2;
	size_t seeded_nlinked = w->list->dirs->nlinked;
	kbs_status rc = KBS_OK;
	size_t done = 0;             /* segments appended */
	if ((sp.segs = calloc(sp.nsegs, sizeof *sp.segs)) != NULL &&
	    part_seed(&a, w->list) == KBS_OK &&
	    part_seed(&b, w->list) == KBS_OK &&
	    pthread_create(&tid, NULL, part_run, &b) == 0) {
		part_run(&a);
		pthread_join(tid, NULL);
		for (; rc == KBS_OK && done < sp.nsegs; done++) {
			segment *s = &sp.segs[done];
			if (s->by == NULL || s->rc != KBS_OK ||
			    segment_crossed(w->list, s, seeded_nlinked))
				break;
			rc = segment_append(w, s);
		}
	}
	if (rc == KBS_OK && done < sp.nsegs)
		rc = walk_children(w, path, fd, names, done * sp.per, n, depth);
	part_free(&a);
	part_free(&b);
	free(sp.segs);
	pthread_mutex_destroy(&sp.hook);
	return rc;
}

kbs_status
kbs__walk(kbs__pathlist *list, const char *path, size_t root,
          unsigned long skipped[KBS__WHY_N], kbs__walk_fail_fn fail,
          void *userdata)
{
	walker w = { .list = list, .root = root, .skipped = skipped,
	             .fail = fail, .ud = userdata, .may_split = true };
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
	else if (S_ISDIR(sb.st_mode) && (w.dents = malloc(DENTS)) == NULL)
		rc = KBS_NOMEM;
	else
		rc = walk(&w, abs, AT_FDCWD, abs, &sb, 0, false, false);
	free(w.dents);
	free(abs);
	return rc;
}

/* Free list's set and keys. */
static void
dirset_free(kbs__pathlist *list)
{
	struct kbs__dirset *set = list->dirs;
	if (set == NULL)
		return;
	free(set->slots);
	free(set->keys);
	free(set->linked);
	free(set->added);
	free(set);
	list->dirs = NULL;
}

void
kbs__walk_done(kbs__pathlist *list)
{
	struct kbs__dirset *set = list->dirs;
	if (set == NULL)
		return;
	/* A plain file listed before a link or a name to it claims its key;
	 * the later path to it goes. */
	if (set->nlinked > 0 && set->nlinked < list->n) {
		size_t kept = 0;
		for (size_t i = 0; i < list->n; i++) {
			dirid *d = dir_find(set, set->keys[i].dev,
			                    set->keys[i].ino);
			if (d != NULL && set->linked[i] &&
			    d->state == SLOT_CLAIMED) {
				free(list->paths[i]);
				continue;
			}
			if (d != NULL && !set->linked[i])
				d->state = SLOT_CLAIMED;
			list->paths[kept] = list->paths[i];
			list->sizes[kept] = list->sizes[i];
			list->mtimes[kept] = list->mtimes[i];
			list->roots[kept] = list->roots[i];
			list->docs[kept] = list->docs[i];
			kept++;
		}
		list->n = kept;
	}
	dirset_free(list);
}

void
kbs__pathlist_free(kbs__pathlist *list)
{
	for (size_t i = 0; i < list->n; i++)
		free(list->paths[i]);
	free(list->paths);
	free(list->sizes);
	free(list->mtimes);
	dirset_free(list);
	free(list->roots);
	free(list->docs);
	memset(list, 0, sizeof *list);
}

int
kbs__open_read(int at, const char *path, int flags)
{
	int fd = openat(at, path, O_RDONLY | O_NOATIME | flags);
	if (fd < 0 && errno == EPERM)  /* not the owner: atime as it goes */
		fd = openat(at, path, O_RDONLY | flags);
	return fd;
}
