#!/usr/bin/env bash
# The progress line of long commands (`import`, `classify`): drawn on a terminal, never into a file or pipe, and a
# rejected record's message gets a line of its own. The terminal is a real pseudo-terminal from script(1);
# SMARTV4_PROGRESS_DELAY=0 shows the bar at once instead of after a second.
set -uo pipefail
: "${SMARTV4:?}" "${SRC:?}"
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*"; exit 1; }
command -v script >/dev/null || fail "script(1) missing (package bsdutils)"

for i in $(seq 1 300); do
  printf '{"type":"practice","slug":"p%d","lang":"en","country":"PL","title":{"en":"T%d"},"summary":{"en":"solar panels on schools"}}\n' "$i" "$i"
done > "$tmp/r.jsonl"
echo 'not json' >> "$tmp/r.jsonl"

# on a terminal: the bar, its final state 301/301, and the rejection on a clean line
SMARTV4_PROGRESS_DELAY=0 script -qec "'$SMARTV4' import --db '$tmp/a.db' --no-classify '$tmp/r.jsonl'" "$tmp/tty.txt" >/dev/null
tr '\r' '\n' < "$tmp/tty.txt" > "$tmp/tty.lines"
grep -q '100% 301/301' "$tmp/tty.lines" || fail "no final progress state on a terminal: $(head -c 600 "$tmp/tty.txt" | cat -v)"
grep -q '#\{30\}' "$tmp/tty.lines" || fail "no full bar"
# the rejection follows an erase-line sequence, so it does not run into the bar
grep -q $'\e\[K'"$tmp/r.jsonl:301: invalid JSON" "$tmp/tty.txt" || fail "rejection not on a cleared line: $(cat -v "$tmp/tty.txt" | head -c 800)"
grep -q 'imported 300, rejected 1' "$tmp/tty.lines" || fail "summary"

# not a terminal: no bar, only the rejection
SMARTV4_PROGRESS_DELAY=0 "$SMARTV4" import --db "$tmp/b.db" --no-classify "$tmp/r.jsonl" >"$tmp/out" 2>"$tmp/err"
[ $? -eq 1 ] || fail "a rejected line must give exit 1"
grep -q $'\r' "$tmp/err" && fail "progress written to a file: $(cat -v "$tmp/err")"
[ "$(wc -l < "$tmp/err")" -eq 1 ] || fail "stderr should hold the one rejection: $(cat "$tmp/err")"
# SMARTV4_PROGRESS=never wins over the terminal
SMARTV4_PROGRESS=never SMARTV4_PROGRESS_DELAY=0 script -qec "'$SMARTV4' import --db '$tmp/c.db' --no-classify '$tmp/r.jsonl'" "$tmp/tty2.txt" >/dev/null
grep -q '%' "$tmp/tty2.txt" && fail "SMARTV4_PROGRESS=never still drew a bar"
# a short run on a terminal with the default one-second wait draws nothing
script -qec "'$SMARTV4' import --db '$tmp/d.db' --no-classify '$tmp/r.jsonl'" "$tmp/tty3.txt" >/dev/null
grep -q '301/301' "$tmp/tty3.txt" && fail "a short import should not draw a bar"

# classify: the bar counts megabytes of input
for i in $(seq 1 200); do
  printf '{"id":"%d","lang":"en","text":"The city will build cycle paths and expand renewable energy in public buildings."}\n' "$i"
done > "$tmp/c.jsonl"
SMARTV4_PROGRESS_DELAY=0 script -qec "'$SMARTV4' classify --jsonl '$tmp/c.jsonl' >'$tmp/c.out'" "$tmp/tty4.txt" >/dev/null
grep -q 'MB' "$tmp/tty4.txt" || fail "classify drew no progress on a terminal: $(cat -v "$tmp/tty4.txt" | head -c 400)"
[ "$(wc -l < "$tmp/c.out")" -eq 200 ] || fail "classify output lines"
grep -q $'\r' "$tmp/c.out" && fail "progress leaked into stdout"
SMARTV4_PROGRESS_DELAY=0 "$SMARTV4" classify --jsonl "$tmp/c.jsonl" >/dev/null 2>"$tmp/cerr"
[ -s "$tmp/cerr" ] && fail "classify wrote to a non-terminal stderr: $(cat -v "$tmp/cerr")"
echo "progress: ok"
