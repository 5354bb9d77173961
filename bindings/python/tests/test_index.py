"""Database.index(): per-file outcomes, progress, reruns, prune."""

import pathlib
import shutil

import pytest

import kbsearch
from conftest import TERMSERVICE_PASTE


@pytest.fixture
def files(corpus, tmp_path):
    """A directory with two real articles, an empty and a binary file."""
    d = tmp_path / "in"
    d.mkdir()
    shutil.copy(corpus / "seeds" / "000_76cfab0fea077458.txt", d / "a.txt")
    shutil.copy(corpus / "txt" / "Q103147.TXT", d / "Q103147.TXT")
    (d / "empty.txt").write_bytes(b"")
    (d / "binary.txt").write_bytes(b"\x00\x01\x02\x03" * 100)
    return d


def test_outcomes_and_progress(files, tmp_path):
    calls = []
    with kbsearch.Database(tmp_path / "new.sqlite", mode="w") as db:
        report = db.index(files, progress=lambda f, s: calls.append((f, s)))
        assert db.search(TERMSERVICE_PASTE)[0].kb_id == "Q294326"
    assert (report.total, report.seen, report.added, report.failed) == \
        (4, 4, 2, 2)
    assert sorted(pathlib.Path(f.path).name for f in report.failures) == \
        ["binary.txt", "empty.txt"]
    assert all(f.outcome is kbsearch.Outcome.FAILED and f.reason
               for f in report.failures)
    # One call per file, after it is handled, with the counts so far.
    assert len(calls) == 4
    assert [s.seen for _, s in calls] == [1, 2, 3, 4]
    assert all(s.total == 4 for _, s in calls)
    assert sorted(f.outcome.value for f, _ in calls) == \
        ["added", "added", "failed", "failed"]


def test_rerun_update_prune(files, tmp_path):
    path = tmp_path / "kb.sqlite"
    with kbsearch.Database(path, mode="w") as db:
        db.index([files])
        again = db.index(str(files))
        assert (again.unchanged, again.added) == (2, 0)
        # A changed file replaces its article; a removed one is pruned.
        with open(files / "a.txt", "a") as f:
            f.write("\nA line added later.\n")
        (files / "Q103147.TXT").unlink()
        third = db.index([files], prune=True)
        assert (third.updated, third.pruned) == (1, 1)
        with pytest.raises(kbsearch.NotFoundError):
            db.article("Q103147")


def test_progress_exception_cancels_the_run(files, tmp_path):
    calls = []

    def progress(f, s):
        calls.append(f)
        if len(calls) == 2:
            raise KeyError("stop")

    with kbsearch.Database(tmp_path / "kb.sqlite", mode="w") as db:
        with pytest.raises(KeyError):
            db.index(files, progress=progress)
        assert len(calls) == 2       # the run stopped after that file
        kept = sum(1 for f in calls if f.outcome is kbsearch.Outcome.ADDED)
        assert db.stats().files == kept  # and kept what it had done
        assert db.index(files).seen == 4


def test_progress_cannot_use_its_database(files, tmp_path):
    seen = []
    with kbsearch.Database(tmp_path / "kb.sqlite", mode="w") as db:
        def progress(f, s):
            db.stats()
        with pytest.raises(kbsearch.Error) as e:
            db.index(files, progress=progress)
        assert "progress callback" in str(e.value)
        seen.append(db.stats().files)  # still usable afterwards
    assert seen in ([0], [1])  # the error cancelled the run after a file


def test_missing_path_is_a_failure_not_an_error(tmp_path):
    with kbsearch.Database(tmp_path / "kb.sqlite", mode="w") as db:
        report = db.index([tmp_path / "nowhere"])
    assert report.failed == 1
    assert "nowhere" in report.failures[0].path


def test_remove_path_and_search_offset(files, tmp_path):
    with kbsearch.Database(tmp_path / "kb.sqlite", mode="w") as db:
        db.index(files)
        before = db.stats().articles
        assert db.remove(files / "Q103147.TXT") == 1
        assert db.stats().articles == before - 1
        with pytest.raises(kbsearch.NotFoundError):
            db.article("Q103147")
        assert db.remove(files) == before - 1
        assert db.stats().articles == 0


def test_search_offset(db):
    top = db.search("terminal server license", limit=5)
    page = db.search("terminal server license", limit=3, offset=2)
    assert [h.kb_id for h in page] == [h.kb_id for h in top[2:5]]
    assert [h.rank for h in page] == [3, 4, 5]
    with pytest.raises(kbsearch.InvalidArgumentError):
        db.search("x", offset=-1)


def test_entries_passed_over_do_not_disturb_progress(files, tmp_path):
    (files / ".hidden.txt").write_text("Hidden\n\nNot indexed.\n")
    (files / "README.md").write_text("# Not an article\n")
    calls = []
    with kbsearch.Database(tmp_path / "kb.sqlite", mode="w") as db:
        report = db.index(files, progress=lambda f, s: calls.append(f))
    # README.md is read (a KB page may be named so) and found to be no
    # article; the hidden file is passed over without being read.
    assert (report.total, report.added, report.skipped) == (5, 2, 1)
    assert report.passed_over == 1
    assert len(calls) == 4
