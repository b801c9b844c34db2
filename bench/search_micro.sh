#!/usr/bin/env bash
# The search alone, in process (bench/search_micro.c): per-query median and p90 CPU time of sv4_search over a portal
# database, or with --dump every result for a byte comparison of two builds.
# Usage: bench/search_micro.sh BUILD_DIR DB QUERIES.tsv [--dump] [--rounds N] [--role viewer|reviewer|NAME]
#   DB: a copy of the database bench/portal.sh generates (kept in /tmp/sv4-bench-cache)
#   QUERIES.tsv: one "/api/v1/search?..." a line, optionally TAB and the query's also_codes (what the API reports
#   for the text), e.g. the mix of the portal bench: grep -o '"/api[^"]*"' bench/portal_search.lua | tr -d '"'
# bench/search_micro.sh BUILD_DIR (alone, as `make bench` runs it through bench/run.sh): the portal bench's database
#   of SV4_BENCH_RECORDS records (bench/portal.sh --db-only: same generator, cache and SV4_BENCH_CACHE) and its query
#   mix, SV4_BENCH_ROUNDS rounds (default 200); prints each query's median and p90 and the mean per search.
# Environment: SV4_COUNT_MODE, SV4_COUNT_MODES (see bench/search_micro.c).
set -euo pipefail
src=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-build}
[ $# -gt 0 ] && shift
case "$build" in /*) ;; *) build="$src/$build" ;; esac
[ -f "$build/libsv4.a" ] || { echo "search_micro: $build/libsv4.a missing (build first)" >&2; exit 1; }
bin="$build/search_micro"
if [ ! -x "$bin" ] || [ "$build/libsv4.a" -nt "$bin" ] || [ "$src/bench/search_micro.c" -nt "$bin" ]; then
  # the library's compiler and sanitizers (an ASan/UBSan libsv4.a needs their runtime)
  lib_cc=$(sed -n 's/^CMAKE_C_COMPILER:[A-Z]*=//p' "$build/CMakeCache.txt" 2>/dev/null)
  lib_san=$(sed -n 's/^SV4_SANITIZE:[A-Z]*=//p' "$build/CMakeCache.txt" 2>/dev/null)
  mupdf=$(pkg-config --static --libs mupdf)
  pq=
  grep -q '^WITH_POSTGRES:BOOL=ON' "$build/CMakeCache.txt" 2>/dev/null && pq=$(pkg-config --libs libpq)
  # built beside, then renamed: a concurrent run never executes a half-written binary
  # shellcheck disable=SC2046,SC2086
  "${lib_cc:-cc}" -O2 ${lib_san:+-fsanitize=$lib_san -fno-omit-frame-pointer} -I"$src/include" \
    "$src/bench/search_micro.c" "$build/libsv4.a" \
    $(pkg-config --libs libmicrohttpd jansson sqlite3 libhs libutf8proc libexttextcat libzip libxml-2.0 libsodium \
      xlsxwriter) $pq $mupdf -lharfbuzz -lfreetype -lpthread -lm -o "$bin.tmp.$$"
  mv -f "$bin.tmp.$$" "$bin"
fi
[ $# -gt 0 ] && exec "$bin" "$@"

# alone: the portal bench's database and query mix
tmp=$(mktemp -d "${TMPDIR:-/tmp}/sv4-bench-search.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
db=$(bash "$src/bench/portal.sh" "$build" --db-only)
cp "$db" "$tmp/portal.db"
grep -o '"/api[^"]*"' "$src/bench/portal_search.lua" | tr -d '"' >"$tmp/queries.tsv"
echo "search_micro: $(wc -l <"$tmp/queries.tsv") queries of bench/portal_search.lua, ${SV4_BENCH_ROUNDS:-200} rounds," \
  "$(basename "$db")"
"$bin" "$tmp/portal.db" "$tmp/queries.tsv" --rounds "${SV4_BENCH_ROUNDS:-200}"
