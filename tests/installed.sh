#!/bin/sh
# installed.sh - the installed library works for a program built elsewhere.
#
# Usage: tests/installed.sh BUILDDIR
#
# Runs `make install DESTDIR=$tmp` in BUILDDIR, then builds
# examples/search.c the way an embedding program would: only the installed
# header, library and kbsearch.pc, through pkg-config (with
# PKG_CONFIG_SYSROOT_DIR=$tmp so that the .pc's prefix lands in the staging
# directory). It indexes the bundled corpus with the installed kbsearch and
# checks that the example finds Q187087 first, and that the installed
# `kbsearch serve` runs the kbsearch-serve installed next to it. Not part
# of `make check`: CI calls it after the build. Exit status 0 on success,
# 1 on any failure, with the reason on standard error.

set -u

fail() { echo "installed.sh: FAIL: $*" >&2; exit 1; }
say() { echo "installed.sh: $*"; }

[ $# -eq 1 ] || { echo "usage: $0 BUILDDIR" >&2; exit 2; }
build=$(cd "$1" 2>/dev/null && pwd) || fail "no build directory $1"
[ -f "$build/Makefile" ] || fail "$build has no Makefile (run configure)"
make=${MAKE:-make}

# Installation directories as configured, with variables expanded by make.
mkvar() {
	printf 'kbs-print-%%:\n\t@echo $($*)\n' |
	$make -s --no-print-directory -C "$build" -f Makefile -f - \
		"kbs-print-$1"
}
srcdir=$(mkvar abs_top_srcdir) && [ -n "$srcdir" ] || fail "cannot read abs_top_srcdir"
bindir=$(mkvar bindir) || fail "cannot read bindir"
libdir=$(mkvar libdir) || fail "cannot read libdir"
includedir=$(mkvar includedir) || fail "cannot read includedir"
mandir=$(mkvar mandir) || fail "cannot read mandir"
cc=$(mkvar CC)
cc=${CC:-${cc:-cc}}

tmp=$(mktemp -d "${TMPDIR:-/tmp}/kbs-installed.XXXXXX") || fail "mktemp"
trap 'rm -rf "$tmp"' EXIT INT TERM
dest=$tmp/root

say "make install DESTDIR=$dest"
$make -s -C "$build" install DESTDIR="$dest" >"$tmp/install.log" 2>&1 \
	|| { cat "$tmp/install.log" >&2; fail "make install failed"; }

for f in "$bindir/kbsearch" "$bindir/kbsearch-serve" "$includedir/kbsearch.h" \
         "$libdir/libkbsearch.so" "$libdir/pkgconfig/kbsearch.pc" \
         "$mandir/man1/kbsearch.1" "$mandir/man1/kbsearch-serve.1" \
         "$mandir/man3/libkbsearch.3"; do
	[ -e "$dest$f" ] || fail "not installed: $f"
done
# the man page names the alias file where this prefix put it
pkgdatadir=$(mkvar pkgdatadir) || fail "cannot read pkgdatadir"
grep -q "$pkgdatadir/aliases.txt" "$dest$mandir/man1/kbsearch.1" \
	|| fail "kbsearch.1 does not name $pkgdatadir/aliases.txt"
# shell completion, for bash and zsh
bashcomp=$(mkvar bashcompletiondir) || fail "cannot read bashcompletiondir"
zshcomp=$(mkvar zshcompletiondir) || fail "cannot read zshcompletiondir"
[ -f "$dest$bashcomp/kbsearch" ] || fail "not installed: $bashcomp/kbsearch"
[ -f "$dest$zshcomp/_kbsearch" ] || fail "not installed: $zshcomp/_kbsearch"

# pkg-config sees only the staged copy; the sysroot prefixes its -I/-L.
PKG_CONFIG_PATH=$dest$libdir/pkgconfig
PKG_CONFIG_SYSROOT_DIR=$dest
export PKG_CONFIG_PATH PKG_CONFIG_SYSROOT_DIR
pkg-config --exists --print-errors kbsearch \
	|| fail "pkg-config cannot use kbsearch.pc (Requires.private missing?)"
[ "$(pkg-config --modversion kbsearch)" = "$(mkvar PACKAGE_VERSION)" ] \
	|| fail "kbsearch.pc version $(pkg-config --modversion kbsearch)"
flags=$(pkg-config --cflags --libs kbsearch) || fail "pkg-config --cflags --libs kbsearch"
say "pkg-config --cflags --libs kbsearch: $flags"
case $flags in
*"-I$dest$includedir"*) ;;
*) fail "cflags do not point into the staged include dir: $flags" ;;
esac
case $flags in
*"-L$dest$libdir"*) ;;
*) fail "libs do not point into the staged lib dir: $flags" ;;
esac

