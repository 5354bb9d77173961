#!/bin/sh
# cli.sh - the kbsearch command as a user meets it: the help made from the
# command table, global options before the command, error lines, the
# database directory rule, the search prompt on a terminal, ids, colour.
#
# Runs against a database built from the bundled corpus/. Prints one line
# per failure and a closing "N passed, N failed" line; exits 1 when any
# check fails.
set -u
top=${KBS_TOP_SRCDIR:-$(cd "$(dirname "$0")/.." && pwd)}
kbsearch=${KBSEARCH:-./kbsearch}
py=${PYTEST_PYTHON:-${PYTHON:-python3}}
tmp=$(mktemp -d "${TMPDIR:-/tmp}/kbs-cli.XXXXXX") || exit 2
trap 'rm -rf "$tmp"' EXIT INT TERM
db=$tmp/kb.sqlite
unset KBSEARCH_DB NO_COLOR

if ! "$kbsearch" index --db "$db" "$top/corpus" >"$tmp/index.log" 2>&1; then
	echo "cli: indexing the bundled corpus failed:"
	cat "$tmp/index.log"
	exit 1
fi

pass=0
fail=0
ok() { pass=$((pass + 1)); }
ko() { fail=$((fail + 1)); echo "FAIL: $*"; }

# run ARGS...: kbsearch's exit status in $st, output in $tmp/out, $tmp/err
run() {
	"$kbsearch" "$@" >"$tmp/out" 2>"$tmp/err"
	st=$?
}

# expect STATUS PATTERN ARGS...: the exit status is STATUS and standard
# output matches the extended regular expression PATTERN ('' for none).
expect() {
	want=$1 pattern=$2
	shift 2
	run "$@"
	if [ "$st" -ne "$want" ]; then
		ko "kbsearch $*: exit $st, expected $want ($(head -n 1 "$tmp/err"))"
	elif [ -n "$pattern" ] && ! grep -Eq -- "$pattern" "$tmp/out"; then
		ko "kbsearch $*: output does not match '$pattern'"
	else
		ok
	fi
}

# experr STATUS PATTERN ARGS...: as expect, but PATTERN is matched against
# standard error, and every line of it must start with "kbsearch:" or be
# the "Try 'kbsearch ... --help'." hint.
experr() {
	want=$1 pattern=$2
	shift 2
	run "$@"
	if [ "$st" -ne "$want" ]; then
		ko "kbsearch $*: exit $st, expected $want ($(head -n 1 "$tmp/err"))"
	elif ! grep -Eq -- "$pattern" "$tmp/err"; then
		ko "kbsearch $*: standard error does not match '$pattern': $(cat "$tmp/err")"
	elif grep -Ev "^kbsearch: |^Try 'kbsearch ([a-z]+ )?--help'\.$" "$tmp/err" | grep -q .; then
		ko "kbsearch $*: a line of standard error lacks 'kbsearch:': $(cat "$tmp/err")"
	else
		ok
	fi
}

# The usage text is made from the command table: every command is there,
# serve and search's filters included, and each has its own help.
for cmd in index search event code file refs show stats serve help; do
	expect 0 "^  $cmd " --help
done
for opt in --product --product-version --aliases --explain; do
	expect 0 "search .*$opt|^ +.*$opt " --help
done
for cmd in index search event code file refs show stats serve; do
	expect 0 "^Usage: kbsearch $cmd" help "$cmd"
	expect 0 "^Usage: kbsearch $cmd" "$cmd" --help
done
expect 0 '^Usage: kbsearch \[GLOBAL' help
experr 2 "^kbsearch: unknown command 'nosuch'" help nosuch

# Global options before the command.
expect 0 '^articles +[1-9]' --db "$db" stats
expect 0 '"articles": [1-9]' --db "$db" stats --json
expect 0 '^kbsearch [0-9]' --version

