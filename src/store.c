/*
 * store.c - an article's stored text: packed once, compressed with zstd.
 *
 * An article row keeps its text in one column, packed: a zstd frame (RFC
 * 8878) holding the whole decoded text (what `kbsearch show` parses again)
 * and the full-text columns that no other column holds (symptoms, cause,
 * resolution, body, keywords, messages). Those columns are the text's own
 * sections once more, which the compressor encodes as back-references
 * into the same frame: a few bytes each, where storing them as TEXT
 * columns next to the text more than doubled the table. They are kept as
 * indexed, byte for byte, because FTS5 removes a row of an external
 * content table by tokenizing the very values that were inserted: a
 * column derived again by a later version of the parsers would leave
 * stale postings behind.
 *
 * KB articles are short (4 KB on average) and share much boilerplate,
 * the case zstd's dictionaries are made for: the first articles stored
 * in a database are the samples a dictionary is trained on (ZDICT,
 * zstd's trainer), which is kept in the zdict table; those articles are
 * then compressed again with it, and every later frame names it by its
 * dictionary ID, which is also how a reader finds it.
 *
 * SQL reads the columns through kbs_unpack(packed, part): the
 * article_text view that FTS5 takes as its content (snippet(),
 * highlight()) and the delete trigger call it. C code calls
 * kbs__article_text().
 */
#include "private.h"

#include <assert.h>
#include <stdlib.h>
#include <string.h>

#include <zdict.h>
#include <zstd.h>
#include <zstd_errors.h>

/* Measured on every 20th article of the KB archive with its dictionary
 * (18.9 MB of payloads): level 3 packs them to 2.83 MB at 174 MB/s,
 * level 5 to 2.64 MB at 94 MB/s, level 9 to 2.51 MB at 32 MB/s, level
 * 15 to 2.47 MB at 17 MB/s. Level 5 keeps compression to about 4 s of
 * CPU over the whole archive; reading is as fast whatever the level. */
#define LEVEL 5

/* Training: the first TRAIN_SAMPLES articles of a database, at most
 * TRAIN_BYTES of them, are the samples; a run that ends with fewer
 * trains on what it has when there are at least MIN_SAMPLES. The
 * dictionary is at most DICT_BYTES and a twenty-fourth of the samples.
 * Measured on every 20th article of the KB archive (level 9), a
 * dictionary trained on 29 MB of articles: 110 KB packs them to 2.40 MB,
 * 256 KB to 2.29 MB, 512 KB to 2.24 MB, 1 MB to 2.19 MB; the samples and
 * the trainer's tables are held in memory while it runs. */
#define TRAIN_SAMPLES 2000
#define TRAIN_BYTES (8u << 20)
#define DICT_BYTES (256u << 10)
#define MIN_SAMPLES 32

/* A stored payload larger than this is corrupt (a file over 16 MB is
 * refused by the indexer; its columns are at most as long again). */
#define MAX_PAYLOAD ((size_t)64 << 20)

/* The payload: NPARTS little-endian 32-bit lengths, then the parts. */
#define HEADER (4 * KBS__NPARTS)

struct kbs__packer {
	kbs_db *db;
	ZSTD_CCtx *cctx;
	ZSTD_CDict *cdict;          /* NULL until the database has one */
	bool tried;                 /* training was tried in this run */
	kbs__buf payload;           /* the parts of one article */
	void *out;                  /* the frame of the last kbs__pack() */
	size_t outcap;
	kbs__buf samples;           /* payloads kept for training */
	size_t *sizes;              /* their sizes */
	size_t nsamples, capsamples;
	bool sampled;               /* the last payload went to samples */
	sqlite3_int64 *plain;       /* rows stored without dictionary */
	size_t nplain, capplain;
};

/* The reading side, one per database handle. */
typedef struct kbs__unpacker {
	ZSTD_DCtx *dctx;
	struct {
		unsigned id;
		ZSTD_DDict *dd;
	} dicts[4];                 /* dictionaries met so far */
	size_t ndicts;
	void *key;                  /* the frame last unpacked, heap */
	size_t keylen;
	char *payload;              /* its payload, heap */
	size_t paylen, paycap;
} unpacker;

