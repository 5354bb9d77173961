"""Failures become exceptions carrying the library's message; a closed
Database refuses politely; returned objects outlive it."""

import gc
import os
import subprocess
import sys

import pytest

import kbsearch
from conftest import TERMSERVICE_PASTE, child_env


def test_missing_database(tmp_path):
    missing = tmp_path / "missing.sqlite"
    with pytest.raises(kbsearch.FileError) as e:
        kbsearch.Database(missing)
    assert str(missing) in str(e.value)
    assert e.value.status == kbsearch.Status.IO
    assert not missing.exists()  # mode "r" never creates


def test_not_a_database(tmp_path):
    junk = tmp_path / "junk.sqlite"
    junk.write_bytes(b"this is not an SQLite database\n" * 200)
    with pytest.raises(kbsearch.CorruptError) as e:
        kbsearch.Database(junk)
    assert isinstance(e.value, kbsearch.DatabaseError)
    assert e.value.status == kbsearch.Status.CORRUPT
    assert "not a database" in str(e.value)
    assert "--rebuild" in str(e.value)


def test_other_schema_version(db_copy):
    sqlite3 = pytest.importorskip("sqlite3")
    con = sqlite3.connect(db_copy)
    con.execute("UPDATE meta SET value = '999' WHERE key = 'schema_version'")
    con.commit()
    con.close()
    with pytest.raises(kbsearch.SchemaError) as e:
        kbsearch.Database(db_copy)
    assert isinstance(e.value, kbsearch.DatabaseError)
    assert "999" in str(e.value)


def test_bad_mode_and_path(db_path):
    with pytest.raises(kbsearch.InvalidArgumentError):
        kbsearch.Database(db_path, mode="rw")
    with pytest.raises(kbsearch.InvalidArgumentError):
        kbsearch.Database(str(db_path) + "\0x")
    with pytest.raises(TypeError):
        kbsearch.Database(42)


def test_index_read_only(db, corpus):
    with pytest.raises(kbsearch.ReadOnlyError) as e:
        db.index(corpus / "seeds")
    assert e.value.status == kbsearch.Status.READONLY
    assert str(e.value)


def test_embedded_nul(db):
    for call in (lambda: db.article("Q294326\0"),
                 lambda: db.code("0x5\0"),
                 lambda: db.file("termsrv.exe\0x"),
                 lambda: db.event(1003, source="Term\0Service")):
        with pytest.raises(kbsearch.InvalidArgumentError):
            call()


def test_aliases(db, tmp_path):
    good = tmp_path / "aliases.txt"
    good.write_text("# a local name\nfrobnicator | terminal service client\n")
    db.load_aliases(good)
    results = db.search("The frobnicator has provided an invalid license.")
    assert results[0].kb_id == "Q294326"
    assert "terminal service client" in \
        [a.lower() for a in results.query.aliases]
    bad = tmp_path / "bad.txt"
    bad.write_text("onlyone\n")
    with pytest.raises(kbsearch.ParseError) as e:
        db.load_aliases(bad)
    assert str(bad) in str(e.value)
    with pytest.raises(kbsearch.FileError):
        db.load_aliases(tmp_path / "missing.txt")


def test_hierarchy():
    for cls in (kbsearch.NotFoundError, kbsearch.SchemaError,
                kbsearch.ReadOnlyError, kbsearch.ClosedError,
                kbsearch.LibraryError, kbsearch.InvalidArgumentError,
                kbsearch.OutOfMemoryError, kbsearch.FileError,
                kbsearch.ParseError, kbsearch.DatabaseError):
        assert issubclass(cls, kbsearch.Error)
    assert repr(kbsearch.NotFoundError("x")) == "NotFoundError('x')"
    assert kbsearch.NotFoundError.__module__ == "kbsearch"


def test_closed_database_refuses(db_path):
    db = kbsearch.Database(db_path)
    results = db.search(TERMSERVICE_PASTE)
    article = db.article("Q294326")
    lookup = db.event(1003)
    db.close()
    db.close()  # twice is fine
    assert db.closed and "closed" in repr(db)
    for name, args in (("search", ("x",)), ("article", ("Q294326",)),
                       ("event", (1003,)), ("code", ("5",)),
                       ("file", ("a.dll",)), ("refs", ("Q1",)),
                       ("stats", ()), ("index", ([],)),
                       ("load_aliases", ("x",))):
        with pytest.raises(kbsearch.ClosedError) as e:
            getattr(db, name)(*args)
        assert str(db_path) in str(e.value)
    # What was returned is plain data and outlives the handle.
    del db
    gc.collect()
    assert results[0].kb_id == "Q294326"
    assert results.query.event_id == 1003
    assert article.events[0].source == "TermService"
    assert lookup[0].event.id == 1003


def test_with_closes(db_path):
    with kbsearch.Database(db_path) as db:
        assert not db.closed
    assert db.closed
    with pytest.raises(kbsearch.ClosedError):
        db.search("x")


def test_library_not_found(tmp_path):
    env = child_env(KBSEARCH_LIBRARY=str(tmp_path / "libnone.so"))
    code = ("import kbsearch\n"
            "try:\n"
            "    kbsearch.Database('kb.sqlite')\n"
            "except kbsearch.LibraryError as e:\n"
            "    print(e)\n")
    out = subprocess.run([sys.executable, "-c", code], env=env,
                         stdout=subprocess.PIPE, check=True,
                         universal_newlines=True).stdout
    assert "libnone.so: no such file" in out
    assert "KBSEARCH_LIBRARY" in out


def test_versions():
    assert kbsearch.library_version() == kbsearch.__version__
    if os.environ.get("KBSEARCH_LIBRARY"):
        assert kbsearch.library_path() == os.environ["KBSEARCH_LIBRARY"]
