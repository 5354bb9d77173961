#!/usr/bin/env python3
"""jsonformat.py - every command's --json output checked against the JSON
format that man/kbsearch.1.in (section JSON OUTPUT) describes.

The description below is that section as data: for each document, the
members it must have and the type of each (a record type is checked
recursively, "?" allows null, [T] is an array of T). A member that is
missing, extra or of another type fails the test, so a change of shape
must change the man page and this table together. Also checks the JSON
error document and the escaping of a non-UTF-8 path.

Usage: jsonformat.py [KBSEARCH TOP_SRCDIR] (default: $KBSEARCH and
$KBS_TOP_SRCDIR, as make check sets them).
"""
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

FORMAT_VERSION = 2

# Record types, as the man page lists them.
PRODUCT = {"product": str, "version": "?str"}
EVENT = {"event_id": int, "source": "?str", "type": "?str",
         "category": "?str", "description": "?str"}
CODE = {"code": "hex", "notation": "?str"}
FILE = {"name": str, "version": "?str", "size": "?int", "date": "?str",
        "time": "?str", "platform": "?str"}
EXPLAIN = {"scores": ("map", float), "details": ("map", str),
           "notes": [str]}
QUERY = {"kind": str, "event_id": "?int", "source": "?str",
         "codes": ["hex"], "files": [str], "kb_ids": [str], "terms": [str],
         "dropped": [str], "corrected": [str], "aliases": [str]}
# Members every hit has (search and lookups), then each command's own.
HIT = {"rank": int, "kb_id": "id", "title": "?str", "products": [PRODUCT],
       "path": "?str"}
SEARCH_HIT = dict(HIT, score=float, matched=[str], snippet="?str",
                  snippet_matches=[[int]], explain=("opt", EXPLAIN))
DOCS = {
    "search": {"query": QUERY, "results": [SEARCH_HIT]},
    "event": {"event_id": int, "source": "?str",
              "results": [dict(HIT, event=EVENT)]},
    "code": {"code": str, "results": [dict(HIT, code=CODE)]},
    "file": {"name": str, "version": "?str",
             "results": [dict(HIT, file=FILE, build="?build")]},
    "refs": {"kb_id": str, "results": [dict(HIT, relation="relation")]},
    "show": {"kb_id": "id", "title": "?str", "date": "?str",
             "format": str, "path": "?str", "sources": [str],
             "products": [PRODUCT], "events": [EVENT], "codes": [CODE],
             "files": [FILE], "messages": [str], "refs": [str],
             "registry": [str],
             "sections": [{"heading": "?str", "level": int, "text": "?str"}],
             "text": "?str"},
    "stats": {"articles": int, "files": int, "events": int, "codes": int,
              "file_rows": int, "refs": int, "terms": int,
              "schema_version": int},
    "error": {"error": {"message": str, "exit_status": int}},
}
SCALARS = {
    str: lambda v: isinstance(v, str),
    int: lambda v: isinstance(v, int) and not isinstance(v, bool),
    float: lambda v: isinstance(v, (int, float)) and not isinstance(v, bool),
    "str": lambda v: isinstance(v, str),
    "int": lambda v: isinstance(v, int) and not isinstance(v, bool),
    "hex": lambda v: isinstance(v, str) and re.fullmatch("0x[0-9A-F]{8}", v),
    "id": lambda v: isinstance(v, str) and
    re.fullmatch(r"Q[1-9][0-9]*|A[0-9A-F]{10}", v),
    "build": lambda v: v in ("newer", "same", "older"),
    "relation": lambda v: v in ("cites", "cited_by"),
}


def check(value, shape, where, errors):
    if isinstance(shape, str) and shape.startswith("?"):
        if value is None:
            return
        shape = shape[1:]
    if isinstance(shape, tuple) and shape[0] == "opt":
        return check(value, shape[1], where, errors)
    if isinstance(shape, tuple) and shape[0] == "map":
        if not isinstance(value, dict):
            errors.append(f"{where}: not an object")
            return
        for k, v in value.items():
            check(v, shape[1], f"{where}.{k}", errors)
        return
    if isinstance(shape, list):
        if not isinstance(value, list):
            errors.append(f"{where}: not an array: {value!r}")
            return
        for i, v in enumerate(value):
            check(v, shape[0], f"{where}[{i}]", errors)
        return
    if isinstance(shape, dict):
        if not isinstance(value, dict):
            errors.append(f"{where}: not an object: {value!r}")
            return
        for k, s in shape.items():
            optional = isinstance(s, tuple) and s[0] == "opt"
            if k not in value:
                if not optional:
                    errors.append(f"{where}: no member {k!r}")
                continue
            check(value[k], s, f"{where}.{k}", errors)
        for k in value:
            if k not in shape and not k.endswith("_escaped"):
                errors.append(f"{where}: member {k!r} not described")
            elif k.endswith("_escaped") and value[k] is not True:
                errors.append(f"{where}.{k}: not true")
        return
    if shape in SCALARS:
        if not SCALARS[shape](value):
            errors.append(f"{where}: {value!r} is not {shape}")
        return
    errors.append(f"{where}: unknown shape {shape!r}")


