"""kbsearch.Database: one handle on an index, over the C library's kbs_db.

Every method copies what the C library lends into the plain records of
_types.py and frees the C objects before it returns, so nothing a caller
holds can point into freed memory. A per-handle lock serialises calls on
one Database, and a closed handle is refused before any C call: misuse
from Python raises an exception, it never reaches the library's assert()s.
"""

from __future__ import annotations

import os
import threading
from contextlib import contextmanager
from ctypes import (POINTER, byref, c_char_p, c_long, c_ulong, c_void_p,
                    sizeof)
from typing import (Any, Callable, Iterable, Iterator, List, Optional,
                    Tuple, Union)

from . import _capi
from ._errors import (ClosedError, Error, InvalidArgumentError,
                      from_status)
from ._types import (Article, Code, Event, File, FileOutcome, Hit,
                     IndexReport, IndexStats, Outcome, Product, QueryInfo,
                     Results, Section, Stats)

PathLike = Union[str, bytes, "os.PathLike[str]", "os.PathLike[bytes]"]
ProgressFn = Callable[[FileOutcome, IndexStats], None]

_OUTCOMES = (Outcome.ADDED, Outcome.UPDATED, Outcome.UNCHANGED,
             Outcome.FAILED, Outcome.SKIPPED, Outcome.PATH_EMPTY)
_REFS = {_capi.KBS_REF_CITES: "cites", _capi.KBS_REF_CITED_BY: "cited_by"}


def _text(b: Optional[bytes]) -> Optional[str]:
    """A library string as str. The library stores UTF-8; a stray bad
    byte becomes U+FFFD rather than an exception in the middle of a
    result."""
    return None if b is None else b.decode("utf-8", "replace")


def _path(b: Optional[bytes]) -> Optional[str]:
    """A file name from the library, decoded as the OS does (os.fsdecode),
    so that it opens the same file again whatever its bytes."""
    return None if b is None else os.fsdecode(b)


def _strings(p: Any, n: int) -> Tuple[str, ...]:
    return tuple(_text(p[i]) or "" for i in range(n))


def _arg(value: Union[str, bytes], what: str) -> bytes:
    """A string argument as the NUL-terminated bytes the C API takes."""
    if isinstance(value, str):
        b = value.encode("utf-8", "surrogateescape")
    elif isinstance(value, (bytes, bytearray)):
        b = bytes(value)
    else:
        raise TypeError(f"{what} must be str or bytes, not "
                        f"{type(value).__name__}")
    if b"\0" in b:
        raise InvalidArgumentError(f"{what}: embedded NUL byte")
    return b


def _opt_arg(value: Optional[Union[str, bytes]], what: str) -> Optional[bytes]:
    return None if value is None else _arg(value, what)


def _fsarg(value: PathLike, what: str) -> bytes:
    try:
        b = os.fsencode(value)
    except TypeError:
        raise TypeError(f"{what} must be a path (str, bytes or os.PathLike),"
                        f" not {type(value).__name__}") from None
    if b"\0" in b:
        raise InvalidArgumentError(f"{what}: embedded NUL byte")
    return b


def _paste(value: Union[str, bytes]) -> bytes:
    """The paste as bytes: any bytes go through (NUL, invalid UTF-8), a
    str is UTF-8; lone surrogates (from os.fsdecode or a broken decoder)
    are written back as the bytes they stand for, or passed through."""
    if isinstance(value, (bytes, bytearray, memoryview)):
        return bytes(value)
    if not isinstance(value, str):
        raise TypeError(f"paste must be str or bytes, not "
                        f"{type(value).__name__}")
    try:
        return value.encode("utf-8", "surrogateescape")
    except UnicodeEncodeError:
        return value.encode("utf-8", "surrogatepass")


def _event(e: Any) -> Event:
    return Event(id=e.id, source=_text(e.source), type=_text(e.type),
                 category=_text(e.category),
                 description=_text(e.description))


def _code(c: Any) -> Code:
    return Code(value=c.value, text=_text(c.text) or "")


def _file(f: Any) -> File:
    return File(name=_text(f.name) or "", version=_text(f.version),
                size=None if f.size < 0 else f.size, date=_text(f.date),
                time=_text(f.time), platform=_text(f.platform))


