#!/bin/sh
# serve_load.sh - load run of `kbsearch serve` on loopback with wrk.
#
#     bench/serve_load.sh DB QUERIES.tsv [SECONDS] [THREADS]
#
# Starts ./kbsearch serve over DB (read-only) on 127.0.0.1, port 0, with
# THREADS request threads (default 4), and has wrk POST the pastes of
# QUERIES.tsv (see serve_post.lua) to /api/search for SECONDS (default 20)
# at 1, 4 and 16 concurrent connections. For each run prints the
# requests, errors, median and p99 latency, requests per second, the
# server's CPU time (user+sys) during the run and its peak RSS so far
# (VmHWM). Never part of make check: timings depend on the machine.
set -eu
db=${1:?usage: serve_load.sh DB QUERIES.tsv [SECONDS] [THREADS]}
queries=${2:?usage: serve_load.sh DB QUERIES.tsv [SECONDS] [THREADS]}
secs=${3:-20}
threads=${4:-4}
here=$(cd "$(dirname "$0")" && pwd)
kbsearch=${KBSEARCH:-$here/../kbsearch}
tmp=$(mktemp -d "${TMPDIR:-/tmp}/kbs-load.XXXXXX")
pid=
cleanup() {
	[ -n "$pid" ] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null
	rm -rf "$tmp"
}
trap cleanup EXIT INT TERM

"$kbsearch" serve --db "$db" --listen 127.0.0.1:0 --threads "$threads" \
	>"$tmp/url" 2>"$tmp/err" &
pid=$!
for _ in 1 2 3 4 5 6 7 8 9 10; do
	[ -s "$tmp/url" ] && break
	sleep 0.2
done
url=$(head -n 1 "$tmp/url")
[ -n "$url" ] || { cat "$tmp/err"; exit 1; }
# (an uninstalled ./kbsearch is libtool's wrapper, which execs the
# program: same pid)
spid=$pid

# clock ticks of user+sys time of the server
cpu() { awk '{ print $14 + $15 }' "/proc/$spid/stat"; }
hz=$(getconf CLK_TCK)

echo "server $url, $threads threads, db $db, $secs s per run"
# warm-up: the index pages into the page cache
wrk -t1 -c1 -d3s -s "$here/serve_post.lua" "$url" -- "$queries" >/dev/null
for c in 1 4 16; do
	t=$((c < 2 ? 1 : 2))
	c0=$(cpu)
	line=$(wrk -t"$t" -c"$c" -d"${secs}s" --timeout 30s \
		-s "$here/serve_post.lua" "$url" -- "$queries" | tail -n 1)
	c1=$(cpu)
	rss=$(awk '/^VmHWM/ { print $2 }' "/proc/$spid/status")
	awk -v c="$c" -v l="$line" -v t="$((c1 - c0))" -v hz="$hz" \
	    -v rss="$rss" 'BEGIN { printf "clients %2d  %s  server_cpu_s %.1f" \
	    "  peak_rss_mb %.1f\n", c, l, t / hz, rss / 1024 }'
done
