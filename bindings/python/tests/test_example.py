"""bindings/python/examples/search.py, run as a user would."""

import pathlib
import subprocess
import sys

from conftest import TERMSERVICE_PASTE, child_env

EXAMPLE = pathlib.Path(__file__).resolve().parents[1] / "examples" / \
    "search.py"


def run(*args, stdin=b""):
    return subprocess.run([sys.executable, str(EXAMPLE), *map(str, args)],
                          input=stdin, stdout=subprocess.PIPE,
                          stderr=subprocess.PIPE, env=child_env())


def test_example_argument(db_path):
    p = run(db_path, TERMSERVICE_PASTE)
    assert p.returncode == 0, p.stderr
    lines = p.stdout.decode().splitlines()
    kb_id, score, title = lines[0].split("\t")
    assert kb_id == "Q294326"
    float(score)
    assert title.startswith("Event ID 1003")


def test_example_stdin_with_bad_bytes(db_path):
    p = run(db_path, stdin=b"\xff\x00" + TERMSERVICE_PASTE.encode())
    assert p.returncode == 0, p.stderr
    assert p.stdout.decode().split("\t", 1)[0] == "Q294326"


def test_example_errors(db_path, tmp_path):
    p = run(tmp_path / "missing.sqlite", "x")
    assert p.returncode == 2
    assert b"missing.sqlite" in p.stderr
    p = run(db_path, "\x01")
    assert (p.returncode, p.stdout) == (1, b"")
    assert run().returncode == 2
