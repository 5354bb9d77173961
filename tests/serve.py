#!/usr/bin/env python3
"""serve.py - kbsearch serve end to end, over HTTP on loopback.

Indexes the bundled corpus/ and two articles written here (one whose title
and text hold <script>alert(1)</script>) into a temporary database, starts
`kbsearch serve` on port 0, and checks: every API endpoint's JSON (parsed,
and equal to the CLI's --json for the same question), every error status
with its JSON body, the 1 MB paste limit (a larger body refused before it
is sent whole), headers, pages rendering pastes and articles as text, new
articles seen while serving, a database file replaced under the server,
and a clean stop on SIGTERM.

Python standard library only. Prints one line per failure and a closing
"N passed, N failed" line; exits 1 when any check fails.
"""
import html.parser
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import urllib.error
import urllib.parse
import urllib.request

from servetest import KBSEARCH, PASTE_1003, TOP, Checks, start_server

SCRIPT = "<script>alert(1)</script>"

HOSTILE = """DOCUMENT:Q999001  15-JUN-2001  [winnt]
TITLE   :Hostile Fixture %s Breaks The Viewer
PRODUCT :Microsoft Windows NT
PROD/VER:winnt:4.0
OPER/SYS:WINDOWS
KEYWORDS:kbfix

=====================================================================

SYMPTOMS
========

The viewer shows the text %s when the spooler stops with
error 0x800706A9 and the page <img src=x onerror=alert(2)> appears.

RESOLUTION
==========

Escape everything.
""" % (SCRIPT, SCRIPT)

LATE = """DOCUMENT:Q999002  16-JUN-2001  [winnt]
TITLE   :Late Fixture Indexed While The Server Runs
PRODUCT :Microsoft Windows NT

SYMPTOMS
========

Quokka marmalade overflow in the print spooler.
"""

check = Checks()


def request(base, path, data=None, method=None, headers=None):
    """(status, headers, body bytes) of one request; errors included."""
    req = urllib.request.Request(base + path, data=data, method=method,
                                 headers=headers or {})
    try:
        with urllib.request.urlopen(req, timeout=30) as r:
            return r.status, r.headers, r.read()
    except urllib.error.HTTPError as e:
        return e.code, e.headers, e.read()


def api(base, path, data=None, method=None, headers=None, want=200):
    """The parsed JSON of an API call; checks status and content type."""
    st, hd, body = request(base, path, data, method, headers)
    check(st == want, "%s %s: status %d, expected %d (%r)" %
          (method or ("POST" if data is not None else "GET"), path, st,
           want, body[:200]))
    check(hd.get("Content-Type", "").startswith("application/json"),
          "%s: content type %r" % (path, hd.get("Content-Type")))
    try:
        return json.loads(body)
    except ValueError:
        check(False, "%s: body is not JSON: %r" % (path, body[:200]))
        return None


def cli(db, *args, stdin=None):
    """The parsed --json output of a kbsearch command."""
    out = subprocess.run([KBSEARCH] + list(args[:1]) + ["--db", db, "--json"]
                         + list(args[1:]), input=stdin,
                         stdout=subprocess.PIPE, check=False).stdout
    return json.loads(out)