# One message per mistake, each line starting with "kbsearch:", no double
# space in the hint, no "bad option" after getopt's own message.
experr 2 "^Try 'kbsearch --help'\.$" nosuch
experr 2 "^kbsearch: missing command" --db "$db"
experr 2 "^kbsearch: search: unknown option '--nosuch'$" search --nosuch x
[ "$(wc -l <"$tmp/err")" -eq 2 ] && ok || ko "search --nosuch: $(cat "$tmp/err")"
experr 2 "^kbsearch: search: option '--db' requires an argument" search --db
experr 2 "^kbsearch: search: option '-n' requires an argument" search -n
experr 2 "^kbsearch: stats: option '--json' takes no argument" stats --json=1
experr 2 "^kbsearch: unknown option '--nosuch'" --nosuch stats
experr 2 "^kbsearch: --color takes" --color=sometimes stats
experr 2 "^kbsearch: 'x' is not an event ID" event --db "$db" x
# an event ID is decimal digits, as the HTTP API reads it
experr 2 "^kbsearch: '\\+5' is not an event ID" event --db "$db" +5
grep -q 'bad option' "$tmp/err" && ko "a redundant 'bad option'" || ok

# A file that cannot be indexed is reported with the program's name.
mkdir "$tmp/bad"
printf '\000\001\002binary\000' >"$tmp/bad/blob.txt"
experr 1 "^kbsearch: .*blob\.txt: " index --db "$tmp/bad.sqlite" "$tmp/bad"

# --db in a mistyped directory is an error and creates nothing; only the
# default location's directories are made.
experr 2 "no such directory" index --db "$tmp/typo/sub/kb.sqlite" "$top/corpus"
[ ! -e "$tmp/typo" ] && ok || ko "index --db created $tmp/typo"
KBSEARCH_DB=$tmp/typo2/kb.sqlite "$kbsearch" index "$top/corpus" >/dev/null 2>&1
[ ! -e "$tmp/typo2" ] && ok || ko "index with KBSEARCH_DB created $tmp/typo2"
XDG_DATA_HOME=$tmp/xdg/data "$kbsearch" index "$top/corpus" >/dev/null 2>&1 \
	&& [ -f "$tmp/xdg/data/kbsearch/kb.sqlite" ] && ok \
	|| ko "index did not create the default database under XDG_DATA_HOME"

# search --product-version is the filter; --version V its older spelling.
paste='The terminal service client has provided an invalid license'
expect 0 '' search --db "$db" --product-version 4.0 "$paste"
cp "$tmp/out" "$tmp/pv"
expect 0 '' search --db "$db" --version 4.0 "$paste"
cmp -s "$tmp/out" "$tmp/pv" && ok || ko "search --version V differs from --product-version V"

# search with no TEXT on a terminal: says it reads standard input, and
# one Ctrl-D at the start of a line ends the paste.
if "$py" -c 'import pty' 2>/dev/null; then
	"$py" - "$kbsearch" "$db" "$paste" >"$tmp/pty" 2>&1 <<'PYEOF'
import os, subprocess, sys, time
kbsearch, db, paste = sys.argv[1:4]
master, slave = os.openpty()
p = subprocess.Popen([kbsearch, "search", "--db", db], stdin=slave,
                     stdout=subprocess.PIPE, stderr=subprocess.PIPE)
os.close(slave)
os.write(master, paste.encode() + b"\n\x04")
try:
    out, err = p.communicate(timeout=10)
except subprocess.TimeoutExpired:
    p.kill()
    print("search did not end after one Ctrl-D")
    sys.exit(1)
if b"standard input" not in err or b"Ctrl-D" not in err:
    print("no prompt on standard error:", err)
    sys.exit(1)
if p.returncode != 0 or not out:
    print("exit", p.returncode, out, err)
    sys.exit(1)
PYEOF
	[ $? -eq 0 ] && ok || ko "search on a terminal: $(cat "$tmp/pty")"
fi