/* ------------------------------------------------------------------ */
/* Payloads                                                            */
/* ------------------------------------------------------------------ */

static void
put32(unsigned char *p, uint32_t v)
{
	p[0] = (unsigned char)v;
	p[1] = (unsigned char)(v >> 8);
	p[2] = (unsigned char)(v >> 16);
	p[3] = (unsigned char)(v >> 24);
}

static uint32_t
get32(const unsigned char *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	       (uint32_t)p[3] << 24;
}

/* Part i of payload[0..len): *s and *n; false when the payload is not
 * well formed. */
static bool
payload_part(const char *payload, size_t len, int i, const char **s,
             size_t *n)
{
	const unsigned char *u = (const unsigned char *)payload;
	size_t off = HEADER;
	if (len < HEADER)
		return false;
	for (int k = 0; k < KBS__NPARTS; k++) {
		size_t l = get32(u + 4 * k);
		if (l > len - off)
			return false;
		if (k == i) {
			*s = payload + off;
			*n = l;
		}
		off += l;
	}
	return off == len;
}

/* ------------------------------------------------------------------ */
/* Writing                                                             */
/* ------------------------------------------------------------------ */

static kbs_status
zstd_error(kbs_db *db, const char *what, size_t code)
{
	return kbs__db_error(db, ZSTD_getErrorCode(code) ==
	                         ZSTD_error_memory_allocation
	                         ? KBS_NOMEM : KBS_DB,
	                     "%s: %s", what, ZSTD_getErrorName(code));
}

kbs_status
kbs__packer_new(kbs__packer **out, kbs_db *db)
{
	sqlite3_stmt *st = NULL;
	kbs_status rc = KBS_OK;
	kbs__packer *p = calloc(1, sizeof *p);
	*out = NULL;
	if (p == NULL || (p->cctx = ZSTD_createCCtx()) == NULL) {
		free(p);
		return KBS_NOMEM;
	}
	p->db = db;
	/* The newest dictionary, when the database has one. */
	if (sqlite3_prepare_v2(db->sqlite, "SELECT dict FROM zdict "
	        "ORDER BY rowid DESC LIMIT 1", -1, &st, NULL) != SQLITE_OK)
		rc = kbs__db_sqlite_error(db, "reading the dictionary");
	else if (sqlite3_step(st) == SQLITE_ROW) {
		p->cdict = ZSTD_createCDict(sqlite3_column_blob(st, 0),
		                            (size_t)sqlite3_column_bytes(st, 0),
		                            LEVEL);
		if (p->cdict == NULL)
			rc = KBS_NOMEM;
	}
	sqlite3_finalize(st);
	if (rc != KBS_OK) {
		kbs__packer_free(p);
		return rc;
	}
	*out = p;
	return KBS_OK;
}

void
kbs__packer_free(kbs__packer *p)
{
	if (p == NULL)
		return;
	ZSTD_freeCCtx(p->cctx);
	ZSTD_freeCDict(p->cdict);
	kbs__buf_free(&p->payload);
	kbs__buf_free(&p->samples);
	free(p->out);
	free(p->sizes);
	free(p->plain);
	free(p);
}

/* Compress src[0..n) into p->out, with the dictionary when there is one;
 * *len receives the frame's size. */
/* arr (n elements of size bytes, room for *cap) with room for one more:
 * the same pointer when there is, else reallocated to twice the room
 * (256 at first, *cap updated). NULL when memory ran out; arr is then
 * still valid. */
static void *
grow(void *arr, size_t *cap, size_t n, size_t size)
{
	if (n < *cap)
		return arr;
	size_t c = *cap ? *cap * 2 : 256;
	void *a = realloc(arr, c * size);
	if (a != NULL)
		*cap = c;
	return a;
}

static kbs_status
compress(kbs__packer *p, const void *src, size_t n, size_t *len)
{
	size_t need = ZSTD_compressBound(n);
	if (need > p->outcap) {
		void *o = realloc(p->out, need);
		if (o == NULL)
			return KBS_NOMEM;
		p->out = o;
		p->outcap = need;
	}
	size_t z = p->cdict != NULL
		? ZSTD_compress_usingCDict(p->cctx, p->out, p->outcap, src, n,
		                           p->cdict)
		: ZSTD_compressCCtx(p->cctx, p->out, p->outcap, src, n, LEVEL);
	if (ZSTD_isError(z))
		return zstd_error(p->db, "compressing an article", z);
	*len = z;
	return KBS_OK;
}

