#!/bin/bash
# hardening.sh - kbsearch against what goes wrong around it (issue 11):
# a SIGKILL during an index run, a full file system, a damaged or foreign
# file as the database, a read-only database file, directory and mount,
# symbolic link loops in a corpus, file names holding a newline or
# invalid UTF-8.
#
# Runs the kbsearch command on copies of the bundled corpus. The parts
# that need root (mounting a tmpfs, in a mount namespace of their own so
# that nothing is left mounted) are skipped without it, and the parts
# that rely on file permissions are skipped as root (root reads and
# writes whatever the permissions say). Prints one line per failure and
# a closing "N passed, N failed" line; exits 1 when any check fails, 77
# when every part was skipped.
set -u
top=${KBS_TOP_SRCDIR:-$(cd "$(dirname "$0")/.." && pwd)}
kbsearch=${KBSEARCH:-./kbsearch}
case $kbsearch in /*) ;; *) kbsearch=$PWD/$kbsearch ;; esac
tmp=$(mktemp -d "${TMPDIR:-/tmp}/kbs-hardening.XXXXXX") || exit 2
[ -n "${KBS_KEEP_TMP:-}" ] || trap 'chmod -R u+rwx "$tmp" 2>/dev/null; rm -rf "$tmp"' EXIT INT TERM

pass=0
fail=0
skip=0
ok() { pass=$((pass + 1)); }
ko() { fail=$((fail + 1)); echo "FAIL: $*"; }
skipped() { skip=$((skip + 1)); echo "SKIP: $*"; }
check() { if eval "$2"; then ok; else ko "$1"; fi; }
root=0
[ "$(id -u)" -eq 0 ] && root=1
# Can this process mount (root with CAP_SYS_ADMIN, unshare available)?
can_mount=0
if [ $root = 1 ] && command -v unshare >/dev/null &&
   unshare -m sh -c "mount -t tmpfs -o size=1m tmpfs '$tmp'" 2>/dev/null; then
	can_mount=1
fi

articles() { "$kbsearch" stats --db "$1" 2>/dev/null | awk '$1 == "articles" { print $2 }'; }

# The reference: the bundled corpus indexed once, undisturbed.
ref=$tmp/ref.sqlite
"$kbsearch" index --db "$ref" "$top/corpus" >/dev/null 2>&1
nref=$(articles "$ref")
check "reference index has articles" '[ "${nref:-0}" -gt 0 ]'

# ------------------------------------------------------------------
# SIGKILL during an index run, at several points: the database stays
# sound and the next run completes it with every article once.
# A bigger corpus (the bundled articles ten times, each copy with KB
# ids of its own) makes the run long enough to kill.
# ------------------------------------------------------------------
big=$tmp/big
mkdir -p "$big"
for i in 1 2 3 4 5 6 7 8 9; do
	mkdir "$big/c$i"
	for f in "$top"/corpus/txt/*.TXT; do
		sed "1s/^DOCUMENT:Q/DOCUMENT:Q$i/" "$f" >"$big/c$i/${f##*/}"
	done
done
"$kbsearch" index --db "$tmp/bigref.sqlite" "$big" >/dev/null 2>&1
nbig=$(articles "$tmp/bigref.sqlite")
for delay in 0.02 0.1 0.3 0.6; do
	db=$tmp/kill.sqlite
	rm -f "$db" "$db-wal" "$db-shm"
	"$kbsearch" index --db "$db" "$big" >/dev/null 2>&1 &
	pid=$!
	sleep "$delay"
	kill -KILL "$pid" 2>/dev/null
	wait "$pid" 2>/dev/null
	if [ -f "$db" ]; then
		"$kbsearch" check --db "$db" >"$tmp/out" 2>&1
		st=$?
		# a database killed before its schema was committed is empty
		check "SIGKILL after ${delay}s: check passes ($(head -c 300 "$tmp/out"))" \
			'[ $st -eq 0 ] || grep -q "empty database" "$tmp/out"'
	fi
	"$kbsearch" index --db "$db" "$big" >"$tmp/out" 2>&1
	check "SIGKILL after ${delay}s: next run completes" '[ $? -eq 0 ]'
	n=$(articles "$db")
	check "SIGKILL after ${delay}s: every article once ($n, want $nbig)" \
		'[ "${n:-0}" = "$nbig" ]'
	"$kbsearch" check --db "$db" >/dev/null 2>&1
	check "SIGKILL after ${delay}s: sound after the next run" '[ $? -eq 0 ]'