# Every article has an id every command accepts: an article without a
# KB id shows "A" and 10 hex digits, never its path, and show, refs and
# JSON take that id (any case) and show also its file's path.
expect 0 '' event --db "$db" 1003
aid=$(sed -n 's/^\(A[0-9A-F]\{10\}\) .*/\1/p' "$tmp/out" | head -n 1)
[ -n "$aid" ] && ok || ko "event 1003: no article id: $(cat "$tmp/out")"
grep -q '^/' "$tmp/out" && ko "event 1003: a path in the id column" || ok
expect 0 "^$aid: Rds Cal License" show --db "$db" "$aid"
expect 0 "^$aid: " show --db "$db" "$(echo "$aid" | tr 'A-F' 'a-f')"
src=$(sed -n 's/^Sources: *//p' "$tmp/out")
expect 0 "^$aid: " show --db "$db" "$src"
expect 0 "\"kb_id\": \"$aid\"" show --db "$db" --json "$aid"
expect 1 '' refs --db "$db" "$aid"
experr 1 'no such article' show --db "$db" A0000000000
expect 0 "^$aid " search --db "$db" rds cal license registry key

# Text output fitted to the width, white space collapsed, matches marked
# as **word** off a terminal (never [word]), escapes only when asked.
lic='The terminal service client has provided an invalid license'
COLUMNS=40 "$kbsearch" search --db "$db" -n 5 "$lic" >"$tmp/out" 2>"$tmp/err"
LC_ALL=C.UTF-8 grep -Eq '^    .{37,}' "$tmp/out" && ko "snippet lines wider than COLUMNS=40: $(cat "$tmp/out")" || ok
grep -Eq '^    .*[^ ]  +[^ ]' "$tmp/out" && ko "runs of blanks in a snippet" || ok
grep -q '\*\*invalid\*\*' "$tmp/out" && ok || ko "no **invalid** mark: $(cat "$tmp/out")"
grep -q '\[invalid\]' "$tmp/out" && ko "matches still marked [word]" || ok
grep -q "$(printf '\033')" "$tmp/out" && ko "escape sequences off a terminal" || ok
"$kbsearch" --color=always search --db "$db" -n 1 "$lic" >"$tmp/out" 2>&1
grep -q "$(printf '\033')\[1;31minvalid" "$tmp/out" && ok || ko "--color=always: no highlight"
NO_COLOR=1 "$kbsearch" --color=always search --db "$db" -n 1 "$lic" >"$tmp/out" 2>&1
grep -q "$(printf '\033')" "$tmp/out" && ok || ko "NO_COLOR overrides --color=always"

# JSON: the snippet text plus byte offsets of the matched words.
"$kbsearch" search --db "$db" --json -n 3 "$lic" >"$tmp/out" 2>&1
"$py" - "$tmp/out" <<'PYEOF' && ok || ko "search --json snippet_matches"
import json, sys
doc = json.load(open(sys.argv[1]))
words = set()
for h in doc["results"]:
    snip = h["snippet"].encode()
    assert "[" not in h["snippet"] or not h["snippet_matches"], h
    last = 0
    for s, e in h["snippet_matches"]:
        assert last <= s < e <= len(snip), h
        last = e
        words.add(snip[s:e].decode().lower())
assert "invalid" in words and "license" in words, words
PYEOF

# A misspelt word is reported in the text output and by --explain.
experr 0 '"licnese" read as "license"' search --db "$db" provided an invalid licnese
expect 0 '^corrected: licnese -> license' search --db "$db" --explain provided an invalid licnese

# show goes through $PAGER on a terminal only.
PAGER="cat >$tmp/paged" "$kbsearch" show --db "$db" Q294326 >"$tmp/out" 2>&1
[ ! -e "$tmp/paged" ] && grep -q '^Q294326' "$tmp/out" && ok || ko "show used the pager off a terminal"

# On a terminal: colour unless --color=never, NO_COLOR or TERM=dumb;
# show through the pager.
if "$py" -c 'import pty' 2>/dev/null; then
	KBS_CORPUS=$top/corpus "$py" - "$kbsearch" "$db" "$lic" "$tmp/paged" >"$tmp/pty" 2>&1 <<'PYEOF'
import os, re, subprocess, sys
kbsearch, db, paste, paged = sys.argv[1:5]

def on_tty(args, **env):
    master, slave = os.openpty()
    e = dict(os.environ)
    e.pop("NO_COLOR", None)
    e["TERM"] = "xterm"
    e.update(env)
    p = subprocess.Popen([kbsearch] + args, stdout=slave, stderr=slave,
                         stdin=subprocess.DEVNULL, env=e)
    os.close(slave)
    out = b""
    while True:
        try:
            chunk = os.read(master, 65536)
        except OSError:
            break
        if not chunk:
            break
        out += chunk
    p.wait(timeout=20)
    os.close(master)
    return out

