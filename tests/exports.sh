#!/bin/sh
# exports.sh - the shared library exports the kbs_ API and nothing else.
#
# Lists the dynamic symbols libkbsearch.so defines and fails on any that
# is not kbs_<lowercase>..., in particular on kbs__ internals, which the
# -export-symbols-regex in Makefile.am is meant to keep hidden.
# Run from the build directory (make check), or pass it as $1.

builddir=${1:-${KBS_TOP_BUILDDIR:-.}}
lib=$builddir/.libs/libkbsearch.so
nm=${NM:-nm}

fail() { echo "exports: FAIL: $*" >&2; exit 1; }

[ -e "$lib" ] || fail "$lib not found (shared library not built?)"
syms=$($nm -D --defined-only "$lib" | awk 'NF >= 3 && $2 != "A" { print $3 }' | sort -u) \
	|| fail "$nm -D --defined-only $lib failed"
[ -n "$syms" ] || fail "$lib exports no symbols at all"

n=$(printf '%s\n' "$syms" | wc -l)
leaked=$(printf '%s\n' "$syms" | grep '^kbs__')
[ -z "$leaked" ] || fail "internal kbs__ symbols exported:
$leaked"
foreign=$(printf '%s\n' "$syms" | grep -v '^kbs_[a-z]')
[ -z "$foreign" ] || fail "symbols without the kbs_ prefix exported:
$foreign"
for want in kbs_db_open kbs_search_text kbs_results_next kbs_status_str; do
	printf '%s\n' "$syms" | grep -qx "$want" || fail "$want is not exported"
done
echo "exports: ok, $n symbols, all kbs_"