def main():
    if len(sys.argv) == 3:
        kbsearch, top = sys.argv[1], sys.argv[2]
    else:
        top = os.environ.get("KBS_TOP_SRCDIR") or os.path.dirname(
            os.path.dirname(os.path.abspath(__file__)))
        kbsearch = os.environ.get("KBSEARCH") or os.path.join(top,
                                                              "kbsearch")
    tmp = tempfile.mkdtemp(prefix="kbs-json.")
    failures = []
    try:
        db = os.path.join(tmp, "kb.sqlite")
        odd = os.path.join(tmp, "odd").encode()
        os.mkdir(odd)
        name = os.path.join(odd, b"caf\xe9\\note.txt")
        with open(name, "wb") as f:
            f.write(b"Quuxfrobber service fails\n\nThe quuxfrobber service "
                    b"could not start: error 0x80070422.\n")
        subprocess.run([kbsearch, "index", "--db", db,
                        os.path.join(top, "corpus"), odd], check=True,
                       stdout=subprocess.DEVNULL)

        def run(doc, *args, status=0):
            p = subprocess.run([kbsearch, "--db", db] + list(args),
                               stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE)
            what = "kbsearch " + " ".join(a if len(a) < 30 else
                                          repr(a[:27] + "...")
                                          for a in args)
            if p.returncode != status:
                failures.append(f"{what}: exit {p.returncode}")
                return None
            try:
                v = json.loads(p.stdout)
            except ValueError as e:
                failures.append(f"{what}: not JSON: {e}")
                return None
            errors = []
            if v.get("format_version") != FORMAT_VERSION:
                errors.append("format_version missing or not "
                              f"{FORMAT_VERSION}")
            v.pop("format_version", None)
            check(v, DOCS[doc], doc, errors)
            failures.extend(f"{what}: {e}" for e in errors)
            return v

        paste = ("Event ID: 1003\nSource: TermService\nThe terminal "
                 "service client has provided an invalid licnese.")
        s = run("search", "search", "--json", "-n", "5", paste)
        run("search", "search", "--json", "--explain", "-n", "5", paste)
        if s and not s["query"]["corrected"]:
            failures.append("search: the correction is not reported")
        if s and not any(h["snippet_matches"] for h in s["results"]):
            failures.append("search: no snippet_matches at all")
        run("search", "search", "--json", "zzzzqqq", status=1)
        e = run("event", "event", "--json", "1003")
        run("event", "event", "--json", "--source", "TermService", "1003")
        run("code", "code", "--json", "0xC0000005")
        run("code", "code", "--json", "0xDEADBEEF", status=1)
        run("file", "file", "--json", "termsrv.exe")
        run("file", "file", "--json", "icaapi.dll", "5.0")
        run("refs", "refs", "--json", "Q297795")
        run("show", "show", "--json", "Q294326")
        run("stats", "stats", "--json")
        # an article without a KB id, by its article id
        aid = [h["kb_id"] for h in (e or {}).get("results", [])
               if h["kb_id"].startswith("A")]
        if aid:
            run("show", "show", "--json", aid[0])
        else:
            failures.append("event 1003: no article id")
        # errors in JSON mode are one JSON document
        run("error", "show", "--json", "Q1", status=1)
        run("error", "show", "--json", "hello", status=2)
        run("error", "code", "--json", status=2)
        run("error", "event", "--json", "x", status=2)
        # a non-UTF-8 path: escaped bytes, flagged, recoverable
        q = run("search", "search", "--json", "quuxfrobber service")
        hit = q["results"][0] if q and q["results"] else None
        if hit is None or hit.get("path_escaped") is not True:
            failures.append(f"non-UTF-8 path not flagged: {hit!r}")
        else:
            raw = re.sub(r"\\x([0-9A-F]{2})|\\\\",
                         lambda m: chr(int(m.group(1), 16))
                         if m.group(1) else "\\", hit["path"])
            if raw.encode("latin-1") != name:
                failures.append(f"escaped path {hit['path']!r} does not "
                                f"give back {name!r}")
            a = run("show", "show", "--json", hit["kb_id"])
            if a and a.get("sources_escaped") is not True:
                failures.append("show: non-UTF-8 source not flagged")
    finally:
        shutil.rmtree(tmp)
    for f in failures:
        print("FAIL:", f)
    print("json:", "ok" if not failures else f"{len(failures)} failures")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