bad = []
search = ["search", "--db", db, "-n", "1", paste]
if b"\033[" not in on_tty(search):
    bad.append("no colour on a terminal")
for args, env in [(["--color=never"] + search, {}),
                  (search, {"NO_COLOR": "1"}),
                  (search, {"TERM": "dumb"})]:
    if b"\033[" in on_tty(args, **env):
        bad.append("colour with %r %r" % (args[0], env))
on_tty(["show", "--db", db, "Q294326"], PAGER="cat >" + paged)
prog = on_tty(["index", "--db", db + ".new", os.environ["KBS_CORPUS"]])
if not re.search(rb"indexing: +[0-9]+% [0-9]+/[0-9]+ files, .*left", prog):
    bad.append("index progress without percentage and time left: %r"
               % prog[-200:])
if not os.path.exists(paged) or b"Q294326" not in open(paged, "rb").read():
    bad.append("show on a terminal did not use $PAGER")
if bad:
    print("; ".join(bad))
    sys.exit(1)
PYEOF
	[ $? -eq 0 ] && ok || ko "on a terminal: $(cat "$tmp/pty")"
fi

# .kbsearchignore and --exclude pass entries over; --verbose lists every
# entry passed over with its reason.
mkdir -p "$tmp/ig/sub" "$tmp/ig/drafts"
cp "$top/corpus/txt/Q100215.TXT" "$tmp/ig/"
cp "$top/corpus/txt/Q100312.TXT" "$tmp/ig/sub/"
cp "$top/corpus/txt/Q101602.TXT" "$tmp/ig/drafts/"
cp "$top/corpus/txt/Q101602.TXT" "$tmp/ig/sub/old.bak"
printf '# not articles\ndrafts/\n*.bak\n' >"$tmp/ig/.kbsearchignore"
printf 'Notes on this folder: copies of a few articles.\n' >"$tmp/ig/README.md"
run index --db "$tmp/ig.sqlite" --verbose --exclude 'Q1003*' "$tmp/ig"
[ "$st" -eq 0 ] &&
	grep -q '^2 files: 1 added.*, 1 not articles.*, 4 passed over' "$tmp/out" \
	&& ok || ko "index with ignores: $(cat "$tmp/out" "$tmp/err")"
for want in "ig/README.md: a collection's documentation, not an article" "ig/drafts: excluded by .*\.kbsearchignore: drafts" \
            "ig/.kbsearchignore: hidden" "sub/old.bak: excluded by .*: \*\.bak" \
            "sub/Q100312.TXT: excluded by --exclude Q1003\*"; do
	grep -q "^kbsearch: skipped .*$want" "$tmp/err" && ok || ko "--verbose lacks '$want': $(cat "$tmp/err")"
done
run index --db "$tmp/ig2.sqlite" "$tmp/ig"
grep -q '^kbsearch: skipped' "$tmp/err" && ko "skipped entries listed without --verbose" || ok
experr 2 "--exclude takes a glob" index --db "$tmp/ig3.sqlite" --exclude '' "$tmp/ig"

# A file with more records than an article keeps: the summary counts what
# was not kept, --verbose names the file.
mkdir -p "$tmp/cap"
{ printf 'Error codes of the frobnicator\n\n'; i=0
  while [ $i -lt 6000 ]; do printf '0x%08X\n' $((0x80070000 + i)); i=$((i + 1)); done
} >"$tmp/cap/codes.txt"
run index --db "$tmp/cap.sqlite" --verbose "$tmp/cap"
[ "$st" -eq 0 ] && grep -q ', 1000 records past the per-article caps not kept in 1 file' "$tmp/out" &&
	grep -q '^kbsearch: .*cap/codes.txt: 1000 records not kept' "$tmp/err" &&
	ok || ko "capped records not reported: $(cat "$tmp/out" "$tmp/err")"

