#!/usr/bin/env bash
# Black-box test of `smartv4 smart`: objectives in several languages with their SMART flags.
set -uo pipefail
: "${SMARTV4:?}" "${SRC:?}"
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*"; exit 1; }
"$SMARTV4" smart --help | grep -q SMART || fail help
"$SMARTV4" smart >/dev/null 2>&1; [ $? -eq 2 ] || fail "no file exit 2"
cat > "$tmp/s.txt" <<'T'
Our goal is to reduce greenhouse gas emissions by 40 % by 2030 compared to 1990 levels. The city is pleasant.

Celem jest zmniejszenie zużycia energii o 20% do roku 2030.

Cílem je snížit emise CO2 o 30 % do roku 2030 oproti roku 2015.

A kormány célja, hogy 2030-ig 25 százalékkal csökkentse a kibocsátást.
T
"$SMARTV4" smart --json "$tmp/s.txt" > "$tmp/o" || fail "exit code"
jq -e '.objectives | length == 4' "$tmp/o" >/dev/null || fail "four objectives: $(cat "$tmp/o")"
jq -e '.objectives[0] | .specific and .measurable and .time_bound and .baseline and .target_year == 2030 and .baseline_year == 1990 and .achievable == "review"' "$tmp/o" >/dev/null || fail "english flags"
jq -e '[.objectives[] | .time_bound] | all' "$tmp/o" >/dev/null || fail "all time-bound"
"$SMARTV4" smart "$tmp/missing.txt" >/dev/null 2>&1; [ $? -eq 1 ] || fail "missing file exit 1"
echo "smart_cli: ok"