class Tags(html.parser.HTMLParser):
    """Start tags, text, and the textarea's text of a page."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags = []
        self.text = []
        self.textarea = None
        self.links = []
        self._in_textarea = False

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        for name, value in attrs:
            if name.startswith("on"):
                self.tags.append("handler:" + name)
        if tag == "a":
            self.links.append(dict(attrs).get("href"))
        if tag == "textarea":
            self._in_textarea = True
            self.textarea = ""

    def handle_endtag(self, tag):
        if tag == "textarea":
            self._in_textarea = False

    def handle_data(self, data):
        self.text.append(data)
        if self._in_textarea:
            self.textarea += data


def page(base, path, data=None, want=200):
    st, hd, body = request(base, path, data)
    check(st == want, "page %s: status %d, expected %d" % (path, st, want))
    check(hd.get("Content-Type") == "text/html; charset=utf-8",
          "page %s: content type %r" % (path, hd.get("Content-Type")))
    p = Tags()
    p.feed(body.decode("utf-8"))
    return p


def raw_request(port, head, body_part):
    """Send headers and part of a body on a socket; return what comes
    back (the server answers before the body is complete)."""
    s = socket.create_connection(("127.0.0.1", port), timeout=10)
    s.sendall(head + body_part)
    data = b""
    try:
        while True:
            chunk = s.recv(65536)
            if not chunk:
                break
            data += chunk
            if b"\r\n\r\n" in data and b'"error"' in data:
                break
    except socket.timeout:
        pass
    s.close()
    return data


def main():
    tmp = tempfile.mkdtemp(prefix="kbs-serve.")
    server = None
    try:
        db = os.path.join(tmp, "kb.sqlite")
        fixtures = os.path.join(tmp, "fixtures")
        os.mkdir(fixtures)
        with open(os.path.join(fixtures, "Q999001.TXT"), "w") as f:
            f.write(HOSTILE)
        r = subprocess.run([KBSEARCH, "index", "--db", db,
                            os.path.join(TOP, "corpus"), fixtures],
                           stdout=subprocess.DEVNULL,
                           stderr=subprocess.PIPE)
        if r.returncode != 0:
            print("serve: indexing failed: " + r.stderr.decode())
            return 1

        # what cannot be served is refused at start, with a message
        for args in (["--db", os.path.join(tmp, "none.sqlite")],
                     ["--db", db, "--aliases", os.path.join(tmp, "none")],
                     ["--db", db, "--listen", "127.0.0.1"],
                     ["--db", db, "--threads", "0"]):
            r = subprocess.run([KBSEARCH, "serve"] + args,
                               stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, timeout=10)
            check(r.returncode == 2 and r.stderr and not r.stdout,
                  "serve %s: exit %d, %r" % (" ".join(args), r.returncode,
                                              r.stderr[:100]))

        server, line = start_server(db, "--threads", "2")
        if not line.startswith("http://127.0.0.1:"):
            print("serve: no URL on the first line: %r" % line)
            return 1
        base = line.rstrip("/")
        port = int(base.rsplit(":", 1)[1])
        check(port != 0, "port 0 printed")

        check_api(base, db, port)
        check_concurrent(base)
        check_pages(base)
        check_live(base, db, fixtures, tmp)

        server.send_signal(signal.SIGTERM)
        try:
            rc = server.wait(timeout=10)
            check(rc == 0, "SIGTERM: exit status %d" % rc)
        except subprocess.TimeoutExpired:
            check(False, "SIGTERM: server still running after 10 s")
    finally:
        if server is not None and server.poll() is None:
            server.kill()
            server.wait()
        shutil.rmtree(tmp, ignore_errors=True)
    check.summary()
    return 1 if check.failed or not check.passed else 0


def check_api(base, db, port):
    text = {"Content-Type": "text/plain"}
    form = {"Content-Type": "application/x-www-form-urlencoded"}

    # search: the body, a form field, options; the CLI's JSON exactly
    got = api(base, "/api/search", PASTE_1003.encode(), headers=text)
    want = cli(db, "search", stdin=PASTE_1003.encode())
    check(got == want, "POST /api/search differs from search --json")
    check(got and got["results"] and got["results"][0]["kb_id"] == "Q294326",
          "POST /api/search: Q294326 not first")
    check(got and got["query"]["event_id"] == 1003 and
          got["query"]["source"] == "TermService",
          "POST /api/search: event 1003 from TermService not seen")
    got = api(base, "/api/search", urllib.parse.urlencode(
        {"q": PASTE_1003, "n": "3", "explain": "1"}).encode(), headers=form)
    want = cli(db, "search", "-n", "3", "--explain",
               stdin=PASTE_1003.encode())
    check(got == want, "form POST /api/search differs from the CLI")
    check(got and len(got["results"]) == 3 and
          all("explain" in h for h in got["results"]),
          "form POST: n=3 and explain not applied")
    got = api(base, "/api/search?n=2&product=Windows%20NT&version=4.0",
              PASTE_1003.encode(), headers=text)
    want = cli(db, "search", "-n", "2", "--product", "Windows NT",
               "--version", "4.0", stdin=PASTE_1003.encode())
    check(got == want, "POST /api/search?n&product&version differs")
    # paging: offset as the CLI's --offset
    got = api(base, "/api/search?n=2&offset=1", PASTE_1003.encode(),
              headers=text)
    want = cli(db, "search", "-n", "2", "--offset", "1",
               stdin=PASTE_1003.encode())
    check(got == want and got["results"] and
          got["results"][0]["rank"] == 2, "search with offset differs")
    # curl --data-binary sends a form content type: no q=, the body
    got = api(base, "/api/search?n=2", PASTE_1003.encode(), headers=form)
    want = cli(db, "search", "-n", "2", stdin=PASTE_1003.encode())
    check(got == want, "a paste sent as a form without q= differs")
    got = api(base, "/api/search", b"qqqzzzx wwwvvvk",
              headers=text)
    check(got and got["results"] == [], "a paste that finds nothing: "
          "200 with no results")

    # lookups: the CLI's JSON exactly
    for path, args in [
            ("/api/article/Q294326", ("show", "Q294326")),
            ("/api/article/KB294326", ("show", "KB294326")),
            ("/api/event/1003?source=TermService",
             ("event", "--source", "TermService", "1003")),
            ("/api/event/1003", ("event", "1003")),
            ("/api/code/0xC0000005", ("code", "0xC0000005")),
            ("/api/code/-1073741819", ("code", "--", "-1073741819")),
            ("/api/code/STOP%200x0000000A", ("code", "STOP 0x0000000A")),
            ("/api/file/termsrv.exe?version=4.0.1381.33",
             ("file", "termsrv.exe", "4.0.1381.33")),
            ("/api/file/ICAAPI.DLL", ("file", "ICAAPI.DLL")),
            ("/api/refs/Q256986", ("refs", "Q256986")),
            ("/api/stats", ("stats",))]:
        got = api(base, path)
        want = cli(db, *args)
        check(got == want, "GET %s differs from kbsearch %s --json" %
              (path, " ".join(args)))
    stats = api(base, "/api/stats")
    check(stats and stats["articles"] > 80, "stats: articles counted")
    got = api(base, "/api/event/1003")
    noid = [h for h in got["results"] if not h["kb_id"].startswith("Q")]
    check(len(noid) == 1, "event 1003: one article without a KB id")
    if noid:
        check(re.fullmatch("A[0-9A-F]{10}", noid[0]["kb_id"]) is not None,
              "article without a KB id: id %r" % noid[0]["kb_id"])
        art = api(base, "/api/article/" + noid[0]["kb_id"])
        check(art and art["title"] == noid[0]["title"],
              "article without a KB id reached by its article id")
        art = api(base, "/api/article?source=" +
                  urllib.parse.quote(noid[0]["path"], safe=""))
        check(art and art["kb_id"] == noid[0]["kb_id"],
              "article without a KB id reached by its source")
    check(api(base, "/api/code/5")["results"] != [], "code 5 finds "
          "articles")

    # errors: status and JSON body
    for path, data, method, status in [
            ("/api/search?n=0", b"x", None, 400),
            ("/api/search?n=abc", b"x", None, 400),
            ("/api/search?explain=maybe", b"x", None, 400),
            ("/api/search?offset=-1", b"x", None, 400),
            ("/api/search", b"", None, 400),
            ("/api/event/abc", None, None, 400),
            ("/api/event/", None, None, 400),
            ("/api/code/hello", None, None, 400),
            ("/api/file/termsrv.exe?version=N%2FA", None, None, 400),
            ("/api/refs/hello", None, None, 400),
            ("/api/article/hello", None, None, 400),
            ("/api/article", None, None, 400),
            ("/api/article/Q1", None, None, 404),
            ("/api/article?source=%2Fetc%2Fpasswd", None, None, 404),
            ("/api/nothing", None, None, 404),
            ("/api/stats/extra", None, None, 404),
            ("/api/search", None, "GET", 405),
            ("/api/stats", b"x", "POST", 405),
            ("/api/article/Q294326", None, "DELETE", 405)]:
        got = api(base, path, data, method,
                  {"Content-Type": "text/plain"}, want=status)
        check(isinstance(got, dict) and got.get("status") == status and
              isinstance(got.get("error"), str) and got["error"],
              "%s: no JSON error body" % path)
    st, hd, _ = request(base, "/api/search")
    check(hd.get("Allow") == "POST", "405: Allow header %r" %
          hd.get("Allow"))

    # the paste limit: 1 MB passes, one byte more is refused
    big = (PASTE_1003 * (1 << 20))[: 1 << 20].encode()
    got = api(base, "/api/search", big, headers=text)
    check(got and got["results"] and got["results"][0]["kb_id"] ==
          "Q294326", "a 1 MB paste is searched")
    # one byte more: refused as soon as the headers are in (the client
    # may still be sending: read the answer from the socket)
    reply = raw_request(port, b"POST /api/search HTTP/1.1\r\n"
                        b"Host: x\r\nContent-Type: text/plain\r\n"
                        b"Content-Length: 1048577\r\n\r\n", big[:4096])
    check(reply.startswith(b"HTTP/1.1 413"), "1 MB + 1: %r" % reply[:40])
    body = reply.split(b"\r\n\r\n", 1)[-1]
    check(b'"status":413' in body, "413: JSON error body %r" % body[:80])
    # announced as 100 MB, 1 KB sent: the answer comes without the rest
    reply = raw_request(port, b"POST /api/search HTTP/1.1\r\n"
                        b"Host: x\r\nContent-Type: text/plain\r\n"
                        b"Content-Length: 104857600\r\n\r\n",
                        b"x" * 1024)
    check(reply.startswith(b"HTTP/1.1 413"), "100 MB announced: %r" %
          reply[:40])

    # headers of every kind of answer
    for path in ["/api/stats", "/", "/article/Q294326", "/style.css",
                 "/nothing", "/api/nothing"]:
        st, hd, _ = request(base, path)
        check(hd.get("X-Content-Type-Options") == "nosniff",
              "%s: no nosniff" % path)
        csp = hd.get("Content-Security-Policy", "")
        check("default-src 'none'" in csp and "style-src 'self'" in csp
              and "script" not in csp, "%s: CSP %r" % (path, csp))
    st, hd, css = request(base, "/style.css")
    check(st == 200 and hd.get("Content-Type") == "text/css; charset=utf-8"
          and b"body" in css, "/style.css")
    for path in ["/../../etc/passwd", "/corpus/README.md",
                 "/%2e%2e/%2e%2e/etc/passwd", "/style.css/../kb.sqlite"]:
        st, _, body = request(base, path)
        check(st == 404 and b"root:" not in body, "%s: status %d" %
              (path, st))


def check_concurrent(base):
    """Eight clients at once, each answer the one given alone."""
    cases = os.path.join(TOP, "tests", "queries")
    pastes = []
    for name in sorted(os.listdir(cases))[:16]:
        with open(os.path.join(cases, name, "input"), "rb") as f:
            pastes.append(f.read())
    text = {"Content-Type": "text/plain"}
    alone = [request(base, "/api/search", p, headers=text)[2]
             for p in pastes]
    wrong = []

    def client(k):
        for i in range(len(pastes)):
            j = (i + k) % len(pastes)
            st, _, body = request(base, "/api/search", pastes[j],
                                  headers=text)
            if st != 200 or body != alone[j]:
                wrong.append((k, j, st))

    threads = [threading.Thread(target=client, args=(k,)) for k in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    check(not wrong, "concurrent searches: %d answers differ from the "
          "same search alone: %r" % (len(wrong), wrong[:3]))


def check_pages(base):
    form = {"Content-Type": "application/x-www-form-urlencoded"}
    # the search form alone
    p = page(base, "/")
    check("textarea" in p.tags and "form" in p.tags, "/: no form")
    check("script" not in p.tags, "/: a script tag")

    # a paste holding <script>: shown as text, kept in the box
    paste = SCRIPT + "\n" + PASTE_1003
    st, hd, body = request(base, "/", urllib.parse.urlencode(
        {"q": paste, "n": "5"}).encode(), headers=form)
    check(st == 200, "POST /: status %d" % st)
    p = Tags()
    p.feed(body.decode())
    check("script" not in p.tags, "POST /: the paste made a script tag")
    check(p.textarea == paste, "POST /: the paste is not kept in the box")
    check(b"&lt;script&gt;" in body, "POST /: <script> not escaped")
    check("ol" in p.tags and "/article/Q294326" in p.links,
          "POST /: Q294326 not among the results")
    text = "".join(p.text)
    check("Q294326" in text and "Matched" in text, "POST /: results text")

    # the article holding <script>alert(1)</script>: text, not markup
    p = page(base, "/article/Q999001")
    check("script" not in p.tags and not any(t.startswith("handler:")
                                             for t in p.tags),
          "article page: markup from the article")
    text = "".join(p.text)
    check(SCRIPT in text, "article page: the <script> text is not shown")
    check("/code/0x800706A9" in p.links, "article page: code not linked")
    p = page(base, "/?q=" + urllib.parse.quote("alert spooler viewer "
                                               "hostile fixture"))
    check("script" not in p.tags, "search page: markup from a title")
    check(SCRIPT in "".join(p.text), "search page: title text lost")

    # the article page links its fields to their lookups
    p = page(base, "/article/Q294326")
    check("/event/1003?source=TermService" in p.links,
          "article page: event not linked: %r" % p.links)
    check("/file/Icaapi.dll" in p.links, "article page: file not linked")
    for path in ["/event/1003?source=TermService", "/code/0xC0000005",
                 "/file/termsrv.exe?version=4.0.1381.33", "/refs/Q256986",
                 "/stats"]:
        p = page(base, path)
        check("script" not in p.tags and "h1" in p.tags, "page %s" % path)
    p = page(base, "/event/1003?source=TermService")
    check("/article/Q294326" in p.links, "event page: Q294326 not linked")
    noid = [h for h in p.links if h.startswith("/article/A")]
    check(noid, "event page: no link to the article without a KB id")
    if noid:
        p = page(base, noid[0])
        check("Rds Cal" in "".join(p.text), "article without a KB id")
    page(base, "/article/Q1", want=404)
    page(base, "/event/abc", want=400)
    page(base, "/nothing", want=404)


def check_live(base, db, fixtures, tmp):
    # an index run into the served file: the new article is seen
    api(base, "/api/article/Q999002", want=404)
    with open(os.path.join(fixtures, "Q999002.TXT"), "w") as f:
        f.write(LATE)
    subprocess.run([KBSEARCH, "index", "--db", db, fixtures],
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    got = api(base, "/api/article/Q999002")
    check(got and got.get("kb_id") == "Q999002", "article indexed while "
          "serving not seen")
    for _ in range(4):  # every thread
        got = api(base, "/api/search", b"quokka marmalade overflow",
                  headers={"Content-Type": "text/plain"})
        check(got and got["results"] and
              got["results"][0]["kb_id"] == "Q999002",
              "search does not see the new article")

    # the file replaced by one that is no database: 503; back: 200
    saved = os.path.join(tmp, "saved.sqlite")
    bad = os.path.join(tmp, "bad.sqlite")
    with open(bad, "wb") as f:
        f.write(b"this is not a database\n" * 100)
    os.rename(db, saved)
    os.rename(bad, db)
    for _ in range(4):
        got = api(base, "/api/stats", want=503)
        check(got and got.get("status") == 503, "503: JSON error body")
    page(base, "/stats", want=503)
    os.rename(db, bad)
    os.rename(saved, db)
    got = api(base, "/api/stats")
    check(got and got.get("articles", 0) > 80, "database back: stats")


if __name__ == "__main__":
    sys.exit(main())
