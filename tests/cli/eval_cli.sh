#!/usr/bin/env bash
# Black-box test of `smartv4 eval`: counts on a small CSV with known answers, --json, malformed CSV.
set -uo pipefail
: "${SMARTV4:?}" "${SRC:?}"
export SMARTV4_DATA="$SRC/tests/data" XDG_CACHE_HOME=$(mktemp -d)
tmp=$(mktemp -d); trap 'rm -rf "$tmp" "$XDG_CACHE_HOME"' EXIT
fail() { echo "FAIL: $*"; exit 1; }
"$SMARTV4" eval --help | grep -q precision || fail help
"$SMARTV4" eval x.csv >/dev/null 2>&1; [ $? -eq 2 ] || fail "no scheme exit 2"
cat > "$tmp/e.csv" <<'T'
id,text,sdg,label
1,"Investment in renewable energy and wind farms.",7,True
2,"Renewable energy, solar power.",13,False
3,"The weather was nice.",7,False
4,"Climate adaptation plans, climate risk.",13,True
5,"Nothing to see.",13,True
T
"$SMARTV4" eval --scheme sdg --lang en --json "$tmp/e.csv" > "$tmp/o" || fail "exit code"
jq -e '.rows == 5 and .micro.tp == 2 and .micro.fp == 0 and .micro.fn == 1 and .micro.tn == 2 and .micro.accuracy == 0.8' "$tmp/o" >/dev/null || fail "counts $(cat "$tmp/o")"
"$SMARTV4" eval --scheme sdg --lang en "$tmp/e.csv" | grep -q '^micro 5 rows' || fail "table"
printf 'id,text\n1,x\n' > "$tmp/bad.csv"
"$SMARTV4" eval --scheme sdg "$tmp/bad.csv" >/dev/null 2>&1; [ $? -eq 1 ] || fail "bad csv exit 1"
echo "eval_cli: ok"
