#!/bin/sh
# index.sh - kbsearch index end to end: the list of files from a file or
# standard input (--files-from, -0), and a path that holds no article
# reported on standard error with a non-zero exit status.
#
# Prints one line per failure and a closing "N passed, N failed" line;
# exits 1 when any check fails.
set -u
top=${KBS_TOP_SRCDIR:-$(cd "$(dirname "$0")/.." && pwd)}
kbsearch=${KBSEARCH:-./kbsearch}
tmp=$(mktemp -d "${TMPDIR:-/tmp}/kbs-index.XXXXXX") || exit 2
trap 'rm -rf "$tmp"' EXIT INT TERM
layout=$top/tests/data/layout

pass=0
fail=0
ok() { pass=$((pass + 1)); }
ko() { fail=$((fail + 1)); echo "FAIL: $*"; }

# check WHAT STATUS WANT: the last command exited with WANT.
check() {
	if [ "$2" -eq "$3" ]; then ok; else ko "$1: exit $2, expected $3"; fi
}
# grep_check WHAT PATTERN FILE
grep_check() {
	if grep -Eq -- "$2" "$3"; then ok
	else ko "$1: '$2' not in: $(head -n 3 "$3")"; fi
}

# The archive's layout: the KB page named README.md is an article, the
# navigation page and the site's README are not, and nothing failed.
"$kbsearch" index --db "$tmp/a.sqlite" "$layout" >"$tmp/out" 2>"$tmp/err"
check "index layout" $? 0
grep_check "index layout" '^5 files: 2 added, .* 0 failed, 3 not articles' "$tmp/out"
"$kbsearch" show --db "$tmp/a.sqlite" Q101009 >"$tmp/out" 2>"$tmp/err"
check "show Q101009" $? 0

# Paths from standard input, one a line, and NUL-separated from a file.
find "$layout/kb" "$layout/docs/kb" -type f |
	"$kbsearch" index --db "$tmp/b.sqlite" --files-from - >"$tmp/out" 2>"$tmp/err"
check "--files-from -" $? 0
grep_check "--files-from -" '^2 files: 2 added' "$tmp/out"
find "$layout/kb" -type f -print0 >"$tmp/list0"
"$kbsearch" index --db "$tmp/c.sqlite" --files-from "$tmp/list0" -0 >"$tmp/out" 2>"$tmp/err"
check "--files-from -0" $? 0
grep_check "--files-from -0" '^1 files: 1 added' "$tmp/out"
"$kbsearch" index --db "$tmp/c.sqlite" --files-from "$tmp/missing" >"$tmp/out" 2>"$tmp/err"
check "--files-from missing" $? 2
grep_check "--files-from missing" 'missing' "$tmp/err"

# A path with no article: one line naming it and what was passed over.
"$kbsearch" index --db "$tmp/d.sqlite" "$layout/docs/id" >"$tmp/out" 2>"$tmp/err"
check "index docs/id" $? 1
grep_check "index docs/id" "docs/id: no article found: 2 navigation pages skipped" "$tmp/err"
mkdir "$tmp/empty"
"$kbsearch" index --db "$tmp/d.sqlite" "$tmp/empty" >"$tmp/out" 2>"$tmp/err"
check "index empty dir" $? 1
grep_check "index empty dir" "empty: no article found" "$tmp/err"

echo "index: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