kbs_status
kbs__pack(kbs__packer *p, const char *const parts[KBS__NPARTS],
          const void **out, size_t *len)
{
	unsigned char head[HEADER];
	size_t lens[KBS__NPARTS];
	kbs_status rc;

	p->payload.len = 0;
	for (int i = 0; i < KBS__NPARTS; i++) {
		lens[i] = parts[i] != NULL ? strlen(parts[i]) : 0;
		if (lens[i] > UINT32_MAX)
			return kbs__db_error(p->db, KBS_INVALID,
			                     "article text too long");
		put32(head + 4 * i, (uint32_t)lens[i]);
	}
	kbs__buf_append(&p->payload, (const char *)head, HEADER);
	for (int i = 0; i < KBS__NPARTS; i++)
		kbs__buf_append(&p->payload, parts[i], lens[i]);
	if (p->payload.oom)
		return KBS_NOMEM;
	rc = compress(p, p->payload.data, p->payload.len, len);
	if (rc != KBS_OK)
		return rc;
	*out = p->out;
	/* Without a dictionary, the payload is a sample to train one. */
	p->sampled = false;
	if (p->cdict == NULL && !p->tried && p->nsamples < TRAIN_SAMPLES &&
	    p->samples.len + p->payload.len <= TRAIN_BYTES) {
		size_t *s = grow(p->sizes, &p->capsamples, p->nsamples,
		                 sizeof *s);
		if (s == NULL)
			return KBS_NOMEM;
		p->sizes = s;
		/* reserved at once: growing by doubling would hold up to
		 * twice TRAIN_BYTES at the run's peak of memory */
		if (p->samples.data == NULL) {
			p->samples.data = malloc(TRAIN_BYTES + 1);
			if (p->samples.data == NULL)
				return KBS_NOMEM;
			p->samples.cap = TRAIN_BYTES + 1;
			p->samples.data[0] = '\0';
		}
		kbs__buf_append(&p->samples, p->payload.data, p->payload.len);
		if (p->samples.oom)
			return KBS_NOMEM;
		p->sizes[p->nsamples++] = p->payload.len;
		p->sampled = true;
	}
	return KBS_OK;
}

/* Train a dictionary on the samples, store it, and compress again with
 * it the rows this run stored without. A training that fails (samples
 * too few or too alike) leaves the database without dictionary: frames
 * are larger, no more. */