def _query(q: Any) -> QueryInfo:
    corrected = []
    for s in _strings(q.corrected, q.ncorrected):
        # kbsearch.h: "licnese -> license", the pasted word then the
        # indexed word used instead.
        typo, sep, word = s.partition(" -> ")
        corrected.append((typo, word) if sep else (s, ""))
    return QueryInfo(
        kind=_text(q.kind) or "",
        event_id=None if q.event_id < 0 else q.event_id,
        source=_text(q.source),
        codes=tuple(q.codes[i] for i in range(q.ncodes)),
        files=_strings(q.files, q.nfiles),
        kb_ids=_strings(q.kb_ids, q.nkb_ids),
        terms=_strings(q.terms, q.nterms),
        dropped=_strings(q.dropped, q.ndropped),
        corrected=tuple(corrected),
        aliases=_strings(q.aliases, q.naliases))


def _snippet_matches(lib: Any, h: c_void_p,
                     raw: Optional[bytes]) -> Tuple[Tuple[int, int], ...]:
    """The matched words of the snippet as (start, end) offsets into the
    decoded str (the library gives byte offsets into its UTF-8)."""
    spans = POINTER(_capi.kbs_span)()
    n = lib.kbs_hit_get_snippet_matches(h, byref(spans))
    if raw is None:
        return ()

    def at(b: int) -> int:
        return len(raw[:b].decode("utf-8", "replace"))
    return tuple((at(spans[i].start), at(spans[i].end)) for i in range(n))


def _hit_products(lib: Any, h: c_void_p) -> Tuple[Product, ...]:
    pr = POINTER(_capi.kbs_product)()
    n = lib.kbs_hit_get_product_list(h, byref(pr))
    return tuple(Product(name=_text(pr[i].name) or "",
                         version=_text(pr[i].version)) for i in range(n))


def _hit(lib: Any, h: c_void_p) -> Hit:
    strv = POINTER(c_char_p)()
    n = lib.kbs_hit_get_matched(h, byref(strv))
    matched = _strings(strv, n)
    n = lib.kbs_hit_get_products(h, byref(strv))
    products = _strings(strv, n)
    ev = lib.kbs_hit_get_event(h)
    code = lib.kbs_hit_get_code(h)
    fil = lib.kbs_hit_get_file(h)
    cmp = lib.kbs_hit_get_version_cmp(h)
    return Hit(
        rank=lib.kbs_hit_get_rank(h),
        kb_id=_text(lib.kbs_hit_get_kb_id(h)) or "",
        title=_text(lib.kbs_hit_get_title(h)),
        score=lib.kbs_hit_get_score(h),
        path=_path(lib.kbs_hit_get_path(h)),
        snippet=_text(lib.kbs_hit_get_snippet(h)),
        matched=matched,
        products=products,
        explain=_text(lib.kbs_hit_get_explain(h)),
        event=_event(ev.contents) if ev else None,
        code=_code(code.contents) if code else None,
        file=_file(fil.contents) if fil else None,
        version_cmp=None if cmp == _capi.KBS_VERSION_UNKNOWN else cmp,
        ref=_REFS.get(lib.kbs_hit_get_ref(h)),
        snippet_matches=_snippet_matches(lib, h, lib.kbs_hit_get_snippet(h)),
        product_list=_hit_products(lib, h))


def _paths(paths: Union[PathLike, Iterable[PathLike]]) -> List[bytes]:
    if isinstance(paths, (str, bytes, os.PathLike)):
        return [_fsarg(paths, "path")]
    return [_fsarg(p, "path") for p in paths]


