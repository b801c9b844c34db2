#!/usr/bin/env bash
# Black-box tests of `smartv4 classify`: the JSONL contract, order, error lines, exit codes, broken input.
set -uo pipefail
: "${SMARTV4:?}" "${SRC:?}"
export SMARTV4_DATA="$SRC/tests/data" XDG_CACHE_HOME=$(mktemp -d)
tmp=$(mktemp -d); trap 'rm -rf "$tmp" "$XDG_CACHE_HOME"' EXIT
fail() { echo "FAIL: $*"; exit 1; }

"$SMARTV4" classify --help | grep -q -- '--jsonl' || fail "help"
"$SMARTV4" classify >/dev/null 2>&1; [ $? -eq 2 ] || fail "no args must be exit 2"
"$SMARTV4" classify --scheme nope --jsonl </dev/null >/dev/null 2>&1; [ $? -eq 2 ] || fail "bad scheme must be exit 2"
"$SMARTV4" classify --lang de --jsonl </dev/null >/dev/null 2>&1; [ $? -eq 2 ] || fail "bad lang must be exit 2"

# contract: one line per input, same order, ids kept, integer goals
printf '%s\n' '{"id":"a","text":"We invest in renewable energy.","lang":"en"}' \
  '{"id":"b","text":"Rozwój odnawialnych źródeł energii.","lang":"pl"}' \
  '{"id":"c","text":"Nothing relevant here.","lang":"en"}' > "$tmp/in.jsonl"
"$SMARTV4" classify --jsonl < "$tmp/in.jsonl" > "$tmp/out" || fail "exit code on good input"
[ "$(wc -l < "$tmp/out")" -eq 3 ] || fail "three output lines"
[ "$(jq -r .id "$tmp/out" | tr '\n' ' ')" = "a b c " ] || fail "order"
jq -c 'select(.id=="a")' "$tmp/out" | jq -e '.sdg == [7] and .egd == ["energy"] and .labels[0].evidence[0].match == "renewable energy"
       and .labels[0].evidence[0].start == 13 and .labels[0].evidence[0].end == 29' >/dev/null || fail "contract a"
jq -c 'select(.id=="b")' "$tmp/out" | jq -e '.lang == "pl" and .sdg == [7]' >/dev/null || fail "contract b"
jq -c 'select(.id=="c")' "$tmp/out" | jq -e '.sdg == [] and .labels == []' >/dev/null || fail "contract c"

# --scheme restricts
"$SMARTV4" classify --jsonl --scheme egd < "$tmp/in.jsonl" | jq -c 'select(.id=="a")' | jq -e '.sdg == [] and .egd == ["energy"]' >/dev/null || fail "scheme mask"

# broken lines: an error object on that line, the stream continues, exit 1 at the end
{ echo '{"id":"ok1","text":"renewable energy","lang":"en"}'
  echo '{"id":"bad-json", "text": '
  printf '{"id":"bad-utf8","text":"ab\xff","lang":"en"}\n'
  echo '{"id":"no-text"}'
  echo '{"id":"bad-lang","text":"x","lang":"de"}'
  echo '{"id":"ok2","text":"solar power","lang":"en"}'; } > "$tmp/broken.jsonl"
"$SMARTV4" classify --jsonl < "$tmp/broken.jsonl" > "$tmp/out2"; rc=$?
[ $rc -eq 1 ] || fail "broken input must exit 1 (got $rc)"
[ "$(wc -l < "$tmp/out2")" -eq 6 ] || fail "one line per input line"
[ "$(jq -r '.error != null' "$tmp/out2" | tr '\n' ' ')" = "false true true true true false " ] || fail "error objects"
jq -c 'select(.id=="bad-utf8")' "$tmp/out2" | jq -e '.error | test("UTF-8")' >/dev/null || fail "utf8 message"
jq -c 'select(.line==2)' "$tmp/out2" | jq -e '.id == null' >/dev/null || fail "malformed json id null"

# a line over the limit (16 MiB) is reported and skipped
python3 -c 'import sys; sys.stdout.write("{\"id\":\"huge\",\"text\":\"" + "a "*(9*1024*1024) + "\"}\n{\"id\":\"after\",\"text\":\"solar power\",\"lang\":\"en\"}\n")' > "$tmp/huge.jsonl"
"$SMARTV4" classify --jsonl < "$tmp/huge.jsonl" > "$tmp/out3"; rc=$?
[ $rc -eq 1 ] || fail "huge line exit 1"
[ "$(sed -n 1p "$tmp/out3" | jq -r .error)" != "null" ] || fail "huge line error"
[ "$(sed -n 2p "$tmp/out3" | jq -r .id)" = "after" ] || fail "stream continues after huge line"

# files: a profile, --explain shows evidence, missing file exit 1
printf 'Renewable energy and wind farms.\n\nClimate adaptation.\n' > "$tmp/doc.txt"
"$SMARTV4" classify --lang en --explain "$tmp/doc.txt" > "$tmp/prof" || fail "file classify"
grep -q 'en.sdg7.renewables' "$tmp/prof" || fail "explain evidence"
"$SMARTV4" classify --json --lang en "$tmp/doc.txt" | jq -e '.sdg == [7,13]' >/dev/null || fail "file json"
"$SMARTV4" classify "$tmp/nope.txt" >/dev/null 2>&1; [ $? -eq 1 ] || fail "missing file exit 1"
printf 'bad \xff utf8' > "$tmp/bad.txt"
"$SMARTV4" classify --lang en "$tmp/bad.txt" >/dev/null 2>&1; [ $? -eq 1 ] || fail "invalid utf8 file exit 1"

# the second start uses the cached database
"$SMARTV4" rules check | grep -q 'database from cache' || fail "cache not used on second start"
echo "classify_cli: ok"
