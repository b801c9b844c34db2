#!/usr/bin/env bash
# Black-box test of `smartv4 eval`: counts on small CSVs with known answers (sdg and egd), --json, malformed CSV,
# then quality floors on the multilingual evaluation sets in tests/data/eval with the shipped rules.
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
# Green Deal areas: the code column is named after the scheme.
cat > "$tmp/g.csv" <<'T'
id,text,egd,label
1,"Investment in renewable energy and wind farms.",energy,True
2,"The weather was nice.",energy,False
3,"The energy transition of the region.",climate,False
4,"Nothing to see.",energy,True
T
"$SMARTV4" eval --scheme egd --lang en --json "$tmp/g.csv" > "$tmp/o" || fail "egd exit code"
jq -e '.scheme == "egd" and .rows == 4 and .micro.tp == 1 and .micro.fp == 0 and .micro.fn == 1 and .micro.tn == 2 and
  (.codes | map(.egd) | sort) == ["climate", "energy"]' "$tmp/o" >/dev/null || fail "egd counts $(cat "$tmp/o")"
"$SMARTV4" eval --scheme egd --lang en "$tmp/g.csv" | grep -q '^micro 4 rows' || fail "egd table"
"$SMARTV4" eval --scheme egd "$tmp/e.csv" >/dev/null 2>&1; [ $? -eq 1 ] || fail "egd needs an egd column"
printf 'id,text,egd,label\n1,x,weather,True\n' > "$tmp/badcode.csv"
"$SMARTV4" eval --scheme egd "$tmp/badcode.csv" >/dev/null 2> "$tmp/err"; [ $? -eq 1 ] || fail "unknown code exit 1"
grep -q "badcode.csv:2: unknown egd code 'weather'" "$tmp/err" || fail "unknown code message: $(cat "$tmp/err")"
"$SMARTV4" eval --scheme nope "$tmp/g.csv" >/dev/null 2>&1; [ $? -eq 2 ] || fail "unknown scheme exit 2"

