# lib.bash — shared by the API tests: start a real smartv4 server on a free port with a fresh database, curl
# helpers, JSON assertions (python3), cleanup. Source it; it is not a test itself (no .sh test runs it alone).
set -euo pipefail
: "${SMARTV4:?SMARTV4 must point at the smartv4 binary}"
: "${SRC:?SRC must point at the repository}"
export SMARTV4_DATA="${SMARTV4_DATA:-$SRC/data}"
export XDG_CACHE_HOME="${XDG_CACHE_HOME:-$HOME/.cache}"
WORK=$(mktemp -d)
DB="$WORK/test.db"
SERVER_PID=""
fails=0
passes=0

cleanup() {
  [ -n "$SERVER_PID" ] && kill "$SERVER_PID" 2>/dev/null && wait "$SERVER_PID" 2>/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT

start_server() {  # start_server [extra args...]
  "$SMARTV4" serve --db "$DB" --port 0 --quiet "$@" >"$WORK/server.out" 2>"$WORK/server.err" &
  SERVER_PID=$!
  for _ in $(seq 1 200); do
    if grep -q 'http://' "$WORK/server.out" 2>/dev/null; then break; fi
    if ! kill -0 "$SERVER_PID" 2>/dev/null; then cat "$WORK/server.err" >&2; echo "server died" >&2; exit 1; fi
    sleep 0.1
  done
  BASE=$(grep -o 'http://[^/]*' "$WORK/server.out" | head -1)
  [ -n "$BASE" ] || { cat "$WORK/server.err" >&2; echo "server did not start" >&2; exit 1; }
}

# req METHOD PATH [curl args...] → sets STATUS and BODY (file $WORK/body)
req() {
  local m=$1 p=$2; shift 2
  STATUS=$(curl -s -o "$WORK/body" -w '%{http_code}' -X "$m" -b "$WORK/cookies" -c "$WORK/cookies" "$@" "$BASE$p")
  BODY=$(cat "$WORK/body")
}

ok()   { passes=$((passes+1)); echo "ok - $*"; }
fail() { fails=$((fails+1)); echo "FAIL - $*"; echo "  status=$STATUS body=${BODY:0:400}"; }
expect_status() { if [ "$STATUS" = "$1" ]; then ok "$2"; else fail "$2 (expected $1)"; fi; }

# jq-like check with python: jcheck 'expr over d' 'description'
jcheck() {
  if python3 -c "import json,sys; d=json.load(open('$WORK/body')); sys.exit(0 if ($1) else 1)" 2>/dev/null; then ok "$2"; else fail "$2"; fi
}

csrf() { awk '$6=="sv4csrf"{print $7}' "$WORK/cookies" | tail -1; }

finish() {
  echo "$passes passed, $fails failed"
  [ "$fails" -eq 0 ]
}
