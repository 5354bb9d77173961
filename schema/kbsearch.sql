-- kbsearch.sql - the database schema, the single source of truth.
--
-- Compiled into libkbsearch (src/schema.c is generated from this file) and
-- run once when a database is created. meta('schema_version') must equal
-- KBS_SCHEMA_VERSION in src/private.h: bump both together.

-- meta('articles') is the number of articles as of the last commit of
-- an index run (searches read it rather than count the table).
-- meta('spelling') is 'rebuilt' when the spelling table was rebuilt after
-- the last write of an index run, 'stale' while a run is writing and after
-- kbs_db_remove_path() removed a file. meta('terms') is the number of
-- distinct terms of article_fts that the last rebuild counted; marking
-- the table stale removes it (kbs_db_get_stats() counts while it is
-- missing).
CREATE TABLE meta (
    key   TEXT PRIMARY KEY,
    value TEXT
) WITHOUT ROWID;

-- One row per article, whatever number of files it came from. kb_id is
-- the canonical "Q123" form; an article without a KB id (a blog post, a
-- scraped page) has NULL there and is known by its source file.
CREATE TABLE article (
    id            INTEGER PRIMARY KEY,
    kb_id         TEXT UNIQUE,
    title         TEXT,
    date          TEXT,          -- ISO 8601
    category      TEXT,          -- "winnt" from "[winnt]"
    format        TEXT,          -- "kb-txt", "kb-md", "kb-html", "md",
                                 -- "html", "plain": of source_path
    source_path   TEXT,          -- the file that supplies the fields: the
                                 -- best structured of the article's files
    -- The header lines (PRODUCT, PROD/VER...), sections, events and the
    -- other records of `kbsearch show` are parsed again from the text.
    -- The whole decoded text (disclaimer included; sections are derived
    -- from it again when an article is shown) and the full-text columns
    -- symptoms, cause, resolution, body, keywords and messages, as one
    -- zstd frame (src/store.c): the columns are the text's sections
    -- again, which cost next to nothing compressed together with it.
    -- Read with kbs_unpack(packed, part), part 0 the text, 1..6 the
    -- columns in that order. The error messages are the messages column:
    -- no table of their own repeats them.
    packed        BLOB NOT NULL
);

-- zstd dictionaries trained on the database's first articles; id is the
-- dictionary ID that a frame compressed with it names.
CREATE TABLE zdict (
    id   INTEGER PRIMARY KEY,
    dict BLOB NOT NULL
);

-- The full-text columns of every article, as article_fts indexed them:
-- the content of article_fts, which reads it for snippet() and
-- highlight().
CREATE VIEW article_text(id, title, symptoms, cause, resolution, body,
                         keywords, messages) AS
    SELECT id, title, kbs_unpack(packed, 1), kbs_unpack(packed, 2),
           kbs_unpack(packed, 3), kbs_unpack(packed, 4),
           kbs_unpack(packed, 5), kbs_unpack(packed, 6)
    FROM article;

-- The files an article was read from (the renderings of one KB article
-- in text, Markdown and HTML are one article); content_hash makes re-runs
-- skip unchanged files. The key is checked at commit, so that an article
-- can be replaced in place (deleted and inserted again with its id).
-- The key is kbs_path_key(path), a 64-bit hash of the path (src/store.c):
-- the archive's 177,000 paths are stored once, with no index of them
-- (a UNIQUE path column or a path key cost 9 MB more).
CREATE TABLE source_file (
    id           INTEGER PRIMARY KEY,  -- kbs_path_key(path)
    path         TEXT NOT NULL,
    article_id   INTEGER REFERENCES article(id)
                 DEFERRABLE INITIALLY DEFERRED,
    content_hash INTEGER NOT NULL,  -- 64-bit FNV-1a of the bytes
    size         INTEGER NOT NULL,  -- bytes
    format       TEXT,
    mtime        INTEGER,           -- modification time, ns since 1970:
                                    -- same size and mtime, not read again
    charset      TEXT               -- what the bytes were read as when not
                                    -- UTF-8: "WINDOWS-1252", "CP437"...
);
CREATE INDEX source_file_article ON source_file(article_id);

