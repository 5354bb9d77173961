#!/bin/sh
# queries.sh - end-to-end query cases, run through the kbsearch command.
#
# Each directory tests/queries/CASE holds `input` (the paste, fed on
# standard input) and `expected` (KB ids, one per line: the first-ranked
# hit must be one of them). The cases run against a database built from
# the bundled corpus/. Prints one line per failure and a closing
# "N passed, N failed" line; exits 1 when any case fails.
set -u
top=${KBS_TOP_SRCDIR:-$(cd "$(dirname "$0")/.." && pwd)}
kbsearch=${KBSEARCH:-./kbsearch}
tmp=$(mktemp -d "${TMPDIR:-/tmp}/kbs-queries.XXXXXX") || exit 2
trap 'rm -rf "$tmp"' EXIT INT TERM
db=$tmp/kb.sqlite

if ! "$kbsearch" index --db "$db" "$top/corpus" >"$tmp/index.log" 2>&1; then
	echo "queries: indexing the bundled corpus failed:"
	cat "$tmp/index.log"
	exit 1
fi

pass=0
fail=0
for dir in "$top"/tests/queries/*/; do
	name=$(basename "$dir")
	[ -f "$dir/input" ] && [ -f "$dir/expected" ] || continue
	got=$("$kbsearch" search --db "$db" --json -n 5 <"$dir/input" |
	      sed -n 's/.*"kb_id": "\([^"]*\)".*/\1/p' | head -n 1)
	if [ -n "$got" ] && grep -qx "$got" "$dir/expected"; then
		pass=$((pass + 1))
	else
		fail=$((fail + 1))
		echo "FAIL: $name: expected $(tr '\n' ' ' <"$dir/expected")got '${got:-nothing}'"
	fi
done
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ] && [ "$pass" -gt 0 ]
