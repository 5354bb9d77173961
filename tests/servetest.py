"""servetest.py - what the tests of `kbsearch serve` (serve.py, browser.py)
share: where kbsearch and the source tree are, the Event Viewer paste of
event 1003, the pass/fail count, and starting a server on a free port.
"""
import os
import subprocess

TOP = os.environ.get("KBS_TOP_SRCDIR") or os.path.dirname(
    os.path.dirname(os.path.abspath(__file__)))
KBSEARCH = os.environ.get("KBSEARCH") or os.path.join(TOP, "kbsearch")

PASTE_1003 = ("Log Name: System\nSource: TermService\n"
              "Date: 11/3/2025 9:14:02 AM\nEvent ID: 1003\n"
              "Level: Information\nComputer: SRV-TS01.contoso.local\n"
              "Description:\n"
              "The terminal service client has provided an invalid license.\n")


class Checks:
    """check(cond, what): count it, print "FAIL: what" when cond is false,
    and return cond. summary() prints "N passed, N failed"."""

    def __init__(self):
        self.passed = 0
        self.failed = 0

    def __call__(self, cond, what):
        if cond:
            self.passed += 1
        else:
            self.failed += 1
            print("FAIL: " + what, flush=True)
        return cond

    def summary(self):
        print("%d passed, %d failed" % (self.passed, self.failed))


def start_server(db, *args):
    """`kbsearch serve --db DB` on a free loopback port, with args:
    (the process, the first line it printed, which is its URL)."""
    server = subprocess.Popen([KBSEARCH, "serve", "--db", db,
                               "--listen", "127.0.0.1:0"] + list(args),
                              stdout=subprocess.PIPE)
    return server, server.stdout.readline().decode().strip()
