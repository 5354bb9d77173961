#!/bin/bash
# xapian_eval.sh - the ranking comparison: Xapian (omindex + quest) on the
# dev queries, scored by the same score.py as kbsearch.
#
# Indexes every subdirectory of the corpus (txt, md, html, seeds) and the
# distractors with omindex into a fresh database, writes the URL -> KB id
# map that xapian_query.sh uses, then scores four quest settings (stemmer
# english or none, x paste as raw query syntax or as plain words) and keeps
# the best by MRR@10 as Xapian's figure: the sweep is Xapian's best fair
# shot, chosen on the same dev set, and every setting's line is saved.
#
# usage: bench/xapian_eval.sh [-k] [-o DIR] [-r WORK] [CORPUS [DISTRACTORS [QUERIES]]]
#   -k      keep the work directory (database and map) and print its path
#   -o DIR  where results go (default: bench/results in the source tree)
#   -r WORK reuse the database and map of a work directory kept by -k
#           (no indexing: score other queries over the same documents)
# DISTRACTORS may be '-' for none (the whole KB archive as CORPUS, whose
# subdirectories txt, kb and docs are its three renderings).
# Defaults, relative to the source tree: ../shared/corpus,
# ../shared/eval/distractors, ../shared/eval/dev-queries.tsv; score.py is
# taken from the queries' directory ($SCORE overrides).
#
# Writes DIR/xapian-dev.txt (the best setting's score.py output under a
# header naming it) and DIR/xapian-dev-settings.txt (one line per setting).
# Needs omindex (Debian xapian-omega) and quest (xapian-tools).
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
top=$(dirname "$here")
keep=0
reuse=
out=$here/results
while getopts ko:r: opt; do
	case $opt in
	k) keep=1 ;;
	o) out=$OPTARG ;;
	r) reuse=$OPTARG ;;
	*) sed -n '/^# usage:/,/^set -e/{/^set/d; s/^# \{0,1\}//; p; }' "$0" >&2; exit 2 ;;
	esac
done
shift $((OPTIND - 1))
corpus=${1:-$top/../shared/corpus}
distractors=${2:-$top/../shared/eval/distractors}
queries=${3:-$top/../shared/eval/dev-queries.tsv}
score=${SCORE:-$(dirname "$queries")/score.py}

for cmd in omindex quest python3; do
	if ! command -v "$cmd" >/dev/null; then
		echo "xapian_eval.sh: $cmd not found (apt-get install -y" \
		     "xapian-omega xapian-tools)" >&2
		exit 2
	fi
done
[ "$distractors" = - ] && distractors=
for p in "$corpus" ${distractors:+"$distractors"} "$queries" "$score"; do
	[ -e "$p" ] || { echo "xapian_eval.sh: $p: not found" >&2; exit 2; }
done

if [ -n "$reuse" ]; then
	[ -d "$reuse/db" ] && [ -f "$reuse/kbmap.tsv" ] ||
		{ echo "xapian_eval.sh: $reuse: no kept database" >&2; exit 2; }
	work=$reuse
else
	work=$(mktemp -d "${TMPDIR:-/tmp}/xapian-eval.XXXXXX")
	if [ "$keep" = 1 ]; then
		echo "xapian_eval.sh: work directory $work" >&2
	else
		trap 'rm -rf "$work"' EXIT
	fi
fi
mkdir -p "$out"

# The KB id of a file: from its name (Q123.TXT, Q123.md, Q123.html), else
# from inside (a classic "DOCUMENT:Q123" line, a KB archive "Article: Q123"
# line, a Jekyll "permalink: /kb/123/Q123/"); else none.
kb_id() {
	local base=${1##*/}
	case $base in
	Q[0-9]*.*) echo "${base%%.*}"; return ;;
	esac
	grep -m1 -oE '^(DOCUMENT:Q[0-9]+|[[:space:]]*Article: Q[0-9]+|permalink: .*/Q[0-9]+/)' "$1" |
		grep -oE 'Q[0-9]+' | head -n1 || true
}

# Index one directory under a URL prefix, and map its files' URLs. omindex
# types files by extension; .TXT (upper case, the distractors and classic
# files) and .md are not in its table, so they are declared text/plain.
# -p: each call adds to the database instead of deleting what the other
# calls indexed.
index_dir() {
	local dir=$1 url=$2 f
	omindex -p --db "$work/db" --url "$url" \
		--mime-type=txt:text/plain --mime-type=TXT:text/plain \
		--mime-type=md:text/plain --mime-type=markdown:text/plain \
		"$dir" >"$work/omindex.log" 2>&1 ||
		{ cat "$work/omindex.log" >&2; exit 2; }
	find "$dir" -type f | sort | while read -r f; do
		printf '%s\t%s\n' "$url/${f#"$dir"/}" "$(kb_id "$f")"
	done >>"$work/kbmap.tsv"
}

if [ -z "$reuse" ]; then
	t0=$EPOCHREALTIME
	: >"$work/kbmap.tsv"
	for d in "$corpus"/*/; do
		d=${d%/}
		index_dir "$d" "/corpus/${d##*/}"
	done
	[ -z "$distractors" ] || index_dir "$distractors" /distractors
	t1=$EPOCHREALTIME
	awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.2f", b - a }' >"$work/index_s"
fi
ndocs=$(xapian-delve "$work/db" 2>/dev/null | sed -n 's/^number of documents = //p')
index_s=$(cat "$work/index_s" 2>/dev/null || echo ?)
echo "omindex: ${ndocs:-?} documents in ${index_s} s" >&2

# The sweep.
best=
best_mrr=-1
settings=$out/xapian-dev-settings.txt
{
	echo "# Xapian quest settings on $(basename "$queries"), $(date -u +%Y-%m-%dT%H:%MZ)"
	echo "# xapian_query.sh options, then score.py's ALL line"
} >"$settings"
for s in english none; do
	for q in words raw; do
		python3 "$score" "$queries" -- "$here/xapian_query.sh" -s "$s" -q "$q" \
			"$work" >"$work/score-$s-$q.txt"
		line=$(grep '^ALL ' "$work/score-$s-$q.txt")
		printf '%-20s %s\n' "-s $s -q $q" "$line" | tee -a "$settings" >&2
		mrr=$(sed -n 's/.*MRR@10=\([0-9.]*\).*/\1/p' <<<"$line")
		if awk -v a="$mrr" -v b="$best_mrr" 'BEGIN { exit !(a > b) }'; then
			best="$s $q"
			best_mrr=$mrr
		fi
	done
done

set -- $best
{
	echo "# Xapian $(quest --version | sed -n '1s/.* //p'): omindex (stemmer english)" \
	     "+ quest via bench/xapian_query.sh -s $1 -q $2"
	echo "# best of the settings in xapian-dev-settings.txt by MRR@10"
	echo "# $(date -u +%Y-%m-%dT%H:%MZ); ${ndocs:-?} documents indexed in ${index_s} s;" \
	     "load average $(cut -d' ' -f1-3 /proc/loadavg)"
	cat "$work/score-$1-$2.txt"
} >"$out/xapian-dev.txt"
cat "$out/xapian-dev.txt"