class Database:
    """A kbsearch database: one SQLite file indexed by libkbsearch.

    ``mode="r"`` opens an existing database for searching; ``mode="w"``
    opens it read-write, creating it (with the current schema) if it is
    missing; its parent directory must exist. Use it as a context manager
    so that it is closed when done::

        with kbsearch.Database("kb.sqlite") as db:
            for hit in db.search(paste):
                print(hit.kb_id, hit.score, hit.title)

    Threads: use one Database per thread, as the C library asks (one
    kbs_db per thread). Any number of threads or processes may search a
    database file while one of them indexes into it. The GIL is released
    during every library call, so searches and an index run in other
    threads proceed in parallel. Sharing one Database between threads is
    safe but serialised: its calls take turns.

    Everything the methods return (Results, Hit, Article...) is a plain
    Python object that stays valid after the Database is closed. Calling a
    method of a closed Database raises ClosedError.

    Raises on opening: FileError (mode "r" and the file is missing or
    unreadable, or the directory for mode "w" does not exist),
    SchemaError (written by another schema version), DatabaseError (not
    a database, or SQLite failed), OutOfMemoryError, LibraryError
    (libkbsearch cannot be loaded), InvalidArgumentError (a mode other
    than "r" or "w").
    """

    def __init__(self, path: PathLike, mode: str = "r") -> None:
        self._handle: Optional[int] = None
        if mode not in ("r", "w"):
            raise InvalidArgumentError(
                f"mode must be 'r' or 'w', not {mode!r}")
        self._lock = threading.Lock()
        self._busy: Optional[int] = None  # thread inside a C call
        self._path = os.fsdecode(path)
        self._mode = mode
        lib = _capi.lib()
        out = c_void_p()
        flags = _capi.KBS_OPEN_CREATE if mode == "w" \
            else _capi.KBS_OPEN_READONLY
        rc = lib.kbs_db_open(byref(out), _fsarg(path, "path"), flags)
        if rc != _capi.KBS_OK:
            # The handle, when set, carries the message; close it too.
            err = self._error(lib, out.value, rc)
            lib.kbs_db_close(out.value)
            raise err
        self._handle = out.value

    # -- life cycle --------------------------------------------------

    @property
    def path(self) -> str:
        """The database file, as given."""
        return self._path

    @property
    def mode(self) -> str:
        """"r" (read-only) or "w" (read-write)."""
        return self._mode

    @property
    def closed(self) -> bool:
        """True once close() was called."""
        return self._handle is None

    def close(self) -> None:
        """Close the database. Closing twice does nothing; the objects
        already returned stay usable. Waits for a call running in
        another thread to finish first."""
        if self._handle is None:
            return
        if self._busy == threading.get_ident():
            raise Error("Database.close() called from inside one of its "
                        "own calls (an index() progress callback)")
        with self._lock:
            handle, self._handle = self._handle, None
            if handle is not None:
                _capi.lib().kbs_db_close(handle)

    def __enter__(self) -> "Database":
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()

    def __del__(self) -> None:
        try:
            self.close()
        except Exception:
            pass

    def __repr__(self) -> str:
        state = "closed" if self.closed else f"mode={self._mode!r}"
        return f"<kbsearch.Database {self._path!r} {state}>"

    @staticmethod
    def _error(lib: Any, handle: Optional[int], rc: int) -> Error:
        msg = _text(lib.kbs_db_errmsg(handle)) if handle else ""
        if not msg:
            msg = _text(lib.kbs_status_str(rc)) or ""
        return from_status(rc, msg)

    @contextmanager
    def _use(self) -> Iterator[Tuple[Any, int]]:
        """The library and the open handle, held for one call."""
        me = threading.get_ident()
        if self._busy == me:
            # Only a progress callback can get here: the C call it runs
            # in is still using the handle.
            raise Error("a Database cannot be used from inside its own "
                        "index() progress callback; open another one")
        with self._lock:
            if self._handle is None:
                raise ClosedError(f"{self._path}: the Database is closed")
            self._busy = me
            try:
                yield _capi.lib(), self._handle
            finally:
                self._busy = None

    def _results(self, lib: Any, handle: int, rc: int, res: c_void_p,
                 query: bool) -> Results:
        """Copy results out of the C iterator, then free it."""
        try:
            if rc != _capi.KBS_OK:
                raise self._error(lib, handle, rc)
            hits = []
            h = c_void_p()
            while True:
                rc = lib.kbs_results_next(byref(h), res)
                if rc == _capi.KBS_DONE:
                    break
                if rc != _capi.KBS_OK:
                    raise self._error(lib, handle, rc)
                hits.append(_hit(lib, h))
            q = lib.kbs_results_get_query(res) if query else None
            return Results(hits=tuple(hits),
                           query=_query(q.contents) if q else None)
        finally:
            lib.kbs_results_free(res)

    # -- searching -----------------------------------------------------

    def search(self, paste: Union[str, bytes], limit: int = 10,
               product: Optional[str] = None,
               version: Optional[str] = None,
               explain: bool = False, offset: int = 0) -> Results:
        """Rank articles against a pasted error, best first.

        paste is what the user copied: an Event Viewer entry, a message
        box, a STOP screen, the bare message. Any str or bytes is accepted
        (bytes need not be UTF-8 and may hold NUL); a paste with nothing
        searchable gives empty Results, never an error.

        limit is the most hits returned (at least 1). product keeps the
        articles that apply to that product or another name of it
        ("Windows NT" matches "Microsoft Windows NT Server"); version
        keeps those for that version, service packs understood ("4.0",
        "4.0 SP4"). explain=True fills each Hit.explain with the score of
        each piece of evidence. offset skips that many hits first, for
        paging (Hit.rank counts from the top of the whole ranking).

        Results.query holds the paste analysis (kind, event ID, source,
        codes, terms, dropped parts, corrected words, aliases).

        Raises InvalidArgumentError (limit below 1, NUL in product or
        version), DatabaseError, OutOfMemoryError, ClosedError.
        """
        if isinstance(limit, bool) or not isinstance(limit, int):
            raise TypeError("limit must be an int")
        if isinstance(offset, bool) or not isinstance(offset, int) or \
                not 0 <= offset <= 0xFFFFFFFF:
            raise InvalidArgumentError(
                f"offset must be from 0 to 4294967295: {offset!r}")
        if not 1 <= limit <= 0xFFFFFFFF:
            raise InvalidArgumentError(
                f"limit must be from 1 to 4294967295: {limit}")
        data = _paste(paste)
        opts = _capi.kbs_search_options(
            version=_capi.KBS_SEARCH_OPTIONS_VERSION,
            limit=limit, offset=offset, explain=1 if explain else 0,
            product=_opt_arg(product, "product"),
            product_version=_opt_arg(version, "version"))
        with self._use() as (lib, handle):
            res = c_void_p()
            rc = lib.kbs_search_text(byref(res), handle, data, len(data),
                                     byref(opts))
            return self._results(lib, handle, rc, res, True)

    # -- lookups -------------------------------------------------------

    def event(self, id: int, source: Optional[str] = None) -> Results:
        """Articles that describe event ID id, best first: those whose
        event also comes from source (case-insensitive; None for any)
        before those that only share the ID. Each Hit.event is the
        matching event. Nothing found is empty Results.

        Raises InvalidArgumentError (id outside a C long), DatabaseError,
        ClosedError.
        """
        if isinstance(id, bool) or not isinstance(id, int):
            raise TypeError("event id must be an int")
        bits = 8 * sizeof(c_long) - 1
        if not -2**bits <= id < 2**bits:
            raise InvalidArgumentError(f"event id out of range: {id}")
        src = _opt_arg(source, "source")
        with self._use() as (lib, handle):
            res = c_void_p()
            rc = lib.kbs_search_event(byref(res), handle, id, src)
            return self._results(lib, handle, rc, res, False)

    def code(self, code: Union[str, int]) -> Results:
        """Articles that name an error code, in any notation:
        "0x80070005", "80070005", "-2147024891" and "2147942405" are one
        HRESULT, "0xC0000005" an NTSTATUS, "STOP 0x0000001E" a STOP code,
        "5" a Win32 error (an int is taken as its decimal notation). An
        HRESULT 0x8007xxxx and the Win32 error xxxx find each other.
        Articles naming the very value come first (score 2), then those
        naming its twin (score 1). Each Hit.code is the code as that
        article wrote it.

        Raises InvalidArgumentError (not an error code), DatabaseError,
        ClosedError.
        """
        if isinstance(code, bool):
            raise TypeError("code must be str or int, not bool")
        c = _arg(str(code) if isinstance(code, int) else code, "code")
        with self._use() as (lib, handle):
            res = c_void_p()
            rc = lib.kbs_search_code(byref(res), handle, c)
            return self._results(lib, handle, rc, res, False)

    def file(self, name: str, version: Optional[str] = None) -> Results:
        """Articles whose file-version tables ship name (case-insensitive,
        a directory part ignored), newest build first. With version (a
        dotted file version such as "4.0.1381.33"), each Hit.version_cmp
        says whether the article's build is newer (1), the same (0) or
        older (-1), None when its row has no version. Each Hit.file is the
        article's row for the file.

        Raises InvalidArgumentError (empty name, version without a digit),
        DatabaseError, ClosedError.
        """
        n = _arg(name, "name")
        v = _opt_arg(version, "version")
        with self._use() as (lib, handle):
            res = c_void_p()
            rc = lib.kbs_search_file(byref(res), handle, n, v)
            return self._results(lib, handle, rc, res, False)

    def refs(self, kb_id: str) -> Results:
        """The KB cross-references of kb_id (any notation: "Q294326",
        "KB294326", "294326"): first the articles it refers to, in its
        order (Hit.ref == "cites"), then the articles that refer to it
        (Hit.ref == "cited_by"). A cited article not in the database is
        still a hit, with title and path None. kb_id itself need not be
        in the database.

        Raises InvalidArgumentError (not a KB id), DatabaseError,
        ClosedError.
        """
        k = _arg(kb_id, "kb_id")
        with self._use() as (lib, handle):
            res = c_void_p()
            rc = lib.kbs_search_refs(byref(res), handle, k)
            return self._results(lib, handle, rc, res, False)

    def article(self, kb_id: str) -> Article:
        """The article with KB id kb_id, in any notation ("Q294326",
        "KB294326", "kb 294326", "294326"), with all its fields.

        Raises NotFoundError (no such article), InvalidArgumentError (not
        a KB id), DatabaseError, OutOfMemoryError, ClosedError.
        """
        k = _arg(kb_id, "kb_id")
        with self._use() as (lib, handle):
            art = c_void_p()
            rc = lib.kbs_article_get(byref(art), handle, k)
            try:
                if rc != _capi.KBS_OK:
                    raise self._error(lib, handle, rc)
                return _article(lib, art)
            finally:
                lib.kbs_article_free(art)

    def remove(self, path: PathLike) -> int:
        """Remove what the file path supplied, or, for a directory, every
        file under it, as if they were deleted and the database pruned
        (the files need not exist). Returns the number of articles
        removed. Raises ReadOnlyError, DatabaseError, ClosedError."""
        p = _fsarg(path, "path")
        n = c_ulong()
        with self._use() as (lib, handle):
            rc = lib.kbs_db_remove_path(byref(n), handle, p)
            if rc != _capi.KBS_OK:
                raise self._error(lib, handle, rc)
        return int(n.value)

    def stats(self) -> Stats:
        """Database totals (counts of articles, files, rows, terms) and
        its schema version. Raises DatabaseError, ClosedError."""
        st = _capi.kbs_db_stats(version=_capi.KBS_DB_STATS_VERSION)
        with self._use() as (lib, handle):
            rc = lib.kbs_db_get_stats(byref(st), handle)
            if rc != _capi.KBS_OK:
                raise self._error(lib, handle, rc)
        return Stats(articles=st.articles, files=st.files, events=st.events,
                     codes=st.codes, file_rows=st.file_rows, refs=st.refs,
                     terms=st.terms, schema_version=st.schema_version)

    # -- writing -------------------------------------------------------

    def load_aliases(self, path: PathLike) -> None:
        """Add the alias groups of a file (one group of names per line,
        separated by "|", "#" comments) to this handle's searches, on top
        of the built-in ones.

        Raises FileError (unreadable), ParseError (a malformed line; the
        message names file and line, nothing is added), ClosedError.
        """
        p = _fsarg(path, "path")
        with self._use() as (lib, handle):
            rc = lib.kbs_db_load_aliases(handle, p)
            if rc != _capi.KBS_OK:
                raise self._error(lib, handle, rc)

    def index(self, paths: Union[PathLike, Iterable[PathLike]],
              prune: bool = False,
              progress: Optional[ProgressFn] = None) -> IndexReport:
        """Index files and directories (recursively) into the database,
        which must be open with mode "w".

        paths is one path or an iterable of them. A file unchanged since
        the last run is skipped, a changed one replaces its article;
        prune=True also drops the articles whose files are gone. A file
        that cannot be indexed does not stop the run: it is counted in
        IndexReport.failed and listed, with its one-line reason, in
        IndexReport.failures.

        progress, if given, is called after each file as
        progress(FileOutcome, IndexStats), from the calling thread. The C
        exception raised by progress (a KeyboardInterrupt too) stops the
        run after that file (the library's cancel path) and is raised
        again; the files handled before it are kept.
        progress must not use this Database (use another one).

        Raises ReadOnlyError (opened with mode "r"), DatabaseError,
        OutOfMemoryError when the run itself had to stop (work committed
        before is kept), ClosedError.
        """
        encoded = _paths(paths)
        argv = (c_char_p * max(len(encoded), 1))(*encoded)
        failures: List[FileOutcome] = []
        raised: List[BaseException] = []

        def on_file(_userdata: Any, path: Optional[bytes], outcome: int,
                    reason: Optional[bytes], stats: Any) -> int:
            if raised:
                return 1
            if outcome == _capi.KBS_FILE_SKIPPED:
                return 0    # entries passed over are not files handled
            try:
                fo = FileOutcome(path=_path(path) or "",
                                 outcome=_OUTCOMES[outcome],
                                 reason=_text(reason))
                if fo.outcome is Outcome.FAILED:
                    failures.append(fo)
                if progress is not None and not raised:
                    progress(fo, _index_stats(stats.contents))
            except BaseException as e:  # noqa: B036 - re-raised below
                if not raised:
                    raised.append(e)
                return 1
            return 0

        callback = _capi.INDEX_FN(on_file)
        st = _capi.kbs_index_stats(version=_capi.KBS_INDEX_STATS_VERSION)
        flags = _capi.KBS_INDEX_PRUNE if prune else 0
        with self._use() as (lib, handle):
            rc = lib.kbs_db_index(byref(st), handle, argv, len(encoded),
                                  flags, callback, None)
            err = self._error(lib, handle, rc) \
                if rc not in (_capi.KBS_OK, _capi.KBS_CANCELLED) else None
        if raised:
            raise raised[0]
        if err is not None:
            raise err
        s = _index_stats(st)
        return IndexReport(total=s.total, seen=s.seen, added=s.added,
                           updated=s.updated, unchanged=s.unchanged,
                           failed=s.failed, pruned=s.pruned,
                           skipped=s.skipped, empty_paths=s.empty_paths,
                           passed_over=s.passed_over,
                           capped=s.capped, capped_files=s.capped_files,
                           failures=tuple(failures))


