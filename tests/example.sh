#!/bin/sh
# example.sh - examples/search, built against the library, finds Q187087.
#
# Indexes the bundled corpus/ with the built kbsearch into a temporary
# database, runs examples/search on a message box text from Q187087 and
# checks that article comes first. Then checks the error path: a missing
# database is exit status 2 with a message.

top_srcdir=${KBS_TOP_SRCDIR:-..}
builddir=${KBS_TOP_BUILDDIR:-.}
kbsearch=${KBSEARCH:-$builddir/kbsearch}
example=$builddir/examples/search

fail() { echo "example: FAIL: $*" >&2; exit 1; }

tmp=$(mktemp -d "${TMPDIR:-/tmp}/kbs-example.XXXXXX") || fail "mktemp"
trap 'rm -rf "$tmp"' EXIT INT TERM

[ -x "$example" ] || fail "$example not built"
"$kbsearch" index --db "$tmp/kb.sqlite" "$top_srcdir/corpus" >"$tmp/index.out" \
	|| fail "kbsearch index $top_srcdir/corpus: exit $? ($(cat "$tmp/index.out"))"

"$example" "$tmp/kb.sqlite" "invalid key = missing module" >"$tmp/out" 2>"$tmp/err" \
	|| fail "examples/search exit $?: $(cat "$tmp/err")"
cat "$tmp/out"
first=$(head -n 1 "$tmp/out" | cut -f 1)
[ "$first" = Q187087 ] || fail "first hit is '$first', expected Q187087"
awk -F '\t' 'NF != 3 || $2 !~ /^[0-9.-]+$/ { exit 1 }' "$tmp/out" \
	|| fail "output lines are not 'KBID<TAB>SCORE<TAB>TITLE'"

# The same paste through standard input.
printf 'invalid key = missing module\n' | "$example" "$tmp/kb.sqlite" >"$tmp/out2" \
	|| fail "examples/search on stdin: exit $?"
[ "$(head -n 1 "$tmp/out2" | cut -f 1)" = Q187087 ] \
	|| fail "stdin: first hit is not Q187087"

# Errors: a missing database is status 2 and says why.
"$example" "$tmp/missing.sqlite" "x" >/dev/null 2>"$tmp/err"
st=$?
[ $st -eq 2 ] || fail "missing database: exit $st, expected 2"
[ -s "$tmp/err" ] || fail "missing database: no message on stderr"
echo "example: ok"
