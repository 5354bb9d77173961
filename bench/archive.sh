#!/bin/bash
# archive.sh - kbsearch on the whole KB archive: size, speed and memory of
# indexing all its renderings, next to the naive FTS5 baseline.
#
# 1. extracts the archive's tarballs (txt.tar.xz, md.tar.xz, html.tar.xz)
#    given as arguments into a scratch directory, or copies an extracted
#    archive directory there (the runs below touch and edit files);
# 2. indexes txt/ kb/ docs/ into a fresh database (/usr/bin/time -v);
# 3. runs it again unchanged, again after touching 1% of the files, and
#    again after editing 100 classic text files (one line appended);
# 4. runs the naive baseline (-b baseline_fts5.py) over the same
#    directories into a fresh database, right after the fresh kbsearch
#    run, alternating when -n asks for more than one run of each
#    (each run after a sync, so that none pays for the previous one's
#    writes being flushed);
# 5. prints a table: files, articles, failures, wall and CPU (user+sys)
#    time, peak RSS, database size and its ratio to the txt/ bytes, the
#    size of every table and index (SQLite's dbstat), and how many files
#    were read as each charset.
# Issue targets: the database at most 0.75x the txt/ bytes; a fresh run
# at most 1.0x the baseline's time; peak RSS under 64 MB; an unchanged
# re-run at most 1/20 of the fresh run. Wall time moves with a busy
# machine: compare CPU times too. Not part of make check.
#
# usage: bench/archive.sh [-B BUILDDIR] [-w WORKDIR] [-b BASELINE] [-n N]
#                         [-k] SOURCE...
#   SOURCE       the archive's tarballs, or a directory holding txt/ kb/
#                docs/ (copied, never modified)
#   -B BUILDDIR  configured build directory holding kbsearch (default:
#                the current directory)
#   -w WORKDIR   scratch directory (default: a new one under $TMPDIR)
#   -b BASELINE  baseline_fts5.py to run side by side (default: none)
#   -n N         fresh runs of each indexer (default 1); medians reported
#   -k           keep WORKDIR (databases and extracted files) afterwards
set -euo pipefail

builddir=$PWD
work=
baseline=
runs=1
keep=0
while getopts B:w:b:n:k opt; do
	case $opt in
	B) builddir=$OPTARG ;;
	w) work=$OPTARG ;;
	b) baseline=$OPTARG ;;
	n) runs=$OPTARG ;;
	k) keep=1 ;;
	*) sed -n '2,/^set -e/p' "$0" | sed 's/^# \{0,1\}//;$d' >&2; exit 2 ;;
	esac