# Build the example out of tree, as an embedding program would.
cp "$srcdir/examples/search.c" "$tmp/search.c" || fail "no examples/search.c in $srcdir"
# shellcheck disable=SC2086 # the flags are words
$cc -std=c11 -Wall -Wextra -Werror -o "$tmp/search" "$tmp/search.c" $flags \
	>"$tmp/cc.log" 2>&1 || { cat "$tmp/cc.log" >&2; fail "compiling examples/search.c against the installed library"; }

LD_LIBRARY_PATH=$dest$libdir${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}
export LD_LIBRARY_PATH
if command -v ldd >/dev/null 2>&1; then
	lib=$(ldd "$tmp/search" | awk '/libkbsearch/ { print $3 }')
	case $lib in
	"$dest"/*) ;;
	*) fail "the example loads libkbsearch from '$lib', not from $dest$libdir" ;;
	esac
fi

"$dest$bindir/kbsearch" index --db "$tmp/kb.sqlite" "$srcdir/corpus" \
	>"$tmp/index.log" 2>&1 \
	|| { cat "$tmp/index.log" >&2; fail "installed kbsearch index failed"; }
"$tmp/search" "$tmp/kb.sqlite" "invalid key = missing module" \
	>"$tmp/out" 2>"$tmp/err"
st=$?
[ $st -eq 0 ] || { cat "$tmp/err" >&2; fail "installed example: exit $st"; }
first=$(head -n 1 "$tmp/out" | cut -f 1)
[ "$first" = Q187087 ] || { cat "$tmp/out" >&2; fail "first hit is '$first', expected Q187087"; }
say "ok: $(head -n 1 "$tmp/out")"

# `kbsearch serve` runs the kbsearch-serve next to it, wherever the
# installed pair is (here under DESTDIR), and serves the database; a
# kbsearch without it says which path it tried.
"$dest$bindir/kbsearch" --db "$tmp/kb.sqlite" serve --listen 127.0.0.1:0 \
	>"$tmp/url" 2>"$tmp/serve.err" &
spid=$!
for _ in 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20; do
	[ -s "$tmp/url" ] && break
	sleep 0.25
done
kill "$spid" 2>/dev/null
wait "$spid"
url=$(head -n 1 "$tmp/url")
case $url in
http://127.0.0.1:*) ;;
*) cat "$tmp/serve.err" >&2; fail "installed kbsearch serve printed '$url', not its URL" ;;
esac
"$dest$bindir/kbsearch-serve" --help >"$tmp/out" 2>&1 \
	&& grep -q '^Usage: kbsearch serve' "$tmp/out" \
	|| { cat "$tmp/out" >&2; fail "installed kbsearch-serve --help"; }
mkdir "$tmp/alone" && cp "$dest$bindir/kbsearch" "$tmp/alone/" \
	|| fail "copying kbsearch"
"$tmp/alone/kbsearch" serve --help >"$tmp/out" 2>"$tmp/err"
st=$?
[ $st -eq 2 ] && grep -q "^kbsearch: serve: cannot run $tmp/alone/kbsearch-serve: " "$tmp/err" \
	|| { cat "$tmp/err" >&2; fail "kbsearch serve without kbsearch-serve: exit $st"; }
say "ok: kbsearch serve runs kbsearch-serve ($url)"

# The Python binding, when configured: installed in pythondir with a
# _config.py naming the final libdir, and working from the staged copy
# (where only $KBSEARCH_LIBRARY can point at the staged library).
python=$(mkvar PYTHON)
if [ -n "$python" ] && [ "$python" != : ]; then
	pythondir=$(mkvar pythondir) || fail "cannot read pythondir"
	pkg=$dest$pythondir/kbsearch
	for f in __init__.py _capi.py _config.py py.typed; do
		[ -f "$pkg/$f" ] || fail "not installed: $pythondir/kbsearch/$f"
	done
	dlname=$(sed -n "s/^dlname='\(.*\)'$/\1/p" "$build/libkbsearch.la")
	grep -qx "LIBDIR = \"$libdir\"" "$pkg/_config.py" \
		|| fail "$pythondir/kbsearch/_config.py does not name $libdir"
	printf 'Event ID: 1003\nSource: TermService\nThe terminal service client has provided an invalid license.\n' |
	PYTHONPATH=$dest$pythondir KBSEARCH_LIBRARY=$dest$libdir/$dlname \
		"$python" -c 'import sys, kbsearch
assert kbsearch.__file__.startswith(sys.argv[1]), kbsearch.__file__
with kbsearch.Database(sys.argv[2]) as db:
    print(db.search(sys.stdin.read())[0].kb_id)' "$pkg" "$tmp/kb.sqlite" \
		>"$tmp/py.out" 2>&1 || { cat "$tmp/py.out" >&2; fail "installed Python binding"; }
	[ "$(cat "$tmp/py.out")" = Q294326 ] || fail "Python binding: first hit '$(cat "$tmp/py.out")'"
	say "ok: $python, kbsearch from $pythondir: Q294326"
fi