done

# ------------------------------------------------------------------
# Damaged and foreign files as the database.
# ------------------------------------------------------------------
db=$tmp/damaged.sqlite
cp "$ref" "$db"
size=$(stat -c %s "$db")
# at the start of a page in the middle (64 KB is a multiple of any page
# size), so that the damage hits a page header, which every check reads
head -c 4096 /dev/urandom | dd of="$db" bs=4096 \
	seek=$((size / 2 / 65536 * 16)) conv=notrunc 2>/dev/null
"$kbsearch" check --db "$db" >"$tmp/out" 2>"$tmp/err"
st=$?
check "check finds 4 KB of random bytes (exit $st)" '[ $st -eq 1 ]'
check "check names the file and the way out" \
	'grep -q "damaged.sqlite" "$tmp/err" && grep -q -- "--rebuild" "$tmp/err"'
# a run with something to write checks the file first (one with nothing
# to write, every file unchanged, does not wait for the check)
mkdir "$tmp/new"
printf 'Widget fails\n\nThe frobnicator reports error 0x8007000E.\n' \
	>"$tmp/new/widget.txt"
"$kbsearch" index --db "$db" "$tmp/new" >"$tmp/out" 2>"$tmp/err"
st=$?
check "index refuses to write into a damaged database (exit $st)" '[ $st -eq 2 ]'
check "index says why and how to recover" \
	'grep -q "damaged.sqlite: the database file is damaged" "$tmp/err" &&
	 grep -q -- "--rebuild" "$tmp/err"'
"$kbsearch" index --db "$db" --rebuild >"$tmp/out" 2>"$tmp/err"
st=$?
check "index --rebuild (exit $st)" '[ $st -eq 0 ]'
check "the damaged file is kept aside" '[ -f "$db.damaged" ]'
n=$(articles "$db")
check "rebuilt from the stored paths ($n articles, want $nref)" \
	'[ "${n:-0}" = "$nref" ]'
"$kbsearch" check --db "$db" >/dev/null 2>&1
check "the rebuilt database is sound" '[ $? -eq 0 ]'

foreign=$tmp/notes.txt
printf 'Shopping list\nmilk\n%.0s' $(seq 400) >"$foreign"
cp "$foreign" "$tmp/notes.orig"
"$kbsearch" search --db "$foreign" "invalid license" >"$tmp/out" 2>"$tmp/err"
st=$?
check "a text file as database: exit 2 ($st)" '[ $st -eq 2 ]'
check "a text file as database: named, not a database" \
	'grep -q "notes.txt: not a database file" "$tmp/err"'
"$kbsearch" index --db "$foreign" "$top/corpus/seeds" >/dev/null 2>&1
check "index leaves a foreign file untouched" 'cmp -s "$foreign" "$tmp/notes.orig"'
other=$tmp/other.sqlite
if command -v sqlite3 >/dev/null; then
	sqlite3 "$other" "CREATE TABLE t(x); INSERT INTO t VALUES (1);"
	"$kbsearch" search --db "$other" "invalid license" >"$tmp/out" 2>"$tmp/err"
	check "another program's SQLite file: exit 2" '[ $? -eq 2 ]'
	check "another program's SQLite file: not a kbsearch database" \
		'grep -q "other.sqlite: not a kbsearch database" "$tmp/err"'
fi
: >"$tmp/empty.sqlite"
"$kbsearch" search --db "$tmp/empty.sqlite" "invalid license" >/dev/null 2>"$tmp/err"
check "an empty file: exit 2 with a message" '[ $? -eq 2 ] && [ -s "$tmp/err" ]'