-- BM25 ranking runs over these columns with per-column weights
-- (query/rank.c). External content: the text lives in article once,
-- packed; article_text unpacks it.
CREATE VIRTUAL TABLE article_fts USING fts5(
    title, symptoms, cause, resolution, body, keywords, messages,
    content='article_text', content_rowid='id',
    tokenize='porter unicode61'
);
-- Document frequency of every term, for choosing the informative words of
-- a long paste.
CREATE VIRTUAL TABLE article_vocab USING fts5vocab(article_fts, 'row');

-- The words spelling correction chooses from (query/typos.c): each term of
-- article_fts made of 4 to 63 letters a-z, with the number of articles
-- holding it. article_vocab has the same counts but makes them by reading
-- each term's whole posting list, so the words that start like "winnx"
-- cost it the lists of "windows", "with" and "will". An index run that
-- finds meta('spelling') other than 'rebuilt' (it wrote, or an earlier
-- run was stopped after writing) rebuilds it from article_vocab
-- (kbs__dbwrite_spelling(), indexer/dbwrite.c, which also creates it in
-- a file made before it existed); after kbs_db_remove_path() it may hold
-- a word no article holds any more until the next index run, which
-- rebuilds it even if it stores nothing.
CREATE TABLE spelling (
    term TEXT PRIMARY KEY,
    df   INTEGER NOT NULL
) WITHOUT ROWID;

-- The indexer inserts into article_fts itself, right after the article
-- row: an AFTER INSERT trigger would run the FTS5 insert as a nested
-- statement, whose implicit savepoint makes FTS5 flush its pending
-- postings into a new segment for every article (twice the index time).
-- Deletions go through the trigger, whatever deletes the row.
CREATE TRIGGER article_ad AFTER DELETE ON article BEGIN
    INSERT INTO article_fts(article_fts, rowid, title, symptoms, cause,
                            resolution, body, keywords, messages)
    VALUES ('delete', old.id, old.title, kbs_unpack(old.packed, 1),
            kbs_unpack(old.packed, 2), kbs_unpack(old.packed, 3),
            kbs_unpack(old.packed, 4), kbs_unpack(old.packed, 5),
            kbs_unpack(old.packed, 6));
END;

CREATE TABLE event (
    article_id  INTEGER NOT NULL REFERENCES article(id) ON DELETE CASCADE,
    event_id    INTEGER NOT NULL,
    source      TEXT COLLATE NOCASE,
    type        TEXT,
    category    TEXT,
    description TEXT
);
CREATE INDEX event_lookup ON event(event_id, source);
CREATE INDEX event_article ON event(article_id);

-- code is the canonical unsigned 32-bit value (docs/ARCHITECTURE.md, Error codes);
-- notation is the text as the article wrote it.
CREATE TABLE error_code (
    article_id INTEGER NOT NULL REFERENCES article(id) ON DELETE CASCADE,
    code       INTEGER NOT NULL,
    notation   TEXT NOT NULL
);
CREATE INDEX error_code_lookup ON error_code(code);
CREATE INDEX error_code_article ON error_code(article_id);

CREATE TABLE file (
    article_id INTEGER NOT NULL REFERENCES article(id) ON DELETE CASCADE,
    name       TEXT NOT NULL COLLATE NOCASE,
    version    TEXT,
    size       INTEGER,      -- bytes
    date       TEXT,         -- ISO 8601
    time       TEXT,         -- HH:MM, 24-hour
    platform   TEXT
);
CREATE INDEX file_lookup ON file(name);
CREATE INDEX file_article ON file(article_id);

CREATE TABLE product (
    article_id INTEGER NOT NULL REFERENCES article(id) ON DELETE CASCADE,
    product    TEXT NOT NULL,
    version    TEXT
);
CREATE INDEX product_article ON product(article_id);

CREATE TABLE kb_ref (
    article_id INTEGER NOT NULL REFERENCES article(id) ON DELETE CASCADE,
    ref_kb_id  TEXT NOT NULL
);
CREATE INDEX kb_ref_lookup ON kb_ref(ref_kb_id);
CREATE INDEX kb_ref_article ON kb_ref(article_id);

CREATE TABLE registry (
    article_id INTEGER NOT NULL REFERENCES article(id) ON DELETE CASCADE,
    path       TEXT NOT NULL COLLATE NOCASE
);
CREATE INDEX registry_lookup ON registry(path);
CREATE INDEX registry_article ON registry(article_id);


INSERT INTO meta(key, value) VALUES ('schema_version', '6');
