#!/usr/bin/env bash
# STEP/IFC parse benchmark: smartv4's reader (open + index every entity; and + decode every entity) against web-ifc
# under node (OpenModel; OpenModel + GetLine on every line) and IFC++ (loadModelFromString), on the sample models and
# on a big model made by bim_parse_gen.py (a sample's entities replicated with renumbered ids).
# Usage: bench/bim_parse.sh [BUILD_DIR]     (run by `make bench` through bench/run.sh; `make check` runs it at a tiny
#        size in tests/cli/bench_smoke.sh)
# Environment: SV4_BENCH_MB (size of the big model, default 320), SV4_BENCH_DIR (where it goes, default /tmp),
#              SV4_BENCH_TIMEOUT (seconds per run, default 900), SV4_BENCH_SKIP_BIG=1 (sample models only),
#              SV4_BENCH_NPM_TIMEOUT (seconds for the one-time `npm ci` of web-ifc, default 300),
#              SV4_BENCH_FILES (sample models of tests/data/ifc to run, names without .ifc; default: the six below).
# Exit status: 1 when a smartv4 run fails (a peer failing or timing out is only reported in its row).
set -uo pipefail
src=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-build}
case "$build" in /*) ;; *) build="$src/$build" ;; esac
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
timeout_s=${SV4_BENCH_TIMEOUT:-900}

[ -f "$build/libsv4.a" ] || { echo "bim_parse: $build/libsv4.a missing (build first)" >&2; exit 1; }
# The harness is linked with the library's compiler and sanitizers (an ASan/UBSan libsv4.a needs their runtime).
lib_cc=$(sed -n 's/^CMAKE_C_COMPILER:[A-Z]*=//p' "$build/CMakeCache.txt" 2>/dev/null)
lib_san=$(sed -n 's/^SV4_SANITIZE:[A-Z]*=//p' "$build/CMakeCache.txt" 2>/dev/null)
"${lib_cc:-cc}" -O2 ${lib_san:+-fsanitize=$lib_san -fno-omit-frame-pointer} -I"$src/include" \
  "$src/bench/bim_parse_smartv4.c" "$build/libsv4.a" -lm -o "$tmp/sv4" || exit 1
have_ifcpp=0
if [ -d /usr/include/ifcpp ] && [ -f /usr/include/boost/unordered_map.hpp ]; then
  if c++ -O2 -std=c++17 "$src/bench/bim_parse_ifcpp.cpp" -o "$tmp/ifcpp" -L/usr/lib/ifcplusplus -lIfcPlusPlus \
    -Wl,-rpath,/usr/lib/ifcplusplus 2>"$tmp/ifcpp.log"; then
    have_ifcpp=1
  else
    echo "bim_parse: the IFC++ harness does not build: skipped" >&2
    head -20 "$tmp/ifcpp.log" >&2
  fi
else
  echo "bim_parse: IFC++ not available (libifcplusplus-dev, libboost-dev): skipped" >&2
fi
have_webifc=0
if command -v node >/dev/null; then
  if [ ! -d "$src/bench/webifc/node_modules/web-ifc" ]; then
    # npm ci: exactly the locked version, and package-lock.json is never rewritten
    (cd "$src/bench/webifc" && timeout "${SV4_BENCH_NPM_TIMEOUT:-300}" npm ci --no-audit --no-fund >/dev/null 2>&1)
  fi
  [ -d "$src/bench/webifc/node_modules/web-ifc" ] && have_webifc=1
fi
[ $have_webifc = 1 ] || echo "bim_parse: web-ifc not available (node + npm ci in bench/webifc): skipped" >&2

files=()
samples="AC20-FZK-Haus duplex Office_A_20110811 IfcOpenHouse_IFC4 tested_sample_project ISSUE_021_Mini_Project"
for f in ${SV4_BENCH_FILES:-$samples}; do
  [ -f "$src/tests/data/ifc/$f.ifc" ] || { echo "bim_parse: no sample model $f.ifc" >&2; exit 1; }
  files+=("$src/tests/data/ifc/$f.ifc")
done
if [ "${SV4_BENCH_SKIP_BIG:-0}" != 1 ]; then
  big="${SV4_BENCH_DIR:-/tmp}/sv4_bench_big_${SV4_BENCH_MB:-320}mb.ifc"
  if [ ! -f "$big" ]; then
    python3 "$src/bench/bim_parse_gen.py" "$src/tests/data/ifc/AC20-FZK-Haus.ifc" "$big" --mb "${SV4_BENCH_MB:-320}" || exit 1
  fi
  files+=("$big")
fi

# run NAME CMD... → prints "name file MB/s seconds peak_RSS_MB rss/size entities" (or the failure; a failing smartv4
# run sets the exit status)
status=0
run() {
  local name=$1 file=$2; shift 2
  local out rc
  : >"$tmp/time"
  out=$(/usr/bin/time -f "RSS %M" -o "$tmp/time" timeout "$timeout_s" "$@" 2>"$tmp/err"); rc=$?
  local rss; rss=$(awk '/^RSS/{print $2}' "$tmp/time" | tail -1)
  if [ $rc -ne 0 ] || [ -z "$out" ]; then
    printf "%-16s %-34s %s\n" "$name" "$(basename "$file")" "failed (exit $rc$( [ $rc = 124 ] && echo ", timeout ${timeout_s}s"); peak RSS ${rss:-?} KB) $(head -c 200 "$tmp/err" | tr '\n' ' ')"
    case "$name" in smartv4-*) status=1 ;; esac
    return
  fi
  set -- $out
  awk -v n="$name" -v f="$(basename "$file")" -v b="$2" -v s="$3" -v e="$4" -v r="${rss:-0}" 'BEGIN {
    printf "%-16s %-34s %9.1f MB/s %8.3f s %8.1f MB peak %5.2fx size %9d entities\n", n, f, b / 1e6 / s, s, r / 1024, r * 1024 / b, e }'
}

echo "== STEP parse throughput (MB/s = file bytes / time; peak = max RSS of the whole process)"
for f in "${files[@]}"; do
  run smartv4-index "$f" "$tmp/sv4" "$f" index
  run smartv4-decode "$f" "$tmp/sv4" "$f" decode
  [ $have_webifc = 1 ] && run webifc-open "$f" node "$src/bench/bim_parse_webifc.js" "$f" open
  [ $have_webifc = 1 ] && run webifc-lines "$f" node "$src/bench/bim_parse_webifc.js" "$f" lines
  [ $have_ifcpp = 1 ] && run ifcpp "$f" "$tmp/ifcpp" "$f"
done
exit $status
