#!/usr/bin/python3
"""pathological.py - time kbsearch index on inputs built to be slow.

Usage: bench/pathological.py [--kbsearch PATH] [--keep DIR] [NAME...]

Generates each file of issue 11 (none is committed), indexes it alone
into a new database with `kbsearch index`, and reports per file its size,
the CPU time (user + sys) of the run, CPU seconds per MB of input, wall
time and peak memory (maximum resident set size, from wait4). The budget
is 1 s/MB and 256 MB per file; a file over it is marked OVER. Exit status
1 when any file is over.

  refs      1.5 MB text listing KB references "Q0 Q1 Q2 ..."
  filetable 5.7 MB classic KB article with a 90,000-row file table
  attrs     11.9 MB HTML page, one element with a million attributes
  events    100,000 "Event ID:" lines
  sections  classic KB article with 100,000 sections
  messages  classic KB article quoting 20,000 error messages
  codes     text with 200,000 error codes, each different
  registry  text with 100,000 registry paths
  nesting   HTML nested 200,000 elements deep
  mdheads   Markdown page with 100,000 headings and links
  hsections HTML page with 100,000 sections (h2 and a paragraph)
"""
import os
import resource
import subprocess
import sys
import tempfile
import time

HEADER = ("DOCUMENT:Q999999  11-DEC-2001  [winnt]\n"
          "TITLE   :Pathological Article for the Benchmark\n"
          "PRODUCT :Microsoft Windows NT\n"
          "PROD/VER:4.0\n"
          "OPER/SYS:WINDOWS\n"
          "KEYWORDS:kbbench\n\n"
          "=" * 70 + "\n"
          "The information in this article applies to:\n\n"
          " - Microsoft Windows NT Server version 4.0\n"
          "-" * 70 + "\n\n")


def refs():
    out, i, n = [], 0, 0
    while n < 1_500_000:
        s = "Q%d " % i
        out.append(s)
        n += len(s)
        i += 1
    return "".join(out)


def filetable():
    rows = ["SYMPTOMS\n========\n\nThe fix has the following files:\n\n",
            "   Date      Time    Version          Size    File name     Platform\n",
            "   " + "-" * 66 + "\n"]
    for i in range(90_000):
        rows.append("   05/29/97  06:20p  4.0.1381.%-6d %9s  Fl%06d.dll   (x86)\n"
                    % (i, "{:,}".format(100000 + i), i))
    return HEADER + "".join(rows)


def attrs():
    parts = ["<!DOCTYPE html>\n<html><head><title>Attributes</title></head>"
             "<body><p"]
    for i in range(1_000_000):
        parts.append(' a%d="x"' % i)
    parts.append(">Text of the page.</p></body></html>\n")
    return "".join(parts)


def events():
    return "Event log entries\n\n" + "".join(
        "Event ID: %d\nSource: Src%d\n" % (i, i % 977)
        for i in range(100_000))


def sections():
    return HEADER + "".join("SECTION %d\n%s\n\nText of section %d.\n\n"
                            % (i, "=" * len("SECTION %d" % i), i)
                            for i in range(100_000))


def messages():
    return HEADER + "SYMPTOMS\n========\n\n" + "".join(
        "You receive the following error message:\n\n"
        "   Error %d: the operation number %d failed\n\n" % (i, i)
        for i in range(20_000))


def codes():
    return "Codes\n\n" + "".join("0x%08X " % (0x80070000 + i)
                                 for i in range(200_000))


def registry():
    return "Registry\n\n" + "".join(
        "HKEY_LOCAL_MACHINE\\SOFTWARE\\Vendor\\Key%d\n" % i
        for i in range(100_000))


def nesting():
    return ("<!DOCTYPE html>\n<html><body>" + "<div>" * 200_000 + "deep"
            + "</div>" * 200_000 + "</body></html>\n")


def mdheads():
    return ("---\ntitle: Headings\n---\n\n" + "".join(
        "## Heading %d\n\nSee [Q%d](https://support.microsoft.com/kb/%d).\n\n"
        % (i, i, i) for i in range(100_000)))


def hsections():
    return ("<!DOCTYPE html>\n<html><head><title>Sections</title></head><body>"
            + "".join("<h2>Section %d</h2><p>Text of section %d, Q%d.</p>\n"
                      % (i, i, i) for i in range(100_000))
            + "</body></html>\n")


FILES = [("refs", "refs.txt", refs), ("filetable", "Q999999.TXT", filetable),
         ("attrs", "attrs.html", attrs), ("events", "events.txt", events),
         ("sections", "Q999998.TXT", sections),
         ("messages", "Q999997.TXT", messages), ("codes", "codes.txt", codes),
         ("registry", "registry.txt", registry),
         ("nesting", "nesting.html", nesting), ("mdheads", "mdheads.md", mdheads),
         ("hsections", "hsections.html", hsections)]


def main():
    args = sys.argv[1:]
    kbsearch = os.path.join(os.path.dirname(os.path.abspath(__file__)),
                            "..", "kbsearch")
    keep = None
    while args and args[0].startswith("--"):
        if args[0] == "--kbsearch":
            kbsearch = args[1]
            args = args[2:]
        elif args[0] == "--keep":
            keep = args[1]
            args = args[2:]
        else:
            sys.exit(__doc__)
    names = args or [f[0] for f in FILES]
    over = False
    work = keep or tempfile.mkdtemp(prefix="kbs-patho-")
    os.makedirs(work, exist_ok=True)
    print("%-10s %8s %8s %8s %8s %8s  %s" % ("file", "MB", "cpu s", "s/MB",
                                             "wall s", "peak MB", "result"))
    for name, fname, gen in FILES:
        if name not in names:
            continue
        path = os.path.join(work, fname)
        if not os.path.exists(path):
            with open(path, "w") as f:
                f.write(gen())
        mb = os.path.getsize(path) / 1e6
        db = os.path.join(work, name + ".sqlite")
        for ext in ("", "-wal", "-shm"):
            if os.path.exists(db + ext):
                os.unlink(db + ext)
        t0 = time.monotonic()
        proc = subprocess.Popen([kbsearch, "index", "--db", db, path],
                                stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE)
        _, status, ru = os.wait4(proc.pid, 0)
        wall = time.monotonic() - t0
        out = proc.stdout.read().decode(errors="replace").strip()
        err = proc.stderr.read().decode(errors="replace").strip()
        cpu = ru.ru_utime + ru.ru_stime
        peak = ru.ru_maxrss / 1024
        bad = cpu / mb > 1.0 or peak > 256
        over = over or bad
        code = os.waitstatus_to_exitcode(status)
        print("%-10s %8.2f %8.2f %8.3f %8.2f %8.1f  %s (exit %d%s)" % (
            name, mb, cpu, cpu / mb, wall, peak, "OVER" if bad else "ok",
            code, ": " + (err or out).splitlines()[-1][:80]
            if code not in (0, 1) or err else ""))
        sys.stdout.flush()
        for ext in ("", "-wal", "-shm"):
            if os.path.exists(db + ext):
                os.unlink(db + ext)
        if keep is None:
            os.unlink(path)
    if keep is None:
        os.rmdir(work)
    return 1 if over else 0


if __name__ == "__main__":
    sys.exit(main())
