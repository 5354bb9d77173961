#!/usr/bin/env python3
"""search.py - the smallest useful program using the kbsearch binding.

Opens a database read-only, ranks its articles against a pasted error
(the second argument, or standard input when absent) and prints one line
per hit: KB id, score, title, separated by tabs. The Python twin of
examples/search.c.

    python3 search.py kb.sqlite "The terminal service client has provided an invalid license."

Exit status: 0 hits printed, 1 no hit, 2 error (message on standard error).
"""

import sys
from typing import List, Union

import kbsearch


def main(argv: List[str]) -> int:
    if len(argv) not in (2, 3):
        print(f"usage: {argv[0]} DATABASE [TEXT]", file=sys.stderr)
        return 2
    # Bytes from standard input: the paste need not be valid UTF-8.
    paste: Union[str, bytes] = \
        argv[2] if len(argv) == 3 else sys.stdin.buffer.read()
    try:
        with kbsearch.Database(argv[1]) as db:
            results = db.search(paste)
    except kbsearch.Error as e:
        print(f"{argv[0]}: {e}", file=sys.stderr)
        return 2
    for hit in results:
        print(f"{hit.kb_id}\t{hit.score:.2f}\t{hit.title or ''}")
    return 0 if results else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv))