# ------------------------------------------------------------------
# Symbolic link loops, links to special files, odd file names.
# ------------------------------------------------------------------
c=$tmp/links
mkdir -p "$c/sub"
cp "$top/corpus/txt/Q100215.TXT" "$top/corpus/txt/Q101602.TXT" "$c/"
cp "$top/corpus/txt/Q103032.TXT" "$c/sub/"
ln -s . "$c/loop"
ln -s .. "$c/sub/up"
ln -s sub "$c/again"
ln -s /dev/null "$c/null.txt"
ln -s nowhere "$c/broken.txt"
nl=$(printf 'new\nline.txt')
cp "$top/corpus/txt/Q101785.TXT" "$c/$nl"
bad=$(printf 'bad\377name.txt')
cp "$top/corpus/txt/Q101789.TXT" "$c/$bad"
timeout 60 "$kbsearch" index --db "$tmp/links.sqlite" "$c" >"$tmp/out" 2>"$tmp/err"
st=$?
check "a corpus with link loops ends (exit $st)" '[ $st -eq 1 ]'
n=$(articles "$tmp/links.sqlite")
check "each article once through the links ($n, want 5)" '[ "${n:-0}" = 5 ]'
check "loops reported" 'grep -q "loop: directory already walked" "$tmp/err" &&
	grep -q "/sub: directory already walked" "$tmp/err"'
check "a link to a device is passed over" \
	'grep -q "null.txt: symbolic link to something other than" "$tmp/err"'
check "a broken link is reported" 'grep -q "broken.txt: broken symbolic link" "$tmp/err"'
if [ -r /proc/cpuinfo ]; then
	ln -s /proc/cpuinfo "$c/cpu.txt"
	"$kbsearch" index --db "$tmp/links.sqlite" "$c" >"$tmp/out" 2>"$tmp/err"
	check "a link into /proc is passed over" \
		'grep -q "cpu.txt: symbolic link into /proc or /sys" "$tmp/err"'
fi
# A file name with a newline: its report (an empty file) is one line.
: >"$c/$(printf 'tiny\nfile.txt')"
"$kbsearch" index --db "$tmp/links.sqlite" "$c" >"$tmp/out" 2>"$tmp/err"
check "a newline in a name is escaped on one report line" \
	'grep -q "/tiny\\\\x0afile.txt: " "$tmp/err"'
check "no report line starts with the rest of a name" \
	'! grep -q "^file.txt" "$tmp/err"'
"$kbsearch" show --db "$tmp/links.sqlite" Q101785 >"$tmp/out" 2>&1
check "the article of a file named with a newline is found" '[ $? -eq 0 ]'

# ------------------------------------------------------------------
# Read-only database file and directory (meaningful without root only),
# read-only mount (root only).
# ------------------------------------------------------------------
rosearch() {  # DB: search and a lookup work
	"$kbsearch" search --db "$1" "The terminal service client has provided an invalid license" >"$tmp/out" 2>"$tmp/err" &&
	grep -q Q294326 "$tmp/out" &&
	"$kbsearch" show --db "$1" Q294326 >/dev/null 2>>"$tmp/err"
}
if [ $root = 0 ]; then
	d=$tmp/rodir
	mkdir "$d"
	cp "$ref" "$d/kb.sqlite"
	chmod 444 "$d/kb.sqlite"
	check "search a read-only file ($(head -n 1 "$tmp/err" 2>/dev/null))" 'rosearch "$d/kb.sqlite"'
	chmod 555 "$d"
	check "search a read-only file in a read-only directory" 'rosearch "$d/kb.sqlite"'
	chmod 755 "$d"
	chmod 644 "$d/kb.sqlite"
	sqlite3 "$d/kb.sqlite" "PRAGMA journal_mode=WAL" >/dev/null 2>&1
	chmod 555 "$d"
	check "search a WAL database in a read-only directory" 'rosearch "$d/kb.sqlite"'
	chmod 755 "$d"
