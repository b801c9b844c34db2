#!/usr/bin/env bash
# Black-box tests of `smartv4 rules check|stats|explain`: ok on fixtures, file:line errors on broken rules.
set -uo pipefail
: "${SMARTV4:?}" "${SRC:?}"
export XDG_CACHE_HOME=$(mktemp -d)
tmp=$(mktemp -d); trap 'rm -rf "$tmp" "$XDG_CACHE_HOME"' EXIT
fail() { echo "FAIL: $*"; exit 1; }
"$SMARTV4" rules --help | grep -q explain || fail help
"$SMARTV4" rules >/dev/null 2>&1; [ $? -eq 2 ] || fail "no subcommand exit 2"
"$SMARTV4" rules frobnicate >/dev/null 2>&1; [ $? -eq 2 ] || fail "bad subcommand exit 2"
SMARTV4_DATA="$SRC/tests/data" "$SMARTV4" rules check | grep -q '^ok: 3 rule files, 9 rules' || fail "check fixtures"
SMARTV4_DATA="$SRC/tests/data" "$SMARTV4" rules stats | grep -q '^sdg' || fail stats
SMARTV4_DATA="$SRC/tests/data" "$SMARTV4" rules explain 7 | grep -q 'rule en.sdg7.efficiency -> 7.3' || fail explain
SMARTV4_DATA="$SRC/tests/data" "$SMARTV4" rules explain 99 >/dev/null 2>&1; [ $? -eq 1 ] || fail "explain unknown exit 1"
# broken data dir: every broken file is reported with file:line, exit 1
mkdir -p "$tmp/d/rules/sdg" && cp -r "$SRC/tests/data/taxonomy" "$tmp/d/" && cp "$SRC/tests/data/rules/thresholds.csv" "$tmp/d/rules/"
cp "$SRC"/tests/data/rules-broken/*.rules "$tmp/d/rules/sdg/"
SMARTV4_DATA="$tmp/d" "$SMARTV4" rules check > "$tmp/out" 2>&1; rc=$?
[ $rc -eq 1 ] || fail "broken rules exit 1 (got $rc)"
for f in short-wildcard.rules:6 bad-code.rules:4 unknown-line.rules:6 no-header.rules:1 big-window.rules:6 mid-star.rules:5; do
  grep -q "$f:" "$tmp/out" || fail "missing error $f"
done
echo "rules_cli: ok"
