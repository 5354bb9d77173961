"""pip install ./bindings/python: the pyproject.toml builds and installs a
package that works. Offline, so without build isolation: skipped where
pip, setuptools or wheel is missing for this interpreter."""

import importlib.util
import pathlib
import shutil
import subprocess
import sys

import pytest

from conftest import TERMSERVICE_PASTE, child_env

PKG = pathlib.Path(__file__).resolve().parents[1]


def test_pip_install(tmp_path, db_path):
    for module in ("pip", "setuptools", "wheel"):
        if importlib.util.find_spec(module) is None:
            pytest.skip(f"no {module} for {sys.executable}")
    # pip builds in the source directory: build a copy (the tree may be
    # read-only, as in make distcheck).
    src = tmp_path / "src"
    shutil.copytree(PKG, src, ignore=shutil.ignore_patterns(
        "tests", "_config.py", "__pycache__", "build", "*.egg-info"))
    target = tmp_path / "site"
    p = subprocess.run(
        [sys.executable, "-m", "pip", "install", "--quiet", "--no-index",
         "--no-deps", "--no-build-isolation", "--target", str(target),
         str(src)],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
        env=child_env(PIP_DISABLE_PIP_VERSION_CHECK="1"))
    assert p.returncode == 0, p.stdout.decode(errors="replace")
    assert (target / "kbsearch" / "py.typed").is_file()
    assert not (target / "tests").exists()
    code = ("import sys, kbsearch\n"
            "assert kbsearch.__file__.startswith(sys.argv[1]), "
            "kbsearch.__file__\n"
            "with kbsearch.Database(sys.argv[2]) as db:\n"
            "    print(db.search(sys.stdin.read())[0].kb_id)\n")
    env = child_env()
    env["PYTHONPATH"] = str(target)
    out = subprocess.run([sys.executable, "-c", code, str(target),
                          str(db_path)], input=TERMSERVICE_PASTE.encode(),
                         stdout=subprocess.PIPE, env=env, check=True).stdout
    assert out.decode().strip() == "Q294326"