else
	skipped "read-only file and directory: root ignores permissions"
fi
if [ $can_mount = 1 ]; then
	m=$tmp/mnt
	mkdir -p "$m"
	cp "$ref" "$tmp/wal.sqlite"
	sqlite3 "$tmp/wal.sqlite" "PRAGMA journal_mode=WAL" >/dev/null 2>&1 ||
		skipped "no sqlite3 to set WAL mode"
	export kbsearch ref tmp m
	unshare -m bash -c '
		mount -t tmpfs -o size=16m tmpfs "$m" || exit 3
		cp "$ref" "$m/kb.sqlite" && cp "$tmp/wal.sqlite" "$m/wal.sqlite" || exit 3
		mount -o remount,ro "$m" || exit 3
		"$kbsearch" search --db "$m/kb.sqlite" "The terminal service client has provided an invalid license" | grep -q Q294326 || exit 1
		"$kbsearch" search --db "$m/wal.sqlite" "The terminal service client has provided an invalid license" | grep -q Q294326 || exit 2
		"$kbsearch" check --db "$m/kb.sqlite" | grep -q "not checked: database opened read-only" || exit 4
		exit 0' >"$tmp/out" 2>&1
	st=$?
	check "search on a read-only mount (exit $st: $(head -n 2 "$tmp/out"))" '[ $st -ne 1 ]'
	check "search a WAL database on a read-only mount" '[ $st -ne 2 ]'
	check "check on a read-only mount says what it skipped" '[ $st -ne 4 ] && [ $st -ne 3 ]'
else
	skipped "read-only mount: needs root and mount namespaces"
fi

# ------------------------------------------------------------------
# A full file system: the run stops with a message, keeps what it
# committed, counts only that, and the database stays sound.
# ------------------------------------------------------------------
if [ $can_mount = 1 ]; then
	export kbsearch big tmp m top
	unshare -m bash -c '
		mount -t tmpfs -o size=2000k tmpfs "$m" || exit 3
		"$kbsearch" index --db "$m/kb.sqlite" "$top/corpus/txt" >/dev/null 2>&1 || exit 3
		"$kbsearch" index --db "$m/kb.sqlite" "$big" >"$tmp/full.out" 2>"$tmp/full.err"
		echo "$?" >"$tmp/full.status"
		"$kbsearch" check --db "$m/kb.sqlite" >"$tmp/full.check" 2>&1
		echo "$?" >>"$tmp/full.status"
		"$kbsearch" stats --db "$m/kb.sqlite" 2>/dev/null |
			awk "\$1 == \"articles\" { print \$2 }" >>"$tmp/full.status"
		exit 0' >/dev/null 2>&1
	st=$(sed -n 1p "$tmp/full.status" 2>/dev/null)
	cst=$(sed -n 2p "$tmp/full.status" 2>/dev/null)
	kept=$(sed -n 3p "$tmp/full.status" 2>/dev/null)
	added=$(sed -n 's/.* \([0-9]*\) added.*/\1/p' "$tmp/full.out")
	check "full disk: exit 2 ($st: $(head -n 1 "$tmp/full.err"))" '[ "$st" = 2 ]'
	check "full disk: the message says so" 'grep -qi "full" "$tmp/full.err"'
	check "full disk: the summary counts what was committed ($added added, $kept kept)" \
		'grep -q "stopped, counting what was committed" "$tmp/full.out" &&
		 [ $((${added:-999} + $(ls "$top"/corpus/txt | wc -l))) = "${kept:-0}" ]'
	check "full disk: the database is sound ($(head -c 200 "$tmp/full.check"))" '[ "$cst" = 0 ]'
else
	skipped "full file system: needs root and mount namespaces"
fi

echo "hardening: $pass passed, $fail failed${skip:+, $skip skipped}"
if [ $fail -gt 0 ]; then exit 1; fi
if [ $pass -eq 0 ]; then exit 77; fi
exit 0
