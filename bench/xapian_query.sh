#!/bin/sh
# xapian_query.sh - answer one pasted error with Xapian's quest, for score.py.
#
# Reads the paste on standard input, runs quest against the database that
# xapian_eval.sh built in DBDIR (DBDIR/db, plus DBDIR/kbmap.tsv mapping each
# document URL to its KB id), and prints the ten best distinct KB ids, one
# JSON-ish line each ({"rank": 1, "kb_id": "Q123", "url": "..."}), which is
# what score.py reads. The md, html and txt renderings of one article are
# separate Xapian documents: only the first hit of each KB id is kept, and
# quest is asked for more than ten matches so that ten distinct ids remain.
# Documents without a KB id (two of the seeds) are dropped, as score.py
# drops kbsearch's hits without one.
#
# usage: xapian_query.sh [-s LANG] [-q raw|words] [-m N] DBDIR < paste
#   -s LANG   quest's stemmer: english (quest's default, and omindex's) or
#             none
#   -q raw    the paste as it is, parsed by quest's default QueryParser
#             flags (boolean, phrase, love/hate): quoted text becomes a
#             phrase, AND/OR/NOT in capitals become operators, a leading
#             '-' excludes a word (Xapian reparses without flags when the
#             syntax is broken, so no paste fails)
#   -q words  (default) every character other than a letter or digit
#             replaced by a space, and the words lowercased: a plain OR of
#             the paste's words, nothing taken as query syntax
#   -m N      matches asked of quest before dropping duplicates (default 50)
set -eu

stem=english
mode=words
msize=50
while getopts s:q:m: opt; do
	case $opt in
	s) stem=$OPTARG ;;
	q) mode=$OPTARG ;;
	m) msize=$OPTARG ;;
	*) echo "usage: $0 [-s LANG] [-q raw|words] [-m N] DBDIR" >&2; exit 2 ;;
	esac
done
shift $((OPTIND - 1))
[ $# -eq 1 ] || { echo "usage: $0 [-s LANG] [-q raw|words] [-m N] DBDIR" >&2; exit 2; }
dbdir=$1

case $mode in
raw)   query=$(cat) ;;
words) query=$(tr -c 'A-Za-z0-9' ' ' | tr 'A-Z' 'a-z') ;;
*)     echo "$0: -q: raw or words" >&2; exit 2 ;;
esac
# quest rejects an empty query; an empty paste has no hits.
case $query in
*[A-Za-z0-9]*) ;;
*) exit 1 ;;
esac

quest -d "$dbdir/db" -s "$stem" -m "$msize" -- "$query" |
awk -v map="$dbdir/kbmap.tsv" '
BEGIN {
	FS = "\t"
	while ((getline line < map) > 0) {
		split(line, f, "\t")
		kb[f[1]] = f[2]
	}
}
/^url=/ {
	url = substr($0, 5)
	id = kb[url]
	if (id == "" || (id in seen) || n >= 10)
		next
	seen[id] = 1
	printf "{\"rank\": %d, \"kb_id\": \"%s\", \"url\": \"%s\"}\n", ++n, id, url
}
END { exit n > 0 ? 0 : 1 }'
