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

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ] && [ "$pass" -gt 0 ]
