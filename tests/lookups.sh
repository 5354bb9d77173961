#!/bin/sh
# lookups.sh - the code, file and refs commands end to end: output, JSON,
# exit statuses (0 found, 1 nothing found, 2 usage or runtime error with a
# one-line message on standard error).
#
# Runs against a database built from the bundled corpus/. Prints one line
# per failure and a closing "N passed, N failed" line; exits 1 when any
# check fails.
set -u
top=${KBS_TOP_SRCDIR:-$(cd "$(dirname "$0")/.." && pwd)}
kbsearch=${KBSEARCH:-./kbsearch}
tmp=$(mktemp -d "${TMPDIR:-/tmp}/kbs-lookups.XXXXXX") || exit 2
trap 'rm -rf "$tmp"' EXIT INT TERM
db=$tmp/kb.sqlite

if ! "$kbsearch" index --db "$db" "$top/corpus" >"$tmp/index.log" 2>&1; then
	echo "lookups: indexing the bundled corpus failed:"
	cat "$tmp/index.log"
	exit 1
fi

pass=0
fail=0
ok() { pass=$((pass + 1)); }
ko() { fail=$((fail + 1)); echo "FAIL: $*"; }

# expect STATUS PATTERN ARGS...: the exit status is STATUS and standard
# output matches the extended regular expression PATTERN ('' for none).
expect() {
	want=$1 pattern=$2
	shift 2
	"$kbsearch" "$@" >"$tmp/out" 2>"$tmp/err"
	st=$?
	if [ "$st" -ne "$want" ]; then
		ko "kbsearch $*: exit $st, expected $want ($(head -n 1 "$tmp/err"))"
	elif [ -n "$pattern" ] && ! grep -Eq -- "$pattern" "$tmp/out"; then
		ko "kbsearch $*: output does not match '$pattern'"
	elif [ "$st" -eq 2 ] && [ "$(wc -l <"$tmp/err")" -lt 1 ]; then
		ko "kbsearch $*: exit 2 without a message"
	else
		ok
	fi
}

# code: every notation of one code, a negative decimal not taken for an
# option, the Win32/HRESULT twin, STOP codes, JSON, nothing found, errors.
for c in 0xC0000005 C0000005 c0000005 3221225477 -1073741819; do
	expect 0 '^Q103147 +0xC0000005 +0xc0000005 ' code --db "$db" "$c"
	expect 0 '^Q140957 +0xC0000005 +c0000005 ' code --db "$db" "$c"
done
expect 0 '^Q126399 +0x00000005 +00000005 ' code --db "$db" 0x80070005
expect 0 '^Q126399 ' code --db "$db" -- -2147024891
expect 0 '^Q225212 ' code --db "$db" 'STOP 0x0000000A'
expect 0 '"notation": "-1811"' code --json --db "$db" -1811
expect 1 '' code --db "$db" 0xDEADBEEF
expect 1 '"results": \[\]' code --db "$db" --json 0xDEADBEEF
expect 2 '' code --db "$db" hello
expect 2 '' code --db "$db"
expect 2 '' code --db "$db" 1 2
expect 0 '^Usage: kbsearch code' code --help

# file: case-insensitive, the row's fields, the build column, errors.
expect 0 '^Q238186 +- +x86 +1999-07-22 ' file --db "$db" TERMSRV.EXE
expect 0 '^Q238186 +\? +- ' file --db "$db" termsrv.exe 4.0.1381.33
expect 0 '"size": 62224' file --db "$db" --json ICAAPI.DLL
expect 0 '"build": null' file --db "$db" --json icaapi.dll 5.0
expect 1 '' file --db "$db" nosuchfile.dll
expect 2 '' file --db "$db" termsrv.exe N/A
expect 2 '' file --db "$db" a b c
expect 0 '^Usage: kbsearch file' file --help

# refs: both groups, a target not in the database, JSON, errors.
expect 0 '^cites +Q300672 +\(not in the database\)' refs --db "$db" Q297795
expect 0 '^cited-by +Q248124 +XADM' refs --db "$db" 256986
expect 0 '"relation": "cited_by"' refs --db "$db" --json KB256986
expect 1 '' refs --db "$db" Q1
expect 2 '' refs --db "$db" hello
expect 0 '^Usage: kbsearch refs' refs --help

# the commands are listed by kbsearch --help
for cmd in code file refs; do
	expect 0 "^  $cmd " --help
done

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ] && [ "$pass" -gt 0 ]
