#!/usr/bin/env bash
# install.sh — `cmake --install`: both executables and data/ under a prefix; an installed smartv4 finds its data there
# without SMARTV4_DATA (also after the whole prefix is moved), classifies, and hands a DOCX to the smartv4-full
# installed beside it.
set -u
: "${SMARTV4:?}" "${SRC:?}"
build=$(dirname "$SMARTV4")
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export XDG_CACHE_HOME="$tmp/cache"
unset SMARTV4_DATA
fails=0
fail() { echo "FAIL: $*" >&2; fails=$((fails + 1)); }

cmake --install "$build" --prefix "$tmp/p" >"$tmp/install.log" 2>&1 || { cat "$tmp/install.log" >&2; echo "FAIL: cmake --install" >&2; exit 1; }
for f in bin/smartv4 bin/smartv4-full share/smartv4/rules/sdg/pl.rules share/smartv4/taxonomy/sdg-targets.csv \
  share/smartv4/web/openapi.json share/smartv4/train/en.csv; do
  [ -e "$tmp/p/$f" ] || fail "not installed: $f"
done

# The installed data is the one read: a rule file removed from it shows in `rules stats`, not in the build's binary.
rm "$tmp/p/share/smartv4/rules/smartcity/en.rules"
"$tmp/p/bin/smartv4" rules stats >"$tmp/stats.inst" 2>&1 || fail "installed rules stats: $(cat "$tmp/stats.inst")"
"$SMARTV4" rules stats >"$tmp/stats.build" 2>&1 || fail "build rules stats"
grep -E '^smartcity +0/0 ' "$tmp/stats.inst" >/dev/null || fail "installed binary did not read its own data: $(grep smartcity "$tmp/stats.inst")"
grep -E '^smartcity +0/0 ' "$tmp/stats.build" >/dev/null && fail "the build's binary read the installed data"

# Moved as a whole, it still finds its data (relative to the executable, not the prefix it was built for).
mv "$tmp/p" "$tmp/moved"
echo '{"id":"a","text":"Budowa farmy fotowoltaicznej i magazynu energii w gminie.","lang":"pl"}' >"$tmp/one.jsonl"
out=$("$tmp/moved/bin/smartv4" classify --jsonl "$tmp/one.jsonl" 2>&1) || fail "moved classify: $out"
case "$out" in *'"sdg":[7'*) ;; *) fail "moved classify gives no goal 7: $out" ;; esac
# a DOCX goes through the exec to the smartv4-full beside it
out=$("$tmp/moved/bin/smartv4" extract "$SRC/tests/data/docs/program.docx" 2>&1) || fail "moved extract docx: $out"
case "$out" in *'"format":"docx"'*'"blocks"'*) ;; *) fail "moved extract docx: ${out:0:200}" ;; esac
# SMARTV4_DATA still wins
out=$(SMARTV4_DATA="$tmp/nowhere" "$tmp/moved/bin/smartv4" rules stats 2>&1) && fail "SMARTV4_DATA ignored: $out"

[ "$fails" = 0 ] && echo "install: all passed"
exit "$fails"
