#!/usr/bin/env bash
# `make bench`: runs every bench/*.sh script (classify, bim, portal...) against the build in BUILD_DIR.
# Usage: bench/run.sh [BUILD_DIR]   (default: build)
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
build=$(cd "${1:-build}" && pwd)
export SMARTV4="$build/smartv4" SRC="$(dirname "$here")"
status=0
for s in "$here"/*.sh; do
  [ "$(basename "$s")" = run.sh ] && continue
  echo "=== $(basename "$s")"
  bash "$s" "$build" || { echo "bench: $(basename "$s") failed"; status=1; }
done
exit $status
