#!/usr/bin/env bash
# The search alone, in process (bench/search_micro.c): per-query median and p90 CPU time of sv4_search over a portal
# database, or with --dump every result for a byte comparison of two builds.
# Usage: bench/search_micro.sh BUILD_DIR DB QUERIES.tsv [--dump] [--rounds N] [--role viewer|reviewer|NAME]
#   DB: a copy of the database bench/portal.sh generates (kept in /tmp/sv4-bench-cache)
#   QUERIES.tsv: one "/api/v1/search?..." a line, optionally TAB and the query's also_codes (what the API reports
#   for the text), e.g. the mix of the portal bench: grep -o '"/api[^"]*"' bench/portal_search.lua | tr -d '"'
# Environment: SV4_COUNT_MODE, SV4_COUNT_MODES (see bench/search_micro.c).
set -euo pipefail
src=$(cd "$(dirname "$0")/.." && pwd)
build=$1
shift
case "$build" in /*) ;; *) build="$src/$build" ;; esac
[ -f "$build/libsv4.a" ] || { echo "search_micro: $build/libsv4.a missing (build first)" >&2; exit 1; }
bin="$build/search_micro"
if [ ! -x "$bin" ] || [ "$build/libsv4.a" -nt "$bin" ] || [ "$src/bench/search_micro.c" -nt "$bin" ]; then
  mupdf=$(pkg-config --static --libs mupdf)
  # shellcheck disable=SC2086
  cc -O2 -I"$src/include" "$src/bench/search_micro.c" "$build/libsv4.a" \
    $(pkg-config --libs libmicrohttpd jansson sqlite3 libhs libutf8proc libexttextcat libzip libxml-2.0 libsodium \
      xlsxwriter) $mupdf -lharfbuzz -lfreetype -lpthread -lm -o "$bin"
fi
exec "$bin" "$@"