static kbs_status
train(kbs__packer *p)
{
	kbs_db *db = p->db;
	sqlite3_stmt *ins = NULL, *sel = NULL, *upd = NULL;
	kbs_status rc = KBS_OK;
	size_t cap = DICT_BYTES;
	void *dict = NULL;
	ZSTD_DCtx *dctx = NULL;
	char *plain = NULL;
	size_t plaincap = 0;

	p->tried = true;
	if (cap > p->samples.len / 24)
		cap = p->samples.len / 24;
	if (cap < 1024 || (dict = malloc(cap)) == NULL)
		goto done;
	size_t n = ZDICT_trainFromBuffer(dict, cap, p->samples.data,
	                                 p->sizes, (unsigned)p->nsamples);
	/* the samples are done with, whatever comes of them */
	kbs__buf_free(&p->samples);
	memset(&p->samples, 0, sizeof p->samples);
	p->nsamples = 0;
	unsigned id = ZDICT_isError(n) ? 0 : ZDICT_getDictID(dict, n);
	if (id == 0)
		goto done;
	if ((p->cdict = ZSTD_createCDict(dict, n, LEVEL)) == NULL ||
	    (dctx = ZSTD_createDCtx()) == NULL) {
		rc = KBS_NOMEM;
		goto done;
	}
	if (sqlite3_prepare_v2(db->sqlite, "INSERT INTO zdict(id, dict) "
	        "VALUES (?, ?)", -1, &ins, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(db->sqlite, "SELECT packed FROM article "
	        "WHERE id = ?", -1, &sel, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(db->sqlite, "UPDATE article SET packed = ? "
	        "WHERE id = ?", -1, &upd, NULL) != SQLITE_OK) {
		rc = kbs__db_sqlite_error(db, "storing the dictionary");
		goto done;
	}
	sqlite3_bind_int64(ins, 1, id);
	sqlite3_bind_blob(ins, 2, dict, (int)n, SQLITE_STATIC);
	if (sqlite3_step(ins) != SQLITE_DONE) {
		rc = kbs__db_sqlite_error(db, "storing the dictionary");
		goto done;
	}
	for (size_t i = 0; rc == KBS_OK && i < p->nplain; i++) {
		sqlite3_bind_int64(sel, 1, p->plain[i]);
		if (sqlite3_step(sel) != SQLITE_ROW) {
			sqlite3_reset(sel);
			continue;       /* deleted since */
		}
		const void *z = sqlite3_column_blob(sel, 0);
		size_t zn = (size_t)sqlite3_column_bytes(sel, 0);
		unsigned long long size = z != NULL
			? ZSTD_getFrameContentSize(z, zn) : ZSTD_CONTENTSIZE_ERROR;
		if (z == NULL || ZSTD_getDictID_fromFrame(z, zn) != 0 ||
		    size > MAX_PAYLOAD) {
			sqlite3_reset(sel);
			continue;       /* replaced since, with the dictionary */
		}
		if (size + 1 > plaincap) {
			char *b = realloc(plain, (size_t)size + 1);
			if (b == NULL) {
				rc = KBS_NOMEM;
				sqlite3_reset(sel);
				break;
			}
			plain = b;
			plaincap = (size_t)size + 1;
		}
		size_t got = ZSTD_decompressDCtx(dctx, plain, plaincap, z, zn);
		sqlite3_reset(sel);
		size_t zlen = 0;
		if (ZSTD_isError(got))
			rc = zstd_error(db, "compressing again", got);
		else
			rc = compress(p, plain, got, &zlen);
		if (rc != KBS_OK)
			break;
		sqlite3_bind_blob(upd, 1, p->out, (int)zlen, SQLITE_STATIC);
		sqlite3_bind_int64(upd, 2, p->plain[i]);
		if (sqlite3_step(upd) != SQLITE_DONE)
			rc = kbs__db_sqlite_error(db, "compressing again");
		sqlite3_reset(upd);
	}
done:
	sqlite3_finalize(ins);
	sqlite3_finalize(sel);
	sqlite3_finalize(upd);
	ZSTD_freeDCtx(dctx);
	free(plain);
	free(dict);
	kbs__buf_free(&p->samples);
	memset(&p->samples, 0, sizeof p->samples);
	p->nsamples = 0;
	p->nplain = 0;
	return rc;
}

kbs_status
kbs__packer_stored(kbs__packer *p, sqlite3_int64 id)
{
	if (p->cdict != NULL || p->tried)
		return KBS_OK;
	sqlite3_int64 *n = grow(p->plain, &p->capplain, p->nplain, sizeof *n);
	if (n == NULL)
		return KBS_NOMEM;
	p->plain = n;
	p->plain[p->nplain++] = id;
	/* the samples are full: the last payload did not fit */
	if (!p->sampled && p->nsamples >= MIN_SAMPLES)
		return train(p);
	return KBS_OK;
}

kbs_status
kbs__packer_finish(kbs__packer *p)
{
	if (p->cdict == NULL && !p->tried && p->nsamples >= MIN_SAMPLES)
		return train(p);
	return KBS_OK;
}

/* ------------------------------------------------------------------ */
/* Reading                                                             */
/* ------------------------------------------------------------------ */

/* The decompression dictionary of ID id, loaded from zdict on first
 * use; NULL with the status in *rc when there is none. */
static ZSTD_DDict *
ddict(kbs_db *db, unpacker *u, unsigned id, kbs_status *rc)
{
	sqlite3_stmt *st = NULL;
	ZSTD_DDict *dd = NULL;
	for (size_t i = 0; i < u->ndicts; i++)
		if (u->dicts[i].id == id)
			return u->dicts[i].dd;
	if (sqlite3_prepare_v2(db->sqlite, "SELECT dict FROM zdict "
	        "WHERE id = ?", -1, &st, NULL) != SQLITE_OK) {
		*rc = kbs__db_sqlite_error(db, "reading a dictionary");
		return NULL;
	}
	sqlite3_bind_int64(st, 1, id);
	if (sqlite3_step(st) != SQLITE_ROW)
		*rc = kbs__db_error(db, KBS_DB, "compression dictionary %u "
		                    "missing: the database is damaged", id);
	else if ((dd = ZSTD_createDDict(sqlite3_column_blob(st, 0),
	            (size_t)sqlite3_column_bytes(st, 0))) == NULL)
		*rc = KBS_NOMEM;
	sqlite3_finalize(st);
	if (dd == NULL)
		return NULL;
	if (u->ndicts == sizeof u->dicts / sizeof *u->dicts) {
		ZSTD_freeDDict(u->dicts[0].dd);
		memmove(u->dicts, u->dicts + 1,
		        (u->ndicts - 1) * sizeof *u->dicts);
		u->ndicts--;
	}
	u->dicts[u->ndicts].id = id;
	u->dicts[u->ndicts].dd = dd;
	u->ndicts++;
	return dd;
}

/* The payload of frame z[0..zn), in u->payload (the last one is kept:
 * FTS5 asks for the columns of one row one after the other). */
static kbs_status
unpack(kbs_db *db, const void *z, size_t zn)
{
	unpacker *u = db->unpacker;
	kbs_status rc = KBS_OK;
	if (u->key != NULL && u->keylen == zn && memcmp(u->key, z, zn) == 0)
		return KBS_OK;
	free(u->key);
	u->key = NULL;
	unsigned long long size = ZSTD_getFrameContentSize(z, zn);
	if (size == ZSTD_CONTENTSIZE_ERROR ||
	    size == ZSTD_CONTENTSIZE_UNKNOWN || size > MAX_PAYLOAD)
		return kbs__db_error(db, KBS_DB, "stored article text is "
		                     "damaged (not a zstd frame)");
	if (size + 1 > u->paycap) {
		char *b = realloc(u->payload, (size_t)size + 1);
		if (b == NULL)
			return KBS_NOMEM;
		u->payload = b;
		u->paycap = (size_t)size + 1;
	}
	unsigned id = ZSTD_getDictID_fromFrame(z, zn);
	size_t got;
	if (id != 0) {
		ZSTD_DDict *dd = ddict(db, u, id, &rc);
		if (dd == NULL)
			return rc;
		got = ZSTD_decompress_usingDDict(u->dctx, u->payload,
		                                 u->paycap, z, zn, dd);
	} else {
		got = ZSTD_decompressDCtx(u->dctx, u->payload, u->paycap, z,
		                          zn);
	}
	const char *s;
	size_t n;
	if (ZSTD_isError(got))
		return zstd_error(db, "reading stored article text", got);
	if (!payload_part(u->payload, got, 0, &s, &n))
		return kbs__db_error(db, KBS_DB, "stored article text is "
		                     "damaged (bad part lengths)");
	u->payload[got] = '\0';
	u->paylen = got;
	if ((u->key = malloc(zn ? zn : 1)) == NULL)
		return KBS_NOMEM;
	memcpy(u->key, z, zn);
	u->keylen = zn;
	return KBS_OK;
}

/* kbs_unpack(packed, part): part 0..6 of a packed article as text; NULL
 * for an empty column (part > 0) or a NULL argument. */
static void
unpack_fn(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	kbs_db *db = sqlite3_user_data(ctx);
	(void)argc;
	if (sqlite3_value_type(argv[0]) == SQLITE_NULL)
		return;
	int part = sqlite3_value_int(argv[1]);
	const void *z = sqlite3_value_blob(argv[0]);
	size_t zn = (size_t)sqlite3_value_bytes(argv[0]);
	if (part < 0 || part >= KBS__NPARTS) {
		sqlite3_result_error(ctx, "kbs_unpack: no such part", -1);
		return;
	}
	kbs_status rc = z != NULL ? unpack(db, z, zn) : KBS_DB;
	if (rc == KBS_NOMEM) {
		sqlite3_result_error_nomem(ctx);
		return;
	}
	if (rc != KBS_OK) {
		sqlite3_result_error(ctx, kbs_db_errmsg(db), -1);
		return;
	}
	const char *s = NULL;
	size_t n = 0;
	payload_part(db->unpacker->payload, db->unpacker->paylen, part, &s,
	             &n);
	if (n > 0 || part == 0)
		sqlite3_result_text(ctx, s, (int)n, SQLITE_TRANSIENT);
}

sqlite3_int64
kbs__path_key(const char *path)
{
	/* 64-bit FNV-1a (Fowler, Noll, Vo) */
	uint64_t h = 0xcbf29ce484222325ull;
	for (const unsigned char *p = (const unsigned char *)path; *p; p++) {
		h ^= *p;
		h *= 0x100000001b3ull;
	}
	return (sqlite3_int64)h;
}

/* kbs_path_key(path): the key of source_file's row for path. */
static void
path_key_fn(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	(void)argc;
	const char *path = (const char *)sqlite3_value_text(argv[0]);
	if (path != NULL)
		sqlite3_result_int64(ctx, kbs__path_key(path));
}

kbs_status
kbs__store_register(kbs_db *db)
{
	/* Once per handle, whatever the connections opened for it (a
	 * read-only open may try again as immutable). */
	if (db->unpacker == NULL) {
		unpacker *u = calloc(1, sizeof *u);
		if (u == NULL || (u->dctx = ZSTD_createDCtx()) == NULL) {
			free(u);
			return KBS_NOMEM;
		}
		db->unpacker = u;
	}
	if (sqlite3_create_function_v2(db->sqlite, "kbs_unpack", 2,
	        SQLITE_UTF8 | SQLITE_DETERMINISTIC, db, unpack_fn, NULL, NULL,
	        NULL) != SQLITE_OK ||
	    sqlite3_create_function_v2(db->sqlite, "kbs_path_key", 1,
	        SQLITE_UTF8 | SQLITE_DETERMINISTIC, NULL, path_key_fn, NULL,
	        NULL, NULL) != SQLITE_OK)
		return kbs__db_sqlite_error(db, "registering kbs_unpack");
	return KBS_OK;
}

void
kbs__store_free(kbs_db *db)
{
	unpacker *u = db->unpacker;
	if (u == NULL)
		return;
	for (size_t i = 0; i < u->ndicts; i++)
		ZSTD_freeDDict(u->dicts[i].dd);
	ZSTD_freeDCtx(u->dctx);
	free(u->key);
	free(u->payload);
	free(u);
	db->unpacker = NULL;
}

kbs_status
kbs__article_text(kbs_db *db, sqlite3_int64 id, enum kbs__part part,
                  char **out, size_t *len)
{
	sqlite3_stmt *st = NULL;
	kbs_status rc = KBS_OK;
	assert(db != NULL && out != NULL && part < KBS__NPARTS);
	*out = NULL;
	if (len != NULL)
		*len = 0;
	if (sqlite3_prepare_v2(db->sqlite, "SELECT packed FROM article "
	        "WHERE id = ?", -1, &st, NULL) != SQLITE_OK)
		return kbs__db_sqlite_error(db, "reading an article's text");
	sqlite3_bind_int64(st, 1, id);
	int src = sqlite3_step(st);
	if (src == SQLITE_DONE)
		rc = kbs__db_error(db, KBS_NOT_FOUND, "no article %lld",
		                   (long long)id);
	else if (src != SQLITE_ROW)
		rc = kbs__db_sqlite_error(db, "reading an article's text");
	else
		rc = unpack(db, sqlite3_column_blob(st, 0),
		            (size_t)sqlite3_column_bytes(st, 0));
	sqlite3_finalize(st);
	const char *s = NULL;
	size_t n = 0;
	if (rc == KBS_OK)
		payload_part(db->unpacker->payload, db->unpacker->paylen,
		             (int)part, &s, &n);
	if (rc == KBS_OK && (*out = malloc(n + 1)) == NULL)
		rc = KBS_NOMEM;
	if (rc == KBS_OK) {
		memcpy(*out, s, n);
		(*out)[n] = '\0';
		if (len != NULL)
			*len = n;
	}
	return rc;
}
