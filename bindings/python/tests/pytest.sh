#!/bin/sh
# pytest.sh - the Python binding's pytest suite, against the freshly built
# library.
#
# Points $KBSEARCH_LIBRARY at the shared library in the build tree (its
# file name from libtool's libkbsearch.la) and runs
# `$PYTEST_PYTHON -m pytest bindings/python/tests`. When $PYTHON (the
# interpreter `make install` installs for) is another one, it also runs the
# example script with it, so that both are known to work. Exit status 77
# (skipped) when configure found no Python with pytest, or the library was
# built static only.

top_srcdir=${KBS_TOP_SRCDIR:-$(cd "$(dirname "$0")/../../.." && pwd)}
builddir=${KBS_TOP_BUILDDIR:-.}
fail() { echo "pytest.sh: FAIL: $*" >&2; exit 1; }

if [ -z "$PYTEST_PYTHON" ]; then
	echo "pytest.sh: SKIP: no Python with pytest (configure: PYTEST_PYTHON=;" \
		"install python3-pytest, or --disable-python)"
	exit 77
fi
dlname=$(sed -n "s/^dlname='\(.*\)'$/\1/p" "$builddir/libkbsearch.la")
if [ -z "$dlname" ]; then
	echo "pytest.sh: SKIP: no shared libkbsearch in $builddir (--disable-shared?)"
	exit 77
fi
KBSEARCH_LIBRARY=$(cd "$builddir" && pwd)/.libs/$dlname
[ -f "$KBSEARCH_LIBRARY" ] || fail "$KBSEARCH_LIBRARY not built"
# No bytecode or pytest cache in the source tree (read-only in distcheck).
PYTHONDONTWRITEBYTECODE=1
KBS_TOP_SRCDIR=$top_srcdir
export KBSEARCH_LIBRARY PYTHONDONTWRITEBYTECODE KBS_TOP_SRCDIR

# A library built with AddressSanitizer (CI's sanitizer build) needs its
# runtime loaded first in an interpreter that is not: preload it, and leave
# leak reports out (the interpreter's own allocations live to its exit).
asan=$(ldd "$KBSEARCH_LIBRARY" 2>/dev/null | sed -n 's/^[[:space:]]*libasan[^ ]* => \([^ ]*\).*/\1/p')
if [ -n "$asan" ]; then
	LD_PRELOAD=$asan${LD_PRELOAD:+:$LD_PRELOAD}
	ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0
	export LD_PRELOAD ASAN_OPTIONS
	echo "pytest.sh: AddressSanitizer build: $asan preloaded"
fi

pkg=$top_srcdir/bindings/python
echo "pytest.sh: $PYTEST_PYTHON -m pytest, library $KBSEARCH_LIBRARY"
"$PYTEST_PYTHON" -m pytest -p no:cacheprovider -q "$pkg/tests" || exit 1

if [ -n "$PYTHON" ] && [ "$PYTHON" != : ] &&
   [ "$(command -v "$PYTHON")" != "$PYTEST_PYTHON" ]; then
	# The interpreter of `make install`, without pytest: the example.
	tmp=$(mktemp -d "${TMPDIR:-/tmp}/kbs-pytest.XXXXXX") || fail "mktemp"
	trap 'rm -rf "$tmp"' EXIT INT TERM
	PYTHONPATH=$pkg "$PYTHON" -c '
import sys, kbsearch
with kbsearch.Database(sys.argv[1], mode="w") as db:
    db.index(sys.argv[2])' "$tmp/kb.sqlite" "$top_srcdir/corpus/seeds" \
		|| fail "indexing the seeds"
	printf 'Source: TermService\nEvent ID: 1003\nDescription:\nThe terminal service client has provided an invalid license.\n' |
	PYTHONPATH=$pkg "$PYTHON" "$pkg/examples/search.py" "$tmp/kb.sqlite" \
		>"$tmp/out" || fail "$PYTHON examples/search.py: exit $?"
	first=$(head -n 1 "$tmp/out" | cut -f 1)
	[ "$first" = Q294326 ] || fail "$PYTHON examples/search.py: first hit '$first'"
	echo "pytest.sh: $PYTHON examples/search.py: ok"
fi
exit 0
