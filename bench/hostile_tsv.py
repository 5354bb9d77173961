#!/usr/bin/env python3
"""Write six 1 MB hostile pastes as a queries TSV for bench_search.

usage: python3 bench/hostile_tsv.py ARTICLE.TXT > hostile.tsv
       bench/bench_search --db DB -r 3 hostile.tsv

The pastes: 150,000 words drawn from ARTICLE (a real KB article), random
printable bytes, FTS5 operators and syntax, event XML with a 1 MB Data
value, one 1 MB word, and 20,000 lines each with an event ID, source,
code and file name. The relevant-id column is a placeholder: only the
timing matters (the issue's bound: 50 ms per paste inside the library).
"""
import random, sys

random.seed(7)
words = open(sys.argv[1], encoding="latin-1").read().split()
MB = 1 << 20
rows = [
    ("h1", "words", " ".join(random.choice(words) for _ in range(150000))[:MB]),
    ("h2", "printable", "".join(chr(random.randint(33, 126)) for _ in range(MB))),
    ("h3", "fts5ops", " ".join(random.choice(['"', "(", ")", "*", "^", "NEAR", "AND",
        "OR", "NOT", "title:", "-", "+", "{", "}", "NEAR(a b, 3)"])
        for _ in range(200000))[:MB]),
    ("h4", "eventxml", '<Event><System><Provider Name="TermService"/><EventID>1003'
        "</EventID></System><EventData><Data>" + "x" * MB + "</Data></EventData></Event>"),
    ("h5", "longword", "a" * MB),
    ("h6", "lines", "\n".join("Event ID: %d Source: Svc%d error 0x%08X file%d.dll"
        % (i, i, random.getrandbits(32), i) for i in range(20000))[:MB]),
]
for qid, variant, text in rows:
    esc = text.replace("\\", "\\\\").replace("\t", " ").replace("\n", "\\n")
    sys.stdout.write("%s\t%s\tQ1\t%s\n" % (qid, variant, esc))
