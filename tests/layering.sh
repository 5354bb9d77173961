#!/bin/bash
# layering.sh - the library's folders include one another only downwards.
#
# Reads the #include "..." lines of the library (src/, indexer/, paste/,
# query/) and of the program (cli/) and fails when
#  - a file includes a header of a folder it may not (the table "Folders"
#    in docs/ARCHITECTURE.md: src/ nothing above it; indexer/ and paste/
#    src/; query/ src/, paste/ and indexer/; cli/ the public header), or
#  - the includes between folders, or between files, go round in a circle.
# A header named without a folder is looked for next to the file that
# includes it, then in include/ and src/ (the -I paths), then in the one
# library folder that has it.
set -u

top=${KBS_TOP_SRCDIR:-$(cd "$(dirname "$0")/.." && pwd)}
cd "$top" || exit 99
folders="include src indexer paste query cli"

# The folders each folder may include besides itself.
allowed() {
	case $1 in
	include) echo "" ;;
	src) echo "include" ;;
	indexer | paste) echo "include src" ;;
	query) echo "include src paste indexer" ;;
	cli) echo "include" ;;
	esac
}

# The repository path of the header name included by file, or nothing.
resolve() {
	local file=$1 name=$2 dir hit="" n=0 f
	dir=$(dirname "$file")
	if [ -e "$dir/$name" ]; then
		realpath -m --relative-to=. "$dir/$name"
		return
	fi
	for f in include src; do
		[ -e "$f/$name" ] && { echo "$f/$name"; return; }
	done
	for f in $folders; do
		[ -e "$f/$name" ] && { hit=$f/$name; n=$((n + 1)); }
	done
	[ "$n" -eq 1 ] && echo "$hit"
}

status=0
edges=$(mktemp)
fedges=$(mktemp)
trap 'rm -f "$edges" "$fedges"' EXIT
for folder in $folders; do
	[ -d "$folder" ] || continue
	for file in "$folder"/*.[ch]; do
		[ -e "$file" ] || continue
		sed -n 's/^[[:space:]]*#[[:space:]]*include[[:space:]]*"\([^"]*\)".*/\1/p' \
			"$file" | while read -r name; do
			target=$(resolve "$file" "$name")
			[ -n "$target" ] || continue
			to=${target%%/*}
			echo "$file $target" >> "$fedges"
			[ "$to" = "$folder" ] && continue
			echo "$folder $to" >> "$edges"
			case " $(allowed "$folder") " in
			*" $to "*) ;;
			*) echo "layering: $file includes $target:" \
			        "$folder/ may include $(allowed "$folder" |
			        sed 's|\([a-z]*\)|\1/|g; s| |, |g')" \
			        "and itself only"
			   echo x >> "$edges.bad" ;;
			esac
		done
	done
done
if [ -e "$edges.bad" ]; then
	rm -f "$edges.bad"
	status=1
fi
# tsort names a loop on standard error when its input has one.
for graph in "$edges" "$fedges"; do
	loop=$(sort -u "$graph" | tsort 2>&1 >/dev/null)
	if [ -n "$loop" ]; then
		echo "layering: an include circle:"
		echo "$loop" | sed 's/^/  /'
		status=1
	fi
done
[ "$status" -eq 0 ] && echo "layering: $(sort -u "$edges" | wc -l) folder" \
	"dependencies, no circle"
exit "$status"
