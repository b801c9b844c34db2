#!/usr/bin/env bash
# Runs every libFuzzer target in BUILD_DIR for SECONDS each, seeded from tests/fuzz/corpus/<target>/.
# Usage: scripts/fuzz.sh BUILD_DIR SECONDS
set -euo pipefail
dir=${1:?build dir}; secs=${2:?seconds}
src=$(cd "$(dirname "$0")/.." && pwd)
export SMARTV4_DATA="$src/data"
n=0
for f in "$dir"/fuzz_*; do
  [ -x "$f" ] || continue
  name=$(basename "$f")
  seeds="$src/tests/fuzz/corpus/${name#fuzz_}"
  work=$(mktemp -d)
  [ -d "$seeds" ] && cp -r "$seeds"/. "$work"/ 2>/dev/null || true
  dict=()
  [ -f "$src/tests/fuzz/${name#fuzz_}.dict" ] && dict=(-dict="$src/tests/fuzz/${name#fuzz_}.dict")
  echo "fuzz: $name for ${secs}s"
  "$f" "${dict[@]}" -max_total_time="$secs" -max_len=65536 -rss_limit_mb=2048 -timeout=10 \
       -print_final_stats=1 "$work" 2>"$work.log" || { tail -60 "$work.log"; exit 1; }
  grep -E 'stat::number_of_executed_units' "$work.log" || true
  rm -rf "$work" "$work.log"
  n=$((n+1))
done
echo "fuzz: $n targets ran clean"
