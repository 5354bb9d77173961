#!/usr/bin/env python3
"""browser.py - the search page in a real browser (headless Chromium).

Starts `kbsearch serve` over the bundled corpus, has Chromium load the
search form's URL with the Event Viewer paste of event 1003 from
TermService, and reads the DOM Chromium built: Q294326 must be the first
result. Then Chromium opens that result's article page, follows its link
to event 1003, and the lookup page must list Q294326. A screenshot of the
results page is taken too (it must come out as a PNG).

Skipped (exit 77) where Chromium is not installed. Prints one line per
failure and "N passed, N failed"; exits 1 when any check fails.
"""
import html.parser
import os
import shutil
import subprocess
import sys
import tempfile
import urllib.parse

from servetest import KBSEARCH, PASTE_1003, TOP, Checks, start_server

check = Checks()


class Dom(html.parser.HTMLParser):
    """Links in order (href, class, text) and the page's text."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.links = []
        self.text = []
        self._a = None

    def handle_starttag(self, tag, attrs):
        if tag == "a":
            a = dict(attrs)
            self._a = [a.get("href"), a.get("class"), ""]

    def handle_endtag(self, tag):
        if tag == "a" and self._a is not None:
            self.links.append(tuple(self._a))
            self._a = None

    def handle_data(self, data):
        self.text.append(data)
        if self._a is not None:
            self._a[2] += data


def chromium(browser, profile, *args):
    return subprocess.run([browser, "--headless", "--no-sandbox",
                           "--disable-gpu", "--no-first-run",
                           "--user-data-dir=" + profile] + list(args),
                          stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                          timeout=120)


def dom(browser, profile, url):
    r = chromium(browser, profile, "--dump-dom", url)
    d = Dom()
    d.feed(r.stdout.decode("utf-8", "replace"))
    return d


def main():
    browser = shutil.which("chromium") or shutil.which("chromium-browser")
    if browser is None:
        print("browser: chromium not installed, skipped")
        return 77
    tmp = tempfile.mkdtemp(prefix="kbs-browser.")
    server = None
    try:
        db = os.path.join(tmp, "kb.sqlite")
        profile = os.path.join(tmp, "profile")
        subprocess.run([KBSEARCH, "index", "--db", db,
                        os.path.join(TOP, "corpus")],
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                       check=True)
        server, base = start_server(db)
        base = base.rstrip("/")
        if not base.startswith("http://"):
            print("browser: the server printed no URL")
            return 1

        # the form, filled in and sent (its fields as a GET query)
        search = base + "/?" + urllib.parse.urlencode(
            {"q": PASTE_1003, "n": "10", "product": "", "version": ""})
        d = dom(browser, profile, search)
        results = [l for l in d.links if l[1] == "kbid"]
        check(results and results[0][2] == "Q294326",
              "first result %r, expected Q294326" %
              (results[0][2] if results else None))
        check("event 1003 from TermService" in "".join(d.text),
              "the page does not say how the paste was read")
        if not results:
            return 1

        # the article page, then its event link
        d = dom(browser, profile, base + results[0][0])
        check("Event ID 1003" in "".join(d.text), "article page text")
        events = [l for l in d.links if l[0] and l[0].startswith("/event/")]
        check(events and events[0][0] == "/event/1003?source=TermService",
              "article page: event link %r" % events[:1])
        if events:
            d = dom(browser, profile, base + events[0][0])
            check("Event 1003 from TermService" in "".join(d.text),
                  "event page heading")
            check(any(l[2] == "Q294326" for l in d.links),
                  "event page does not list Q294326")

        shot = os.path.join(tmp, "search.png")
        chromium(browser, profile, "--hide-scrollbars",
                 "--window-size=1200,1000", "--screenshot=" + shot, search)
        with open(shot, "rb") as f:
            check(f.read(8) == b"\x89PNG\r\n\x1a\n", "no screenshot")
    finally:
        if server is not None:
            server.terminate()
            server.wait()
        shutil.rmtree(tmp, ignore_errors=True)
    check.summary()
    return 1 if check.failed else 0


if __name__ == "__main__":
    sys.exit(main())