done
shift $((OPTIND - 1))
[ $# -ge 1 ] || { echo "usage: $0 [options] SOURCE..." >&2; exit 2; }
kbsearch=$builddir/kbsearch
[ -x "$kbsearch" ] || { echo "$kbsearch: not built" >&2; exit 2; }
command -v sqlite3 >/dev/null || { echo "sqlite3 (the shell) needed" >&2; exit 2; }
if [ -z "$work" ]; then
	work=$(mktemp -d "${TMPDIR:-/tmp}/kbs-archive.XXXXXX")
fi
mkdir -p "$work"
[ "$keep" -eq 1 ] || trap 'rm -rf "$work"' EXIT
arch=$work/archive
db=$work/kb.sqlite

# 1. the archive, writable
rm -rf "$arch"
mkdir -p "$arch"
for src in "$@"; do
	if [ -d "$src" ]; then
		cp -a "$src"/. "$arch"/
	else
		tar -xf "$src" -C "$arch"
	fi
done
dirs=()
for d in txt kb docs; do
	[ -d "$arch/$d" ] && dirs+=("$arch/$d")
done
[ ${#dirs[@]} -gt 0 ] || { echo "no txt/ kb/ docs/ in $*" >&2; exit 2; }
txtbytes=$(du -sb "$arch/txt" 2>/dev/null | cut -f1 || echo 0)
nfiles=$(find "${dirs[@]}" -type f | wc -l)

# timed NAME CMD...: runs CMD under /usr/bin/time -v; appends
# "NAME wall user sys maxrss_kb" to $work/times and CMD's output to
# $work/NAME.out.
timed() {
	local name=$1
	shift
	# Each run starts with nothing left to write back: the baseline's
	# 1.3 GB database was still being flushed while the unchanged re-run
	# that follows it stat()ed 177,000 files (7.5 s instead of 3.5 s).
	sync
	/usr/bin/time -v "$@" >"$work/$name.out" 2>"$work/$name.time" || true
	awk -v n="$name" '
		/Elapsed \(wall clock\)/ { k = split($NF, t, ":");
			w = (k == 3) ? t[1]*3600 + t[2]*60 + t[3] : t[1]*60 + t[2] }
		/User time/ { u = $NF } /System time/ { s = $NF }
		/Maximum resident/ { m = $NF }
		END { printf "%s %.2f %.2f %.2f %d\n", n, w, u, s, m }' \
		"$work/$name.time" >>"$work/times"
}
: >"$work/times"

# 2 and 4. fresh runs, kbsearch then baseline, alternating
for i in $(seq 1 "$runs"); do
	rm -f "$db" "$db-wal" "$db-shm"
	timed "fresh$i" "$kbsearch" index --db "$db" "${dirs[@]}"
	if [ -n "$baseline" ]; then
		rm -f "$work/base.sqlite"
		timed "baseline$i" "${PYTHON:-python3}" "$baseline" index \
			"$work/base.sqlite" "${dirs[@]}"
	fi
done
dbbytes=$(stat -c %s "$db")
basebytes=$([ -n "$baseline" ] && stat -c %s "$work/base.sqlite" || echo 0)

# 3. re-runs
timed unchanged "$kbsearch" index --db "$db" "${dirs[@]}"
find "${dirs[@]}" -type f | awk 'NR % 100 == 1' >"$work/touched"
xargs -r -d '\n' touch <"$work/touched"
timed touched "$kbsearch" index --db "$db" "${dirs[@]}"
if [ -d "$arch/txt" ]; then
	# awk stops at 100 itself: head closing the pipe early kills awk
	# with SIGPIPE, which pipefail turns into the script's exit (141)
	find "$arch/txt" -type f |
		awk 'NR % 500 == 1 && n++ < 100' >"$work/edited"
	while IFS= read -r f; do
		printf 'Edited by bench/archive.sh.\n' >>"$f"
	done <"$work/edited"
	timed edited "$kbsearch" index --db "$db" "${dirs[@]}"
fi

# 5. the table
median() { sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
col() { awk -v p="$1" -v c="$2" 'index($1, p) == 1 { print $c }' "$work/times" | median; }
cpu() { awk -v p="$1" 'index($1, p) == 1 { print $3 + $4 }' "$work/times" | median; }

echo "# kbsearch on the KB archive: $(date -u '+%Y-%m-%d %H:%M UTC')"
echo "# commit $(git -C "$(dirname "$0")" rev-parse --short HEAD 2>/dev/null || echo unknown), load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "# sources: $*"
echo "# $nfiles files under ${dirs[*]##*/}; txt/ holds $txtbytes bytes"
echo
articles=$(sqlite3 "$db" 'SELECT count(*) FROM article')
printf '%-22s %s\n' "files" "$nfiles" \
	"articles" "$articles" \
	"fresh run summary" "$(grep -h ' files: ' "$work/fresh1.out")"
grep -h ': no article found' "$work"/fresh1.time | sed 's/^/  /' || true
echo
printf '%-12s %9s %9s %10s %12s\n' run "wall s" "cpu s" "peak MB" "vs fresh"
fw=$(col fresh 2)
fc=$(cpu fresh)
for r in fresh baseline unchanged touched edited; do
	grep -q "^$r" "$work/times" || continue
	w=$(col "$r" 2)
	c=$(cpu "$r")
	m=$(col "$r" 5)
	printf '%-12s %9.2f %9.2f %10.1f %11.3fx\n' "$r" "$w" "$c" \
		"$(echo "$m / 1024" | bc -l)" "$(echo "$w / $fw" | bc -l)"
done
if [ -n "$baseline" ]; then
	bw=$(col baseline 2)
	bc_=$(cpu baseline)
	printf 'kbsearch / baseline: wall %.2fx, cpu %.2fx\n' \
		"$(echo "$fw / $bw" | bc -l)" "$(echo "$fc / $bc_" | bc -l)"
fi
for r in unchanged touched edited; do
	[ -f "$work/$r.out" ] && printf '  %-10s %s\n' "$r" "$(grep -h ' files: ' "$work/$r.out")"
done
echo
printf 'database  %d bytes (%.1f MB), %.3fx the txt/ bytes' "$dbbytes" \
	"$(echo "$dbbytes / 1048576" | bc -l)" \
	"$(echo "$dbbytes / $txtbytes" | bc -l)"
[ -n "$baseline" ] && printf '; baseline %.1f MB' "$(echo "$basebytes / 1048576" | bc -l)"
echo
echo
echo "size by table and index (dbstat, MB):"
sqlite3 "$db" "SELECT printf('  %-32s %8.2f', name, sum(pgsize) / 1048576.0)
               FROM dbstat GROUP BY name ORDER BY sum(pgsize) DESC"
echo
echo "files read as each charset:"
sqlite3 "$db" "SELECT printf('  %-14s %7d', coalesce(charset, 'UTF-8'), count(*))
               FROM source_file GROUP BY coalesce(charset, 'UTF-8')
               ORDER BY count(*) DESC"