# Quality floors with the shipped rules and model, the language given and identified (so language identification is
# tested too). heldout2-7: written for smartv4 by people who had not read the rules (heldout4-7: nor the training
# paragraphs; figures and their history in tests/data/eval/README.md); the floors sit a little below what the sets
# score (F1 and accuracy minus 0.015, rounded down), so a regression shows. heldout3-7 are below the other sets on
# purpose: they are the honest measure of generalisation, never a source of rules or training data.
# Columns: file scheme min-F1 min-accuracy.
export SMARTV4_DATA="$SRC/data"
while read -r f scheme minf mina; do
  lang=${f%.csv}; lang=${lang##*-}
  for l in "$lang" auto; do
    "$SMARTV4" eval --scheme "$scheme" --lang "$l" --json "$SRC/tests/data/eval/$f" > "$tmp/q" || fail "$f --lang $l: exit code"
    jq -e --argjson f "$minf" --argjson a "$mina" '.micro.f1 >= $f and .micro.accuracy >= $a' "$tmp/q" >/dev/null ||
      fail "$f --lang $l: below F1 $minf / accuracy $mina: $(jq -c .micro "$tmp/q")"
  done
done <<'T'
heldout7-cs.csv sdg 0.75 0.82
heldout7-egd-cs.csv egd 0.69 0.74
heldout7-en.csv sdg 0.83 0.86
heldout7-egd-en.csv egd 0.80 0.84
heldout7-hu.csv sdg 0.78 0.83
heldout7-egd-hu.csv egd 0.70 0.70
heldout7-pl.csv sdg 0.82 0.86
heldout7-egd-pl.csv egd 0.72 0.77
heldout7-sk.csv sdg 0.70 0.80
heldout7-egd-sk.csv egd 0.67 0.70
heldout6-cs.csv sdg 0.84 0.83
heldout6-egd-cs.csv egd 0.91 0.94
heldout6-egd-en.csv egd 0.90 0.94
heldout6-egd-hu.csv egd 0.96 0.97
heldout6-egd-pl.csv egd 0.93 0.95
heldout6-egd-sk.csv egd 0.87 0.93
heldout6-en.csv sdg 0.83 0.84
heldout6-hu.csv sdg 0.84 0.84
heldout6-pl.csv sdg 0.84 0.86
heldout6-sk.csv sdg 0.91 0.91
heldout5-cs.csv sdg 0.82 0.86
heldout5-egd-cs.csv egd 0.96 0.97
heldout5-egd-en.csv egd 0.86 0.91
heldout5-egd-hu.csv egd 0.94 0.95
heldout5-egd-pl.csv egd 0.87 0.91
heldout5-egd-sk.csv egd 0.94 0.95
heldout5-en.csv sdg 0.90 0.91
heldout5-hu.csv sdg 0.85 0.89
heldout5-pl.csv sdg 0.84 0.87
heldout5-sk.csv sdg 0.91 0.93
heldout4-cs.csv sdg 0.91 0.92
heldout4-egd-cs.csv egd 0.96 0.97
heldout4-egd-en.csv egd 0.87 0.91
heldout4-egd-hu.csv egd 0.98 0.98
heldout4-egd-pl.csv egd 0.91 0.94
heldout4-egd-sk.csv egd 0.93 0.95
heldout4-en.csv sdg 0.85 0.88
heldout4-hu.csv sdg 0.94 0.95
heldout4-pl.csv sdg 0.91 0.93
heldout4-sk.csv sdg 0.83 0.87
heldout3-cs.csv sdg 0.82 0.82
heldout3-egd-cs.csv egd 0.89 0.92
heldout3-egd-en.csv egd 0.87 0.91
heldout3-egd-hu.csv egd 0.86 0.91
heldout3-egd-pl.csv egd 0.92 0.94
heldout3-egd-sk.csv egd 0.85 0.92
heldout3-en.csv sdg 0.82 0.83
heldout3-hu.csv sdg 0.82 0.83
heldout3-pl.csv sdg 0.89 0.89
heldout3-sk.csv sdg 0.78 0.78
heldout2-cs.csv sdg 0.96 0.96
heldout2-egd-cs.csv egd 0.95 0.97
heldout2-egd-en.csv egd 0.92 0.97
heldout2-egd-hu.csv egd 0.98 0.98
heldout2-egd-pl.csv egd 0.98 0.98
heldout2-egd-sk.csv egd 0.95 0.97
heldout2-en.csv sdg 0.94 0.96
heldout2-hu.csv sdg 0.96 0.96
heldout2-pl.csv sdg 0.98 0.98
heldout2-sk.csv sdg 0.96 0.96
cs.csv sdg 0.98 0.98
en.csv sdg 0.95 0.95
hu.csv sdg 0.97 0.97
pl.csv sdg 0.98 0.98
sk.csv sdg 0.98 0.98
T
# --rules-only leaves the model out: on set 4 the rules alone find fewer gold labels, the model none of its own.
"$SMARTV4" eval --scheme egd --rules-only --json "$SRC/tests/data/eval/heldout4-egd-en.csv" > "$tmp/r" || fail "rules-only exit"
"$SMARTV4" eval --scheme egd --json "$SRC/tests/data/eval/heldout4-egd-en.csv" > "$tmp/b" || fail "both exit"
jq -e --slurpfile b "$tmp/b" '.micro.tp < $b[0].micro.tp' "$tmp/r" >/dev/null ||
  fail "rules-only should find fewer: $(jq -c .micro "$tmp/r") vs $(jq -c .micro "$tmp/b")"
"$SMARTV4" eval --help | grep -q -- --rules-only || fail "help names --rules-only"
# model evidence in the JSONL contract: a paragraph only the model labels, its evidence words from rule model:...
printf '%s\n' '{"id":"m","lang":"en","text":"The town hall now publishes every contract, every invoice above a small amount and the minutes of all council meetings, so that residents see how public money is spent and who decided it."}' |
  "$SMARTV4" classify --jsonl --scheme sdg > "$tmp/m" || fail "classify model exit"
jq -e '[.labels[].evidence[] | select(.rule | startswith("model:sdg:"))] | length > 0' "$tmp/m" >/dev/null ||
  fail "no model evidence: $(cat "$tmp/m")"
jq -e '.labels[] | .evidence[] | select(.rule | startswith("model:")) | .match as $m | .start < .end and ($m | length) > 0' "$tmp/m" >/dev/null ||
  fail "model evidence shape: $(cat "$tmp/m")"
echo "eval_cli: ok"