# --offset pages through one ranking.
"$kbsearch" search --db "$db" -n 5 "$lic" 2>/dev/null | grep -E '^[QA][0-9A-F]+ ' | sed -n '3,5p' >"$tmp/top"
"$kbsearch" search --db "$db" -n 3 --offset 2 "$lic" 2>/dev/null | grep -E '^[QA][0-9A-F]+ ' >"$tmp/page"
[ -s "$tmp/page" ] && cmp -s "$tmp/top" "$tmp/page" && ok || ko "search --offset 2 -n 3 is not hits 3-5"
experr 2 "offset" search --db "$db" --offset -1 x

# Ctrl-C during index stops after the current file and keeps the work.
# Another connection holds the write lock, so the run is certain to be
# waiting on its first file to write (f1.txt: f0.txt is unchanged and
# needs no write) when the signal comes.
mkdir "$tmp/many"
i=0
while [ $i -lt 50 ]; do
	printf 'Widget %s fails\n\nThe frobnicator %s reports error 0x8007000E.\n' $i $i >"$tmp/many/f$i.txt"
	i=$((i + 1))
done
"$kbsearch" index --db "$tmp/int.sqlite" "$tmp/many/f0.txt" >/dev/null 2>&1
"$py" - "$kbsearch" "$tmp/int.sqlite" "$tmp/many" >"$tmp/intr" 2>&1 <<'PYEOF'
import signal, sqlite3, subprocess, sys, time
kbsearch, db, d = sys.argv[1:4]
con = sqlite3.connect(db, isolation_level=None)
con.execute("PRAGMA journal_mode = WAL")  # a writer as kbsearch is one
con.execute("BEGIN IMMEDIATE")
p = subprocess.Popen([kbsearch, "index", "--db", db, d],
                     stdout=subprocess.PIPE, stderr=subprocess.PIPE)
time.sleep(0.5)
p.send_signal(signal.SIGINT)
time.sleep(0.2)
con.execute("ROLLBACK")
out, err = p.communicate(timeout=30)
if p.returncode != 2 or b"interrupted after 2 file" not in err:
    print("exit", p.returncode, out, err)
    sys.exit(1)
PYEOF
[ $? -eq 0 ] && ok || ko "index interrupted: $(cat "$tmp/intr")"
"$kbsearch" index --db "$tmp/int.sqlite" "$tmp/many" >"$tmp/out" 2>&1
grep -Eq '^50 files: 4[89] added, 0 updated, [12] unchanged' "$tmp/out" \
	&& ok || ko "after an interrupt: $(cat "$tmp/out")"

# The server is kbsearch-serve: `kbsearch serve` runs it, and kbsearch
# itself does not load libmicrohttpd (nor its TLS libraries) at start.
experr 2 "^kbsearch: serve: unknown option '--nosuch'$" serve --nosuch
experr 2 "^kbsearch: [^ ]*/nosuch.sqlite: " --db "$tmp/nosuch.sqlite" serve
exe=${KBS_TOP_BUILDDIR:-.}/.libs/kbsearch
[ -x "$exe" ] || exe=${KBS_TOP_BUILDDIR:-.}/kbsearch
if command -v readelf >/dev/null 2>&1 && readelf -d "$exe" >"$tmp/dyn" 2>/dev/null; then
	grep -q 'NEEDED.*libkbsearch\|NEEDED.*libc\.' "$tmp/dyn" && ok || ko "readelf -d $exe: no NEEDED entries"
	grep -q 'NEEDED.*microhttpd' "$tmp/dyn" && ko "$exe links libmicrohttpd" || ok
fi

# A build leaves a git checkout clean: what make generates is ignored.
# (Only at the top of a checkout: a dist tree unpacked inside another
# checkout, as make distcheck does, has no .gitignore of its own.)
if command -v git >/dev/null 2>&1 &&
   [ "$(git -C "$top" rev-parse --show-toplevel 2>/dev/null)" = \
     "$(cd "$top" && pwd -P)" ]; then
	for f in src/aliases.c man/kbsearch.1 src/schema.c kbsearch kbsearch-serve \
	         bench/bench_index bench/bench_search tests/check_kbsearch; do
		git -C "$top" check-ignore -q "$f" && ok || ko "$f is not in .gitignore"
	done
fi

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ] && [ "$pass" -gt 0 ]
