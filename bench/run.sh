#!/bin/bash
# run.sh - kbsearch's speed and ranking figures on the dev set, in one go.
#
# 1. builds kbsearch and bench/bench_search in the build directory
#    (`make kbsearch bench`);
# 2. indexes the corpus and the distractors into a fresh database;
# 3. search speed: bench_search over the dev queries (-r runs each)
#    -> bench-dev.txt;
# 4. ranking: score.py with `kbsearch search --json -n 10` -> kbsearch-dev.txt;
# 5. index speed: `kbsearch index` and `baseline_fts5.py index` on the same
#    paths into fresh databases, alternating, -i runs each; medians and
#    ratio -> index-dev.txt.
# Issue targets: search median <= 5 ms and p99 <= 25 ms per query; index
# time at most 2x baseline_fts5.py. Each result file starts with the date,
# commit and load average, since the figures move with a busy machine.
#
# usage: bench/run.sh [-B BUILDDIR] [-r N] [-i N] [-o DIR] [-q QUERIES]
#                     [CORPUS [DISTRACTORS]]
#   -B BUILDDIR  configured build directory (default: the current
#                directory, which must hold a Makefile)
#   -r N         timed runs of each query (default 5)
#   -i N         index runs of each indexer (default 5)
#   -o DIR       where results go (default: bench/results in the source tree)
#   -q QUERIES   queries file (default ../shared/eval/dev-queries.tsv)
# CORPUS and DISTRACTORS default to ../shared/corpus and
# ../shared/eval/distractors relative to the source tree; score.py and
# baseline_fts5.py are taken from the queries' directory.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
top=$(dirname "$here")
builddir=$PWD
repeat=5
iruns=5
out=$here/results
queries=$top/../shared/eval/dev-queries.tsv
while getopts B:r:i:o:q: opt; do
	case $opt in
	B) builddir=$OPTARG ;;
	r) repeat=$OPTARG ;;
	i) iruns=$OPTARG ;;
	o) out=$OPTARG ;;
	q) queries=$OPTARG ;;
	*) sed -n '/^# usage:/,/^set -e/{/^set/d; s/^# \{0,1\}//; p; }' "$0" >&2; exit 2 ;;
	esac
done
shift $((OPTIND - 1))
corpus=${1:-$top/../shared/corpus}
distractors=${2:-$top/../shared/eval/distractors}
evaldir=$(cd "$(dirname "$queries")" && pwd)
score=$evaldir/score.py
baseline=$evaldir/baseline_fts5.py

for p in "$builddir/Makefile" "$corpus" "$distractors" "$queries" \
	"$score" "$baseline"; do
	[ -e "$p" ] || { echo "run.sh: $p: not found" >&2; exit 2; }
done
builddir=$(cd "$builddir" && pwd)
kbsearch=$builddir/kbsearch
bench=$builddir/bench/bench_search

echo "== building in $builddir" >&2
make -C "$builddir" -s kbsearch bench >&2

work=$(mktemp -d "${TMPDIR:-/tmp}/kbs-bench.XXXXXX")
trap 'rm -rf "$work"' EXIT
mkdir -p "$out"

# The header of every result file: when, what, and how busy the machine was.
commit=${KBS_COMMIT:-$(git -C "$top" rev-parse --short HEAD 2>/dev/null || echo unknown)}
if [ -z "${KBS_COMMIT:-}" ] && [ -n "$(git -C "$top" status --porcelain \
	--untracked-files=no 2>/dev/null)" ]; then
	commit="$commit+uncommitted"
fi
header() {
	echo "# $*"
	echo "# $(date -u +%Y-%m-%dT%H:%MZ), commit $commit, $(nproc) CPUs," \
	     "load average $(cut -d' ' -f1-3 /proc/loadavg)"
}

now() { echo "$EPOCHREALTIME"; }
elapsed() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f\n", b - a }'; }
median() { sort -n | awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2];
	else printf "%.3f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

echo "== indexing the dev database" >&2
"$kbsearch" index --db "$work/dev.sqlite" "$corpus" "$distractors" >&2

echo "== search speed ($repeat runs a query)" >&2
{
	header "bench_search --db DEV -r $repeat $(basename "$queries")"
	"$bench" --db "$work/dev.sqlite" -r "$repeat" "$queries" | tee "$work/bench.txt"
	# The first "all" row is wall-clock time, the second CPU time.
	awk '$1 == "all" && !done {
		printf "# targets (wall clock): median %.3f ms <= 5 ms: %s;" \
		    " p99 %.3f ms <= 25 ms: %s\n", $3, $3 <= 5 ? "met" : "MISSED",
		    $6, $6 <= 25 ? "met" : "MISSED"; done = 1 }' "$work/bench.txt"
} >"$out/bench-dev.txt"
cat "$out/bench-dev.txt"

echo "== ranking (score.py)" >&2
{
	header "score.py $(basename "$queries") -- kbsearch search --db DEV --json -n 10"
	python3 "$score" "$queries" -- "$kbsearch" search --db "$work/dev.sqlite" \
		--json -n 10
} >"$out/kbsearch-dev.txt"
cat "$out/kbsearch-dev.txt"

echo "== index speed ($iruns runs each, alternating)" >&2
: >"$work/kbs.times"
: >"$work/fts5.times"
for i in $(seq "$iruns"); do
	rm -f "$work"/idx.sqlite*
	t0=$(now)
	"$kbsearch" index --db "$work/idx.sqlite" "$corpus" "$distractors" >/dev/null
	t1=$(now)
	elapsed "$t0" "$t1" >>"$work/kbs.times"
	rm -f "$work"/base.sqlite*
	t0=$(now)
	python3 "$baseline" index "$work/base.sqlite" "$corpus" "$distractors"
	t1=$(now)
	elapsed "$t0" "$t1" >>"$work/fts5.times"
	echo "run $i: kbsearch $(tail -n1 "$work/kbs.times") s," \
	     "baseline_fts5 $(tail -n1 "$work/fts5.times") s" >&2
done
kbs_med=$(median <"$work/kbs.times")
fts5_med=$(median <"$work/fts5.times")
{
	header "index time of $(basename "$corpus") + $(basename "$distractors")" \
	       "into a fresh database, $iruns alternating runs each, seconds"
	echo "kbsearch index        runs: $(paste -sd' ' "$work/kbs.times")"
	echo "baseline_fts5 index   runs: $(paste -sd' ' "$work/fts5.times")"
	echo "median kbsearch $kbs_med s, baseline_fts5 $fts5_med s"
	awk -v a="$kbs_med" -v b="$fts5_med" 'BEGIN {
		r = a / b
		printf "ratio kbsearch/baseline_fts5 %.2f (target <= 2: %s)\n",
		    r, r <= 2 ? "met" : "MISSED" }'
} >"$out/index-dev.txt"
cat "$out/index-dev.txt"
