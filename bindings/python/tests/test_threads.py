"""Threads: each with its own Database, searching while a third indexes
(the C library's rule: one kbs_db per thread, WAL lets readers run during
a write)."""

import shutil
import threading

import kbsearch
from conftest import TERMSERVICE_PASTE


def test_two_searchers_while_a_third_indexes(db_copy, corpus, tmp_path):
    # Fresh copies of real articles: the index run has writing to do.
    src = tmp_path / "more"
    shutil.copytree(corpus / "txt", src / "txt")
    shutil.copytree(corpus / "md", src / "md")
    done = threading.Event()
    errors = []
    searches = []
    report = []

    def searcher():
        try:
            n = 0
            with kbsearch.Database(db_copy) as db:
                # At least a few searches, and on until the run is over.
                while n < 5 or not done.is_set():
                    first = db.search(TERMSERVICE_PASTE, limit=3)[0]
                    assert first.kb_id == "Q294326", first.kb_id
                    assert db.article("Q294326").events[0].id == 1003
                    n += 1
            searches.append(n)
        except BaseException as e:  # reported by the main thread
            errors.append(e)

    def indexer():
        try:
            with kbsearch.Database(db_copy, mode="w") as db:
                report.append(db.index(src))
        except BaseException as e:
            errors.append(e)
        finally:
            done.set()

    threads = [threading.Thread(target=searcher) for _ in range(2)]
    threads.append(threading.Thread(target=indexer))
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert not any(t.is_alive() for t in threads)
    assert errors == []
    assert len(searches) == 2 and min(searches) >= 5
    assert report[0].failed == 0 and report[0].seen == report[0].total > 0
    assert report[0].added + report[0].updated > 0


def test_one_database_shared_is_serialised(db):
    # Not the recommended use, but it must not crash: calls take turns.
    errors = []

    def work():
        try:
            for _ in range(10):
                assert db.search(TERMSERVICE_PASTE)[0].kb_id == "Q294326"
                assert db.event(1003)[0].event.id == 1003
        except BaseException as e:
            errors.append(e)

    threads = [threading.Thread(target=work) for _ in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []


def test_close_from_another_thread(db_path):
    # Each call runs whole before close() or is refused after it; the
    # worker searches until it is refused.
    db = kbsearch.Database(db_path)
    outcomes = []
    started = threading.Event()

    def work():
        while True:
            try:
                outcomes.append(db.search(TERMSERVICE_PASTE)[0].kb_id)
            except kbsearch.ClosedError:
                return
            started.set()

    t = threading.Thread(target=work)
    t.start()
    started.wait(timeout=60)
    db.close()
    t.join(timeout=60)
    assert not t.is_alive()
    assert outcomes and set(outcomes) == {"Q294326"}


def test_library_calls_release_the_gil():
    # A ctypes.CDLL function (unlike a PyDLL one) drops the GIL for the
    # whole call: what lets the threads above search in parallel.
    import ctypes
    lib = kbsearch._capi.lib()
    assert type(lib) is ctypes.CDLL
    assert not lib.kbs_search_text._flags_ & ctypes._FUNCFLAG_PYTHONAPI