def _index_stats(s: Any) -> IndexStats:
    return IndexStats(total=s.total, seen=s.seen, added=s.added,
                      updated=s.updated, unchanged=s.unchanged,
                      failed=s.failed, pruned=s.pruned,
                      skipped=s.skipped, empty_paths=s.empty_paths,
                      passed_over=s.passed_over,
                      capped=s.capped, capped_files=s.capped_files)


def _article(lib: Any, a: c_void_p) -> Article:
    ev = POINTER(_capi.kbs_event)()
    n_ev = lib.kbs_article_get_events(a, byref(ev))
    co = POINTER(_capi.kbs_code)()
    n_co = lib.kbs_article_get_codes(a, byref(co))
    fi = POINTER(_capi.kbs_file)()
    n_fi = lib.kbs_article_get_files(a, byref(fi))
    pr = POINTER(_capi.kbs_product)()
    n_pr = lib.kbs_article_get_products(a, byref(pr))
    se = POINTER(_capi.kbs_section)()
    n_se = lib.kbs_article_get_sections(a, byref(se))
    strv = POINTER(c_char_p)()

    def strs(getter: Any) -> Tuple[str, ...]:
        return _strings(strv, getter(a, byref(strv)))

    refs = strs(lib.kbs_article_get_refs)
    messages = strs(lib.kbs_article_get_messages)
    registry = strs(lib.kbs_article_get_registry)
    n = lib.kbs_article_get_sources(a, byref(strv))
    sources = tuple(_path(strv[i]) or "" for i in range(n))
    return Article(
        kb_id=_text(lib.kbs_article_get_kb_id(a)) or "",
        title=_text(lib.kbs_article_get_title(a)),
        date=_text(lib.kbs_article_get_date(a)),
        format=_text(lib.kbs_article_get_format(a)),
        path=_path(lib.kbs_article_get_path(a)),
        text=_text(lib.kbs_article_get_text(a)),
        events=tuple(_event(ev[i]) for i in range(n_ev)),
        codes=tuple(_code(co[i]) for i in range(n_co)),
        files=tuple(_file(fi[i]) for i in range(n_fi)),
        products=tuple(Product(name=_text(pr[i].name) or "",
                               version=_text(pr[i].version))
                       for i in range(n_pr)),
        sections=tuple(Section(heading=_text(se[i].heading) or "",
                               text=_text(se[i].text) or "",
                               level=se[i].level) for i in range(n_se)),
        refs=refs, messages=messages, registry=registry, sources=sources)

