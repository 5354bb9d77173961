#!/bin/sh
# run.sh - build the libFuzzer targets and run each for a while.
#
# Usage: fuzz/run.sh [SECONDS] [TARGET...]
#
# Builds every target (or the ones named: kbtxt markdown html plain parse
# paste search aliases) with clang -fsanitize=fuzzer,address,undefined,
# UBSan halting on the first error, then runs each for SECONDS (default
# 60; 0 builds only) from its seeds and dictionary, and prints one line
# per target: executions, time, coverage (libFuzzer's cov: and ft:
# counters), corpus size and the outcome. Exit status 0 when no target
# found anything, 1 otherwise; a finding's input is saved as
# OUT/crashes/TARGET-crash-<sha1> (or leak-, timeout-, oom-) and its report
# is OUT/TARGET.log. See fuzz/README.md for long runs and for turning a
# finding into a regression test.
#
# Environment: KBS_BUILDDIR, a configured build directory (default: the
# source tree itself), whose make generates src/schema.c and
# src/aliases.c; the outputs go to KBS_BUILDDIR/fuzz-out (OUT). CC (default
# clang), JOBS (parallel compiles, default 2), FUZZ_FLAGS (more libFuzzer
# flags, e.g. "-jobs=2 -workers=2").
set -eu

srcdir=$(cd "$(dirname "$0")/.." && pwd)
build=$(cd "${KBS_BUILDDIR:-$srcdir}" && pwd)
out=$build/fuzz-out
cc=${CC:-clang}
case $cc in *clang*) ;; *) cc=clang ;; esac
seconds=${1:-60}
[ $# -gt 0 ] && shift
all="kbtxt markdown html plain parse paste search aliases http"
targets=${*:-$all}

[ -f "$build/Makefile" ] || {
	echo "run.sh: $build is not configured: run ./configure first" >&2
	exit 2
}
command -v "$cc" >/dev/null || {
	echo "run.sh: clang not found (apt-get install clang libclang-rt-14-dev)" >&2
	exit 2
}
make -s -C "$build" src/schema.c src/aliases.c

san="-fsanitize=address,undefined -fno-sanitize-recover=undefined"
cflags="-g -O1 -fno-omit-frame-pointer -std=gnu11 $san
 -I$srcdir/include -I$srcdir/src -I$srcdir/indexer -I$srcdir/query
 -I$srcdir/paste
 $(pkg-config --cflags sqlite3 libxml-2.0 libcmark yaml-0.1 libzstd uchardet)"
libs="$(pkg-config --libs sqlite3 libxml-2.0 libcmark yaml-0.1 libzstd uchardet) -lpthread -lm"

# The library, compiled afresh each time (no header dependencies to
# track), two files at a time.
mkdir -p "$out/obj" "$out/bin" "$out/crashes"
rm -f "$out"/obj/*.o
n=0
for f in $(ls "$srcdir"/src/*.c "$srcdir"/indexer/*.c "$srcdir"/query/*.c \
         "$srcdir"/paste/*.c \
         "$build/src/schema.c" "$build/src/aliases.c" | sort -u); do
	o=$out/obj/$(basename "$(dirname "$f")")_$(basename "$f" .c).o
	# shellcheck disable=SC2086
	"$cc" -c -fsanitize=fuzzer-no-link $cflags "$f" -o "$o" &
	n=$((n + 1))
	[ $((n % ${JOBS:-2})) -ne 0 ] || wait
done
wait
[ "$(ls "$out"/obj/*.o | wc -l)" -eq "$n" ] || {
	echo "run.sh: the library did not compile" >&2
	exit 1
}

# target: source, parser macro, seed directories, dictionaries, max length
spec() {
	c=$srcdir/corpus q=$srcdir/tests/queries d=$srcdir/fuzz/dict
	case $1 in
	kbtxt) echo "fuzz_parser.c -DPARSER=kbs__parse_kbtxt|$c/txt|$d/kbtext.dict|65536" ;;
	markdown) echo "fuzz_parser.c -DPARSER=kbs__parse_markdown|$c/md $c/seeds|$d/markup.dict $d/kbtext.dict|65536" ;;
	html) echo "fuzz_parser.c -DPARSER=kbs__parse_html|$c/html|$d/markup.dict $d/kbtext.dict|65536" ;;
	plain) echo "fuzz_parser.c -DPARSER=kbs__parse_plain|$c/seeds|$d/kbtext.dict|65536" ;;
	parse) echo "fuzz_parser.c -DPARSER=kbs__parse|$c/txt $c/md $c/html $c/seeds|$d/kbtext.dict $d/markup.dict|65536" ;;
	paste) echo "fuzz_paste.c|$q $c/seeds|$d/kbtext.dict $d/markup.dict $d/fts5.dict|16384" ;;
	search) echo "fuzz_search.c|$q $c/seeds|$d/fts5.dict $d/kbtext.dict|16384" ;;
	aliases) echo "fuzz_aliases.c|$srcdir/data|$d/kbtext.dict $d/fts5.dict|8192" ;;
	http) echo "fuzz_http.c $srcdir/cli/http.c $srcdir/cli/html.c $srcdir/cli/json.c $srcdir/cli/lookup.c -I$srcdir/cli $(pkg-config --cflags --libs jansson)|$srcdir/fuzz/seeds/http|$d/http.dict $d/fts5.dict|16384" ;;
	*) echo "run.sh: unknown target $1 (targets: $all)" >&2; return 1 ;;
	esac
}

for t in $targets; do
	s=$(spec "$t")
	# shellcheck disable=SC2046
	"$cc" $cflags -fsanitize=fuzzer -DKBS_TOP_SRCDIR="\"$srcdir\"" \
		$(echo "$s" | cut -d'|' -f1 | sed "s|^|$srcdir/fuzz/|") \
		"$out"/obj/*.o $libs -o "$out/bin/fuzz_$t"
done
echo "run.sh: built $(echo $targets | wc -w) targets in $out/bin"
[ "$seconds" -gt 0 ] || exit 0

status=0
for t in $targets; do
	s=$(spec "$t")
	seeds="$(echo "$s" | cut -d'|' -f2) $srcdir/fuzz/seeds/$t"
	maxlen=$(echo "$s" | cut -d'|' -f4)
	# libFuzzer takes one dictionary: the target's are concatenated.
	# shellcheck disable=SC2046
	cat $(echo "$s" | cut -d'|' -f3) > "$out/$t.dict"
	mkdir -p "$out/corpus/$t"
	existing=
	for dir in $seeds; do [ -d "$dir" ] && existing="$existing $dir"; done
	# shellcheck disable=SC2086
	if "$out/bin/fuzz_$t" -max_total_time="$seconds" -timeout=10 \
		-rss_limit_mb=2048 -max_len="$maxlen" -dict="$out/$t.dict" \
		-print_final_stats=1 -artifact_prefix="$out/crashes/$t-" \
		${FUZZ_FLAGS:-} "$out/corpus/$t" $existing \
		> "$out/$t.log" 2>&1; then
		result=ok
	else
		result="FOUND SOMETHING: see $out/$t.log"
		status=1
	fi
	execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$out/$t.log" | tail -1)
	time=$(sed -n 's/^Done [0-9]* runs in \([0-9]*\) second.*/\1/p' "$out/$t.log" | tail -1)
	last=$(grep -E '^#[0-9]+' "$out/$t.log" | tail -1)
	cov=$(echo "$last" | sed -n 's/.*cov: \([0-9]*\).*/\1/p')
	ft=$(echo "$last" | sed -n 's/.*ft: \([0-9]*\).*/\1/p')
	corp=$(echo "$last" | sed -n 's/.*corp: \([0-9]*\).*/\1/p')
	echo "fuzz_$t: ${execs:-?} execs in ${time:-?} s, cov ${cov:-?}," \
	     "ft ${ft:-?}, corpus ${corp:-?}: $result"
	[ "$result" = ok ] || tail -40 "$out/$t.log"
done
exit $status
