#!/bin/sh
# completion.sh - the bash completion script offers every command of
# `kbsearch --help` and every long option of each `kbsearch CMD --help`,
# completes --color values, and the zsh one names every command too.
# Skipped (77) without bash.
set -u
top=${KBS_TOP_SRCDIR:-$(cd "$(dirname "$0")/.." && pwd)}
kbsearch=${KBSEARCH:-./kbsearch}
command -v bash >/dev/null 2>&1 || exit 77
script=$top/contrib/completion/kbsearch
zsh=$top/contrib/completion/_kbsearch
pass=0
fail=0
ok() { pass=$((pass + 1)); }
ko() { fail=$((fail + 1)); echo "FAIL: $*"; }

# complete WORD...: what bash completion offers for the last word
complete_words() {
	bash -c '. "$1"; shift; COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1));
	         COMP_LINE="$*"; _kbsearch; printf "%s\n" "${COMPREPLY[@]}"' \
		sh "$script" "$@"
}

cmds=$("$kbsearch" --help | sed -n 's/^  \([a-z][a-z]*\)  *.*/\1/p' | grep -v '^-')
[ -n "$cmds" ] || ko "no commands in kbsearch --help"
offered=$(complete_words kbsearch '')
for c in $cmds; do
	echo "$offered" | grep -qx "$c" && ok || ko "bash: command $c not offered"
	grep -q "'$c:" "$zsh" && ok || ko "zsh: command $c missing"
	[ "$c" = help ] && continue
	for o in $("$kbsearch" "$c" --help | grep -E '^(Usage|       |  +-)' | grep -o -- '--[a-z][a-z-]*' | sort -u); do
		case $o in --version) [ "$c" = search ] && continue ;; esac
		complete_words kbsearch "$c" -- "$o" | grep -qx -- "$o" \
			&& ok || ko "bash: $c $o not offered"
	done
done
for o in $("$kbsearch" --help | sed -n '/^Global options/,/^$/p' | grep -o -- '--[a-z][a-z-]*' | sort -u); do
	complete_words kbsearch "$o" | grep -q -- "^$o" && ok || ko "bash: global $o not offered"
done
complete_words kbsearch --color '' | grep -qx always && ok || ko "bash: --color values"
complete_words kbsearch --db x.sqlite se | grep -qx search && ok || ko "bash: command after --db FILE"

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ] && [ "$pass" -gt 0 ]
