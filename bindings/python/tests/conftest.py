"""Fixtures of the kbsearch binding's tests.

The tests run against the library named by $KBSEARCH_LIBRARY (`make
check` sets it to the freshly built one) and the bundled corpus of the
source tree ($KBS_TOP_SRCDIR, else found from this file's place). The
shared database is built once per session with the binding's own index().
"""

import os
import pathlib
import shutil
import sys

import pytest

HERE = pathlib.Path(__file__).resolve().parent
TOP = pathlib.Path(os.environ.get("KBS_TOP_SRCDIR") or HERE.parents[2])
sys.path.insert(0, str(HERE.parent))

import kbsearch  # noqa: E402

#: The Event Viewer entry of README's first command.
TERMSERVICE_PASTE = (
    "Log Name: System\n"
    "Source: TermService\n"
    "Date: 11/3/2025 9:14:02 AM\n"
    "Event ID: 1003\n"
    "Level: Information\n"
    "Computer: SRV-TS01.contoso.local\n"
    "Description:\n"
    "The terminal service client has provided an invalid license.\n")


@pytest.fixture(scope="session")
def corpus() -> pathlib.Path:
    path = TOP / "corpus"
    assert (path / "seeds").is_dir(), f"no bundled corpus at {path}"
    return path


@pytest.fixture(scope="session")
def built(tmp_path_factory, corpus):
    """(database path, IndexReport) of the bundled corpus."""
    path = tmp_path_factory.mktemp("db") / "kb.sqlite"
    with kbsearch.Database(path, mode="w") as db:
        report = db.index(corpus)
    return path, report


@pytest.fixture(scope="session")
def db_path(built) -> pathlib.Path:
    return built[0]


@pytest.fixture
def db(db_path):
    with kbsearch.Database(db_path) as handle:
        yield handle


@pytest.fixture
def db_copy(db_path, tmp_path) -> pathlib.Path:
    """A private copy of the corpus database, for tests that write."""
    copy = tmp_path / "copy.sqlite"
    shutil.copyfile(db_path, copy)
    return copy


def child_env(**extra: str) -> dict:
    """The environment for a child Python that must import this package."""
    env = dict(os.environ, **extra)
    env["PYTHONPATH"] = os.pathsep.join(
        [str(HERE.parent)] + ([env["PYTHONPATH"]]
                              if env.get("PYTHONPATH") else []))
    return env
